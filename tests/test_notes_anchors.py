"""Anchors, labels, quotes and the ok / changed / orphaned status of notes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from termbrief.core.loader import load_brief, load_brief_text
from termbrief.core.model import Brief
from termbrief.store.notes import (
    Note,
    NotesStore,
    anchor_content,
    anchor_label,
    anchors_of,
    is_valid_anchor,
    make_quote,
    note_status,
    parse_anchor,
    quote_for,
    timeline_anchor,
)

BRIEF = """
id: test-brief
title: A test brief
summary: |
  The **summary**, in
  two lines.
key_points:
  - First point.
  - Second point.
figures:
  - label: Foreign officers China plans to train
    value: 5000
    qualifier: nearly
    unit: officers
    period: next five years
  - id: treaties
    label: Extradition treaties
    value: 59
actors:
  - name: Wang Xiaohong
    kind: person
    role: Minister of Public Security
  - name: FOCAC
    kind: forum
commentary:
  - author: Devendra Kumar
    heading: Norms, not only capacity
    body: China spreads its security norms.
  - author: Anonymous
    body: Without a heading.
timeline:
  - date: 2024-09-04
    event: FOCAC summit opens in Beijing.
  - date: 2024-09
    event: The Lianyungang forum.
sources:
  - title: China's police diplomacy
    publisher: Deccan Herald
"""


def brief_from(text: str) -> Brief:
    return load_brief_text(text, "test.yaml", default_id="test-brief")


@pytest.fixture
def brief() -> Brief:
    return brief_from(BRIEF)


def note_on(brief: Brief, anchor: str) -> Note:
    now = datetime.now(UTC)
    return Note("n", brief.id, anchor, "text", quote_for(brief, anchor), now, now)


def test_parse_anchor_accepts_sections_and_items() -> None:
    assert parse_anchor("summary") == ("summary", None)
    assert parse_anchor("figures/treaties") == ("figures", "treaties")
    assert parse_anchor("timeline/2") == ("timeline", "2")
    bad_anchors = ["", "summary/x", "figures/", "figures/Bad Id", "timeline/0", "timeline/x"]
    bad_anchors += ["timeline/²", "key_points/1", "sources/1", "nowhere", "actors/a/b"]
    for bad in bad_anchors:
        assert not is_valid_anchor(bad), bad
        with pytest.raises(ValueError):
            parse_anchor(bad)


def test_timeline_anchor_counts_from_one() -> None:
    assert timeline_anchor(0) == "timeline/1"


def test_anchors_of_lists_everything_in_reading_order(brief: Brief) -> None:
    anchors = [anchor for anchor, _ in anchors_of(brief)]
    assert anchors == [
        "summary",
        "key_points",
        "figures",
        "figures/foreign-officers-china-plans-to-train",
        "figures/treaties",
        "actors",
        "actors/wang-xiaohong",
        "actors/focac",
        "commentary",
        "commentary/norms-not-only-capacity",
        "commentary/c2",
        "timeline",
        "timeline/1",
        "timeline/2",
        "sources",
    ]
    labels = dict(anchors_of(brief))
    assert labels["figures/foreign-officers-china-plans-to-train"] == (
        "Figure: Foreign officers China plans to train"
    )
    assert labels["actors/wang-xiaohong"] == "Actor: Wang Xiaohong"
    assert labels["commentary/c2"] == "Commentary: Anonymous"
    assert labels["timeline/2"] == "Timeline: 2024-09: The Lianyungang forum."
    assert labels["key_points"] == "Key points"


def test_labels_of_missing_items_say_so(brief: Brief) -> None:
    assert anchor_label(brief, "actors/nobody") == "Actor: nobody (no longer in the brief)"
    assert anchor_label(brief, "timeline/9") == "Timeline: 9 (no longer in the brief)"


def test_anchor_content(brief: Brief) -> None:
    assert anchor_content(brief, "figures/foreign-officers-china-plans-to-train") == (
        "Foreign officers China plans to train: nearly 5,000 officers (next five years)"
    )
    assert anchor_content(brief, "actors/wang-xiaohong") == (
        "Wang Xiaohong — Minister of Public Security"
    )
    assert anchor_content(brief, "timeline/1") == "2024-09-04: FOCAC summit opens in Beijing."
    assert anchor_content(brief, "key_points") == "First point.\nSecond point."
    assert anchor_content(brief, "sources") == "China's police diplomacy"
    assert anchor_content(brief, "figures/gone") is None
    assert anchor_content(brief, "timeline/3") is None
    assert anchor_content(brief, "bad anchor") is None


def test_make_quote_collapses_whitespace_and_cuts_at_a_word() -> None:
    assert make_quote("  a\n\n b\tc ") == "a b c"
    long = "word " * 100
    quote = make_quote(long, 40)
    assert len(quote) <= 40
    assert quote.endswith("word…")
    assert make_quote("x\x1b[31my") == "x[31my"


def test_status_ok_changed_orphaned_after_the_brief_is_edited(brief: Brief) -> None:
    notes = {anchor: note_on(brief, anchor) for anchor, _ in anchors_of(brief)}
    assert {note_status(brief, n) for n in notes.values()} == {"ok"}

    edited = brief_from(
        BRIEF.replace("value: 5000", "value: 3000")  # the figure changed
        .replace("  - name: FOCAC\n    kind: forum\n", "")  # an actor deleted
        .replace("id: treaties", "id: extradition-treaties")  # an id renamed
    )
    assert note_status(edited, notes["figures/foreign-officers-china-plans-to-train"]) == "changed"
    assert note_status(edited, notes["actors/focac"]) == "orphaned"
    assert note_status(edited, notes["figures/treaties"]) == "orphaned"
    assert note_status(edited, notes["actors/wang-xiaohong"]) == "ok"
    assert note_status(edited, notes["summary"]) == "ok"
    assert note_status(edited, notes["figures"]) == "changed"  # the section's content changed


def test_status_from_files_edited_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "test-brief.yaml"
    path.write_text(BRIEF, encoding="utf-8")
    with NotesStore.open(tmp_path / "data") as store:
        first = load_brief(path)
        kept = store.add(first.id, "actors/focac", "who?", quote_for(first, "actors/focac"))
        changed = store.add(first.id, "timeline/1", "when?", quote_for(first, "timeline/1"))
        path.write_text(
            BRIEF.replace("FOCAC summit opens", "The FOCAC summit opens").replace(
                "name: FOCAC", "name: Forum on China-Africa Cooperation"
            ),
            encoding="utf-8",
        )
        second = load_brief(path)
        statuses = {n.id: note_status(second, n) for n in store.notes_for(second.id)}
    assert statuses == {kept.id: "orphaned", changed.id: "changed"}


def test_a_note_without_a_quote_is_ok_while_its_anchor_exists(brief: Brief) -> None:
    now = datetime.now(UTC)
    assert note_status(brief, Note("n", brief.id, "summary", "t", "", now, now)) == "ok"
    assert note_status(brief, Note("n", brief.id, "actors/x", "t", "", now, now)) == "orphaned"
