"""Anchors (core.anchors): parse and format, labels, the text of each place, and the status of
notes written through the store's anchor-string API (core.annotation)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termbrief.core.anchors import Anchor, labelled_anchors, make_quote
from termbrief.core.annotation import Note
from termbrief.core.loader import load_brief, load_brief_text
from termbrief.core.model import Brief
from termbrief.core.sections import SECTIONS
from termbrief.store.notes import NotesStore

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
    return Note("n", brief.id, anchor, "text", Anchor.parse(anchor).quote(brief), now, now)


def status(brief: Brief, anchor: str) -> str:
    return note_on(brief, anchor).status(brief)


# --------------------------------------------------------------------------- parse and format


def test_parse_accepts_sections_and_items() -> None:
    assert Anchor.parse("summary") == Anchor("summary")
    assert Anchor.parse("summary").item is None
    assert Anchor.parse("figures/treaties") == Anchor("figures", "treaties")
    assert Anchor.parse("timeline/2") == Anchor("timeline", "2")
    assert Anchor.parse("timeline/2").event_index == 1
    # Blocks of the summary, key points and sources are named by position, like events.
    assert Anchor.parse("summary/3") == Anchor.numbered("summary", 2)
    assert Anchor.parse("key_points/1").index == 0
    assert Anchor.parse("sources/2") == Anchor("sources", "2")
    assert Anchor.parse("commentary/view/2") == Anchor.commentary("view", 1)
    assert Anchor.parse("commentary/view/2").entry == Anchor.commentary("view")
    bad_anchors = ["", "summary/x", "figures/", "figures/Bad Id", "timeline/0", "timeline/x"]
    bad_anchors += ["timeline/²", "key_points/0", "sources/x", "nowhere", "actors/a/b"]
    bad_anchors += ["commentary/view/0", "commentary/view/x", "timeline/1/2", "commentary/a/1/2"]
    bad_anchors += ["commentary/view/01", "summary/1/1", "figures/a/1"]
    # Only canonical strings parse, so that formatting gives back what was stored.
    bad_anchors += ["timeline/01", "timeline/+1", "figures/abc\n", "Figures/x", "summary/"]
    for bad in bad_anchors:
        assert not Anchor.is_valid(bad), bad
        with pytest.raises(ValueError, match="is not a valid anchor"):
            Anchor.parse(bad)


def test_an_anchor_cannot_be_built_invalid() -> None:
    with pytest.raises(ValueError):
        Anchor("nowhere")
    with pytest.raises(ValueError):
        Anchor("sources", "one")
    with pytest.raises(ValueError):
        Anchor("figures", "x", 1)  # only commentary entries have blocks
    with pytest.raises(ValueError):
        Anchor("commentary", None, 1)
    with pytest.raises(ValueError):
        Anchor.event(-1)


def test_an_invalid_anchor_message_shows_control_characters_as_escapes() -> None:
    with pytest.raises(ValueError) as raised:
        Anchor.parse("\x1b]0;owned\x07")
    assert "\x1b" not in str(raised.value) and "\\x1b" in str(raised.value)


def test_constructors_give_the_stored_strings() -> None:
    assert str(Anchor("summary")) == "summary"
    assert str(Anchor.figure("treaties")) == "figures/treaties"
    assert str(Anchor.actor("wang-xiaohong")) == "actors/wang-xiaohong"
    assert str(Anchor.commentary("c2")) == "commentary/c2"
    assert str(Anchor.event(0)) == "timeline/1"  # timeline anchors count from 1
    assert str(Anchor.numbered("summary", 0)) == "summary/1"
    assert str(Anchor.commentary("c2", 0)) == "commentary/c2/1"
    # An item the author gave `id: ""` can only be noted as part of its section.
    assert Anchor.figure("") == Anchor("figures")


def test_pane_and_section_of_an_anchor() -> None:
    assert Anchor("key_points").pane == "summary"  # key points live in the summary pane
    assert Anchor.figure("treaties").pane == "figures"
    assert Anchor.figure("treaties").whole_section == Anchor("figures")
    assert Anchor.event(2).of_section.title == "Timeline"


ANCHOR_STRINGS = st.one_of(
    st.sampled_from([s.key for s in SECTIONS]),
    st.builds(
        lambda section, words: f"{section}/{'-'.join(words)}",
        st.sampled_from(["figures", "actors", "commentary"]),
        st.lists(st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True), min_size=1, max_size=4),
    ),
    st.builds(
        lambda section, n: f"{section}/{n}",
        st.sampled_from(["summary", "key_points", "timeline", "sources"]),
        st.integers(min_value=1, max_value=10**6),
    ),
    st.integers(min_value=1, max_value=10**6).map(lambda n: f"commentary/view-1/{n}"),
)


@given(ANCHOR_STRINGS)
def test_every_valid_anchor_formats_back_to_the_same_string(text: str) -> None:
    assert str(Anchor.parse(text)) == text


NEAR_ANCHORS = st.from_regex(
    r"(summary|key_points|figures|actors|commentary|timeline|sources|Figures)"
    r"(/[-0-9a-z_+ ²]{0,5}){0,2}\n?",
    fullmatch=True,
)


@given(NEAR_ANCHORS)
def test_whatever_parses_is_canonical_and_formats_back_to_the_same_string(text: str) -> None:
    if not Anchor.is_valid(text):
        return
    anchor = Anchor.parse(text)
    assert str(anchor) == text
    # One string per place: no stray blanks in an id, no leading zeros in an event number.
    assert anchor.item is None or anchor.item == anchor.item.strip()
    if anchor.event_index is not None:
        assert Anchor.event(anchor.event_index) == anchor


# --------------------------------------------------------------------------- against a brief


def test_labelled_anchors_list_everything_in_reading_order(brief: Brief) -> None:
    anchors = [str(anchor) for anchor, _ in labelled_anchors(brief)]
    assert anchors == [
        "summary",
        "summary/1",
        "key_points",
        "key_points/1",
        "key_points/2",
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
        "sources/1",
    ]
    labels = {str(anchor): label for anchor, label in labelled_anchors(brief)}
    assert labels["figures/foreign-officers-china-plans-to-train"] == (
        "Figure: Foreign officers China plans to train"
    )
    assert labels["actors/wang-xiaohong"] == "Actor: Wang Xiaohong"
    assert labels["commentary/c2"] == "Commentary: Anonymous"
    assert labels["timeline/2"] == "Timeline: 2024-09: The Lianyungang forum."
    assert labels["key_points"] == "Key points"
    assert labels["key_points/2"] == "Key point: Second point."
    assert labels["sources/1"] == "Source: China's police diplomacy"
    assert labels["summary/1"].startswith("Summary: The summary, in")  # rendered: no **
    assert labels["figures"] == "Key figures"  # the section's one name, as its pane says
    # Listing and labelling one anchor agree.
    for anchor, label in labelled_anchors(brief):
        assert anchor.label(brief) == label


def test_labels_of_missing_items_say_so(brief: Brief) -> None:
    assert Anchor.actor("nobody").label(brief) == "Actor: nobody (no longer in the brief)"
    assert Anchor.parse("timeline/9").label(brief) == "Timeline: 9 (no longer in the brief)"
    assert Anchor.commentary("c2", 4).label(brief) == ("Commentary: c2/5 (no longer in the brief)")


def test_content(brief: Brief) -> None:
    assert Anchor.figure("foreign-officers-china-plans-to-train").content(brief) == (
        "Foreign officers China plans to train: nearly 5,000 officers (next five years)"
    )
    assert Anchor.actor("wang-xiaohong").content(brief) == (
        "Wang Xiaohong — Minister of Public Security"
    )
    # An event's text is what it says; its date is in its label.
    assert Anchor.event(0).content(brief) == "FOCAC summit opens in Beijing."
    assert Anchor("key_points").content(brief) == "First point.\n\nSecond point."
    assert Anchor.numbered("key_points", 1).content(brief) == "Second point."
    assert Anchor("sources").content(brief) == "China's police diplomacy"
    assert Anchor.numbered("sources", 0).content(brief) == "China's police diplomacy"
    # The text the reader sees: Markdown rendered, no markup.
    summary = Anchor.numbered("summary", 0).content(brief)
    assert summary is not None and " ".join(summary.split()) == "The summary, in two lines."
    assert Anchor.commentary("c2").content(brief) == "Without a heading."
    # A quote to show names the entry's author and heading too.
    assert Anchor.commentary("norms-not-only-capacity").quote(brief) == (
        "Devendra Kumar: Norms, not only capacity. China spreads its security norms."
    )
    assert Anchor.commentary("c2", 0).content(brief) == "Without a heading."
    assert Anchor.figure("gone").content(brief) is None
    assert Anchor.event(2).content(brief) is None
    assert Anchor.numbered("summary", 1).content(brief) is None
    assert Anchor.commentary("c2", 1).content(brief) is None


def test_make_quote_collapses_whitespace_and_cuts_at_a_word() -> None:
    assert make_quote("  a\n\n b\tc ") == "a b c"
    long = "word " * 100
    quote = make_quote(long, 40)
    assert len(quote) <= 40
    assert quote.endswith("word…")
    assert make_quote("x\x1b[31my") == "x[31my"


def test_status_of_notes_by_anchor_string_after_the_brief_is_edited(brief: Brief) -> None:
    # Notes saved with an anchor's stored form and its one-line quote (the store's string API,
    # and every note written before selectors) are found by that quote.
    notes = {str(anchor): note_on(brief, str(anchor)) for anchor, _ in labelled_anchors(brief)}
    assert {note.status(brief) for note in notes.values()} == {"attached"}

    edited = brief_from(
        BRIEF.replace("value: 5000", "value: 3000")  # the figure changed
        .replace("  - name: FOCAC\n    kind: forum\n", "")  # an actor deleted
        .replace("id: treaties", "id: extradition-treaties")  # an id renamed
    )
    assert notes["figures/foreign-officers-china-plans-to-train"].status(edited) == "changed"
    assert notes["actors/focac"].status(edited) == "orphaned"
    # An item named by its id is found by that id: renamed, it is gone (the note can be
    # re-attached); items named by position are found by their words (test_reanchor.py).
    assert notes["figures/treaties"].status(edited) == "orphaned"
    assert notes["actors/wang-xiaohong"].status(edited) == "attached"
    assert notes["summary"].status(edited) == "attached"
    assert notes["figures"].status(edited) == "attached"  # a section is always there
    assert status(edited, "timeline/1") == "attached"


def test_status_from_files_edited_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "test-brief.yaml"
    path.write_text(BRIEF, encoding="utf-8")
    focac, first_event = Anchor.actor("focac"), Anchor.event(0)
    with NotesStore.open(tmp_path / "data") as store:
        first = load_brief(path)
        kept = store.add(first.id, str(focac), "who?", focac.quote(first))
        changed = store.add(first.id, str(first_event), "when?", first_event.quote(first))
        path.write_text(
            BRIEF.replace("FOCAC summit opens", "The FOCAC summit opens").replace(
                "name: FOCAC", "name: Forum on China-Africa Cooperation"
            ),
            encoding="utf-8",
        )
        second = load_brief(path)
        statuses = {n.id: n.status(second) for n in store.notes_for(second.id)}
    assert statuses == {kept.id: "orphaned", changed.id: "changed"}


def test_a_note_without_a_quote_is_attached_while_its_anchor_exists(brief: Brief) -> None:
    now = datetime.now(UTC)
    assert Note("n", brief.id, "summary", "t", "", now, now).status(brief) == "attached"
    assert Note("n", brief.id, "actors/x", "t", "", now, now).status(brief) == "orphaned"


def test_a_note_whose_stored_anchor_is_not_one(brief: Brief) -> None:
    now = datetime.now(UTC)
    tampered = Note("n", brief.id, "nowhere/at all", "t", "q", now, now)
    assert tampered.target is None
    assert tampered.status(brief) == "orphaned"
    assert tampered.label(brief) == "nowhere/at all"
    assert Note("n", brief.id, "figures/treaties", "t", "", now, now).place == (
        Anchor.figure("treaties")
    )
