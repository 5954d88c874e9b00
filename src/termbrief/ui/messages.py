"""Every app-wide message: what the services and screens tell the app.

Services post these from worker threads as well as from the UI thread (posting is thread-safe);
the app has one handler for each (``TermbriefApp.on_*``). Widget-level messages (a list's
``EntryChosen``, the search bar's ``QueryChanged``...) stay with their widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from termbrief.core.library import Entry

if TYPE_CHECKING:
    from termbrief.core.library_index import LibraryIndex
    from termbrief.core.reading_sets import ReadingSets
    from termbrief.core.startup import FirstEntries
    from termbrief.store.backend import NotesBackend
    from termbrief.store.reading import ChangesSince

Change = tuple[str, Path, Entry | None]
"""A file changed on disk: ``(kind, absolute path, entry loaded after the change or None when
deleted)``; kind is ``"added"``, ``"modified"`` or ``"deleted"``."""


class FirstLoaded(Message):
    """The first brief, too large to wait for at start-up, is loaded (with any fallbacks)."""

    def __init__(self, loading: Future[FirstEntries]) -> None:
        super().__init__()
        self.loading = loading
        """The finished load (its result raises on the UI thread if the load failed)."""


class LibraryLoaded(Message):
    """The library, loaded after the first frame (stubs from the library cache, then whole)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        super().__init__()
        self.entries = tuple(entries)
        """Every entry, sorted as the library lists them."""


class BriefsChanged(Message):
    """Brief files changed on disk (posted from the watcher thread)."""

    def __init__(self, changes: Sequence[Change]) -> None:
        super().__init__()
        self.changes = tuple(changes)
        """What changed, with each added or modified file already loaded."""


class LibraryIndexBuilt(Message):
    """A library index is ready (posted by the indexing worker)."""

    def __init__(self, source: Sequence[Entry], index: LibraryIndex, open_search: bool) -> None:
        super().__init__()
        self.source = source
        """The entries the index was built from (stale if the library changed since)."""
        self.index = index
        """The index."""
        self.open_search = open_search
        """Whether the reader asked for the search screen (``ctrl+f``) and is waiting for it."""


class NotesOpened(Message):
    """The notes store is open (by a worker, or by a notes action that needed it at once)."""

    def __init__(self, store: NotesBackend) -> None:
        super().__init__()
        self.store = store
        """The opened store; it may be read-only or freshly recovered."""


class NotesChanged(Message):
    """Notes changed in the store: written by another running termbrief (or ``termbrief notes
    import``), seen by polling, or announced by the team server."""

    def __init__(self, notice: str | None = None) -> None:
        super().__init__()
        self.notice = notice
        """What to tell the reader once, if anything (the team server went away or is back)."""


class LinkRequested(Message):
    """A screen asks the app to open ``url`` (the app confirms it with the reader first)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        """The address, as the brief gives it."""


class ReadingChecked(Message):
    """The brief on screen was compared with the version the reader last read (posted by the
    reading service's worker, :mod:`termbrief.ui.services.reading`)."""

    def __init__(self, path: Path, changes: ChangesSince | None) -> None:
        super().__init__()
        self.path = path
        """The brief file that was checked."""
        self.changes = changes
        """What changed since it was read; None when unread, unchanged, or just marked read."""


class ReadingSetsChanged(Message):
    """Which briefs of the library are unread or changed since read is known anew."""

    def __init__(self, reading: ReadingSets) -> None:
        super().__init__()
        self.reading = reading
        """Unread and changed brief ids."""


class MarkReadRequested(Message):
    """The reader asked to mark the brief on screen read now (``r``)."""
