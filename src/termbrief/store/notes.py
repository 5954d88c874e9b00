"""The notes store: per-user notes anchored to a brief's sections, items and words, in SQLite.

A note belongs to a brief (by id) and annotates a :class:`~termbrief.core.annotation.Target`: a
place (:class:`~termbrief.core.anchors.Anchor`) and the words quoted there, with their context
and position. The :class:`~termbrief.core.annotation.Note` record and re-anchoring live in
:mod:`termbrief.core.annotation`; this module stores notes. A note's text may be empty (a
highlight without a note).

Durability ("a confirmed save is never lost"): WAL journal, ``synchronous=FULL`` (the WAL is
fsynced at every commit, so a confirmed save survives power loss as well as ``kill -9``; NORMAL
would survive only a process crash), one ``BEGIN IMMEDIATE`` transaction per save, a busy timeout
so two running instances both save, and ``PRAGMA user_version`` with a list of migrations.

This module imports no Textual.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from termbrief.core import locations
from termbrief.core.annotation import Note, Target
from termbrief.core.text import strip_controls as clean_text
from termbrief.store import recovery, schema
from termbrief.store.drafts import DraftStore
from termbrief.store.note_rows import (
    checked_target,
    cleaned,
    decode_row,
    insert,
    selected_columns,
    target_of,
    with_target,
)
from termbrief.store.reading import ReadingStore
from termbrief.store.schema import EARLIEST, LATEST, MIGRATIONS, SCHEMA_VERSION, note_time

__all__ = [
    "EARLIEST",
    "LATEST",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Note",
    "NotesError",
    "NotesStore",
    "Target",
    "clean_text",
    "note_time",
    "target_of",
]


class NotesError(Exception):
    """Any failure of the notes store, with a message fit to show the user."""


def _now() -> datetime:
    return datetime.now(UTC)


class NotesStore:
    """The notes of one user, in one SQLite file. Safe to share between threads."""

    recovered_backup: Path | None
    """Where a corrupt or unreadable database was moved at open; None if none was."""
    salvaged: int
    """How many notes were copied from the damaged database into the fresh one at open."""
    read_only_reason: str | None
    """Why the store is read-only (saving raises :class:`NotesError`); None if it is writable."""
    path: Path | None
    """The database file (absolute); None for an in-memory store."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path | None,
        *,
        read_only_reason: str | None = None,
        recovered_backup: Path | None = None,
        salvaged: int = 0,
    ) -> None:
        """Wrap an open connection; use :meth:`open` instead."""
        connection.text_factory = schema.decode_text
        self._conn = connection
        self._columns = selected_columns(connection)
        self._lock = threading.RLock()
        self._problems: dict[str, None] = {}
        self.path = path
        self.read_only_reason = read_only_reason
        self.recovered_backup = recovered_backup
        self.salvaged = salvaged

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, data_dir: Path | None = None) -> NotesStore:
        """Open (creating if needed) the notes database in ``data_dir`` or the default location.

        Never raises for a bad database: a corrupt, damaged (``PRAGMA quick_check``) or
        unreadable file, or anything that is not a regular file, is moved aside to
        ``notes.sqlite3.corrupt-YYYYmmdd-HHMMSS`` (with its ``-wal``/``-shm``) and a fresh store
        starts with whatever notes could still be read from it (see :attr:`recovered_backup`,
        :attr:`salvaged`); an unwritable location opens read-only, or as an empty in-memory
        store if there is no database (see :attr:`read_only_reason`).
        """
        # Absolute (SQLite's read-only URIs need it) but not resolved: a link to the database
        # stays a link, so moving a bad one aside never moves what it points at.
        path = locations.notes_db_path(data_dir).absolute()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return cls._read_only(path, f"Cannot create the notes folder {path.parent}: {error}")
        backup: Path | None = None
        if (path.exists() or path.is_symlink()) and not recovery.looks_like_sqlite(path):
            # Not an SQLite file (garbage, a folder, a FIFO, a device, unreadable): move it
            # aside unopened, so SQLite never touches it or the files beside it.
            backup = recovery.move_aside(path)
            if backup is None:
                return cls._read_only(path, f"{path} is unreadable and cannot be moved aside")
        try:
            connection = schema.connect(path)
        except sqlite3.Error as error:
            return cls._read_only(path, schema.human(error, path), backup=backup)
        try:
            schema.prepare(connection)
        except sqlite3.Error as error:
            if isinstance(error, schema.TooNew):
                connection.close()
                return cls._read_only(path, str(error))
            if not schema.is_damage(error):
                connection.close()
                return cls._read_only(path, schema.human(error, path))
            return cls._recover(path, connection)
        return cls(connection, path, recovered_backup=backup)

    @classmethod
    def _recover(cls, path: Path, damaged: sqlite3.Connection) -> NotesStore:
        """Back up a damaged database, start afresh, and copy in the notes still readable."""
        # Copy while our connection still holds the files as they were: closing it may
        # checkpoint or delete the -wal, which can hold the most recent notes.
        backup = recovery.copy_aside(path)
        damaged.text_factory = schema.decode_text
        rows = recovery.salvage_rows(damaged, "notes", schema.COLUMNS, "id")
        if not rows:  # perhaps a database from before selectors
            old = recovery.salvage_rows(damaged, "notes", schema.COLUMNS_BEFORE_SELECTORS, "id")
            rows = [(*row, "", "", None) for row in old]
        damaged.close()
        if backup is None or not recovery.remove_database(path):
            return cls._read_only(path, f"{path} is damaged and cannot be moved aside")
        try:
            connection = schema.connect(path)
            schema.prepare(connection)
        except sqlite3.Error as again:
            return cls._read_only(path, schema.human(again, path), backup=backup)
        store = cls(connection, path, recovered_backup=backup)
        # A row that reads back with values termbrief never writes (a time that is not one,
        # binary data) was hit by the damage: copying it would keep garbage as a note.
        notes = [note for note, problems in map(decode_row, rows) if not problems]
        with contextlib.suppress(NotesError):
            with store._write() as conn:
                for note in notes:
                    insert(conn, note, replace=True)
            store.salvaged = len(notes)
        return store

    @classmethod
    def _read_only(cls, path: Path, reason: str, backup: Path | None = None) -> NotesStore:
        if recovery.readable(path):
            for query in ("mode=ro", "immutable=1"):
                try:
                    connection = sqlite3.connect(
                        f"{path.as_uri()}?{query}", uri=True, check_same_thread=False
                    )
                    version = connection.execute("PRAGMA user_version").fetchone()[0]
                    if version >= 1:
                        connection.execute("SELECT count(*) FROM notes").fetchone()
                        return cls(connection, path, read_only_reason=reason)
                    connection.close()
                except sqlite3.Error:
                    continue
        connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        schema.migrate(connection)
        return cls(connection, None, read_only_reason=reason, recovered_backup=backup)

    # ---------------------------------------------------------------- plumbing

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any SQLite failure becomes a :class:`NotesError`."""
        if self.read_only_reason is not None:
            raise NotesError(f"Notes are read-only: {self.read_only_reason}")
        with self._lock:
            conn = self._conn
            try:
                # IMMEDIATE takes the write lock up front, so a busy database waits (busy_timeout)
                # instead of failing half-way when a read transaction tries to upgrade.
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise NotesError(schema.human(error, self.path)) from error
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise NotesError(schema.human(error, self.path)) from error
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

    def _read(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return self._conn.execute(query, params).fetchall()
            except sqlite3.Error as error:
                raise NotesError(schema.human(error, self.path)) from error

    def _decode(self, row: Sequence[object]) -> Note:
        note, problems = decode_row(row)
        if problems:
            with self._lock:
                self._problems.update(dict.fromkeys(problems))
        return note

    def _notes(self, query: str, params: tuple[object, ...] = ()) -> list[Note]:
        return [self._decode(row) for row in self._read(query, params)]

    @functools.cached_property
    def drafts(self) -> DraftStore:
        """The drafts of notes being written, kept in this database through its transactions."""
        return DraftStore(self._write, self._read)

    @functools.cached_property
    def reading(self) -> ReadingStore:
        """What this user read and the versions of briefs seen, kept in this database."""
        return ReadingStore(self._write, self._read)

    # ---------------------------------------------------------------- reading

    def problems(self) -> list[str]:
        """What was wrong with the notes read so far (values no termbrief writes: a time that
        cannot be shown, binary data), each once; the notes came back repaired."""
        with self._lock:
            return list(self._problems)

    def notes_for(self, brief_id: str) -> list[Note]:
        """Every note of a brief, ordered by anchor then creation time."""
        return self._notes(
            f"SELECT {self._columns} FROM notes WHERE brief_id = ? ORDER BY anchor, created, id",
            (brief_id,),
        )

    def counts_by_anchor(self, brief_id: str) -> dict[str, int]:
        """How many notes each anchor of a brief holds (anchors without notes are absent)."""
        rows = self._read(
            "SELECT anchor, count(*) FROM notes WHERE brief_id = ? GROUP BY anchor", (brief_id,)
        )
        counts: dict[str, int] = {}
        for anchor, count in rows:
            key = clean_text(schema.text_value(anchor))
            counts[key] = counts.get(key, 0) + int(count)  # type: ignore[call-overload]
        return counts

    def briefs_with_notes(self) -> set[str]:
        """Ids of every brief that has at least one note."""
        rows = self._read("SELECT DISTINCT brief_id FROM notes")
        return {clean_text(schema.text_value(row[0])) for row in rows}

    def all_notes(self) -> list[Note]:
        """Every note, ordered by brief, anchor and creation time."""
        return self._notes(
            f"SELECT {self._columns} FROM notes ORDER BY brief_id, anchor, created, id"
        )

    def get(self, note_id: str) -> Note | None:
        """The note with this id, if any."""
        found = self._notes(f"SELECT {self._columns} FROM notes WHERE id = ?", (note_id,))
        return found[0] if found else None

    def data_version(self) -> int:
        """A number that changes when another connection commits (cheap change detection)."""
        value = self._read("PRAGMA data_version")[0][0]
        assert isinstance(value, int)
        return value

    # ---------------------------------------------------------------- writing

    def add(self, brief_id: str, anchor: str | Target, text: str, quote: str = "") -> Note:
        """Save a new note; returns it once committed to disk.

        Args:
            brief_id: The brief's id.
            anchor: What the note annotates: a :class:`Target` (a place and the words quoted
                there), or for a whole item or section its anchor's stored form.
            text: The note, Markdown; empty for a highlight without a note.
            quote: With an anchor's stored form, the words of the item it quotes.

        Raises:
            NotesError: the note could not be saved (read-only, disk full, locked...).
            ValueError: ``anchor`` is not a valid anchor or ``brief_id`` is empty.
        """
        target = target_of(anchor, quote)
        if not brief_id:
            raise ValueError("a note needs a brief id")
        now = _now()
        note = with_target(
            Note(uuid.uuid4().hex, brief_id, "", clean_text(text), "", now, now), target
        )
        with self._write() as conn:
            insert(conn, note)
        return note

    def update(self, note_id: str, text: str) -> Note:
        """Replace a note's text.

        Raises:
            NotesError: the note does not exist or could not be saved.
        """
        return self._change(note_id, text=clean_text(text))

    def reattach(self, note_id: str, anchor: str | Target, quote: str = "") -> Note:
        """Move a note to another place, or accept where re-anchoring found it (a
        :class:`~termbrief.core.annotation.Placement`'s target): see :meth:`add` for the
        arguments."""
        target = target_of(anchor, quote)
        return self._change(note_id, target=target)

    def _change(
        self, note_id: str, *, text: str | None = None, target: Target | None = None
    ) -> Note:
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {schema.COLUMNS} FROM notes WHERE id = ?", (note_id,)
            ).fetchone()
            if row is None:
                raise NotesError("That note no longer exists (it may have been deleted elsewhere).")
            new = self._decode(row)
            if text is not None:
                new = msgspec.structs.replace(new, text=text)
            if target is not None:
                new = with_target(new, target)
            new = msgspec.structs.replace(new, updated=_now())
            # Every column is written back: a value repaired on reading is stored repaired.
            insert(conn, new, replace=True)
        return new

    def delete(self, note_id: str) -> Note:
        """Delete a note; returns it so the caller can offer undo (:meth:`restore`).

        Raises:
            NotesError: the note does not exist or the deletion could not be saved.
        """
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {schema.COLUMNS} FROM notes WHERE id = ?", (note_id,)
            ).fetchone()
            if row is None:
                raise NotesError("That note no longer exists (it may have been deleted elsewhere).")
            conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
        return self._decode(row)

    def restore(self, note: Note) -> None:
        """Put back a deleted note exactly as it was (same id and times)."""
        with self._write() as conn:
            insert(conn, cleaned(note), replace=True)

    def import_notes(self, notes: Iterable[Note]) -> int:
        """Merge notes in one transaction, idempotently by note id; returns how many were
        added or changed.

        A note whose id is new is added; one whose id exists is replaced only if the imported
        copy was updated later, so importing an old export never overwrites newer local edits.

        Raises:
            ValueError: a note has an invalid anchor, or a time out of range (see
                :func:`note_time`), named by its position from 1; nothing is imported.
        """
        changed = 0
        with self._write() as conn:
            for number, note in enumerate(notes, start=1):
                note = with_target(note, checked_target(note))
                for name, moment in (("created", note.created), ("updated", note.updated)):
                    try:
                        note_time(moment)
                    except ValueError as error:
                        raise ValueError(
                            f"note {number}: {name} is not a valid time ({error})"
                        ) from None
                row = conn.execute(
                    f"SELECT {schema.COLUMNS} FROM notes WHERE id = ?", (note.id,)
                ).fetchone()
                if row is not None:
                    existing = self._decode(row)
                    if existing == note or existing.updated >= note.updated:
                        continue
                insert(conn, note, replace=True)
                changed += 1
        return changed

    def close(self) -> None:
        """Close the database (idempotent)."""
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def __enter__(self) -> NotesStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
