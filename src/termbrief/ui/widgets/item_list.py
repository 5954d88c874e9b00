"""ItemList: a virtualised list of multi-line items (paragraphs, commentary entries, events).

A Line API widget (``ScrollView`` with ``render_line``): each item is rendered once per content
width into lines (``Strip``), a line table maps every line of the list to its item, and only the
visible lines are drawn. A 300-paragraph summary costs no widget per paragraph, and no item is
rendered twice to be measured and then drawn (``OptionList``, which this replaced, did both, through
its Visual and Padding wrappers: ~3x the cost of the first frame).

Two additions for reading:

- a gutter bar marks the current item instead of a heavy block cursor;
- ``j``/``k`` first scroll through an item taller than the pane, and only then move to the next
  one, so a long entry can be read to its end from the keyboard.

Each item carries an *anchor* (``summary``, ``commentary/<id>``, ``timeline/3``...), the address
notes and search use for it. Several items may share one anchor (the paragraphs of a summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple, cast

import msgspec
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions

from termbrief.ui.widgets.colour import colour_is_scarce

NULL_STYLE = VisualStyle.null()
"""Items are rendered without the list's style, which each drawn line puts under them."""

READING_STEP = 3
"""Lines scrolled by one ``j``/``k`` inside an item taller than the pane."""

GUTTER_WIDTH = 2
"""Columns before each line: the cursor bar, then the marker dot."""

MOVE_BINDINGS: list[BindingType] = [
    Binding("down,j", "cursor_down", "Next", show=False, id="cursor.down"),
    Binding("up,k", "cursor_up", "Previous", show=False, id="cursor.up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="cursor.page_down"),
    Binding("pageup", "page_up", "Page up", show=False, id="cursor.page_up"),
    Binding("home,g", "first", "First", show=False, id="cursor.first"),
    Binding("end,G", "last", "Last", show=False, id="cursor.last"),
]
"""Movement keys shared by every list-like pane (same ids, so one keymap entry remaps all)."""


class Item(msgspec.Struct, frozen=True):
    """One entry of an :class:`ItemList`."""

    anchor: str
    """Where the item lives in the brief (notes-style anchor)."""
    renderable: RenderableType
    """What to show (built from literal ``Text``, never markup)."""
    links: tuple[str, ...] = ()
    """Addresses of the links in the item."""


class _Looks(NamedTuple):
    """The styles of one frame, looked up once per ``render_lines`` instead of once a line."""

    option: Style
    cursor: Style
    hover: Style
    gutter: Style
    link: Style
    left: int
    right: int
    bar: str
    """The gutter mark of the current item: thicker while the list has focus if colour is
    scarce (the focused look is otherwise only a shade)."""


class ItemList(ScrollView, can_focus=True):
    """A list of :class:`Item` with a reading cursor."""

    BINDING_GROUP_TITLE = "List"
    BINDINGS: ClassVar[list[BindingType]] = [
        *MOVE_BINDINGS,
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
        self._width = -1
        """Content width the items were rendered at (-1: not yet)."""
        self._fill_view = False
        """Lay out only the items that fill the view until the next frame (see set_items)."""
        self._renders: list[list[Strip]] = []
        """Each laid-out item's lines at ``_width``, unstyled: rendered once per width."""
        self._tops: list[int] = []
        """First line of each laid-out item."""
        self._lines: list[tuple[int, int]] = []
        """Line table: list line -> (item index, line in the item)."""
        self._drawn: dict[tuple[object, ...], Strip] = {}
        """Styled lines by everything they depend on: a repaint (a cursor or focus move) styles
        only the lines whose look changed."""
        self._looks: _Looks | None = None
        self._looks_by_focus: dict[bool, _Looks] = {}
        self._hover: int | None = None
        self.renders = 0
        """How many times an item was rendered (for tests: once per item and width)."""

    # -- data ------------------------------------------------------------------------------------

    @property
    def items(self) -> Sequence[Item]:
        """The items, in display order."""
        return self._items

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
        self._forget_lines()
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

    def set_marked(self, anchors: frozenset[str]) -> None:
        """Mark the items at ``anchors`` (e.g. those with notes) with a dot in the gutter."""
        self.marked_anchors = anchors
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

    def _forget_lines(self) -> None:
        self._renders.clear()
        self._tops.clear()
        self._lines.clear()
        self._drawn.clear()

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
            full != self._width
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
            if len(self._lines) <= self.container_size.height and not waiting:
                width = full
        self._render_items(width)
        virtual_size = Size(width - GUTTER_WIDTH, len(self._lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)  # shows the scrollbar now, not at the next frame
        return True

    def _render_items(self, width: int) -> None:
        """Render, at content ``width``, the laid-out items not yet rendered at that width."""
        if width != self._width:
            self._width = width
            self._forget_lines()
        renders = self._renders
        if len(renders) >= self._shown:
            return
        padding = self.get_component_styles("item-list--option").padding
        render_width = max(1, width - GUTTER_WIDTH - padding.left - padding.right)
        console = self.app.console
        options = self.app.console_options.update(highlight=False, width=render_width, height=None)
        plain = RenderOptions(self._get_style, cast(RulesMap, self.styles))
        lines, tops = self._lines, self._tops
        view_end = self.scroll_offset.y + self.size.height
        for index in range(len(renders), self._shown):
            renderable = self._items[index].renderable
            if isinstance(renderable, Text):
                # As Textual draws a Text: through Content, whose segments carry offsets.
                content = Content.from_rich_text(renderable, console=console)
                strips = content.render_strips(render_width, None, NULL_STYLE, plain)
            else:
                strips = [
                    Strip(line)
                    for line in Segment.split_and_crop_lines(
                        console.render(renderable, options),
                        render_width,
                        include_new_lines=False,
                        pad=False,
                    )
                ]
            self.renders += 1
            tops.append(len(lines))
            renders.append(strips)
            lines.extend([(index, offset) for offset in range(len(strips))])
            if self._fill_view and index + 1 < self._shown and len(lines) >= view_end > 0:
                self._shown = index + 1  # the view is full: the rest come after this frame
                break

    def _item_span(self, index: int | None) -> tuple[int, int] | None:
        """First line and end line of item ``index``, when it is laid out."""
        if index is None or not self._layout() or index >= len(self._tops):
            return None
        top = self._tops[index]
        return top, top + len(self._renders[index])

    def notify_style_update(self) -> None:
        self._looks_by_focus.clear()
        self.refresh()
        super().notify_style_update()

    # -- rendering -------------------------------------------------------------------------------

    def _get_looks(self) -> _Looks:
        # Cached until the next restyle: looking the styles up is ~0.1 ms (link_style walks the
        # ancestors' backgrounds), and a frame draws the list in several crops.
        focused = self.has_focus
        looks = self._looks_by_focus.get(focused)
        if looks is None:
            looks = self._looks_by_focus[focused] = self._make_looks(focused)
        return looks

    def _make_looks(self, focused: bool) -> _Looks:
        padding = self.get_component_styles("item-list--option").padding
        option = self.get_visual_style("item-list--option")
        gutter = self.get_component_rich_style(
            "item-list--gutter-focused" if focused else "item-list--gutter"
        )
        bar = "▌"
        if colour_is_scarce(self.app):
            gutter += Style(bold=True)
            bar = "█" if focused else bar
        return _Looks(
            option=option.rich_style,
            cursor=self.get_visual_style(
                "item-list--option", "item-list--cursor" if focused else "item-list--cursor-blurred"
            ).rich_style,
            hover=self.get_visual_style("item-list--option", "item-list--hover").rich_style,
            gutter=gutter,
            link=self._link_style(option.background or Color(0, 0, 0, 0)),
            left=padding.left,
            right=padding.right,
            bar=bar,
        )

    def _link_style(self, background: Color) -> Style:
        """``Widget.link_style`` over the lines' ``background`` rather than the widget's own
        (a pane is transparent around its lines, see ``termbrief.ui.panes.pane``)."""
        styles = self.styles
        link_background = background + styles.link_background
        link_color = link_background + (
            link_background.get_contrast_text(styles.link_color.a)
            if styles.auto_link_color
            else styles.link_color
        )
        return styles.link_style + Style.from_color(
            link_color.rich_color,
            link_background.rich_color if styles.link_background.a else None,
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        self._layout()
        self._looks = self._get_looks()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        looks = self._looks
        if looks is None:  # drawn outside render_lines (tests)
            self._layout()
            looks = self._looks = self._get_looks()
        width = self._width - GUTTER_WIDTH
        line = self.scroll_offset.y + y
        if line >= len(self._lines) or width <= 0:
            gutter = Segment(" " * GUTTER_WIDTH, looks.gutter)
            blank = Strip.blank(max(0, width), looks.option)
            return Strip([gutter, *blank], blank.cell_length + GUTTER_WIDTH)
        index, offset = self._lines[line]
        if index == self.highlighted:
            style = looks.cursor
        elif index == self._hover:
            style = looks.hover
        else:
            style = looks.option
        # Column 1: the cursor bar; column 2: a dot for items with a note (see marked_anchors).
        marked = self._items[index].anchor in self.marked_anchors
        gutter = Segment(
            (looks.bar if index == self.highlighted else " ") + ("•" if marked else " "),
            looks.gutter,
        )
        key = (index, offset, style, gutter, looks)
        strip = self._drawn.get(key)
        if strip is None:
            if len(self._drawn) > 2000:
                self._drawn.clear()  # old styles and scroll positions
            content = self._style_line(self._renders[index][offset], style, looks, width)
            strip = Strip([gutter, *content], content.cell_length + GUTTER_WIDTH)
            self._drawn[key] = strip
        return strip

    @staticmethod
    def _style_line(raw: Strip, style: Style, looks: _Looks, width: int) -> Strip:
        """One rendered line in ``style``, as Textual draws a Rich renderable in a widget.

        The item's own styles go over ``style``; links (``@click`` meta) take the link style;
        the line is padded to the content width, then by the option's padding.
        """
        segments = []
        link = looks.link
        for text, segment_style, _control in raw:
            if segment_style is None:
                segments.append(Segment(text, style))
                continue
            combined = style + segment_style
            if segment_style._meta is not None and "@click" in segment_style.meta:
                combined += link
            segments.append(Segment(text, combined))
        inner = width - looks.left - looks.right
        strip = Strip(segments, raw.cell_length)
        if inner > 0:
            strip = strip.crop_pad(inner, looks.left, looks.right, style)
        return strip.extend_cell_length(width, style)

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Widget restyles the list and its scrollbars here, ~1 ms per focus move and list, and
        # the scrollbars repaint. No style of the list depends on :focus (DEFAULT_CSS): the
        # lines pick the focused look themselves, and Widget's focus handlers repaint the list.
        pass

    # -- cursor and scrolling --------------------------------------------------------------------

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._shown:
            return None
        return max(0, min(highlighted, self._shown - 1))

    def watch_highlighted(self, highlighted: int | None) -> None:
        if highlighted is not None:
            self.scroll_to_highlight()

    def on_show(self) -> None:
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

    def action_first(self) -> None:
        """Move the cursor to the first item."""
        self.highlighted = 0 if self._shown else None

    def action_last(self) -> None:
        """Move the cursor to the last item."""
        self.highlighted = self._shown - 1 if self._shown else None

    def _move_page(self, direction: int) -> None:
        # The item a page above or below the top of the current one.
        span = self._item_span(self.highlighted or 0)
        if span is None or not self._lines:
            return
        height = self.scrollable_content_region.height
        line = max(0, min(span[0] + direction * height, len(self._lines) - 1))
        self.highlighted = self._lines[line][0]

    def action_page_up(self) -> None:
        """Move the cursor up a page."""
        if self.highlighted is None:
            self.action_first()
        else:
            self._move_page(-1)

    def action_page_down(self) -> None:
        """Move the cursor down a page."""
        if self.highlighted is None:
            self.action_last()
        else:
            self._move_page(1)

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
        line = self.scroll_offset.y + offset.y
        return self._lines[line][0] if 0 <= line < len(self._lines) else None

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
