"""Live reload: notice brief files added, changed or removed under the paths the user opened.

No Textual here. :class:`BriefWatcher` runs :func:`watchfiles.watch` (inotify/FSEvents through
Rust's ``notify``) in daemon threads and reports batches of ``("added" | "modified" | "deleted",
path)``. Raw events are reconciled against the files it knows, because editors save by writing a
temporary file and renaming it over the brief: the kernel reports that as the brief being
deleted and added (or only added), which for a reader is a modification.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, Literal

import watchfiles

from termbrief.core.library import is_brief_name, list_brief_files

__all__ = ["BriefWatcher", "ChangeKind"]

ChangeKind = Literal["added", "modified", "deleted"]
"""What happened to a brief file."""

_START_TIMEOUT: Final = 5.0  # seconds to wait for the OS watches to be in place

log = logging.getLogger(__name__)


def _listed(path: Path) -> bool:
    """Whether the library lists ``path`` as an entry: anything there but a folder, so that a
    FIFO or a broken link named ``*.yaml`` is reported (as a problem) like a file. Nothing is
    opened here."""
    return os.path.lexists(path) and not os.path.isdir(path)


class _StopSignal:
    """The ``stop_event`` given to watchfiles: also tells :meth:`BriefWatcher.start` it is ready.

    watchfiles polls ``is_set()`` only once its OS watches exist, so the first call means that
    changes made from now on will be seen.
    """

    def __init__(self, stop: threading.Event, ready: threading.Event) -> None:
        self._stop, self._ready = stop, ready

    def is_set(self) -> bool:
        self._ready.set()
        return self._stop.is_set()


class BriefWatcher:
    """Watches files and folders and reports brief files that were added, modified or deleted.

    Folders are watched recursively for ``*.yaml`` / ``*.yml``. A file given by itself is watched
    through its parent folder (not recursively), so a save that replaces the file keeps being
    seen. ``on_change`` runs on a watcher thread (from a Textual app, hand it to the UI with
    ``App.call_from_thread``) with one set per batch of changes, each a :data:`ChangeKind` and
    an absolute path (``os.path.abspath`` of what was given, symlinks not resolved); it is never
    called with an empty set. Construction scans the folders and :meth:`start` waits for the OS
    watches (tens of milliseconds): call both from a worker thread, not the UI's event loop.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        on_change: Callable[[set[tuple[str, Path]]], None],
        debounce_ms: int = 150,
    ) -> None:
        """Prepare to watch ``paths``; nothing happens until :meth:`start`."""
        resolved = [Path(os.path.abspath(p)) for p in paths]
        self.folders: tuple[Path, ...] = tuple(p for p in resolved if p.is_dir())
        """Watched recursively."""
        self.files: frozenset[Path] = frozenset(p for p in resolved if not p.is_dir())
        """Watched by themselves (through their parent folders)."""
        self.on_change = on_change
        self.debounce_ms = debounce_ms
        self._known = self._scan()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _scan(self) -> set[str]:
        """The brief files that exist now under the watched paths (as strings: Path objects for
        a large library would stay alive for the whole session, and cost more memory)."""
        known = {str(f) for f in self.files if _listed(f)}
        # The library's own listing: the same files, special files and unreadable folders.
        known.update(list_brief_files(self.folders))
        return known

    def _wanted(self, path: Path) -> bool:
        if path in self.files:
            return True
        if not is_brief_name(path.name):
            return False
        # Under a watched folder, and not inside a hidden folder of it.
        for folder in self.folders:
            if path.is_relative_to(folder):
                parts = path.relative_to(folder).parts[:-1]
                return not any(part.startswith(".") for part in parts)
        return False

    def _filter(self, change: watchfiles.Change, path: str) -> bool:
        return self._wanted(Path(path))

    @property
    def running(self) -> bool:
        """Whether watcher threads are alive."""
        return any(t.is_alive() for t in self._threads)

    def start(self) -> None:
        """Start watching; returns once the OS watches are in place (or after 5 s at most)."""
        if self.running:
            return
        self._stop.clear()
        folders = [f for f in self.folders if f.is_dir()]
        # Files inside a watched folder are already seen by the recursive watcher.
        parents = sorted(
            {
                f.parent
                for f in self.files
                if f.parent.is_dir() and not any(f.is_relative_to(d) for d in folders)
            }
        )
        readies = []
        for roots, recursive in ((folders, True), (parents, False)):
            if not roots:
                continue
            ready = threading.Event()
            thread = threading.Thread(
                target=self._run,
                args=(roots, recursive, ready),
                name=f"termbrief-watch-{'tree' if recursive else 'files'}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
            readies.append(ready)
        for ready in readies:
            ready.wait(_START_TIMEOUT)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop watching and wait up to ``timeout`` seconds for the threads to end."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = [t for t in self._threads if t.is_alive()]

    def _run(self, roots: list[Path], recursive: bool, ready: threading.Event) -> None:
        try:
            for raw in watchfiles.watch(
                *roots,
                watch_filter=self._filter,
                debounce=max(self.debounce_ms, 1),
                step=min(50, max(self.debounce_ms, 1)),
                stop_event=_StopSignal(self._stop, ready),
                rust_timeout=1_000,
                raise_interrupt=False,
                recursive=recursive,
            ):
                changes = self._reconcile({Path(path) for _, path in raw})
                if changes:
                    try:
                        self.on_change(changes)
                    except Exception:  # the caller's bug must not end live reload
                        log.exception("on_change failed for %s", sorted(changes))
        except Exception:  # nor may the watcher take the app down; live reload just stops
            log.exception("file watching stopped")
        finally:
            ready.set()

    def _reconcile(self, paths: set[Path]) -> set[tuple[str, Path]]:
        """What the files touched by a batch of raw events now are, against what was known."""
        changes: set[tuple[str, Path]] = set()  # the strings are ChangeKind values
        with self._lock:
            for path in paths:
                name = str(path)
                exists, known = _listed(path), name in self._known
                if exists and known:
                    changes.add(("modified", path))
                elif exists:
                    self._known.add(name)
                    changes.add(("added", path))
                elif known:
                    self._known.discard(name)
                    changes.add(("deleted", path))
        return changes
