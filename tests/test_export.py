"""Export: the brief as Markdown with its notes, and notes as JSON (lossless, idempotent import)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from termbrief.core.anchors import Anchor, labelled_anchors
from termbrief.core.annotation import Target
from termbrief.core.loader import load_brief, load_brief_text
from termbrief.core.model import Brief
from termbrief.store.export import (
    brief_to_markdown,
    escape_markdown,
    notes_from_json,
    notes_to_json,
    notes_to_markdown,
)
from termbrief.store.notes import Note, NotesError, NotesStore

REPO = Path(__file__).resolve().parents[1]

BRIEF = """
id: export-test
title: Police *training* [abroad]
subtitle: A subtitle
date: 2024-09-10
tags: [policing, training]
regions: [Africa]
summary: |
  The **summary**.
key_points:
  - "1. not a list"
  - A <b>point</b>
figures:
  - id: officers
    label: Officers | trained
    value: 5000
    qualifier: nearly
    context: Context of the figure.
actors:
  - id: wang
    name: Wang Xiaohong
    kind: person
    role: Minister
commentary:
  - id: view
    author: Devendra Kumar
    heading: Norms
    body: China spreads *norms*.
timeline:
  - date: 2024-09-04
    event: Summit.
  - date: 2024-09-09
    event: Forum.
sources:
  - title: An article
    publisher: Deccan Herald
    url: https://example.org/a
"""


@pytest.fixture
def brief() -> Brief:
    return load_brief_text(BRIEF, "export-test.yaml")


T0 = datetime(2024, 9, 11, 8, 30, 15, 123456, tzinfo=UTC)


def make_note(brief: Brief, anchor: str, text: str, n: int = 0, quote: str | None = None) -> Note:
    created = T0 + timedelta(minutes=n)
    return Note(
        f"note-{n}",
        brief.id,
        anchor,
        text,
        Anchor.parse(anchor).quote(brief) if quote is None else quote,
        created,
        created,
    )


def test_markdown_has_every_section_and_places_notes_under_their_anchor(brief: Brief) -> None:
    notes = [
        make_note(brief, "summary", "On the summary", 0),
        make_note(brief, "figures/officers", "On the figure", 1),
        make_note(brief, "actors/wang", "On Wang", 2),
        make_note(brief, "commentary/view", "On the view", 3),
        make_note(brief, "timeline/2", "On the forum", 4),
        make_note(brief, "sources", "On the sources", 5),
        make_note(brief, "actors/gone", "On someone gone", 6, quote="Gone Person — Role"),
        make_note(brief, "timeline/1", "Changed", 7, quote="2024-09-04: An older text."),
    ]
    md = brief_to_markdown(brief, notes)
    order = [
        "# Police \\*training\\* \\[abroad\\]",
        "*A subtitle*",
        "**Date:** 2024-09-10",
        "## Summary",
        "The **summary**.",
        "On the summary",
        "## Key points",
        "- 1\\. not a list",
        "- A \\<b>point\\</b>",
        "## Key figures",
        "| Officers \\| trained | nearly 5,000 |",
        "**Officers | trained.** Context of the figure.",
        "On the figure",
        "## Actors",
        "### Wang Xiaohong",
        "On Wang",
        "## Commentary",
        "### Norms",
        "China spreads *norms*.",
        "On the view",
        "## Timeline",
        "- **2024-09-04** — Summit.",
        "*Changed since noted; it read:* “2024-09-04: An older text.”",
        "- **2024-09-09** — Forum.",
        "  > On the forum",
        "## Sources",
        "1. An article — Deccan Herald <https://example.org/a>",
        "On the sources",
        "## Orphaned notes",
        "### Actor: gone (no longer in the brief)",
        "It read: “Gone Person — Role”",
        "On someone gone",
    ]
    positions = [md.find(piece) for piece in order]
    assert -1 not in positions, [p for p, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    assert "(2024-09-11 08:30 UTC)" in md


def test_markdown_without_notes_has_no_note_sections(brief: Brief) -> None:
    md = brief_to_markdown(brief)
    assert "**Note**" not in md
    assert "Orphaned" not in md
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_notes_of_other_briefs_are_left_out(brief: Brief) -> None:
    other = Note("x", "another-brief", "summary", "elsewhere", "", T0, T0)
    assert "elsewhere" not in brief_to_markdown(brief, [other])


def test_every_sample_brief_exports(tmp_path: Path) -> None:
    paths = sorted((REPO / "briefs").glob("*.yaml"))
    assert paths
    for path in paths:
        brief = load_brief(path)
        md = brief_to_markdown(brief)
        assert md.startswith("# ")
        assert brief.summary.strip().splitlines()[0] in md


def test_escape_markdown_is_minimal() -> None:
    assert escape_markdown("snake_case and a-b, 5 * 3") == "snake_case and a-b, 5 \\* 3"
    assert escape_markdown("# not a heading") == "\\# not a heading"
    assert escape_markdown("_emph_") == "\\_emph\\_"
    assert escape_markdown("plain text.") == "plain text."


def test_json_round_trip_is_lossless(brief: Brief) -> None:
    notes = [
        make_note(brief, "summary", "Multi\nline *markdown*\n\twith tab", 0),
        make_note(brief, "timeline/2", "", 1),
        Note("other", "b", "actors/x", "é ✓ 中文", "", T0, T0 + timedelta(hours=3)),
    ]
    text = notes_to_json(notes)
    document = json.loads(text)
    assert document["termbrief_notes"] == 2
    assert len(document["notes"]) == 3
    assert notes_from_json(text) == notes


def test_json_keeps_times_in_utc() -> None:
    local = datetime(2024, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=5)))
    note = Note("n", "b", "summary", "t", "", local, local)
    (back,) = notes_from_json(notes_to_json([note]))
    assert back.created == local
    assert back.created.utcoffset() == timedelta(0)


def test_export_then_import_twice_is_idempotent(tmp_path: Path, brief: Brief) -> None:
    with NotesStore.open(tmp_path / "one") as source:
        for n, anchor in enumerate(("summary", "figures/officers", "timeline/1")):
            source.add(brief.id, anchor, f"note {n}", Anchor.parse(anchor).quote(brief))
        exported = notes_to_json(source.all_notes())
        original = source.all_notes()

    with NotesStore.open(tmp_path / "two") as target:
        assert target.import_notes(notes_from_json(exported)) == 3
        first = target.all_notes()
        assert target.import_notes(notes_from_json(exported)) == 0
        assert target.all_notes() == first == original
    # Importing into the store it came from changes nothing either.
    with NotesStore.open(tmp_path / "one") as source:
        assert source.import_notes(notes_from_json(exported)) == 0
        assert source.all_notes() == original


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "not a termbrief notes file"),
        ('{"notes": []}', "not a termbrief notes file"),
        ('{"termbrief_notes": 3, "notes": []}', "format 3 is not supported"),
        ('{"termbrief_notes": 1, "notes": [{"id": "x"}]}', "notes[0]"),
        (
            '{"termbrief_notes": 1, "notes": [{"id": "x", "brief_id": "b", "anchor": "summary",'
            ' "text": 5, "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z"}]}',
            "$.notes[0].text",
        ),
        (
            '{"termbrief_notes": 1, "notes": [{"id": "x", "brief_id": "b", "anchor": "summary",'
            ' "text": "t", "created": "2024-01-01T00:00:00", "updated": "2024-01-01T00:00:00Z"}]}',
            "$.notes[0].created",
        ),
        (
            '{"termbrief_notes": 1, "notes": [{"id": "x", "brief_id": "b", "anchor": "nowhere",'
            ' "text": "t", "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z"}]}',
            "$.notes[0].anchor",
        ),
        (
            '{"termbrief_notes": 1, "notes": [{"id": "x y", "brief_id": "b", "anchor": "summary",'
            ' "text": "t", "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z"}]}',
            "$.notes[0].id",
        ),
    ],
)
def test_invalid_documents_are_refused_with_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(NotesError) as caught:
        notes_from_json(text)
    assert message in str(caught.value)


def test_imported_text_loses_control_characters() -> None:
    document = {
        "termbrief_notes": 1,
        "notes": [
            {
                "id": "x",
                "brief_id": "b",
                "anchor": "summary",
                "text": "safe\u001b]0;title\u0007 \u009b2J text",
                "quote": "q\u0000",
                "created": "2024-01-01T00:00:00Z",
                "updated": "2024-01-01T00:00:00Z",
            }
        ],
    }
    (note,) = notes_from_json(json.dumps(document))
    assert note.text == "safe]0;title 2J text"
    assert note.quote == "q"


def test_notes_to_markdown_groups_by_brief_in_reading_order(brief: Brief) -> None:
    notes = [
        make_note(brief, "timeline/2", "late", 0),
        make_note(brief, "summary", "early", 1),
        make_note(brief, "actors/gone", "orphan", 2, quote="Gone"),
        Note("z", "unknown-brief", "summary", "lonely", "q", T0, T0),
    ]
    md = notes_to_markdown(notes, {brief.id: brief})
    assert md.index("## Police") < md.index("(brief not found)")
    assert md.index("early") < md.index("late") < md.index("orphan")
    assert "### Actor: gone (no longer in the brief) (orphaned)" in md
    assert "`unknown-brief`" in md and "lonely" in md
    assert notes_to_markdown([], {}).startswith("# termbrief notes\n\nNo notes.")


# --------------------------------------------------------------------------- words and highlights

PARAGRAPHS = """
id: paragraphs
title: Paragraphs
summary: |
  First paragraph, with **bold words** in it.

  Second paragraph, where *the words* are.

  Third paragraph.
key_points:
  - One point.
  - Two points here.
sources:
  - title: A source
  - title: Another source
"""


def on_words(brief: Brief, anchor: Anchor, words: str, text: str, n: int) -> Note:
    content = anchor.content(brief) or ""
    start = content.index(words)
    target = Target.of(brief, anchor, start, start + len(words))
    created = T0 + timedelta(minutes=n)
    return Note(f"w{n}", brief.id, str(target.anchor), text, target.exact, created, created,
                target.prefix, target.suffix, target.start)  # fmt: skip


def test_notes_go_under_their_paragraph_key_point_and_source_with_rendered_words() -> None:
    brief = load_brief_text(PARAGRAPHS, "paragraphs.yaml")
    notes = [
        on_words(brief, Anchor.numbered("summary", 1), "the words", "NOTE ON WORDS", 0),
        on_words(brief, Anchor.numbered("summary", 0), "bold words", "", 1),  # a highlight
        on_words(brief, Anchor.numbered("key_points", 1), "points here", "NOTE ON POINT", 2),
        on_words(brief, Anchor.numbered("sources", 1), "Another source", "NOTE ON SOURCE", 3),
    ]
    md = brief_to_markdown(brief, notes)
    order = [
        "First paragraph, with **bold words** in it.",
        "> **Highlight** (2024-09-11 08:31 UTC):",
        "> *On:* “bold words”",
        "Second paragraph, where *the words* are.",
        "> *On:* “the words”",
        "> NOTE ON WORDS",
        "Third paragraph.",
        "- Two points here.",
        "  > *On:* “points here”",
        "  > NOTE ON POINT",
        "2. Another source",
        "   > NOTE ON SOURCE",
    ]
    positions = [md.find(piece) for piece in order]
    assert -1 not in positions, [p for p, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    assert "“the words”" in md and "*the words*”" not in md  # the words as the reader saw them


def test_a_changed_note_shows_old_and_new_words_rendered() -> None:
    brief = load_brief_text(PARAGRAPHS, "paragraphs.yaml")
    words = on_words(brief, Anchor.numbered("summary", 1), "where the words are", "W", 0)
    # Written before selectors: its quote is a line of Markdown source.
    old = Note("old", brief.id, "summary/1", "OLD", "First paragraph, with **bold words**", T0, T0)
    edited = load_brief_text(PARAGRAPHS.replace("*the words*", "*the new words*"), "p.yaml")
    md = brief_to_markdown(edited, [words, old])
    assert "*Changed since noted; it read:* “where the words are”" in md
    assert "*Now:* “where the new words are”" in md
    listed = notes_to_markdown([words, old], {brief.id: edited})
    assert "(changed since noted)" in listed and "*Now:* “where the new words are”" in listed
    # An old quote of Markdown source is shown rendered: no raw **.
    assert "*On:* “First paragraph, with bold words”" in listed
    assert "*Changed since noted; it read:* “First paragraph, with bold words”" in md


def test_json_keeps_selectors_and_reads_version_1_documents() -> None:
    brief = load_brief_text(PARAGRAPHS, "paragraphs.yaml")
    note = on_words(brief, Anchor.numbered("summary", 1), "the words", "", 0)
    document = json.loads(notes_to_json([note]))
    (record,) = document["notes"]
    assert (record["prefix"], record["suffix"], record["start"]) == (
        note.prefix,
        note.suffix,
        note.start,
    )
    assert notes_from_json(json.dumps(document)) == [note]
    version_1 = {"termbrief_notes": 1, "notes": [dict(record, start=None)]}
    del version_1["notes"][0]["start"]
    (old,) = notes_from_json(json.dumps(version_1))
    assert old.start is None and old.quote == note.quote


def test_notes_on_the_blocks_of_a_hostile_brief_cannot_be_swallowed_or_forged() -> None:
    from test_export_hardening import HOSTILE, REAL_HEADINGS, flat, headings, note_blocks, parse

    brief = load_brief_text(HOSTILE, "hostile.yaml")
    places = [
        anchor
        for anchor, _ in labelled_anchors(brief)
        if anchor.item is not None and anchor.section in ("summary", "commentary", "timeline")
    ]
    places += [Anchor.commentary("view", n) for n in range(3)]
    assert Anchor.numbered("summary", 1) in places  # the unclosed fence is a block of its own
    notes = [
        Note(
            f"n{n}",
            brief.id,
            str(t.anchor),
            f"REAL NOTE {n}.",
            t.exact,
            T0,
            T0,
            t.prefix,
            t.suffix,
            t.start,
        )
        for n, t in enumerate(
            Target.of(brief, anchor) for anchor in places if anchor.content(brief)
        )
    ]
    markdown = brief_to_markdown(brief, notes)
    tokens = parse(markdown)
    assert headings(tokens) == REAL_HEADINGS
    blocks = note_blocks(tokens)
    assert len(blocks) == len(notes)
    for written in notes:
        assert sum(written.text in block for block in blocks) == 1, written.text
    for code in (t for t in flat(tokens) if t.type in ("fence", "code_block", "code_inline")):
        assert "REAL NOTE" not in code.content
