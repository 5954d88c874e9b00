"""Case 6: ranked library search over 2,000 generated briefs, in-process, median per query.

The briefs are generated in memory from a fixed seed with a Zipf-like vocabulary: function words
that every paragraph uses, ~180 domain words that most briefs use, and a long tail of rarer words,
so both very common and rare query words are exercised. The index is built once (timed
separately; the app builds it in a worker), then at least 50 varied queries run: single words,
phrases, names, typos, half-typed words, filters with text, exact titles.

Run alone: ``python bench/case_search.py`` prints the row and a few more figures.
"""

from __future__ import annotations

import itertools
import random
import statistics
import string
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from termbrief.core.library import Entry, find_brief_files, load_entry, sort_entries
from termbrief.core.library_index import LibraryIndex
from termbrief.core.model import Brief, decode_hook, slugify

SEED = 20240906
BRIEFS = 2_000
TARGET_MS = 30.0


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FUNCTION = _split(
    "the of and to in a for on with by is that as its from has was at are will be this which "
    "an it said have been more than their also not but or they after into over"
)
_DOMAIN = _split(
    "security cooperation police training ministry forum agreement officers partner countries "
    "regional framework capacity building exchange programme delegation summit initiative "
    "strategy investment infrastructure border maritime cyber counter terrorism intelligence "
    "sharing equipment donation academy curriculum doctrine governance stability development "
    "law enforcement public order surveillance technology network platform bilateral "
    "multilateral commitment announcement pledge plan action implementation review analysis "
    "influence model export norms standards legitimacy sovereignty interference concern risk "
    "observers critics supporters government officials private companies contractors guards "
    "port railway corridor mining energy telecommunications projects workers nationals "
    "protection evacuation crisis response joint patrols exercises visits memoranda election "
    "understanding year decade period growth expansion scale scope reach presence footprint "
    "budget funding loans grants scholarships seminars workshops courses graduates experts "
    "parliament minister president court ruling sanctions trade tariffs fisheries climate "
    "drought migration refugees health vaccine debt restructuring currency inflation protest "
    "opposition coalition treaty ceasefire negotiations mediation peacekeeping deployment"
)
_TAGS = (
    "policing",
    "security",
    "trade",
    "debt",
    "climate",
    "elections",
    "maritime",
    "cyber",
    "health",
    "migration",
    "energy",
    "mining",
    "south asia",
    "diplomacy",
    "infrastructure",
    "sanctions",
)
_REGIONS = (
    "Africa",
    "Pacific",
    "Central Asia",
    "Southeast Asia",
    "Latin America",
    "Middle East",
    "Europe",
    "South Asia",
    "Côte d'Ivoire",
)
_FIRST = _split(
    "Wang Li Zhang Amina Kwame Maria Ivan Fatima Chen Sipho Ana Omar Lena Raj Yuki Tomás"
)
_LAST = _split(
    "Xiaohong Mensah Okafor Haddad Petrov Silva Nguyen Dube Karimov Moreau Tanaka Álvarez"
)


class _Writer:
    """Random text from one seeded stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        syllables = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]
        tail = {
            "".join(self.rng.choice(syllables) for _ in range(self.rng.randint(2, 4)))
            for _ in range(8_000)
        }
        self.tail = sorted(tail)
        self.rng.shuffle(self.tail)
        # Zipf: the n-th tail word is about n times rarer than the first.
        self.tail_weights = list(itertools.accumulate(1 / (n + 1) for n in range(len(self.tail))))

    def word(self) -> str:
        roll = self.rng.random()
        if roll < 0.4:
            return self.rng.choice(_FUNCTION)
        if roll < 0.75:
            return self.rng.choice(_DOMAIN)
        return self.rng.choices(self.tail, cum_weights=self.tail_weights)[0]

    def words(self, low: int, high: int) -> str:
        return " ".join(self.word() for _ in range(self.rng.randint(low, high)))

    def sentence(self, low: int = 10, high: int = 20) -> str:
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low: int = 4, high: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"

    def brief(self, number: int) -> dict[str, Any]:
        rng = self.rng
        title = self.words(4, 8).capitalize()
        brief_id = f"{slugify(title)[:40].strip('-') or 'brief'}-{number}"
        actors = []
        for i in range(rng.randint(4, 6)):
            name = self.person()
            actor: dict[str, Any] = {
                "id": f"{slugify(name)}-{i}",
                "name": name,
                "kind": "person",
                "role": self.words(2, 5),
                "description": self.paragraph(1, 2),
            }
            if rng.random() < 0.3:
                actor["aliases"] = [name.split()[-1]]
            actors.append(actor)
        return {
            "id": brief_id,
            "title": title,
            "subtitle": self.words(5, 10).capitalize(),
            "date": f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "tags": rng.sample(_TAGS, rng.randint(1, 4)),
            "regions": rng.sample(_REGIONS, rng.randint(1, 3)),
            "summary": "\n\n".join(self.paragraph() for _ in range(3)),
            "key_points": [self.sentence(8, 14) for _ in range(rng.randint(3, 5))],
            "figures": [
                {
                    "id": f"figure-{i}",
                    "label": self.words(3, 7).capitalize(),
                    "value": rng.randint(1, 5_000_000),
                    "unit": rng.choice(("officers", "projects", "US dollars", "people")),
                    "context": self.paragraph(1, 2),
                }
                for i in range(rng.randint(4, 6))
            ],
            "actors": actors,
            "commentary": [
                {
                    "id": f"view-{i}",
                    "author": self.person(),
                    "heading": self.words(3, 6).capitalize(),
                    "body": "\n\n".join(self.paragraph() for _ in range(2)),
                }
                for i in range(rng.randint(1, 2))
            ],
            "timeline": [
                {
                    "date": f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}",
                    "event": self.sentence(),
                }
                for _ in range(5)
            ],
            "sources": [
                {"title": self.words(4, 8).capitalize(), "publisher": self.words(1, 3)}
                for _ in range(2)
            ],
        }


def generate_entries(n: int = BRIEFS, seed: int = SEED) -> list[Entry]:
    """``n`` valid library entries (briefs in memory, paths that do not exist)."""
    writer = _Writer(seed)
    entries = []
    for number in range(n):
        brief = msgspec.convert(writer.brief(number), Brief, dec_hook=decode_hook)
        entries.append(Entry(Path(f"/generated/{brief.id}.yaml"), brief))
    return entries


def make_queries(entries: list[Entry], seed: int = SEED + 1, count: int = 60) -> list[str]:
    """Varied queries drawn from the library, so most of them hit something."""
    rng = random.Random(seed)
    queries: list[str] = []

    def some_brief() -> Brief:
        brief = rng.choice(entries).brief
        assert brief is not None
        return brief

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word))
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]

    makers = [
        lambda: rng.choice(_DOMAIN),  # a common word
        lambda: f"{rng.choice(_DOMAIN)} {rng.choice(_DOMAIN)}",
        lambda: some_brief().title,  # an exact title
        lambda: " ".join(some_brief().title.split()[:2]),
        lambda: rng.choice(some_brief().actors).name,
        lambda: rng.choice(some_brief().figures).label.lower(),
        lambda: typo(rng.choice([w for w in _DOMAIN if len(w) > 5])),
        lambda: rng.choice(_DOMAIN)[:4],  # half-typed
        lambda: f"tag:{rng.choice(_TAGS).split()[0]} {rng.choice(_DOMAIN)}",
        lambda: f"region:pacific actor:{rng.choice(_LAST).lower()}",
        lambda: rng.choice(some_brief().summary.split()).strip(".,").lower(),  # often a rare word
        lambda: f"{rng.choice(_FIRST).lower()} {rng.choice(_DOMAIN)}",
    ]
    while len(queries) < count:
        queries.append(makers[len(queries) % len(makers)]())
    return queries


def make_notes(entries: list[Entry], seed: int = SEED + 2) -> dict[str, list[tuple[str, str]]]:
    """About one note per brief, so the notes part of the index is searched too."""
    writer = _Writer(seed)
    notes: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        if writer.rng.random() < 0.7:
            notes.setdefault(entry.id, []).append(("summary", writer.sentence(6, 16)))
    return notes


@dataclass(frozen=True)
class Measurement:
    """One library searched with one query set."""

    build_s: float
    times_ms: list[float]
    found: float
    """Share of queries that found something (a query finding nothing is suspiciously cheap)."""

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p90(self) -> float:
        return sorted(self.times_ms)[int(len(self.times_ms) * 0.9)]

    def summary(self) -> str:
        return (
            f"median {self.median:.1f} ms, p90 {self.p90:.1f} ms, max {max(self.times_ms):.1f} ms"
            f" over {len(self.times_ms)} queries ({self.found:.0%} found something);"
            f" index built in {self.build_s:.2f} s"
        )


def measure(
    entries: list[Entry], queries: list[str], notes: dict[str, list[tuple[str, str]]] | None = None
) -> Measurement:
    """Build the index (timed), then time every query once."""
    started = time.perf_counter()
    index = LibraryIndex(entries, notes or {})
    build = time.perf_counter() - started
    index.search(queries[0])  # the first call pays for lazy imports inside rapidfuzz
    times, found = [], 0
    for query in queries:
        started = time.perf_counter()
        found += bool(index.search(query))
        times.append((time.perf_counter() - started) * 1000)
    return Measurement(build, times, found / len(queries))


def shared_library_entries() -> list[Entry]:
    """The 2,000-brief folder of case 2 (bench/generate.py: a ~130-word vocabulary), loaded.

    Inside ``bench/run.py`` it is the very folder the start-up case opens; alone, it is
    generated into a temporary folder.
    """
    try:
        from common import library

        folder = library(BRIEFS)[0]
    except ImportError:  # run from elsewhere: generate it ourselves
        from generate import generate_library

        folder = generate_library(Path(tempfile.mkdtemp(prefix="termbrief-search-")), BRIEFS).folder
    return sort_entries(load_entry(path) for path in find_brief_files([folder]))


def run() -> list[dict[str, object]]:
    """The case-6 row: the worse median of the two libraries, both described in the note."""
    zipf = generate_entries()
    own = measure(zipf, make_queries(zipf), make_notes(zipf))
    shared_entries = shared_library_entries()
    shared = measure(shared_entries, make_queries(shared_entries))
    worst = max(own.median, shared.median)
    note = (
        f"Worse of two libraries. Zipf-vocabulary library generated in memory: {own.summary()}."
        f" Case 2's folder (bench/generate.py, every word common): {shared.summary()}."
    )
    return [
        {
            "case": "6. Library search, 2,000 briefs",
            "figure": f"{worst:.1f} ms/query (median)",
            "target": f"<= {TARGET_MS:.0f} ms",
            "ok": worst <= TARGET_MS,
            "note": note,
        }
    ]


def _report(name: str, entries: list[Entry], notes: dict[str, list[tuple[str, str]]]) -> None:
    queries = make_queries(entries)
    result = measure(entries, queries, notes)
    print(f"{name}: {result.summary()}")
    slowest = sorted(zip(queries, result.times_ms, strict=True), key=lambda qm: -qm[1])[:5]
    for query, ms in slowest:
        print(f"  {ms:7.1f} ms  {query!r}")


if __name__ == "__main__":
    started = time.perf_counter()
    generated = generate_entries()
    print(f"generated {len(generated)} briefs in {time.perf_counter() - started:.1f} s")
    _report("in-memory Zipf library", generated, make_notes(generated))
    _report("case 2 folder", shared_library_entries(), {})
