"""Team notes on a PostgreSQL server, over psycopg 3.

Each analyst connects as their own login role; the server, not the client, decides who reads and
changes what: row-level security (forced, so even the table's owner obeys it) lets a role read its
own notes and the team's, and change only its own. The server also stamps every change with a
``version`` from one sequence (the last writer is whoever the server saw last) and announces it
with ``NOTIFY termbrief_notes`` so open readers refresh without polling.

The schema is created and migrated by an administrator (:mod:`termbrief.store.postgres_admin`);
readers only check its version and never migrate. The columns, the SQL that writes a note and
the mapping of rows to notes are in :mod:`termbrief.store.postgres_rows`. Only the team store
imports this module, and only for a ``postgresql://`` URL, so nobody else pays for psycopg. This
module imports no Textual.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, Final, LiteralString

import psycopg

from termbrief.store.notes import Note, NotesError, Target, clean_text, target_of
from termbrief.store.postgres_admin import SCHEMA_VERSION
from termbrief.store.postgres_live import ChangeListener, connect, translate
from termbrief.store.postgres_rows import (
    COLUMNS,
    CONTENT,
    INSERT,
    ORDER,
    REPLACE,
    check_visibility,
    note_fields,
    results,
    row_to_note,
)
from termbrief.store.records import (
    AuthoredNote,
    NoteChange,
    NotesOffline,
    PendingChange,
    PushOutcome,
    Visibility,
    conflict_copy_id,
)

__all__ = ["PostgresNotesStore"]

_MISSING: Final = "That note no longer exists (it may have been deleted elsewhere)."


class PostgresNotesStore:
    """One analyst's view of the team's notes on a PostgreSQL server. Safe to share between
    threads; :meth:`wait_for_changes` uses a connection of its own so a thread can block in it."""

    recovered_backup: None = None
    """Always None: a server database is never moved aside by a reader."""
    read_only_reason: str | None = None
    """Always None: what a role may change is decided row by row by the server."""
    offline_reason: str | None = None
    """Always None: this store is either connected or raises :class:`NotesOffline`."""
    shared: bool = True
    """Always True: the team reads the team notes."""

    def __init__(
        self, url: str, connection: psycopg.Connection[tuple[Any, ...]], default: Visibility
    ) -> None:
        """Wrap an open connection; use :meth:`open` instead."""
        self._url = url
        self._conn = connection
        self._lock = threading.RLock()
        self.default_visibility: Visibility = default
        """The visibility of a new note when none is given."""
        self.author: str = clean_text(self._one("SELECT current_user"))
        """This store's role: the author of every note it writes."""
        self._listener = ChangeListener(url, self.author, connection.info.backend_pid)

    @classmethod
    def open(cls, url: str, *, default_visibility: Visibility = "team") -> PostgresNotesStore:
        """Connect as the analyst named in ``url`` and check the server's schema.

        Raises:
            NotesOffline: the server cannot be reached.
            NotesError: it refused, or its schema is missing or not this termbrief's.
        """
        connection = connect(url)
        try:
            store = cls(url, connection, check_visibility(default_visibility))
            store._check_schema()
        except BaseException:
            connection.close()
            raise
        return store

    def _check_schema(self) -> None:
        try:
            version = self._one("SELECT coalesce(max(version), 0) FROM termbrief.schema_version")
        except NotesError as error:
            if isinstance(error, NotesOffline):
                raise
            raise NotesError(
                "The notes server has no termbrief schema (or you may not read it): an "
                "administrator runs `termbrief notes server-init ADMIN_URL` and "
                "`termbrief notes add-user ADMIN_URL NAME`."
            ) from None
        if version > SCHEMA_VERSION:
            raise NotesError(
                f"The notes server was set up by a newer termbrief (schema {version}, this one "
                f"knows {SCHEMA_VERSION}): update termbrief."
            )
        if version < SCHEMA_VERSION:
            raise NotesError(
                f"The notes server's schema is older (version {version}): an administrator runs "
                "`termbrief notes server-init ADMIN_URL` to migrate it."
            )

    # ---------------------------------------------------------------- plumbing

    @contextlib.contextmanager
    def _cursor(self, *, write: bool) -> Iterator[psycopg.Cursor[tuple[Any, ...]]]:
        """A cursor, in a transaction when writing; psycopg errors become store errors."""
        with self._lock:
            try:
                with contextlib.ExitStack() as stack:
                    if write:
                        stack.enter_context(self._conn.transaction())
                    yield stack.enter_context(self._conn.cursor())
            except psycopg.Error as error:
                raise translate(error, self._conn.broken or self._conn.closed) from error

    def _one(self, query: LiteralString, params: tuple[object, ...] = ()) -> Any:
        with self._cursor(write=False) as cursor:
            row = cursor.execute(query, params).fetchone()
        return row[0] if row else None

    def _notes(self, query: LiteralString, params: tuple[object, ...] = ()) -> list[AuthoredNote]:
        with self._cursor(write=False) as cursor:
            return [row_to_note(row) for row in cursor.execute(query, params)]

    # ---------------------------------------------------------------- reading

    def notes_for(self, brief_id: str) -> list[AuthoredNote]:
        """Every note of a brief this role may read, ordered by anchor then creation time."""
        return self._notes(
            f"SELECT {COLUMNS} FROM termbrief.notes WHERE brief_id = %s ORDER BY {ORDER}",
            (brief_id,),
        )

    def counts_by_anchor(self, brief_id: str) -> dict[str, int]:
        """How many readable notes each anchor of a brief holds (anchors without notes absent)."""
        with self._cursor(write=False) as cursor:
            rows = cursor.execute(
                "SELECT anchor, count(*) FROM termbrief.notes WHERE brief_id = %s GROUP BY anchor",
                (brief_id,),
            ).fetchall()
        return {str(anchor): int(count) for anchor, count in rows}

    def briefs_with_notes(self) -> set[str]:
        """Ids of every brief with at least one note this role may read."""
        with self._cursor(write=False) as cursor:
            rows = cursor.execute("SELECT DISTINCT brief_id FROM termbrief.notes").fetchall()
        return {str(row[0]) for row in rows}

    def authors_by_brief(self) -> dict[str, set[str]]:
        """Who wrote the notes this role may read, by brief id."""
        found: dict[str, set[str]] = {}
        with self._cursor(write=False) as cursor:
            query = "SELECT DISTINCT brief_id, author FROM termbrief.notes"
            for brief_id, author in cursor.execute(query):
                found.setdefault(str(brief_id), set()).add(str(author))
        return found

    def all_notes(self) -> list[AuthoredNote]:
        """Every readable note, ordered by brief, anchor and creation time."""
        return self._notes(
            f'SELECT {COLUMNS} FROM termbrief.notes ORDER BY brief_id COLLATE "C", {ORDER}'
        )

    def get(self, note_id: str) -> AuthoredNote | None:
        """The note with this id, if this role may read it."""
        found = self._notes(f"SELECT {COLUMNS} FROM termbrief.notes WHERE id = %s", (note_id,))
        return found[0] if found else None

    def data_version(self) -> int:
        """A number that changes whenever anyone changes a note (the version sequence)."""
        return int(self._one("SELECT last_value FROM termbrief.note_version"))

    # ---------------------------------------------------------------- writing

    def add(
        self,
        brief_id: str,
        anchor: str | Target,
        text: str,
        quote: str = "",
        *,
        visibility: Visibility | None = None,
        note_id: str | None = None,
    ) -> AuthoredNote:
        """Save a new note (the server stamps its times, author and version); ``note_id``
        lets the caller choose the id, so a save retried through the outbox is not doubled.

        Raises:
            NotesError: the note could not be saved.
            ValueError: ``anchor`` is not a valid anchor, ``brief_id`` is empty, or
                ``visibility`` is unknown.
        """
        target = target_of(anchor, quote)
        if not brief_id:
            raise ValueError("a note needs a brief id")
        shown = check_visibility(visibility or self.default_visibility)
        with self._cursor(write=True) as cursor:
            row = cursor.execute(
                "INSERT INTO termbrief.notes (id, brief_id, anchor, text, quote, prefix, suffix,"
                f" start, visibility) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                f" RETURNING {COLUMNS}",
                (note_id or uuid.uuid4().hex, clean_text(brief_id), str(target.anchor),
                 clean_text(text), target.exact, target.prefix, target.suffix, target.start,
                 shown),
            ).fetchone()  # fmt: skip
        assert row is not None
        return row_to_note(row)

    def update(self, note_id: str, text: str) -> AuthoredNote:
        """Replace the text of one of this role's notes.

        Raises:
            NotesError: the note does not exist, belongs to someone else, or was not saved.
        """
        return self._change(note_id, "text = %s", (clean_text(text),))

    def reattach(self, note_id: str, anchor: str | Target, quote: str = "") -> AuthoredNote:
        """Move one of this role's notes to another target (as for :meth:`add`), or accept
        where re-anchoring found it."""
        target = target_of(anchor, quote)
        return self._change(
            note_id,
            "anchor = %s, quote = %s, prefix = %s, suffix = %s, start = %s",
            (str(target.anchor), target.exact, target.prefix, target.suffix, target.start),
        )

    def set_visibility(self, note_id: str, visibility: Visibility) -> AuthoredNote:
        """Make one of this role's notes private or visible to the team."""
        return self._change(note_id, "visibility = %s", (check_visibility(visibility),))

    def _change(
        self, note_id: str, assignments: LiteralString, params: tuple[object, ...]
    ) -> AuthoredNote:
        with self._cursor(write=True) as cursor:
            row = cursor.execute(
                f"UPDATE termbrief.notes SET {assignments}, updated = statement_timestamp()"
                f" WHERE id = %s RETURNING {COLUMNS}",
                (*params, note_id),
            ).fetchone()
        if row is None:
            raise self._not_changeable(note_id)
        return row_to_note(row)

    def _not_changeable(self, note_id: str) -> NotesError:
        # Row-level security hides colleagues' rows from UPDATE and DELETE: say why nothing changed.
        other = self.get(note_id)
        if other is not None and other.author != self.author:
            return NotesError(f"Only {other.author} can change or delete that note.")
        return NotesError(_MISSING)

    def delete(self, note_id: str) -> AuthoredNote:
        """Delete one of this role's notes; returns it so the caller can offer undo.

        Raises:
            NotesError: the note does not exist, belongs to someone else, or was not deleted.
        """
        with self._cursor(write=True) as cursor:
            row = cursor.execute(
                f"DELETE FROM termbrief.notes WHERE id = %s RETURNING {COLUMNS}", (note_id,)
            ).fetchone()
        if row is None:
            raise self._not_changeable(note_id)
        return row_to_note(row)

    def restore(self, note: Note) -> None:
        """Put back a deleted note with its id, times and anchor (and a new server version)."""
        with self._cursor(write=True) as cursor:
            cursor.execute(
                INSERT + " ON CONFLICT (id) DO UPDATE SET anchor = excluded.anchor,"
                " text = excluded.text, quote = excluded.quote, prefix = excluded.prefix,"
                " suffix = excluded.suffix, start = excluded.start, created = excluded.created,"
                " updated = excluded.updated, visibility = excluded.visibility,"
                " conflict_of = excluded.conflict_of",
                self._fields(note),
            )

    def _fields(self, note: Note, **override: object) -> dict[str, object]:
        """:func:`~termbrief.store.postgres_rows.note_fields` with this store's visibility."""
        return note_fields(note, self.default_visibility, **override)

    def import_notes(self, notes: Iterable[Note]) -> int:
        """Merge notes in one transaction, idempotently by id, keeping ids, times and anchors;
        returns how many were added or changed.

        A note whose id is new is added as this role's; one whose id exists is replaced only if
        it is this role's and the imported copy was updated later, so an old export never
        overwrites newer edits (and nobody's import touches a colleague's note).
        """
        rows = [self._fields(note) for note in notes]
        if not rows:
            return 0
        with self._cursor(write=True) as cursor:
            # Insert what is new, then a guarded update of the rest: an upsert would fail
            # outright on a colleague's note, which row-level security does not let us update.
            # executemany pipelines the statements: one round trip, not one per note.
            cursor.executemany(
                INSERT + " ON CONFLICT (id) DO NOTHING RETURNING id", rows, returning=True
            )
            existing = [
                row for row, inserted in zip(rows, results(cursor), strict=True) if not inserted
            ]
            changed = len(rows) - len(existing)
            if existing:
                cursor.executemany(
                    REPLACE + " AND updated < %(updated)s RETURNING id", existing, returning=True
                )
                changed += sum(1 for updated in results(cursor) if updated)
        return changed

    # ---------------------------------------------------------------- the outbox

    def push(self, change: PendingChange) -> tuple[PushOutcome, str | None]:
        """Send one change written offline, in one transaction; returns what happened and, for
        a conflict, the id of the conflict copy.

        Idempotent: sending the same change twice does nothing the second time. An edit based on
        an older server version than the note has now never overwrites it: the offline text is
        saved as a new note marked as a conflict copy of it.
        """
        note = change.note
        fields = self._fields(note)
        with self._cursor(write=True) as cursor:
            # FOR UPDATE holds the row until commit: no other edit slips in between.
            row = cursor.execute(
                f"SELECT version, {CONTENT} FROM termbrief.notes WHERE id = %s FOR UPDATE",
                (note.id,),
            ).fetchone()
            if change.deleted:
                if row is None:
                    return "already", None
                if row[0] != change.base_version:
                    return "kept", None
                cursor.execute("DELETE FROM termbrief.notes WHERE id = %s", (note.id,))
                return "sent", None
            content = tuple(fields[key] for key in CONTENT.split(", "))
            if row is not None and tuple(row[1:]) == content:
                return "already", None
            if row is None and change.base_version is None:
                cursor.execute(INSERT + " ON CONFLICT (id) DO NOTHING", fields)
                if cursor.rowcount == 1:
                    return "sent", None
                # The id exists but is not ours to see: keep the text under an id of its own.
            elif row is not None and row[0] == change.base_version:
                cursor.execute(REPLACE, fields)
                return "sent", None
            copy = conflict_copy_id(note)
            cursor.execute(
                INSERT + " ON CONFLICT (id) DO NOTHING",
                self._fields(note, id=copy, conflict_of=note.id),
            )
        return "conflict", copy

    # ---------------------------------------------------------------- live changes

    def wait_for_changes(self, timeout: float) -> list[NoteChange]:
        """Block until another reader changes notes this role may see, or ``timeout`` seconds
        pass (then an empty list). For a UI thread: it uses a connection of its own. The first
        call subscribes; call it once with timeout 0 before the first read to miss nothing.

        Raises:
            NotesOffline: the server went away.
        """
        return self._listener.wait(timeout)

    def close(self) -> None:
        """Close the connections (idempotent)."""
        self._listener.close()
        with self._lock:
            self._conn.close()

    def __enter__(self) -> PostgresNotesStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
