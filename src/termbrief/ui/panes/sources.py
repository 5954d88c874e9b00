"""The sources pane (key 6): where the facts come from.

Enter opens a source's detail (its facts, and what in the brief rests on it); ``o`` offers to
open its address straight from the pane, as the detail does.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief, Source
from termbrief.ui.panes.badges import reliability_badge
from termbrief.ui.panes.pane import ListPane
from termbrief.ui.render.markdown import Highlighter, link_style, literal, render_markdown
from termbrief.ui.render.safe import reveal
from termbrief.ui.widgets.item_list import Item, Shown

_DIM = Style(dim=True)

OPEN_LINK_ID = "item.link"
"""The id of the binding that opens a source's link (in the pane and in the source's detail)."""


def source_item(source: Source, index: int, highlight: Highlighter | None = None) -> Item:
    """One list item for the source ``brief.sources[index]`` (anchor ``sources/<index + 1>``),
    rendered when the list draws or measures it."""
    anchor = str(Anchor.numbered("sources", index))
    return Item.lazy(anchor, partial(_shown, source, highlight), size_key=source)


def _shown(source: Source, highlight: Highlighter | None) -> Shown:
    parts: list[RenderableType] = [literal(source.title, Style(bold=True), highlight)]
    details = [
        value
        for value in (
            source.author,
            source.publisher,
            source.published.text if source.published else None,
            source.kind,
            reliability_badge(source.reliability),
            f"id: {source.id}" if source.id else None,
        )
        if value
    ]
    if details:
        line = Text()
        for index, value in enumerate(details):
            if index:
                line.append(" · ", _DIM)
            line.append_text(literal(value, _DIM, highlight))
        parts.append(line)
    links: list[str] = []
    if source.url:
        # The address as it must be checked: every character that does not print shows.
        parts.append(literal(reveal(source.url), link_style(source.url), highlight))
        links.append(source.url)
    if source.note:
        for block in render_markdown(source.note, highlight):
            parts.append(block.renderable)
            links.extend(block.links)
    parts.append(Text())
    return Group(*parts), tuple(links)


class SourcesPane(ListPane):
    """One item per source (anchor ``sources/<n>``, counting from 1)."""

    SECTION = "sources"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_link", "Open the source's link", id=OPEN_LINK_ID),
    ]

    class LinksAsked(Message):
        """The reader asked to open the link of the source under the cursor (the screen
        confirms it, or lets them pick one of several first)."""

        def __init__(self, links: tuple[str, ...]) -> None:
            super().__init__()
            self.links = links
            """The source's addresses: its ``url``, then the links of its note."""

    def action_open_link(self) -> None:
        """Ask to open the link of the source under the cursor (Enter opens its detail)."""
        item = self.current
        if item is not None and item.links:
            self.post_message(self.LinksAsked(item.links))

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        return [source_item(source, n, highlight) for n, source in enumerate(brief.sources)]
