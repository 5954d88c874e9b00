"""Live reload: briefs edited, added or removed on disk show up within a second.

:class:`LiveReload` is a service of the app. After the first frame it starts watching the paths
the reader opened. A folder gets a :class:`~termbrief.core.watch.BriefWatcher` (OS file events
through watchfiles), started in a thread worker since it scans the folders and waits for the OS
watches. Files opened by themselves are checked every :data:`POLL_S` by Textual's own
``FileMonitor`` on a timer: a ``stat`` per file, and none of the watcher's threads or OS
watches. Changed files are loaded in a thread and one
:class:`~termbrief.ui.messages.BriefsChanged` message is posted per batch; the app hands it to
:meth:`LiveReload.apply`, which updates the state:

- a new version of the brief on screen becomes current (the screen shows it in place);
- an invalid new version leaves the last good one on screen, and the screen says what is wrong
  with the file (:class:`ReloadNews`) until it is fixed;
- files are added to the library, deleted ones dropped and changed ones updated.

Messages rather than ``call_from_thread``: posting is thread-safe and never blocks the watcher
thread, even while the app shuts down.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

import msgspec
import msgspec.structs
from textual.app import App

from termbrief.core.library import Entry, load_entry, sort_entries
from termbrief.ui.messages import BriefsChanged, Change
from termbrief.ui.state import ReaderState

if TYPE_CHECKING:
    from textual.timer import Timer

    from termbrief.core.problems import Problem
    from termbrief.core.watch import BriefWatcher

DEBOUNCE_MS: Final = 100
"""How long the watcher waits for a burst of writes (an editor's save) to end."""
POLL_S: Final = 0.5
"""How often files opened by themselves are checked for changes."""
STOP_TIMEOUT_S: Final = 1.0
"""How long quitting waits for the watcher threads."""


class ReloadNews(msgspec.Struct, frozen=True):
    """What a reload did to the file on screen, for the screen to show."""

    name: str
    """The file's name."""
    fresh: Entry | None = None
    """Its new version, now current (shown in place), or None when it is not shown."""
    problems: tuple[Problem, ...] = ()
    """Why the new version is invalid (the last good version stays on screen)."""

    @property
    def missing(self) -> bool:
        """Whether the file was deleted or moved."""
        return self.fresh is None and not self.problems


def _key(path: Path) -> str:
    # The watcher reports absolute paths (symlinks not resolved); the library keeps paths as
    # the reader gave them, possibly relative.
    return os.path.abspath(path)


def apply_changes(entries: Sequence[Entry], changes: Iterable[Change]) -> list[Entry]:
    """``entries`` after ``changes``: added files in, deleted ones out, modified ones replaced.

    A replaced entry keeps the path of the one it replaces (how the reader named the file).
    The result is sorted as the library is (newest first, invalid files last).
    """
    by_key = {_key(entry.path): entry for entry in entries}
    for kind, path, loaded in changes:
        key = _key(path)
        if kind == "deleted" or loaded is None:
            by_key.pop(key, None)
        elif key in by_key:
            by_key[key] = msgspec.structs.replace(loaded, path=by_key[key].path)
        else:
            by_key[key] = loaded
    return sort_entries(by_key.values())


class LiveReload:
    """Watches the opened paths and keeps the state's library and brief current."""

    def __init__(self, app: App[None], state: ReaderState, paths: Sequence[Path]) -> None:
        """Watch ``paths`` for ``app`` (its workers and timers) once :meth:`start` is called."""
        self._app = app
        self._state = state
        self._paths = list(paths)
        self._watcher: BriefWatcher | None = None
        self._poll_timer: Timer | None = None
        self._stopped = False
        self._seen: dict[str, Change] = {}

    @property
    def watching(self) -> bool:
        """Whether folders are being watched (OS file events, in threads)."""
        return self._watcher is not None and self._watcher.running

    @property
    def polling(self) -> bool:
        """Whether files opened by themselves are being polled (a timer; no threads)."""
        return self._poll_timer is not None

    @property
    def running(self) -> bool:
        """Whether changes on disk are being followed."""
        return self.watching or self.polling

    def start(self) -> None:
        """Start following the paths (after the first frame: scanning a folder must not
        delay it)."""
        if any(path.is_dir() for path in self._paths):
            self._app.run_worker(
                self._start_watching,
                thread=True,
                exclusive=True,
                group="live-reload",
                exit_on_error=False,
            )
        else:
            self._poll_files()

    def stop(self) -> None:
        """Stop following (waits up to :data:`STOP_TIMEOUT_S` for the watcher threads)."""
        self._stopped = True
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop(STOP_TIMEOUT_S)

    def apply(self, changes: Sequence[Change]) -> ReloadNews | None:
        """Update the state after ``changes`` (from :class:`BriefsChanged`); what happened to
        the file on screen, if it changed."""
        self._seen.update((_key(change[1]), change) for change in changes)
        state = self._state
        entries = apply_changes(state.entries, changes)
        state.set_library(entries, keep_selection=True)
        current = state.current
        if current is None:
            return None
        key = _key(current.path)
        mine = [change for change in changes if _key(change[1]) == key]
        if not mine:
            return None
        kind, _path, loaded = mine[-1]
        if kind == "deleted" or loaded is None:
            return ReloadNews(current.path.name)
        fresh = next((e for e in entries if _key(e.path) == key), None)
        if fresh is None:
            return None
        if fresh.ok or not current.ok:
            state.set_current(fresh)
            return ReloadNews(current.path.name, fresh)
        # Keep the last good version on screen; say what is wrong with the new one.
        return ReloadNews(current.path.name, problems=fresh.problems)

    def reapply(self, entries: Sequence[Entry]) -> list[Entry]:
        """``entries`` (a library loaded in a worker, which may have read a file before it
        changed) with the latest change seen for each file on top."""
        if not self._seen:
            return list(entries)
        return apply_changes(entries, self._seen.values())

    # -- watching --------------------------------------------------------------------------------

    def _start_watching(self) -> None:
        from termbrief.core.watch import BriefWatcher  # watchfiles is imported when needed

        watcher = BriefWatcher(self._paths, self._changed, debounce_ms=DEBOUNCE_MS)
        watcher.start()
        if self._stopped:  # the app quit while the watches were being set up
            watcher.stop(STOP_TIMEOUT_S)
        else:
            self._watcher = watcher

    def _poll_files(self) -> None:
        from textual.file_monitor import FileMonitor

        files = [Path(_key(path)) for path in self._paths]
        present = {path for path in files if path.is_file()}
        # One monitor per file: a monitor of several only sees their newest time change, so it
        # would miss an older one being deleted.
        monitors = [
            FileMonitor([path], functools.partial(self._file_touched, path, present))
            for path in files
        ]

        async def check() -> None:
            for monitor in monitors:
                await monitor()

        self._poll_timer = self._app.set_interval(POLL_S, check, name="live-reload")

    def _file_touched(self, path: Path, present: set[Path]) -> None:
        """A polled file's time changed (or it appeared or went): reload it in a thread."""
        if path.is_file():
            kind = "modified" if path in present else "added"
            present.add(path)
        elif path in present:
            kind = "deleted"
            present.discard(path)
        else:
            return
        self._app.run_worker(
            functools.partial(self._reload_files, {(kind, path)}),
            thread=True,
            group="live-reload-poll",
            exit_on_error=False,
        )

    def _reload_files(self, changes: set[tuple[str, Path]]) -> None:
        time.sleep(DEBOUNCE_MS / 1000)  # let an editor finish writing (as the watcher does)
        self._changed(changes)

    def _changed(self, changes: set[tuple[str, Path]]) -> None:
        """On a watcher thread: load what changed (off the UI thread) and tell the app."""
        loaded = [
            (kind, path, None if kind == "deleted" else load_entry(path))
            for kind, path in sorted(changes, key=lambda change: str(change[1]))
        ]
        self._app.post_message(BriefsChanged(loaded))
