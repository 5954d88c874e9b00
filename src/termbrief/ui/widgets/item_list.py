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

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import ClassVar

from rich.console import RenderableType
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
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
from termbrief.ui.widgets.item_lines import GUTTER_WIDTH, ItemLines, Looks
from termbrief.ui.widgets.paging import (
    HALF_PAGE_BINDINGS,
    MOVE_BINDINGS,
    ViewMove,
    half_page,
    page_view,
    view_end,
)

__all__ = ["GUTTER_WIDTH", "MOVE_BINDINGS", "READING_STEP", "Item", "ItemList"]

READING_STEP = 3
"""Lines scrolled by one ``j``/``k`` inside an item taller than the pane."""


Shown = tuple[RenderableType, tuple[str, ...]]
"""What a lazy item builds: its renderable and the addresses of its links."""


class Item:
    """One entry of an :class:`ItemList`.

    Either holds its renderable (``Item(anchor, renderable, links)``) or builds it when the list
    draws or measures it (:meth:`lazy`): the list keeps the lines of the items in and near the
    view only, so a lazy item's Rich text lives only while it is drawn.
    """

    __slots__ = ("_build", "_links", "_renderable", "anchor", "size_key")

    def __init__(
        self,
        anchor: str,
        renderable: RenderableType,
        links: tuple[str, ...] = (),
        *,
        size_key: Hashable | None = None,
    ) -> None:
        self.anchor = anchor
        """Where the item lives in the brief (notes-style anchor)."""
        self.size_key = size_key
        """Items with equal keys take as many lines at any width (e.g. entries sharing one
        text through YAML aliases), so the list measures one of them; None: no such promise."""
        self._renderable: RenderableType = renderable
        self._links: tuple[str, ...] | None = links
        self._build: Callable[[], Shown] | None = None

    @classmethod
    def lazy(
        cls, anchor: str, build: Callable[[], Shown], *, size_key: Hashable | None = None
    ) -> Item:
        """An item that ``build`` s its renderable (and links) each time it is needed."""
        item = cls(anchor, "", size_key=size_key)
        item._build, item._links = build, None
        return item

    @property
    def renderable(self) -> RenderableType:
        """What to show (built from literal ``Text``, never markup); a lazy item builds it anew."""
        return self._renderable if self._build is None else self._build()[0]

    @property
    def links(self) -> tuple[str, ...]:
        """Addresses of the links in the item (a lazy item's, built once and kept)."""
        if self._links is None:
            assert self._build is not None
            self._links = self._build()[1]
        return self._links

    def __repr__(self) -> str:
        return f"Item({self.anchor!r}{', lazy' if self._build is not None else ''})"


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
        self._items: list[Item] = []
        self._shown = 0
        """How many items are laid out (the rest wait for the next frame, see set_items)."""
        self._generation = 0
        self.marked_anchors: frozenset[str] = frozenset()
        """Anchors whose items carry a marker in the gutter (e.g. items with notes)."""
        self.their_anchors: frozenset[str] = frozenset()
        """Of the marked anchors, those whose notes are all colleagues' (another marker)."""
        self.change_marks = ChangeMarks()
        """Markers of the items changed since last read (shown instead of the notes' dot)."""
        self._fill_view = False
        """Lay out only the items that fill the view until the next frame (see set_items)."""
        self._lines = ItemLines()
        self._looks: Looks | None = None
        """The looks of the frame being drawn."""
        self._hover: int | None = None
        self._following_view = False
        """True while a page key moves the cursor to follow the view: the view stays put."""

    # -- data ------------------------------------------------------------------------------------

    @property
    def items(self) -> Sequence[Item]:
        """The items, in display order."""
        return self._items

    @property
    def renders(self) -> int:
        """How many times an item was rendered, to measure or draw it (for tests: once per
        item and width while the list is short enough to keep every line)."""
        return self._lines.renders

    @property
    def kept_lines(self) -> int:
        """How many rendered lines the list keeps (a few screens, and the items in view)."""
        return self._lines.kept_lines

    @property
    def option_count(self) -> int:
        """How many items are laid out (all of them, except just after ``set_items(first=)``)."""
        return self._shown

    @property
    def current(self) -> Item | None:
        """The item under the cursor."""
        index = self.highlighted
        return self._items[index] if index is not None and index < len(self._items) else None

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
        self._items = list(items)
        self._generation += 1
        count = len(self._items)
        self._shown = count if first is None or keep_position else min(first, count)
        self._fill_view = first is not None and not keep_position
        self._lines.forget(self._items)
        self.highlighted = None
        self.scroll_y = 0
        if self.is_mounted:
            self.refresh()
            self._layout()
        if self._fill_view:
            self.call_after_refresh(self._add_rest, self._generation)
        if keep_position and old_highlight is not None and self._items:
            self.highlighted = min(old_highlight, count - 1)
            self.scroll_to(y=old_scroll, animate=False, immediate=True)
        elif self._items:
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

    def _add_rest(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._fill_view = False
        if self._shown < len(self._items):
            self._shown = len(self._items)
            self.refresh()
            self._layout()

    def show_all(self) -> None:
        """Add at once any items still waiting for the next frame."""
        self._add_rest(self._generation)

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

    # -- layout ----------------------------------------------------------------------------------

    def _layout(self) -> bool:
        """Lay out the items at the content width; False while the list has no width yet.

        A new width (a resize, or a scrollbar appearing, which narrows the content without a
        Resize event) renders every item again.
        """
        full = self.scrollable_content_region.width
        if full <= 0:
            return False
        width = full
        styles = self.styles
        scrollbar = styles.scrollbar_size_vertical
        if (
            full != self._lines.width
            and not self.show_vertical_scrollbar
            and styles.overflow_y == "auto"
            and 0 < scrollbar < full
        ):
            # A new width and no scrollbar yet: lay out as if the scrollbar were there, since
            # items taller than the pane will bring it and narrow the content, which would
            # render them all again (a second render of the first screenful, every start).
            # If they fit after all (and no more are coming, see set_items), they fit at full
            # width too: render them again then.
            width = full - scrollbar
            self._render_items(width)
            waiting = self._shown < len(self._items)
            if len(self._lines.lines) <= self.container_size.height and not waiting:
                width = full
        self._render_items(width)
        virtual_size = Size(width - GUTTER_WIDTH, len(self._lines.lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)  # shows the scrollbar now, not at the next frame
        return True

    def _render_items(self, width: int) -> None:
        """Render, at content ``width``, the laid-out items not yet rendered at that width."""
        laid_out = self._lines
        laid_out.set_width(width)
        if laid_out.count >= self._shown:
            return
        view_end = self.scroll_offset.y + self.size.height
        # Until the next frame, only the items that fill the view (see set_items).
        fill_to = view_end if self._fill_view and view_end > 0 else None
        laid_out.measure(self, self._shown, fill_to)
        self._shown = laid_out.count

    def _item_span(self, index: int | None) -> tuple[int, int] | None:
        """First line and end line of item ``index``, when it is laid out."""
        if index is None or not self._layout():
            return None
        return self._lines.span(index)

    def notify_style_update(self) -> None:
        self._lines.forget_looks()
        self.refresh()
        super().notify_style_update()

    # -- rendering -------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._layout()
        lines = self._lines
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
            self._layout()
            looks = self._looks = self._lines.looks(self)
        line = self.scroll_offset.y + y
        index = self._lines.item_at(line)
        # A marker in the gutter for the items new or changed, or with a note.
        mark = ""
        if index is not None:
            change = self.change_marks.glyph(self._items, index)
            anchor = self._items[index].anchor
            mark = gutter_mark(change, anchor, self.marked_anchors, self.their_anchors)
        return self._lines.draw_line(
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
        if highlighted is None or not self._shown:
            return None
        return max(0, min(highlighted, self._shown - 1))

    def watch_highlighted(self, highlighted: int | None) -> None:
        if highlighted is not None and not self._following_view:
            self.scroll_to_highlight()

    def on_show(self) -> None:
        # Shown again (a tab): the place stays, unless the current item is out of view.
        span = self._item_span(self.highlighted)
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if span is not None and (span[1] <= top or span[0] >= top + height):
            self.scroll_to_highlight()

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Scroll so that the current item shows (at the top of the pane with ``top``)."""
        if not self.is_mounted:
            return
        span = self._item_span(self.highlighted)
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
        span = self._item_span(self.highlighted)
        view_bottom = self.scroll_y + self.scrollable_content_region.height
        if span is not None and span[1] > view_bottom:
            self.scroll_relative(y=READING_STEP, animate=False, immediate=True)
            return
        if self._shown:
            index = self.highlighted
            self.highlighted = 0 if index is None else (index + 1) % self._shown

    def action_cursor_up(self) -> None:
        """Scroll back through a tall item first, then move to the previous item."""
        span = self._item_span(self.highlighted)
        if span is not None and span[0] < self.scroll_y:
            self.scroll_relative(y=-READING_STEP, animate=False, immediate=True)
            return
        if not self._shown:
            return
        index = self.highlighted
        self.highlighted = self._shown - 1 if index is None else (index - 1) % self._shown
        if index != self.highlighted:
            # Show the end of the previous item, where the reader came from.
            span = self._item_span(self.highlighted)
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
        if self._layout():
            height = self.scrollable_content_region.height
            delta = direction * (half_page(height) if half else height)
            lines, top = self._lines.lines, self.scroll_offset.y
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
        if self._layout():
            self._follow(view_end(self._lines.lines, self.scrollable_content_region.height, last))

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
        return self._lines.item_at(self.scroll_offset.y + offset.y)

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
