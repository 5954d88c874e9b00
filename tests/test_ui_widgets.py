"""Widget-level tests: the record table at scale, item lists, pane titles, the header."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rich.console import Group
from rich.text import Text
from textual.app import App, ComposeResult

from termbrief.core.library import load_entry
from termbrief.core.library_index import LibraryIndex
from termbrief.core.model import Brief, Figure, KeyPoint
from termbrief.core.search import highlight_spans
from termbrief.ui.panes.brief_header import header_content
from termbrief.ui.panes.figures import figure_record
from termbrief.ui.panes.pane_bar import bar_content
from termbrief.ui.panes.problems import problems_content
from termbrief.ui.panes.reload_banner import ReloadBanner
from termbrief.ui.panes.summary import SummaryPane
from termbrief.ui.render.markdown import HIGHLIGHT_STYLE
from termbrief.ui.screens.library_search import hit_prompt
from termbrief.ui.widgets.library_list import entry_prompt
from termbrief.ui.widgets.record_table import Column, Record, RecordTable
from ui_fixtures import ALPHA, BROKEN, HOSTILE, user_dirs

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")


class TableApp(App[None]):
    def __init__(self, records: list[Record]) -> None:
        super().__init__()
        self.records = records

    def compose(self) -> ComposeResult:
        yield RecordTable([Column("Label", flex=True), Column("Value"), Column("Period")])

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.set_records(self.records)
        table.focus()


def many_figures(count: int) -> list[Record]:
    return [
        figure_record(
            Figure(id=f"f{n}", label=f"Figure number {n}", value=n * 7 % 1000, period="2024")
        )
        for n in range(count)
    ]


async def test_ten_thousand_rows_load_fast_and_end_reaches_the_last() -> None:
    records = many_figures(10_000)
    app = TableApp(records)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(RecordTable)
        start = time.perf_counter()
        table.set_records(records)
        assert time.perf_counter() - start < 0.5  # DataTable needs seconds for this
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 9_999
        assert table.scroll_y == table.max_scroll_y
        await pilot.press("up")
        assert table.cursor_row == 9_998
        table.move_cursor(row=5_000)
        await pilot.pause()
        assert table.current is not None and table.current.anchor == "figures/f5000"


async def test_sorting_keeps_the_cursor_on_its_record() -> None:
    records = many_figures(50)
    app = TableApp(records)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(RecordTable)
        table.move_cursor(row=10)
        anchor = table.current.anchor if table.current else None
        await pilot.press("s", "s")  # by label, then by value
        assert table.sort_column == 1
        values = [r.sort_values[1] for r in table.displayed()]
        assert values == sorted(values)
        assert table.current is not None and table.current.anchor == anchor
        await pilot.press("S")
        values = [r.sort_values[1] for r in table.displayed()]
        assert values == sorted(values, reverse=True)
        await pilot.press("s", "s")  # back to the brief's order
        assert table.sort_column is None
        assert [r.anchor for r in table.displayed()] == [r.anchor for r in records]


async def test_table_cells_are_literal_and_one_line() -> None:
    hostile = Record(
        "x/1", ("[@click=app.quit]a[/]\nsecond line", "x[/]", "\x1b[31m"), ("", "", "")
    )
    app = TableApp([hostile])
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(RecordTable)
        line = "".join(segment.text for segment in table.render_line(1))
        assert "[@click=app.quit]a[/] second line" in line
        assert "x[/]" in line and "\x1b" not in line


def test_header_and_problems_are_literal() -> None:
    entry = load_entry(HOSTILE)
    content = header_content(entry)
    assert "[@click=app.quit]Quit me[/] x[/] [b]a[/i]" in content.plain
    broken = load_entry(BROKEN)
    text = problems_content(broken).plain
    assert "broken.yaml:6:11:" in text and "2 problems" in text


def test_header_shows_title_subtitle_date_tags_regions() -> None:
    text = header_content(load_entry(ALPHA)).plain
    for part in ("Harbour authority expands", "every section", "2024-05-02", "North Sea", "#ports"):
        assert part in text


def test_pane_bar_names_every_pane_with_its_key() -> None:
    plain = bar_content("figures").plain
    for label in (
        "1 Summary",
        "2 Key figures",
        "3 Actors",
        "4 Commentary",
        "5 Timeline",
        "6 Sources",
    ):
        assert label in plain


async def test_marked_rows_show_a_dot() -> None:
    records = many_figures(3)
    app = TableApp(records)
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(RecordTable)
        table.set_marked(frozenset({"figures/f1"}))
        lines = ["".join(s.text for s in table.render_line(y)) for y in (1, 2, 3)]
        assert [line.startswith("•") for line in lines] == [False, True, False]


def test_file_names_show_hidden_characters(tmp_path: Path) -> None:
    # A name whose tail an override turns around ("txt.exe" reads "exe.txt"), and one that is
    # not UTF-8: the header, the library list and the reload banner show every character.
    spoofed = tmp_path / "brief\u202eexe.yaml"
    spoofed.write_text("title: [unclosed\n", encoding="utf-8")
    raw = tmp_path / b"caf\xe9.yaml".decode("utf-8", "surrogateescape")
    raw.write_text("title: [unclosed\n", encoding="utf-8")
    for path, shown in ((spoofed, "brief⟨U+202E⟩exe.yaml"), (raw, "caf⟨U+DCE9⟩.yaml")):
        entry = load_entry(path)
        assert not entry.ok
        for text in (header_content(entry).plain, entry_prompt(entry).plain):
            assert shown in text
            assert all(line.isprintable() for line in text.split("\n"))
        banner = ReloadBanner()
        banner.show_missing(path.name)
        assert shown in banner.lines[0]


def test_search_marks_in_key_points_land_on_the_words_as_shown() -> None:
    # Cleaning changes lengths (an override shows as ⟨U+202E⟩, a zero-width space goes): matches
    # must be found in the text as shown, or the mark slides off the word.
    points = (KeyPoint("Pay \u202ethe bank now"), KeyPoint("Pana\u200bma bank"))
    brief = Brief(title="T", summary="S", key_points=points)
    items = SummaryPane().items_for(brief, lambda text: highlight_spans(text, "bank"))
    marked = []
    for item in items[1:]:
        renderable = item.renderable
        line = renderable.renderables[-1] if isinstance(renderable, Group) else renderable
        assert isinstance(line, Text)
        marked += [line.plain[s.start : s.end] for s in line.spans if s.style == HIGHLIGHT_STYLE]
    assert marked == ["bank", "bank"]


def test_library_search_marks_land_on_the_words_as_shown(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(
        'title: T\nsummary: "Pay \u202ethe bank now, Pana\u200bma bank"\n', encoding="utf-8"
    )
    index = LibraryIndex([load_entry(path)], {})
    prompt = hit_prompt(index.search("bank")[0])
    marked = [prompt.plain[s.start : s.end] for s in prompt.spans if "reverse" in str(s.style)]
    assert marked == ["bank", "bank"]
    assert "\u202e" not in prompt.plain and "⟨U+202E⟩" in prompt.plain
