"""What the reader shows: the library, the brief on screen, whether a folder was opened.

One :class:`ReaderState`, owned by the app. The services change it (start-up loading, live
reload); every change is announced with a Textual ``Signal``, so that what follows the library
(the sidebar, the library index, the remembered last brief) keeps no copy of it in step by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import msgspec
from textual.dom import DOMNode
from textual.signal import Signal

from termbrief.core.library import Entry


class LibraryChange(msgspec.Struct, frozen=True):
    """The library changed (data of :attr:`ReaderState.library_changed`)."""

    entries: tuple[Entry, ...]
    """The library now, sorted as it is listed."""
    keep_selection: bool
    """Whether the sidebar's cursor stays on the entry it was on (live reload) rather than
    going to the brief on screen (a library loaded after the first frame)."""


class CurrentChange(msgspec.Struct, frozen=True):
    """Another entry is on screen (data of :attr:`ReaderState.current_changed`)."""

    previous: Entry | None
    """The entry shown before."""
    current: Entry | None
    """The entry shown now."""

    @property
    def other_file(self) -> bool:
        """Whether the reader moved to another file (not a new version of the same one)."""
        previous, current = self.previous, self.current
        if previous is None or current is None:
            return previous is not current
        return previous.path != current.path


class ReaderState:
    """The library and the entry on screen; changes are announced by the two signals."""

    def __init__(self, owner: DOMNode, *, is_folder: bool) -> None:
        """Empty state for the app ``owner`` (the signals' owner).

        Args:
            owner: The app.
            is_folder: Whether a library (not a single file) was opened.
        """
        self._is_folder = is_folder
        self._entries: tuple[Entry, ...] = ()
        self._current: Entry | None = None
        self.library_changed: Signal[LibraryChange] = Signal(owner, "library-changed")
        """Published after :meth:`set_library`."""
        self.current_changed: Signal[CurrentChange] = Signal(owner, "current-changed")
        """Published after :meth:`set_current` put another entry on screen."""

    @property
    def is_folder(self) -> bool:
        """Whether a library (not a single file) was opened."""
        return self._is_folder

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The library (newest first, invalid files last). Entries not loaded yet are stubs
        (``entry.loaded`` is False): see :mod:`termbrief.core.startup`."""
        return self._entries

    @property
    def current(self) -> Entry | None:
        """The entry on screen."""
        return self._current

    def set_library(self, entries: Sequence[Entry], *, keep_selection: bool = False) -> None:
        """Replace the library (see :class:`LibraryChange` for ``keep_selection``)."""
        self._entries = tuple(entries)
        self.library_changed.publish(LibraryChange(self._entries, keep_selection))

    def set_current(self, entry: Entry | None) -> None:
        """Put ``entry`` on screen (the screen is told by whoever calls this)."""
        previous = self._current
        if entry is previous:
            return
        self._current = entry
        self.current_changed.publish(CurrentChange(previous, entry))

    def entry_at(self, path: Path) -> Entry | None:
        """The library's entry for the file ``path``, if listed."""
        return next((entry for entry in self._entries if entry.path == path), None)

    def entry_after(self, step: int) -> Entry | None:
        """The entry ``step`` places after (or before) the one on screen, in library order;
        the first one when the entry on screen is not listed."""
        paths = [entry.path for entry in self._entries]
        current = self._current
        if current is None or current not in self._entries:
            index = 0
        else:
            index = paths.index(current.path) + step
        return self._entries[index] if 0 <= index < len(self._entries) else None
