"""One notes interface, two backends: the SQLite file of one user (the default) or a team's
PostgreSQL server.

:class:`NotesBackend` is what the reader and the command line use; :func:`open_store` picks the
backend from a notes URL, and :func:`resolve_notes_url` says which URL applies:
``--notes-url`` > ``TERMBRIEF_NOTES_URL`` > ``notes_url`` in ``config.toml`` > none (SQLite in the
data folder).

- nothing, or ``sqlite://`` + a path (``sqlite:///home/me/notes``): the SQLite store in that folder
  (or in the data folder), as before. Its notes are the local user's and private.
- ``postgresql://`` or ``postgres://`` (any libpq URL): the team server, through the offline-first
  store (:class:`termbrief.store.team.OfflineFirstNotes`), which keeps notes in a local outbox
  while the server cannot be reached. psycopg is imported only then.

This module imports no Textual and no psycopg.
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Final, Protocol, Self, runtime_checkable

from termbrief.store.drafts import DraftStore
from termbrief.store.notes import Note, NotesError, NotesStore, Target
from termbrief.store.notes_url import (
    NOTES_URL_VARIABLE,
    NotesUrlError,
    describe_url,
    is_team_url,
    resolve_notes_url,
    sqlite_folder,
)
from termbrief.store.reading import ReadingStore
from termbrief.store.records import AuthoredNote, NoteChange, Visibility

__all__ = [
    "NOTES_URL_VARIABLE",
    "NotesBackend",
    "SqliteNotes",
    "describe_url",
    "local_author",
    "open_store",
    "resolve_notes_url",
    "sqlite_folder",
]

_POLL_S: Final = 0.25
"""How often the SQLite store looks for another process's writes while waiting for changes."""


@runtime_checkable
class NotesBackend(Protocol):
    """What every notes store offers the reader and the command line.

    Notes carry globally unique text ids, so they keep their identity across export, import and
    backends. Methods raise :class:`~termbrief.store.notes.NotesError` with a message fit for the
    user when a change cannot be saved, and ``ValueError`` for an invalid anchor or empty brief id.
    """

    @property
    def author(self) -> str:
        """Who this store writes as (the author of new notes)."""
        ...

    @property
    def read_only_reason(self) -> str | None:
        """Why nothing can be saved; None when saving works."""
        ...

    @property
    def offline_reason(self) -> str | None:
        """Why the team server is not used right now (notes go to the outbox); None if online
        or not a team store."""
        ...

    @property
    def recovered_backup(self) -> Path | None:
        """Where a damaged local database was moved at open; None if none was."""
        ...

    @property
    def default_visibility(self) -> Visibility:
        """The visibility of a new note when none is given (``private`` on this computer)."""
        ...

    @property
    def shared(self) -> bool:
        """Whether colleagues may read notes here (a team server): notes then show their author
        and may be private or for the team."""
        ...

    @property
    def drafts(self) -> DraftStore:
        """The drafts of notes being written; always kept on this computer, never shared."""
        ...

    @property
    def reading(self) -> ReadingStore:
        """What this user has read, and the versions seen; kept on this computer."""
        ...

    def problems(self) -> list[str]:
        """What was wrong with the notes read so far (values no termbrief writes), each once;
        the notes came back repaired."""
        ...

    def notes_for(self, brief_id: str) -> list[AuthoredNote]:
        """Every note of a brief this user may read, ordered by anchor then creation time."""
        ...

    def counts_by_anchor(self, brief_id: str) -> dict[str, int]:
        """How many readable notes each anchor of a brief holds (anchors without notes absent)."""
        ...

    def briefs_with_notes(self) -> set[str]:
        """Ids of every brief with at least one readable note."""
        ...

    def authors_by_brief(self) -> dict[str, set[str]]:
        """Who wrote the readable notes, by brief id (briefs without notes absent)."""
        ...

    def all_notes(self) -> list[AuthoredNote]:
        """Every readable note, ordered by brief, anchor and creation time."""
        ...

    def get(self, note_id: str) -> AuthoredNote | None:
        """The note with this id, if it exists and may be read."""
        ...

    def data_version(self) -> int:
        """A number that changes when notes were changed elsewhere (cheap change detection)."""
        ...

    def add(
        self,
        brief_id: str,
        anchor: str | Target,
        text: str,
        quote: str = "",
        *,
        visibility: Visibility | None = None,
    ) -> AuthoredNote:
        """Save a new note on ``anchor`` (a :class:`~termbrief.core.annotation.Target`, or an
        anchor's stored form with the item's ``quote``); ``text`` may be empty (a highlight);
        ``visibility`` None: the store's default. Returns it once saved."""
        ...

    def update(self, note_id: str, text: str) -> AuthoredNote:
        """Replace the text of one of this user's notes."""
        ...

    def reattach(self, note_id: str, anchor: str | Target, quote: str = "") -> AuthoredNote:
        """Move one of this user's notes to another target (as for :meth:`add`), or accept
        where re-anchoring found it."""
        ...

    def set_visibility(self, note_id: str, visibility: Visibility) -> AuthoredNote:
        """Make one of this user's notes private or visible to the team."""
        ...

    def delete(self, note_id: str) -> AuthoredNote:
        """Delete one of this user's notes; returns it so the caller can offer undo."""
        ...

    def restore(self, note: Note) -> None:
        """Put back a deleted note with its id, times and anchor."""
        ...

    def import_notes(self, notes: Iterable[Note]) -> int:
        """Merge notes idempotently by id (an older copy never overwrites a newer one); returns
        how many were added or changed."""
        ...

    def wait_for_changes(self, timeout: float) -> list[NoteChange]:
        """Block until notes change elsewhere or ``timeout`` seconds pass (then ``[]``); for a
        worker thread of the reader."""
        ...

    def close(self) -> None:
        """Release the store (idempotent)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


# --------------------------------------------------------------------------- choosing a backend


def local_author(configured: str | None = None) -> str:
    """The local user's name for notes: ``[user] name`` from config.toml if given (the caller
    reads it), else the login name."""
    if configured and configured.strip():
        return configured.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "me"


def open_store(
    url: str | None,
    data_dir: Path | None = None,
    *,
    author: str | None = None,
    default_visibility: Visibility = "team",
) -> NotesBackend:
    """Open the notes store a URL names (see the module docstring).

    Args:
        url: the resolved notes URL (:func:`resolve_notes_url`); None for the default.
        data_dir: the data folder (``--data-dir``): the SQLite file, or the team outbox.
        author: ``[user] name`` from config.toml, for local notes (a server uses the role).
        default_visibility: visibility of new notes on a team server (a per-user setting).

    Raises:
        NotesError: the URL is not one termbrief understands, psycopg is missing for a
            PostgreSQL URL, or the server refused the connection (an unreachable server is not
            an error: the store works offline and says so in ``offline_reason``).
    """
    if url is None or not url.strip():
        return SqliteNotes(NotesStore.open(data_dir), local_author(author))
    scheme = url.partition(":")[0].lower()
    if scheme == "sqlite":
        try:
            folder = sqlite_folder(url, data_dir)
        except NotesUrlError as error:
            raise NotesError(str(error)) from None
        return SqliteNotes(NotesStore.open(folder), local_author(author))
    if not is_team_url(url):
        raise NotesError(
            f"Unknown notes URL {describe_url(url)!r}: use sqlite:///FOLDER or "
            "postgresql://USER@HOST/DATABASE."
        )
    try:
        from termbrief.store import team
    except ImportError as error:
        if error.name is None or not error.name.startswith("psycopg"):
            raise
        raise NotesError(
            "Team notes need psycopg: install termbrief with the team extra "
            "(pip install 'termbrief[team]')."
        ) from None
    return team.OfflineFirstNotes.open(url, data_dir, default_visibility=default_visibility)


# --------------------------------------------------------------------------- SQLite


class SqliteNotes:
    """The SQLite store behind :class:`NotesBackend`: the notes of the local user, all private."""

    offline_reason: None = None
    """Always None: there is no server to be away."""
    default_visibility: Visibility = "private"
    """Always private: notes on this computer are the local user's."""
    shared: bool = False
    """Always False: nobody else reads this file."""

    def __init__(self, store: NotesStore, author: str) -> None:
        """Wrap an open store; ``author`` is the local user's name."""
        self.store = store
        """The SQLite store underneath (for what only it offers)."""
        self.author = author
        """The local user: the author of every note here."""
        self._seen_version = store.data_version()

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for a store that could not be opened at all)."""
        return self.store.path

    @property
    def read_only_reason(self) -> str | None:
        return self.store.read_only_reason

    @property
    def recovered_backup(self) -> Path | None:
        return self.store.recovered_backup

    @property
    def drafts(self) -> DraftStore:
        return self.store.drafts

    @property
    def reading(self) -> ReadingStore:
        return self.store.reading

    def problems(self) -> list[str]:
        return self.store.problems()

    def _authored(self, note: Note) -> AuthoredNote:
        return AuthoredNote.of(note, author=self.author)

    def notes_for(self, brief_id: str) -> list[AuthoredNote]:
        return [self._authored(note) for note in self.store.notes_for(brief_id)]

    def counts_by_anchor(self, brief_id: str) -> dict[str, int]:
        return self.store.counts_by_anchor(brief_id)

    def briefs_with_notes(self) -> set[str]:
        return self.store.briefs_with_notes()

    def authors_by_brief(self) -> dict[str, set[str]]:
        return {brief_id: {self.author} for brief_id in self.store.briefs_with_notes()}

    def all_notes(self) -> list[AuthoredNote]:
        return [self._authored(note) for note in self.store.all_notes()]

    def get(self, note_id: str) -> AuthoredNote | None:
        note = self.store.get(note_id)
        return None if note is None else self._authored(note)

    def data_version(self) -> int:
        return self.store.data_version()

    def add(
        self,
        brief_id: str,
        anchor: str | Target,
        text: str,
        quote: str = "",
        *,
        visibility: Visibility | None = None,
    ) -> AuthoredNote:
        _private_only(visibility)
        return self._authored(self.store.add(brief_id, anchor, text, quote))

    def update(self, note_id: str, text: str) -> AuthoredNote:
        return self._authored(self.store.update(note_id, text))

    def reattach(self, note_id: str, anchor: str | Target, quote: str = "") -> AuthoredNote:
        return self._authored(self.store.reattach(note_id, anchor, quote))

    def set_visibility(self, note_id: str, visibility: Visibility) -> AuthoredNote:
        _private_only(visibility)
        note = self.get(note_id)
        if note is None:
            raise NotesError("That note no longer exists (it may have been deleted elsewhere).")
        return note

    def delete(self, note_id: str) -> AuthoredNote:
        return self._authored(self.store.delete(note_id))

    def restore(self, note: Note) -> None:
        self.store.restore(note)

    def import_notes(self, notes: Iterable[Note]) -> int:
        return self.store.import_notes(notes)

    def wait_for_changes(self, timeout: float) -> list[NoteChange]:
        """Poll SQLite's ``data_version`` (it moves when another process commits) until it
        changes or ``timeout`` passes; the change cannot say which brief it touched."""
        deadline = time.monotonic() + timeout
        while True:
            version = self.store.data_version()
            if version != self._seen_version:
                self._seen_version = version
                return [NoteChange("changed", None)]
            left = deadline - time.monotonic()
            if left <= 0:
                return []
            time.sleep(min(_POLL_S, left))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _private_only(visibility: Visibility | None) -> None:
    if visibility not in (None, "private"):
        raise NotesError(
            "Notes kept on this computer are private: sharing them needs a team server "
            "(notes_url in config.toml)."
        )
