"""Case 7: notes at scale. 100,000 notes over 1,000 briefs; open a brief's notes, save one;
re-anchor 1,000 notes on a brief whose every paragraph changed; save a draft.

The notes are generated from a fixed seed into a fresh temporary data folder (never committed)
and loaded with ``NotesStore.import_notes`` (one transaction). Then, in-process, medians of:

- **open a brief's notes**: what the reader does when a brief is opened or its notes panel is
  shown: ``counts_by_anchor`` (pane titles and item markers), ``notes_for``, then re-anchoring
  every note against the brief (``reanchor``) and labelling where each is (about 100 notes per
  brief, on whole items and on words);
- **save one note**: ``NotesStore.add``, a durable commit (WAL, ``synchronous=FULL``: the WAL is
  fsynced before ``add`` returns);
- **re-anchor 1,000 notes**: a brief of 200 summary paragraphs, 100 key points, 100 events,
  50 sources and 20 commentary entries of 5 paragraphs, 1,000 notes on whole items and on spans
  of words, then one word changed in every paragraph, item, event and source: ``reanchor`` of all
  of them on a freshly loaded copy (its texts and the Markdown cache built inside the timing).

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

from termbrief.core.anchors import Anchor, labelled_anchors, shown_blocks
from termbrief.core.annotation import Note, Target, reanchor
from termbrief.core.model import Brief, decode_hook
from termbrief.store.drafts import DraftKey
from termbrief.store.notes import NotesStore

SEED = 20240910
BRIEFS = 1_000
NOTES = 100_000
OPEN_TARGET_MS = 20.0
SAVE_TARGET_MS = 10.0
DRAFT_TARGET_MS = 10.0
REANCHOR_TARGET_MS = 200.0
REANCHOR_NOTES = 1_000

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


def _target(brief: Brief, anchor: Anchor, rng: random.Random) -> Target:
    """A note on the whole of ``anchor``, or (one in two) on a few of its words."""
    text = anchor.content(brief) or ""
    words = text.split(" ")
    if anchor.item is None or len(words) < 4 or rng.random() < 0.5:
        return Target.of(brief, anchor)
    first = rng.randrange(len(words) - 2)
    last = min(len(words), first + rng.randint(2, 6))
    start = len(" ".join(words[:first])) + (1 if first else 0)
    return Target.of(brief, anchor, start, start + len(" ".join(words[first:last])))


def _note(note_id: str, brief_id: str, target: Target, text: str, created: datetime) -> Note:
    return Note(note_id, brief_id, str(target.anchor), text, target.exact, created, created,
                target.prefix, target.suffix, target.start)  # fmt: skip


def generate_notes(briefs: list[Brief], rng: random.Random) -> list[Note]:
    """``NOTES`` notes spread over ``briefs``, on whole items and on words; one in twenty is
    orphaned, one in ten changed."""
    anchors = {brief.id: [anchor for anchor, _ in labelled_anchors(brief)] for brief in briefs}
    start = datetime(2024, 1, 1, tzinfo=UTC)
    notes: list[Note] = []
    for n in range(NOTES):
        brief = briefs[rng.randrange(len(briefs))]
        target = _target(brief, rng.choice(anchors[brief.id]), rng)
        roll = rng.random()
        if roll < 0.05:
            target = Target(Anchor("actors", f"gone-{n}"), "Gone Person", start=0)
        elif roll < 0.15 and target.anchor.item is not None:
            target = Target(target.anchor, "An older version of the text.", start=0)
        text = " ".join(rng.choices(_WORDS, k=rng.randint(5, 60)))
        created = start + timedelta(seconds=rng.randrange(30_000_000))
        note_id = f"{n:08x}{rng.getrandbits(64):016x}"
        notes.append(_note(note_id, brief.id, target, text, created))
    return notes


def open_brief_notes(store: NotesStore, brief: Brief) -> int:
    """What the reader does to show a brief's notes; returns how many notes it saw."""
    store.counts_by_anchor(brief.id)
    notes = store.notes_for(brief.id)
    for note, placed in zip(notes, reanchor(brief, notes), strict=True):
        placed.label(brief, note)
    return len(notes)


# --------------------------------------------------------------------------- re-anchoring


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(_WORDS, k=words)).capitalize() + "."


def big_brief_data(rng: random.Random) -> dict[str, Any]:
    """A long brief: 200 summary paragraphs, 100 key points and events, 50 sources, 20
    commentary entries of 5 paragraphs each."""
    paragraphs = [
        " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(3)) for _ in range(200)
    ]
    return {
        "id": "long-brief",
        "title": "A long brief",
        "summary": "\n\n".join(paragraphs),
        "key_points": [_sentence(rng, rng.randint(6, 14)) for _ in range(100)],
        "commentary": [
            {
                "id": f"view-{k}",
                "author": f"Analyst {k}",
                "body": "\n\n".join(_sentence(rng, rng.randint(15, 30)) for _ in range(5)),
            }
            for k in range(20)
        ],
        "timeline": [
            {
                "date": f"{2000 + k // 12}-{k % 12 + 1:02d}",
                "event": _sentence(rng, rng.randint(6, 14)),
            }
            for k in range(100)
        ],
        "sources": [{"title": _sentence(rng, rng.randint(4, 8))} for _ in range(50)],
    }


def _one_word_changed(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    at = rng.randrange(len(words))
    words[at] = "CHANGED" + words[at]
    return " ".join(words)


def edited_everywhere(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """``data`` with one word changed in every paragraph, key point, event and source."""
    edited = dict(data)
    edited["summary"] = "\n\n".join(
        _one_word_changed(p, rng) for p in data["summary"].split("\n\n")
    )
    edited["key_points"] = [_one_word_changed(p, rng) for p in data["key_points"]]
    edited["commentary"] = [
        dict(
            entry, body="\n\n".join(_one_word_changed(p, rng) for p in entry["body"].split("\n\n"))
        )
        for entry in data["commentary"]
    ]
    edited["timeline"] = [
        dict(e, event=_one_word_changed(e["event"], rng)) for e in data["timeline"]
    ]
    edited["sources"] = [dict(s, title=_one_word_changed(s["title"], rng)) for s in data["sources"]]
    return edited


def measure_reanchoring(rng: random.Random, repetitions: int) -> dict[str, Any]:
    """Time re-anchoring ``REANCHOR_NOTES`` notes on a brief whose every paragraph changed."""
    data = big_brief_data(rng)
    brief = msgspec.convert(data, Brief, dec_hook=decode_hook)
    places = [anchor for anchor, _ in labelled_anchors(brief) if anchor.item is not None]
    created = datetime(2024, 1, 1, tzinfo=UTC)
    notes = [
        _note(f"note-{n}", brief.id, _target(brief, rng.choice(places), rng), "text", created)
        for n in range(REANCHOR_NOTES)
    ]
    edited = edited_everywhere(data, rng)
    times: list[float] = []
    statuses: dict[str, int] = {}
    for _ in range(repetitions):
        shown_blocks.cache_clear()  # the edited brief is new to the reader: nothing cached
        fresh = msgspec.convert(edited, Brief, dec_hook=decode_hook)
        started = time.perf_counter()
        placements = reanchor(fresh, notes)
        times.append((time.perf_counter() - started) * 1000)
        statuses = {}
        for placed in placements:
            statuses[placed.status] = statuses.get(placed.status, 0) + 1
    return {"reanchor_ms": times, "statuses": statuses}


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
            target = Target.of(brief, Anchor.figure("figure-3"))
            store.add(brief.id, target, f"Saved note {k}")
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
    reanchoring = measure_reanchoring(rng, 5 if _quick() else 21)
    return {
        **reanchoring,
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
    """The two case-7 rows for the benchmark table."""
    return rows(measure())


def rows(result: dict[str, Any]) -> list[dict[str, object]]:
    """Table rows from :func:`measure`'s figures."""
    open_ms = statistics.median(result["open_ms"])
    save_ms = statistics.median(result["save_ms"])
    draft_ms = statistics.median(result["draft_ms"])
    reanchor_ms = statistics.median(result["reanchor_ms"])
    changed = result["statuses"].get("changed", 0)
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
        {
            "case": "7. Notes at scale: re-anchor 1,000 notes, every paragraph changed",
            "figure": f"{reanchor_ms:.0f} ms (median; {changed} of {REANCHOR_NOTES} changed)",
            "target": f"<= {REANCHOR_TARGET_MS:.0f} ms",
            "ok": reanchor_ms <= REANCHOR_TARGET_MS,
        },
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    figures = measure()
    print(f"re-anchoring states: {figures['statuses']}")
    for name in ("open_ms", "save_ms", "draft_ms", "reanchor_ms"):
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
