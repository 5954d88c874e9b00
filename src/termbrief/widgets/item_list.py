"""ItemList: a virtualised list of multi-line items (paragraphs, commentary entries, events).

Built on ``OptionList``, which renders only the visible lines, so a 300-paragraph summary costs no
widget per paragraph. Two additions for reading:

- a gutter bar marks the current item instead of a heavy block cursor;
- ``j``/``k`` first scroll through an item taller than the pane, and only then move to the next
  one, so a long entry can be read to its end from the keyboard.

Each item carries an *anchor* (``summary``, ``commentary/<id>``, ``timeline/3``...), the address
notes and search use for it. Several items may share one anchor (the paragraphs of a summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import RenderableType
from rich.segment import Segment
from textual import events, on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

READING_STEP = 3
"""Lines scrolled by one ``j``/``k`` inside an item taller than the pane."""

MOVE_BINDINGS: list[BindingType] = [
    Binding("down,j", "cursor_down", "Next", show=False, id="cursor.down"),
    Binding("up,k", "cursor_up", "Previous", show=False, id="cursor.up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="cursor.page_down"),
    Binding("pageup", "page_up", "Page up", show=False, id="cursor.page_up"),
    Binding("home,g", "first", "First", show=False, id="cursor.first"),
    Binding("end,G", "last", "Last", show=False, id="cursor.last"),
]
"""Movement keys shared by every list-like pane (same ids, so one keymap entry remaps all)."""


@dataclass(frozen=True)
class Item:
    """One entry of an :class:`ItemList`."""

    anchor: str
    """Where the item lives in the brief (notes-style anchor)."""
    renderable: RenderableType
    """What to show (built from literal ``Text``, never markup)."""
    links: tuple[str, ...] = ()
    """Addresses of the links in the item."""


class ItemList(OptionList):
    """A list of :class:`Item` with a reading cursor."""

    BINDING_GROUP_TITLE = "List"
    BINDINGS: ClassVar[list[BindingType]] = [
        *MOVE_BINDINGS,
        Binding("enter", "select", "Open", show=False, id="item.open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "item-list--cursor",
        "item-list--gutter",
        "item-list--gutter-focused",
    }
    """The focused look has classes of its own instead of ``:focus`` rules: see
    :meth:`watch_has_focus`."""

    class Activated(Message):
        """Enter (or a click) on an item; the pane decides what opening it means."""

        def __init__(self, item_list: ItemList, item: Item) -> None:
            super().__init__()
            self.item_list = item_list
            self.item = item

        @property
        def control(self) -> ItemList:
            """The list that sent the message (for ``@on`` selectors)."""
            return self.item_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._items: list[Item] = []
        self._lines_width = -1
        self.marked_anchors: frozenset[str] = frozenset()
        """Anchors whose items carry a marker in the gutter (e.g. items with notes)."""
        self._generation = 0

    @property
    def items(self) -> Sequence[Item]:
        """The items, in display order."""
        return self._items

    @property
    def current(self) -> Item | None:
        """The item under the cursor."""
        index = self.highlighted
        return self._items[index] if index is not None and index < len(self._items) else None

    def set_items(
        self, items: Sequence[Item], *, keep_position: bool = False, first: int | None = None
    ) -> None:
        """Replace every item; the cursor goes to the first one unless ``keep_position``.

        With ``first``, only that many items are measured and shown at once and the rest are
        added after the next frame: a 300-paragraph summary shows its top without waiting for
        every paragraph to be laid out.
        """
        old_highlight, old_scroll = self.highlighted, self.scroll_y
        self._items = list(items)
        self._generation += 1
        shown = self._items if first is None or keep_position else self._items[:first]
        self.set_options(Option(item.renderable) for item in shown)
        if len(shown) < len(self._items):
            self.call_after_refresh(self._add_rest, self._generation, len(shown))
        if keep_position and old_highlight is not None and self._items:
            self.highlighted = min(old_highlight, len(self._items) - 1)
            self.scroll_to(y=old_scroll, animate=False, immediate=True)
        elif self._items:
            self.highlighted = 0

    def set_marked(self, anchors: frozenset[str]) -> None:
        """Mark the items at ``anchors`` (e.g. those with notes) with a dot in the gutter."""
        self.marked_anchors = anchors
        self.refresh()

    def _add_rest(self, generation: int, start: int) -> None:
        if generation == self._generation:
            self.add_options(Option(item.renderable) for item in self._items[start:])

    def show_all(self) -> None:
        """Add at once any items still waiting for the next frame."""
        if self.option_count < len(self._items):
            self._add_rest(self._generation, self.option_count)

    def index_of(self, anchor: str) -> int | None:
        """Index of the first item with ``anchor``."""
        return next((i for i, item in enumerate(self._items) if item.anchor == anchor), None)

    def select_anchor(self, anchor: str) -> bool:
        """Move the cursor to the first item with ``anchor``, scrolled to the top of the pane."""
        index = self.index_of(anchor)
        if index is None:
            return False
        self.show_all()
        self.highlighted = index
        self.scroll_to_highlight(top=True)
        return True

    # -- rendering -------------------------------------------------------------------------------

    def _get_left_gutter_width(self) -> int:
        return 2

    @on(events.Resize)
    def _keep_measured_lines(self, event: events.Resize) -> None:
        # OptionList forgets every measured item on any resize, so a list shown again (the grid
        # after Timeline, a pane after a maximise) was rendered in full again: ~50 ms for the
        # sample brief's summary. Heights depend on the width only, which _update_lines watches.
        event.prevent_default()
        self.refresh()

    def _update_lines(self) -> None:
        # OptionList clears its line cache on Resize only, but a scrollbar appearing narrows the
        # content without a Resize: item heights would be measured at the old width and the
        # last lines of long items cut off. Re-measure whenever the width differs.
        width = self.scrollable_content_region.width
        if (
            width == self._lines_width
            and width
            and len(self._line_cache.heights) == len(self.options)
        ):
            return  # all measured at this width (this runs for every line drawn)
        if width != self._lines_width:
            self._lines_width = width
            self._line_cache.clear()
            self._option_render_cache.clear()
        if width:
            self._measure_new_items()
        super()._update_lines()  # measures the items out of view, sets the virtual size

    def _measure_new_items(self) -> None:
        """Measure the items in view by rendering them, as they will be drawn.

        OptionList renders every item once to count its lines, then again to draw it. For the
        items that fill the view, the count is taken from the drawn lines, which OptionList
        caches, so they are rendered once; the items below are left to OptionList's count
        (cheaper than drawing, and nothing is kept).
        """
        cache = self._line_cache
        lines = cache.lines
        options = self.options
        start = lines[-1][0] + 1 if lines else 0
        in_view = self.scroll_offset.y + self.scrollable_content_region.height
        if start >= len(options) or len(lines) >= in_view:
            return
        style = self.get_visual_style("option-list--option")
        for index in range(start, len(options)):
            height = len(self._get_option_render(options[index], style))
            cache.index_to_line[index] = len(lines)
            cache.heights[index] = height
            lines.extend((index, line) for line in range(height))
            if len(lines) >= in_view:
                break

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Widget restyles the list and its scrollbars here, ~1 ms per focus move and list, and
        # the scrollbars repaint. No style of the list depends on :focus (app.tcss): the lines
        # pick the focused look themselves, and Widget's focus handlers repaint the list.
        pass

    def render_line(self, y: int) -> Strip:
        # OptionList.render_line, except that the current item takes item-list--cursor while
        # the list has focus (instead of a :focus rule, see watch_has_focus).
        line = self.scroll_offset.y + y
        lines = self._lines  # OptionList's (option index, line) table; no public accessor
        focused = self.has_focus
        index: int | None = None
        strip: Strip | None = None
        if line < len(lines):
            index, offset = lines[line]
            option = self.options[index]
            component = ""
            if option.disabled:
                component = "option-list--option-disabled"
            elif index == self.highlighted:
                component = "item-list--cursor" if focused else "option-list--option-highlighted"
            elif index == self._mouse_hovering_over:
                component = "option-list--option-hover"
            if component:
                visual_style = self.get_visual_style("option-list--option", component)
            else:
                visual_style = self.get_visual_style("option-list--option")
            strips = self._get_option_render(option, visual_style)
            if offset < len(strips):
                strip = strips[offset]
        if strip is None:
            index = None
            strip = Strip.blank(
                self.scrollable_content_region.width,
                self.get_visual_style("option-list--option").rich_style,
            )
        current = index is not None and index == self.highlighted
        noted = (
            index is not None
            and index < len(self._items)
            and (self._items[index].anchor in self.marked_anchors)
        )
        gutter_style = self.get_component_rich_style(
            "item-list--gutter-focused" if focused else "item-list--gutter"
        )
        # Column 1: the cursor bar; column 2: a dot for items with a note (see marked_anchors).
        gutter = Segment(("▌" if current else " ") + ("•" if noted else " "), gutter_style)
        return Strip([gutter, *strip], strip.cell_length + 2)

    # -- movement --------------------------------------------------------------------------------

    def _item_span(self) -> tuple[int, int] | None:
        index = self.highlighted
        if index is None:
            return None
        top = self._index_to_line.get(index)
        if top is None:
            return None
        return top, top + self._heights[index]

    def action_cursor_down(self) -> None:
        """Scroll through a tall item first, then move to the next item."""
        span = self._item_span()
        view_bottom = self.scroll_y + self.scrollable_content_region.height
        if span is not None and span[1] > view_bottom:
            self.scroll_relative(y=READING_STEP, animate=False, immediate=True)
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Scroll back through a tall item first, then move to the previous item."""
        span = self._item_span()
        if span is not None and span[0] < self.scroll_y:
            self.scroll_relative(y=-READING_STEP, animate=False, immediate=True)
            return
        index = self.highlighted
        super().action_cursor_up()
        if index != self.highlighted:
            # Show the end of the previous item, where the reader came from.
            span = self._item_span()
            if span is not None:
                height = self.scrollable_content_region.height
                self.scroll_to(y=max(span[0], span[1] - height), animate=False, immediate=True)

    def action_select(self) -> None:
        """Post :class:`Activated` for the current item."""
        item = self.current
        if item is not None:
            self.post_message(self.Activated(self, item))

    async def _on_click(self, event: events.Click) -> None:
        # Replaces OptionList's click-to-select: a click moves the cursor, a double click opens.
        event.prevent_default()
        if await self.broker_event("click", event):
            return  # the click was on a link; the app asks before opening it
        index = event.style.meta.get("option")
        if isinstance(index, int):
            self.highlighted = index
            if event.chain >= 2:
                self.action_select()
