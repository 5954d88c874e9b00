"""Case 7: notes at scale. 100,000 notes over 1,000 briefs; open their notes, save a note, a draft.

The notes are generated from a fixed seed into a fresh temporary data folder (never committed)
and loaded with ``NotesStore.import_notes`` (one transaction). Then, in-process, medians of:

- **open a brief's notes**: what the reader does when a brief is opened or its notes panel is
  shown: ``counts_by_anchor`` (pane titles and item markers), ``notes_for`` and, for each note,
  ``note_status`` and ``anchor_label`` against the brief (about 100 notes per brief);
- **save one note**: ``NotesStore.add``, a durable commit (WAL, ``synchronous=FULL``: the WAL is
  fsynced before ``add`` returns);
- **save a draft**: ``NotesStore.drafts.save``, what the note editor does after each pause in
  typing: the same durable commit, replacing the draft of one note with its text grown by a
  sentence.

Run alone: ``python bench/case_notes.py`` prints the rows and a few more figures.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

from termbrief.core.model import Brief, decode_hook
from termbrief.store.drafts import DraftKey
from termbrief.store.notes import (
    Note,
    NotesStore,
    anchor_label,
    anchors_of,
    note_status,
    quote_for,
)

SEED = 20240910
BRIEFS = 1_000
NOTES = 100_000
OPEN_TARGET_MS = 20.0
SAVE_TARGET_MS = 10.0
DRAFT_TARGET_MS = 10.0

_VOCABULARY = (
    "police training forum officers ministry security cooperation pledge treaty extradition "
    "africa pacific summit plan equipment surveillance norms doubt check source figure year "
    "consultants capacity law enforcement partner countries analysis concern influence"
)
_WORDS = _VOCABULARY.split()


def _quick() -> bool:
    try:
        from common import quick
    except ImportError:  # run from elsewhere than bench/run.py
        return False
    return bool(quick())


def _data_dir() -> Path:
    try:
        from common import fresh_dir
    except ImportError:
        return Path(tempfile.mkdtemp(prefix="termbrief-notes-bench-"))
    return Path(fresh_dir("notes-"))


def make_brief(number: int) -> Brief:
    """A synthetic brief with 10 figures, 20 actors, 5 commentary entries, 15 events."""
    data: dict[str, Any] = {
        "id": f"brief-{number:04d}",
        "title": f"Brief number {number}",
        "summary": f"Summary of brief {number}. " * 20,
        "key_points": [f"Point {k} of brief {number}." for k in range(5)],
        "figures": [
            {"id": f"figure-{k}", "label": f"Figure {k} of {number}", "value": k * 100}
            for k in range(10)
        ],
        "actors": [
            {"id": f"actor-{k}", "name": f"Actor {k}", "kind": "person", "role": "Minister"}
            for k in range(20)
        ],
        "commentary": [
            {"id": f"view-{k}", "author": f"Analyst {k}", "body": f"View {k} on {number}."}
            for k in range(5)
        ],
        "timeline": [{"date": f"2024-{k % 12 + 1:02d}", "event": f"Event {k}."} for k in range(15)],
        "sources": [{"title": f"Source {k}"} for k in range(3)],
    }
    return msgspec.convert(data, Brief, dec_hook=decode_hook)


def generate_notes(briefs: list[Brief], rng: random.Random) -> list[Note]:
    """``NOTES`` notes spread over ``briefs``; one in twenty is orphaned, one in ten changed."""
    anchors = {brief.id: [anchor for anchor, _ in anchors_of(brief)] for brief in briefs}
    start = datetime(2024, 1, 1, tzinfo=UTC)
    notes: list[Note] = []
    for n in range(NOTES):
        brief = briefs[rng.randrange(len(briefs))]
        anchor = rng.choice(anchors[brief.id])
        roll = rng.random()
        if roll < 0.05:
            anchor = f"actors/gone-{n}"
        quote = quote_for(brief, anchor) if roll >= 0.15 else "An older version of the text."
        text = " ".join(rng.choices(_WORDS, k=rng.randint(5, 60)))
        created = start + timedelta(seconds=rng.randrange(30_000_000))
        note_id = f"{n:08x}{rng.getrandbits(64):016x}"
        notes.append(Note(note_id, brief.id, anchor, text, quote, created, created))
    return notes


def open_brief_notes(store: NotesStore, brief: Brief) -> int:
    """What the reader does to show a brief's notes; returns how many notes it saw."""
    store.counts_by_anchor(brief.id)
    notes = store.notes_for(brief.id)
    for note in notes:
        note_status(brief, note)
        anchor_label(brief, note.anchor)
    return len(notes)


def measure() -> dict[str, Any]:
    """Build the fixture and time both operations; all times in milliseconds."""
    rng = random.Random(SEED)
    started = time.perf_counter()
    briefs = [make_brief(n) for n in range(BRIEFS)]
    notes = generate_notes(briefs, rng)
    generated = time.perf_counter() - started

    data_dir = _data_dir()
    with NotesStore.open(data_dir) as store:
        started = time.perf_counter()
        assert store.import_notes(notes) == NOTES
        loaded = time.perf_counter() - started

    repetitions = 30 if _quick() else 200
    with NotesStore.open(data_dir) as store:  # a fresh connection, like a new app run
        sample = rng.sample(briefs, repetitions)
        open_times, sizes = [], []
        for brief in sample:
            started = time.perf_counter()
            sizes.append(open_brief_notes(store, brief))
            open_times.append((time.perf_counter() - started) * 1000)
        save_times = []
        for k in range(repetitions):
            brief = sample[k]
            started = time.perf_counter()
            store.add(brief.id, "figures/figure-3", f"Saved note {k}", quote_for(brief, "summary"))
            save_times.append((time.perf_counter() - started) * 1000)
        draft_times = []
        key = DraftKey(sample[0].id, "figures/figure-3")
        text = ""
        for k in range(repetitions):
            text += f"Sentence {k} of a note being written, one pause in typing after another. "
            started = time.perf_counter()
            store.drafts.save(key, text)
            draft_times.append((time.perf_counter() - started) * 1000)
        draft = store.drafts.get(key)
        assert draft is not None and draft.text == text, "the draft was not saved"
        total = len(store.all_notes()) if not _quick() else NOTES + repetitions
    size = sum(p.stat().st_size for p in data_dir.glob("notes.sqlite3*"))
    return {
        "generated_s": generated,
        "loaded_s": loaded,
        "open_ms": open_times,
        "save_ms": save_times,
        "draft_ms": draft_times,
        "notes_per_brief": statistics.median(sizes),
        "total": total,
        "db_mb": size / 1e6,
        "data_dir": data_dir,
    }


def run() -> list[dict[str, object]]:
    """The case-7 rows for the benchmark table."""
    return rows(measure())


def rows(result: dict[str, Any]) -> list[dict[str, object]]:
    """Table rows from :func:`measure`'s figures."""
    open_ms = statistics.median(result["open_ms"])
    save_ms = statistics.median(result["save_ms"])
    draft_ms = statistics.median(result["draft_ms"])
    per_brief = result["notes_per_brief"]
    return [
        {
            "case": "7. Notes at scale: open a brief's notes",
            "figure": f"{open_ms:.1f} ms (median, {per_brief:.0f} notes of 100,000)",
            "target": f"<= {OPEN_TARGET_MS:.0f} ms",
            "ok": open_ms <= OPEN_TARGET_MS,
        },
        {
            "case": "7. Notes at scale: save one note",
            "figure": f"{save_ms:.1f} ms (median, fsynced)",
            "target": f"<= {SAVE_TARGET_MS:.0f} ms",
            "ok": save_ms <= SAVE_TARGET_MS,
        },
        {
            "case": "7. Notes at scale: save a draft",
            "figure": f"{draft_ms:.1f} ms (median, fsynced)",
            "target": f"<= {DRAFT_TARGET_MS:.0f} ms",
            "ok": draft_ms <= DRAFT_TARGET_MS,
        },
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    figures = measure()
    for name in ("open_ms", "save_ms", "draft_ms"):
        times = sorted(figures[name])
        p90 = times[int(len(times) * 0.9)]
        median = statistics.median(times)
        print(f"{name}: median {median:.2f}, p90 {p90:.2f}, max {times[-1]:.2f} (n={len(times)})")
    print(
        f"generated in {figures['generated_s']:.1f} s, imported in {figures['loaded_s']:.1f} s; "
        f"{figures['total']} notes, {figures['db_mb']:.0f} MB in {figures['data_dir']}"
    )
    for row in rows(figures):
        print(row)
