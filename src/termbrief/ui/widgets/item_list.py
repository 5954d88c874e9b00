"""ItemList: a virtualised list of multi-line items (paragraphs, commentary entries, events).

A Line API widget (``ScrollView`` with ``render_line``): each item is measured once per content
width, only the visible lines are drawn, and only the lines of the items in and near the view are
kept (see :mod:`.item_lines`). A 300-paragraph summary costs no widget per paragraph; a short list
keeps every item's lines, so no item is rendered twice to be measured and then drawn (as
``OptionList``, which this replaced, did); a list whose items run to millions of lines keeps a
number per item and a few screens of lines. Items may build their renderable on demand
(:meth:`Item.lazy`).

For reading: a gutter bar marks the current item; ``j``/``k`` first scroll through an item taller
than the pane, then move to the next one; the page keys move the view by a page whatever the item
sizes, and the cursor follows the view as in ``less`` (see :mod:`.paging`).

Each item carries an *anchor* (``summary``, ``commentary/<id>``, ``timeline/3``...), the address
notes and search use for it. Several items may share one anchor (the paragraphs of a summary).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from termbrief.ui.widgets.change_marks import (
    OWN_NOTE,
    THEIR_NOTE,
    THEIR_NOTE_STYLE,
    ChangeMarks,
    gutter_mark,
)
from termbrief.ui.widgets.item import Item, Shown
from termbrief.ui.widgets.item_layout import ItemLayout
from termbrief.ui.widgets.item_lines import GUTTER_WIDTH, Looks
from termbrief.ui.widgets.paging import (
    HALF_PAGE_BINDINGS,
    MOVE_BINDINGS,
    READING_STEP,
    ViewMove,
    half_page,
    page_view,
    view_end,
)

__all__ = ["READING_STEP", "Item", "ItemList", "Shown"]


class ItemList(ScrollView, can_focus=True):
    """A list of :class:`Item` with a reading cursor."""

    BINDING_GROUP_TITLE = "List"
    BINDINGS: ClassVar[list[BindingType]] = [
        *MOVE_BINDINGS,
        *HALF_PAGE_BINDINGS,
        Binding("enter", "select", "Open", show=False, id="item.open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "item-list--option",
        "item-list--cursor",
        "item-list--cursor-blurred",
        "item-list--hover",
        "item-list--gutter",
        "item-list--gutter-focused",
    }
    """The focused look has classes of its own instead of ``:focus`` rules: see
    :meth:`watch_has_focus`. The option's padding is honoured (left and right)."""
    DEFAULT_CSS = """
    ItemList {
        color: $foreground;
        background: $surface;
        overflow-x: hidden;
        & > .item-list--option { padding: 0 1 0 0; }
        & > .item-list--cursor-blurred {  /* the current item while the list has no focus */
            color: $foreground;
            background: $surface;
            text-style: none;
        }
        & > .item-list--cursor {  /* the current item while the list has focus */
            color: $foreground;
            background: $boost;
            text-style: none;
        }
        & > .item-list--hover { background: $block-hover-background; }
        & > .item-list--gutter { color: $foreground 40%; }
        & > .item-list--gutter-focused { color: $accent; }
    }
    """
    # Nothing above depends on :focus (watch_has_focus relies on it: no restyle on focus).

    highlighted: reactive[int | None] = reactive(None)
    """Index of the current item (None when the list is empty)."""

    class Activated(Message):
        """Enter (or a double click) on an item; the pane decides what opening it means."""

        def __init__(self, item_list: ItemList, item: Item) -> None:
            super().__init__()
            self.item_list = item_list
            self.item = item

        @property
        def control(self) -> ItemList:
            """The list that sent the message (for ``@on`` selectors)."""
            return self.item_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._layout = ItemLayout(self)
        """The items and their lines, laid out at the content width."""
        self.marked_anchors: frozenset[str] = frozenset()
        """Anchors whose items carry a marker in the gutter (e.g. items with notes)."""
        self.their_anchors: frozenset[str] = frozenset()
        """Of the marked anchors, those whose notes are all colleagues' (another marker)."""
        self.change_marks = ChangeMarks()
        """Markers of the items changed since last read (shown instead of the notes' dot)."""
        self._looks: Looks | None = None
        """The looks of the frame being drawn."""
        self._hover: int | None = None
        self._following_view = False
        """True while a page key moves the cursor to follow the view: the view stays put."""

    # -- data ------------------------------------------------------------------------------------

    @property
    def items(self) -> Sequence[Item]:
        """The items, in display order."""
        return self._layout.items

    @property
    def renders(self) -> int:
        """How many times an item was rendered, to measure or draw it (for tests: once per
        item and width while the list is short enough to keep every line)."""
        return self._layout.lines.renders

    @property
    def kept_lines(self) -> int:
        """How many rendered lines the list keeps (a few screens, and the items in view)."""
        return self._layout.lines.kept_lines

    @property
    def option_count(self) -> int:
        """How many items are laid out (all of them, except just after ``set_items(first=)``)."""
        return self._layout.shown

    @property
    def current(self) -> Item | None:
        """The item under the cursor."""
        index, items = self.highlighted, self._layout.items
        return items[index] if index is not None and index < len(items) else None

    def set_items(
        self, items: Sequence[Item], *, keep_position: bool = False, first: int | None = None
    ) -> None:
        """Replace every item; the cursor goes to the first one unless ``keep_position``.

        With ``first``, at most that many items are laid out and shown at once — fewer if
        they fill the view already — and the rest are added after the next frame: a
        300-paragraph summary shows its top without waiting for every paragraph to be laid
        out, and a first frame renders no item it cannot show.
        """
        old_highlight, old_scroll = self.highlighted, self.scroll_y
        layout = self._layout
        layout.replace(items, keep_position=keep_position, first=first)
        self.highlighted = None
        self.scroll_y = 0
        if self.is_mounted:
            self.refresh()
            layout.lay_out()
        if layout.fill_view:
            self.call_after_refresh(layout.add_rest, layout.generation)
        if keep_position and old_highlight is not None and layout.items:
            self.highlighted = min(old_highlight, len(layout.items) - 1)
            self.scroll_to(y=old_scroll, animate=False, immediate=True)
        elif layout.items:
            self.highlighted = 0

    def set_marked(self, anchors: frozenset[str], theirs: frozenset[str] = frozenset()) -> None:
        """Mark the items at ``anchors`` (e.g. those with notes) with a dot in the gutter; those
        also in ``theirs`` (notes all colleagues') with their own marker (see
        :func:`~termbrief.ui.widgets.change_marks.gutter_mark`)."""
        self.marked_anchors = anchors
        self.their_anchors = theirs
        self.refresh()

    def set_change_marks(self, marks: Mapping[str, str]) -> None:
        """Mark items changed since last read (see :mod:`~termbrief.ui.widgets.change_marks`)."""
        self.change_marks.set(marks)
        self.refresh()

    def show_all(self) -> None:
        """Add at once any items still waiting for the next frame."""
        self._layout.add_rest(self._layout.generation)

    def index_of(self, anchor: str) -> int | None:
        """Index of the first item with ``anchor``."""
        return next((i for i, item in enumerate(self._layout.items) if item.anchor == anchor), None)

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

    def notify_style_update(self) -> None:
        self._layout.lines.forget_looks()
        self.refresh()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._layout.lay_out()
        lines = self._layout.lines
        top = self.scroll_offset.y
        first = lines.item_at(top)
        if first is not None:
            last = lines.item_at(min(top + self.size.height, len(lines.lines)) - 1)
            lines.let_go(range(first, (first if last is None else last) + 1))
        self._looks = lines.looks(self)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        looks = self._looks
        if looks is None:  # drawn outside render_lines (tests)
            self._layout.lay_out()
            looks = self._looks = self._layout.lines.looks(self)
        line = self.scroll_offset.y + y
        lines, items = self._layout.lines, self._layout.items
        index = lines.item_at(line)
        # A marker in the gutter for the items new or changed, or with a note.
        mark = ""
        if index is not None:
            change = self.change_marks.glyph(items, index)
            anchor = items[index].anchor
            mark = gutter_mark(change, anchor, self.marked_anchors, self.their_anchors)
        return lines.draw_line(
            line,
            looks,
            highlighted=self.highlighted,
            hover=self._hover,
            marked=bool(mark),
            mark=mark or OWN_NOTE,
            mark_style=THEIR_NOTE_STYLE if mark == THEIR_NOTE else None,
        )

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Widget restyles the list and its scrollbars here on every focus move, and the
        # scrollbars repaint. No style of the list depends on :focus (DEFAULT_CSS): the
        # lines pick the focused look themselves, and Widget's focus handlers repaint the list.
        pass

    # -- cursor and scrolling --------------------------------------------------------------------

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        shown = self._layout.shown
        if highlighted is None or not shown:
            return None
        return max(0, min(highlighted, shown - 1))

    def watch_highlighted(self, highlighted: int | None) -> None:
        if highlighted is not None and not self._following_view:
            self.scroll_to_highlight()

    def on_show(self) -> None:
        # Shown again (a tab): the place stays, unless the current item is out of view.
        span = self._layout.span(self.highlighted)
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if span is not None and (span[1] <= top or span[0] >= top + height):
            self.scroll_to_highlight()

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Scroll so that the current item shows (at the top of the pane with ``top``)."""
        if not self.is_mounted:
            return
        span = self._layout.span(self.highlighted)
        if span is None:
            return
        self.scroll_to_region(
            Region(0, span[0], self.scrollable_content_region.width, span[1] - span[0]),
            force=True,
            animate=False,
            top=top,
            immediate=True,
        )

    def action_cursor_down(self) -> None:
        """Scroll through a tall item first, then move to the next item (the last wraps)."""
        span = self._layout.span(self.highlighted)
        view_bottom = self.scroll_y + self.scrollable_content_region.height
        if span is not None and span[1] > view_bottom:
            self.scroll_relative(y=READING_STEP, animate=False, immediate=True)
            return
        shown = self._layout.shown
        if shown:
            index = self.highlighted
            self.highlighted = 0 if index is None else (index + 1) % shown

    def action_cursor_up(self) -> None:
        """Scroll back through a tall item first, then move to the previous item."""
        span = self._layout.span(self.highlighted)
        if span is not None and span[0] < self.scroll_y:
            self.scroll_relative(y=-READING_STEP, animate=False, immediate=True)
            return
        shown = self._layout.shown
        if not shown:
            return
        index = self.highlighted
        self.highlighted = shown - 1 if index is None else (index - 1) % shown
        if index != self.highlighted:
            # Show the end of the previous item, where the reader came from.
            span = self._layout.span(self.highlighted)
            if span is not None:
                height = self.scrollable_content_region.height
                self.scroll_to(y=max(span[0], span[1] - height), animate=False, immediate=True)

    def _follow(self, move: ViewMove | None) -> None:
        """The view to ``move.scroll_y``, the cursor to ``move.item``: the view stays put."""
        if move is not None:
            self.scroll_to(y=move.scroll_y, animate=False, immediate=True)
            self._following_view = True
            try:
                self.highlighted = move.item
            finally:
                self._following_view = False

    def _page(self, direction: int, half: bool = False) -> None:
        """Move the view a page (or half) down (``direction`` 1) or up (-1); the cursor follows."""
        self.show_all()
        if self._layout.lay_out():
            height = self.scrollable_content_region.height
            delta = direction * (half_page(height) if half else height)
            lines, top = self._layout.lines.lines, self.scroll_offset.y
            self._follow(page_view(lines, top, height, delta, self.highlighted))

    def action_page_down(self) -> None:
        """Move the view down a page; the cursor follows (see :mod:`.paging`)."""
        self._page(1)

    def action_page_up(self) -> None:
        """Move the view up a page; the cursor follows."""
        self._page(-1)

    def action_half_page_down(self) -> None:
        """Move the view down half a page; the cursor follows."""
        self._page(1, half=True)

    def action_half_page_up(self) -> None:
        """Move the view up half a page; the cursor follows."""
        self._page(-1, half=True)

    def _to_end(self, last: bool) -> None:
        self.show_all()
        if self._layout.lay_out():
            lines, height = self._layout.lines.lines, self.scrollable_content_region.height
            self._follow(view_end(lines, height, last))

    def action_first(self) -> None:
        """Go to the top of the list: the first line of the first item."""
        self._to_end(last=False)

    def action_last(self) -> None:
        """Go to the end of the list: the last line of the last item."""
        self._to_end(last=True)

    def action_select(self) -> None:
        """Post :class:`Activated` for the current item."""
        item = self.current
        if item is not None:
            self.post_message(self.Activated(self, item))

    # -- mouse -----------------------------------------------------------------------------------

    def _item_at(self, event: events.MouseEvent) -> int | None:
        """The item under the mouse (not in the gutter, as before: the gutter is no target)."""
        offset = event.get_content_offset(self)
        if offset is None or offset.x < GUTTER_WIDTH:
            return None
        return self._layout.lines.item_at(self.scroll_offset.y + offset.y)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._item_at(event)
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def _on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    async def _on_click(self, event: events.Click) -> None:
        # A click moves the cursor, a double click opens.
        event.prevent_default()
        if await self.broker_event("click", event):
            return  # the click was on a link; the app asks before opening it
        index = self._item_at(event)
        if index is not None:
            self.highlighted = index
            if event.chain >= 2:
                self.action_select()
