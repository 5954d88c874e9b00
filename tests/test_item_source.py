"""An item of a brief handed to other tools: its line in the file and its Markdown (issue 11)."""

from __future__ import annotations

import pytest

from termbrief.core.item_source import ItemRef, escape, item_line, item_markdown
from termbrief.core.loader import load_brief_text
from ui_fixtures import ALPHA

TEXT = ALPHA.read_text(encoding="utf-8")
BRIEF = load_brief_text(TEXT, str(ALPHA))
LINES = TEXT.split("\n")


def line_of(fragment: str, after: int = 0) -> int:
    """1-based number of the first line holding ``fragment`` after line ``after``."""
    return next(n for n, line in enumerate(LINES, 1) if n > after and fragment in line)


@pytest.mark.parametrize(
    ("ref", "summary_lines", "fragment"),
    [
        (ItemRef("summary", 0), (0, 2), "The **harbour authority** of Eastport"),
        (ItemRef("summary", 1), (3, 5), "Unions welcomed the staff increase"),
        (ItemRef("summary", 2), (6, 7), "Quist said the pilot"),
        (ItemRef("key_points", 2), None, "The unions want details"),
        (ItemRef("figures", 0), None, "id: new-inspectors"),
        (ItemRef("figures", 3), None, "label: Pilot period"),
        (ItemRef("actors", 2), None, "name: Dock Workers Union"),
        (ItemRef("commentary", 1), None, "author: Tom Berg"),
        (ItemRef("timeline", 1), None, "- date: 2024-05-02"),
        (ItemRef("sources", 1), None, "title: Union statement"),
        (ItemRef("actors"), None, "actors:"),
    ],
)
def test_every_kind_of_item_has_its_line(
    ref: ItemRef, summary_lines: tuple[int, int] | None, fragment: str
) -> None:
    assert item_line(TEXT, BRIEF, ref, summary_lines) == line_of(fragment)


def test_items_with_ids_are_found_by_id_when_the_file_moved_them() -> None:
    # The brief on screen is older than the file: the figure with the id moved down. The line is
    # the one in the file as it is now (what the editor shows).
    moved = TEXT.replace("figures:\n", "figures:\n  - label: Inserted\n    value: 1\n", 1)
    assert item_line(moved, BRIEF, ItemRef("figures", 0)) == (
        next(n for n, line in enumerate(moved.split("\n"), 1) if "id: new-inspectors" in line)
    )


def test_a_summary_that_is_not_a_literal_block_gives_its_first_line() -> None:
    text = 'title: T\nsummary: "One.\\n\\nTwo."\n'
    brief = load_brief_text(text)
    assert item_line(text, brief, ItemRef("summary", 1), (2, 3)) == 2


def test_a_file_that_no_longer_parses_or_lacks_the_section_gives_none() -> None:
    assert item_line("title: [broken", BRIEF, ItemRef("figures", 0)) is None
    assert item_line("- a list\n", BRIEF, ItemRef("figures", 0)) is None
    assert item_line("title: T\nsummary: S\n", BRIEF, ItemRef("figures", 0)) is None


HEADING = "*Harbour authority expands night inspections* (2024-05-02)"


def test_markdown_names_the_brief_and_section_and_keeps_the_item_markdown() -> None:
    paragraph = item_markdown(BRIEF, ItemRef("summary", 1), (3, 5))
    assert paragraph == (
        f"{HEADING} · Summary\n\n"
        "Unions welcomed the staff increase but asked for details; see the\n"
        "[authority's notice](https://example.org/notice) for the schedule.\n"
    )
    figure = item_markdown(BRIEF, ItemRef("figures", 0))
    assert figure.startswith(f"{HEADING} · Key figures\n\n")
    assert "**New inspectors to be hired:** 40 inspectors (2024)" in figure
    assert "Announced by **Mara Quist**." in figure  # the context is Markdown: kept as written
    assert "Source: Authority press release" in figure


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (ItemRef("key_points", 1), "- Forty new inspectors will be hired."),
        (ItemRef("actors", 0), "**Mara Quist** (person) — Director of the harbour authority"),
        (ItemRef("commentary", 0), "*Lena Ortiz*, Port Policy Institute · stance: supportive"),
        (ItemRef("timeline", 0), "**2019** — Mara Quist becomes director."),
        (
            ItemRef("sources", 0),
            "[Authority press release](https://example.org/press) — Eastport Harbour Authority",
        ),
    ],
)
def test_markdown_of_each_section(ref: ItemRef, expected: str) -> None:
    assert expected in item_markdown(BRIEF, ref)


def test_plain_fields_are_escaped_so_they_show_as_written() -> None:
    assert escape("a *b* [c](d) `e` <f> x_y") == r"a \*b\* \[c\](d) \`e\` \<f\> x\_y"
    text = "title: 'Stars *and* [links]'\nsummary: S\nkey_points: ['**not bold**']\n"
    brief = load_brief_text(text)
    copied = item_markdown(brief, ItemRef("key_points", 0))
    assert copied == "*Stars \\*and\\* \\[links\\]* · Key points\n\n- \\*\\*not bold\\*\\*\n"


def test_the_walk_stops_at_the_item_and_reads_no_further() -> None:
    # Cheap on a huge brief: what comes after the item is not even parsed (here, a slip that
    # would stop any parser).
    damaged = TEXT.replace("timeline:\n", "timeline: {unclosed\n", 1)
    assert item_line(damaged, BRIEF, ItemRef("figures", 3)) == line_of("label: Pilot period")
    assert item_line(damaged, BRIEF, ItemRef("sources", 0)) is None
