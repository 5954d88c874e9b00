"""The key figures pane (key 2): value as said aloud, what it counts, period; sortable."""

from __future__ import annotations

from typing import Any

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief, Figure
from termbrief.ui.panes.pane import TablePane
from termbrief.ui.widgets.record_table import Column, Record

COLUMNS = (
    Column("Value", max_width=24, min_width=10, wrap=True, priority=2),
    Column("Figure", max_width=60, flex=True, min_width=14, wrap=True, priority=2),
    Column("Period", max_width=18, min_width=6),
)


def value_sort_key(figure: Figure) -> tuple[int, Any]:
    """Numbers sort by size and before text values (``2025-2027``, ``early 2000s``)."""
    value = figure.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value).casefold())


def figure_record(figure: Figure) -> Record:
    """One table row for ``figure``."""
    period = figure.period or ""
    return Record(
        str(Anchor.figure(figure.id)),
        (figure.value_text(), figure.label, period),
        (value_sort_key(figure), figure.label.casefold(), period.casefold()),
    )


class FiguresPane(TablePane):
    """The brief's key figures as a :class:`RecordTable` pane (``#figures-table``)."""

    SECTION = "figures"
    COLUMNS = COLUMNS

    def records_for(self, brief: Brief) -> list[Record]:
        return [figure_record(figure) for figure in brief.figures]
