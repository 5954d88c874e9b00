"""Re-anchoring (core.annotation, core.quote_match): notes on paragraphs, key points, events,
sources and spans of words are found again by their words when the brief changes, in one of
four states: attached, moved, changed since noted (old and new words), orphaned."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from termbrief.core.anchors import Anchor, labelled_anchors
from termbrief.core.annotation import Note, Placement, Target, reanchor
from termbrief.core.loader import load_brief_text
from termbrief.core.model import Brief
from termbrief.core.quote_match import Haystack, Quote, find_quote, snap_to_words

REPO = Path(__file__).resolve().parents[1]
SAMPLE = (REPO / "briefs" / "china-police-cooperation.yaml").read_text(encoding="utf-8")
NOW = datetime(2024, 9, 11, tzinfo=UTC)

# A paragraph of the sample brief's summary, and words in it (what a find match selects).
THIRD = (
    "  Beijing places this work under the **Global Security Initiative (GSI)**, one of three"
    " global\n"
)
WORDS = "launched by President Xi Jinping"
INSERTED = "  A new paragraph, written after the notes, about something else entirely.\n\n"


def load(text: str) -> Brief:
    return load_brief_text(text, "china-police-cooperation.yaml")


@pytest.fixture
def brief() -> Brief:
    return load(SAMPLE)


def note_on(target: Target, text: str = "a note", note_id: str = "n") -> Note:
    return Note(
        note_id,
        "china-police-cooperation",
        str(target.anchor),
        text,
        target.exact,
        NOW,
        NOW,
        target.prefix,
        target.suffix,
        target.start,
    )


def span(brief: Brief, anchor: Anchor, words: str) -> Target:
    """A target on ``words`` in ``anchor``'s text, as a highlight from a find match makes it."""
    text = anchor.content(brief)
    assert text is not None and words in text
    start = text.index(words)
    return Target.of(brief, anchor, start, start + len(words))


def placed(brief: Brief, target: Target) -> Placement:
    (placement,) = reanchor(brief, [note_on(target)])
    return placement


def third_paragraph(brief: Brief) -> Anchor:
    for anchor, _ in labelled_anchors(brief):
        text = anchor.content(brief) or ""
        if anchor.section == "summary" and anchor.item and text.startswith("Beijing places"):
            return anchor
    raise AssertionError("the sample brief's third paragraph moved")


# --------------------------------------------------------------------------- targets


def test_a_target_quotes_the_words_with_their_context_and_position(brief: Brief) -> None:
    paragraph = third_paragraph(brief)
    assert paragraph == Anchor("summary", "3")
    target = span(brief, paragraph, WORDS)
    text = paragraph.content(brief) or ""
    assert target.exact == WORDS
    assert target.start == text.index(WORDS) and target.end == target.start + len(WORDS)
    assert text[: target.start].endswith(target.prefix) and len(target.prefix) == 32
    assert text[target.end :].startswith(target.suffix) and 0 < len(target.suffix) <= 32
    assert target.is_span
    whole = Target.of(brief, paragraph)
    assert (whole.exact, whole.prefix, whole.suffix, whole.start) == (text, "", "", 0)
    assert not whole.is_span
    # Blanks at the edges of a selection are not words.
    start = text.index(WORDS)
    assert text[start - 1] == " "
    assert Target.of(brief, paragraph, start - 1, start + len(WORDS)).exact == WORDS
    assert "**" not in text  # the words as the reader sees them


def test_a_target_refuses_what_is_not_in_the_brief(brief: Brief) -> None:
    with pytest.raises(ValueError):
        Target.of(brief, Anchor.numbered("summary", 40))
    with pytest.raises(ValueError):
        Target.of(brief, Anchor.numbered("summary", 0), 10, 10)
    with pytest.raises(ValueError):
        Target.of(brief, Anchor.numbered("summary", 0), 0, 10_000)
    with pytest.raises(ValueError):
        Target.of(brief, Anchor("summary"), 0, 3)  # a section has no words of its own
    assert Target.of(brief, Anchor("summary")) == Target(Anchor("summary"))


def test_every_place_of_a_brief_is_attached_where_it_was_noted(brief: Brief) -> None:
    notes = [note_on(Target.of(brief, anchor)) for anchor, _ in labelled_anchors(brief)]
    placements = reanchor(brief, notes)
    assert {p.status for p in placements} == {"attached"}
    for note, placement in zip(notes, placements, strict=True):
        assert placement.anchor == note.place
        assert placement.old == placement.new == note.quote
        assert placement.target == note.target


# --------------------------------------------------------------------------- issue 12's cases


def test_a_highlight_survives_a_paragraph_inserted_before_it_as_moved(brief: Brief) -> None:
    highlight = span(brief, third_paragraph(brief), WORDS)
    whole = Target.of(brief, third_paragraph(brief))
    edited = load(SAMPLE.replace(THIRD, INSERTED + THIRD))

    moved = placed(edited, highlight)
    assert moved.status == "moved"
    assert moved.anchor == Anchor("summary", "4")
    text = moved.anchor.content(edited) or ""
    assert text[moved.start : moved.end] == WORDS == moved.new == moved.old
    assert moved.target is not None and moved.target.anchor == Anchor("summary", "4")
    assert placed(edited, whole).status == "moved"
    assert placed(edited, whole).anchor == Anchor("summary", "4")


def test_a_word_changed_inside_a_highlight_is_changed_with_old_and_new(brief: Brief) -> None:
    highlight = span(brief, third_paragraph(brief), WORDS)
    edited = load(SAMPLE.replace("launched by President Xi", "launched by Chairman Xi"))

    changed = placed(edited, highlight)
    assert changed.status == "changed"
    assert changed.anchor == third_paragraph(brief)
    assert changed.old == WORDS
    assert changed.new == "launched by Chairman Xi Jinping"
    text = changed.anchor.content(edited) or ""
    assert text[changed.start : changed.end] == changed.new
    # The whole paragraph, noted as a whole, changed too.
    whole = placed(edited, Target.of(brief, third_paragraph(brief)))
    assert whole.status == "changed" and "Chairman" in whole.new and "President" in whole.old


def test_a_highlight_whose_paragraph_is_deleted_is_orphaned(brief: Brief) -> None:
    paragraph = third_paragraph(brief)
    highlight = span(brief, paragraph, WORDS)
    whole = Target.of(brief, paragraph)
    source = SAMPLE[SAMPLE.index(THIRD) :]
    end = source.index("\n\n") + 2
    edited = load(SAMPLE.replace(source[:end], ""))
    assert "Beijing places" not in edited.summary

    for target in (highlight, whole):
        orphan = placed(edited, target)
        assert orphan.status == "orphaned"
        assert orphan.anchor is None and orphan.target is None
        assert orphan.old == target.exact and orphan.new == ""


def test_a_timeline_note_stays_on_its_event_after_an_earlier_event_is_inserted(
    brief: Brief,
) -> None:
    fourth = Anchor.event(3)
    event_text = fourth.content(brief)
    note = note_on(Target.of(brief, fourth))
    marker = "timeline:\n"
    edited = load(
        SAMPLE.replace(marker, marker + "  - date: 1999\n    event: An earlier event.\n", 1)
    )
    (placement,) = reanchor(edited, [note])
    assert placement.status == "moved"
    assert placement.anchor == Anchor.event(4)
    assert Anchor.event(4).content(edited) == event_text
    assert note.label(edited).startswith("Timeline: 2024-09")  # labelled where it is now


def test_key_points_and_sources_are_found_by_their_words(brief: Brief) -> None:
    second_point = Anchor.numbered("key_points", 1)
    point_note = note_on(Target.of(brief, second_point))
    source_note = note_on(Target.of(brief, Anchor.numbered("sources", 0)))
    points_at = SAMPLE.index("key_points:\n") + len("key_points:\n")
    edited_text = SAMPLE[:points_at] + "  - A point added first.\n" + SAMPLE[points_at:]
    edited_text = edited_text.replace(
        "sources:\n", "sources:\n  - title: A source added first\n", 1
    )
    edited = load(edited_text)
    point, source = reanchor(edited, [point_note, source_note])
    assert (point.status, point.anchor) == ("moved", Anchor.numbered("key_points", 2))
    assert (source.status, source.anchor) == ("moved", Anchor.numbered("sources", 1))


# --------------------------------------------------------------------------- the rules


def test_an_item_named_by_id_keeps_its_notes_while_it_exists(brief: Brief) -> None:
    figure = next(a for a, _ in labelled_anchors(brief) if a.section == "figures" and a.item)
    note = note_on(Target.of(brief, figure))
    figure_id = figure.item or ""
    value = brief.figure(figure_id)
    assert value is not None
    edited = load(SAMPLE.replace(f"label: {value.label}", "label: Something else altogether", 1))
    renamed = load(SAMPLE.replace(f"id: {figure_id}", "id: a-new-id", 1))
    (changed,) = reanchor(edited, [note])
    (gone,) = reanchor(renamed, [note])
    assert (changed.status, changed.anchor) == ("changed", figure)
    assert gone.status == "orphaned"  # a renamed id is a gone item: re-attach it


def test_a_span_found_again_in_its_own_paragraph_stays_attached(brief: Brief) -> None:
    paragraph = third_paragraph(brief)
    highlight = span(brief, paragraph, WORDS)
    edited = load(SAMPLE.replace("Beijing places this work", "Beijing, it says, places this work"))
    attached = placed(edited, highlight)
    assert (attached.status, attached.anchor, attached.new) == ("attached", paragraph, WORDS)
    assert attached.target is not None and attached.target.start != highlight.start
    # A common word noted alone goes nowhere else when its paragraph is gone.
    the = span(brief, paragraph, "global")
    source = SAMPLE[SAMPLE.index(THIRD) :]
    gone = load(SAMPLE.replace(source[: source.index("\n\n") + 2], ""))
    assert placed(gone, the).status == "orphaned"


def test_notes_in_a_commentary_entry_follow_its_blocks() -> None:
    text = """
id: views
title: Views
summary: One.
commentary:
  - id: view
    author: An Analyst
    body: |
      First block of the view.

      Second block, with **the words** that matter.
"""
    brief = load_brief_text(text, "views.yaml")
    second = Anchor.commentary("view", 1)
    assert (second.content(brief) or "").startswith("Second block, with the words")
    assert (second, "Commentary: An Analyst ¶2") in labelled_anchors(brief)
    highlight = span(brief, second, "the words")
    edited = load_brief_text(
        text.replace("      First block", "      A block put first.\n\n      First block"),
        "views.yaml",
    )
    moved = placed(edited, highlight)
    assert (moved.status, moved.anchor, moved.new) == (
        "moved",
        Anchor.commentary("view", 2),
        "the words",
    )


def test_a_note_on_a_whole_section_is_always_attached(brief: Brief) -> None:
    note = note_on(Target.of(brief, Anchor("timeline")))
    assert note.status(brief) == "attached"
    empty = load_brief_text("id: china-police-cooperation\ntitle: T\nsummary: S.\n", "x.yaml")
    assert not empty.timeline
    (placement,) = reanchor(empty, [note])
    assert (placement.status, placement.anchor) == ("attached", Anchor("timeline"))


def test_a_stored_anchor_that_is_not_one_is_orphaned(brief: Brief) -> None:
    tampered = Note("n", brief.id, "nowhere/at all", "t", "q", NOW, NOW)
    (placement,) = reanchor(brief, [tampered])
    assert placement.status == "orphaned" and placement.old == "q"
    assert tampered.label(brief) == "nowhere/at all"


# --------------------------------------------------------------------------- the matcher


def test_find_quote_prefers_the_hint_then_context_then_approximate_words() -> None:
    texts = Haystack(("alpha beta gamma", "delta alpha beta epsilon", "zeta eta"))
    at_hint = find_quote(texts, Quote("alpha beta", "", " gamma", 0), 0)
    assert at_hint is not None and (at_hint.index, at_hint.start, at_hint.exact) == (0, 0, True)
    # Gone from its text: found where its context is.
    moved = find_quote(texts, Quote("alpha beta", "delta ", " epsilon", 6), 2)
    assert moved is not None and (moved.index, moved.start) == (1, 6)
    # Changed: found approximately and widened to whole words.
    changed = find_quote(
        Haystack(("zeta alpha betta gamma",)), Quote("alpha beta", "zeta ", " gamma", 5), 0
    )
    assert changed is not None and not changed.exact
    assert (changed.start, changed.end) == (5, 16)
    assert find_quote(texts, Quote("nothing like it at all", "x", "y", 0), 0) is None
    assert find_quote(texts, Quote(""), 0) is None


def test_snap_to_words_widens_a_cut_word_and_trims_blanks() -> None:
    assert snap_to_words("one two three", 5, 9) == (4, 13)
    assert snap_to_words("one two three", 3, 8) == (4, 7)


def test_a_short_span_whose_word_grew_is_found_with_its_context() -> None:
    text = "Treaty analysis africa plan police year extradition pacific plan norms."
    start = text.index("plan police")
    quote = Quote("plan police", text[start - 16 : start], text[start + 11 : start + 27], start)
    edited = text.replace("plan police", "plan international police")
    found = find_quote(Haystack((edited, "Another plan police text, elsewhere.")), quote, 0)
    assert found is not None and (found.index, found.exact) == (0, False)
    assert edited[found.start : found.end] == "plan international police"
