"""Reading state in the reader: what this user read, and what changed since.

The rule (also in the README): **a brief counts as read once it has been on screen for
:data:`READ_AFTER_SECONDS` seconds after you opened it**, or when you press ``r``; ``M`` in the
library marks every listed brief read. A new version that arrives while the brief is open (live
reload) is kept as a version seen, not as read: the next time you open the brief, what changed
since the version you read is shown again. Marking read by time keeps the banner and markers on
screen (you are reading them); ``r`` clears them.

When a brief is opened, a thread worker compares it with the version last read (from the notes
store, :mod:`termbrief.store.reading`) and posts :class:`~termbrief.ui.messages.ReadingChecked`
with the changes; the brief screen shows them (banner, markers, ``c``). The library's unread and
changed sets are posted as :class:`~termbrief.ui.messages.ReadingSetsChanged`.

The notes database is not created to find out that nothing was read yet: an existing one is
used once the notes session has opened it; a missing one is created only when a brief first
counts as read. A store that cannot be written (read-only, full disk) is reported once, never
raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from textual.app import App
from textual.timer import Timer

from termbrief.core.library import Entry
from termbrief.core.reading_sets import ReadingSets
from termbrief.ui.messages import ReadingChecked, ReadingSetsChanged
from termbrief.ui.services.notes import NotesSession
from termbrief.ui.state import CurrentChange, LibraryChange, ReaderState

if TYPE_CHECKING:
    from termbrief.core.model import Brief
    from termbrief.store.backend import NotesBackend

READ_AFTER_SECONDS: Final = 4.0
"""How long a brief must stay on screen after it was opened to count as read."""


class ReadingService:
    """Follows the brief on screen: records versions, marks read, finds changes since read."""

    def __init__(
        self,
        app: App[None],
        state: ReaderState,
        notes: NotesSession,
        *,
        keep_versions: int | None = None,
        read_after: float = READ_AFTER_SECONDS,
    ) -> None:
        """A service for ``app``.

        Args:
            app: The app (workers, timers, messages).
            state: The reader's state (the library and the brief on screen).
            notes: The notes session, whose store keeps the reading state.
            keep_versions: How many versions of each brief to keep (None: all).
            read_after: Seconds on screen after which an opened brief counts as read.
        """
        self._app = app
        self._state = state
        self._notes = notes
        self._keep = keep_versions
        self.read_after = read_after
        """Seconds on screen after which an opened brief counts as read."""
        self._timer: Timer | None = None
        self._opened: Path | None = None
        """The file opened last (a new version of it is a reload, not an opening)."""
        self._waiting: Entry | None = None
        """An entry to check once the notes store is open."""
        self._versions: dict[Path, tuple[Brief, str]] = {}
        self._told: set[str] = set()
        self.reading = ReadingSets()
        """The latest unread and changed sets of the library."""

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Follow the brief on screen and the library (after the first frame)."""
        self._state.current_changed.subscribe(self._app, self._current_changed)
        self._state.library_changed.subscribe(self._app, self._library_changed)
        current = self._state.current
        if current is not None:
            self._current_changed(CurrentChange(None, current))
        self.refresh_sets()

    def store_opened(self) -> None:
        """The notes store is open: do the check that waited for it."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None and waiting is self._state.current:
            self._check(waiting)
        self.refresh_sets()

    # -- following the screen --------------------------------------------------------------------

    def _current_changed(self, change: CurrentChange) -> None:
        entry = change.current
        if entry is None or entry.brief is None or not entry.loaded:
            return
        opened = entry.path != self._opened
        if opened:
            self._opened = entry.path
            if self._timer is not None:
                self._timer.stop()
            self._timer = self._app.set_timer(
                self.read_after, lambda: self._read_by_time(entry), name="reading"
            )
        self._check(entry)

    def _check(self, entry: Entry) -> None:
        store = self._notes.store
        if store is None:
            if self._notes.path.exists():
                self._waiting = entry  # being opened by the notes session
            return  # no database: nothing was ever read, nothing to compare with
        self._app.run_worker(
            lambda: self._check_in_thread(store, entry), thread=True, group="reading"
        )

    def _check_in_thread(self, store: NotesBackend, entry: Entry) -> None:
        from termbrief.core.diff import diff_briefs
        from termbrief.store.notes import NotesError
        from termbrief.store.reading import ChangesSince

        brief = entry.brief
        assert brief is not None
        changes = None
        try:
            found = store.reading.since_read(brief)
            mark, old = found if found is not None else (None, None)
            if mark is not None and old is not None:
                diff = diff_briefs(old, brief)
                if not diff.is_empty:
                    changes = ChangesSince(mark, old, brief, diff)
            if store.read_only_reason is None:
                store.reading.record(brief, keep=self._keep)
        except (NotesError, ValueError) as error:
            self._tell(str(error))
        self._app.post_message(ReadingChecked(entry.path, changes))

    def is_current(self, message: ReadingChecked) -> bool:
        """Whether ``message`` is about the brief on screen (else it came too late)."""
        current = self._state.current
        return current is not None and current.path == message.path

    # -- marking read ----------------------------------------------------------------------------

    def _read_by_time(self, entry: Entry) -> None:
        current = self._state.current
        if current is None or current.path != entry.path or not self._app.screen_stack:
            return
        self._mark(entry, post=False)

    def mark_read(self, entry: Entry | None) -> None:
        """Mark ``entry`` (the brief on screen) read now; its changes are cleared."""
        if entry is not None and entry.brief is not None:
            self._mark(entry, post=True)

    def _mark(self, entry: Entry, *, post: bool) -> None:
        store = self._notes.open_now(create=True)
        if store is None:
            return
        self._app.run_worker(
            lambda: self._mark_in_thread(store, [entry], post), thread=True, group="reading"
        )

    def mark_all_read(self, entries: Iterable[Entry]) -> None:
        """Mark every valid, loaded entry of ``entries`` read (the library's ``M``)."""
        chosen = [entry for entry in entries if entry.brief is not None and entry.loaded]
        store = self._notes.open_now(create=True) if chosen else None
        if store is not None:
            current = self._state.current
            post = current is not None and any(e.path == current.path for e in chosen)
            self._app.run_worker(
                lambda: self._mark_in_thread(store, chosen, post), thread=True, group="reading"
            )

    def _mark_in_thread(self, store: NotesBackend, entries: list[Entry], post: bool) -> None:
        from termbrief.store.notes import NotesError

        briefs = [entry.brief for entry in entries if entry.brief is not None]
        try:
            store.reading.mark_all_read(briefs)
        except (NotesError, ValueError) as error:
            self._tell(str(error))
            return
        current = self._state.current
        if post and current is not None:
            self._app.post_message(ReadingChecked(current.path, None))
        self._sets_in_thread(store, self._state.entries)

    # -- the library -----------------------------------------------------------------------------

    def _library_changed(self, _change: LibraryChange) -> None:
        self.refresh_sets()

    def refresh_sets(self) -> None:
        """Work out again which briefs of the library are unread or changed (in a worker)."""
        store = self._notes.store
        entries = self._state.entries
        if store is None and self._notes.path.exists():
            return  # the notes session is opening it: store_opened() comes back here
        if store is None:  # nothing read yet: every valid brief is unread, known at once
            self._sets_in_thread(None, entries)
            return
        self._app.run_worker(
            lambda: self._sets_in_thread(store, entries),
            thread=True,
            group="reading-sets",
            exclusive=True,
        )

    def _sets_in_thread(self, store: NotesBackend | None, entries: Iterable[Entry]) -> None:
        marks = {}
        if store is not None:  # else nothing was read (nor is SQLite imported to learn it)
            from termbrief.store.notes import NotesError

            try:
                marks = store.reading.marks()
            except NotesError as error:
                self._tell(str(error))
                return
        unread, changed = set(), set()
        for entry in entries:
            if not entry.ok:
                continue
            mark = marks.get(entry.id)
            if mark is None:
                unread.add(entry.id)
                continue
            version = self._version_of(entry)
            if version is not None and version != mark.version:
                changed.add(entry.id)
        self.reading = ReadingSets(frozenset(unread), frozenset(changed))
        self._app.post_message(ReadingSetsChanged(self.reading))

    def _version_of(self, entry: Entry) -> str | None:
        """The version id of a loaded entry (remembered per file while its brief is the same)."""
        brief = entry.brief
        if brief is None:
            return None
        known = self._versions.get(entry.path)
        if known is not None and known[0] is brief:
            return known[1]
        from termbrief.store.reading import version_id

        try:
            version = version_id(brief)
        except ValueError:
            return None
        self._versions[entry.path] = (brief, version)
        return version

    def _tell(self, problem: str) -> None:
        """Say once per problem that reading state could not be kept (from any thread)."""
        if problem in self._told:
            return
        self._told.add(problem)
        message = f"Reading state not saved: {problem}"
        try:
            self._app.call_from_thread(
                self._app.notify, message, title="Reading", severity="warning", markup=False
            )
        except RuntimeError:  # on the UI thread, or the app is closing
            self._app.notify(message, title="Reading", severity="warning", markup=False)
