"""Pane: the bordered frame around one section of a brief, titled with its number key.

A pane holds one focusable body (an ``ItemList`` or a ``RecordTable``); focusing the pane focuses
its body. Panes can be maximised (``z``) because ``ALLOW_MAXIMIZE`` is set on the frame, so the
border and title come along. Subclasses fill themselves from a :class:`~termbrief.model.Brief`:
:class:`ListPane` and :class:`TablePane` do the plumbing around their body, so a concrete pane
only says how to turn a brief into items or records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import msgspec
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.events import Mount
from textual.reactive import reactive

from termbrief.model import Brief
from termbrief.widgets.item_list import Item, ItemList
from termbrief.widgets.markdown import Highlighter
from termbrief.widgets.record_table import Column, Record, RecordTable

PANES: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("figures", "Key figures"),
    ("actors", "Actors"),
    ("commentary", "Commentary"),
    ("timeline", "Timeline"),
    ("sources", "Sources"),
)
"""(section, title) of each pane in number-key order: key 1 is the summary."""

PANE_SECTIONS: tuple[str, ...] = tuple(section for section, _ in PANES)
"""Section names of the panes, in number-key order."""

FIRST_FRAME_ITEMS = 8
"""Items a long list pane lays out before the first frame (more than a tall pane shows)."""


def pane_number(section: str) -> int:
    """The number key of the pane showing ``section`` (``key_points`` live in the summary)."""
    if section == "key_points":
        section = "summary"
    return PANE_SECTIONS.index(section) + 1


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


class Pane(Vertical):
    """Frame of one section; concrete panes derive from :class:`ListPane` or :class:`TablePane`."""

    ALLOW_MAXIMIZE = True
    SECTION: ClassVar[str] = ""
    DEFAULT_CSS = """
    Pane {
        border: round $foreground 30%;
        border-title-color: $foreground 70%;
        border-subtitle-color: $foreground 50%;
        height: 1fr;
        padding: 0;
        &.-focus-within {
            border: round $accent;
            border-title-color: $accent;
            border-title-style: bold;
        }
    }
    """

    extra: reactive[str] = reactive("")
    """Text after the title, e.g. a count of notes ("2 notes"); set by whoever owns it."""
    count: reactive[int | None] = reactive(None)
    """How many items the pane shows; None hides the count."""

    def __init__(self) -> None:
        super().__init__(id=f"pane-{self.SECTION}", classes="pane")

    @property
    def number(self) -> int:
        """The pane's number key."""
        return pane_number(self.SECTION)

    @property
    def title(self) -> str:
        """The pane's name, e.g. ``Key figures``."""
        return dict(PANES)[self.SECTION]

    @on(Mount)
    def _title_on_mount(self) -> None:
        self._update_title()

    def watch_extra(self) -> None:
        self._update_title()

    def watch_count(self) -> None:
        self._update_title()

    def _update_title(self) -> None:
        parts = [f"{self.number} {self.title}"]
        if self.count is not None:
            parts.append(f"({self.count})")
        if self.extra:
            parts.append(f"· {self.extra}")
        # Content, not str: a str border title is parsed as markup.
        self.border_title = Content(" ".join(parts))

    @property
    def body(self) -> ItemList | RecordTable:
        """The focusable widget inside the pane."""
        raise NotImplementedError

    def show_focus_within(self, focused: bool) -> None:
        """Draw the frame as holding the keyboard (or not); the screen calls this as focus moves.

        A ``:focus-within`` rule would do the same, but Textual then restyles the whole pane
        subtree (the list and its scrollbars) twice per focus move, ~5 ms of a pane switch. The
        class styles the frame alone, so only the frame is restyled.
        """
        if self.has_class("-focus-within") != focused:
            self.set_class(focused, "-focus-within", update=False)
            self.app.stylesheet.update_nodes([self], animate=True)

    def focus_body(self) -> None:
        """Give the keyboard to the pane."""
        self.body.focus()

    def show_brief(
        self, brief: Brief, highlight: Highlighter | None = None, *, keep: bool = False
    ) -> None:
        """Show ``brief``'s section, with search matches marked by ``highlight``.

        With ``keep`` (the same brief again: a reload or a new search), cursor and scroll
        position stay where they are.
        """
        raise NotImplementedError

    def select_anchor(
        self, anchor: str, offset: int | None = None, text: str | None = None
    ) -> bool:
        """Put the cursor on the item at ``anchor``.

        For prose, ``offset`` is a character offset into ``text`` (the field's source text), so
        the cursor lands on the paragraph or key point that holds it.
        """
        return self.body.select_anchor(anchor)

    def current_anchor(self) -> str:
        """The anchor of the item under the cursor, or the section when there is none."""
        current = self.body.current
        return current.anchor if current is not None else self.SECTION


class ListPane(Pane):
    """A pane showing its section as an :class:`ItemList` (``#<section>-list``).

    Subclasses implement :meth:`items_for`.
    """

    FIRST_ITEMS: ClassVar[int | None] = None
    """With a number, only the items that fill the view (at most this many) are laid out for the
    first frame and the rest right after; None lays them all out at once."""
    COUNTED: ClassVar[bool] = True
    """Whether the title shows how many items there are."""

    def __init__(self) -> None:
        super().__init__()
        self._list = ItemList(id=f"{self.SECTION}-list")

    def compose(self) -> ComposeResult:
        yield self._list

    @property
    def body(self) -> ItemList:
        """The list of the section's items."""
        return self._list

    def items_for(self, brief: Brief, highlight: Highlighter | None) -> list[Item]:
        """The list items for ``brief``'s section, search matches marked by ``highlight``."""
        raise NotImplementedError

    def show_brief(
        self, brief: Brief, highlight: Highlighter | None = None, *, keep: bool = False
    ) -> None:
        items = self.items_for(brief, highlight)
        self._list.set_items(items, keep_position=keep, first=self.FIRST_ITEMS)
        self.count = len(items) if self.COUNTED else None


class TablePane(Pane):
    """A pane showing its section as a sortable :class:`RecordTable` (``#<section>-table``).

    Subclasses set ``COLUMNS`` and implement :meth:`records_for`.
    """

    COLUMNS: ClassVar[Sequence[Column]] = ()
    """The table's columns."""

    def __init__(self) -> None:
        super().__init__()
        self._table = RecordTable(self.COLUMNS, id=f"{self.SECTION}-table")

    def compose(self) -> ComposeResult:
        yield self._table

    def on_mount(self) -> None:
        # The footer leaves these out (it would be rebuilt on every move between panes).
        self.border_subtitle = Content("s sort · ⏎ details")

    @property
    def body(self) -> RecordTable:
        """The table of the section's records."""
        return self._table

    def records_for(self, brief: Brief) -> list[Record]:
        """The table rows for ``brief``'s section."""
        raise NotImplementedError

    def show_brief(
        self, brief: Brief, highlight: Highlighter | None = None, *, keep: bool = False
    ) -> None:
        self._table.highlighter = highlight
        records = self.records_for(brief)
        self._table.set_records(records)
        self.count = len(records)
