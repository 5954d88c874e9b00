"""The lines of a :class:`~termbrief.ui.widgets.record_table.RecordTable`, without the widget.

:class:`TableLayout` keeps a table's cells (cleaned and measured once), shares a width among the
columns, counts each record's lines and says which line belongs to which row. It knows nothing of
Textual: the widget asks it for the text of a record's lines and draws them.

Two shapes:

- **Rows**: the columns side by side. Every column starts at its natural width (its widest cell,
  at most ``max_width``). When they do not fit, columns give way in order of ``priority``, the
  lowest first (among equals, the one with most to spare first), each down to its ``min_width``
  (the ``flex`` column first only down to a fair share of the room, :data:`FLEX_SHARE`); a column
  that ``wrap``s then shows its text over as many lines as it needs, any other is cut with
  ``…``. Room to spare goes to the ``flex`` column.
- **Cards** (``card_head``): the head cells on the first line(s), the other cells under them,
  indented; each joined with `` · `` and wrapped over the whole width, so nothing is cut.

Wrapping is greedy, at spaces, counted in terminal cells; a word wider than its column is folded.
Rich's ``Text.wrap`` does the same but builds a ``Text`` and its lines for every cell, an order
of magnitude slower: a table of 10,000 figures is measured at every new width, so lines are kept
as offsets into the cell's text (a cell that fits is not wrapped at all) and only the records on
screen are ever cut into strings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import NamedTuple

import msgspec
from rich.cells import cell_len, chop_cells, set_cell_size

from termbrief.ui.render.safe import one_line

ELLIPSIS = "…"
"""Ends a cell cut short (in a column that does not wrap)."""
SEPARATOR = "\u00a0· "
"""Between the cells that share a card's lines; the no-break space keeps the dot at the end of
a line rather than at the start of the next."""
FLEX_SHARE = 0.45
"""Part of the room the flexible column keeps while the others can still give way."""
CARD_INDENT = 3
"""Columns before a card's body: the marker's, then two, so the head stands out."""

Spans = list[tuple[int, int]]
"""``(start, end)`` offsets in a piece of text."""
Matcher = Callable[[str], Sequence[tuple[int, int]]]
"""Gives the spans of the search matches in a cell (``render.markdown.Highlighter``)."""


class Column(msgspec.Struct, frozen=True):
    """A column of a record table."""

    label: str
    """Header text."""
    max_width: int = 40
    """Widest the column grows to fit its content (the flexible column takes what is left)."""
    flex: bool = False
    """Take the width the other columns leave (at most one column should)."""
    min_width: int = 4
    """Narrowest the column shrinks to on a small terminal."""
    wrap: bool = False
    """Show the whole text over as many lines as it needs instead of cutting it with ``…``."""
    priority: int = 0
    """How long the column keeps its natural width when space is short: lower gives way first."""


class Piece(NamedTuple):
    """A stretch of one line: text padded to ``width`` cells, with search matches."""

    text: str
    width: int
    matches: Spans
    """Offsets in ``text`` of the search matches."""
    look: str = ""
    """In a card: ``lead`` for the head's first cell (what the card is about), ``aside`` for the
    cells after the first on the same lines (shown dimmer), else empty."""


class Joined(NamedTuple):
    """Cells shown one after another, separated by :data:`SEPARATOR`, empty ones left out."""

    text: str
    width: int
    """Width of ``text`` in cells."""
    parts: tuple[tuple[int, int, int], ...]
    """``(column, start, end)`` of each cell shown, offsets in ``text``."""


def column_widths(columns: Sequence[Column], natural: Sequence[int], width: int) -> list[int]:
    """The width of each column in a table ``width`` cells wide (one blank before each column
    and one at the end), from each column's ``natural`` width (see the module docstring)."""
    widths = list(natural)
    room = width - len(columns) - 1
    excess = sum(widths) - room
    minimum = [column.min_width for column in columns]
    flexible = next((i for i, column in enumerate(columns) if column.flex), None)
    # First every column gives way down to its minimum, the flexible one only down to its
    # share of the room; then, if that is not enough, the flexible one too.
    share = list(minimum)
    if flexible is not None:
        share[flexible] = max(minimum[flexible], min(widths[flexible], int(room * FLEX_SHARE)))
    for floor in (share, minimum):
        for rank in sorted({column.priority for column in columns}):
            group = [i for i, column in enumerate(columns) if column.priority == rank]
            while excess > 0:
                spare = max(group, key=lambda i: widths[i] - floor[i])
                if widths[spare] <= floor[spare]:
                    break
                widths[spare] -= 1
                excess -= 1
    if flexible is not None and excess < 0:
        widths[flexible] -= excess
    return widths


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each line of ``text`` wrapped at ``width`` cells.

    Lines break at spaces, which are dropped at the break; a word wider than ``width`` is
    folded. Empty text is one empty line.
    """
    width = max(1, width)
    measure = len if text.isascii() else cell_len
    if measure(text) <= width:
        return [(0, len(text))]
    lines: list[tuple[int, int]] = []
    line_start = line_end = -1  # no line started yet
    used = position = 0
    for word in text.split(" "):
        start = position
        position += len(word) + 1
        if not word:
            continue
        word_width = measure(word)
        if line_start >= 0 and used + (start - line_end) + word_width <= width:
            used += (start - line_end) + word_width
            line_end = start + len(word)
            continue
        if line_start >= 0:
            lines.append((line_start, line_end))
        if word_width > width:
            *folded, word = chop_cells(word, width)
            for piece in folded:
                lines.append((start, start + len(piece)))
                start += len(piece)
            word_width = measure(word)
        line_start, line_end, used = start, start + len(word), word_width
    if line_start < 0:  # only spaces
        return [(0, 0)]
    lines.append((line_start, line_end))
    return lines


def line_count(text: str, text_width: int, width: int) -> int:
    """How many lines ``text`` (``text_width`` cells) takes wrapped at ``width`` cells: the
    length of :func:`wrap_offsets`, counted without making the lines where that is simple."""
    if text_width <= width:
        return 1
    one_cell = text.isascii() or text.replace(SEPARATOR, "").isascii()  # no wide characters
    if not one_cell or "  " in text or width < 1:
        return len(wrap_offsets(text, width))
    # One cell a character, single spaces: the greedy wrap over word lengths (a long word is
    # folded; the separator's no-break space is no break).
    closed, used = 0, -1  # lines finished; cells on the current line (-1: none started)
    for length in map(len, text.split(" ")):
        if not length:
            continue
        if used >= 0 and used + 1 + length <= width:
            used += 1 + length
            continue
        if used >= 0:
            closed += 1
        if length > width:
            folds = (length - 1) // width
            closed += folds
            length -= folds * width
        used = length
    return closed + 1


def clip(spans: Sequence[tuple[int, int]], start: int, end: int) -> Spans:
    """The parts of ``spans`` inside ``start:end``, relative to ``start``."""
    return [(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start]


def join_cells(cells: Sequence[str], widths: Sequence[int], columns: Sequence[int]) -> Joined:
    """The ``columns`` of a record's ``cells`` (each ``widths[i]`` cells wide), joined."""
    text, parts, width = "", [], 0
    for column in columns:
        if cells[column]:
            if text:
                text, width = text + SEPARATOR, width + len(SEPARATOR)
            parts.append((column, len(text), len(text) + len(cells[column])))
            text, width = text + cells[column], width + widths[column]
    return Joined(text, width, tuple(parts))


class TableLayout:
    """A table's records as lines at one width and in one order (see the module docstring)."""

    def __init__(self, columns: Sequence[Column], card_head: Sequence[int] | None = None) -> None:
        self.columns = tuple(columns)
        self.card_head = None if card_head is None else tuple(card_head)
        """Columns whose cells head each record's card; None lays records out as rows."""
        self._card_body = tuple(i for i in range(len(columns)) if i not in (card_head or ()))
        self.cells: list[tuple[str, ...]] = []
        """Each record's cells, cleaned and on one line."""
        self._cell_widths: list[tuple[int, ...]] = []
        self._cards: tuple[list[str], list[int], list[str], list[int]] = ([], [], [], [])
        """Each record's card head, its width, its body and its width (cards)."""
        self._natural = [cell_len(column.label) + 2 for column in self.columns]
        self.widths: list[int] = list(self._natural)
        """Each column's width at :attr:`width` (rows)."""
        self.width = -1
        """The width laid out at (-1: none yet)."""
        self._heights: list[int] | None = None
        self._heights_by_size: dict[object, list[int]] = {}
        """Heights counted at recent widths: switching layouts (``z``, the library) comes back
        to them."""
        self.order: list[int] = []
        """Record indexes in display order."""
        self.tops: list[int] = [0]
        """First line of each row in display order, then the line after the last."""

    def load(self, cells: Sequence[tuple[str, ...]]) -> None:
        """Take every record's cells (untrusted text: cleaned here); the order becomes theirs."""
        # isprintable()/isascii() are C-speed checks that skip the slow paths for nearly every
        # cell: a 10,000-row table is measured in a few milliseconds.
        self.cells = [
            tuple(c if c.isprintable() else one_line(c).replace("\t", " ") for c in row)
            for row in cells
        ]
        self._cell_widths = [
            tuple(len(c) if c.isascii() else cell_len(c) for c in row) for row in self.cells
        ]
        if self.card_head is not None:
            head, body = self.card_head, self._card_body
            self._cards = (*self._joined(head), *self._joined(body))
        natural = [cell_len(column.label) + 2 for column in self.columns]
        if self._cell_widths:
            natural = [max(pair) for pair in zip(natural, *self._cell_widths, strict=True)]
        self._natural = [min(w, c.max_width) for w, c in zip(natural, self.columns, strict=True)]
        self.width, self._heights = -1, None
        self._heights_by_size.clear()
        self.set_order(list(range(len(self.cells))))

    def set_order(self, order: list[int]) -> None:
        """Show the records in ``order`` (indexes)."""
        self.order = order
        self.tops = []

    def fit(self, width: int) -> bool:
        """Lay out at ``width`` cells; True when the rows' lines changed (not when nothing did).

        Without a width yet (0), every row counts one line until there is one.
        """
        if width <= 0:
            self.width = -1
            self.tops = list(range(len(self.order) + 1))
            return True
        if width != self.width:
            self.width = width
            widths = column_widths(self.columns, self._natural, width)
            if widths != self.widths or self.card_head is not None:
                self.widths, self._heights = widths, None
            self.tops = []
        if self._heights is None:
            size = self.width if self.card_head is not None else tuple(self.widths)
            self._heights = self._heights_by_size.get(size)
            if self._heights is None:
                if len(self._heights_by_size) >= 4:
                    self._heights_by_size.clear()
                self._heights = self._heights_by_size[size] = self._count_lines()
            self.tops = []
        if self.tops:
            return False
        heights = self._heights
        self.tops = [0, *accumulate(heights[index] for index in self.order)]
        return True

    @property
    def line_total(self) -> int:
        """How many lines the rows take."""
        return self.tops[-1]

    def span(self, position: int) -> tuple[int, int]:
        """First line and end line of the row at display ``position``."""
        return self.tops[position], self.tops[position + 1]

    def row_at(self, line: int) -> int:
        """The display position of the row holding ``line``."""
        return max(0, min(bisect_right(self.tops, line) - 1, len(self.order) - 1))

    def _joined(self, columns: Sequence[int]) -> tuple[list[str], list[int]]:
        """Every record's ``columns`` joined as :func:`join_cells` does, and their widths: a
        column at a time, so a 10,000-row table is joined by list comprehensions."""
        texts = [""] * len(self.cells)
        widths = [0] * len(self.cells)
        gap = len(SEPARATOR)
        for column in columns:
            more = [row[column] for row in self.cells]
            more_widths = [row[column] for row in self._cell_widths]
            widths = [
                width + added + (gap if text and cell else 0)
                for text, width, cell, added in zip(texts, widths, more, more_widths, strict=True)
            ]
            texts = [
                text + SEPARATOR + cell if text and cell else text or cell
                for text, cell in zip(texts, more, strict=True)
            ]
        return texts, widths

    def _count_lines(self) -> list[int]:
        if self.card_head is not None:
            head_width, body_width = self.width - 2, self.width - CARD_INDENT - 1
            return [
                line_count(head, head_cells, head_width)
                + (line_count(body, body_cells, body_width) if body else 0)
                for head, head_cells, body, body_cells in zip(*self._cards, strict=True)
            ]
        heights = [1] * len(self.cells)
        for column, (spec, width) in enumerate(zip(self.columns, self.widths, strict=True)):
            if not spec.wrap:
                continue
            for index, widths in enumerate(self._cell_widths):
                if widths[column] > width:
                    count = line_count(self.cells[index][column], widths[column], width)
                    heights[index] = max(heights[index], count)
        return heights

    # -- the text of each line -------------------------------------------------------------------

    def lines(
        self, index: int, matcher: Matcher | None, marked: bool, mark: str = "•"
    ) -> list[list[Piece]]:
        """The lines of record ``index``: each a gutter piece (``•`` on the first line of a
        ``marked`` record), then the text, with the search matches ``matcher`` finds."""
        lines = (
            self._card_lines(index, matcher) if self.card_head else self._row_lines(index, matcher)
        )
        if marked:
            gutter = lines[0][0]
            lines[0][0] = gutter._replace(text=mark + gutter.text[1:])
        return lines

    def _row_lines(self, index: int, matcher: Matcher | None) -> list[list[Piece]]:
        columns = [
            self._cell_lines(cell, width, spec.wrap, matcher)
            for cell, width, spec in zip(self.cells[index], self.widths, self.columns, strict=True)
        ]
        blank = Piece(" ", 1, [])
        return [
            [
                piece
                for lines, width in zip(columns, self.widths, strict=True)
                for piece in (blank, lines[line] if line < len(lines) else Piece("", width, []))
            ]
            for line in range(max(len(lines) for lines in columns))
        ]

    @staticmethod
    def _cell_lines(cell: str, width: int, wrap: bool, matcher: Matcher | None) -> list[Piece]:
        matches = list(matcher(cell)) if matcher is not None and cell else []
        if wrap:
            return [
                Piece(cell[start:end], width, clip(matches, start, end))
                for start, end in wrap_offsets(cell, width)
            ]
        if cell_len(cell) <= width:
            return [Piece(cell, width, matches)]
        shown = set_cell_size(cell, max(0, width - 1))
        cut = len(shown)
        visible = clip(matches, 0, cut)
        if any(end > cut for _start, end in matches):
            visible.append((cut, cut + 1))  # a match in the part cut off: the ellipsis says so
        return [Piece(shown + ELLIPSIS, width, visible)]

    def _card_lines(self, index: int, matcher: Matcher | None) -> list[list[Piece]]:
        cells = self.cells[index]
        assert self.card_head is not None
        cards = (
            join_cells(cells, self._cell_widths[index], self.card_head),
            join_cells(cells, self._cell_widths[index], self._card_body),
        )
        lines: list[list[Piece]] = []
        for joined, indent, look in zip(cards, (1, CARD_INDENT), ("lead", ""), strict=True):
            if not joined.text and lines:
                continue  # no body; a card with an empty head still has its first line
            matches: Spans = []
            if matcher is not None:
                for column, start, _end in joined.parts:
                    matches += [(start + a, start + b) for a, b in matcher(cells[column])]
            # Where the first cell ends: what follows it is shown dimmer.
            first_end = joined.parts[0][2] if joined.parts else 0
            width = self.width - indent - 1
            for start, end in wrap_offsets(joined.text, width):
                text = joined.text[start:end]
                found = clip(matches, start, end)
                split = max(0, min(first_end - start, len(text)))
                gutter = Piece(" " * indent, indent, [])
                lead = Piece(text[:split], cell_len(text[:split]), clip(found, 0, split), look)
                rest = Piece(
                    text[split:], width - lead.width, clip(found, split, len(text)), "aside"
                )
                lines.append([gutter, lead, rest])
        return lines
