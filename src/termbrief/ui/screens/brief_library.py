"""The library sidebar of the brief screen, as a plain object the screen holds.

The sidebar (a :class:`~termbrief.ui.widgets.library_list.LibraryList`) is built on first use —
a single brief never pays for it, and a folder shows its first frame before it is built — and
then follows the reader: the library as it changes, the brief on screen, and the briefs that
have notes (for the ``has:notes`` filter).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widget import Widget

from termbrief.core.reading_sets import ReadingSets
from termbrief.ui.services.notes import NotesSession
from termbrief.ui.state import LibraryChange, ReaderState

if TYPE_CHECKING:
    from termbrief.ui.widgets.library_list import LibraryList


class LibrarySidebar:
    """The brief screen's library sidebar: shown, hidden, kept current."""

    def __init__(self, screen: Screen[None], state: ReaderState, notes: NotesSession) -> None:
        """The sidebar of ``screen``, listing ``state``'s library; ``notes`` for has:notes."""
        self._screen = screen
        self._state = state
        self._notes = notes
        self._list: LibraryList | None = None
        self._reading = ReadingSets()

    @property
    def widget(self) -> LibraryList | None:
        """The sidebar, once it has been shown (None before)."""
        return self._list

    @property
    def shown(self) -> bool:
        """Whether the sidebar is visible."""
        return self._list is not None and self._list.display

    def holds(self, widget: Widget | None) -> bool:
        """Whether ``widget`` is the sidebar or inside it."""
        return (
            self._list is not None
            and widget is not None
            and self._list in widget.ancestors_with_self
        )

    def show(self, shown: bool, *, focus: bool, current: Path | None) -> bool:
        """Show or hide the sidebar; shown, it takes the keyboard (if ``focus``) with its cursor
        on ``current``. Returns whether hiding it took the keyboard away (the screen then gives
        it to a pane)."""
        library = self._list
        if library is None:
            if not shown:
                return False
            from termbrief.ui.widgets.library_list import LibraryList

            library = self._list = LibraryList(self._state.entries, id="library")
            library.set_reading(self._reading)
            self._screen.mount(library, before="#main")
        library.display = shown
        if shown:
            if current is not None:
                library.call_after_refresh(library.select_path, current)
            if focus:
                library.call_after_refresh(library.focus)
            return False
        return self._screen.focused is None or self.holds(self._screen.focused)

    def select(self, path: Path) -> None:
        """Put the cursor on the brief ``path`` (the one on screen), if the sidebar is built."""
        if self._list is not None:
            self._list.select_path(path)

    def follow(self, change: LibraryChange, current: Path | None) -> None:
        """List the library as it is now. The cursor goes to ``current`` (the brief on screen),
        or with ``change.keep_selection`` stays on the entry it was on (live reload)."""
        if self._list is not None:
            self._list.set_entries(change.entries, keep_selection=change.keep_selection)
            if current is not None and not change.keep_selection:
                self._list.select_path(current)

    def refresh_briefs_with_notes(self) -> None:
        """Give the sidebar the ids of briefs with notes (for ``has:notes``); on a store
        failure the filter keeps the last known ids."""
        if self._list is not None:
            self._notes.load_briefs_with_notes(self._show_briefs_with_notes)

    def _show_briefs_with_notes(self, found: frozenset[str]) -> None:
        if self._list is not None:
            self._list.set_briefs_with_notes(found)

    def set_reading(self, reading: ReadingSets) -> None:
        """Give the sidebar the unread and changed briefs (badges, ``is:`` filters)."""
        self._reading = reading
        if self._list is not None:
            self._list.set_reading(reading)
