"""Tables that show what matters: wrapped cells, figure cards, actors' full names.

Unit tests of :mod:`termbrief.ui.widgets.table_layout` (widths, wrapping, cards), then Pilot tests
of :class:`~termbrief.ui.widgets.record_table.RecordTable` and the figures and actors panes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from termbrief.core.loader import load_brief
from termbrief.core.model import Brief, Figure
from termbrief.ui.app import TermbriefApp
from termbrief.ui.panes import actors, figures
from termbrief.ui.widgets import table_layout
from termbrief.ui.widgets.record_table import Record, RecordTable
from termbrief.ui.widgets.table_layout import (
    Column,
    TableLayout,
    column_widths,
    line_count,
    wrap_offsets,
)
from ui_fixtures import DATA, NARROW, SAMPLES, WIDE, brief_screen, user_dirs, wait_for

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")

REPORT = DATA / "reports" / "red-sea-shipping.yaml"
"""A brief written from a UNCTAD report: long labels, values and periods."""


def flat(text: str) -> str:
    """Text with every run of blanks (line breaks, no-break spaces) folded to one space."""
    return " ".join(text.split())


# -- wrapping and widths ---------------------------------------------------------------------


PLAIN = st.text(alphabet=st.sampled_from("ab -日x"), max_size=40)
"""Words, runs of spaces, a wide character."""


@settings(max_examples=300, deadline=None)
@given(
    # Cells joined as on a card, or one cell.
    text=st.one_of(PLAIN, st.lists(PLAIN, max_size=3).map(table_layout.SEPARATOR.join)),
    width=st.integers(min_value=1, max_value=12),
)
def test_line_count_is_the_number_of_wrapped_lines(text: str, width: int) -> None:
    lines = wrap_offsets(text, width)
    assert line_count(text, cell_len(text), width) == len(lines)
    for start, end in lines:
        piece = text[start:end]
        assert cell_len(piece) <= max(width, 2)  # a wide character alone may overflow width 1
    # Nothing is lost but the spaces at the breaks.
    assert "".join(text[s:e] for s, e in lines).replace(" ", "") == text.replace(" ", "")


def test_long_words_fold_and_lines_break_at_spaces() -> None:
    text = "Countries with which China has signed extradition-treaties-everywhere"
    lines = [text[s:e] for s, e in wrap_offsets(text, 20)]
    assert lines == [
        "Countries with which",
        "China has signed",
        "extradition-treaties",
        "-everywhere",
    ]
    assert line_count(text, len(text), 20) == 4


def test_columns_give_way_by_priority_and_the_name_keeps_its_width() -> None:
    # Name 39, Kind 12 and Role 67 cells wide at most; the name has the highest priority.
    natural = [39, 12, 67]
    share = table_layout.FLEX_SHARE
    # Narrow: kind and name at their minimum (the name wraps), the role takes the rest.
    assert column_widths(actors.COLUMNS, natural, 40) == [16, 7, 40 - 4 - 16 - 7]
    # Wider: the kind gives way, the role down to its share; the name takes the rest.
    role = int((80 - 4) * share)
    assert column_widths(actors.COLUMNS, natural, 80) == [80 - 4 - 7 - role, 7, role]
    # Wide: the name and the kind whole, room to spare for the flexible column (the role).
    assert column_widths(actors.COLUMNS, natural, 130) == [39, 12, 130 - 4 - 39 - 12]


def figure_cells(brief: Brief) -> list[tuple[str, ...]]:
    return [figures.figure_record(figure).cells for figure in brief.figures]


@pytest.mark.parametrize("width", [20, 37, 44, 76, 118])
def test_cards_hold_every_value_label_and_period_in_full(width: int) -> None:
    brief = load_brief(REPORT)
    layout = TableLayout(figures.COLUMNS, figures.CARD_HEAD)
    layout.load(figure_cells(brief))
    layout.fit(width)
    for position, figure in enumerate(brief.figures):
        lines = layout.lines(position, None, marked=False)
        top, end = layout.span(position)
        assert len(lines) == end - top  # the counted height is the drawn one
        text = ["".join(piece.text for piece in line) for line in lines]
        assert all(cell_len(line) < width for line in text)
        # The head (after a one-cell gutter): the value alone; the body, indented, the rest.
        head = [line for line, pieces in zip(text, lines, strict=True) if pieces[0].width == 1]
        body = text[len(head) :]
        assert flat(" ".join(head)) == flat(figure.shown_value())  # the value, its change
        assert flat(" ".join(body)) == flat(f"{figure.label} · {figure.period}")


def test_heights_are_counted_once_per_width(monkeypatch: pytest.MonkeyPatch) -> None:
    counted: list[int] = []
    count_lines = TableLayout._count_lines

    def counting(layout: TableLayout) -> list[int]:
        counted.append(layout.width)
        return count_lines(layout)

    monkeypatch.setattr(TableLayout, "_count_lines", counting)
    layout = TableLayout(figures.COLUMNS, figures.CARD_HEAD)
    layout.load(figure_cells(load_brief(REPORT)))
    for width in (37, 76, 37, 76, 37):  # the library or ``z`` toggled back and forth
        layout.fit(width)
    assert counted == [37, 76]


# -- the widget --------------------------------------------------------------------------------


class TableApp(App[None]):
    def __init__(self, columns: Sequence[Column], records: list[Record], cards: bool) -> None:
        super().__init__()
        self.columns, self.records, self.cards = columns, records, cards

    def compose(self) -> ComposeResult:
        yield RecordTable(self.columns, card_head=figures.CARD_HEAD if self.cards else None)

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.set_records(self.records)
        table.focus()


def figure_records(count: int, label_words: int = 8) -> list[Record]:
    words = ["police", "officers", "trained", "abroad", "under", "the", "action", "plan"]
    return [
        figures.figure_record(
            Figure(
                id=f"f{n}",
                label=" ".join(words[(n + i) % len(words)] for i in range(label_words)),
                value=n * 37 % 101,  # sorting by value reorders them
                period="2024",
            )
        )
        for n in range(count)
    ]


def row_lines(table: RecordTable, position: int) -> list[list[Segment]]:
    """The drawn lines of the row at display ``position`` (scrolled into view first)."""
    table.scroll_to(y=table.row_span(position)[0], animate=False, immediate=True)
    first, end = table.row_span(position)
    return [list(table.render_line(1 + line - int(table.scroll_y))) for line in range(first, end)]


def plain(segments: list[Segment]) -> str:
    return "".join(segment.text for segment in segments)


async def test_ten_thousand_cards_load_fast_and_end_reaches_the_last() -> None:
    records = figure_records(10_000)
    app = TableApp(figures.COLUMNS, records[:1], cards=True)
    async with app.run_test(size=(40, 30)) as pilot:
        table = app.query_one(RecordTable)
        start = time.perf_counter()
        table.set_records(records)
        await pilot.pause()
        assert time.perf_counter() - start < 1.0  # DataTable needs seconds for 10,000 rows
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 9_999
        assert table.scroll_y == table.max_scroll_y
        # The view ends with the end of the last card: its label's last words.
        bottom = flat(plain(list(table.render_line(table.size.height - 1))))
        assert bottom and flat(records[-1].cells[0]).endswith(bottom.removesuffix(" · 2024"))


async def test_the_cursor_and_marks_cover_a_card_of_several_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # the cursor is then reverse video, easy to see
    app = TableApp(figures.COLUMNS, figure_records(3), cards=True)
    async with app.run_test(size=(30, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(RecordTable)
        table.set_marked(frozenset({"figures/f0"}))
        first, following = row_lines(table, 0), row_lines(table, 1)
        assert len(first) >= 3
        # Every line of the cursor's card is reversed, from its first cell to its last.
        assert all(s.style is not None and s.style.reverse for line in first for s in line)
        assert not any(s.style is not None and s.style.reverse for s in following[0])
        # The note marker sits on the card's first line only.
        assert [plain(line).startswith("•") for line in first] == [True] + [False] * (
            len(first) - 1
        )


async def test_sorting_cards_by_value_keeps_the_cursor_on_its_figure() -> None:
    records = figure_records(30)
    app = TableApp(figures.COLUMNS, records, cards=True)
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(RecordTable)
        table.move_cursor(row=10)
        await pilot.pause()
        anchor = table.current.anchor if table.current else None
        await pilot.press("s", "s")  # by label, then by value
        assert table.sort_column == 1
        values = [record.sort_values[1] for record in table.displayed()]
        assert values == sorted(values)
        assert table.current is not None and table.current.anchor == anchor
        assert "Value ▲" in plain(list(table.render_line(0)))
        # The cursor's card is in view after the sort moved it.
        top, _end = table.row_span(table.cursor)
        assert table.scroll_y <= top < table.scroll_y + table.size.height - 1


async def test_a_match_split_by_a_line_break_is_marked_on_both_lines() -> None:
    record = Record("figures/x", ("alpha beta gamma delta epsilon", "12", ""), ("", 0, ""))
    app = TableApp(figures.COLUMNS, [record], cards=True)
    async with app.run_test(size=(20, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(RecordTable)
        # The label wraps after "gamma": the phrase "gamma delta" runs over two lines.
        phrase = "gamma delta"
        table.highlighter = lambda text: (
            [(text.index(phrase), text.index(phrase) + len(phrase))] if phrase in text else []
        )
        table.refresh()
        lines = row_lines(table, 0)
        marked = [s.text for line in lines for s in line if s.style is not None and s.style.bold]
        assert plain(lines[1]).split() == ["alpha", "beta", "gamma"]
        assert "gamma" in marked and "delta" in marked


async def test_a_match_in_a_cut_cell_marks_the_ellipsis() -> None:
    role = "Runs the port and, far out of sight, the lighthouse"
    record = Record("actors/a", ("Mara Quist", "person", role), ("", 0, ""))
    app = TableApp(actors.COLUMNS, [record], cards=False)
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        table = app.query_one(RecordTable)
        table.highlighter = lambda text: (
            [(text.index("lighthouse"), text.index("lighthouse") + 10)]
            if "lighthouse" in text
            else []
        )
        table.refresh()
        [line] = row_lines(table, 0)
        assert "lighthouse" not in plain(line)
        [ellipsis] = [s for s in line if s.text == "…"]
        assert ellipsis.style is not None and ellipsis.style.reverse


async def test_j_reads_through_a_card_taller_than_the_view() -> None:
    records = figure_records(3, label_words=60)
    app = TableApp(figures.COLUMNS, records, cards=True)
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(RecordTable)
        top, end = table.row_span(0)
        assert end - top > table.size.height
        presses = 0
        while table.cursor == 0:
            await pilot.press("j")
            presses += 1
            assert presses < 30
        # Every line of the first card came into view before the cursor left it.
        assert presses > 1 and table.cursor == 1


# -- the panes in the reader -----------------------------------------------------------------


def pane_views(table: RecordTable) -> str:
    """The table's lines on screen, as text."""
    return "\n".join(plain(list(table.render_line(y))) for y in range(table.size.height))


async def views_of_every_row(pilot: Pilot[None], table: RecordTable) -> list[str]:
    """What the pane shows as ``j`` moves its cursor from the first row to the last."""
    await pilot.press("g")
    views = [pane_views(table)]
    while table.cursor < table.row_count - 1:
        await pilot.press("j")
        views.append(pane_views(table))
    return views


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["wide", "narrow"])
async def test_every_figure_of_a_report_shows_in_full_with_the_library(
    size: tuple[int, int],
) -> None:
    app = TermbriefApp([REPORT.parent])
    async with app.run_test(size=size) as pilot:
        screen = brief_screen(app)
        await wait_for(pilot, lambda: screen.entry is not None and screen.entry.brief is not None)
        if not screen.library_shown:
            screen.show_library(True, focus=False)
        await pilot.press("2")
        await pilot.pause()
        assert screen.library_shown
        table = screen.query_one("#figures-table", RecordTable)
        views = [flat(view) for view in await views_of_every_row(pilot, table)]
        for figure in load_brief(REPORT).figures:
            # The value as the pane says it (with its change: a fall is said once, signed).
            for text in (figure.shown_value(), figure.label, figure.period or ""):
                assert any(flat(text) in view for view in views), text


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["wide", "narrow"])
async def test_actor_names_show_in_full_with_the_library(size: tuple[int, int]) -> None:
    app = TermbriefApp([SAMPLES])
    async with app.run_test(size=size) as pilot:
        screen = brief_screen(app)
        await wait_for(pilot, lambda: screen.entry is not None and screen.entry.brief is not None)
        if not screen.library_shown:
            screen.show_library(True, focus=False)
        await pilot.press("3")
        await pilot.pause()
        table = screen.query_one("#actors-table", RecordTable)
        # Too narrow for the longest name on one line: it wraps, it is not cut.
        assert table.column_widths[0] < max(cell_len(r.cells[0]) for r in table.records)
        # The name column of each view, top to bottom: a wrapped name reads on.
        name = slice(1, 1 + table.column_widths[0])
        views = [
            flat(" ".join(line[name] for line in view.splitlines()[1:]))
            for view in await views_of_every_row(pilot, table)
        ]
        entry = screen.entry
        assert entry is not None and entry.brief is not None
        for actor in entry.brief.actors:
            assert any(actor.name in view for view in views), actor.name


def test_a_figure_that_is_its_change_is_said_once() -> None:
    # "about 42 %  −42 % vs the peak" said the fall twice: a figure whose value is the size
    # of its change shows the signed change with its baseline only.
    from termbrief.core.claims import Change
    from termbrief.core.model import Figure

    fall = Change(amount=-42, baseline="the canal's recent peak")
    figure = Figure(label="Fall in transits", value=42, unit="%", qualifier="about", change=fall)
    assert figure.shown_value() == "about −42 % vs the canal's recent peak"
    in_percent = Change(amount=-42, unit="%", baseline="2022")
    other = Figure(label="Revenue", value=42, unit="billion dollars", change=in_percent)
    assert other.shown_value() == "42 billion dollars  −42 % vs 2022"  # another unit
    points = Figure(label="Rate", value=42, unit="%", change=Change(amount=-5, unit="points"))
    assert points.shown_value() == "42 %  −5 points"
