"""Pane: one section of a brief, bordered and titled with its number key.

A pane IS its focusable body: :class:`ListPane` is an ``ItemList`` and :class:`TablePane` a
``RecordTable``, carrying the border and title themselves (one widget instead of a frame
container holding a body, which cost first-frame time: mount, styles, and a render of its whole
bordered area). What both add to their list or table lives in a :class:`PaneFrame` each holds.
Panes can be maximised (``z``: ``ALLOW_MAXIMIZE``). Subclasses fill themselves from a ``Brief``:
a concrete pane only says how to turn a brief into items or records.

A round border is drawn on the widget's own background, so the pane itself is transparent (its
border sits on the screen's background, as around a container) and its lines paint the
``$surface`` interior through the component styles of the list or table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, TypeAlias

import msgspec
from rich.console import Group, RenderableType
from rich.style import Style
from textual.content import Content
from textual.events import Hide
from textual.widget import Widget

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief
from termbrief.core.sections import pane_of, section
from termbrief.ui.render.markdown import Highlighter
from termbrief.ui.widgets.colour import colour_is_scarce
from termbrief.ui.widgets.focus import focus_now
from termbrief.ui.widgets.item_list import Item, ItemList
from termbrief.ui.widgets.record_table import Column, Record, RecordTable

if TYPE_CHECKING:
    from textual.scrollbar import ScrollBar

    from termbrief.core.annotation import Note, Placement
    from termbrief.ui.render.spans import Span, SpanKind

FIRST_FRAME_ITEMS = 8
"""Items a long list pane lays out before the first frame (more than a tall pane shows)."""


def pane_id(section_key: str) -> str:
    """The id of the pane showing ``section_key``: ``figures-table``, ``summary-list``..."""
    pane = pane_of(section_key)
    return f"{pane.key}-{pane.kind}"


def pane_number(section_key: str) -> int:
    """The number key of the pane showing ``section_key`` (key points: the summary's)."""
    return section(section_key).number


def _section_of(anchor: str) -> str | None:
    """The section of an item's anchor; None if it is not an anchor."""
    try:
        return Anchor.parse(anchor).section
    except ValueError:
        return None


class Jump(msgspec.Struct, frozen=True):
    """A place in a brief to go to: an item (by anchor) and a spot in its text.

    Detail dialogs, search and the notes panel hand these to the brief screen.
    """

    anchor: str
    """Notes-style anchor of the item to focus, e.g. ``commentary/surveillance-exports``."""
    offset: int | None = None
    """Character offset inside ``text`` (places the cursor on the right summary paragraph)."""
    text: str | None = None
    """The field's text the offset refers to (tells one key point from another)."""


FRAME_CSS = """
{pane} {{
    border: round $foreground 30%;
    border-title-color: $foreground 70%;
    border-subtitle-color: $foreground 50%;
    height: 1fr;
    padding: 0;
    background: transparent;  /* the border's; the lines paint $surface (see module doc) */
    &.-focus-within {{
        border: round $accent;
        border-title-color: $accent;
        border-title-style: bold;
    }}
}}
"""
"""The pane's frame, for ``{pane}`` a pane class (:class:`ListPane`, :class:`TablePane`)."""


class PaneFrame:
    """What a pane adds to its list or table: the border title (number key, name, count, notes),
    the frame that shows where the keyboard is, the scrollbar's colour, and letting go of the
    keyboard when hidden. Each pane holds one."""

    def __init__(self, widget: Widget, section: str, interior: str) -> None:
        """The frame of ``widget``, the pane of ``section``; ``interior`` is the component style
        whose background paints the pane's lines."""
        self._widget = widget
        self._interior = interior
        self.section = section
        """The section the pane shows."""
        self._extra = ""
        self._count: int | None = None
        self._update_title()

    @property
    def number(self) -> int:
        """The pane's number key."""
        return pane_number(self.section)

    @property
    def title(self) -> str:
        """The pane's name, e.g. ``Key figures``."""
        return section(self.section).title

    @property
    def extra(self) -> str:
        """Text after the title, e.g. a count of notes ("2 notes"); set by whoever owns it."""
        return self._extra

    @extra.setter
    def extra(self, extra: str) -> None:
        if extra != self._extra:
            self._extra = extra
            self._update_title()

    @property
    def count(self) -> int | None:
        """How many items the pane shows; None hides the count."""
        return self._count

    @count.setter
    def count(self, count: int | None) -> None:
        if count != self._count:
            self._count = count
            self._update_title()

    def show_focus_within(self, focused: bool) -> None:
        """Draw the frame as holding the keyboard (or not); the screen calls this as focus moves.

        A ``:focus-within`` rule would do the same, but Textual then restyles the whole pane
        subtree (the list and its scrollbars) twice per focus move. The class restyles the pane
        alone (not its scrollbars).
        """
        widget = self._widget
        if widget.has_class("-focus-within") != focused:
            widget.set_class(focused, "-focus-within", update=False)
            widget.app.stylesheet.update_nodes([widget], animate=True)

    def paint_scrollbar(self, scrollbar: ScrollBar | None) -> None:
        """Give the pane's vertical ``scrollbar`` the interior's background.

        The thumb's blank cells take their colour from the scrollbar's background, its
        parent's: the interior's, as when the pane was a frame around a $surface body. The
        colour does not show on screen, but it does in screenshots. Scrollbars get no CSS.
        """
        widget = self._widget
        if scrollbar is not None and self._interior in widget._component_styles:
            scrollbar.styles.background = widget.get_component_styles(self._interior).background

    def hidden(self) -> None:
        """The pane was hidden: with the keyboard (the grid gave way to Timeline, say), it lets
        go of it to no one, as the list inside a frame did: Textual's blur would hand it to a
        sibling pane, whose focus could then land after the one the screen gives the pane it
        shows."""
        screen = self._widget.screen
        if screen.focused is self._widget:
            screen.set_focus(None)

    def _update_title(self) -> None:
        parts = [f"{self.number} {self.title}"]
        if self._count is not None:
            parts.append(f"({self._count})")
        if self._extra:
            parts.append(f"· {self._extra}")
        # Content, not str: a str border title is parsed as markup.
        self._widget.border_title = Content(" ".join(parts))


class ListPane(ItemList):
    """A pane showing its section as an :class:`ItemList` (``#<section>-list``).

    Subclasses set ``SECTION`` and implement :meth:`items_for`.
    """

    ALLOW_MAXIMIZE = True
    DEFAULT_CSS = (
        FRAME_CSS.format(pane="ListPane")
        + """
    ListPane {
        & > .item-list--option { background: $surface; }
        & > .item-list--gutter { background: $surface; }
        & > .item-list--gutter-focused { background: $surface; }
    }
    """
    )

    SECTION: ClassVar[str] = ""
    """The section the pane shows."""
    FIRST_ITEMS: ClassVar[int | None] = None
    """With a number, only the items that fill the view (at most this many) are laid out for the
    first frame and the rest right after; None lays them all out at once."""
    COUNTED: ClassVar[bool] = True
    """Whether the title shows how many items there are."""

    def __init__(self) -> None:
        super().__init__(id=pane_id(self.SECTION), classes="pane")
        self.frame = PaneFrame(self, self.SECTION, "item-list--option")
        """Border title, focus frame and the rest that makes the list a pane."""
        self._inline: Mapping[str, Sequence[tuple[Note, Placement]]] = {}
        self._spans: Mapping[str, Sequence[Span]] = {}
        self._showing: tuple[Brief, Highlighter | None] | None = None

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        created = self._vertical_scrollbar is None
        scrollbar = super().vertical_scrollbar
        if created:
            self.frame.paint_scrollbar(scrollbar)
        return scrollbar

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.frame.paint_scrollbar(self._vertical_scrollbar)

    def _on_hide(self, _event: Hide) -> None:
        self.frame.hidden()

    def focus_body(self) -> None:
        """Give the keyboard to the pane, before the keys typed after the one that chose it."""
        focus_now(self)

    def current_anchor(self) -> str:
        """The anchor of the item under the cursor, or the section when there is none."""
        current = self.current
        return current.anchor if current is not None else str(Anchor(self.SECTION))

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        """The list items for ``brief``'s section, search matches marked by ``highlight``."""
        raise NotImplementedError

    def show_brief(
        self, brief: Brief, highlight: Highlighter | None = None, *, keep: bool = False
    ) -> None:
        """Show ``brief``'s section, with search matches marked by ``highlight``.

        With ``keep`` (the same brief again: a reload or a new search), cursor and scroll
        position stay where they are.
        """
        self._showing = (brief, highlight)
        # The theme's colours for coloured words, worked out once for every item that has some.
        styles = self._span_styles() if self._spans else None
        items = [self._with_notes(item, brief, styles) for item in self.items_for(brief, highlight)]
        self.set_items(items, keep_position=keep, first=self.FIRST_ITEMS)
        self.frame.count = len(items) if self.COUNTED else None

    def show_inline_notes(self, notes: Mapping[str, Sequence[tuple[Note, Placement]]]) -> None:
        """Show ``notes`` (by the anchor of the item they are on) in full under their items;
        an empty mapping shows none. The cursor and the view stay."""
        if notes == self._inline:
            return
        self._inline = notes
        if self._showing is not None:
            self.show_brief(*self._showing, keep=True)

    @property
    def spans(self) -> Mapping[str, Sequence[Span]]:
        """The coloured words of the items (by item anchor): the selection, the highlights
        and the words of notes, as offsets in each item's text as the reader sees it."""
        return self._spans

    def show_spans(self, spans: Mapping[str, Sequence[Span]]) -> None:
        """Colour ``spans`` of the items' texts (by item anchor; an empty mapping colours
        none). The cursor and the view stay."""
        if spans == self._spans:
            return
        self._spans = spans
        if self._showing is not None:
            self.show_brief(*self._showing, keep=True)

    def _with_notes(
        self, item: Item, brief: Brief, styles: Mapping[SpanKind, Style] | None
    ) -> Item:
        spans = self._spans.get(item.anchor)
        if spans and styles is not None:
            item = self._with_spans(item, brief, spans, styles)
        notes = self._inline.get(item.anchor)
        if not notes:
            return item
        from termbrief.ui.render.notes import inline_notes  # only once notes show inline

        return Item(item.anchor, Group(item.renderable, inline_notes(notes)), item.links)

    def _with_spans(
        self,
        item: Item,
        brief: Brief,
        spans: Sequence[Span],
        styles: Mapping[SpanKind, Style],
    ) -> Item:
        """``item`` with ``spans`` of its text coloured, built as lazily as the item is."""
        try:
            text = Anchor.parse(item.anchor).content(brief)
        except ValueError:
            text = None
        if text is None:
            return item
        from termbrief.ui.render.spans import mark_spans  # with the first coloured words

        def build() -> tuple[RenderableType, tuple[str, ...]]:
            return mark_spans(item.renderable, text, spans, styles), item.links

        return Item.lazy(item.anchor, build, size_key=item.size_key)

    def _span_styles(self) -> Mapping[SpanKind, Style]:
        from termbrief.ui.render.spans import SCARCE_STYLES, span_styles

        if colour_is_scarce(self.app):
            return SCARCE_STYLES
        return span_styles(self.app.get_css_variables())

    def select_anchor(
        self, anchor: str, offset: int | None = None, text: str | None = None
    ) -> bool:
        """Put the cursor on the item at ``anchor``: a block of a commentary entry lands on its
        entry, a whole section on its first item."""
        if ItemList.select_anchor(self, anchor):
            return True
        try:
            place = Anchor.parse(anchor)
        except ValueError:
            return False
        if place.entry != place:
            return ItemList.select_anchor(self, str(place.entry))
        if place.item is None:
            first = next(
                (item.anchor for item in self.items if _section_of(item.anchor) == place.section),
                None,
            )
            return first is not None and ItemList.select_anchor(self, first)
        return False


class TablePane(RecordTable):
    """A pane showing its section as a sortable :class:`RecordTable` (``#<section>-table``).

    Subclasses set ``SECTION`` and ``COLUMNS`` and implement :meth:`records_for`.
    """

    ALLOW_MAXIMIZE = True
    DEFAULT_CSS = (
        FRAME_CSS.format(pane="TablePane")
        + """
    TablePane {
        & > .record-table--row { background: $surface; }
    }
    """
    )

    SECTION: ClassVar[str] = ""
    """The section the pane shows."""
    COLUMNS: ClassVar[Sequence[Column]] = ()
    """The table's columns."""
    CARD_HEAD: ClassVar[Sequence[int] | None] = None
    """Columns that head each record drawn as a card (the others go under them); None draws
    rows (see :class:`RecordTable`)."""

    def __init__(self) -> None:
        super().__init__(self.COLUMNS, card_head=self.CARD_HEAD, id=pane_id(self.SECTION))
        self.frame = PaneFrame(self, self.SECTION, "record-table--row")
        """Border title, focus frame and the rest that makes the table a pane."""
        self.add_class("pane")

    def on_mount(self) -> None:
        # In the frame, not the footer: the footer is full at 80 columns.
        self.border_subtitle = Content("s sort · ⏎ details")

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        created = self._vertical_scrollbar is None
        scrollbar = super().vertical_scrollbar
        if created:
            self.frame.paint_scrollbar(scrollbar)
        return scrollbar

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.frame.paint_scrollbar(self._vertical_scrollbar)

    def _on_hide(self, _event: Hide) -> None:
        self.frame.hidden()

    def focus_body(self) -> None:
        """Give the keyboard to the pane, before the keys typed after the one that chose it."""
        focus_now(self)

    def current_anchor(self) -> str:
        """The anchor of the row under the cursor, or the section when there is none."""
        current = self.current
        return current.anchor if current is not None else str(Anchor(self.SECTION))

    def records_for(self, brief: Brief) -> list[Record]:
        """The table rows for ``brief``'s section."""
        raise NotImplementedError

    def show_brief(
        self, brief: Brief, highlight: Highlighter | None = None, *, keep: bool = False
    ) -> None:
        """Show ``brief``'s section; ``highlight`` marks search matches (the table keeps its
        cursor and sorting whatever ``keep`` says)."""
        self.highlighter = highlight
        records = self.records_for(brief)
        self.set_records(records)
        self.frame.count = len(records)

    def select_anchor(
        self, anchor: str, offset: int | None = None, text: str | None = None
    ) -> bool:
        """Put the cursor on the row at ``anchor``."""
        return RecordTable.select_anchor(self, anchor)


Pane: TypeAlias = ListPane | TablePane
"""A pane of the brief screen (also for ``isinstance`` and ``query(...).results``)."""
