"""Drafts of the notes being written: what keeps them in the store, and what saves them on the
way out.

A note editor gets a :class:`DraftKeeper` for the note it writes (:meth:`OpenDrafts.keeper`):
it saves the text a moment after each pause in typing (:data:`DRAFT_DELAY`), and deletes the
draft when the note is saved or deliberately discarded. While the editor is open the keeper
follows its text, so :meth:`OpenDrafts.flush` can save it at once: when the app closes, and on
SIGTERM and SIGHUP (:class:`ExitSignals`; Textual leaves both to Python's defaults, which end the
process without running any of our code).

:mod:`termbrief.store.drafts` is imported on first use, never for the first frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from types import FrameType

    from termbrief.core.annotation import Target
    from termbrief.store.backend import NotesBackend
    from termbrief.store.drafts import Draft, DraftKey

DRAFT_DELAY: Final = 0.8
"""Seconds of no typing after which the editor saves its draft."""

EXIT_SIGNALS: Final = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""Signals that end the reader after its drafts are saved (Windows has no SIGHUP)."""

Pending = Callable[[], "str | None"]
"""What an open editor would lose: its text, or None when nothing is unsaved."""


class StoreSource(Protocol):
    """Where the keepers find the notes store (the notes session)."""

    def open_now(self, *, create: bool) -> NotesBackend | None:
        """The store, opened now (and created with ``create``) if it is not open yet."""
        ...


class DraftKeeper:
    """The draft of one note being written."""

    def __init__(self, drafts: OpenDrafts, key: DraftKey, target: Target | None = None) -> None:
        """Keep the draft of ``key`` (on ``target``'s words); use :meth:`OpenDrafts.keeper`."""
        self._drafts = drafts
        self.key = key
        """Which note the draft is for."""
        self.target = target
        """The words a new note is on, kept with its draft (None: its whole item)."""
        self._pending: Pending | None = None

    def stored(self) -> Draft | None:
        """The draft kept for this note (by an earlier run, or by closing the editor with "keep
        draft"), if any; None too when the store cannot be read (nothing to offer then)."""
        from termbrief.store.notes import NotesError

        store = self._drafts.source.open_now(create=False)
        if store is None:
            return None
        try:
            return store.drafts.get(self.key)
        except NotesError:
            return None

    def keep(self, text: str) -> None:
        """Save ``text`` as the draft now (creating the notes database if needed).

        Raises:
            NotesError: the draft could not be saved.
        """
        from termbrief.store.notes import NotesError

        store = self._drafts.source.open_now(create=True)
        if store is None:
            raise NotesError("The notes database could not be created.")
        store.drafts.save(self.key, text, self.target)

    def discard(self) -> None:
        """Delete the draft (the note was saved, or thrown away on purpose).

        Raises:
            NotesError: the deletion could not be saved.
        """
        store = self._drafts.source.open_now(create=False)
        if store is not None:  # no database: no draft to delete
            store.drafts.discard(self.key)

    def follow(self, pending: Pending) -> None:
        """While the editor is open: ``pending`` gives what :meth:`flush` must keep."""
        self._pending = pending
        self._drafts.opened(self)

    def release(self) -> None:
        """The editor closed: stop following it (its draft is saved or discarded already)."""
        self._pending = None
        self._drafts.closed(self)

    def flush(self) -> None:
        """Bring the stored draft up to date with the editor now: its unsaved text kept, or
        the draft deleted when nothing is unsaved. Never raises: this runs on the way out,
        where the last autosave is all that can still be had."""
        from termbrief.store.notes import NotesError

        pending = self._pending
        if pending is None:
            return
        text = pending()
        with contextlib.suppress(NotesError, ValueError):
            if text is None:
                self.discard()
            else:
                self.keep(text)


class OpenDrafts:
    """The keepers of the notes being written in this run."""

    def __init__(self, source: StoreSource) -> None:
        """Drafts kept in the store of ``source`` (the notes session)."""
        self.source = source
        """Where the store is."""
        self._open: list[DraftKeeper] = []
        self._touched: set[DraftKey] = set()

    def keeper(
        self,
        brief_id: str,
        anchor: str,
        note_id: str | None = None,
        *,
        target: Target | None = None,
    ) -> DraftKeeper:
        """A keeper for the draft of a new note on ``anchor`` (on ``target``'s words, if
        given), or of note ``note_id``."""
        from termbrief.store.drafts import DraftKey

        key = DraftKey(brief_id, anchor, note_id)
        self._touched.add(key)
        return DraftKeeper(self, key, target)

    def written_this_run(self, key: DraftKey) -> bool:
        """Whether an editor of this run wrote (or is writing) the draft of ``key``: such a
        draft comes back in its editor, and is not offered as left over from an earlier run."""
        return key in self._touched

    @property
    def writing(self) -> bool:
        """Whether a note editor is open."""
        return bool(self._open)

    def opened(self, keeper: DraftKeeper) -> None:
        if keeper not in self._open:
            self._open.append(keeper)

    def closed(self, keeper: DraftKeeper) -> None:
        if keeper in self._open:
            self._open.remove(keeper)

    def flush(self) -> None:
        """Save the text of every open editor now (see :meth:`DraftKeeper.flush`)."""
        for keeper in list(self._open):
            keeper.flush()


class ExitSignals:
    """Save the drafts on SIGTERM and SIGHUP, then do what the signal did before.

    The handlers run from the event loop (``loop.add_signal_handler``), between two callbacks,
    never in the middle of a store transaction. After the drafts are saved the previous
    disposition comes back and takes its course: a Python handler is called, an ignored signal
    stays ignored, and the default ends the process. SIGTERM with the default disposition goes
    to ``quit_app`` instead, which quits as ctrl+q does and gives the terminal back; after
    SIGHUP there is no terminal to give back, so the process ends at once.
    """

    def __init__(self, drafts: OpenDrafts, quit_app: Callable[[int], None] | None) -> None:
        """Save ``drafts`` on the exit signals; ``quit_app(signal)`` replaces ending the
        process on SIGTERM."""
        self._drafts = drafts
        self._quit_app = quit_app
        self._previous: dict[int, Callable[[int, FrameType | None], object] | int | None] = {}

    @property
    def installed(self) -> bool:
        """Whether the handlers are in place."""
        return bool(self._previous)

    def install(self) -> None:
        """Catch the exit signals in the running event loop (on the main thread)."""
        loop = asyncio.get_running_loop()
        for number in EXIT_SIGNALS:
            previous = signal.getsignal(number)
            try:
                loop.add_signal_handler(number, self.received, number)
            except (RuntimeError, ValueError, NotImplementedError):
                continue  # not the main thread, or a platform without the signal
            self._previous[number] = previous

    def uninstall(self) -> None:
        """Give the exit signals back to what handled them before :meth:`install`."""
        with contextlib.suppress(RuntimeError):
            loop = asyncio.get_running_loop()
            for number in self._previous:
                loop.remove_signal_handler(number)
        for number, previous in self._previous.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(number, previous)
        self._previous.clear()

    def received(self, number: int) -> None:
        """Save the drafts, then let the signal do what it did before."""
        previous = self._previous.get(number, signal.SIG_DFL)
        self._drafts.flush()
        self.uninstall()
        if callable(previous):
            previous(number, None)
        elif previous == signal.SIG_IGN:
            return
        elif number == signal.SIGTERM and self._quit_app is not None:
            self._quit_app(number)
        else:
            # The default disposition is back (None: one set outside Python, e.g. inherited).
            if previous is None:
                signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
