"""The sources pane (key 6): where the facts come from; Enter offers to open a source's address."""

from __future__ import annotations

from functools import partial

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief, Source
from termbrief.ui.panes.badges import reliability_badge
from termbrief.ui.panes.pane import ListPane
from termbrief.ui.render.markdown import Highlighter, link_style, literal, render_markdown
from termbrief.ui.render.safe import reveal
from termbrief.ui.widgets.item_list import Item, Shown

_DIM = Style(dim=True)


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

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        return [source_item(source, n, highlight) for n, source in enumerate(brief.sources)]
