"""Reading state: which version of each brief this user last read, and the versions seen.

Kept in the notes database, through the notes store's own transactions
(:attr:`termbrief.store.notes.NotesStore.reading`): the same file, lock, durability (WAL,
``synchronous=FULL``) and read-only rules as notes, so a failure is a ``NotesError`` with a
message for the user, never a crash.

A **version** is a brief's content as loaded (its model, encoded with msgpack), not the bytes of
its file: a new comment or other layout in the YAML is the same version. Versions are
content-addressed (BLAKE2b of the encoding) and stored once however often they are seen,
compressed with zlib. A version of a small brief is compressed with the brief's latest
self-contained version as zlib's preset dictionary, so an edit costs little more than the words
it changed; such a base is always self-contained itself, so reading any version decompresses at
most two. ``keep`` caps how many versions each brief keeps (newest seen first); the version last
read is never pruned, since it is what "changed since you read it" compares with.

This module imports no Textual.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final, Literal

import msgspec

from termbrief.core.model import Brief, decode_hook, encode_hook
from termbrief.core.text import strip_controls
from termbrief.store import schema

if TYPE_CHECKING:
    from termbrief.core.diff import BriefDiff

__all__ = [
    "ChangesSince",
    "ReadMark",
    "ReadingStatus",
    "ReadingStore",
    "StoredVersion",
    "encode_version",
    "reading_status",
    "version_id",
]

Write = Callable[[], AbstractContextManager[sqlite3.Connection]]
"""Opens one write transaction of the notes store (raises its ``NotesError`` on failure)."""
Read = Callable[[str, tuple[object, ...]], list[tuple[object, ...]]]
"""Runs one query on the notes store (raises its ``NotesError`` on failure)."""

ReadingStatus = Literal["unread", "changed", "read"]
"""``unread``: never read; ``changed``: read, but the brief changed since; ``read``: as read."""

DELTA_LIMIT: Final = 256 * 1024
"""Versions larger than this (encoded) are stored self-contained: zlib's preset dictionary only
reaches back 32 KB, so a large base saves little and costs a second compression."""
_DELTA_SHARE: Final = 0.5
"""A delta is kept only if it is at most this share of the self-contained size; otherwise the
version is stored whole and becomes the base of the next ones."""
_LEVEL: Final = 9


def encode_version(brief: Brief) -> bytes:
    """``brief``'s content as stored (msgpack of the model).

    Raises:
        ValueError: the brief holds a value msgpack cannot (a number beyond 64 bits).
    """
    try:
        return msgspec.msgpack.encode(brief, enc_hook=encode_hook)
    except (msgspec.MsgspecError, OverflowError, TypeError) as error:
        raise ValueError(f"this brief cannot be stored as a version: {error}") from None


def _digest(payload: bytes) -> str:
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def version_id(brief: Brief) -> str:
    """The id of ``brief``'s content: equal for equal content, whatever the file looks like.

    Raises:
        ValueError: as :func:`encode_version`.
    """
    return _digest(encode_version(brief))


class ReadMark(msgspec.Struct, frozen=True):
    """When this user last read a brief, and which version."""

    brief_id: str
    """The brief's id."""
    version: str
    """The id of the version read (:func:`version_id`)."""
    read_at: datetime
    """When it counted as read (UTC)."""


class StoredVersion(msgspec.Struct, frozen=True):
    """One stored version of a brief (without its content)."""

    version: str
    """Its id (:func:`version_id`)."""
    brief_id: str
    """The brief's id."""
    first_seen: datetime
    """When it was first recorded (UTC)."""
    last_seen: datetime
    """When it was last recorded (UTC)."""
    size: int
    """Bytes of the encoded content."""
    stored: int
    """Bytes it takes in the database (compressed)."""


class ChangesSince(msgspec.Struct, frozen=True):
    """What changed in a brief since this user last read it."""

    mark: ReadMark
    """When they read it, and which version."""
    old: Brief
    """The version they read."""
    new: Brief
    """The version now."""
    diff: BriefDiff
    """The changes from ``old`` to ``new`` (not empty)."""

    def headline(self, today: datetime | None = None) -> str:
        """``Changed since you read it on 2 Dec: 2 figures changed, 1 actor added`` (the
        year too when it is not this year's; ``today``: for tests)."""
        when = self.mark.read_at.astimezone()
        now = (today or datetime.now(UTC)).astimezone()
        day = f"{when.day} {when:%b}" + ("" if when.year == now.year else f" {when.year}")
        return f"Changed since you read it on {day}: {self.diff.summary()}"


def reading_status(version: str, mark: ReadMark | None) -> ReadingStatus:
    """Whether the brief at ``version`` is unread, changed since ``mark``, or read as it is."""
    if mark is None:
        return "unread"
    return "read" if mark.version == version else "changed"


def _time(value: object) -> datetime:
    try:
        return schema.note_time(schema.text_value(value))
    except ValueError:
        return schema.EARLIEST  # a tampered value: shown as the earliest time, not a crash


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _decompress(data: bytes, base: bytes | None) -> bytes:
    inflater = zlib.decompressobj(zdict=base) if base else zlib.decompressobj()
    return inflater.decompress(data) + inflater.flush()


_CONTENT: Final = (
    "SELECT v.data, v.base, b.data FROM brief_versions v "
    "LEFT JOIN brief_versions b ON b.version = v.base WHERE v.version = ?"
)
"""A version's data, the id of its base and the base's data (NULL if self-contained)."""


def _unpack(version: str, row: tuple[object, ...] | None) -> bytes | None:
    """The content of ``version`` from its :data:`_CONTENT` row; None if it cannot be read
    back as it was stored (its base gone, damaged data)."""
    if row is None:
        return None
    data, base_id, base_data = row
    if not isinstance(data, bytes) or (base_id is not None and not isinstance(base_data, bytes)):
        return None
    try:
        base = _decompress(base_data, None) if isinstance(base_data, bytes) else None
        payload = _decompress(data, base)
    except zlib.error:
        return None
    return payload if _digest(payload) == version else None


def _read_kept(conn: sqlite3.Connection, brief_id: object) -> int:
    """1 when the brief's version last read is stored (it counts towards those kept), else 0."""
    row = conn.execute(
        "SELECT 1 FROM reading r JOIN brief_versions v ON v.version = r.version "
        "WHERE r.brief_id = ?",
        (brief_id,),
    ).fetchone()
    return 0 if row is None else 1


def _compress(payload: bytes, base: bytes | None = None) -> bytes:
    deflater = zlib.compressobj(_LEVEL, zdict=base) if base else zlib.compressobj(_LEVEL)
    return deflater.compress(payload) + deflater.flush()


class ReadingStore:
    """The reading state and versions of one notes database; use :attr:`NotesStore.reading`.
    Safe to share between threads (the notes store serialises its transactions)."""

    def __init__(self, write: Write, read: Read) -> None:
        """Reading state written and read through the notes store's transactions."""
        self._write = write
        self._read = read

    # ---------------------------------------------------------------- versions

    def record(self, brief: Brief, *, keep: int | None = None, now: datetime | None = None) -> str:
        """Keep ``brief``'s content as a version (once), note it was seen now, and prune the
        brief's versions beyond ``keep`` (None: keep all); returns the version's id.

        Raises:
            NotesError: it could not be saved (read-only, disk full, locked...).
            ValueError: the brief cannot be stored (see :func:`encode_version`).
        """
        payload = encode_version(brief)
        with self._write() as conn:
            version = self._store_version(conn, brief.id, payload, now or datetime.now(UTC))
            if keep is not None:
                self._prune(conn, brief.id, keep)
        return version

    def _store_version(
        self, conn: sqlite3.Connection, brief_id: str, payload: bytes, now: datetime
    ) -> str:
        version = _digest(payload)
        stamp = _stamp(now)
        seen = conn.execute(
            "UPDATE brief_versions SET last_seen = ? WHERE version = ?", (stamp, version)
        )
        if seen.rowcount:
            return version
        base_id, data = None, _compress(payload)
        if len(payload) <= DELTA_LIMIT:
            row = conn.execute(
                "SELECT version, data FROM brief_versions WHERE brief_id = ? AND base IS NULL "
                "AND size <= ? ORDER BY first_seen DESC LIMIT 1",
                (brief_id, DELTA_LIMIT),
            ).fetchone()
            if row is not None:
                try:
                    base = _decompress(bytes(row[1]), None)
                except (zlib.error, TypeError):
                    base = None  # a damaged base: store this version whole
                if base is not None:
                    delta = _compress(payload, base)
                    if len(delta) <= len(data) * _DELTA_SHARE:
                        base_id, data = row[0], delta
        conn.execute(
            "INSERT INTO brief_versions (version, brief_id, base, data, size, first_seen, "
            "last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (version, brief_id, base_id, data, len(payload), stamp, stamp),
        )
        return version

    def content(self, version: str) -> bytes | None:
        """The encoded content of a stored version; None if it is not stored or unreadable.

        Raises:
            NotesError: the database could not be read.
        """
        rows = self._read(_CONTENT, (version,))
        return _unpack(version, rows[0]) if rows else None

    def version(self, version: str) -> Brief | None:
        """A stored version as a brief; None if it is not stored or cannot be read back.

        Raises:
            NotesError: the database could not be read.
        """
        payload = self.content(version)
        if payload is None:
            return None
        try:
            return msgspec.msgpack.decode(payload, type=Brief, dec_hook=decode_hook)
        except (msgspec.MsgspecError, ValueError, TypeError):
            return None  # written by a termbrief whose model differed too much

    def versions(self, brief_id: str) -> list[StoredVersion]:
        """The stored versions of a brief, newest seen first.

        Raises:
            NotesError: the database could not be read.
        """
        rows = self._read(
            "SELECT version, brief_id, first_seen, last_seen, size, length(data) "
            "FROM brief_versions WHERE brief_id = ? ORDER BY last_seen DESC, first_seen DESC",
            (brief_id,),
        )
        return [
            StoredVersion(
                strip_controls(schema.text_value(version)),
                strip_controls(schema.text_value(brief)),
                _time(first),
                _time(last),
                _int(size),
                _int(stored),
            )
            for version, brief, first, last, size, stored in rows
        ]

    # ---------------------------------------------------------------- reading state

    def mark_read(self, brief: Brief, *, now: datetime | None = None) -> ReadMark:
        """Record ``brief`` as read now, at its current version (stored if new).

        Raises:
            NotesError: it could not be saved.
            ValueError: the brief cannot be stored (see :func:`encode_version`).
        """
        return self.mark_all_read([brief], now=now)[0]

    def mark_all_read(
        self, briefs: Iterable[Brief], *, now: datetime | None = None
    ) -> list[ReadMark]:
        """Record every brief of ``briefs`` as read, in one transaction; one mark each.

        Raises:
            NotesError: nothing could be saved.
            ValueError: a brief cannot be stored; nothing is saved.
        """
        moment = now or datetime.now(UTC)
        payloads = [(brief.id, encode_version(brief)) for brief in briefs]
        marks = []
        with self._write() as conn:
            for brief_id, payload in payloads:
                version = self._store_version(conn, brief_id, payload, moment)
                conn.execute(
                    "INSERT OR REPLACE INTO reading (brief_id, version, read_at) VALUES (?, ?, ?)",
                    (brief_id, version, _stamp(moment)),
                )
                marks.append(ReadMark(brief_id, version, moment))
        return marks

    def last_read(self, brief_id: str) -> ReadMark | None:
        """When and at which version this user last read the brief; None if never.

        Raises:
            NotesError: the database could not be read.
        """
        rows = self._read(
            "SELECT brief_id, version, read_at FROM reading WHERE brief_id = ?", (brief_id,)
        )
        return self._mark(rows[0]) if rows else None

    def marks(self) -> dict[str, ReadMark]:
        """The reading mark of every brief read, by brief id.

        Raises:
            NotesError: the database could not be read.
        """
        rows = self._read("SELECT brief_id, version, read_at FROM reading", ())
        return {mark.brief_id: mark for mark in map(self._mark, rows)}

    @staticmethod
    def _mark(row: tuple[object, ...]) -> ReadMark:
        brief_id, version, read_at = row
        return ReadMark(
            strip_controls(schema.text_value(brief_id)),
            strip_controls(schema.text_value(version)),
            _time(read_at),
        )

    def since_read(self, brief: Brief) -> tuple[ReadMark, Brief | None] | None:
        """The mark of ``brief`` and the version then read (None if it can no longer be read
        back), when the brief changed since it was read; None when unread or unchanged.

        Raises:
            NotesError: the database could not be read.
            ValueError: as :func:`version_id`.
        """
        mark = self.last_read(brief.id)
        if mark is None or mark.version == version_id(brief):
            return None
        return mark, self.version(mark.version)

    # ---------------------------------------------------------------- pruning

    def gc(self, keep: int | None = None) -> int:
        """Remove the versions beyond ``keep`` per brief (None: only those no longer usable:
        a version whose base is gone); returns how many were removed. The version last read
        is always kept.

        Raises:
            NotesError: nothing could be pruned.
            ValueError: ``keep`` is below 1.
        """
        if keep is not None and keep < 1:
            raise ValueError("keep at least 1 version per brief")
        with self._write() as conn:
            before = conn.execute("SELECT count(*) FROM brief_versions").fetchone()[0]
            conn.execute(
                "DELETE FROM brief_versions WHERE base IS NOT NULL AND base NOT IN "
                "(SELECT version FROM brief_versions)"
            )
            if keep is not None:
                for (brief_id,) in conn.execute(
                    "SELECT DISTINCT brief_id FROM brief_versions"
                ).fetchall():
                    self._prune(conn, brief_id, keep)
            after = conn.execute("SELECT count(*) FROM brief_versions").fetchone()[0]
        return int(before) - int(after)

    def _prune(self, conn: sqlite3.Connection, brief_id: object, keep: int) -> None:
        """Delete ``brief_id``'s versions beyond the ``keep`` newest seen (and the one last
        read); versions compressed against a deleted one are first stored whole."""
        if keep < 1:
            raise ValueError("keep at least 1 version per brief")
        doomed = [
            row[0]
            for row in conn.execute(
                "SELECT version FROM brief_versions WHERE brief_id = ? AND version NOT IN "
                "(SELECT version FROM reading WHERE brief_id = ?) "
                "ORDER BY last_seen DESC, first_seen DESC LIMIT -1 OFFSET ?",
                (brief_id, brief_id, keep - _read_kept(conn, brief_id)),
            )
        ]
        if not doomed:
            return
        marks = ",".join("?" * len(doomed))
        dependants = conn.execute(
            f"SELECT version FROM brief_versions WHERE base IN ({marks}) "
            f"AND version NOT IN ({marks})",
            (*doomed, *doomed),
        ).fetchall()
        for (version,) in dependants:
            payload = _unpack(version, conn.execute(_CONTENT, (version,)).fetchone())
            if payload is None:
                doomed.append(version)  # unreadable already: nothing to keep
                continue
            conn.execute(
                "UPDATE brief_versions SET base = NULL, data = ? WHERE version = ?",
                (_compress(payload), version),
            )
        marks = ",".join("?" * len(doomed))
        conn.execute(f"DELETE FROM brief_versions WHERE version IN ({marks})", doomed)
