"""The key figures pane (key 2): a card per figure, value first; sortable.

Each figure is a card: its value as said aloud (bold) on the first line, then what it counts and
its period (dim), indented and wrapped over the pane's width as far as they need. Every
value and label shows in full at any size; the other fields (context, source) are in the detail
(Enter).

Why cards and not rows: both were tried on the sample library and a brief from a UNCTAD report.
As a table (value, label, period side by side, the label and value wrapping) the label only gets
what the value and period leave: in a quarter of the grid it wraps at a dozen or so columns, rows
run to five lines and most periods are cut. A card gives the label the whole width: it takes
fewer lines wherever the pane is narrow (a quarter of the grid, 80 columns) and never cuts a
period. Maximised on a wide screen a row would be one line and a card is two; that is the price.
"""

from __future__ import annotations

from typing import Any

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief, Figure, ValueRange
from termbrief.ui.panes.badges import confidence_badge
from termbrief.ui.panes.pane import TablePane
from termbrief.ui.widgets.record_table import Column, Record

COLUMNS = (
    Column("Figure", wrap=True),
    Column("Value", wrap=True),
    Column("Period", wrap=True),
)
"""Sort keys in ``s`` order; the card shows the Value, then the Figure (its label) and Period."""
CARD_HEAD = (1,)


def value_sort_key(figure: Figure) -> tuple[int, Any]:
    """Numbers sort by size, ranges (``12–15``) by their midpoint among them, and both before
    text values (``2025-2027``, ``early 2000s``)."""
    value = figure.value
    if isinstance(value, ValueRange):
        return (0, value.midpoint)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value).casefold())


def period_cell(figure: Figure) -> str:
    """The period, then the figure's confidence: ``2023  confidence:low`` (the sources it
    cites are in the detail)."""
    return "  ".join(part for part in (figure.period, confidence_badge(figure.confidence)) if part)


def figure_record(figure: Figure) -> Record:
    """One record for ``figure``: label, value as said aloud (with its change), period."""
    period = figure.period or ""
    return Record(
        str(Anchor.figure(figure.id)),
        (figure.label, figure.shown_value(), period_cell(figure)),
        (figure.label.casefold(), value_sort_key(figure), period.casefold()),
    )


class FiguresPane(TablePane):
    """The brief's key figures as cards in a :class:`RecordTable` pane (``#figures-table``)."""

    SECTION = "figures"
    COLUMNS = COLUMNS
    CARD_HEAD = CARD_HEAD

    def records_for(self, brief: Brief) -> list[Record]:
        return [figure_record(figure) for figure in brief.figures]
