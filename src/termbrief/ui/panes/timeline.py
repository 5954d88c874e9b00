"""The timeline pane (key 5): dated events in the brief's order."""

from __future__ import annotations

from functools import partial

from rich.style import Style
from rich.text import Text

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief, TimelineEvent
from termbrief.ui.panes.pane import ListPane
from termbrief.ui.render.markdown import Highlighter, Prefixed, literal
from termbrief.ui.widgets.item_list import Item, Shown

DATE_WIDTH = 12
"""Room for ``2024-09-09`` and two spaces; events wrap under their own text, not the date."""


class TimelinePane(ListPane):
    """One item per event (anchor ``timeline/<n>``, counting from 1: :meth:`Anchor.event`)."""

    SECTION = "timeline"

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        # Each rendered when the list draws or measures it.
        return [
            Item.lazy(str(Anchor.event(index)), partial(_shown, event, highlight), size_key=event)
            for index, event in enumerate(brief.timeline)
        ]


def _shown(event: TimelineEvent, highlight: Highlighter | None) -> Shown:
    date = literal(str(event.date).ljust(DATE_WIDTH), Style(bold=True), highlight)
    body = literal(event.event, "", highlight)
    return Prefixed(body, date, Text(" " * DATE_WIDTH)), ()
