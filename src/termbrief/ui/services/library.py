"""Start-up loading for the app: carries out the :class:`~termbrief.core.startup.OpeningPlan`.

:class:`LibraryLoader` puts the first brief in the :class:`~termbrief.ui.state.ReaderState`
before the first frame, with what else the plan loads then (a huge first brief as its header,
loaded by a background thread afterwards: :class:`~termbrief.ui.messages.FirstLoaded`), then
loads the files still missing in a thread worker (:class:`~termbrief.ui.messages.LibraryLoaded`:
a large library's cache stubs at once, then every brief).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path

from textual.app import App

from termbrief.core.library import Entry, sort_entries
from termbrief.core.startup import (
    FirstEntries,
    OpeningPlan,
    library_stubs,
    load_in_background,
    load_now,
    load_rest,
    placeholder,
)
from termbrief.ui.messages import FirstLoaded, LibraryLoaded
from termbrief.ui.state import ReaderState


class LibraryLoader:
    """Loads the library the plan describes into the state: the first brief now, the rest
    after the first frame (:meth:`start`)."""

    def __init__(self, app: App[None], plan: OpeningPlan, state: ReaderState) -> None:
        """Load what the first frame shows into ``state`` (blocking: the first brief, or a huge
        one's header, and what else the plan loads before the first frame)."""
        self._app = app
        self.plan = plan
        """What the reader was asked to open, and how."""
        self._state = state
        loaded = load_now(plan)
        self._placeholder: Entry | None = None
        if loaded is None and plan.first_path is not None:
            self._placeholder = placeholder(plan.first_path)
            loaded = FirstEntries((self._placeholder,), self._placeholder)
        loaded = loaded or FirstEntries((), None)
        state.set_library(loaded.entries)
        state.set_current(loaded.first)

    @property
    def first_pending(self) -> bool:
        """Whether the first brief is still being loaded (its header is on screen)."""
        return self._placeholder is not None

    def start(self) -> None:
        """Load what the first frame did not show (call once it is on screen)."""
        if self._placeholder is None:
            self._load_rest()
            return
        app = self._app
        loading = load_in_background(self.plan)
        loading.add_done_callback(lambda done: app.post_message(FirstLoaded(done)))

    def first_loaded(self, loading: Future[FirstEntries]) -> Entry | None:
        """Put the first brief, now loaded, in place of its header; then load the rest.

        Returns:
            The entry to show now, or None if the reader opened another brief meanwhile.
        """
        loaded = loading.result()
        paths = {entry.path for entry in loaded.entries}
        state = self._state
        state.set_library(
            sort_entries([*(e for e in state.entries if e.path not in paths), *loaded.entries])
        )
        shown = None
        if loaded.first is not None and state.current is self._placeholder:
            shown = loaded.first
            state.set_current(shown)
        self._placeholder = None
        self._load_rest()
        return shown

    def keep_current(self, entries: Sequence[Entry]) -> list[Entry]:
        """``entries`` (a library just loaded) with the very entry object on screen in place
        of its twin, so that nothing has to be redrawn."""
        current = self._state.current
        if current is None:
            return list(entries)
        return [current if entry.path == current.path else entry for entry in entries]

    def _load_rest(self) -> None:
        known = self._state.entries
        # By path, not by count: live reload may have listed files the plan does not know.
        listed = {entry.path for entry in known}
        if any(Path(name) not in listed for name in self.plan.files):
            self._app.run_worker(
                lambda: self._load_rest_in_thread(known),
                thread=True,
                exclusive=True,
                group="library",
            )

    def _load_rest_in_thread(self, known: Sequence[Entry]) -> None:
        stubs = library_stubs(self.plan, known)
        if stubs:  # the list at once, from the library cache; the briefs follow
            known = [*known, *stubs]
            self._app.post_message(LibraryLoaded(sort_entries(known)))
        # Stubs are completed too (from the brief cache), so that everything that reads briefs
        # (palette, search) sees the whole library.
        self._app.post_message(LibraryLoaded(load_rest(self.plan, known)))
