"""Drafts: the text of notes being written, kept in the notes database until the note is saved
or deliberately discarded, so that no way out of the reader (a quit, a closed terminal, a crash,
``kill -9``) loses what was typed.

A draft is keyed by :class:`DraftKey`: the brief, the anchor, and the note being edited (none for
a new note); saving a draft again replaces it. The ``drafts`` table lives in the notes database
(created by a migration in :mod:`termbrief.store.schema`) and is written through the notes
store's own transactions (:attr:`termbrief.store.notes.NotesStore.drafts`): one connection, one
lock, the same durability and the same read-only rules, and writing a draft does not look like a
change of notes to the connection that wrote it (``PRAGMA data_version``).

This module imports no Textual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Final

import msgspec

from termbrief.core.anchors import Anchor
from termbrief.core.annotation import Target
from termbrief.core.text import strip_controls
from termbrief.store import schema

__all__ = ["Draft", "DraftKey", "DraftStore"]

Write = Callable[[], AbstractContextManager[sqlite3.Connection]]
"""Opens one write transaction of the notes store (raises its ``NotesError`` on failure)."""
Read = Callable[[str, tuple[object, ...]], list[tuple[object, ...]]]
"""Runs one query on the notes store (raises its ``NotesError`` on failure)."""

_COLUMNS: Final = "brief_id, anchor, note_id, text, updated, target"
_NEW_NOTE: Final = ""
"""``note_id`` as stored for the draft of a new note (key columns cannot be NULL)."""


class DraftKey(msgspec.Struct, frozen=True):
    """Which note a draft is for."""

    brief_id: str
    """The id of the brief the note is on."""
    anchor: str
    """Where the note attaches in the brief (an anchor string, :mod:`termbrief.core.anchors`)."""
    note_id: str | None = None
    """The note being edited; None while writing a new note."""


class Draft(msgspec.Struct, frozen=True):
    """The unsaved text of one note."""

    key: DraftKey
    """Which note it is for."""
    text: str
    """The text as typed (control characters other than tab and newline removed)."""
    updated: datetime
    """When it was last saved (UTC)."""
    target: Target | None = None
    """The words a new note's draft is on (its anchor is the key's); None for a draft on a
    whole item, or of an existing note."""


class _Words(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A target's words as the ``target`` column keeps them (JSON)."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None


def _encode_target(target: Target | None) -> str:
    if target is None:
        return ""
    words = _Words(target.exact, target.prefix, target.suffix, target.start)
    return msgspec.json.encode(words).decode()


def _decode_target(anchor: str, stored: str) -> Target | None:
    """The target kept with a draft; None when there is none or it cannot be read back (a
    damaged or foreign value: the draft then lands on its whole item, its text kept)."""
    if not stored:
        return None
    try:
        words = msgspec.json.decode(stored, type=_Words)
        place = Anchor.parse(anchor)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
        return None
    if words.start is not None and not 0 <= words.start <= 10**9:
        return None
    return Target(
        place,
        strip_controls(words.exact),
        strip_controls(words.prefix),
        strip_controls(words.suffix),
        words.start,
    )


def _decode(row: tuple[object, ...]) -> Draft:
    """A stored row as a draft that is safe to show: we only write clean text and valid times,
    so anything else came from another program or from damage and is repaired, not refused."""
    brief_id, anchor, note_id, text, updated, target = (schema.text_value(value) for value in row)
    try:
        moment = schema.note_time(updated)
    except ValueError:
        moment = schema.EARLIEST
    note = strip_controls(note_id)
    anchor = strip_controls(anchor)
    return Draft(
        DraftKey(strip_controls(brief_id), anchor, note or None),
        strip_controls(text),
        moment,
        _decode_target(anchor, target) if not note else None,
    )


class DraftStore:
    """The drafts of one notes database; use :attr:`NotesStore.drafts`. Safe to share between
    threads (the notes store serialises its transactions)."""

    def __init__(self, write: Write, read: Read) -> None:
        """Drafts written and read through the notes store's transactions."""
        self._write = write
        self._read = read

    def save(self, key: DraftKey, text: str, target: Target | None = None) -> Draft:
        """Keep ``text`` as the draft of ``key`` (replacing any earlier one) once committed;
        ``target``: the words a new note is on, if not its whole item.

        Raises:
            NotesError: the draft could not be saved (read-only, disk full, locked...).
            ValueError: the key has an empty brief id or an invalid anchor.
        """
        if not key.brief_id:
            raise ValueError("a draft needs a brief id")
        Anchor.parse(key.anchor)
        words = target if key.note_id is None else None
        draft = Draft(key, strip_controls(text), datetime.now(UTC), words)
        with self._write() as conn:
            conn.execute(
                f"INSERT OR REPLACE INTO drafts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key.brief_id,
                    key.anchor,
                    key.note_id or _NEW_NOTE,
                    draft.text,
                    draft.updated.isoformat(timespec="microseconds"),
                    _encode_target(words),
                ),
            )
        return draft

    def get(self, key: DraftKey) -> Draft | None:
        """The draft of ``key``, if one is kept.

        Raises:
            NotesError: the database could not be read.
        """
        rows = self._read(
            f"SELECT {_COLUMNS} FROM drafts WHERE brief_id = ? AND anchor = ? AND note_id = ?",
            (key.brief_id, key.anchor, key.note_id or _NEW_NOTE),
        )
        return _decode(rows[0]) if rows else None

    def for_brief(self, brief_id: str) -> list[Draft]:
        """Every draft on a brief, oldest first.

        Raises:
            NotesError: the database could not be read.
        """
        rows = self._read(
            f"SELECT {_COLUMNS} FROM drafts WHERE brief_id = ? ORDER BY updated, anchor, note_id",
            (brief_id,),
        )
        return [_decode(row) for row in rows]

    def all(self) -> list[Draft]:
        """Every draft, by brief, oldest first.

        Raises:
            NotesError: the database could not be read.
        """
        rows = self._read(f"SELECT {_COLUMNS} FROM drafts ORDER BY brief_id, updated", ())
        return [_decode(row) for row in rows]

    def discard(self, key: DraftKey) -> bool:
        """Delete the draft of ``key`` (the note was saved, or deliberately thrown away);
        whether there was one.

        Raises:
            NotesError: the deletion could not be saved.
        """
        with self._write() as conn:
            cursor = conn.execute(
                "DELETE FROM drafts WHERE brief_id = ? AND anchor = ? AND note_id = ?",
                (key.brief_id, key.anchor, key.note_id or _NEW_NOTE),
            )
            return cursor.rowcount > 0
