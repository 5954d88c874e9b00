"""Case 14 (issue 14, "since you last read"): the structural diff of the huge brief, the cost of
opening a changed brief, and the space 1,000 stored versions take.

- The diff: the huge brief (10,000 figures) against a copy with 1% of its figures' values
  changed, :func:`termbrief.core.diff.diff_briefs` in-process, median of the runs.
- Opening a changed brief: whole processes in a pty (see ``common.launch``), launch to the
  sample brief's title on screen, for a reader who read an older version of it (the banner and
  markers follow) and, alternating, for one who read it as it is; the ratio of the medians.
- 1,000 versions of the sample brief, each one edit (a figure's value or a word of a paragraph)
  after the one before, recorded in a fresh notes store; the size of the database after a
  checkpoint.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from pathlib import Path

import msgspec

from common import (
    SAMPLE_BRIEF,
    Row,
    alternate,
    brief_title,
    fresh_dir,
    guarded,
    huge_brief,
    isolated_env,
    launch,
    runs,
    startup_seconds,
    termbrief_cmd,
)
from termbrief.core.model import Brief

DIFF_CASE = "14 diff of the huge brief, 1% of figures changed"
DIFF_TARGET_MS = 250.0
OPEN_CASE = "14 open a brief changed since read vs unchanged"
OPEN_TARGET = 1.10
STORE_CASE = "14 1,000 versions of the sample brief stored"
STORE_TARGET_MB = 5.0
BANNER = "Changed since you read it"


def _with_values_changed(brief: Brief, share: float, rng: random.Random) -> Brief:
    figures = list(brief.figures)
    numbered = [i for i, f in enumerate(figures) if isinstance(f.value, int | float)]
    for i in rng.sample(numbered, int(len(figures) * share)):
        value = figures[i].value
        assert isinstance(value, int | float)
        figures[i] = msgspec.structs.replace(figures[i], value=value + 1)
    return msgspec.structs.replace(brief, figures=tuple(figures))


def _diff() -> list[Row]:
    from termbrief.core.diff import diff_briefs
    from termbrief.core.loader import load_brief

    path, _ = huge_brief()
    old = load_brief(path)
    new = _with_values_changed(old, 0.01, random.Random(14))
    seconds = []
    diff = None
    for _ in range(runs(10)):
        started = time.perf_counter()
        diff = diff_briefs(old, new)
        seconds.append(time.perf_counter() - started)
    assert diff is not None
    ms = statistics.median(seconds) * 1000
    return [
        Row(
            case=DIFF_CASE,
            figure=f"{ms:.0f} ms (median of {len(seconds)}; {diff.summary()})",
            target=f"≤ {DIFF_TARGET_MS:.0f} ms",
            ok=ms <= DIFF_TARGET_MS,
        )
    ]


def _reader(read: Brief) -> tuple[dict[str, str], Path]:
    """Fresh user folders for a reader who read ``read``, and their data folder."""
    from termbrief.store.notes import NotesStore

    home = fresh_dir("home-read-")
    data = home / "data" / "termbrief"
    with NotesStore.open(data) as store:
        store.reading.mark_read(read)
    return isolated_env(home), data


def _open() -> list[Row]:
    from termbrief.core.loader import load_brief

    brief = load_brief(SAMPLE_BRIEF)
    title = brief_title(SAMPLE_BRIEF)
    older = _with_values_changed(brief, 0.5, random.Random(41))
    changed_env, changed_data = _reader(older)
    same_env, same_data = _reader(brief)
    changed = termbrief_cmd(SAMPLE_BRIEF, "--data-dir", changed_data)
    unchanged = termbrief_cmd(SAMPLE_BRIEF, "--data-dir", same_data)
    # Neither reader stays 4 seconds: the version read stays the same from run to run.
    paired = alternate(
        lambda: startup_seconds(changed, title, changed_env),
        lambda: startup_seconds(unchanged, title, same_env),
        runs(15),
    )
    banner = statistics.median(launch(changed, BANNER, env=changed_env).seconds for _ in range(3))
    return [
        Row(
            case=OPEN_CASE,
            figure=f"{paired.ratio:.2f}× ({paired.median_a * 1000:.0f} vs "
            f"{paired.median_b * 1000:.0f} ms to the title, median of {len(paired.a)})",
            target=f"≤ {OPEN_TARGET:.2f}×",
            ok=paired.ratio <= OPEN_TARGET,
            note=f"The banner and markers follow the first frame: on screen {banner * 1000:.0f} "
            "ms after launch (median of 3).",
        )
    ]


def _edited(brief: Brief, rng: random.Random) -> Brief:
    """``brief`` with one edit: a figure's value, or one word of a summary paragraph."""
    if rng.random() < 0.5:
        return _with_values_changed(brief, 1 / len(brief.figures), rng)
    words = brief.summary.split(" ")
    words[rng.randrange(len(words))] = rng.choice(("officers", "security", "cooperation", "2026"))
    return msgspec.structs.replace(brief, summary=" ".join(words))


def _store() -> list[Row]:
    from termbrief.core.loader import load_brief
    from termbrief.store.notes import NotesStore

    brief = load_brief(SAMPLE_BRIEF)
    rng = random.Random(1000)
    data = fresh_dir("versions-")
    started = time.perf_counter()
    with NotesStore.open(data) as store:
        ids: set[str] = set()
        while len(ids) < 1000:  # an edit may give back a version already seen: not counted
            brief = _edited(brief, rng)
            ids.add(store.reading.record(brief))
    seconds = time.perf_counter() - started
    database = data / "notes.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = sum(f.stat().st_size for f in data.glob("notes.sqlite3*"))
    mb = size / 1_000_000
    return [
        Row(
            case=STORE_CASE,
            figure=f"{mb:.2f} MB ({len(ids):,} distinct versions of a "
            f"{SAMPLE_BRIEF.stat().st_size / 1000:.0f} KB brief; recorded in {seconds:.1f} s)",
            target=f"< {STORE_TARGET_MB:.0f} MB",
            ok=mb < STORE_TARGET_MB,
        )
    ]


def run() -> list[Row]:
    """The three case-14 rows."""
    return [
        *guarded(DIFF_CASE, f"≤ {DIFF_TARGET_MS:.0f} ms", _diff),
        *guarded(OPEN_CASE, f"≤ {OPEN_TARGET:.2f}×", _open),
        *guarded(STORE_CASE, f"< {STORE_TARGET_MB:.0f} MB", _store),
    ]
