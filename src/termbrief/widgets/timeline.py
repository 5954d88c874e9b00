"""The timeline pane (key 5): dated events in the brief's order."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult

from termbrief.model import Brief
from termbrief.widgets.item_list import Item, ItemList
from termbrief.widgets.markdown import Highlighter, Prefixed, literal
from termbrief.widgets.pane import Pane

DATE_WIDTH = 12
"""Room for ``2024-09-09`` and two spaces; events wrap under their own text, not the date."""


class TimelinePane(Pane):
    """One item per event (anchor ``timeline/<n>``, counting from 1)."""

    SECTION = "timeline"

    def __init__(self) -> None:
        super().__init__()
        self._list = ItemList(id="timeline-list")

    def compose(self) -> ComposeResult:
        yield self._list

    @property
    def body(self) -> ItemList:
        """The list of events."""
        return self._list

    def show_brief(
        self, brief: Brief, highlight: Highlighter | None = None, *, keep: bool = False
    ) -> None:
        items = []
        for number, event in enumerate(brief.timeline, start=1):
            date = literal(str(event.date).ljust(DATE_WIDTH), Style(bold=True), highlight)
            body = literal(event.event, "", highlight)
            renderable = Prefixed(body, date, Text(" " * DATE_WIDTH))
            items.append(Item(f"timeline/{number}", renderable))
        self._list.set_items(items, keep_position=keep)
        self.count = len(items)

    def select_anchor(
        self, anchor: str, offset: int | None = None, text: str | None = None
    ) -> bool:
        return self._list.select_anchor(anchor)

    def current_anchor(self) -> str:
        item = self._list.current
        return item.anchor if item is not None else self.SECTION
