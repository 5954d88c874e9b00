"""How a :class:`~termbrief.ui.widgets.record_table.RecordTable` shares its width and wraps cells.

Pure functions over plain strings and numbers, no widget: the table calls them once per width.

Widths: every column starts at its natural width (its widest cell, at most ``max_width``). When
the columns do not fit, they give way in order of ``priority``, the lowest first (among equals,
the one with most to spare first), each down to its ``min_width``. A column that ``wrap``s then
shows its text over as many lines as it needs; any other is cut with ``…``. Room to spare goes to
the ``flex`` column.

Wrapping is greedy, at spaces, counted in terminal cells; a word wider than its column is folded.
Rich's ``Text.wrap`` does the same but builds a ``Text`` and its lines for every cell, an order
of magnitude slower: a table of 10,000 figures is measured at every new width, so lines are kept
as offsets into the cell's text and only the rows on screen are ever cut into strings.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from rich.cells import cell_len, chop_cells

ELLIPSIS = "…"
"""Ends a cell cut short (in a column that does not wrap)."""


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


def column_widths(columns: Sequence[Column], natural: Sequence[int], width: int) -> list[int]:
    """The width of each column in a table ``width`` cells wide (one blank before each column
    and one at the end), from each column's ``natural`` width (see the module docstring)."""
    widths = list(natural)
    room = width - len(columns) - 1
    excess = sum(widths) - room
    for rank in sorted({column.priority for column in columns}):
        if excess <= 0:
            break
        group = [i for i, column in enumerate(columns) if column.priority == rank]
        while excess > 0:
            spare = max(group, key=lambda i: widths[i] - columns[i].min_width)
            if widths[spare] <= columns[spare].min_width:
                break
            widths[spare] -= 1
            excess -= 1
    flexible = next((i for i, column in enumerate(columns) if column.flex), None)
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
    used = 0
    position = 0
    for word in text.split(" "):
        start = position
        position += len(word) + 1
        if not word:
            continue
        word_width = measure(word)
        gap = start - line_end
        if line_start >= 0 and used + gap + word_width <= width:
            line_end = start + len(word)
            used += gap + word_width
            continue
        if line_start >= 0:
            lines.append((line_start, line_end))
        if word_width > width:
            pieces = chop_cells(word, width)
            for piece in pieces[:-1]:
                lines.append((start, start + len(piece)))
                start += len(piece)
            word = pieces[-1]
            word_width = measure(word)
        line_start, line_end, used = start, start + len(word), word_width
    if line_start >= 0:
        lines.append((line_start, line_end))
    return lines or [(0, 0)]


def line_count(text: str, text_width: int, width: int) -> int:
    """How many lines ``text`` (``text_width`` cells) takes wrapped at ``width`` cells."""
    return 1 if text_width <= width else len(wrap_offsets(text, width))


def clip(spans: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``spans`` (offsets in a cell) inside ``start:end``, relative to ``start``."""
    return [
        (max(low, start) - start, min(high, end) - start)
        for low, high in spans
        if low < end and high > start
    ]
