"""The drawn lines (``Strip``) of a :class:`~termbrief.ui.widgets.record_table.RecordTable`.

:class:`~.table_layout.TableLayout` says what text each line of a record holds; these functions
turn that text into segments in the table's styles: the header (with the sort arrow, and the
``header`` meta a click sorts by), and every line of one record (with the ``row`` meta a click
moves the cursor to, search matches marked). Cells are literal text: nothing is parsed as markup.
"""

from __future__ import annotations

from rich.cells import set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from termbrief.ui.render.markdown import HIGHLIGHT_STYLE, Highlighter
from termbrief.ui.widgets.change_marks import OWN_NOTE, THEIR_NOTE, THEIR_NOTE_STYLE
from termbrief.ui.widgets.table_layout import SEPARATOR, Piece, TableLayout

__all__ = ["LOOKS", "REVERSED_HIGHLIGHT", "THEIR_NOTE_LOOK", "header_strip", "row_strips"]

REVERSED_HIGHLIGHT = Style(reverse=False, bold=True, underline=True)
"""A search match inside a reversed row: reversing it again would hide it."""
THEIR_NOTE_LOOK = "their-note"
"""The look of the gutter of a row whose notes are all colleagues'."""
LOOKS = {"lead": Style(bold=True), "aside": Style(dim=True), THEIR_NOTE_LOOK: THEIR_NOTE_STYLE}
"""Added to a card's pieces (``Piece.look``): what the card is about (a figure's value) bold,
the cells after the first on the same lines (a figure's period) dim."""


def header_strip(
    layout: TableLayout, sort_column: int | None, sort_reverse: bool, style: Style, width: int
) -> Strip:
    """The header line, ``width`` cells in ``style``: the column labels over the rows (over
    cards, the sort keys one after another), an arrow on the one sorted by."""
    cards = layout.card_head is not None
    segments: list[Segment] = []
    for index, column in enumerate(layout.columns):
        arrow = (" ▼" if sort_reverse else " ▲") if index == sort_column else ""
        label, cell_width = column.label + arrow, layout.widths[index]
        meta = Style.from_meta({"header": index})
        # The gaps carry the style too: a None style crashes NO_COLOR's filter.
        if cards:  # no columns to head: the sort keys, one after another
            segments.append(Segment(SEPARATOR if index else " ", style))
            segments.append(Segment(label, style + meta))
        else:
            segments.append(Segment(" ", style))
            segments.append(Segment(set_cell_size(label, cell_width), style + meta))
    return Strip(segments).adjust_cell_length(width, style)


def row_strips(
    layout: TableLayout,
    index: int,
    position: int,
    style: Style,
    mark: str,
    highlighter: Highlighter | None,
    console: Console,
) -> list[Strip]:
    """Every line of record ``index`` (at display ``position``) in ``style``, ``mark`` in the
    gutter, the matches of ``highlighter`` marked."""
    match = REVERSED_HIGHLIGHT if style.reverse else HIGHLIGHT_STYLE
    strips = []
    lines = layout.lines(index, highlighter, bool(mark), mark or OWN_NOTE)
    if mark == THEIR_NOTE:  # the gutter piece of the first line holds the marker
        lines[0][0] = lines[0][0]._replace(look=THEIR_NOTE_LOOK)
    for line in lines:
        segments: list[Segment] = []
        for piece in line:
            segments += _piece(piece, style, match, LOOKS.get(piece.look), console)
        strip = Strip(segments).adjust_cell_length(layout.width, style)
        strips.append(strip.apply_meta({"row": position}))
    return strips


def _piece(
    piece: Piece, style: Style, match: Style, look: Style | None, console: Console
) -> list[Segment]:
    """``piece`` padded to its width in ``style`` (plus ``look``), matches in ``match``."""
    if look is not None:
        style += look
    if not piece.matches:
        return [Segment(set_cell_size(piece.text, piece.width), style)]
    text = Text(piece.text, style=style)
    for start, end in piece.matches:
        text.stylize(match, start, end)
    text.pad_right(piece.width - text.cell_len)
    return list(text.render(console))
