"""Live reload for the app: briefs edited, added or removed on disk show up within a second.

:class:`LiveReload` is a mixin of the app. After the first frame it starts watching the paths the
reader opened. A folder gets a :class:`~termbrief.core.watch.BriefWatcher` (OS file events through
watchfiles), started in a thread worker since it scans the folders and waits for the OS watches.
Files opened by themselves are checked every :data:`POLL_S` by Textual's own ``FileMonitor`` on
a timer: a ``stat`` per file, and none of the watcher's threads, OS watches or ~1.7 MB of memory.
Changed files are loaded in a thread and one :class:`BriefsChanged` message is posted per
batch; the UI thread then:

- shows a new version of the brief on screen in place (same pane, cursor and scroll position);
- keeps the last good version on screen when the new one is invalid, with a banner listing the
  file's ``path:line:col`` problems, until the file is fixed;
- adds files to the library, drops deleted ones and updates changed ones, keeping the selection.

Messages rather than ``call_from_thread``: posting is thread-safe and never blocks the watcher
thread, even while the app shuts down.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import msgspec
import msgspec.structs
from textual import work
from textual.app import App
from textual.message import Message

from termbrief.core.library import Entry, load_entry, sort_entries

if TYPE_CHECKING:
    from textual.timer import Timer

    from termbrief.core.watch import BriefWatcher
    from termbrief.ui.screens.brief import BriefScreen

DEBOUNCE_MS: Final = 100
"""How long the watcher waits for a burst of writes (an editor's save) to end."""
POLL_S: Final = 0.5
"""How often files opened by themselves are checked for changes."""
STOP_TIMEOUT_S: Final = 1.0
"""How long quitting waits for the watcher threads."""

Change = tuple[str, Path, Entry | None]
"""``(kind, absolute path, entry loaded after the change or None when deleted)``."""


class BriefsChanged(Message):
    """Brief files changed on disk (posted from the watcher thread)."""

    def __init__(self, changes: Sequence[Change]) -> None:
        super().__init__()
        self.changes = tuple(changes)
        """What changed, with each added or modified file already loaded."""


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


class LiveReload(App[None]):
    """App mixin: watch the opened paths and keep the library and the brief on screen current.

    The app must provide ``paths``, ``entries``, ``current`` and ``brief_screen`` (TermbriefApp
    does). Call :meth:`stop_live_reload` to stop watching (done on unmount).
    """

    _watcher: BriefWatcher | None = None
    _poll_timer: Timer | None = None
    _reload_stopped: bool = False
    _seen_changes: dict[str, Change] | None = None

    if TYPE_CHECKING:  # provided by the app this is mixed into
        paths: list[Path]
        entries: list[Entry]
        current: Entry | None

        @property
        def brief_screen(self) -> BriefScreen: ...

    @property
    def live_reload_running(self) -> bool:
        """Whether files are being watched."""
        if self._poll_timer is not None:
            return True
        return self._watcher is not None and self._watcher.running

    def on_ready(self) -> None:
        # After the first frame: scanning a big folder must not delay it.
        if any(path.is_dir() for path in self.paths):
            self._start_watching()
        else:
            self._poll_files()

    def on_unmount(self) -> None:
        self.stop_live_reload()

    def stop_live_reload(self) -> None:
        """Stop watching (waits up to ``STOP_TIMEOUT_S`` for the watcher threads)."""
        self._reload_stopped = True
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop(STOP_TIMEOUT_S)

    @work(thread=True, exclusive=True, group="live-reload", exit_on_error=False)
    def _start_watching(self) -> None:
        from termbrief.core.watch import BriefWatcher  # watchfiles takes 50 ms to import

        watcher = BriefWatcher(self.paths, self._changed, debounce_ms=DEBOUNCE_MS)
        watcher.start()
        if self._reload_stopped:  # the app quit while the watches were being set up
            watcher.stop(STOP_TIMEOUT_S)
        else:
            self._watcher = watcher

    def _poll_files(self) -> None:
        from textual.file_monitor import FileMonitor

        files = [Path(_key(path)) for path in self.paths]
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

        self._poll_timer = self.set_interval(POLL_S, check, name="live-reload")

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
        self._reload_files({(kind, path)})

    @work(thread=True, group="live-reload-poll", exit_on_error=False)
    def _reload_files(self, changes: set[tuple[str, Path]]) -> None:
        time.sleep(DEBOUNCE_MS / 1000)  # let an editor finish writing (as the watcher does)
        self._changed(changes)

    def _changed(self, changes: set[tuple[str, Path]]) -> None:
        """On the watcher thread: load what changed (off the UI thread) and tell the app."""
        loaded = [
            (kind, path, None if kind == "deleted" else load_entry(path))
            for kind, path in sorted(changes, key=lambda change: str(change[1]))
        ]
        self.post_message(BriefsChanged(loaded))

    def on_briefs_changed(self, message: BriefsChanged) -> None:
        if self._seen_changes is None:
            self._seen_changes = {}
        self._seen_changes.update((_key(change[1]), change) for change in message.changes)
        self._apply(message.changes)

    def on_library_loaded(self, message: Any) -> None:
        # Textual calls this as well as the app's own handler of the app's LibraryLoaded (every
        # class's handler runs; Any because the message class lives in app.py, which imports us).
        # A large library loads in a worker that may have read a file before it changed: the
        # latest change seen for each file is newer, so they are applied again on top.
        if self._seen_changes:
            self._apply(list(self._seen_changes.values()))

    def _apply(self, changes: Sequence[Change]) -> None:
        entries = apply_changes(self.entries, changes)
        self.entries = entries
        screen = self.brief_screen
        screen.set_entries(entries, keep_selection=True)
        current = self.current
        if current is None:
            return
        key = _key(current.path)
        mine = [change for change in changes if _key(change[1]) == key]
        if not mine:
            return
        kind, _path, loaded = mine[-1]
        banner = screen.reload_banner
        if kind == "deleted" or loaded is None:
            banner.show_missing(current.path.name)
            return
        fresh = next((e for e in entries if _key(e.path) == key), None)
        if fresh is None:
            return
        if fresh.ok or not current.ok:
            banner.clear()
            self.current = fresh
            screen.show_entry(fresh)
        else:
            # Keep the last good version on screen; say what is wrong with the new one.
            banner.show_problems(current.path.name, fresh.problems)
