"""The notes session: the notes store, opened only when notes need it, and what follows it.

The store is the one the notes URL names (:func:`termbrief.store.backend.open_store`):
``--notes-url``, else ``TERMBRIEF_NOTES_URL``, else ``notes_url`` in config.toml, else the SQLite
file in the data folder.

Reading a brief never needs SQLite. After the first frame (:meth:`NotesSession.start`) an
existing database opens in a thread worker; a missing one is created only when a note is saved
or the notes panel opens (:meth:`NotesSession.open_now`), or opened once another running
termbrief has created it (the session looks for the file every :data:`POLL_SECONDS`). Either way
the store reaches the app as :class:`~termbrief.ui.messages.NotesOpened`. While the store is
open the session polls its ``PRAGMA data_version`` (microseconds) and posts
:class:`~termbrief.ui.messages.NotesChanged` when another connection has written.

A team server (a ``postgresql://`` URL) is always opened after the first frame, in a thread, and
then followed by :class:`~termbrief.ui.services.notes_live.TeamFollower`: the server's
announcements (LISTEN/NOTIFY, no polling of the table) become
:class:`~termbrief.ui.messages.NotesChanged`, and while the server is away the store keeps notes
in its outbox and sends it when the server is back; each of these turns is told once.

The session also counts a brief's notes for the panes (:meth:`NotesSession.marks`, see
:mod:`termbrief.ui.services.placed_notes`; from a team server in a worker), keeps the
notes deleted with ``d`` for undo, lists the briefs that have notes (``has:notes``), and keeps
the drafts of the notes being written (:attr:`NotesSession.drafts`, see
:mod:`termbrief.ui.services.drafts`), saving them on SIGTERM and SIGHUP too.

:mod:`termbrief.store.notes` (SQLite) is imported on first use, never for the first frame.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

from textual.app import App

from termbrief.core.locations import notes_db_path
from termbrief.ui.messages import NotesChanged, NotesOpened
from termbrief.ui.services.drafts import ExitSignals, OpenDrafts
from termbrief.ui.services.placed_notes import NoteMarks, PlacedNote, describe_count, note_marks

if TYPE_CHECKING:
    from termbrief.core.annotation import Note
    from termbrief.core.model import Brief
    from termbrief.store.backend import NotesBackend
    from termbrief.store.notes import NotesError
    from termbrief.store.records import Visibility
    from termbrief.ui.services.notes_live import TeamFollower

__all__ = [
    "POLL_SECONDS",
    "NoteMarks",
    "NotesSession",
    "PlacedNote",
    "describe_count",
    "note_marks",
    "warnings_of",
]

T = TypeVar("T")

POLL_SECONDS: Final = 2.0
"""How often the session checks whether another running termbrief saved notes (or created the
notes database)."""


def warnings_of(store: NotesBackend) -> list[str]:
    """What the user must be told about ``store`` as it opened: a recovery, no saving, or a team
    server out of reach."""
    warnings: list[str] = []
    if store.offline_reason is not None:
        from termbrief.ui.services.notes_live import offline_notice

        warnings.append(offline_notice(store.offline_reason))
    if store.recovered_backup is not None:
        warnings.append(
            f"Your notes database was damaged; it was moved to {store.recovered_backup} "
            "and a fresh one started."
        )
    if store.read_only_reason is not None:
        warnings.append(f"Notes can be read but not saved: {store.read_only_reason}")
    return warnings


class NotesSession:
    """The notes store of one running reader, opened lazily; counts, live changes and undo."""

    def __init__(
        self,
        app: App[None],
        data_dir: Path | None = None,
        *,
        notes_url: str | None = None,
        config_url: str | None = None,
        author: str | None = None,
        visibility: Visibility | None = None,
    ) -> None:
        """A session for ``app`` (its workers, timers and messages).

        Args:
            app: The app.
            data_dir: Where the notes live (``--data-dir``); None: the default location.
            notes_url: ``--notes-url``; None: not given.
            config_url: ``notes_url`` from config.toml; None: not given.
            author: ``[user] name`` from config.toml (the author of local notes).
            visibility: ``[user] visibility``: who may read new team notes (None: the team).
        """
        self._app = app
        self._data_dir = data_dir
        self._urls = (notes_url, config_url)
        self._url: str | None = None
        self._resolved = False
        self._author = author
        self._visibility: Visibility = visibility or "team"
        self._store: NotesBackend | None = None
        self._started = False
        self._requested = False
        self._open_failed = False
        self._version = -1
        self._deleted: list[Note] = []
        self._follower: TeamFollower | None = None
        self.drafts = OpenDrafts(self)
        """The drafts of the notes being written (saved while typing and on the way out)."""
        self._exit_signals = ExitSignals(self.drafts, self._exit_on_signal)

    @property
    def store(self) -> NotesBackend | None:
        """The notes store, once open (None before)."""
        return self._store

    @property
    def url(self) -> str | None:
        """The notes URL in force (flag, environment, config.toml); None: the SQLite default."""
        if not self._resolved:
            from termbrief.store.notes_url import resolve_notes_url  # no SQLite, no psycopg

            self._url = resolve_notes_url(*self._urls)
            self._resolved = True
        return self._url

    @property
    def is_team(self) -> bool:
        """Whether notes live on a team server (else in a SQLite file on this computer)."""
        from termbrief.store.notes_url import is_team_url

        return is_team_url(self.url)

    @property
    def path(self) -> Path:
        """The local notes database file (of a ``sqlite://`` URL, or in the data folder)."""
        url = self.url
        if url is not None and url.lower().startswith("sqlite://") and len(url) > 9:
            from termbrief.store.notes_url import NotesUrlError, sqlite_folder

            try:
                return notes_db_path(sqlite_folder(url, self._data_dir))
            except NotesUrlError:  # told when the store is opened
                return Path(url[len("sqlite://") :])
        return notes_db_path(self._data_dir)

    @property
    def started(self) -> bool:
        """Whether :meth:`start` ran: notes are watched, and an existing database opening."""
        return self._started

    def start(self) -> None:
        """Open an existing database (or the team server) in the background, and watch for
        changes (after the first frame)."""
        if self._started:
            return
        self._started = True
        if self.is_team:
            self.open_in_background()
        else:
            self._open_if_present()
            self._app.set_interval(POLL_SECONDS, self._poll, name="notes-poll")
        if not self._app.is_headless:  # a test's process keeps its own signal handlers
            self._exit_signals.install()

    def open_in_background(self) -> None:
        """Open the store in a thread worker (importing SQLite, recovering a damaged database
        or reaching a server must not delay the reader); it arrives as :class:`NotesOpened`."""
        self._requested = True
        self._app.run_worker(self._open_in_thread, thread=True, group="notes")

    def open_now(self, *, create: bool) -> NotesBackend | None:
        """The store, opened now if it is not open yet (also announced as
        :class:`NotesOpened`). A missing database is created only with ``create``: without one
        there are no notes to read, and the result is None. A team server that refused the
        reader (told already) gives None too."""
        wanted = self._store is None and not self._open_failed
        if wanted and (self.is_team or create or self.path.exists()):
            store = self._open_store()
            if store is not None:
                self._store = store
                self._app.post_message(NotesOpened(store))
        return self._store

    def adopt(self, store: NotesBackend) -> bool:
        """Take ``store`` from :class:`NotesOpened`; whether it is the session's store, new to
        the app (else it is closed: opened twice at once, or too late, as the app closes)."""
        if not self._app.screen_stack:  # the app is closing
            store.close()
            return False
        if self._store is None:
            self._store = store
        elif store is not self._store:
            store.close()  # a notes action opened the store while a thread did too
            return False
        if self.is_team:
            from termbrief.ui.services.notes_live import TeamFollower

            self._follower = TeamFollower(self._app, lambda: self._store)
            self._follower.follow(store)
        return True

    def close(self) -> None:
        """Save the drafts of open editors and close the store (the app is quitting)."""
        self.drafts.flush()
        self._exit_signals.uninstall()
        store, self._store = self._store, None  # the team worker stops when it sees this
        if store is not None:
            store.close()

    def marks(self, brief: Brief) -> NoteMarks:
        """How the panes show ``brief``'s notes (none while no store is open).

        Raises:
            NotesError: the store could not be read.
        """
        store = self._store
        if store is None:
            return NoteMarks()
        self._version = store.data_version()
        reader = store.author if store.shared else None
        return note_marks(brief, store.notes_for(brief.id), reader)

    def load_marks(
        self,
        brief: Brief,
        show: Callable[[NoteMarks], None],
        failed: Callable[[NotesError], None],
    ) -> None:
        """Count ``brief``'s notes (:meth:`marks`) and ``show`` them, or say why not
        (``failed``). From a SQLite file at once; from a team server in a worker, so that a slow
        or vanishing server never holds up the keyboard: only the latest request is shown, and
        none once the store was closed or replaced."""
        if self._store is None or not self.is_team:
            from termbrief.store.notes import NotesError

            try:
                marks = self.marks(brief)
            except NotesError as error:
                failed(error)
                return
            show(marks)
            return
        self._read_in_worker(lambda: self.marks(brief), show, failed, "notes-marks")

    def load_briefs_with_notes(self, show: Callable[[frozenset[str]], None]) -> None:
        """Give ``show`` the ids of the briefs with notes (:meth:`briefs_with_notes`), in a
        worker from a team server (the latest request only); nothing on a store failure."""
        if self._store is None or not self.is_team:
            found = self.briefs_with_notes()
            if found is not None:
                show(found)
            return

        def read() -> frozenset[str]:
            found = self.briefs_with_notes()
            if found is None:
                from termbrief.store.notes import NotesError

                raise NotesError("notes unreadable")  # the notes UI reports store errors
            return found

        self._read_in_worker(read, show, lambda _error: None, "notes-briefs")

    def _read_in_worker(
        self,
        read: Callable[[], T],
        show: Callable[[T], None],
        failed: Callable[[NotesError], None],
        group: str,
    ) -> None:
        """``read`` the team store in a thread, then ``show`` the result (or tell ``failed``)
        on the app's thread, if the store is still the session's; a newer read of the same
        ``group`` cancels this one."""
        store = self._store

        async def in_worker() -> None:
            from termbrief.store.notes import NotesError

            try:
                result = await asyncio.to_thread(read)
            except NotesError as error:
                if self._store is store:
                    failed(error)
                return
            if self._store is store:
                show(result)

        self._app.run_worker(in_worker(), group=group, exclusive=True)

    def briefs_with_notes(self) -> frozenset[str] | None:
        """Ids of the briefs that have notes, knowing who wrote them (a
        :class:`~termbrief.core.library_filter.NotedBriefs`, for ``note-by:``); None without a
        store, or if it failed (the notes UI reports store errors)."""
        store = self._store
        if store is None:
            return None
        from termbrief.core.library_filter import NotedBriefs
        from termbrief.store.notes import NotesError

        with contextlib.suppress(NotesError):
            return NotedBriefs(store.authors_by_brief())
        return None

    @property
    def new_note_visibility(self) -> Visibility | None:
        """Who a new note is for by default (``[user] visibility``) on a team server; None for
        notes on this computer (private, nothing to choose)."""
        return self._visibility if self.is_team else None

    def visibility_of(self, note: Note) -> Visibility | None:
        """Who reads ``note`` on a team server (for the editor's switch); None on this
        computer."""
        from termbrief.store.records import AuthoredNote

        return note.visibility if self.is_team and isinstance(note, AuthoredNote) else None

    def save_edit(
        self, store: NotesBackend, note: Note, text: str, visible: Visibility | None
    ) -> None:
        """Save an edited note: its text, and who reads it if the editor switched that.

        Raises:
            NotesError: the change was not saved.
        """
        store.update(note.id, text)
        if visible is not None and visible != self.visibility_of(note):
            store.set_visibility(note.id, visible)

    def not_yours(self, note: Note) -> str | None:
        """Why the reader may not edit or delete ``note`` (a colleague's), or None if they may."""
        from termbrief.store.records import AuthoredNote

        store = self._store
        if store is None or not isinstance(note, AuthoredNote) or note.author == store.author:
            return None
        return f"This note is {note.author}'s: only its author can change or delete it."

    # -- undo ------------------------------------------------------------------------------------

    def delete(self, store: NotesBackend, note_id: str) -> None:
        """Delete a note, kept for :meth:`undo_delete`.

        Raises:
            NotesError: the note was not deleted.
        """
        self._deleted.append(store.delete(note_id))

    def undo_delete(self) -> bool:
        """Bring back the last note deleted with :meth:`delete`; False if there is none.

        Raises:
            NotesError: the note was not restored (it stays ready for another try).
        """
        if self._store is None or not self._deleted:
            return False
        self._store.restore(self._deleted[-1])
        self._deleted.pop()
        return True

    # -- internals -------------------------------------------------------------------------------

    def _exit_on_signal(self, number: int) -> None:
        """SIGTERM, drafts saved: quit as ctrl+q does (the terminal is given back)."""
        self._app.exit(return_code=128 + number)

    def _open_if_present(self) -> None:
        if self._store is None and not self._requested and self.path.exists():
            self.open_in_background()

    def _open_store(self) -> NotesBackend | None:
        """Open the store the URL names; None (the reader told, once) if it refused."""
        from termbrief.store.backend import open_store
        from termbrief.store.notes import NotesError

        try:
            return open_store(
                self.url, self._data_dir, author=self._author, default_visibility=self._visibility
            )
        except NotesError as error:
            self._open_failed = True
            self._app.post_message(NotesChanged(f"Notes cannot be opened: {error}"))
            return None

    def _open_in_thread(self) -> None:
        store = self._open_store()
        if store is not None:
            self._app.post_message(NotesOpened(store))

    def _poll(self) -> None:
        """Tell the app when another connection (another termbrief, ``termbrief notes
        import``) wrote; without a store, open the database once it exists."""
        store = self._store
        if store is None:
            self._open_if_present()
            return
        from termbrief.store.notes import NotesError

        try:
            version = store.data_version()
        except NotesError:
            return  # reported by the next explicit refresh; polling must not flood the screen
        if version != self._version:
            self._version = version
            self._app.post_message(NotesChanged())
