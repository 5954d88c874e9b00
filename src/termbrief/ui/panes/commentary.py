"""The commentary pane (key 4): each view with its author, affiliation, heading, stance, body."""

from __future__ import annotations

from functools import partial

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief, Commentary
from termbrief.ui.panes.pane import FIRST_FRAME_ITEMS, ListPane
from termbrief.ui.render.markdown import Highlighter, literal, render_markdown
from termbrief.ui.widgets.item_list import Item, Shown

_DIM = Style(dim=True)


def commentary_item(entry: Commentary, highlight: Highlighter | None = None) -> Item:
    """One list item for a commentary entry, rendered when the list draws or measures it.

    Entries with the same text take as many lines (marks from ``highlight`` only restyle).
    """
    size_key = (entry.heading, entry.author, entry.affiliation, entry.stance, entry.body)
    return Item.lazy(
        str(Anchor.commentary(entry.id)), partial(_shown, entry, highlight), size_key=size_key
    )


def _shown(entry: Commentary, highlight: Highlighter | None) -> Shown:
    parts: list[RenderableType] = []
    if entry.heading:
        parts.append(literal(entry.heading, Style(bold=True), highlight))
    byline = Text.assemble(literal(entry.author, Style(italic=True), highlight))
    if entry.affiliation:
        byline.append(", ", _DIM)
        byline.append_text(literal(entry.affiliation, _DIM, highlight))
    if entry.stance:
        byline.append("  ·  stance: ", _DIM)
        byline.append_text(literal(entry.stance, Style(italic=True), highlight))
    parts.append(byline)
    links: list[str] = []
    for block in render_markdown(entry.body, highlight):
        parts.extend((Text(), block.renderable))
        links.extend(block.links)
    parts.append(Text())
    return Group(*parts), tuple(links)


class CommentaryPane(ListPane):
    """Analysts' views, one item each (anchor ``commentary/<id>``)."""

    SECTION = "commentary"
    # Only the entries the pane shows are laid out for the first frame; the rest right after.
    FIRST_ITEMS = FIRST_FRAME_ITEMS

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        return [commentary_item(entry, highlight) for entry in brief.commentary]
