"""Unit tests of selecting words (:mod:`termbrief.ui.services.selection`), of colouring them in a
rendered item (:mod:`termbrief.ui.render.spans`) and of find stepping from the cursor's item
(:meth:`termbrief.core.search.Matches.nearest`) for items inside a section."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.text import Text

from termbrief.core.anchors import Anchor
from termbrief.core.loader import load_brief
from termbrief.core.search import find_matches
from termbrief.ui.render.markdown import render_markdown
from termbrief.ui.render.spans import Span, mark_spans
from termbrief.ui.services.selection import Selection, match_place
from ui_fixtures import ALPHA

TEXT = "Prices rose. Wages did not (yet). Talks resume on Monday"


def test_words_grow_and_shrink_at_the_end() -> None:
    first = Selection.first_word("summary/1", TEXT)
    assert first is not None and first.words == "Prices"
    assert first.grow_word().words == "Prices rose."
    assert first.grow_word().grow_word().shrink_word().words == "Prices rose."
    assert first.shrink_word() == first  # one word stays
    last = Selection.around("summary/1", TEXT, TEXT.index("Monday"), len(TEXT))
    assert last is not None and last.grow_word() == last  # nothing after the last word


def test_sentences_grow_and_shrink_at_the_end() -> None:
    first = Selection.first_word("summary/1", TEXT)
    assert first is not None
    one = first.grow_sentence()
    assert one.words == "Prices rose."
    two = one.grow_sentence()
    assert two.words == "Prices rose. Wages did not (yet)."
    assert two.grow_sentence().words == TEXT  # the last sentence has no full stop
    assert two.shrink_sentence() == one
    assert one.shrink_sentence().words == "Prices"  # a sentence's first word stays


def test_around_trims_blanks_and_refuses_no_words() -> None:
    around = Selection.around("timeline/1", "  a b  ", 0, 7)
    assert around is not None and (around.start, around.end) == (2, 5)
    assert Selection.around("timeline/1", "  a b  ", 0, 2) is None
    assert Selection.first_word("timeline/1", "   ") is None


def test_a_find_match_maps_to_the_words_of_its_item() -> None:
    brief = load_brief(ALPHA)
    [match] = find_matches(brief, "pilot would")
    place = match_place(brief, match)
    assert place is not None and place.anchor == "summary/3"
    text = Anchor.parse("summary/3").content(brief)
    assert text is not None and text[place.start : place.end] == "pilot would"
    [point] = find_matches(brief, "new inspectors will")
    found = match_place(brief, point)
    assert found is not None and found.anchor == "key_points/2"


def test_find_steps_from_the_key_point_or_summary_block_under_the_cursor() -> None:
    brief = load_brief(ALPHA)
    matches = find_matches(brief, "the")
    anchors = [m.segment.item or m.segment.anchor for m in matches]
    after = matches.nearest("key_points/3", "summary", forward=True)
    assert anchors[after] == "key_points/3"
    before = matches.nearest("key_points/3", "summary", forward=False)
    assert anchors[before] == "key_points/2" or anchors[before].startswith("summary")
    assert anchors[before] != "key_points/3"
    third = matches.nearest("summary/2", "summary", forward=True)
    shown = Anchor.parse("summary/2").content(brief)
    assert shown is not None
    assert matches[third].start >= matches[0].segment.text.index(shown)


STYLES = {
    "selection": Style(bgcolor="green"),
    "highlight": Style(bgcolor="red"),
    "note": Style(bgcolor="blue", underline=True),
}


def coloured(renderable: RenderableType, kind: str) -> list[str]:
    """The runs of characters ``renderable`` draws with the background of ``kind``."""
    console = Console(width=60, color_system="truecolor", file=io.StringIO())
    background = STYLES[kind].bgcolor
    runs, current = [], ""
    for segment in console.render(renderable):
        if segment.style is not None and segment.style.bgcolor == background:
            current += segment.text
        elif current:
            runs.append(current)
            current = ""
    return runs


def test_spans_colour_a_copy_of_each_piece_at_the_right_offsets() -> None:
    source = "Intro words here.\n\n- first item\n- second item"
    [_, listing] = render_markdown(source)
    item_text = "first item\nsecond item"
    at = item_text.index("second")
    marked = mark_spans(listing.renderable, item_text, [Span(at, at + 6, "highlight")], STYLES)
    assert coloured(marked, "highlight") == ["second"]
    assert coloured(listing.renderable, "highlight") == []  # the original is untouched


def test_the_selection_is_drawn_over_saved_spans_and_bullets_stay_plain() -> None:
    bullet = Text.assemble(("• ", "dim"), "A point here.")
    spans = [Span(0, 12, "selection"), Span(2, 7, "note")]
    marked = mark_spans(Group(bullet), "A point here.", spans, STYLES)
    assert coloured(marked, "selection") == ["A point here"]
    assert coloured(mark_spans(bullet, "A point here.", spans[1:], STYLES), "note") == ["point"]
    # A piece that is not the item's text (a date, a byline) stays as it was.
    date = Text("2024-05-02")
    assert mark_spans(date, "An event.", [Span(0, 2, "note")], STYLES) is date
    assert coloured(mark_spans(date, "An event.", [Span(0, 2, "note")], STYLES), "note") == []
