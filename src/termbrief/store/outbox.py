"""Offline-first team notes: while the server cannot be reached, notes wait in a local outbox.

:class:`Outbox` is a small SQLite file in the data folder (one per server and role) holding the
latest offline state of each note changed while offline, with the server version that change was
based on. :func:`send` delivers it: each change goes in its own server transaction
(:meth:`~termbrief.store.postgres.PostgresNotesStore.push`), idempotently by note id, and an edit
based on an older version than the server now has is kept as a conflict copy, never dropped.

The store that switches between the server and the outbox is
:class:`termbrief.store.team.OfflineFirstNotes`. This module imports no Textual.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import msgspec

from termbrief.store.notes import NotesError
from termbrief.store.postgres import PostgresNotesStore
from termbrief.store.records import AuthoredNote, NotesOffline, PendingChange

__all__ = ["FlushReport", "Outbox", "outbox_path", "send"]

_SCHEMA: Final = """
    CREATE TABLE IF NOT EXISTS pending (
        note_id      TEXT PRIMARY KEY NOT NULL,
        sequence     INTEGER NOT NULL,
        deleted      INTEGER NOT NULL,
        base_version INTEGER,
        brief_id     TEXT NOT NULL,
        anchor       TEXT NOT NULL,
        text         TEXT NOT NULL,
        quote        TEXT NOT NULL,
        created      TEXT NOT NULL,
        updated      TEXT NOT NULL,
        author       TEXT NOT NULL,
        visibility   TEXT NOT NULL,
        version      INTEGER NOT NULL,
        conflict_of  TEXT,
        prefix       TEXT NOT NULL DEFAULT '',
        suffix       TEXT NOT NULL DEFAULT '',
        start        INTEGER
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS counter (next INTEGER NOT NULL);
"""
_SELECTORS: Final = (
    "ALTER TABLE pending ADD COLUMN prefix TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE pending ADD COLUMN suffix TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE pending ADD COLUMN start INTEGER",
)
"""An outbox written before notes kept selectors gets their columns (its quotes are kept)."""
_COLUMNS: Final = (
    "note_id, sequence, deleted, base_version, brief_id, anchor, text, quote, created, updated,"
    " author, visibility, version, conflict_of, prefix, suffix, start"
)


def outbox_path(data_dir: Path, server_key: str) -> Path:
    """The outbox file for one server and role (``server_key``) in ``data_dir``: notes written
    for one server are never sent to another."""
    digest = hashlib.sha256(server_key.encode()).hexdigest()[:16]
    return data_dir / f"notes-outbox-{digest}.sqlite3"


def _to_db(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _row_to_change(row: tuple[Any, ...]) -> PendingChange:
    (note_id, sequence, deleted, base, brief_id, anchor, text, quote, created, updated,
     author, visibility, version, conflict_of, prefix, suffix, start) = row  # fmt: skip
    note = AuthoredNote(
        note_id,
        brief_id,
        anchor,
        text,
        quote,
        datetime.fromisoformat(created),
        datetime.fromisoformat(updated),
        prefix,
        suffix,
        start,
        author=author,
        visibility=visibility,
        version=version,
        conflict_of=conflict_of,
    )
    return PendingChange(note, bool(deleted), base, sequence)


class Outbox:
    """Note changes written while the team server could not be reached, in a local SQLite file.

    Same durability as the notes store: WAL, ``synchronous=FULL``, one transaction per change, so
    a note saved offline survives a crash or power loss. Safe to share between threads.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        """Wrap an open connection; use :meth:`open` instead."""
        self.path = path
        """The outbox file."""
        self._conn = connection
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path) -> Outbox:
        """Open (creating if needed) the outbox file at ``path``.

        Raises:
            NotesError: it cannot be created or read.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                path, timeout=5, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.executescript(_SCHEMA)
            have = {row[1] for row in connection.execute("PRAGMA table_info(pending)")}
            if "start" not in have:
                for statement in _SELECTORS:
                    connection.execute(statement)
        except (OSError, sqlite3.Error) as error:
            raise NotesError(f"Cannot keep notes offline in {path}: {error}") from error
        return cls(path, connection)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as error:
                raise NotesError(
                    f"Could not save the note offline ({self.path}): {error}"
                ) from error

    def put(self, note: AuthoredNote, *, base_version: int | None, deleted: bool = False) -> None:
        """Keep ``note`` (or its deletion) until it can be sent; replaces an earlier offline
        change of the same note. ``base_version``: the server version the first offline change
        of this note started from (None for a note the server has never seen)."""
        with self._write() as conn:
            row = conn.execute("SELECT next FROM counter").fetchone()
            sequence = int(row[0]) if row else 1
            conn.execute("DELETE FROM counter")
            conn.execute("INSERT INTO counter (next) VALUES (?)", (sequence + 1,))
            conn.execute(
                f"INSERT OR REPLACE INTO pending ({_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (note.id, sequence, int(deleted), base_version, note.brief_id, note.anchor,
                 note.text, note.quote, _to_db(note.created), _to_db(note.updated),
                 note.author, note.visibility, note.version, note.conflict_of, note.prefix,
                 note.suffix, note.start),
            )  # fmt: skip

    def discard(self, note_id: str) -> None:
        """Forget the offline change of a note (a note written and deleted while offline)."""
        with self._write() as conn:
            conn.execute("DELETE FROM pending WHERE note_id = ?", (note_id,))

    def _read(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn.execute(query, params).fetchall()
            except sqlite3.Error as error:
                raise NotesError(f"Cannot read the offline notes ({self.path}): {error}") from None

    def get(self, note_id: str) -> PendingChange | None:
        """The waiting change of a note, if any."""
        rows = self._read(f"SELECT {_COLUMNS} FROM pending WHERE note_id = ?", (note_id,))
        return _row_to_change(rows[0]) if rows else None

    def pending(self) -> list[PendingChange]:
        """Every waiting change, oldest first."""
        return [_row_to_change(r) for r in self._read(f"SELECT {_COLUMNS} FROM pending ORDER BY 2")]

    def __len__(self) -> int:
        return int(self._read("SELECT count(*) FROM pending")[0][0])

    def remove(self, sent: Iterable[PendingChange]) -> None:
        """Forget changes that reached the server, unless the note changed again meanwhile."""
        with self._write() as conn:
            conn.executemany(
                "DELETE FROM pending WHERE note_id = ? AND sequence = ?",
                [(change.note.id, change.sequence) for change in sent],
            )

    def close(self) -> None:
        """Close the file (idempotent)."""
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._conn.close()


class FlushReport(msgspec.Struct):
    """What sending the outbox did."""

    sent: int = 0
    """Changes applied on the server."""
    already: int = 0
    """Changes the server already had (sent before an interruption): nothing duplicated."""
    kept: int = 0
    """Offline deletions not applied because the note was edited on the server since."""
    conflicts: list[str] = msgspec.field(default_factory=list)
    """Ids of the conflict copies made for offline edits that lost to newer server edits."""
    failed: list[tuple[str, str]] = msgspec.field(default_factory=list)
    """(note id, reason) of changes the server refused; they stay in the outbox."""
    left: int = 0
    """Changes still waiting (the server went away again, or refused them)."""
    offline_reason: str | None = None
    """Why the server could not be reached, if it could not."""


_SENT_BATCH: Final = 200
"""How many delivered changes are forgotten per outbox transaction (each one syncs the disk)."""


def send(outbox: Outbox, server: PostgresNotesStore) -> FlushReport:
    """Send every waiting change, oldest first, and forget those the server took.

    Raises:
        NotesOffline: the server went away midway (what was sent is forgotten; the rest waits).
    """
    report = FlushReport()
    done: list[PendingChange] = []
    try:
        for change in outbox.pending():
            try:
                outcome, copy = server.push(change)
            except NotesOffline:
                raise
            except NotesError as error:
                report.failed.append((change.note.id, str(error)))
                continue
            if outcome == "sent":
                report.sent += 1
            elif outcome == "already":
                report.already += 1
            elif outcome == "kept":
                report.kept += 1
            elif copy is not None:
                report.conflicts.append(copy)
            done.append(change)
            if len(done) >= _SENT_BATCH:
                outbox.remove(done)
                done = []
    finally:
        if done:
            outbox.remove(done)
    report.left = len(outbox)
    return report
