"""The summary pane (key 1): the summary's Markdown, then the key points, each with its
confidence and citation badges (as the other panes' items wear them)."""

from __future__ import annotations

from rich.console import Group
from rich.style import Style
from rich.text import Text

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief
from termbrief.core.sections import section
from termbrief.ui.panes.badges import badges_line, cited_badge, confidence_badge
from termbrief.ui.panes.pane import FIRST_FRAME_ITEMS, ListPane
from termbrief.ui.render.markdown import (
    Highlighter,
    MarkdownBlock,
    block_at,
    literal,
    render_markdown,
)
from termbrief.ui.widgets.item_list import Item

_GAP = Text()
_SUMMARY, _KEY_POINTS = str(Anchor("summary")), str(Anchor("key_points"))


class SummaryPane(ListPane):
    """Summary blocks (anchors ``summary/1``, ``summary/2``...: :meth:`Anchor.numbered`) and key
    points (``key_points/1``...). A jump to the whole summary with a text offset (a find
    match) lands on the block holding it; to the key points with a text, on that point."""

    SECTION = "summary"
    # The first screenful is enough for the first frame; the rest follows right after.
    FIRST_ITEMS = FIRST_FRAME_ITEMS
    COUNTED = False

    def __init__(self) -> None:
        super().__init__()
        self._source = ""
        self._blocks: list[MarkdownBlock] = []
        self._key_points: tuple[str, ...] = ()

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        # Kept for select_anchor, which maps a text offset to a paragraph or key point.
        self._source = brief.summary
        self._blocks = render_markdown(brief.summary, highlight)
        self._key_points = brief.key_points
        items = [
            # A blank line after each paragraph, as in print.
            Item(str(Anchor.numbered("summary", n)), Group(block.renderable, _GAP), block.links)
            for n, block in enumerate(self._blocks)
        ]
        for number, point in enumerate(brief.key_points):
            # Matches are found in the point as shown (cleaned), so marks land on what they mark.
            text = Text.assemble(("• ", Style(dim=True)), literal(point, highlight=highlight))
            badges = badges_line(
                (confidence_badge(point.confidence), cited_badge(len(point.cites))), highlight
            )
            if badges:
                text.append("  ")
                text.append_text(badges)
            anchor = str(Anchor.numbered("key_points", number))
            if number == 0:
                heading = Text(section("key_points").title, style=Style(bold=True, underline=True))
                items.append(Item(anchor, Group(heading, text)))
            else:
                items.append(Item(anchor, text))
        return items

    def select_anchor(
        self, anchor: str, offset: int | None = None, text: str | None = None
    ) -> bool:
        index: int | None = None
        if anchor == _SUMMARY and offset is not None and self._blocks:
            index = block_at(self._blocks, self._source, offset)
        elif anchor == _KEY_POINTS and text is not None and text in self._key_points:
            index = len(self._blocks) + self._key_points.index(text)
        if index is None:
            return super().select_anchor(anchor)
        self.show_all()
        self.highlighted = index
        self.scroll_to_highlight(top=True)
        return True
