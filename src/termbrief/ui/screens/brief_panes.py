"""The six panes of the brief screen, as a plain object the screen holds.

:class:`PaneDeck` decides which panes show (on a terminal at least :data:`WIDE` columns wide,
Summary | Key figures / Actors | Commentary share the screen and Timeline and Sources replace
the grid; narrower, each pane is a tab of its own; the tab bar shows in both, so the reader
always sees which pane is active and its number key), which one is active, and fills them with
the entry on screen: the panes in view for the first frame, the others right after it, each
once per entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from textual.screen import Screen
from textual.widget import Widget

from termbrief.core.anchors import Anchor
from termbrief.core.library import Entry
from termbrief.core.sections import PANE_KEYS
from termbrief.ui.panes.pane import Jump, ListPane, Pane, pane_id
from termbrief.ui.panes.pane_bar import PaneBar
from termbrief.ui.services.notes import NoteMarks
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from termbrief.core.annotation import Note, Placement
    from termbrief.ui.render.markdown import Highlighter

WIDE: Final = 120
"""Columns from which the first four panes show as a grid."""
GRID_SECTIONS: Final = ("summary", "figures", "actors", "commentary")
"""The panes of the wide grid; Timeline and Sources take the grid's place when chosen."""
LATE_SECTIONS: Final = ("timeline", "sources")
"""The panes mounted after the first frame (never in view on it)."""


def section_of(anchor: str) -> str:
    """The section of the pane showing ``anchor`` (key points live in the summary pane)."""
    try:
        return Anchor.parse(anchor).pane
    except ValueError:  # not an anchor (a hand-edited note): as it was, its first part
        return anchor.partition("/")[0]


class PaneDeck:
    """The panes of one brief screen: layout, the active pane, and what they show."""

    def __init__(self, screen: Screen[None], mount_late: Callable[[], None]) -> None:
        """The panes of ``screen``; ``mount_late`` mounts what the first frame does not show
        (Timeline and Sources among it) and then calls :meth:`late_panes_mounted`."""
        self._screen = screen
        self._mount_late = mount_late
        self.entry: Entry | None = None
        """The entry the panes show."""
        self.active = "summary"
        """Section of the active pane (the focused one, or the one shown in narrow mode)."""
        self.highlighter: Highlighter | None = None
        """Marks search matches in every pane when set (see :meth:`set_highlight`)."""
        self._filled: set[str] = set()
        self._keep_position = False
        self._late = False

    @property
    def valid(self) -> bool:
        """Whether a valid brief is shown (not an invalid file's problems, nor nothing)."""
        return self.entry is not None and self.entry.ok

    def pane(self, section: str) -> Pane:
        """The pane showing ``section`` (``key_points`` live in the summary pane)."""
        section = section_of(section)
        if section in LATE_SECTIONS:
            self._mount_late()
        pane = self._screen.query_one(f"#{pane_id(section)}")
        if not isinstance(pane, Pane):
            raise TypeError(f"#{pane_id(section)} is not a pane")
        return pane

    def all_panes(self) -> list[Pane]:
        """The panes mounted now."""
        return [pane for pane in self._screen.query(".pane") if isinstance(pane, Pane)]

    def show(self, entry: Entry, *, keep_position: bool) -> None:
        """Fill the panes with ``entry`` (with ``keep_position``, a new version of the brief
        shown: every cursor and scroll position stays)."""
        self.entry = entry
        self._filled = set()
        self._keep_position = keep_position
        if entry.brief is None:
            return
        # Every pane in view is filled for the first frame (a frame with empty panes would only
        # look like a start); the others, out of view, right after it.
        if self.active in GRID_SECTIONS and not self._screen.has_class("-narrow"):
            in_view: tuple[str, ...] = GRID_SECTIONS
        else:
            in_view = (self.active,)
        for section in in_view:
            self._fill(section)
        self._screen.call_after_refresh(self._fill_all, entry)

    def late_panes_mounted(self) -> None:
        """Timeline and Sources are mounted: fill them if the others are."""
        self._late = True
        self.update_layout()
        # Nothing is mounted when the app is already closing: then there is nothing to fill.
        mounted = bool(self._screen.query(f"#{pane_id('timeline')}"))
        if self.valid and self._filled and mounted:
            for section in LATE_SECTIONS:
                self._fill(section)

    def reveal(self, jump: Jump) -> bool:
        """Show and focus the pane holding ``jump.anchor``, with the cursor on that item."""
        section = section_of(jump.anchor)
        if section not in PANE_KEYS or self.entry is None or self.entry.brief is None:
            return False
        self._fill(section)
        self.activate(section)
        return self.pane(section).select_anchor(jump.anchor, jump.offset, jump.text)

    def set_highlight(self, highlighter: Highlighter | None) -> None:
        """Mark search matches in every pane (None clears), keeping each cursor where it is."""
        self.highlighter = highlighter
        self._filled = set()
        self._keep_position = True
        if self.entry is not None:
            self._fill_all(self.entry)

    def activate(self, section: str, *, focus: bool = True) -> None:
        """Make ``section``'s pane the active one: show it and (by default) focus it."""
        screen = self._screen
        if screen.maximized is not None and section != self.active:
            screen.minimize()
        self.active = section
        self._fill(section)
        screen.query_one(PaneBar).active = section
        self.update_layout()
        if focus and self.valid:
            self.pane(section).focus_body()

    def focus_moved(self, widget: Widget) -> None:
        """The keyboard moved to ``widget``: a pane it lands on becomes the active one."""
        if isinstance(widget, Pane) and self.active != widget.SECTION:
            self.active = widget.SECTION
            self._screen.query_one(PaneBar).active = widget.SECTION
            self.update_layout()

    def show_focus(self, old: Widget | None, new: Widget | None) -> None:
        """The keyboard moved from ``old`` to ``new``: restyle the frames of the panes left and
        entered only (their ``:focus-within``, see ``PaneFrame.show_focus_within``)."""
        old_pane = old if isinstance(old, Pane) else None
        new_pane = new if isinstance(new, Pane) else None
        if old_pane is not new_pane:
            if old_pane is not None:
                old_pane.frame.show_focus_within(False)
            if new_pane is not None:
                new_pane.frame.show_focus_within(True)

    def show_note_marks(self, marks: NoteMarks) -> None:
        """Show the note counts in the pane titles and mark the items with notes."""
        for pane in self.all_panes():
            pane.frame.extra = marks.titles.get(pane.SECTION, "")
        for body in self._screen.query("ItemList, RecordTable"):
            if isinstance(body, ItemList | RecordTable):
                body.set_marked(marks.marked, marks.theirs)
        inline: dict[str, list[tuple[Note, Placement]]] = {}
        for placed in marks.placed if marks.inline else ():
            if placed.item is not None:
                inline.setdefault(placed.item, []).append((placed.shown, placed.placement))
        for pane in self.all_panes():
            if isinstance(pane, ListPane):
                pane.show_inline_notes(inline)

    def set_width(self, width: int) -> None:
        """Lay the panes out for a terminal ``width`` columns wide."""
        self._screen.set_class(width < WIDE, "-narrow")
        self.update_layout()

    def update_layout(self) -> None:
        """Show the panes the layout and the active pane call for, and hide the others."""
        screen = self._screen
        valid = self.valid
        narrow = screen.has_class("-narrow")
        shown: list[tuple[Widget, bool]] = [
            (screen.query_one(PaneBar), valid),
            (screen.query_one("#grid"), valid and self.active in GRID_SECTIONS),
        ]
        shown += [(problems, not valid) for problems in screen.query("#problems")]
        for pane in self.all_panes():
            if pane.SECTION in GRID_SECTIONS:
                shown.append((pane, not narrow or self.active == pane.SECTION))
            else:  # Timeline and Sources take the grid's place
                shown.append((pane, valid and self.active == pane.SECTION))
        for widget, display in shown:
            # Only real changes: setting display at all costs a layout pass of the screen.
            if widget.display != display:
                widget.display = display

    def _fill(self, section: str) -> None:
        """Show the current brief in ``section``'s pane, once per entry."""
        brief = self.entry.brief if self.entry is not None else None
        if brief is None or section in self._filled:
            return
        self._filled.add(section)
        self.pane(section).show_brief(brief, self.highlighter, keep=self._keep_position)

    def _fill_all(self, entry: Entry) -> None:
        if entry is self.entry:
            for section in PANE_KEYS:
                if self._late or section not in LATE_SECTIONS:
                    self._fill(section)
