"""Finding across the library, for the app: ``ctrl+f``, the palette's index, ``has:notes``.

:class:`LibraryFinder` is a mixin of the app. It keeps a
:class:`~termbrief.core.library_index.LibraryIndex` of the library and the user's notes, built in a
thread worker (about a second for 2,000 briefs) the first time it is needed and rebuilt in
the background whenever the library changes after that.
``ctrl+f`` (binding ``library.search``) opens
:class:`~termbrief.ui.screens.library_search.LibrarySearchScreen` over it, with the notes as they
are now; choosing a hit opens its brief at the match. The command palette uses the same index
for figure and actor names (:attr:`LibraryFinder.library_index`).

It also feeds the library sidebar's ``has:notes`` filter with the ids of briefs that have notes:
when the notes store opens, when the notes panel changes notes, and whenever the sidebar takes
the keyboard (notes written since are counted before the reader can type a filter).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Final

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.events import DescendantFocus
from textual.message import Message
from textual.worker import get_current_worker

from termbrief.core.library import Entry, complete
from termbrief.ui.screens.brief_notes import NotesOpened
from termbrief.ui.services.reload import BriefsChanged

if TYPE_CHECKING:
    from termbrief.core.library_index import Hit, LibraryIndex
    from termbrief.store.notes import NotesStore
    from termbrief.ui.screens.brief import BriefScreen

NOTIFY_FROM: Final = 200
"""Libraries with at least this many briefs say "Indexing…" while the index is built."""


class LibraryIndexBuilt(Message):
    """A library index is ready (posted by the indexing worker)."""

    def __init__(self, source: Sequence[Entry], index: LibraryIndex, open_search: bool) -> None:
        super().__init__()
        self.source = source
        """The app's entry list the index was built from (stale if the library changed since)."""
        self.index = index
        """The index."""
        self.open_search = open_search
        """Whether the reader asked for the search screen (``ctrl+f``) and is waiting for it."""


def notes_by_brief(store: NotesStore | None) -> dict[str, list[tuple[str, str]]]:
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


class LibraryFinder(App[None]):
    """App mixin: the library index, the library search screen and the ``has:notes`` ids.

    The app must provide ``entries``, ``notes``, ``open_entry`` and ``brief_screen``
    (TermbriefApp does).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # In the help and the palette; left out of the footer, which is full at 80 columns.
        Binding("ctrl+f", "search_library", "Search library", id="library.search", show=False),
    ]

    library_index: LibraryIndex | None = None
    """The latest index built (None before the first); see :attr:`library_index_fresh`."""
    _indexed: Sequence[Entry] | None = None
    _indexing: bool = False

    if TYPE_CHECKING:  # provided by the app this is mixed into
        entries: list[Entry]
        notes: NotesStore | None

        def open_entry(self, entry: Entry, *, anchor: str | None = None) -> None: ...

        @property
        def brief_screen(self) -> BriefScreen: ...

    @property
    def library_index_fresh(self) -> bool:
        """Whether :attr:`library_index` was built from the library as it is now."""
        return self.library_index is not None and self._indexed is self.entries

    # -- the index -------------------------------------------------------------------------------

    def build_library_index(self, *, open_search: bool = False) -> None:
        """Build the index in a worker (a fresh one only takes the notes as they are now).

        With ``open_search``, the library search screen opens once it is ready.
        """
        previous = self.library_index if self.library_index_fresh else None
        if previous is None and len(self.entries) >= NOTIFY_FROM and open_search:
            self.notify(f"Indexing {len(self.entries):,} briefs…", timeout=3, markup=False)
        self._indexing = True
        self._build_index(self.entries, previous, self.notes, open_search)

    @work(thread=True, exclusive=True, group="library-index", exit_on_error=False)
    def _build_index(
        self,
        entries: Sequence[Entry],
        previous: LibraryIndex | None,
        store: NotesStore | None,
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
            self.post_message(LibraryIndexBuilt(entries, index, open_search))

    def on_library_index_built(self, message: LibraryIndexBuilt) -> None:
        self._indexing = False
        self.library_index, self._indexed = message.index, message.source
        if message.source is not self.entries:
            # The library changed while indexing: index it again, keep the reader's request.
            self.build_library_index(open_search=message.open_search)
        elif message.open_search:
            self._push_search(message.index)

    def _library_changed(self) -> None:
        # Only an index someone used is kept current; the others are built when first needed.
        if self.library_index is not None and not self.library_index_fresh and not self._indexing:
            self.build_library_index()

    @on(BriefsChanged)
    def _reindex_after_reload(self) -> None:
        self.call_later(self._library_changed)  # after live reload has updated the entries

    def on_library_loaded(self, message: Any) -> None:
        # Runs as well as the app's handler (Textual calls every class's); see LiveReload.
        self.call_later(self._library_changed)

    # -- the search screen -----------------------------------------------------------------------

    def action_search_library(self) -> None:
        """Search every brief of the library and the notes (ranked); Enter opens the match."""
        from termbrief.ui.screens.library_search import LibrarySearchScreen

        if isinstance(self.screen, LibrarySearchScreen):
            return
        self.build_library_index(open_search=True)

    def _push_search(self, index: LibraryIndex) -> None:
        from termbrief.ui.screens.library_search import LibrarySearchScreen

        if not isinstance(self.screen, LibrarySearchScreen):
            self.push_screen(LibrarySearchScreen(index), self._open_hit)

    def _open_hit(self, hit: Hit | None) -> None:
        if hit is None:
            return
        # The library as it is now, not as indexed: the file may have changed since.
        entry = next((e for e in self.entries if e.path == hit.entry.path), None)
        if entry is None:
            self.notify(f"{hit.entry.path} is no longer in the library.", markup=False)
            return
        self.open_entry(complete(entry), anchor=hit.anchor)

    # -- has:notes -------------------------------------------------------------------------------

    def update_briefs_with_notes(self) -> None:
        """Give the library sidebar the ids of briefs with notes (for ``has:notes``)."""
        store = self.notes
        library = self.brief_screen.library if self.screen_stack else None
        if store is None or library is None:
            return
        from termbrief.store.notes import NotesError

        # On failure the filter keeps the last known ids; the notes UI reports store errors.
        with contextlib.suppress(NotesError):
            library.set_briefs_with_notes(frozenset(store.briefs_with_notes()))

    @on(NotesOpened)
    def _notes_opened(self) -> None:
        self.update_briefs_with_notes()

    def on_notes_panel_notes_changed(self, message: Any) -> None:
        # Runs as well as the app's handler. Any: the notes panel (SQLite) is not imported
        # before it is used.
        self.update_briefs_with_notes()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        library = self.brief_screen.library if self.screen_stack else None
        if library is not None and library in event.widget.ancestors_with_self:
            self.update_briefs_with_notes()
