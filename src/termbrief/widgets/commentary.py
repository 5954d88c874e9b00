"""The commentary pane (key 4): each view with its author, affiliation, heading, stance, body."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult

from termbrief.model import Brief, Commentary
from termbrief.widgets.item_list import Item, ItemList
from termbrief.widgets.markdown import Highlighter, literal, render_markdown
from termbrief.widgets.pane import Pane
from termbrief.widgets.summary import FIRST_FRAME_ITEMS

_DIM = Style(dim=True)


def commentary_item(entry: Commentary, highlight: Highlighter | None = None) -> Item:
    """One list item for a commentary entry."""
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
    return Item(f"commentary/{entry.id}", Group(*parts), tuple(links))


class CommentaryPane(Pane):
    """Analysts' views, one item each (anchor ``commentary/<id>``)."""

    SECTION = "commentary"

    def __init__(self) -> None:
        super().__init__()
        self._list = ItemList(id="commentary-list")

    def compose(self) -> ComposeResult:
        yield self._list

    @property
    def body(self) -> ItemList:
        """The list of commentary entries."""
        return self._list

    def show_brief(
        self, brief: Brief, highlight: Highlighter | None = None, *, keep: bool = False
    ) -> None:
        items = [commentary_item(entry, highlight) for entry in brief.commentary]
        # Only the entries the pane shows are laid out for the first frame; the rest right after.
        self._list.set_items(items, keep_position=keep, first=FIRST_FRAME_ITEMS)
        self.count = len(items)

    def select_anchor(
        self, anchor: str, offset: int | None = None, text: str | None = None
    ) -> bool:
        return self._list.select_anchor(anchor)

    def current_anchor(self) -> str:
        item = self._list.current
        return item.anchor if item is not None else self.SECTION
