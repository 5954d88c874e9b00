"""The notes store: per-user notes anchored to a brief's sections and items, kept in SQLite.

A note belongs to a brief (by id) and to an anchor (a section or one item in it): the
:class:`~termbrief.core.anchors.Note` record and the :class:`~termbrief.core.anchors.Anchor` rules
live in :mod:`termbrief.core.anchors`; this module stores notes.

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from termbrief.core import locations
from termbrief.core.anchors import Anchor, Note, NoteStatus, labelled_anchors, make_quote
from termbrief.core.model import Brief
from termbrief.core.text import strip_controls as clean_text
from termbrief.store import recovery, schema
from termbrief.store.drafts import DraftStore
from termbrief.store.schema import EARLIEST, LATEST, MIGRATIONS, SCHEMA_VERSION, note_time

__all__ = [
    "EARLIEST",
    "LATEST",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Note",
    "NoteStatus",
    "NotesError",
    "NotesStore",
    "anchor_content",
    "anchor_label",
    "anchors_of",
    "clean_text",
    "is_valid_anchor",
    "make_quote",
    "note_status",
    "note_time",
    "parse_anchor",
    "quote_for",
    "timeline_anchor",
]


class NotesError(Exception):
    """Any failure of the notes store, with a message fit to show the user."""


# ----------------------------------------------------------- anchors as strings (transitional)
# The string-anchor functions of before core.anchors, as thin wrappers over Anchor, for the
# modules not converted yet (ui/screens/brief_notes.py, cli/notes.py and some tests). New code
# uses Anchor and Note from termbrief.core.anchors. The store below validates with parse_anchor.


def parse_anchor(anchor: str) -> tuple[str, str | None]:
    """``Anchor.parse(anchor)`` as ``(section, item)``.

    Raises:
        ValueError: ``anchor`` is not a valid anchor.
    """
    parsed = Anchor.parse(anchor)
    return parsed.section, parsed.item


def is_valid_anchor(anchor: str) -> bool:
    """:meth:`Anchor.is_valid`."""
    return Anchor.is_valid(anchor)


def timeline_anchor(index: int) -> str:
    """``str(Anchor.event(index))``: the anchor of ``brief.timeline[index]``."""
    return str(Anchor.event(index))


def anchor_content(brief: Brief, anchor: str) -> str | None:
    """:meth:`Anchor.content`; None for an invalid anchor too."""
    return Anchor.parse(anchor).content(brief) if Anchor.is_valid(anchor) else None


def quote_for(brief: Brief, anchor: str) -> str:
    """:meth:`Anchor.quote` (empty for an invalid anchor)."""
    return Anchor.parse(anchor).quote(brief) if Anchor.is_valid(anchor) else ""


def anchor_label(brief: Brief, anchor: str) -> str:
    """:meth:`Anchor.label`; an invalid anchor is shown as written, shortened."""
    if not Anchor.is_valid(anchor):
        return make_quote(anchor, 60)
    return Anchor.parse(anchor).label(brief)


def anchors_of(brief: Brief) -> list[tuple[str, str]]:
    """:func:`~termbrief.core.anchors.labelled_anchors` with the anchors as strings."""
    return [(str(anchor), label) for anchor, label in labelled_anchors(brief)]


def note_status(brief: Brief, note: Note) -> NoteStatus:
    """:meth:`Note.status`."""
    return note.status(brief)


# --------------------------------------------------------------------------- the store


def _now() -> datetime:
    return datetime.now(UTC)


def _to_db(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _decode_row(row: Sequence[object]) -> tuple[Note, list[str]]:
    """A stored row as a :class:`Note` that is safe to show, and what had to be repaired.

    We only ever write clean text and valid times, so anything else came from another program
    or from damage: control characters are removed (they would reach the terminal), binary
    data becomes text, and a time that cannot be shown is replaced by the other time of the
    note (or 1970-01-01) and reported. The id is kept as stored: it is the key to the row.
    """
    raw_id, brief_id, anchor, text, quote, created, updated = row
    note_id = schema.text_value(raw_id)
    who = f"note {make_quote(note_id, 24)}"
    problems = [
        f"{who}: {name} holds binary data; shown as text"
        for name, value in (("text", text), ("quote", quote))
        if isinstance(value, bytes)
    ]
    times: dict[str, datetime | None] = {}
    for name, value in (("created", created), ("updated", updated)):
        try:
            times[name] = note_time(value)
        except ValueError as error:
            times[name] = None
            problems.append(f"{who}: {name} is not a valid time ({error})")
    fallback = times["created"] or times["updated"] or EARLIEST
    return (
        Note(
            id=note_id,
            brief_id=clean_text(schema.text_value(brief_id)),
            anchor=clean_text(schema.text_value(anchor)),
            text=clean_text(schema.text_value(text)),
            quote=clean_text(schema.text_value(quote)),
            created=times["created"] or fallback,
            updated=times["updated"] or fallback,
        ),
        problems,
    )


_BY_ID: Final = f"SELECT {schema.COLUMNS} FROM notes WHERE id = ?"


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
        damaged.close()
        if backup is None or not recovery.remove_database(path):
            return cls._read_only(path, f"{path} is damaged and cannot be moved aside")
        try:
            connection = schema.connect(path)
            schema.prepare(connection)
        except sqlite3.Error as again:
            return cls._read_only(path, schema.human(again, path), backup=backup)
        store = cls(connection, path, recovered_backup=backup)
        notes = [store._decode(row) for row in rows]
        with contextlib.suppress(NotesError):
            with store._write() as conn:
                for note in notes:
                    _insert(conn, note, replace=True)
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
        note, problems = _decode_row(row)
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

    # ---------------------------------------------------------------- reading

    def problems(self) -> list[str]:
        """What was wrong with the notes read so far (values no termbrief writes: a time that
        cannot be shown, binary data), each once; the notes came back repaired."""
        with self._lock:
            return list(self._problems)

    def notes_for(self, brief_id: str) -> list[Note]:
        """Every note of a brief, ordered by anchor then creation time."""
        return self._notes(
            f"SELECT {schema.COLUMNS} FROM notes WHERE brief_id = ? ORDER BY anchor, created, id",
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
            f"SELECT {schema.COLUMNS} FROM notes ORDER BY brief_id, anchor, created, id"
        )

    def get(self, note_id: str) -> Note | None:
        """The note with this id, if any."""
        found = self._notes(_BY_ID, (note_id,))
        return found[0] if found else None

    def data_version(self) -> int:
        """A number that changes when another connection commits (cheap change detection)."""
        value = self._read("PRAGMA data_version")[0][0]
        assert isinstance(value, int)
        return value

    # ---------------------------------------------------------------- writing

    def add(self, brief_id: str, anchor: str, text: str, quote: str) -> Note:
        """Save a new note; returns it once committed to disk.

        Raises:
            NotesError: the note could not be saved (read-only, disk full, locked...).
            ValueError: ``anchor`` is not a valid anchor or ``brief_id`` is empty.
        """
        parse_anchor(anchor)
        if not brief_id:
            raise ValueError("a note needs a brief id")
        now = _now()
        note = Note(
            uuid.uuid4().hex, brief_id, anchor, clean_text(text), clean_text(quote), now, now
        )
        with self._write() as conn:
            _insert(conn, note)
        return note

    def update(self, note_id: str, text: str) -> Note:
        """Replace a note's text.

        Raises:
            NotesError: the note does not exist or could not be saved.
        """
        return self._change(note_id, lambda old: {"text": clean_text(text)})

    def reattach(self, note_id: str, anchor: str, quote: str) -> Note:
        """Move a note (typically an orphan) to another anchor with a fresh quote."""
        parse_anchor(anchor)
        return self._change(note_id, lambda old: {"anchor": anchor, "quote": clean_text(quote)})

    def _change(self, note_id: str, change: Callable[[Note], dict[str, str]]) -> Note:
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {schema.COLUMNS} FROM notes WHERE id = ?", (note_id,)
            ).fetchone()
            if row is None:
                raise NotesError("That note no longer exists (it may have been deleted elsewhere).")
            old = self._decode(row)
            fields = {
                "anchor": old.anchor,
                "text": old.text,
                "quote": old.quote,
                **change(old),
            }
            new = Note(
                old.id,
                old.brief_id,
                fields["anchor"],
                fields["text"],
                fields["quote"],
                old.created,
                _now(),
            )
            # Every column is written back: a value repaired on reading is stored repaired.
            _insert(conn, new, replace=True)
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
            _insert(conn, _cleaned(note), replace=True)

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
                parse_anchor(note.anchor)
                note = _cleaned(note)
                for name, moment in (("created", note.created), ("updated", note.updated)):
                    try:
                        note_time(moment)
                    except ValueError as error:
                        raise ValueError(
                            f"note {number}: {name} is not a valid time ({error})"
                        ) from None
                row = conn.execute(_BY_ID, (note.id,)).fetchone()
                if row is not None:
                    existing = self._decode(row)
                    if existing == note or existing.updated >= note.updated:
                        continue
                _insert(conn, note, replace=True)
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


def _cleaned(note: Note) -> Note:
    return Note(
        id=clean_text(note.id),
        brief_id=clean_text(note.brief_id),
        anchor=note.anchor,
        text=clean_text(note.text),
        quote=clean_text(note.quote),
        created=note.created,
        updated=note.updated,
    )


def _insert(conn: sqlite3.Connection, note: Note, *, replace: bool = False) -> None:
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    conn.execute(
        f"{verb} INTO notes ({schema.COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            note.id,
            note.brief_id,
            note.anchor,
            note.text,
            note.quote,
            _to_db(note.created),
            _to_db(note.updated),
        ),
    )
