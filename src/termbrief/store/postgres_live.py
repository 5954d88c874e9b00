"""Connections to the team notes server: opening them, naming their failures, and listening for
the changes the server announces (``LISTEN termbrief_notes``).

A reader must tell "the server is away" (work offline, keep notes in the outbox) from "the server
said no" (a wrong role or database: offline would only hide the mistake); :func:`connect` and
:func:`translate` make that call. This module imports no Textual.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Final

import psycopg

from termbrief.store.notes import NotesError, clean_text
from termbrief.store.postgres_admin import NOTIFY_CHANNEL
from termbrief.store.records import NoteChange, NotesOffline

__all__ = ["CONNECT_TIMEOUT_S", "ChangeListener", "connect", "translate"]

CONNECT_TIMEOUT_S: Final = 5
"""How long opening waits for an unreachable server before the reader works offline."""

_BURST_S: Final = 0.05
"""After the first announcement, how long to keep collecting the ones that follow (an import)."""

# libpq reports connection failures as text only (no SQLSTATE): these say the server answered.
_REFUSALS: Final = ("does not exist", "authentication failed", "permission denied", "pg_hba.conf")

Connection = psycopg.Connection[tuple[Any, ...]]


def _message(error: psycopg.Error) -> str:
    primary = error.diag.message_primary if error.diag else None
    return clean_text(primary or str(error)).strip() or type(error).__name__


def translate(error: psycopg.Error, broken: bool) -> NotesError:
    """A psycopg error as a store error: :class:`NotesOffline` when the connection is gone
    (``broken``), a :class:`NotesError` saying what the server refused otherwise."""
    if broken:
        return NotesOffline(f"The notes server cannot be reached: {_message(error)}")
    if isinstance(error, psycopg.errors.InsufficientPrivilege):
        return NotesError(
            f"The notes server refused: {_message(error)} (you can change only your own notes)."
        )
    return NotesError(f"Notes server error: {_message(error)}")


def connect(url: str) -> Connection:
    """Open an autocommit connection, waiting at most :data:`CONNECT_TIMEOUT_S` unless the URL
    sets ``connect_timeout``.

    Raises:
        NotesOffline: the server cannot be reached.
        NotesError: it answered but refused (unknown role or database, wrong password...).
    """
    options: dict[str, Any] = {}
    if "connect_timeout" not in url:
        options["connect_timeout"] = CONNECT_TIMEOUT_S
    try:
        return psycopg.connect(url, autocommit=True, **options)
    except psycopg.Error as error:
        text = clean_text(str(error))
        if any(refusal in text for refusal in _REFUSALS):
            raise NotesError(f"The notes server refused the connection: {text}") from None
        raise NotesOffline(f"The notes server cannot be reached: {text}") from None


def _clean(value: object) -> str | None:
    return None if value is None else clean_text(str(value))


class ChangeListener:
    """Announcements of note changes, on a connection of its own so a thread can block in
    :meth:`wait` while the store serves the UI."""

    def __init__(self, url: str, author: str, own_pid: int) -> None:
        """Listen as ``author``; announcements of the connection ``own_pid`` (the store's own
        writes, which its caller already knows) are left out."""
        self._url = url
        self._author = author
        self._own_pid = own_pid
        self._lock = threading.Lock()
        self._connection: Connection | None = None

    def wait(self, timeout: float) -> list[NoteChange]:
        """The changes announced within ``timeout`` seconds (subscribing on the first call);
        returns as soon as one arrives, with any that came with it.

        Raises:
            NotesOffline: the server went away (the next call reconnects).
        """
        with self._lock:
            try:
                if self._connection is None:
                    self._connection = connect(self._url)
                    self._connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                changes: list[NoteChange] = []
                for notify in self._connection.notifies(timeout=timeout, stop_after=1):
                    changes.extend(self._change(notify))
                for notify in self._connection.notifies(timeout=_BURST_S):
                    changes.extend(self._change(notify))
            except psycopg.Error as error:
                self.close()
                raise translate(error, True) from error
        return changes

    def _change(self, notify: psycopg.Notify) -> list[NoteChange]:
        if notify.pid == self._own_pid:
            return []
        try:
            payload = json.loads(notify.payload)
            kind, brief_id = payload["op"], payload["brief_id"]
            note_id, author = payload["id"], payload["author"]
        except (ValueError, KeyError, TypeError):
            return []
        if kind not in ("insert", "update", "delete"):
            return []
        if brief_id is None and author != self._author:
            return []  # a colleague's private note: none of our business
        return [NoteChange(kind, _clean(brief_id), _clean(note_id), _clean(author))]

    def close(self) -> None:
        """Stop listening (idempotent)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
