"""Finding across the library: the index behind ``ctrl+f`` and the palette's figures and actors.

:class:`LibraryFinder` keeps a :class:`~termbrief.core.library_index.LibraryIndex` of the library
and the user's notes, built in a thread worker the first time it is needed and rebuilt in the
background whenever the library changes after that (it follows
:attr:`~termbrief.ui.state.ReaderState.library_changed`). The app opens the library search
screen over it when the reader asked for it (:meth:`LibraryFinder.take`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from textual.app import App
from textual.worker import get_current_worker

from termbrief.core.library import Entry, complete
from termbrief.ui.messages import LibraryIndexBuilt
from termbrief.ui.services.notes import NotesSession
from termbrief.ui.state import LibraryChange, ReaderState

if TYPE_CHECKING:
    from termbrief.core.library_index import LibraryIndex
    from termbrief.store.backend import NotesBackend

NOTIFY_FROM: Final = 200
"""Libraries with at least this many briefs say "Indexing…" while the index is built."""


def notes_by_brief(store: NotesBackend | None) -> dict[str, list[tuple[str, str]]]:
    """Every note as ``brief id -> [(anchor, text), ...]``, for the index (empty on failure)."""
    if store is None:
        return {}
    from termbrief.store.notes import NotesError

    found: dict[str, list[tuple[str, str]]] = {}
    try:
        notes = store.all_notes()
    except NotesError:
        return {}  # searching without notes beats not searching
    for note in notes:
        found.setdefault(note.brief_id, []).append((note.anchor, note.text))
    return found


class LibraryFinder:
    """The library index: built on demand, kept current once used."""

    def __init__(self, app: App[None], state: ReaderState, notes: NotesSession) -> None:
        """An index of ``state``'s library and ``notes``, built by ``app``'s workers."""
        self._app = app
        self._state = state
        self._notes = notes
        self._index: LibraryIndex | None = None
        self._indexed: Sequence[Entry] | None = None
        self._indexing = False

    @property
    def index(self) -> LibraryIndex | None:
        """The latest index built (None before the first); see :attr:`fresh`."""
        return self._index

    @property
    def fresh(self) -> bool:
        """Whether :attr:`index` was built from the library as it is now."""
        return self._index is not None and self._indexed is self._state.entries

    def follow_library(self) -> None:
        """Keep a used index current as the library changes (once the app is running)."""
        self._state.library_changed.subscribe(self._app, self._library_changed)

    def build(self, *, open_search: bool = False) -> None:
        """Build the index in a worker (a fresh one only takes the notes as they are now).

        With ``open_search``, :meth:`take` asks for the search screen once it is ready.
        """
        entries = self._state.entries
        previous = self._index if self.fresh else None
        if previous is None and len(entries) >= NOTIFY_FROM and open_search:
            self._app.notify(f"Indexing {len(entries):,} briefs…", timeout=3, markup=False)
        self._indexing = True
        store = self._notes.store
        self._app.run_worker(
            lambda: self._build_in_thread(entries, previous, store, open_search),
            thread=True,
            exclusive=True,
            group="library-index",
            exit_on_error=False,
        )

    def take(self, message: LibraryIndexBuilt) -> LibraryIndex | None:
        """Use a finished index; the index to open the search screen on, if the reader asked
        for it (an index of a library that changed meanwhile is built again first)."""
        self._indexing = False
        self._index, self._indexed = message.index, message.source
        if message.source is not self._state.entries:
            self.build(open_search=message.open_search)  # keep the reader's request
            return None
        return message.index if message.open_search else None

    def _build_in_thread(
        self,
        entries: Sequence[Entry],
        previous: LibraryIndex | None,
        store: NotesBackend | None,
        open_search: bool,
    ) -> None:
        from termbrief.core.library_index import LibraryIndex

        notes = notes_by_brief(store)
        if previous is not None:
            index = previous.with_notes(notes)
        else:
            # Stubs from the start-up cache carry only list details: load them for the index.
            index = LibraryIndex([complete(entry) for entry in entries], notes)
        if not get_current_worker().is_cancelled:
            self._app.post_message(LibraryIndexBuilt(entries, index, open_search))

    def _library_changed(self, _change: LibraryChange) -> None:
        # Only an index someone used is kept current; the others are built when first needed.
        if self._index is not None and not self.fresh and not self._indexing:
            self.build()
