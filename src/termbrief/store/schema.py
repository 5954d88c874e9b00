"""The notes database as a file: its schema and migrations, the pragmas every connection
gets, what its columns may hold, and SQLite errors in words a user can act on.

:mod:`termbrief.store.notes` builds the store on top; nothing here knows what a note means.
This module imports no Textual.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from termbrief.store import recovery

__all__ = [
    "BUSY_TIMEOUT_MS",
    "COLUMNS",
    "COLUMNS_BEFORE_SELECTORS",
    "EARLIEST",
    "LATEST",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Damaged",
    "TooNew",
    "connect",
    "decode_text",
    "human",
    "is_damage",
    "migrate",
    "note_time",
    "prepare",
    "text_value",
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
    # 3: anchors down to the words. With the quote (the exact words), a little text before and
    # after them and where they began in their item, so a note is found again by its words when
    # the brief changes. Notes already stored keep their anchor (now a hint) and their quote; a
    # NULL start marks a quote written before selectors (a shortened line of the item's source
    # text), which re-anchoring reads as such (termbrief.core.annotation).
    """
    ALTER TABLE notes ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
    ALTER TABLE notes ADD COLUMN suffix TEXT NOT NULL DEFAULT '';
    ALTER TABLE notes ADD COLUMN start INTEGER;
    """,
    # 4 (drafts): the text of notes being written, kept until saved or discarded (issue 12).
    # note_id is '' for a new note: a primary key column cannot hold NULL in a WITHOUT ROWID table.
    """
    CREATE TABLE drafts (
        brief_id TEXT NOT NULL,
        anchor   TEXT NOT NULL,
        note_id  TEXT NOT NULL DEFAULT '',
        text     TEXT NOT NULL,
        updated  TEXT NOT NULL,
        PRIMARY KEY (brief_id, anchor, note_id)
    ) WITHOUT ROWID;
    """,
    # 5 (reading state, issue 14): the versions of briefs this user has seen, content-addressed
    # and compressed (termbrief.store.reading), and which one they last read. ``base`` names the
    # version whose content was zlib's preset dictionary for ``data`` (NULL: self-contained).
    # Rowid tables: a version's blob is better kept out of the key's b-tree.
    """
    CREATE TABLE brief_versions (
        version    TEXT PRIMARY KEY NOT NULL,
        brief_id   TEXT NOT NULL,
        base       TEXT,
        data       BLOB NOT NULL,
        size       INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen  TEXT NOT NULL
    );
    CREATE INDEX brief_versions_by_brief ON brief_versions (brief_id, last_seen);
    CREATE INDEX brief_versions_by_base ON brief_versions (base) WHERE base IS NOT NULL;
    CREATE TABLE reading (
        brief_id TEXT PRIMARY KEY NOT NULL,
        version  TEXT NOT NULL,
        read_at  TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 6 (drafts on words, issue 12): the words a new note's draft is on (a JSON text-quote
    # selector: exact, prefix, suffix, start), so a restored draft lands on them again; empty
    # for a draft on a whole item or of an existing note.
    """
    ALTER TABLE drafts ADD COLUMN target TEXT NOT NULL DEFAULT '';
    """,
)
"""Schema migrations; the database's ``user_version`` is how many of these it has run."""

SCHEMA_VERSION: Final = len(MIGRATIONS)

COLUMNS: Final = "id, brief_id, anchor, text, quote, created, updated, prefix, suffix, start"
"""The columns of the notes table, in the order rows are read and written."""
COLUMNS_BEFORE_SELECTORS: Final = "id, brief_id, anchor, text, quote, created, updated"
"""The columns of a notes table before migration 3 (to salvage a damaged old database)."""
_NOTE_COLUMNS: Final = frozenset(COLUMNS.split(", "))

# SQLite result codes (primary code = extended code & 0xff) that get a human message.
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


EARLIEST: Final = datetime(1970, 1, 1, tzinfo=UTC)
"""The earliest time a note may carry (the Unix epoch): no note was written before it."""
LATEST: Final = datetime(9999, 1, 1, tzinfo=UTC)
"""Notes must be written before this (exclusive): later times overflow ``datetime`` once shown
in a time zone east of UTC, as 0001-01-01 does west of it."""


def note_time(value: object) -> datetime:
    """``value`` (a ``datetime``, or ISO 8601 text with a time zone) as a UTC time that can be
    shown in any time zone.

    Raises:
        ValueError: ``value`` is not such a time; the message says why.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("not an ISO 8601 time such as 2024-09-10T08:30:00Z") from None
    if not isinstance(value, datetime):
        raise ValueError(f"a {type(value).__name__}, not a time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("no time zone; add one, e.g. Z for UTC")
    try:
        moment = value.astimezone(UTC)
    except OverflowError:
        moment = LATEST if value.year > 1 else EARLIEST - timedelta(days=1)
    if not EARLIEST <= moment < LATEST:
        raise ValueError(f"outside {EARLIEST.year}-{LATEST.year - 1}")
    return moment


def text_value(value: object) -> str:
    """A column value as text, whatever another program stored there (SQLite columns are not
    typed): binary data is decoded with U+FFFD for bytes that are not UTF-8."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def decode_text(data: bytes) -> str:
    """SQLite ``text_factory``: TEXT that is not UTF-8 (a tampered database) reads with U+FFFD
    instead of failing the whole query."""
    return data.decode("utf-8", "replace")


def _error_code(error: sqlite3.Error) -> int:
    return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def human(error: sqlite3.Error, path: Path | None) -> str:
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


def is_damage(error: sqlite3.Error) -> bool:
    """Whether ``error`` says the database file is damaged or not ours (recover it, do not
    merely open it read-only)."""
    return isinstance(error, Damaged) or _error_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


class TooNew(sqlite3.DatabaseError):
    """The database was written by a newer termbrief; never migrate it down."""


class Damaged(sqlite3.DatabaseError):
    """The database opened but its contents are not what we wrote (failed checks)."""


def connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves (see ``NotesStore._write``).
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )


def prepare(connection: sqlite3.Connection) -> None:
    """Check the pages, set the durability pragmas, migrate, and check the table is ours."""
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    damage = recovery.damage_of(connection)
    if damage is not None:
        raise Damaged(f"the database's pages are damaged: {damage}")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"cannot use the WAL journal (got {mode})")
    connection.execute("PRAGMA synchronous = FULL")
    migrate(connection)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(notes)")}
    if not columns.issuperset(_NOTE_COLUMNS):
        raise Damaged("the notes table does not have the expected columns")


def migrate(connection: sqlite3.Connection) -> None:
    """Run the migrations the database lacks, in one transaction."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Re-read inside the write lock: another instance may have migrated meanwhile.
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise TooNew(
                f"The notes database was written by a newer termbrief (schema {version}, "
                f"this one knows {SCHEMA_VERSION}); opened read-only."
            )
        if version < 0:
            raise Damaged(f"schema version {version} is not one termbrief writes")
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
