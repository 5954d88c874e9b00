"""The lines of an :class:`~termbrief.ui.widgets.item_list.ItemList`: measured once per width,
rendered for the items in and near the view, styled once per look.

:class:`ItemLines` holds each laid-out item's height at one content width (the
:class:`LineTable` maps every line of the list to its item from them), the rendered lines
(``Strip``) of a bounded number of items, and a cache of the styled lines the list has drawn: a
cursor or focus move restyles only the lines whose look changed, and only a new width measures
the items again. Memory grows with the items, not with their lines: a brief whose text expands
to millions of lines keeps a few screens of them. :class:`Looks` are the styles of one frame.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Iterator, Sequence
from itertools import islice
from typing import NamedTuple, Protocol, cast, overload

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions
from textual.widget import Widget

from termbrief.ui.render.markdown import line_count
from termbrief.ui.widgets.colour import colour_is_scarce
from termbrief.ui.widgets.kept_lines import KeptLines

NULL_STYLE = VisualStyle.null()
"""Items are rendered without the list's style, which each drawn line puts under them."""

GUTTER_WIDTH = 2
"""Columns before each line: the cursor bar, then the marker dot."""

_DRAWN_LIMIT = 2000
"""Styled lines kept; past this the cache starts again (old styles and scroll positions)."""

KEPT_LINES = 4000
"""Rendered lines kept for the items out of view, to scroll back without rendering again: a
few screens. The rest of a long list is only measured (see :class:`ItemLines`)."""

WINDOW = 1000
"""Lines of one item kept at most: of an item taller than this, the lines around those drawn
(rendering again when the view leaves them)."""


class Looks(NamedTuple):
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


def make_looks(widget: Widget, focused: bool) -> Looks:
    """The looks of ``widget`` (an item list, with its component classes) with or without focus."""
    padding = widget.get_component_styles("item-list--option").padding
    option = widget.get_visual_style("item-list--option")
    gutter = widget.get_component_rich_style(
        "item-list--gutter-focused" if focused else "item-list--gutter"
    )
    bar = "▌"
    if colour_is_scarce(widget.app):
        gutter += Style(bold=True)
        bar = "█" if focused else bar
    return Looks(
        option=option.rich_style,
        cursor=widget.get_visual_style(
            "item-list--option", "item-list--cursor" if focused else "item-list--cursor-blurred"
        ).rich_style,
        hover=widget.get_visual_style("item-list--option", "item-list--hover").rich_style,
        gutter=gutter,
        link=_link_style(widget, option.background or Color(0, 0, 0, 0)),
        left=padding.left,
        right=padding.right,
        bar=bar,
    )


def _link_style(widget: Widget, background: Color) -> Style:
    """``Widget.link_style`` over the lines' ``background`` rather than the widget's own
    (a pane is transparent around its lines, see ``termbrief.ui.panes.pane``)."""
    styles = widget.styles
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


Line = list[Segment]
"""One rendered line of an item, unstyled. Not a ``Strip``: a strip carries caches of its own,
many times the size of its text, and an item's lines are many."""


def render_item(
    renderable: RenderableType,
    width: int,
    console: Console,
    options: ConsoleOptions,
    plain: RenderOptions,
) -> Iterator[Line]:
    """The unstyled lines of one item at ``width`` columns, one at a time (a Rich renderable is
    rendered as they are taken)."""
    if isinstance(renderable, Text):
        # As Textual draws a Text: through Content, whose segments carry offsets.
        content = Content.from_rich_text(renderable, console=console)
        for strip in content.render_strips(width, None, NULL_STYLE, plain):
            yield list(strip)
        return
    yield from Segment.split_and_crop_lines(
        console.render(renderable, options), width, include_new_lines=False, pad=False
    )


def style_line(raw: Line, style: Style, looks: Looks, width: int) -> Strip:
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
    strip = Strip(segments)
    if inner > 0:
        strip = strip.crop_pad(inner, looks.left, looks.right, style)
    return strip.extend_cell_length(width, style)


class Showable(Protocol):
    """What :class:`ItemLines` needs of an item (``item.Item``)."""

    @property
    def renderable(self) -> RenderableType:
        """What the item shows (may be built anew on each call)."""

    @property
    def size_key(self) -> Hashable | None:
        """Items with equal keys take as many lines at any width (None: no such promise)."""


class LineTable(Sequence[tuple[int, int]]):
    """Every line of the list as ``(item index, line in the item)``, computed from the items'
    first lines on demand: the list keeps one number per item, not one tuple per line."""

    def __init__(self, tops: list[int]) -> None:
        """``tops``: the first line of each item, then the line after the last (shared and
        kept up to date by :class:`ItemLines`)."""
        self._tops = tops

    def __len__(self) -> int:
        return self._tops[-1]

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, int]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(index, slice):
            return [self[line] for line in range(*index.indices(len(self)))]
        line = index + len(self) if index < 0 else index
        if not 0 <= line < len(self):
            raise IndexError(index)
        # bisect_right passes over items of no lines, whose first line is the next one's.
        item = bisect_right(self._tops, line) - 1
        return item, line - self._tops[item]


class ItemLines:
    """The laid-out items' heights at one content width, the lines of the items in and near
    the view, and the styled lines drawn from them.

    Laying out an item measures it: it is rendered and its lines counted; they are kept while
    the kept lines stay under :data:`KEPT_LINES` (least recently drawn go first, never those in
    view), at most :data:`WINDOW` of them. Items with equal ``size_key`` are measured once. An
    item whose lines were let go is rendered again when it is drawn.
    """

    def __init__(self) -> None:
        self.width = -1
        """Content width the items were laid out at (-1: not yet)."""
        self.tops: list[int] = [0]
        """First line of each laid-out item, then the line after the last."""
        self.lines = LineTable(self.tops)
        """Line table: list line -> (item index, line in the item)."""
        self.renders = 0
        """How many times an item was rendered (to measure or to draw it)."""
        self._items: Sequence[Showable] = ()
        self._kept: KeptLines[int, Line] = KeptLines(KEPT_LINES)
        """Rendered lines at ``width`` by item index (from some line of it: :data:`WINDOW`)."""
        self._height_of_key: dict[Hashable, int] = {}
        """Heights at ``width`` by size key (see :class:`Showable`)."""
        self._render_with: tuple[Console, ConsoleOptions, RenderOptions, int] | None = None
        """How items are rendered at ``width``: set as they are laid out."""
        self._drawn: dict[tuple[object, ...], Strip] = {}
        """Styled lines by everything they depend on."""
        self._looks: dict[bool, Looks] = {}
        """The looks with and without focus, until the next restyle."""

    @property
    def kept_lines(self) -> int:
        """How many rendered lines are kept."""
        return self._kept.lines

    @property
    def count(self) -> int:
        """How many items are laid out."""
        return len(self.tops) - 1

    def looks(self, widget: Widget) -> Looks:
        """``widget``'s looks as it is now (focused or not). Kept until :meth:`forget_looks`:
        looking the styles up walks the ancestors' backgrounds (for the link style), and a
        frame draws the list in several crops."""
        focused = widget.has_focus
        looks = self._looks.get(focused)
        if looks is None:
            looks = self._looks[focused] = make_looks(widget, focused)
        return looks

    def forget_looks(self) -> None:
        """Look the styles up again (a restyle)."""
        self._looks.clear()

    def forget(self, items: Sequence[Showable] | None = None) -> None:
        """Drop every laid-out line; with ``items``, lay those out from now on."""
        if items is not None:
            self._items = items
        del self.tops[1:]
        self._kept.clear()
        self._drawn.clear()
        if len(self._height_of_key) > 4 * len(self._items):
            self._height_of_key.clear()  # heights of items long gone

    def set_width(self, width: int) -> None:
        """Lay out at ``width`` from now on: a new width forgets every line."""
        if width != self.width:
            self.width = width
            self._height_of_key.clear()
            self.forget()

    def measure(self, widget: Widget, end: int, fill_to: int | None) -> None:
        """Lay out the items after those laid out, up to item ``end``, with ``widget``'s
        styles; with ``fill_to``, stop at the item that reaches that line."""
        self._render_with = self._renderer(widget)
        tops, height_of_key = self.tops, self._height_of_key
        for index in range(self.count, end):
            item = self._items[index]
            key = item.size_key
            height = None if key is None else height_of_key.get(key)
            if height is None:
                height = self._measure(index, item.renderable)
                if key is not None:
                    height_of_key[key] = height
            tops.append(tops[-1] + height)
            if fill_to is not None and tops[-1] >= fill_to:
                return

    def _measure(self, index: int, renderable: RenderableType) -> int:
        """The height of item ``index``; its first lines are kept while there is room (the
        first items are drawn first), else they are only counted."""
        room = min(WINDOW, max(0, KEPT_LINES - self._kept.lines))
        # A lone Text is drawn through Content, which line_count does not mirror.
        if room or isinstance(renderable, Text):
            lines = self._render(renderable)
            first = list(islice(lines, room))
            if first:
                self._kept.put(index, first)
            return len(first) + sum(1 for _ in lines)
        assert self._render_with is not None
        console, options, _plain, _width = self._render_with
        return line_count(renderable, console, options)

    def _renderer(self, widget: Widget) -> tuple[Console, ConsoleOptions, RenderOptions, int]:
        padding = widget.get_component_styles("item-list--option").padding
        width = max(1, self.width - GUTTER_WIDTH - padding.left - padding.right)
        console = widget.app.console
        options = widget.app.console_options.update(highlight=False, width=width, height=None)
        plain = RenderOptions(widget._get_style, cast(RulesMap, widget.styles))
        return console, options, plain, width

    def _render(self, renderable: RenderableType) -> Iterator[Line]:
        assert self._render_with is not None, "items are laid out before they are drawn"
        console, options, plain, width = self._render_with
        self.renders += 1
        return render_item(renderable, width, console, options, plain)

    def line(self, index: int, offset: int) -> Line:
        """Line ``offset`` of laid-out item ``index``, unstyled (rendered again if let go)."""
        kept = self._kept.get(index)
        if kept is not None and 0 <= offset - kept[0] < len(kept[1]):
            return kept[1][offset - kept[0]]
        # The lines around it, as far as a window goes: the view moves both ways.
        first = max(0, offset - WINDOW // 2)
        lines = list(islice(self._render(self._items[index].renderable), first, first + WINDOW))
        self._kept.put(index, lines, first)
        return lines[offset - first]

    def let_go(self, in_view: range) -> None:
        """Let go of the least recently drawn items' lines while more than :data:`KEPT_LINES`
        are kept, except those of the items ``in_view`` (drawn again every frame)."""
        self._kept.let_go(in_view.__contains__)

    def item_at(self, line: int) -> int | None:
        """The item on ``line`` of the list."""
        return self.lines[line][0] if 0 <= line < len(self.lines) else None

    def span(self, index: int) -> tuple[int, int] | None:
        """First line and end line of item ``index``, when it is laid out."""
        if index >= self.count:
            return None
        return self.tops[index], self.tops[index + 1]

    def draw_line(
        self,
        line: int,
        looks: Looks,
        *,
        highlighted: int | None,
        hover: int | None,
        marked: bool,
        mark: str = "•",
        mark_style: Style | None = None,
    ) -> Strip:
        """Line ``line`` of the list as drawn: the gutter (column 1: the cursor bar on the
        ``highlighted`` item; column 2: ``mark`` if its item is ``marked``, plus ``mark_style``
        if given), then the content in the cursor, ``hover`` or plain look. Past the last line,
        a blank line."""
        width = self.width - GUTTER_WIDTH
        if line >= len(self.lines) or width <= 0:
            blank = Strip.blank(max(0, width), looks.option)
            empty = Segment(" " * GUTTER_WIDTH, looks.gutter)
            return Strip([empty, *blank], blank.cell_length + GUTTER_WIDTH)
        index, offset = self.lines[line]
        if index == highlighted:
            style = looks.cursor
        elif index == hover:
            style = looks.hover
        else:
            style = looks.option
        bar = looks.bar if index == highlighted else " "
        gutter: tuple[Segment, ...]
        if marked and mark_style is not None:
            gutter = (Segment(bar, looks.gutter), Segment(mark, looks.gutter + mark_style))
        else:
            gutter = (Segment(bar + (mark if marked else " "), looks.gutter),)
        key = (index, offset, style, gutter, looks)
        strip = self._drawn.get(key)
        if strip is None:
            if len(self._drawn) > _DRAWN_LIMIT:
                self._drawn.clear()
            content = style_line(self.line(index, offset), style, looks, width)
            strip = Strip([*gutter, *content], content.cell_length + GUTTER_WIDTH)
            self._drawn[key] = strip
        return strip
