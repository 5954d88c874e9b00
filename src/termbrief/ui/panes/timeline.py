"""The timeline pane (key 5): dated events in the brief's order."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief
from termbrief.ui.panes.pane import ListPane
from termbrief.ui.render.markdown import Highlighter, Prefixed, literal
from termbrief.ui.widgets.item_list import Item

DATE_WIDTH = 12
"""Room for ``2024-09-09`` and two spaces; events wrap under their own text, not the date."""


class TimelinePane(ListPane):
    """One item per event (anchor ``timeline/<n>``, counting from 1: :meth:`Anchor.event`)."""

    SECTION = "timeline"

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        items = []
        for index, event in enumerate(brief.timeline):
            date = literal(str(event.date).ljust(DATE_WIDTH), Style(bold=True), highlight)
            body = literal(event.event, "", highlight)
            renderable = Prefixed(body, date, Text(" " * DATE_WIDTH))
            items.append(Item(str(Anchor.event(index)), renderable))
        return items
