"""A team note as a row of the server's notes table and back: the SQL text the PostgreSQL store
sends and the mapping between its rows and :class:`~termbrief.store.records.AuthoredNote`.

:mod:`termbrief.store.postgres` runs the queries; this module says which columns they read and
write, cleans what comes back from the server and checks what goes to it. Only the PostgreSQL
store imports this module. This module imports no Textual.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from typing import Any, Final

import psycopg

from termbrief.store.note_rows import checked_target
from termbrief.store.notes import Note, clean_text
from termbrief.store.records import VISIBILITIES, AuthoredNote, Visibility

__all__ = [
    "COLUMNS",
    "CONTENT",
    "INSERT",
    "ORDER",
    "REPLACE",
    "check_visibility",
    "note_fields",
    "results",
    "row_to_note",
]

COLUMNS: Final = (
    "id, brief_id, anchor, text, quote, created, updated, prefix, suffix, start, author,"
    " visibility, version, conflict_of"
)
"""What every query returning notes selects, in the order :func:`row_to_note` reads."""
# Byte order, as SQLite sorts: the database's collation must not change the order notes show in.
ORDER: Final = 'anchor COLLATE "C", created, id COLLATE "C"'
INSERT: Final = (
    "INSERT INTO termbrief.notes (id, brief_id, anchor, text, quote, created, updated, prefix,"
    " suffix, start, author, visibility, conflict_of) VALUES (%(id)s, %(brief_id)s, %(anchor)s,"
    " %(text)s, %(quote)s, %(created)s, %(updated)s, %(prefix)s, %(suffix)s, %(start)s,"
    " current_user, %(visibility)s, %(conflict_of)s)"
)
"""A note with its own id and times (restore, import, outbox); the author is always the role."""
REPLACE: Final = (
    "UPDATE termbrief.notes SET anchor = %(anchor)s, text = %(text)s, quote = %(quote)s,"
    " prefix = %(prefix)s, suffix = %(suffix)s, start = %(start)s, updated = %(updated)s,"
    " visibility = %(visibility)s WHERE id = %(id)s"
)
"""An imported or offline copy of a note over the server's (row-level security: own notes only)."""
CONTENT: Final = "anchor, text, quote, prefix, suffix, start, visibility"
"""What an offline change sets: the server already holding exactly this means it was sent."""


def row_to_note(row: tuple[Any, ...]) -> AuthoredNote:
    """The note a row of :data:`COLUMNS` holds, every text cleaned."""
    # Cleaned on the way in too, but a colleague with raw SQL writes what they like into team
    # notes: nothing read from the server reaches the terminal uncleaned.
    (note_id, brief_id, anchor, text, quote, created, updated, prefix, suffix, start,
     author, visibility, version, of) = row  # fmt: skip
    return AuthoredNote(
        clean_text(note_id),
        clean_text(brief_id),
        clean_text(anchor),
        clean_text(text),
        clean_text(quote),
        created.astimezone(UTC),
        updated.astimezone(UTC),
        clean_text(prefix),
        clean_text(suffix),
        start if start is None or start >= 0 else None,
        author=clean_text(author),
        visibility=visibility,
        version=int(version),
        conflict_of=None if of is None else clean_text(of),
    )


def check_visibility(visibility: str) -> Visibility:
    """``visibility`` if it is one the server knows.

    Raises:
        ValueError: it is not.
    """
    for known in VISIBILITIES:
        if visibility == known:
            return known
    raise ValueError(f"visibility must be one of {', '.join(VISIBILITIES)}, not {visibility!r}")


def note_fields(
    note: Note, default_visibility: Visibility, **override: object
) -> dict[str, object]:
    """The parameters of :data:`INSERT` and :data:`REPLACE` for ``note``, cleaned; a note
    without a visibility of its own gets ``default_visibility``.

    Raises:
        ValueError: the note's anchor is not valid.
    """
    target = checked_target(note)
    shown = note.visibility if isinstance(note, AuthoredNote) else default_visibility
    return {
        "id": clean_text(note.id),
        "brief_id": clean_text(note.brief_id),
        "anchor": str(target.anchor),
        "text": clean_text(note.text),
        "quote": target.exact,
        "prefix": target.prefix,
        "suffix": target.suffix,
        "start": target.start,
        "created": note.created,
        "updated": note.updated,
        "visibility": check_visibility(shown),
        "conflict_of": note.conflict_of if isinstance(note, AuthoredNote) else None,
        **override,
    }


def results(cursor: psycopg.Cursor[tuple[Any, ...]]) -> Iterator[bool]:
    """After ``executemany(..., returning=True)``: whether each statement returned a row."""
    while True:
        yield cursor.fetchone() is not None
        if not cursor.nextset():
            return
