"""RecordTable: a fast, sortable table of records, as rows or cards, with a cursor; cells wrap.

Why not ``DataTable``: it measures every cell of every row when rows are added (10,000 rows of a
huge brief take 1-2 s, during which the app does not answer keys). This table keeps rows as plain
strings, measures each cell once with ``cell_len``, and renders only the visible lines (Line API),
so 10,000 rows load in tens of milliseconds and a cursor move redraws one screen.

A record may take several lines: as a row, a column that wraps (``Column.wrap``) shows its whole
text; as a card (``card_head``), nothing is cut. :class:`~.table_layout.TableLayout` counts each
record's lines once per width and maps lines to rows; only the records on screen are drawn.

The header stays on the first line while the rows scroll; over cards it lists the sort keys.
Sorting is by column (``s`` cycles the column, ``S`` reverses, a click on a header sorts by it);
the cursor stays on the same record. Cells are drawn as segments of literal text: nothing is
parsed as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from termbrief.ui.render.markdown import Highlighter
from termbrief.ui.widgets.change_marks import ChangeMarks, gutter_mark
from termbrief.ui.widgets.colour import colour_is_scarce
from termbrief.ui.widgets.kept_lines import KeptLines
from termbrief.ui.widgets.paging import MOVE_BINDINGS, READING_STEP
from termbrief.ui.widgets.record import Record, position_of, sort_order
from termbrief.ui.widgets.table_layout import Column, TableLayout
from termbrief.ui.widgets.table_strips import header_strip, row_strips

__all__ = ["Column", "Record", "RecordTable"]

KEPT_LINES = 2000
"""Drawn lines kept for rows out of view (old scroll positions and looks): a few screens."""

SCARCE_CURSOR = Style(reverse=True)
"""Added to the focused cursor row where colour is scarce (see ``colour_is_scarce``)."""
SCARCE_BLURRED_CURSOR = Style(underline=True)
"""Added to the cursor row of a table without focus where colour is scarce."""


class RecordTable(ScrollView, can_focus=True):
    """A virtualised, sortable table of :class:`Record` with a row cursor."""

    BINDING_GROUP_TITLE = "Table"
    BINDINGS: ClassVar[list[BindingType]] = [
        *MOVE_BINDINGS,
        Binding("enter", "select", "Open", show=False, id="item.open"),
        Binding("s", "sort", "Sort by the next column", show=False, id="table.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="table.reverse_sort"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--cursor-focused",
        "record-table--row",
    }
    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        overflow-x: hidden;
        & > .record-table--header { text-style: bold; color: $text-accent; }
        & > .record-table--cursor { background: $block-cursor-blurred-background; }
        & > .record-table--cursor-focused {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    # No rule depends on :focus (the cursor row picks record-table--cursor-focused itself), so
    # focus moves need no restyle: see watch_has_focus.

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Position of the cursor in display (sorted) order."""

    class Highlighted(Message):
        """The cursor moved to ``record``."""

        def __init__(self, table: RecordTable, record: Record) -> None:
            super().__init__()
            self.table = table
            self.record = record

        @property
        def control(self) -> RecordTable:
            """The table that sent the message (for ``@on`` selectors)."""
            return self.table

    class Selected(Message):
        """Enter (or a double click) on ``record``."""

        def __init__(self, table: RecordTable, record: Record) -> None:
            super().__init__()
            self.table = table
            self.record = record

        @property
        def control(self) -> RecordTable:
            """The table that sent the message (for ``@on`` selectors)."""
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        card_head: Sequence[int] | None = None,
        id: str | None = None,
    ) -> None:
        """``card_head``: draw each record as a card headed by these columns' cells (the
        others go under them) instead of as a row."""
        super().__init__(id=id)
        self.columns = tuple(columns)
        self._layout = TableLayout(self.columns, card_head)
        self._records: list[Record] = []
        self.sort_column: int | None = None
        """Column the rows are sorted by; None keeps the brief's order."""
        self.sort_reverse = False
        """Whether the sort is descending."""
        self.highlighter: Highlighter | None = None
        """Marks search matches in cells when set."""
        self.marked_anchors: frozenset[str] = frozenset()
        """Anchors of rows shown with a marker (e.g. rows with notes); see :meth:`set_marked`."""
        self.their_anchors: frozenset[str] = frozenset()
        """Of the marked anchors, those whose notes are all colleagues' (another marker)."""
        self.change_marks = ChangeMarks()
        """Markers of the rows changed since last read (shown instead of the notes' dot)."""
        self._line_style: Style | None = None
        self._rows: KeptLines[tuple[object, ...], Strip] = KeptLines(KEPT_LINES)
        """Drawn rows by everything they depend on (the record's index first): a repaint (a
        focus move, a cursor move) redraws only the rows whose look changed."""

    # -- data ------------------------------------------------------------------------------------

    @property
    def records(self) -> Sequence[Record]:
        """The records in the brief's order."""
        return self._records

    @property
    def kept_lines(self) -> int:
        """How many drawn lines the table keeps (a few screens, and the rows in view)."""
        return self._rows.lines

    @property
    def row_count(self) -> int:
        """How many records the table holds."""
        return len(self._records)

    @property
    def current(self) -> Record | None:
        """The record under the cursor."""
        order = self._layout.order
        if not order:
            return None
        return self._records[order[min(self.cursor, len(order) - 1)]]

    @property
    def cursor_row(self) -> int:
        """The cursor's row in display order (``DataTable``'s name for it)."""
        return self.cursor

    @property
    def column_widths(self) -> tuple[int, ...]:
        """The width of each column as last laid out (rows)."""
        return tuple(self._layout.widths)

    def move_cursor(self, *, row: int | None = None, animate: bool = False) -> None:
        """Put the cursor on display row ``row`` (``DataTable``-compatible)."""
        if row is not None:
            self.cursor = row

    def displayed(self) -> list[Record]:
        """The records in display order (after sorting)."""
        return [self._records[index] for index in self._layout.order]

    def row_span(self, position: int) -> tuple[int, int]:
        """First line and end line of the row at display ``position``, among the rows' lines
        (line 0 is under the header)."""
        self._fit()
        return self._layout.span(position)

    def set_records(self, records: Sequence[Record]) -> None:
        """Replace every record; keeps the sort and, when it still exists, the cursor's record."""
        anchor = self.current.anchor if self.current else None
        self._records = list(records)
        self._rows.clear()  # keys hold row indexes into the old records
        self._layout.load([record.cells for record in self._records])
        self._apply_sort(anchor)

    def set_marked(self, anchors: frozenset[str], theirs: frozenset[str] = frozenset()) -> None:
        """Show a dot before the rows at ``anchors`` (e.g. rows with notes); before those also
        in ``theirs`` (notes all colleagues'), their own marker (see
        :func:`~termbrief.ui.widgets.change_marks.gutter_mark`)."""
        self.marked_anchors = anchors
        self.their_anchors = theirs
        self.refresh()

    def set_change_marks(self, marks: Mapping[str, str]) -> None:
        """Mark rows changed since last read (see :mod:`~termbrief.ui.widgets.change_marks`)."""
        self.change_marks.set(marks)
        self._rows.clear()
        self.refresh()

    def select_anchor(self, anchor: str) -> bool:
        """Put the cursor on the record with ``anchor``, in the middle of the view."""
        position = position_of(self._records, self._layout.order, anchor)
        if position is None:
            return False
        self.cursor = position
        top, end = self.row_span(position)
        above = max(0, self._page_size() - (end - top)) // 2
        self.scroll_to(y=max(0, top - above), animate=False, immediate=True)
        return True

    # -- sorting ---------------------------------------------------------------------------------

    def sort_by(self, column: int | None, reverse: bool = False) -> None:
        """Sort by ``column`` (None: the brief's order), keeping the cursor on its record."""
        anchor = self.current.anchor if self.current else None
        self.sort_column, self.sort_reverse = column, reverse
        self._apply_sort(anchor)

    def action_sort(self) -> None:
        """Cycle the sort column: brief order, then each column in turn."""
        column = self.sort_column
        following = 0 if column is None else column + 1
        self.sort_by(None if following >= len(self.columns) else following)

    def action_reverse_sort(self) -> None:
        """Reverse the direction of the current sort."""
        self.sort_by(self.sort_column, not self.sort_reverse)

    def _apply_sort(self, anchor: str | None) -> None:
        order = sort_order(self._records, self.sort_column, self.sort_reverse)
        self._layout.set_order(order)
        position = None if anchor is None else position_of(self._records, order, anchor)
        self.set_reactive(RecordTable.cursor, position or 0)
        self._fit()
        self._keep_cursor_visible()
        self.refresh()

    # -- layout ----------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._fit()
        self.refresh()

    def _fit(self) -> None:
        """Lay the rows out at the content width (counted once per width and order); the
        virtual size follows. Also called while drawing: a scrollbar appearing narrows the
        table without a Resize event."""
        width = self.scrollable_content_region.width or self.size.width
        if self._layout.fit(width):
            self._rows.clear()
            size = Size(max(0, width), self._layout.line_total + 1)  # + the header
            if size != self.virtual_size:
                self.virtual_size = size

    def _page_size(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    # -- rendering -------------------------------------------------------------------------------

    def _style(self, *components: str) -> Style:
        """The style of a line of the given components, over the rows' background.

        Each component's background goes over the row's (``get_visual_style`` blends them in
        turn): a table whose lines paint their own background (a pane, transparent around
        them) then draws its header and cursor as one with its own background would.
        """
        return self.get_visual_style("record-table--row", *components).rich_style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._fit()
        layout = self._layout
        if self._rows.lines > self._rows.limit and layout.order:  # a few screens, and the view
            top = int(self.scroll_y)
            shown = range(layout.row_at(top), layout.row_at(top + self._page_size()) + 1)
            in_view = {layout.order[position] for position in shown}
            self._rows.let_go(lambda key: key[0] in in_view)
        # The same for every line, looked up once a frame: styles walk the ancestors'
        # backgrounds, a large part of drawing the table.
        self._line_style = self._style()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        line_style = self._line_style
        if line_style is None:  # drawn outside render_lines (tests)
            self._fit()
            line_style = self._line_style = self._style()
        layout = self._layout
        width = layout.width
        if y == 0:
            header_style = self._style("record-table--header")
            return header_strip(layout, self.sort_column, self.sort_reverse, header_style, width)
        line = int(self.scroll_y) + y - 1
        if not layout.order or line >= layout.line_total:
            return Strip.blank(width, line_style)
        position = layout.row_at(line)
        if position != self.cursor:
            style = line_style
        elif self.has_focus:
            style = self._style("record-table--cursor-focused")
            if colour_is_scarce(self.app):
                style += SCARCE_CURSOR
        else:
            style = self._style("record-table--cursor")
            if colour_is_scarce(self.app):
                style += SCARCE_BLURRED_CURSOR
        index = layout.order[position]
        change = self.change_marks.glyph(self._records, index)
        anchor = self._records[index].anchor
        mark = gutter_mark(change, anchor, self.marked_anchors, self.their_anchors)
        key = (index, position, style, mark, width, self.highlighter)
        kept = self._rows.get(key)
        if kept is None:
            strips = row_strips(
                layout, index, position, style, mark, self.highlighter, self.app.console
            )
            kept = (0, strips)
            self._rows.put(key, kept[1])
        return kept[1][line - layout.tops[position]]

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Widget restyles the table and its scrollbars here on every focus move;
        # no style of the table depends on :focus, and Widget's focus handlers repaint it.
        pass

    # -- cursor ----------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._keep_cursor_visible()
        self.refresh()
        record = self.current
        if record is not None:
            self.post_message(self.Highlighted(self, record))

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._layout.order) - 1))

    def _keep_cursor_visible(self) -> None:
        if not self._layout.order:
            return
        page = self._page_size()
        top = int(self.scroll_y)
        first, end = self.row_span(self.cursor)
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif end > top + page:
            # The row's end in view, or its start when it is taller than the view.
            self.scroll_to(y=min(first, end - page), animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        """Scroll through a row taller than the view first, then move down one row."""
        view_end = int(self.scroll_y) + self._page_size()
        if self._layout.order and self.row_span(self.cursor)[1] > view_end:
            self.scroll_relative(y=READING_STEP, animate=False, immediate=True)
        else:
            self.cursor += 1

    def action_cursor_up(self) -> None:
        """Scroll back through a row taller than the view first, then move up one row."""
        if self._layout.order and self.row_span(self.cursor)[0] < int(self.scroll_y):
            self.scroll_relative(y=-READING_STEP, animate=False, immediate=True)
        else:
            self.cursor -= 1

    def _move_page(self, direction: int) -> None:
        # The row a page of lines above or below the start of the cursor's row.
        if self._layout.order:
            line = self.row_span(self.cursor)[0] + direction * self._page_size()
            row = self._layout.row_at(max(0, line))
            self.cursor = row if row != self.cursor else row + direction

    def action_page_down(self) -> None:
        """Move the cursor down one page."""
        self._move_page(1)

    def action_page_up(self) -> None:
        """Move the cursor up one page."""
        self._move_page(-1)

    def action_first(self) -> None:
        """Move the cursor to the first row."""
        self.cursor = 0

    def action_last(self) -> None:
        """Move the cursor to the last row."""
        self.cursor = len(self._layout.order) - 1

    def action_select(self) -> None:
        """Post :class:`Selected` for the record under the cursor."""
        record = self.current
        if record is not None:
            self.post_message(self.Selected(self, record))

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "header" in meta:
            column = int(meta["header"])
            reverse = column == self.sort_column and not self.sort_reverse
            self.sort_by(column, reverse)
        elif "row" in meta:
            self.cursor = int(meta["row"])
            if event.chain >= 2:
                self.action_select()
