"""Team notes, live: a thread worker that follows a team server for the notes session.

:class:`TeamFollower` waits on the store's ``wait_for_changes`` (LISTEN/NOTIFY on the server: no
polling of the notes table) and posts :class:`~termbrief.ui.messages.NotesChanged` for each
change a colleague makes. While the server cannot be reached, the same call waits, tries the
server again and sends the outbox (:class:`~termbrief.store.team.OfflineFirstNotes`); the reader
is told once when the server goes and once when it is back, with how many changes were sent.

Imported only for a team server, after the first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from textual.app import App

from termbrief.ui.messages import NotesChanged

if TYPE_CHECKING:
    from termbrief.store.backend import NotesBackend

WAIT_SECONDS: Final = 0.5
"""How long one wait for the server's announcements lasts: also how soon the worker notices that
the session closed or replaced its store."""


def offline_notice(reason: str) -> str:
    """What the reader is told (once) when the team server cannot be reached."""
    # The store's reason names the server already ("The notes server cannot be reached: ...").
    return (
        f"{reason.strip().rstrip('.')}. Working offline: the notes seen before are shown, and "
        "new notes are kept on this computer until the server is back."
    )


def online_notice(sent: int) -> str:
    """What the reader is told (once) when the team server is back."""
    if not sent:
        return "The notes server is back."
    return f"The notes server is back: {sent} note change{'s' if sent != 1 else ''} sent."


class TeamFollower:
    """Follows one team store in a thread worker until the session no longer holds it."""

    def __init__(self, app: App[None], current: Callable[[], NotesBackend | None]) -> None:
        """Post to ``app``; ``current`` gives the session's store (the worker stops when it is
        no longer the one followed: the app closed it)."""
        self._app = app
        self._current = current
        self._offline_told = False

    def follow(self, store: NotesBackend) -> None:
        """Start following ``store`` (its state at open was told with the store's warnings)."""
        self._offline_told = store.offline_reason is not None
        self._app.run_worker(lambda: self._follow(store), thread=True, group="notes-live")

    def _follow(self, store: NotesBackend) -> None:
        from termbrief.store.notes import NotesError

        # The first wait subscribes; a change made between the first read and now is caught
        # by one refresh after it.
        first = True
        while self._current() is store:
            try:
                changes = store.wait_for_changes(0 if first else WAIT_SECONDS)
            except NotesError:
                if self._current() is not store:
                    return  # closed under us as the app quits
                changes = []
            if self._current() is not store:
                return
            notice = self.notice(store)
            if first or changes or notice:
                self._app.post_message(NotesChanged(notice))
            first = False

    def notice(self, store: NotesBackend) -> str | None:
        """What to tell the reader about the server going or coming back (once per turn). From
        the store's state, not only its announcements: a read on the UI thread may be the first
        to find the server gone."""
        reason = store.offline_reason
        if reason is not None and not self._offline_told:
            self._offline_told = True
            return offline_notice(reason)
        if reason is None and self._offline_told:
            self._offline_told = False
            from termbrief.store.team import OfflineFirstNotes  # psycopg is loaded already

            report = store.last_flush if isinstance(store, OfflineFirstNotes) else None
            return online_notice(report.sent if report is not None else 0)
        return None
