"""The lines of an :class:`~termbrief.ui.widgets.item_list.ItemList`: laid out once per width,
styled once per look.

:class:`ItemLines` holds each laid-out item's lines (``Strip``) at one content width, the line
table that maps every line of the list to its item, and a cache of the styled lines the list has
drawn: a cursor or focus move restyles only the lines whose look changed, and only a new width
renders the items again. :class:`Looks` are the styles of one frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, cast

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

from termbrief.ui.widgets.colour import colour_is_scarce

NULL_STYLE = VisualStyle.null()
"""Items are rendered without the list's style, which each drawn line puts under them."""

GUTTER_WIDTH = 2
"""Columns before each line: the cursor bar, then the marker dot."""

_DRAWN_LIMIT = 2000
"""Styled lines kept; past this the cache starts again (old styles and scroll positions)."""


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


def render_item(
    renderable: RenderableType,
    width: int,
    console: Console,
    options: ConsoleOptions,
    plain: RenderOptions,
) -> list[Strip]:
    """The unstyled lines of one item at ``width`` columns."""
    if isinstance(renderable, Text):
        # As Textual draws a Text: through Content, whose segments carry offsets.
        content = Content.from_rich_text(renderable, console=console)
        return content.render_strips(width, None, NULL_STYLE, plain)
    return [
        Strip(line)
        for line in Segment.split_and_crop_lines(
            console.render(renderable, options), width, include_new_lines=False, pad=False
        )
    ]


def style_line(raw: Strip, style: Style, looks: Looks, width: int) -> Strip:
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


class ItemLines:
    """The laid-out items' lines at one content width, and the styled lines drawn from them."""

    def __init__(self) -> None:
        self.width = -1
        """Content width the items were rendered at (-1: not yet)."""
        self.renders: list[list[Strip]] = []
        """Each laid-out item's lines at ``width``, unstyled: rendered once per width."""
        self.tops: list[int] = []
        """First line of each laid-out item."""
        self.lines: list[tuple[int, int]] = []
        """Line table: list line -> (item index, line in the item)."""
        self._drawn: dict[tuple[object, ...], Strip] = {}
        """Styled lines by everything they depend on."""
        self._looks: dict[bool, Looks] = {}
        """The looks with and without focus, until the next restyle."""

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

    def forget(self) -> None:
        """Drop every laid-out line (new items)."""
        self.renders.clear()
        self.tops.clear()
        self.lines.clear()
        self._drawn.clear()

    def set_width(self, width: int) -> None:
        """Lay out at ``width`` from now on: a new width forgets every line."""
        if width != self.width:
            self.width = width
            self.forget()

    def add(self, strips: list[Strip]) -> None:
        """Lay out the next item as ``strips``."""
        index = len(self.renders)
        self.tops.append(len(self.lines))
        self.renders.append(strips)
        self.lines.extend([(index, offset) for offset in range(len(strips))])

    def render(
        self, widget: Widget, renderables: Sequence[RenderableType], fill_to: int | None
    ) -> int:
        """Lay out ``renderables`` (the items after those laid out) with ``widget``'s styles;
        with ``fill_to``, stop at the item that reaches that line. How many were laid out."""
        padding = widget.get_component_styles("item-list--option").padding
        width = max(1, self.width - GUTTER_WIDTH - padding.left - padding.right)
        console = widget.app.console
        options = widget.app.console_options.update(highlight=False, width=width, height=None)
        plain = RenderOptions(widget._get_style, cast(RulesMap, widget.styles))
        for count, renderable in enumerate(renderables, start=1):
            self.add(render_item(renderable, width, console, options, plain))
            if fill_to is not None and len(self.lines) >= fill_to:
                return count
        return len(renderables)

    def item_at(self, line: int) -> int | None:
        """The item on ``line`` of the list."""
        return self.lines[line][0] if 0 <= line < len(self.lines) else None

    def span(self, index: int) -> tuple[int, int] | None:
        """First line and end line of item ``index``, when it is laid out."""
        if index >= len(self.tops):
            return None
        top = self.tops[index]
        return top, top + len(self.renders[index])

    def draw_line(
        self,
        line: int,
        looks: Looks,
        *,
        highlighted: int | None,
        hover: int | None,
        marked: bool,
        mark: str = "•",
    ) -> Strip:
        """Line ``line`` of the list as drawn: the gutter (column 1: the cursor bar on the
        ``highlighted`` item; column 2: ``mark`` if its item is ``marked``), then the content in
        the cursor, ``hover`` or plain look. Past the last line, a blank line."""
        width = self.width - GUTTER_WIDTH
        if line >= len(self.lines) or width <= 0:
            gutter = Segment(" " * GUTTER_WIDTH, looks.gutter)
            blank = Strip.blank(max(0, width), looks.option)
            return Strip([gutter, *blank], blank.cell_length + GUTTER_WIDTH)
        index, offset = self.lines[line]
        if index == highlighted:
            style = looks.cursor
        elif index == hover:
            style = looks.hover
        else:
            style = looks.option
        gutter = Segment(
            (looks.bar if index == highlighted else " ") + (mark if marked else " "),
            looks.gutter,
        )
        key = (index, offset, style, gutter, looks)
        strip = self._drawn.get(key)
        if strip is None:
            if len(self._drawn) > _DRAWN_LIMIT:
                self._drawn.clear()
            content = style_line(self.renders[index][offset], style, looks, width)
            strip = Strip([gutter, *content], content.cell_length + GUTTER_WIDTH)
            self._drawn[key] = strip
        return strip
