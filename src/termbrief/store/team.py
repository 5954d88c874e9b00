"""The team notes store the reader uses: the PostgreSQL server while it answers, a local outbox
while it does not.

Online, every call goes to the server and the notes read are remembered. When the server cannot
be reached (at open, or a connection cut midway) the store says so once in
:attr:`~OfflineFirstNotes.offline_reason` and carries on: reads show the notes seen while online
with the offline changes laid over them; writes go to the outbox (:mod:`termbrief.store.outbox`);
both are kept by :class:`~termbrief.store.team_offline.OfflineCopy`.
:meth:`~OfflineFirstNotes.flush` reconnects and sends the outbox; the reader's change-watching
thread calls it through :meth:`~OfflineFirstNotes.wait_for_changes` while offline. Notes get their
ids here, before the server sees them, so a save interrupted midway is never sent twice.
This module imports no Textual.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Self, TypeVar

from msgspec.structs import replace

from termbrief.core import locations
from termbrief.store.drafts import DraftStore
from termbrief.store.notes import Note, NotesError, NotesStore, Target, clean_text, target_of
from termbrief.store.outbox import FlushReport, outbox_path, send
from termbrief.store.postgres import PostgresNotesStore
from termbrief.store.reading import ReadingStore
from termbrief.store.records import AuthoredNote, NoteChange, NotesOffline, Visibility
from termbrief.store.team_offline import OfflineCopy, server_key

__all__ = ["OfflineFirstNotes"]

T = TypeVar("T")


class _Offline:
    """Marks a call that found the server away."""


_OFFLINE: Final = _Offline()


class OfflineFirstNotes:
    """Team notes that keep working without the server (see the module docstring). Safe to
    share between threads."""

    recovered_backup: None = None
    """Always None: the outbox is never moved aside."""
    read_only_reason: None = None
    """Always None: offline, notes are saved to the outbox."""
    shared: bool = True
    """Always True: the team reads the team notes."""

    def __init__(
        self,
        open_server: Callable[[], PostgresNotesStore],
        outbox_file: Path,
        user: str,
        default_visibility: Visibility = "team",
        data_dir: Path | None = None,
    ) -> None:
        """Use :meth:`open` instead. ``open_server`` connects (raising :class:`NotesOffline`
        when the server is away); ``user`` is the role the URL names, for offline notes;
        ``data_dir`` holds the local notes database that keeps the drafts."""
        self._open_server = open_server
        self._data_dir = data_dir
        self._local: NotesStore | None = None
        self._offline_copy = OfflineCopy(outbox_file)
        self._user = user
        self._lock = threading.RLock()
        self._server: PostgresNotesStore | None = None
        self._offline_reason: str | None = None
        self._generation = 0
        self.default_visibility = default_visibility
        """The visibility of a new note when none is given."""
        self.last_flush: FlushReport | None = None
        """What the latest sending of the outbox did (at open, or when the server came back)."""

    @classmethod
    def open(
        cls, url: str, data_dir: Path | None = None, *, default_visibility: Visibility = "team"
    ) -> OfflineFirstNotes:
        """Connect to the server in ``url``, or start offline if it cannot be reached; sends
        what the outbox holds from an earlier session.

        Raises:
            NotesError: the server answered but refused (wrong role, no schema...).
        """
        key, user = server_key(url)
        store = cls(
            lambda: PostgresNotesStore.open(url, default_visibility=default_visibility),
            outbox_path(locations.data_dir(data_dir), key),
            user,
            default_visibility,
            data_dir,
        )
        try:
            store.last_flush = store.flush()
        except BaseException:
            store.close()
            raise
        return store

    # ---------------------------------------------------------------- state

    @property
    def author(self) -> str:
        """The role notes are written as."""
        server = self._server
        return server.author if server is not None else self._user

    @property
    def offline_reason(self) -> str | None:
        """Why the server is not used right now; None while online."""
        return self._offline_reason

    def _go_offline(self, reason: str, server: PostgresNotesStore) -> None:
        with self._lock:
            if self._server is server:
                self._server = None
                self._offline_reason = reason
                self._generation += 1
        server.close()

    def _online(self, action: Callable[[PostgresNotesStore], T]) -> T | _Offline:
        """``action`` on the server, or :data:`_OFFLINE` if it is (or just went) away."""
        server = self._server
        if server is None:
            return _OFFLINE
        try:
            return action(server)
        except NotesOffline as error:
            self._go_offline(str(error), server)
            return _OFFLINE

    @property
    def drafts(self) -> DraftStore:
        """Drafts stay on this computer, in the local notes database (opened on first use): a
        half-written note is nobody else's business, and must survive the server going away."""
        return self._local_store().drafts

    @property
    def reading(self) -> ReadingStore:
        """What this user has read stays on this computer too, in the local notes database."""
        return self._local_store().reading

    def _local_store(self) -> NotesStore:
        with self._lock:
            if self._local is None:
                self._local = NotesStore.open(self._data_dir)
            return self._local

    def problems(self) -> list[str]:
        """Repairs made to the drafts read (the server's columns are checked by the server)."""
        local = self._local
        return [] if local is None else local.problems()

    # ---------------------------------------------------------------- reading

    def notes_for(self, brief_id: str) -> list[AuthoredNote]:
        with self._lock:
            found = self._online(lambda server: server.notes_for(brief_id))
            if isinstance(found, _Offline):
                return self._offline_copy.notes_for(brief_id)
            self._offline_copy.remember(found, brief_id)
            return found

    def counts_by_anchor(self, brief_id: str) -> dict[str, int]:
        with self._lock:
            counts = self._online(lambda server: server.counts_by_anchor(brief_id))
            if isinstance(counts, _Offline):
                return dict(Counter(n.anchor for n in self.notes_for(brief_id)))
            return counts

    def briefs_with_notes(self) -> set[str]:
        with self._lock:
            briefs = self._online(lambda server: server.briefs_with_notes())
            if isinstance(briefs, _Offline):
                return self._offline_copy.briefs_with_notes()
            return briefs

    def authors_by_brief(self) -> dict[str, set[str]]:
        with self._lock:
            found = self._online(lambda server: server.authors_by_brief())
            if isinstance(found, _Offline):
                return self._offline_copy.authors_by_brief()
            return found

    def all_notes(self) -> list[AuthoredNote]:
        with self._lock:
            found = self._online(lambda server: server.all_notes())
            if isinstance(found, _Offline):
                return self._offline_copy.all_notes()
            self._offline_copy.remember(found, None)
            return found

    def get(self, note_id: str) -> AuthoredNote | None:
        with self._lock:
            found = self._online(lambda server: server.get(note_id))
            if isinstance(found, _Offline):
                return self._offline_copy.merged().get(note_id)
            return found

    def data_version(self) -> int:
        """The server's change counter while online; a local one (of another parity, so the
        switch itself counts as a change) while offline."""
        with self._lock:
            version = self._online(lambda server: server.data_version())
            if isinstance(version, _Offline):
                return self._generation * 2 + 1
            return version * 2

    # ---------------------------------------------------------------- writing

    def _saved(
        self, result: AuthoredNote | _Offline, offline: Callable[[], AuthoredNote]
    ) -> AuthoredNote:
        note = offline() if isinstance(result, _Offline) else result
        self._offline_copy.keep(note)
        return note

    def add(
        self,
        brief_id: str,
        anchor: str | Target,
        text: str,
        quote: str = "",
        *,
        visibility: Visibility | None = None,
    ) -> AuthoredNote:
        target = target_of(anchor, quote)
        if not brief_id:
            raise ValueError("a note needs a brief id")
        now = datetime.now(UTC)
        note = AuthoredNote(
            uuid.uuid4().hex, clean_text(brief_id), str(target.anchor), clean_text(text),
            target.exact, now, now, target.prefix, target.suffix, target.start,
            author=self.author, visibility=visibility or self.default_visibility,
        )  # fmt: skip
        with self._lock:
            result = self._online(
                lambda server: server.add(
                    brief_id, target, text, visibility=note.visibility, note_id=note.id
                )
            )

            def offline() -> AuthoredNote:
                self._offline_copy.box().put(note, base_version=None)
                return note

            return self._saved(result, offline)

    def _edit(
        self,
        note_id: str,
        online: Callable[[PostgresNotesStore], AuthoredNote],
        change: Callable[[AuthoredNote], AuthoredNote],
    ) -> AuthoredNote:
        with self._lock:
            result = self._online(online)

            def offline() -> AuthoredNote:
                current = self._offline_copy.mine(note_id, self.author)
                edited = replace(change(current), updated=datetime.now(UTC))
                self._offline_copy.box().put(edited, base_version=self._offline_copy.base(current))
                return edited

            return self._saved(result, offline)

    def update(self, note_id: str, text: str) -> AuthoredNote:
        return self._edit(
            note_id,
            lambda server: server.update(note_id, text),
            lambda note: replace(note, text=clean_text(text)),
        )

    def reattach(self, note_id: str, anchor: str | Target, quote: str = "") -> AuthoredNote:
        target = target_of(anchor, quote)
        return self._edit(
            note_id,
            lambda server: server.reattach(note_id, target),
            lambda note: replace(
                note,
                anchor=str(target.anchor),
                quote=target.exact,
                prefix=target.prefix,
                suffix=target.suffix,
                start=target.start,
            ),
        )

    def set_visibility(self, note_id: str, visibility: Visibility) -> AuthoredNote:
        return self._edit(
            note_id,
            lambda server: server.set_visibility(note_id, visibility),
            lambda note: replace(note, visibility=visibility),
        )

    def delete(self, note_id: str) -> AuthoredNote:
        with self._lock:
            result = self._online(lambda server: server.delete(note_id))
            if not isinstance(result, _Offline):
                self._offline_copy.forget(note_id)
                return result
            current = self._offline_copy.mine(note_id, self.author)
            base = self._offline_copy.base(current)
            if base is None:  # written offline: the server never needs to hear of it
                self._offline_copy.box().discard(note_id)
            else:
                self._offline_copy.box().put(current, base_version=base, deleted=True)
            return current

    def restore(self, note: Note) -> None:
        with self._lock:
            if isinstance(self._online(lambda server: server.restore(note)), _Offline):
                authored = (
                    note
                    if isinstance(note, AuthoredNote)
                    else AuthoredNote.of(
                        note, author=self.author, visibility=self.default_visibility
                    )
                )
                self._offline_copy.box().put(
                    authored, base_version=self._offline_copy.base(authored)
                )

    def import_notes(self, notes: Iterable[Note]) -> int:
        with self._lock:
            changed = self._online(lambda server: server.import_notes(notes))
            if isinstance(changed, _Offline):
                raise NotesOffline(
                    f"Cannot import while the notes server is away ({self._offline_reason}); "
                    "try again when it is back."
                )
            return changed

    # ---------------------------------------------------------------- the way back

    def flush(self) -> FlushReport:
        """Reconnect if offline, then send the outbox. Never raises for an unreachable server:
        the report says so (``offline_reason``) and the notes keep waiting.

        Raises:
            NotesError: the server answered but refused the connection.
        """
        if self._server is None:
            try:
                server = self._open_server()  # outside the lock: it may wait for a timeout
            except NotesOffline as error:
                with self._lock:
                    self._offline_reason = str(error)
                    return FlushReport(offline_reason=str(error), left=self._offline_copy.left())
            with self._lock:
                if self._server is None:
                    self._server, self._offline_reason = server, None
                    self._generation += 1
                else:
                    server.close()
        with self._lock:
            server = self._server
            if server is None or not self._offline_copy.has_outbox():
                return FlushReport(offline_reason=self._offline_reason)
            try:
                return send(self._offline_copy.box(), server)
            except NotesOffline as error:
                self._go_offline(str(error), server)
                return FlushReport(offline_reason=str(error), left=self._offline_copy.left())

    def wait_for_changes(self, timeout: float) -> list[NoteChange]:
        """Online: the server's announcements (an ``offline`` change if it goes away). Offline:
        wait ``timeout``, then try to reconnect and send the outbox (an ``online`` change when
        that worked, so the reader reloads)."""
        server = self._server
        if server is not None:
            try:
                return server.wait_for_changes(timeout)
            except NotesOffline as error:
                self._go_offline(str(error), server)
                return [NoteChange("offline", None)]
        time.sleep(timeout)
        try:
            report = self.flush()
        except NotesError as error:  # the server is back but refuses us (role dropped...)
            with self._lock:
                self._offline_reason = str(error)
            return []
        self.last_flush = report
        return [] if report.offline_reason else [NoteChange("online", None)]

    def close(self) -> None:
        """Close the server connections and the outbox (idempotent)."""
        with self._lock:
            server, self._server = self._server, None
            if server is not None:
                server.close()
            self._offline_copy.close()
            if self._local is not None:
                self._local.close()
                self._local = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
