"""The key figures pane (key 2): label, value as said aloud, period; sortable."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.content import Content

from termbrief.model import Brief, Figure
from termbrief.widgets.markdown import Highlighter
from termbrief.widgets.pane import Pane
from termbrief.widgets.record_table import Column, Record, RecordTable

COLUMNS = (
    Column("Figure", max_width=60, flex=True, min_width=12),
    Column("Value", max_width=24, min_width=8),
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
        f"figures/{figure.id}",
        (figure.label, figure.value_text(), period),
        (figure.label.casefold(), value_sort_key(figure), period.casefold()),
    )


class FiguresPane(Pane):
    """The brief's key figures in a :class:`RecordTable` (``#figures-table``)."""

    SECTION = "figures"

    def __init__(self) -> None:
        super().__init__()
        self._table = RecordTable(COLUMNS, id="figures-table")

    def compose(self) -> ComposeResult:
        yield self._table

    def on_mount(self) -> None:
        # The footer leaves these out (it would be rebuilt on every move between panes).
        self.border_subtitle = Content("s sort · ⏎ details")

    @property
    def body(self) -> RecordTable:
        """The figures table."""
        return self._table

    def show_brief(
        self, brief: Brief, highlight: Highlighter | None = None, *, keep: bool = False
    ) -> None:
        self._table.highlighter = highlight
        self._table.set_records([figure_record(figure) for figure in brief.figures])
        self.count = len(brief.figures)

    def select_anchor(
        self, anchor: str, offset: int | None = None, text: str | None = None
    ) -> bool:
        return self._table.select_anchor(anchor)

    def current_anchor(self) -> str:
        record = self._table.current
        return record.anchor if record is not None else self.SECTION
