"""What the team store knows while the PostgreSQL server is away: the notes last read from it and
the outbox of changes made since, laid over them.

:class:`OfflineCopy` answers the team store's reads offline and holds the outbox its writes go to;
:func:`server_key` names the server, database and role a URL points at, so each gets an outbox of
its own. Only :mod:`termbrief.store.team` imports this module. This module imports no Textual.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Final

import psycopg
from psycopg.conninfo import conninfo_to_dict

from termbrief.store.notes import NotesError, clean_text
from termbrief.store.outbox import Outbox
from termbrief.store.records import AuthoredNote

__all__ = ["OfflineCopy", "server_key"]

_MISSING: Final = "That note no longer exists (it may have been deleted elsewhere)."


def _order(note: AuthoredNote) -> tuple[str, str, datetime, str]:
    """The order the server lists notes in: brief, anchor, creation time, id."""
    return (note.brief_id, note.anchor, note.created, note.id)


def server_key(url: str) -> tuple[str, str]:
    """(a key naming the server, database and role, the role) from a libpq URL."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise NotesError(f"The notes URL cannot be read: {error}") from None
    user = clean_text(str(info.get("user") or os.environ.get("PGUSER") or getpass.getuser()))
    parts = [str(info.get(key) or "") for key in ("host", "hostaddr", "port", "dbname")]
    return "\n".join([*parts, user]), user


class OfflineCopy:
    """The notes seen online and the outbox (opened on first use). Not locked: the team store
    calls it under its own lock."""

    def __init__(self, outbox_file: Path) -> None:
        """``outbox_file``: where the outbox of this server and role lives."""
        self._outbox_file = outbox_file
        self._outbox: Outbox | None = None
        self._seen: dict[str, AuthoredNote] = {}
        """The notes last read from (or saved through) the server, by id."""

    def box(self) -> Outbox:
        """The outbox, opened (and created) on first use."""
        if self._outbox is None:
            self._outbox = Outbox.open(self._outbox_file)
        return self._outbox

    def has_outbox(self) -> bool:
        """Whether an outbox is open or exists on disk (so there may be something to send)."""
        return self._outbox is not None or self._outbox_file.exists()

    def left(self) -> int:
        """How many changes wait in the outbox (0 when there is none on disk)."""
        return len(self.box()) if self._outbox_file.exists() else 0

    def remember(self, notes: Iterable[AuthoredNote], brief_id: str | None) -> None:
        """Replace what was seen of one brief (of every brief when ``brief_id`` is None)."""
        if brief_id is None:
            self._seen.clear()
        else:
            for note_id in [k for k, n in self._seen.items() if n.brief_id == brief_id]:
                del self._seen[note_id]
        self._seen.update((note.id, note) for note in notes)

    def keep(self, note: AuthoredNote) -> None:
        """Remember one note just saved (online or to the outbox)."""
        self._seen[note.id] = note

    def forget(self, note_id: str) -> None:
        """Forget a note the server just deleted."""
        self._seen.pop(note_id, None)

    def merged(self) -> dict[str, AuthoredNote]:
        """Offline view: the notes seen online with the outbox's changes laid over them."""
        notes = dict(self._seen)
        if self.has_outbox():
            for change in self.box().pending():
                if change.deleted:
                    notes.pop(change.note.id, None)
                else:
                    notes[change.note.id] = change.note
        return notes

    def notes_for(self, brief_id: str) -> list[AuthoredNote]:
        """The offline notes of one brief, in the server's order."""
        return sorted((n for n in self.merged().values() if n.brief_id == brief_id), key=_order)

    def all_notes(self) -> list[AuthoredNote]:
        """Every offline note, in the server's order."""
        return sorted(self.merged().values(), key=_order)

    def briefs_with_notes(self) -> set[str]:
        """Ids of the briefs with an offline note."""
        return {note.brief_id for note in self.merged().values()}

    def authors_by_brief(self) -> dict[str, set[str]]:
        """Who wrote the offline notes, by brief id."""
        found: dict[str, set[str]] = {}
        for note in self.merged().values():
            found.setdefault(note.brief_id, set()).add(note.author)
        return found

    def mine(self, note_id: str, author: str) -> AuthoredNote:
        """The offline note ``note_id``, which ``author`` may change.

        Raises:
            NotesError: there is no such note, or someone else wrote it.
        """
        current = self.merged().get(note_id)
        if current is None:
            raise NotesError(_MISSING)
        if current.author != author:
            raise NotesError(f"Only {current.author} can change or delete that note.")
        return current

    def base(self, note: AuthoredNote) -> int | None:
        """The server version an offline change of ``note`` is based on (see PendingChange)."""
        pending = self.box().get(note.id)
        if pending is not None:
            return pending.base_version
        seen = self._seen.get(note.id)
        return seen.version if seen is not None and seen.version else None

    def close(self) -> None:
        """Close the outbox if it is open (idempotent); it reopens on next use."""
        if self._outbox is not None:
            self._outbox.close()
            self._outbox = None
