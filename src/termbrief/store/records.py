"""The records every notes backend shares: a note with its author, a change seen live, an
offline change waiting for the server.

They live apart from :mod:`termbrief.store.backend` so that the PostgreSQL store and the outbox can
use them without importing the module that chooses between them (no import circle), and without
anyone importing psycopg. This module imports no Textual.
"""

from __future__ import annotations

import uuid
from typing import Final, Literal

import msgspec

from termbrief.store.notes import Note, NotesError

__all__ = [
    "VISIBILITIES",
    "AuthoredNote",
    "ChangeKind",
    "NoteChange",
    "NotesOffline",
    "PendingChange",
    "PushOutcome",
    "Visibility",
    "conflict_copy_id",
]

Visibility = Literal["private", "team"]
"""Who may read a note: only its author (``private``) or everyone on the team server (``team``)."""

VISIBILITIES: Final[tuple[Visibility, ...]] = ("private", "team")

ChangeKind = Literal["insert", "update", "delete", "changed", "offline", "online"]
"""What a :class:`NoteChange` reports: a note written, changed or deleted elsewhere; ``changed``
when the backend cannot tell what changed; ``offline``/``online`` when the server went away or
came back."""

PushOutcome = Literal["sent", "already", "conflict", "kept"]
"""What sending one offline change did: applied; already on the server (sent before); kept as a
conflict copy because the server's note changed meanwhile; or not applied because it was a
deletion of a note edited on the server since (the newer text is kept)."""

_CONFLICT_NAMESPACE: Final = uuid.UUID("1f0c3a52-6d0e-4c52-9d57-2f1b8d6e4a10")


class NotesOffline(NotesError):
    """The notes server cannot be reached (down, network gone, connection cut)."""


class AuthoredNote(Note, frozen=True, kw_only=True):
    """A note as a backend returns it: the stored note plus who wrote it and who may read it.

    It is a :class:`~termbrief.store.notes.Note`, so everything that shows or exports notes takes
    it unchanged.
    """

    author: str = ""
    """Who wrote the note: the database role on a team server, the local user name otherwise."""
    visibility: Visibility = "private"
    """``private`` (only its author reads it) or ``team``; notes on this computer are private."""
    version: int = 0
    """The server's version of the note, raised by the server on every change (0: not on a
    server). An offline edit remembers the version it was based on to detect conflicts."""
    conflict_of: str | None = None
    """For a conflict copy: the id of the note whose newer server text won; None otherwise."""

    @classmethod
    def of(
        cls,
        note: Note,
        *,
        author: str,
        visibility: Visibility = "private",
        version: int = 0,
        conflict_of: str | None = None,
    ) -> AuthoredNote:
        """``note`` with the given author and visibility (a plain :class:`Note` has neither)."""
        return cls(
            note.id,
            note.brief_id,
            note.anchor,
            note.text,
            note.quote,
            note.created,
            note.updated,
            note.prefix,
            note.suffix,
            note.start,
            author=author,
            visibility=visibility,
            version=version,
            conflict_of=conflict_of,
        )


class NoteChange(msgspec.Struct, frozen=True):
    """A change made by another reader, reported by ``wait_for_changes``."""

    kind: ChangeKind
    """What happened (see :data:`ChangeKind`)."""
    brief_id: str | None
    """The brief whose notes changed; None when the backend cannot say (another process wrote to a
    local store, or a private note changed: its brief is told to nobody but its author)."""
    note_id: str | None = None
    """The note that changed, when known."""
    author: str | None = None
    """Who made the change, when known."""


class PendingChange(msgspec.Struct, frozen=True):
    """A change written while the server could not be reached, waiting in the outbox."""

    note: AuthoredNote
    """The note as written offline; for a deletion, the note as last seen."""
    deleted: bool
    """Whether the change deletes the note."""
    base_version: int | None
    """The server version the first offline change of this note was based on; None for a note
    written offline (the server has never seen it)."""
    sequence: int
    """Order in the outbox; a newer change to the same note gets a new sequence."""


def conflict_copy_id(note: AuthoredNote) -> str:
    """The id of the conflict copy made when ``note`` (an offline edit) loses to a newer server
    edit. Derived from the edit, so sending the same outbox twice makes one copy, not two."""
    key = f"{note.id}\n{note.updated.isoformat()}\n{note.anchor}\n{note.text}"
    return uuid.uuid5(_CONFLICT_NAMESPACE, key).hex
