"""The timeline pane (key 5): dated events in the brief's order."""

from __future__ import annotations

from functools import partial

from rich.style import Style
from rich.text import Text

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief, TimelineEvent
from termbrief.ui.panes.badges import badges_line, cited_badge, confidence_badge
from termbrief.ui.panes.pane import ListPane
from termbrief.ui.render.markdown import Highlighter, Prefixed, literal
from termbrief.ui.widgets.item_list import Item, Shown

_DIM = Style(dim=True)

DATE_WIDTH = 12
"""Room for ``2024-09-09`` and two spaces; events wrap under their own text, not the date.
A brief with wider dates (ranges, ongoing spans) widens the column to its widest date."""


class TimelinePane(ListPane):
    """One item per event (anchor ``timeline/<n>``, counting from 1: :meth:`Anchor.event`)."""

    SECTION = "timeline"

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        # Each rendered when the list draws or measures it; the date column fits the widest.
        width = max((len(event.date.text) + 2 for event in brief.timeline), default=0)
        width = max(width, DATE_WIDTH)
        return [
            Item.lazy(
                str(Anchor.event(index)),
                partial(_shown, brief, event, width, highlight),
                size_key=(event, width),
            )
            for index, event in enumerate(brief.timeline)
        ]


def _shown(brief: Brief, event: TimelineEvent, width: int, highlight: Highlighter | None) -> Shown:
    date = literal(event.date.text.ljust(width), Style(bold=True), highlight)
    body = literal(event.event, "", highlight)
    names = [_actor_name(brief, actor_id) for actor_id in event.actors]
    if names:
        body.append("  ")
        body.append_text(literal("· " + ", ".join(names), _DIM, highlight))
    badges = badges_line(
        (confidence_badge(event.confidence), cited_badge(len(event.cites))), highlight
    )
    if badges:
        body.append("  ")
        body.append_text(badges)
    return Prefixed(body, date, Text(" " * width)), ()


def _actor_name(brief: Brief, actor_id: str) -> str:
    actor = brief.actor(actor_id)
    return actor.name if actor is not None else actor_id
