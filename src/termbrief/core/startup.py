"""What the reader shows first, decided without loading the library.

:func:`open_paths` lists the files, picks the brief to show first (the remembered one, else the
one the library lists first: the newest) and starts loading it (see :mod:`termbrief.core.preload`);
everything else is loaded after the first frame. A large library opened before comes back from
the library cache as stubs (see :class:`LazyLibrary`): its first brief is chosen without reading
the files, its list is complete right after the first frame, and only new or changed files are
parsed.

No Textual here (domain module); the app wires it (see ``TermbriefApp.__init__``).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final, TypeVar

import msgspec

from termbrief.core import locations, preload
from termbrief.core.library import (
    Entry,
    Stub,
    cached_stubs,
    list_brief_files,
    load_entry,
    sample_library_path,
    sort_entries,
)
from termbrief.core.preload import (
    LARGE_BRIEF_BYTES,
    PendingEntry,
    read_exactly,
    scan_header,
    send_brief,
    start_loading,
    write_all,
)

EAGER_LOAD_LIMIT: Final = 64
"""Libraries up to this many files load before the first frame; larger ones in a worker."""
NEWEST_SCAN_BYTES: Final = 4096
"""How much of each file the start-up scan reads looking for a top-level ``date:``."""
NEWEST_TRIES: Final = 4
"""Dates tried, newest first, when the newest briefs turn out invalid."""
_P = TypeVar("_P", str, Path)
_DATE_LINE: Final = re.compile(
    rb"^date:[ \t]*[\"']?(\d{4}-\d{2}-\d{2})[\"']?[ \t]*(?:#.*)?$", re.MULTILINE
)


class Opening(msgspec.Struct):
    """What to show on the first frame, and what to load after it."""

    is_folder: bool
    """Whether a library (not a single file) was opened."""
    entries: list[Entry]
    """The library as known now (sorted): loaded entries, cache stubs, and :attr:`first`."""
    first: Entry | None
    """The entry to show first. While :attr:`loading` is set it is a placeholder (a stub with
    the file's header, ``first.loaded`` is False)."""
    loading: PendingEntry | None = None
    """The full entry for :attr:`first`, being loaded."""
    wait: bool = False
    """Whether to wait for :attr:`loading` before the first frame (a brief small enough to load
    in a few milliseconds) rather than show the placeholder and fill the panes later."""
    fallbacks: list[Path] = msgspec.field(default_factory=list)
    """Next candidates for the first brief, tried in order if :attr:`loading` is invalid."""
    library: LazyLibrary | None = None
    """A large library, whose entries are made after the first frame (with :attr:`rest`)."""
    use_cache: bool = False
    """Whether the library goes through the library cache (a large folder): save the cache
    once the library is loaded."""


_prefetched: dict[tuple[tuple[str, ...], str | None], Callable[[], Opening]] = {}


def prefetch(paths: Sequence[Path]) -> None:
    """Start now what :func:`open_paths` will do for the reader opening ``paths`` (none: the
    sample library), and keep it for it.

    For the command line, before it imports Textual (~200 ms), while this process is small
    (forking it is then cheap: forked later, every page the parent writes while the child
    lives must be copied). The first brief is parsed in a helper process meanwhile; for a
    large library the helper also does the choosing — reading the start of every file for
    its date (~20 ms for 2,000 files) — so that none of it delays the first frame.
    """
    from termbrief.core.settings import load_settings

    paths = list(paths) or [sample_library_path()]
    folder = _has_folder(paths)
    last_brief = load_settings()[0].last_brief if folder else None
    key = _key(paths, last_brief)
    names = list_brief_files(paths)
    chooser = None
    if len(names) > EAGER_LOAD_LIMIT and remembered_path(last_brief, names) is None:
        chooser = _fork_chooser(names)
    if chooser is not None:
        _prefetched[key] = functools.partial(_open_chosen, names, *chooser)
    else:
        opening = _open(paths, names, last_brief)
        _prefetched[key] = lambda: opening


def _key(paths: Sequence[Path], last_brief: str | None) -> tuple[tuple[str, ...], str | None]:
    return tuple(os.path.abspath(path) for path in paths), last_brief


def open_paths(paths: Sequence[Path], last_brief: str | None = None) -> Opening:
    """List ``paths`` and start loading the brief to show first (``last_brief``, the path
    remembered from the last run, if it is in the library). Takes what :func:`prefetch` did
    for the same arguments, if it did."""
    prefetched = _prefetched.pop(_key(paths, last_brief if _has_folder(paths) else None), None)
    if prefetched is not None:
        return prefetched()
    return _open(paths, list_brief_files(paths), last_brief)


def _open(paths: Sequence[Path], names: list[str], last_brief: str | None) -> Opening:
    is_folder = len(names) > 1 or _has_folder(paths)
    if not names:
        return Opening(is_folder, [], None)
    if len(names) == 1:
        return _start(Opening(is_folder, [], None), Path(names[0]))
    if len(names) <= EAGER_LOAD_LIMIT:
        entries = sort_entries(load_entry(Path(name)) for name in names)
        remembered = remembered_path(last_brief, [entry.path for entry in entries])
        first = next((e for e in entries if e.path == remembered), entries[0])
        return Opening(is_folder, entries, first)
    # A large library: only what picks the first brief happens now; its entries are made
    # after the first frame (see LazyLibrary).
    library = LazyLibrary.check(names, locations.library_cache_file())
    remembered_name = remembered_path(last_brief, names)
    groups = [[remembered_name]] if remembered_name else _newest(library)
    return _open_large(names, library, groups)


def _open_large(
    names: list[str],
    library: LazyLibrary,
    groups: list[list[str]],
    pending: PendingEntry | None = None,
) -> Opening:
    """The opening of a large library whose first candidates are ``groups`` (newest first);
    ``pending``: the first candidate, already being loaded (a :class:`PendingEntry`)."""
    opening = Opening(True, [], None, library=library, use_cache=True)
    groups = groups or [[names[0]]]
    opening.fallbacks = [Path(name) for group in groups[1:] for name in group]
    if len(groups[0]) == 1:
        return _start(opening, Path(groups[0][0]), pending)
    # Several briefs share the newest date: the library lists them by title, so load them all.
    loaded = [load_entry(Path(name)) for name in groups[0]]
    opening.entries = sort_entries(loaded)
    valid = sort_entries(entry for entry in loaded if entry.ok)
    if valid or not opening.fallbacks:
        opening.first = (valid or opening.entries)[0]
        return opening
    return _start(opening, opening.fallbacks.pop(0))


# -- choosing the first brief of a large library in a helper process ----------------------------


def _fork_chooser(names: list[str]) -> tuple[int, int] | None:
    """Fork a child that picks the first brief of the library ``names`` (as :func:`_open`
    would) and starts loading it; (its pid, the read end of its pipe), or None if it cannot.

    The child writes the candidate groups (8-byte length, then msgpack), then, if the first
    group is one brief, that brief as :func:`termbrief.core.preload.start_loading`'s child does.
    """
    if not preload.can_fork():
        return None
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # pragma: no cover - the child never returns (coverage does not see it)
        code = 1
        try:
            os.close(read_fd)
            library = LazyLibrary.check(names, locations.library_cache_file())
            groups = _newest(library) or [[names[0]]]
            header = msgspec.msgpack.encode(groups)
            write_all(write_fd, len(header).to_bytes(8, "big") + header)
            code = send_brief(Path(groups[0][0]), write_fd) if len(groups[0]) == 1 else 0
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def _open_chosen(names: list[str], pid: int, read_fd: int) -> Opening:
    """The opening :func:`_fork_chooser`'s child chose (done here if the child failed)."""
    groups: list[list[str]] | None = None
    size = read_exactly(read_fd, 8)
    header = read_exactly(read_fd, int.from_bytes(size, "big")) if size is not None else None
    if header is not None:
        with contextlib.suppress(msgspec.DecodeError, msgspec.ValidationError):
            groups = msgspec.msgpack.decode(header, type=list[list[str]])
    library = LazyLibrary.check(names, locations.library_cache_file())
    known = set(names)
    if groups and all(name in known for group in groups for name in group):
        if len(groups[0]) == 1:
            pending = PendingEntry(Path(groups[0][0]), pid=pid, fd=read_fd)
            return _open_large(names, library, groups, pending)
    else:  # the child failed: choose here
        groups = _newest(library)
    PendingEntry(Path(names[0]), pid=pid, fd=read_fd).cancel()  # no brief to take from it
    return _open_large(names, library, groups)


class LazyLibrary(msgspec.Struct):
    """The files of a large library, for the entries to be made after the first frame."""

    names: list[str]
    """Every file, sorted."""
    stubs: dict[str, Stub]
    """Library cache stubs of the files unchanged since (same size and nanosecond mtime)."""

    @classmethod
    def check(cls, names: list[str], cache_file: Path) -> LazyLibrary:
        """``names`` with the stubs of the library cache that still hold for them."""
        cached = cached_stubs(cache_file)
        valid: dict[str, Stub] = {}
        for name in names if cached else ():
            stub = cached.get(os.path.abspath(name))
            if stub is None:
                continue
            try:
                stat = os.stat(name)
            except OSError:
                continue
            if (stat.st_mtime_ns, stat.st_size) == (stub.mtime_ns, stub.size):
                valid[name] = stub
        return cls(names, valid)

    def build(self, known: Iterable[Path]) -> tuple[list[Entry], list[Path]]:
        """Entries for the cached files (stubs) and the files to load, but for ``known``."""
        skip = {str(path) for path in known}
        stubs = [
            Entry(Path(name), None, (), stub.mtime_ns, stub)
            for name, stub in self.stubs.items()
            if name not in skip
        ]
        unread = [Path(name) for name in self.names if name not in self.stubs and name not in skip]
        return stubs, unread


def _has_folder(paths: Sequence[Path]) -> bool:
    return any(path.is_dir() for path in paths)


def _start(opening: Opening, path: Path, pending: PendingEntry | None = None) -> Opening:
    """Start loading ``path`` as the first entry of ``opening`` (unless ``pending`` is that
    load already started)."""
    opening.entries = [entry for entry in opening.entries if entry.path != path]
    if pending is None:
        pending = start_loading(path)
    if pending.done:
        opening.first = pending.result()
    else:
        large = pending.size >= LARGE_BRIEF_BYTES
        stub = scan_header(path) if large else None
        opening.first = placeholder(path, stub)
        opening.loading = pending
        opening.wait = not large
    opening.entries = sort_entries([*opening.entries, opening.first])
    return opening


def placeholder(path: Path, stub: Stub | None = None) -> Entry:
    """An entry standing for ``path`` while it loads: its header ``stub`` if known, else just
    the file name."""
    if stub is None:
        stub = Stub(0, 0, True, path.stem, path.name)
    return Entry(path, None, (), stub.mtime_ns, stub)


def resolve(opening: Opening) -> list[Entry]:
    """Wait for the first entry to load; if it is invalid, load the next candidates until one
    is valid (invalid briefs are listed last, so a valid one is what the library shows first).

    Returns the entries loaded, the one to show first first. Blocks: call it where waiting
    is fine (a worker, or a small brief).
    """
    if opening.loading is None:
        return [opening.first] if opening.first is not None else []
    loaded = [opening.loading.result()]
    opening.loading = None
    for path in opening.fallbacks:
        if loaded[-1].ok:
            break
        loaded.append(load_entry(path))
    opening.fallbacks = []
    first = next((entry for entry in loaded if entry.ok), loaded[0])
    return [first, *(entry for entry in loaded if entry is not first)]


def remembered_path(last_brief: str | None, files: Sequence[_P]) -> _P | None:
    """The file of ``files`` (paths or strings) that is ``last_brief`` (by real path)."""
    if not last_brief:
        return None
    wanted = os.path.realpath(last_brief)
    # Absolute paths first (no system calls); resolving every path of a large library
    # costs ~20 ms per 1,000 files, so only when that found nothing (a symlinked folder).
    found = next((path for path in files if os.path.abspath(path) == wanted), None)
    if found is None and os.path.exists(wanted):
        found = next((path for path in files if os.path.realpath(path) == wanted), None)
    return found


def _newest(library: LazyLibrary) -> list[list[str]]:
    """Candidates for the brief the library lists first, by date, newest first.

    Stubs know their date; other files are read only for a top-level ``date:`` line in their
    first few KB (a fraction of a parse). A wrong guess costs nothing but the choice of the
    first brief shown: the full library is sorted once loaded.
    """
    dated: dict[str, list[str]] = {}
    stubs = library.stubs
    for name in library.names:
        stub = stubs.get(name)
        if stub is not None:
            if stub.ok and stub.date is not None:
                dated.setdefault(stub.date.isoformat(), []).append(name)
            continue
        try:
            # os-level reads of str paths: half the cost of open() for 2,000 small reads.
            handle = os.open(name, os.O_RDONLY)
            try:
                head = os.read(handle, NEWEST_SCAN_BYTES)
            finally:
                os.close(handle)
        except OSError:
            continue
        if match := _DATE_LINE.search(head):
            dated.setdefault(match.group(1).decode(), []).append(name)
    return [dated[date] for date in sorted(dated, reverse=True)[:NEWEST_TRIES]]
