"""The text of an item as the reader sees it (termbrief.core.markdown_text.shown_text) and the
searches, snippets and quotes built on it: find in the brief, mentions, library search, quotes.

The parity tests at the end check the core's text against what the panes draw
(termbrief.ui.render.markdown) for every Markdown field of every bundled and test brief.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import msgspec
import pytest
from rich.console import Console

from termbrief.core.anchors import Anchor
from termbrief.core.library import Entry
from termbrief.core.library_index import LibraryIndex
from termbrief.core.loader import load_brief, load_brief_text
from termbrief.core.markdown_text import shown_text
from termbrief.core.model import Brief
from termbrief.core.search import (
    brief_segments,
    find_in_brief,
    find_mentions,
    highlight_spans,
)
from termbrief.core.snippets import clip, snippet
from termbrief.ui.render.markdown import block_at, render_markdown

REPO = Path(__file__).resolve().parents[1]
RED_SEA = REPO / "tests/data/reports/red-sea-shipping.yaml"

BRIEF = """
id: shown
title: What the reader sees
summary: |
  Since November 2023, attacks by the **Houthi movement** in
  Yemen have pushed carriers away. The **Panama Canal**, where water is short,
  cut crossings; see the [assessment](https://unctad.org/publication/x).

  - first item ends here
  - second item starts here

  > A quoted *view* that runs
  > over two lines.

  Call `route_planner()` for the ``code `span` `` example.
key_points:
  - Freight rates rose.
actors:
  - id: houthis
    name: Houthi movement
    kind: group
    aliases: [Ansar Allah]
commentary:
  - id: view
    author: An analyst
    body: |
      With **Pakistan** as his example, the [report](https://example.org/hidden-address)
      argues that Ansar
      Allah will not stop.
timeline:
  - date: 2024-01
    event: |
      Ansar
      Allah struck.
"""


@pytest.fixture
def brief() -> Brief:
    return load_brief_text(BRIEF)


def found(brief: Brief, query: str) -> list[tuple[str, str]]:
    return [
        (m.segment.anchor, m.segment.text[m.start : m.end]) for m in find_in_brief(brief, query)
    ]


# --------------------------------------------------------------------------- the text itself


def test_a_phrase_split_over_source_lines_reads_on_one_line() -> None:
    text = shown_text("attacks by the Houthi\nmovement in\n   Yemen have pushed").text
    assert text == "attacks by the Houthi movement in Yemen have pushed"
    text = shown_text("attacks by the **Houthi\nmovement** in\n   Yemen").text
    assert text == "attacks by the Houthi movement in Yemen"


def test_bold_and_emphasis_markers_are_gone() -> None:
    assert shown_text("The **Panama Canal**, where *water* is short").text == (
        "The Panama Canal, where water is short"
    )


def test_a_link_shows_its_text_without_its_address() -> None:
    text = shown_text("see the [assessment](https://unctad.org/publication/x) now").text
    assert text == "see the assessment now"
    assert "unctad" not in text


def test_list_items_are_pieces_drawn_apart() -> None:
    shown = shown_text("- first item\n- second **item**\n\n1. one\n2. two")
    assert shown.text == "first item\nsecond item\n\none\ntwo"
    assert [block.text for block in shown.blocks] == ["first item\nsecond item", "one\ntwo"]
    # Every line break between two items, and the blank line between the blocks, is a break.
    assert shown.breaks == (10, 22, 23, 27)


def test_block_quotes_show_their_text_without_the_marker() -> None:
    assert shown_text("> A quoted *view* that runs\n> over two lines.").text == (
        "A quoted view that runs over two lines."
    )


def test_code_spans_and_blocks_are_literal() -> None:
    assert shown_text("Call `route_planner()` or ``a `b` c``.").text == (
        "Call route_planner() or a `b` c."
    )
    assert shown_text("```\n**not bold**\n[x](y)\n```").text == "**not bold**\n[x](y)"


def test_images_tables_headings_and_html_read_as_drawn() -> None:
    assert shown_text("# A *heading*").text == "A heading"
    assert shown_text("![a map](map.png) here").text == "[image: a map] here"
    assert shown_text("| a | *b* |\n|---|---|\n| 1 | 2 |").text == "a │ b\n1 │ 2"
    assert shown_text("a <b>tag</b>").text == "a <b>tag</b>"


def test_hard_breaks_stay_inside_their_piece() -> None:
    shown = shown_text("one *line*  \nnext line")
    assert shown.text == "one line\nnext line" and shown.breaks == ()


def test_controls_and_reordering_characters_are_cleaned_as_drawn() -> None:
    assert shown_text("a\u202eb **c**").text == "a⟨U+202E⟩b c"


def test_block_at_maps_a_shown_offset_to_its_block() -> None:
    source = "A **first**\nparagraph.\n\n- a list\n- of two\n\nThe [last](https://x.y/z) one."
    shown = shown_text(source)
    assert [block.lines for block in shown.blocks] == [(0, 2), (3, 6), (6, 7)]
    last = shown.text.index("The last")
    assert shown.block_at(last) == 2
    assert shown.block_at(shown.text.index("of two")) == 1
    assert shown.block_at(0) == 0
    # The summary pane maps a match's offset the same way; a source offset would land on the
    # list (line 4 of the source), not on the last paragraph.
    assert block_at(render_markdown(source), source, last) == 2
    for index, start in enumerate(shown.starts):  # every block's first offset, and the gap
        assert shown.block_at(start) == block_at(render_markdown(source), source, start) == index
        if index:
            assert block_at(render_markdown(source), source, start - 1) == index - 1


# --------------------------------------------------------------------------- find in the brief


def test_find_matches_a_phrase_split_across_lines_and_bold(brief: Brief) -> None:
    assert found(brief, "Houthi movement in Yemen") == [("summary", "Houthi movement in Yemen")]
    assert found(brief, "Panama Canal, where") == [("summary", "Panama Canal, where")]
    # Blanks in the query match any blanks; lower case matches any case.
    assert found(brief, "houthi  movement in\tyemen") == [("summary", "Houthi movement in Yemen")]
    # A field shown literally keeps its line breaks, and a phrase still runs across them.
    assert found(brief, "ansar allah") == [
        ("actors/houthis", "Ansar Allah"),
        ("commentary/view", "Ansar Allah"),
        ("timeline/1", "Ansar\nAllah"),
    ]


def test_find_never_matches_a_hidden_link_address(brief: Brief) -> None:
    assert found(brief, "unctad.org") == []
    assert found(brief, "hidden-address") == []
    assert found(brief, "the report argues") == [("commentary/view", "the report argues")]


def test_find_does_not_run_across_list_items_or_blocks(brief: Brief) -> None:
    assert found(brief, "ends here") == [("summary", "ends here")]
    assert found(brief, "here second") == []
    assert found(brief, "two lines. Call") == []


def test_find_offsets_refer_to_the_shown_text(brief: Brief) -> None:
    (match,) = find_in_brief(brief, "quoted view")
    assert match.segment.text == shown_text(brief.summary).text
    assert match.segment.text[match.start : match.end] == "quoted view"
    assert shown_text(brief.summary).block_at(match.start) == 2


def test_smart_case_still_holds_on_the_shown_text(brief: Brief) -> None:
    assert found(brief, "panama canal") == [("summary", "Panama Canal")]
    assert found(brief, "Panama canal") == []


def test_highlight_spans_match_across_a_line_break_inside_one_piece() -> None:
    assert highlight_spans("one line\nnext line", "line next") == [(4, 13)]


def test_mentions_find_a_name_split_over_lines(brief: Brief) -> None:
    houthis = brief.actor("houthis")
    assert houthis is not None
    matches = {
        (m.segment.anchor, m.segment.text[m.start : m.end]) for m in find_mentions(brief, houthis)
    }
    assert matches == {
        ("summary", "Houthi movement"),
        ("commentary/view", "Ansar Allah"),
        ("timeline/1", "Ansar\nAllah"),
    }


def test_segments_of_markdown_fields_are_shown_text(brief: Brief) -> None:
    body = next(s for s in brief_segments(brief) if s.field == "body")
    assert body.text.startswith("With Pakistan as his example, the report argues")
    assert "**" not in body.text and "https://" not in body.text


# --------------------------------------------------------------------------- snippets and quotes


def test_snippet_is_one_line_of_shown_text_cut_between_words() -> None:
    words = " ".join(f"word{i}" for i in range(60))
    text = f"{words} the\nneedle here {words}"
    line, (start, end) = snippet(text, text.index("needle"), text.index("needle") + 6, width=60)
    assert line[start:end] == "needle"
    assert "\n" not in line and line.startswith("…") and line.endswith("…")
    assert re.fullmatch(r"…(word\d+ )+the needle here( word\d+)+…", line), line
    assert len(line) <= 62


def test_clip_cuts_between_words_at_both_ends() -> None:
    line = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    window = clip(line, line.index("eta theta"), line.index("eta theta") + 9, before=8, width=24)
    assert window.text == "…zeta eta theta iota…"
    kept = line[window.start : window.end]
    assert window.text[1:-1] == kept


def test_library_search_snippets_show_rendered_text() -> None:
    entry = Entry(Path("/library/shown.yaml"), load_brief_text(BRIEF))
    hit = LibraryIndex([entry]).search("pakistan")[0]
    assert hit.snippet.startswith("With Pakistan as his example, the report argues")
    start, end = hit.spans[0]
    assert hit.snippet[start:end] == "Pakistan"
    # The address of a link is not searched: only the shown source list has one.
    assert LibraryIndex([entry]).search("hidden address") == []


def test_library_search_notes_are_rendered_too() -> None:
    entry = Entry(Path("/library/shown.yaml"), load_brief_text(BRIEF))
    index = LibraryIndex(
        [entry], {"shown": [("summary", "Ask **Kiribati** [why](https://k.example)")]}
    )
    hit = index.search("kiribati")[0]
    assert hit.snippet == "Ask Kiribati why"


def test_quotes_show_rendered_text(brief: Brief) -> None:
    quote = Anchor.parse("commentary/view").quote(brief)
    assert quote.startswith("An analyst: With Pakistan as his example, the report argues")
    assert "**" not in quote and "example.org" not in quote
    summary = Anchor("summary").quote(brief)
    assert summary.startswith("Since November 2023, attacks by the Houthi movement in Yemen")
    assert len(summary) <= 160 and summary.endswith("…")


def test_a_quote_kept_before_rendering_still_reads_unchanged(brief: Brief) -> None:
    from datetime import UTC, datetime

    from termbrief.core.anchors import make_quote
    from termbrief.core.annotation import Note

    anchor = Anchor.parse("commentary/view")
    content = anchor.content(brief)
    assert content is not None
    moment = datetime(2024, 1, 1, tzinfo=UTC)

    def status(quote: str) -> str:
        note = Note("n1", brief.id, str(anchor), "text", quote, moment, moment)
        return note.status(brief)

    assert status(make_quote(content)) == "attached"  # the source, as quoted before
    assert status(anchor.quote(brief)) == "attached"
    assert status("An analyst: something else") == "changed"


# --------------------------------------------------------------------------- parity with the panes


def _briefs() -> list[Brief]:
    paths = sorted((REPO / "briefs").glob("*.yaml"))
    paths += [*sorted((REPO / "tests/data/ui").glob("*.yaml")), RED_SEA]
    briefs = []
    for path in paths:
        try:
            briefs.append(load_brief(path))
        except Exception:
            continue  # the invalid fixtures
    assert len(briefs) >= 5
    return briefs


EXTRA_SOURCES = [
    "| Port | Ships lost |\n|---|---|\n| Suez **Canal** | two fifths |",
    "A [link](https://x.y) and ![a map](m.png) and <b>html</b> and `code`.",
    "a hard  \nbreak and a\\\nbackslash one",
    "- outer item\n  - inner *item* here\n- loose\n\n  second paragraph of it",
    "```\nfenced code\nover lines\n```\n\n    indented code",
    "Title\n=====\n\n***\n\n1) one\n2) two words",
]
"""Markdown the bundled briefs do not use, drawn by markdown-it."""


def _markdown_fields(brief: Brief) -> list[str]:
    texts = [brief.summary, *(c.body for c in brief.commentary)]
    texts += [f.context for f in brief.figures if f.context]
    texts += [a.description for a in brief.actors if a.description]
    texts += [s.note for s in brief.sources if s.note]
    return texts


_MARKERS = re.compile(r"^(?:▌ |\s*(?:•|\d+\.) )?\s*|^─+$")


def _drawn_words(renderable: object) -> str:
    """What a pane draws of a block, as words: wide enough never to wrap, list markers, quote
    bars and rules (decoration, not text) dropped."""
    console = Console(width=2000, file=io.StringIO(), color_system=None)
    lines = console.render_lines(renderable, pad=False)  # type: ignore[arg-type]
    text = "\n".join(_MARKERS.sub("", "".join(s.text for s in line)) for line in lines)
    return " ".join(text.split())


def _sources() -> list[str]:
    fields = [field for brief in _briefs() for field in _markdown_fields(brief)]
    return [*fields, *EXTRA_SOURCES]


@pytest.mark.parametrize("fast", [True, False], ids=["fast-paths", "markdown-it"])
def test_shown_text_is_what_the_panes_draw_for_every_block(fast: bool) -> None:
    checked = 0
    for source in _sources():
        shown = shown_text(source)
        drawn = render_markdown(source, fast=fast)
        assert [b.plain for b in drawn] == [b.text for b in shown.blocks], source
        for block, piece in zip(drawn, shown.blocks, strict=True):
            assert _drawn_words(block.renderable) == " ".join(piece.text.split()), source
            checked += 1
    assert checked > 50


def test_every_match_is_highlighted_where_the_pane_draws_it() -> None:
    """Find counts a match exactly where a pane highlights one: for every Markdown field of
    every brief, phrases of three shown words (many run across a source line break, a Markdown
    marker or a table's cells) are highlighted in the rendered blocks as often as find finds
    them."""
    host = load_brief_text("title: Host\nsummary: x")
    found_some = 0
    marked: list[tuple[int, int]] = []
    for source in _sources():
        as_summary = msgspec.structs.replace(host, summary=source)
        words = shown_text(source).text.split()
        for query in {" ".join(words[i : i + 3]) for i in range(0, max(1, len(words) - 2), 3)}:
            marked.clear()

            def mark(text: str, query: str = query) -> list[tuple[int, int]]:
                spans = highlight_spans(text, query)
                marked.extend(spans)
                return spans

            render_markdown(source, mark)
            count = sum(m.segment.anchor == "summary" for m in find_in_brief(as_summary, query))
            assert len(marked) == count, (query, source[:80])
            found_some += count > 0
    assert found_some > 100


# --------------------------------------------------------------------------- matches as offsets


def test_find_matches_are_the_matches_of_find_in_brief_made_as_read(brief: Brief) -> None:
    from termbrief.core.search import find_matches

    matches = find_matches(brief, "e")
    listed = find_in_brief(brief, "e")
    assert len(matches) == len(listed) > 20
    assert list(matches) == listed and matches[3] == listed[3] and matches[-1] == listed[-1]
    assert matches[2:5] == listed[2:5]
    assert not find_matches(brief, " ")


def test_nearest_match_from_an_item_forward_and_back_wrapping(brief: Brief) -> None:
    from termbrief.core.search import find_matches

    matches = find_matches(brief, "ansar")  # actors/houthis, commentary/view, timeline/1
    anchors = [m.segment.anchor for m in matches]
    assert anchors == ["actors/houthis", "commentary/view", "timeline/1"]
    assert matches.nearest("commentary/view", "commentary", forward=True) == 1
    assert matches.nearest("commentary/view", "commentary", forward=False) == 0
    assert matches.nearest("summary", "summary", forward=False) == 2  # wraps to the last
    assert matches.nearest("timeline/1", "timeline", forward=True) == 2
    # An item not in the pane: from the start of the pane.
    assert matches.nearest("summary", "commentary", forward=True) == 1
    assert matches.nearest("sources", "sources", forward=True) == 0  # wraps to the first


def test_text_whose_lower_case_moves_offsets_is_matched_ignoring_case() -> None:
    dotted = load_brief_text("title: T\nsummary: İstanbul, then istanbul and ISTANBUL.\n")
    assert [m.segment.text[m.start : m.end] for m in find_in_brief(dotted, "istanbul")] == [
        "İstanbul",
        "istanbul",
        "ISTANBUL",
    ]
    text = shown_text(dotted.summary).text
    assert highlight_spans(text, "istanbul") == [(0, 8), (15, 23), (28, 36)]
    assert highlight_spans(text, "ISTANBUL") == [(28, 36)]


def test_find_searches_a_figures_value_as_the_pane_shows_it() -> None:
    # A figure that is its own change is shown "about −42 % vs the canal's peak": find matches
    # that, with the baseline, and not the "about 42 %" the pane no longer shows.
    text = """\
format: 1
title: Figures
summary: Short.
figures:
  - label: Fall in transits
    value: 42
    unit: "%"
    qualifier: about
    change: {amount: -42, baseline: the canal's peak}
"""
    brief = load_brief_text(text)
    [(anchor, words)] = found(brief, "−42 % vs the canal")
    assert anchor.startswith("figures/") and words == "−42 % vs the canal"
    assert found(brief, "about 42 %") == []
