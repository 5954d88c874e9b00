"""What changed since you last read the brief on screen: the banner, the item markers, ``c``
(the changes view), ``{`` / ``}`` (previous / next changed item) and ``r`` (mark read).

A plain object the brief screen holds (:class:`ChangeActions`). The reading service
(:mod:`termbrief.ui.services.reading`) finds the changes; the app hands them here
(:meth:`ChangeActions.show`). Opening another brief clears them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from termbrief.ui.panes.pane import Jump
from termbrief.ui.render.safe import one_line
from termbrief.ui.services.notes import NotesSession
from termbrief.ui.state import CurrentChange, ReaderState
from termbrief.ui.widgets.change_marks import ADDED, CHANGED
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.key_names import key_for
from termbrief.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from termbrief.core.annotation import Note
    from termbrief.store.reading import ChangesSince

__all__ = ["ChangeActions", "ChangesBanner", "item_marks"]


def item_marks(changes: ChangesSince) -> dict[str, str]:
    """The pane markers of ``changes``: ``+`` on added items, ``~`` on changed or moved ones,
    by anchor."""
    marks: dict[str, str] = {}
    for change in changes.diff.changes:
        if change.kind == "removed" or change.new_index is None or change.section == "brief":
            continue
        marks[change.anchor] = ADDED if change.kind == "added" else CHANGED
    return marks


class ChangesBanner(Static):
    """One line over the panes: "Changed since you read it on 2 Dec: … — press c"."""

    DEFAULT_CSS = """
    ChangesBanner {
        display: none;
        height: 1;
        padding: 0 1;
        background: $warning 15%;
        color: $text;
        border-left: thick $warning;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ChangesBanner.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__("", id="changes-banner", markup=False)
        self.text = ""
        """What the banner says (empty when hidden)."""

    def say(self, text: str) -> None:
        """Show ``text`` (empty hides the banner)."""
        self.text = text
        self.update(Content(one_line(text)))
        self.set_class(bool(text), "-shown")


class ChangeActions:
    """The brief screen's changes since read: banner, markers, the changes view, stepping."""

    def __init__(
        self,
        screen: Screen[None],
        state: ReaderState,
        notes: NotesSession,
        reveal: Callable[[Jump], bool],
    ) -> None:
        """For ``screen``, following the brief on screen in ``state``; ``notes`` flags the
        notes whose words changed; ``reveal`` shows an item (the screen's)."""
        self._screen = screen
        self._state = state
        self._notes_session = notes
        self._reveal = reveal
        self.changes: ChangesSince | None = None
        """The changes shown (None: none)."""
        self._step = -1
        self._banner: ChangesBanner | None = None

    def follow(self) -> None:
        """Clear the changes whenever another brief is opened (call once mounted)."""
        self._state.current_changed.subscribe(self._screen, self._current_changed)

    def _current_changed(self, change: CurrentChange) -> None:
        if change.other_file:
            self.show(None)

    @property
    def banner(self) -> ChangesBanner:
        """The banner (mounted over the panes on first use)."""
        if self._banner is None:
            self._banner = ChangesBanner()
            self._screen.query_one("#main").mount(self._banner, after="#brief-header")
        return self._banner

    def show(self, changes: ChangesSince | None) -> None:
        """Show ``changes`` (None clears): the banner, and the markers in every pane."""
        if changes is None and self.changes is None:
            return
        self.changes = changes
        self._step = -1
        marks = item_marks(changes) if changes is not None else {}
        for body in self._screen.query("ItemList, RecordTable"):
            if isinstance(body, ItemList | RecordTable):
                body.set_change_marks(marks)
        if changes is None:
            if self._banner is not None:
                self.banner.say("")
            return
        key = key_for(self._screen, "changes.show", "c")
        self.banner.say(f"{changes.headline()} — press {key}")

    def refresh_marks(self) -> None:
        """Give the markers to panes mounted or refilled since :meth:`show`."""
        if self.changes is not None:
            marks = item_marks(self.changes)
            for body in self._screen.query("ItemList, RecordTable"):
                if isinstance(body, ItemList | RecordTable) and body.change_marks.marks != marks:
                    body.set_change_marks(marks)

    def open_view(self) -> None:
        """Open the changes view (``c``); Enter there jumps to the item."""
        changes = self.changes
        if changes is None:
            self._screen.notify("Nothing changed since you last read this brief.", markup=False)
            return
        from termbrief.ui.screens.changes import ChangesScreen

        self._screen.app.push_screen(ChangesScreen(changes, self._notes(changes)), self._jump)

    def _notes(self, changes: ChangesSince) -> Sequence[Note]:
        store = self._notes_session.store
        if store is None:
            return []
        from termbrief.store.notes import NotesError

        try:
            return store.notes_for(changes.new.id)
        except NotesError:
            return []  # the notes UI reports store errors; the changes still show

    def _jump(self, jump: Jump | None) -> None:
        if jump is not None:
            self._reveal(jump)

    def go(self, direction: int) -> None:
        """Move to the next (1) or previous (-1) changed item (``}`` / ``{``)."""
        jump = self.step(direction)
        if jump is None:
            self._screen.app.bell()
        else:
            self._reveal(jump)

    def jumps(self) -> list[Jump]:
        """The changed items still in the brief, in reading order."""
        from termbrief.ui.screens.changes import change_jump

        changes = self.changes
        if changes is None:
            return []
        found = (change_jump(change, changes.new) for change in changes.diff.changes)
        return [jump for jump in found if jump is not None]

    def step(self, direction: int) -> Jump | None:
        """The next (1) or previous (-1) changed item, wrapping around; None if none."""
        jumps = self.jumps()
        if not jumps:
            return None
        if self._step < 0:  # the first step: from the top, or from the bottom going back
            self._step = 0 if direction > 0 else len(jumps) - 1
        else:
            self._step = (self._step + direction) % len(jumps)
        return jumps[self._step]
