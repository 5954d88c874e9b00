"""Case 9: find in the brief (``/``) on the huge brief, in-process, median per query.

The huge brief of case 3 (bench/generate.py: 10,000 figures, 2,000 actors, a 300-paragraph
summary, 50 commentary entries; 3.5 MB of YAML) is loaded once. The first query builds the find
index: the text of every item as the panes show it (Markdown rendered), joined, and its lower
case. That build is timed once, and what it keeps is measured with tracemalloc on its own run.
Then the queries run as a reader types them, one per key: every prefix of words, names and
phrases taken from the brief (a phrase running out of bold text, a capitalised name for smart
case), so one-letter queries that match everywhere are in the set, plus words that are not
there. Each query is timed as the find bar runs it (``find_matches``: the matches, counted and
ready to step through); the figure is the median.

Run alone: ``python bench/case_find.py`` prints the row and the slowest queries.
"""

from __future__ import annotations

import gc
import random
import re
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import msgspec

from termbrief.core.loader import load_brief
from termbrief.core.markdown_text import shown_text
from termbrief.core.model import Brief
from termbrief.core.search import brief_segments, find_matches

CASE = "9 find in the brief, huge brief"
TARGET_MS = 30.0
SEED = 20240909


def huge_brief_path() -> Path:
    """Case 3's huge brief (generated once per bench run), or a fresh one when run alone."""
    try:
        from common import huge_brief

        return huge_brief()[0]
    except ImportError:  # run from elsewhere: generate it ourselves
        import tempfile

        from generate import generate_huge_brief

        path = Path(tempfile.mkdtemp(prefix="termbrief-find-")) / "huge.yaml"
        generate_huge_brief(path)
        return path


def typed(phrases: list[str]) -> list[str]:
    """Every query the find bar runs while ``phrases`` are typed, one key at a time."""
    return [phrase[:end] for phrase in phrases for end in range(1, len(phrase) + 1)]


def make_phrases(brief: Brief, count: int = 12, seed: int = SEED) -> list[str]:
    """Words, names and phrases of ``brief`` as shown, and a few that are not in it."""
    rng = random.Random(seed)
    summary = brief_segments(brief)[0].text
    words = re.findall(r"[A-Za-z]{4,}", summary)
    bold = re.findall(r"\*\*[^*]+\*\*\.? \w+", brief.summary)  # out of bold text, shown plain
    phrases = [rng.choice(words).lower() for _ in range(count // 2)]
    phrases += [" ".join(rng.sample(words, 2)).lower()]
    phrases += [rng.choice(brief.actors).name]  # a capital: case-sensitive
    phrases += [rng.choice(brief.figures).label[:24]]
    phrases += [rng.choice(bold).replace("**", "")[-24:].strip()] if bold else []
    phrases += ["zebra crossing", "quixotic"]
    return phrases


def index_cost(path: Path) -> tuple[float, float, int]:
    """``(seconds, kept MB, peak MB)`` of building the find index of a freshly loaded brief,
    the memory measured with tracemalloc (the time on a run without it)."""
    brief = load_brief(path)
    gc.collect()
    started = time.perf_counter()
    find_matches(brief, "index")
    seconds = time.perf_counter() - started
    other = msgspec.structs.replace(brief, title=brief.title + " ")  # a new object: built again
    shown_text.cache_clear()
    gc.collect()
    tracemalloc.start()
    find_matches(other, "index")
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, kept / 1e6, peak / 1e6


def measure(path: Path) -> tuple[list[tuple[str, float, int]], str]:
    """Time every typed query once: ``[(query, ms, matches)]``, and the index's cost in words."""
    build_s, kept_mb, peak_mb = index_cost(path)
    brief = load_brief(path)
    find_matches(brief, "warm")  # the index, built once per brief
    text_mb = sum(len(segment.text) for segment in brief_segments(brief)) / 1e6
    results = []
    for query in typed(make_phrases(brief)):
        started = time.perf_counter()
        matches = find_matches(brief, query)
        results.append((query, (time.perf_counter() - started) * 1000, len(matches)))
    cost = (
        f"The index of the rendered text (every item's text as shown, joined, and its lower case)"
        f" is built on the first query in {build_s:.2f} s and keeps {kept_mb:.1f} MB"
        f" (tracemalloc; {peak_mb:.1f} MB at the peak of the build) for a"
        f" {path.stat().st_size / 1e6:.1f} MB file whose shown text is {text_mb:.1f} M characters."
    )
    return results, cost


def run() -> list[dict[str, object]]:
    """The case-9 row."""
    results, cost = measure(huge_brief_path())
    times = [ms for _, ms, _ in results]
    median = statistics.median(times)
    p90 = sorted(times)[int(len(times) * 0.9)]
    slowest = max(results, key=lambda row: row[1])
    note = (
        f"{len(results)} queries, typed key by key (median {median:.1f} ms, p90 {p90:.1f} ms,"
        f" slowest {slowest[1]:.0f} ms for {slowest[0]!r}: {slowest[2]:,} matches). {cost}"
    )
    return [
        {
            "case": CASE,
            "figure": f"{median:.1f} ms/query (median)",
            "target": f"≤ {TARGET_MS:.0f} ms",
            "ok": median <= TARGET_MS,
            "note": note,
        }
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    rows, cost = measure(huge_brief_path())
    for query, ms, count in sorted(rows, key=lambda row: -row[1])[:8]:
        print(f"  {ms:7.1f} ms  {count:7,} matches  {query!r}")
    print(f"median {statistics.median(ms for _, ms, _ in rows):.1f} ms over {len(rows)} queries")
    print(cost)
