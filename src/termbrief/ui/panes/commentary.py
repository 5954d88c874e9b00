"""The commentary pane (key 4): each view with its author, affiliation, heading, stance, body."""

from __future__ import annotations

from functools import partial

import msgspec
from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief, Commentary
from termbrief.ui.panes.badges import badges_line, cited_badge, confidence_badge
from termbrief.ui.panes.pane import FIRST_FRAME_ITEMS, ListPane
from termbrief.ui.render.markdown import (
    Highlighter,
    Prefixed,
    link_style,
    literal,
    render_markdown,
)
from termbrief.ui.render.safe import reveal
from termbrief.ui.widgets.item_list import Item, Shown

_DIM = Style(dim=True)
_ASSESSMENT = Style(bold=True, underline=True)
_BAR = Text("▌  ", style=Style(dim=True))
_OPENING = Text.assemble(("▌", Style(dim=True)), ("“ ", Style(dim=True, bold=True)))


def _quoted(renderable: RenderableType, *, opening: bool, closing: bool) -> RenderableType:
    """A block of a quotation: a bar down the left, “ hanging in the margin of the first line,
    ” on a line of its own after the last block (the words stay as written: find and the
    coloured words of notes look for them as they are)."""
    first = _OPENING if opening else _BAR
    if closing:
        renderable = Group(renderable, Text("”", style=_DIM))
    return Prefixed(renderable, first, _BAR)


def commentary_item(entry: Commentary, highlight: Highlighter | None = None) -> Item:
    """One list item for a commentary entry, rendered when the list draws or measures it: an
    assessment is labelled as the brief's own, a quotation is set off by a bar and quotation
    marks. Entries that differ only in their id take as many lines (marks from ``highlight``
    only restyle)."""
    size_key = msgspec.structs.replace(entry, id="")
    return Item.lazy(
        str(Anchor.commentary(entry.id)), partial(_shown, entry, highlight), size_key=size_key
    )


def _shown(entry: Commentary, highlight: Highlighter | None) -> Shown:
    parts: list[RenderableType] = []
    if entry.heading:
        parts.append(literal(entry.heading, Style(bold=True), highlight))
    byline = Text()
    if entry.author:
        byline.append_text(literal(entry.author, Style(italic=True), highlight))
    if entry.affiliation:
        byline.append(", ", _DIM)
        byline.append_text(literal(entry.affiliation, _DIM, highlight))
    if entry.kind == "assessment":
        byline.append("  ·  " if byline else "")
        byline.append("the brief's assessment", _ASSESSMENT)
    if entry.stance:
        byline.append("  ·  stance: ", _DIM)
        byline.append_text(literal(entry.stance, Style(italic=True), highlight))
    if byline:
        parts.append(byline)
    said = [entry.medium or "", entry.date.text if entry.date is not None else ""]
    badges = [confidence_badge(entry.confidence), cited_badge(len(entry.cites))]
    where = badges_line([*said, *badges], highlight)
    if where:
        parts.append(where)
    links: list[str] = []
    blocks = render_markdown(entry.body, highlight)
    for number, block in enumerate(blocks):
        renderable: RenderableType = block.renderable
        if entry.quote:
            # Verbatim words: a bar down the side, quotation marks around the whole.
            first, last = number == 0, number == len(blocks) - 1
            renderable = _quoted(renderable, opening=first, closing=last)
        parts.extend((Text(), renderable))
        links.extend(block.links)
    if entry.url:
        parts.append(literal(reveal(entry.url), link_style(entry.url), highlight))
        links.append(entry.url)
    parts.append(Text())
    return Group(*parts), tuple(links)


class CommentaryPane(ListPane):
    """Analysts' views, one item each (anchor ``commentary/<id>``)."""

    SECTION = "commentary"
    # Only the entries the pane shows are laid out for the first frame; the rest right after.
    FIRST_ITEMS = FIRST_FRAME_ITEMS

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        return [commentary_item(entry, highlight) for entry in brief.commentary]
