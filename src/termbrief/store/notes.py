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
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from termbrief.core import locations
from termbrief.core.anchors import Anchor, Note, NoteStatus, labelled_anchors, make_quote
from termbrief.core.model import Brief
from termbrief.core.text import strip_controls as clean_text

__all__ = [
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
    "parse_anchor",
    "quote_for",
    "timeline_anchor",
]

BUSY_TIMEOUT_MS: Final = 5000
"""How long a save waits for another instance's write to finish before giving up."""

MIGRATIONS: Final[tuple[str, ...]] = (
    # 1: the notes table.
    """
    CREATE TABLE notes (
        id       TEXT PRIMARY KEY NOT NULL,
        brief_id TEXT NOT NULL,
        anchor   TEXT NOT NULL,
        text     TEXT NOT NULL,
        quote    TEXT NOT NULL DEFAULT '',
        created  TEXT NOT NULL,
        updated  TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 2: opening a brief's notes must stay fast with 100,000 notes (bench case 7).
    "CREATE INDEX notes_by_brief ON notes (brief_id, anchor, created);",
)
"""Schema migrations; the database's ``user_version`` is how many of these it has run."""

SCHEMA_VERSION: Final = len(MIGRATIONS)

_SQLITE_HEADER: Final = b"SQLite format 3\x00"
_SIDE_FILES: Final = ("-wal", "-shm", "-journal")
_NOTE_COLUMNS: Final = {"id", "brief_id", "anchor", "text", "quote", "created", "updated"}

# SQLite result codes (primary code = extended code & 0xff) that get a human message.
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


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


def _row_to_note(row: tuple[str, str, str, str, str, str, str]) -> Note:
    note_id, brief_id, anchor, text, quote, created, updated = row
    return Note(
        id=note_id,
        brief_id=brief_id,
        anchor=anchor,
        text=text,
        quote=quote,
        created=datetime.fromisoformat(created),
        updated=datetime.fromisoformat(updated),
    )


def _error_code(error: sqlite3.Error) -> int:
    return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def _human(error: sqlite3.Error, path: Path | None) -> str:
    where = f" ({path})" if path else ""
    code = _error_code(error)
    if code == _SQLITE_FULL:
        return f"The disk holding the notes database is full{where}; the note was not saved."
    if code == _SQLITE_READONLY:
        return f"The notes database is read-only{where}; the note was not saved."
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return (
            f"The notes database is locked by another program{where}; "
            "the note was not saved. Try again."
        )
    if code == _SQLITE_CORRUPT:
        return f"The notes database is damaged{where}; restart termbrief to recover it."
    if code in (_SQLITE_IOERR, _SQLITE_PERM, _SQLITE_CANTOPEN):
        return f"Could not write the notes database{where}: {error}."
    return f"Notes database error{where}: {error}."


class NotesStore:
    """The notes of one user, in one SQLite file. Safe to share between threads."""

    recovered_backup: Path | None
    """Where a corrupt or unreadable database was moved at open; None if none was."""
    read_only_reason: str | None
    """Why the store is read-only (saving raises :class:`NotesError`); None if it is writable."""
    path: Path | None
    """The database file; None for an in-memory store."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path | None,
        *,
        read_only_reason: str | None = None,
        recovered_backup: Path | None = None,
    ) -> None:
        """Wrap an open connection; use :meth:`open` instead."""
        self._conn = connection
        self._lock = threading.RLock()
        self.path = path
        self.read_only_reason = read_only_reason
        self.recovered_backup = recovered_backup

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, data_dir: Path | None = None) -> NotesStore:
        """Open (creating if needed) the notes database in ``data_dir`` or the default location.

        Never raises for a bad database: a corrupt or unreadable file is moved aside to
        ``notes.sqlite3.corrupt-YYYYmmdd-HHMMSS`` (with its ``-wal``/``-shm``) and a fresh store
        starts (see :attr:`recovered_backup`); an unwritable location opens read-only, or as an
        empty in-memory store if there is no database (see :attr:`read_only_reason`).
        """
        path = locations.notes_db_path(data_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return cls._read_only(path, f"Cannot create the notes folder {path.parent}: {error}")
        backup: Path | None = None
        if path.exists() and not _looks_like_sqlite(path):
            # Not even an SQLite header (garbage, a folder, unreadable): move it aside unopened,
            # so SQLite never touches the files that sit beside it.
            backup = _move_aside(path)
            if backup is None:
                return cls._read_only(path, f"{path} is unreadable and cannot be moved aside")
        try:
            connection = _connect(path)
        except sqlite3.Error as error:
            return cls._read_only(path, _human(error, path), backup=backup)
        try:
            _prepare(connection)
        except sqlite3.Error as error:
            if isinstance(error, _TooNew):
                connection.close()
                return cls._read_only(path, str(error))
            damaged = _error_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
            if not (damaged or isinstance(error, _Damaged)):
                connection.close()
                return cls._read_only(path, _human(error, path))
            # Copy while our connection still holds the files as they were: closing it may
            # checkpoint or delete the -wal, which can hold the most recent notes.
            backup = _copy_aside(path)
            connection.close()
            if backup is None or not _remove_database(path):
                return cls._read_only(path, f"{path} is damaged and cannot be moved aside")
            try:
                connection = _connect(path)
                _prepare(connection)
            except sqlite3.Error as again:
                return cls._read_only(path, _human(again, path), backup=backup)
        return cls(connection, path, recovered_backup=backup)

    @classmethod
    def _read_only(cls, path: Path, reason: str, backup: Path | None = None) -> NotesStore:
        if path.exists() and _readable(path):
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
        _migrate(connection)
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
                raise NotesError(_human(error, self.path)) from error
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise NotesError(_human(error, self.path)) from error
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

    def _read(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return self._conn.execute(query, params).fetchall()
            except sqlite3.Error as error:
                raise NotesError(_human(error, self.path)) from error

    def _notes(self, query: str, params: tuple[object, ...] = ()) -> list[Note]:
        return [_row_to_note(row) for row in self._read(query, params)]  # type: ignore[arg-type]

    # ---------------------------------------------------------------- reading

    _COLUMNS: Final = "id, brief_id, anchor, text, quote, created, updated"

    def notes_for(self, brief_id: str) -> list[Note]:
        """Every note of a brief, ordered by anchor then creation time."""
        return self._notes(
            f"SELECT {self._COLUMNS} FROM notes WHERE brief_id = ? ORDER BY anchor, created, id",
            (brief_id,),
        )

    def counts_by_anchor(self, brief_id: str) -> dict[str, int]:
        """How many notes each anchor of a brief holds (anchors without notes are absent)."""
        rows = self._read(
            "SELECT anchor, count(*) FROM notes WHERE brief_id = ? GROUP BY anchor", (brief_id,)
        )
        return {str(anchor): int(count) for anchor, count in rows}  # type: ignore[call-overload]

    def briefs_with_notes(self) -> set[str]:
        """Ids of every brief that has at least one note."""
        return {str(row[0]) for row in self._read("SELECT DISTINCT brief_id FROM notes")}

    def all_notes(self) -> list[Note]:
        """Every note, ordered by brief, anchor and creation time."""
        return self._notes(
            f"SELECT {self._COLUMNS} FROM notes ORDER BY brief_id, anchor, created, id"
        )

    def get(self, note_id: str) -> Note | None:
        """The note with this id, if any."""
        found = self._notes(f"SELECT {self._COLUMNS} FROM notes WHERE id = ?", (note_id,))
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
                f"SELECT {self._COLUMNS} FROM notes WHERE id = ?", (note_id,)
            ).fetchone()
            if row is None:
                raise NotesError("That note no longer exists (it may have been deleted elsewhere).")
            old = _row_to_note(row)
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
            conn.execute(
                "UPDATE notes SET anchor = ?, text = ?, quote = ?, updated = ? WHERE id = ?",
                (new.anchor, new.text, new.quote, _to_db(new.updated), new.id),
            )
        return new

    def delete(self, note_id: str) -> Note:
        """Delete a note; returns it so the caller can offer undo (:meth:`restore`).

        Raises:
            NotesError: the note does not exist or the deletion could not be saved.
        """
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {self._COLUMNS} FROM notes WHERE id = ?", (note_id,)
            ).fetchone()
            if row is None:
                raise NotesError("That note no longer exists (it may have been deleted elsewhere).")
            conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
        return _row_to_note(row)

    def restore(self, note: Note) -> None:
        """Put back a deleted note exactly as it was (same id and times)."""
        with self._write() as conn:
            _insert(conn, _cleaned(note), replace=True)

    def import_notes(self, notes: Iterable[Note]) -> int:
        """Merge notes in one transaction, idempotently by note id; returns how many were
        added or changed.

        A note whose id is new is added; one whose id exists is replaced only if the imported
        copy was updated later, so importing an old export never overwrites newer local edits.
        """
        changed = 0
        with self._write() as conn:
            for note in notes:
                parse_anchor(note.anchor)
                note = _cleaned(note)
                row = conn.execute(
                    f"SELECT {self._COLUMNS} FROM notes WHERE id = ?", (note.id,)
                ).fetchone()
                if row is not None:
                    existing = _row_to_note(row)
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
        f"{verb} INTO notes (id, brief_id, anchor, text, quote, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
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


class _TooNew(sqlite3.DatabaseError):
    """The database was written by a newer termbrief; never migrate it down."""


class _Damaged(sqlite3.DatabaseError):
    """The database opened but its contents are not what we wrote (failed checks)."""


def _readable(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError:
        return False
    return True


def _looks_like_sqlite(path: Path) -> bool:
    """Whether ``path`` is a readable file that is empty or starts with the SQLite header."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError:
        return False
    return header in (b"", _SQLITE_HEADER)


def _free_backup_path(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    return target


def _move_aside(path: Path) -> Path | None:
    """Rename the database and its side files to a timestamped backup; None if impossible."""
    target = _free_backup_path(path)
    try:
        path.rename(target)
    except OSError:
        return None
    for suffix in _SIDE_FILES:
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).rename(target.with_name(target.name + suffix))
    return target


def _copy_aside(path: Path) -> Path | None:
    """Copy the database and its side files to a timestamped backup; None if impossible."""
    target = _free_backup_path(path)
    try:
        shutil.copy2(path, target)
        for suffix in _SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                shutil.copy2(side, target.with_name(target.name + suffix))
    except OSError:
        return None
    return target


def _remove_database(path: Path) -> bool:
    try:
        for suffix in ("", *_SIDE_FILES):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves (see NotesStore._write).
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )


def _prepare(connection: sqlite3.Connection) -> None:
    """Set the durability pragmas, migrate, and check the table is ours."""
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"cannot use the WAL journal (got {mode})")
    connection.execute("PRAGMA synchronous = FULL")
    _migrate(connection)
    # A cheap structural check: catches an SQLite file that is not ours. Page-level damage
    # found later surfaces as SQLITE_CORRUPT from the failing call.
    columns = {row[1] for row in connection.execute("PRAGMA table_info(notes)")}
    if not columns.issuperset(_NOTE_COLUMNS):
        raise _Damaged("the notes table does not have the expected columns")


def _migrate(connection: sqlite3.Connection) -> None:
    """Run the migrations the database lacks, in one transaction."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Re-read inside the write lock: another instance may have migrated meanwhile.
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _TooNew(
                f"The notes database was written by a newer termbrief (schema {version}, "
                f"this one knows {SCHEMA_VERSION}); opened read-only."
            )
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise
