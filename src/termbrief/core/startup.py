"""What the reader shows first: a frozen :class:`OpeningPlan`, and the steps that carry it out.

:func:`plan_opening` lists the files and decides, without parsing any brief, how they load:

- a library of up to :data:`EAGER_LOAD_LIMIT` files is loaded whole before the first frame;
- one file, or a larger library, loads only the brief to show first before the first frame
  (for a library: the brief it lists first, the newest, found from the library cache's stubs
  and the top-level ``date:`` line of the other files), and the rest after it
  (:func:`library_stubs`, :func:`load_rest`);
- a first brief of :data:`LARGE_BRIEF_BYTES` or more that is not in the brief cache shows its
  header first (:func:`placeholder`) and is loaded in the background
  (:func:`load_in_background`, which returns a future).

No Textual here (domain module); the reader wires it (see ``termbrief.ui.services.library``).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import threading
import types
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

from termbrief.core import locations
from termbrief.core.files import read_brief_head
from termbrief.core.library import (
    Entry,
    Stub,
    cached_entry,
    cached_stubs,
    complete,
    list_brief_files,
    load_entry,
    save_cache,
    sort_entries,
)

EAGER_LOAD_LIMIT: Final = 64
"""Libraries up to this many files load before the first frame; larger ones after it."""
LARGE_BRIEF_BYTES: Final = 512 * 1024
"""A first brief at least this large (and not in the brief cache) shows its header first and
is loaded in the background."""
HEADER_SCAN_BYTES: Final = 64 * 1024
"""How much of a large file :func:`scan_header` reads."""
NEWEST_SCAN_BYTES: Final = 4096
"""How much of each file the start-up scan reads looking for a top-level ``date:``."""
NEWEST_TRIES: Final = 4
"""Dates tried, newest first, when the newest briefs turn out invalid."""
_P = TypeVar("_P", str, Path)
_DATE_LINE: Final = re.compile(
    rb"^date:[ \t]*[\"']?(\d{4}-\d{2}-\d{2})[\"']?[ \t]*(?:#.*)?$", re.MULTILINE
)
_HEADER_KEYS: Final = frozenset({"id", "title", "date", "tags", "regions"})
_NO_STUBS: Final[Mapping[str, Stub]] = types.MappingProxyType({})


@dataclass(frozen=True, slots=True)
class OpeningPlan:
    """How the reader opens what it was given; made by :func:`plan_opening`, never changed."""

    paths: tuple[Path, ...]
    """What the reader was asked to open: brief files and folders."""
    is_folder: bool
    """Whether a library (a folder, or several files) was opened rather than one file."""
    files: tuple[str, ...]
    """Every brief file found, sorted as paths sort."""
    remembered: str | None = None
    """The file of :attr:`files` the reader had open last time, if it is in the library."""
    candidates: tuple[tuple[str, ...], ...] = ()
    """Files to try for the first brief, in groups tried in order (a group: briefs sharing a
    date, of which the library lists the first by title). Empty when every file loads before
    the first frame (:attr:`eager`)."""
    stubs: Mapping[str, Stub] = field(default_factory=lambda: _NO_STUBS)
    """Library cache stubs of files unchanged since the cache was written (size and
    nanosecond mtime); only for a library larger than :data:`EAGER_LOAD_LIMIT`."""

    @property
    def eager(self) -> bool:
        """Whether every file is loaded before the first frame (a small library)."""
        return bool(self.files) and not self.candidates

    @property
    def use_cache(self) -> bool:
        """Whether the library goes through the library cache (a large library)."""
        return len(self.files) > EAGER_LOAD_LIMIT

    @property
    def first_path(self) -> Path | None:
        """The one file to show first, if it is known before loading anything."""
        if self.candidates and len(self.candidates[0]) == 1:
            return Path(self.candidates[0][0])
        return None


@dataclass(frozen=True, slots=True)
class FirstEntries:
    """What the first frame shows, loaded."""

    entries: tuple[Entry, ...]
    """The entries loaded so far, sorted as the library lists them."""
    first: Entry | None
    """The entry to show (None for an empty library)."""


def plan_opening(paths: Sequence[Path], last_brief: str | None = None) -> OpeningPlan:
    """The plan for opening ``paths``; ``last_brief`` (the path remembered from the last run)
    is shown first when a library holding it is opened. Reads no brief; a large library reads
    the library cache and the first few KB of the files the cache does not know."""
    paths = tuple(Path(path) for path in paths)
    files = tuple(list_brief_files(paths))
    is_folder = len(files) > 1 or any(path.is_dir() for path in paths)
    remembered = remembered_path(last_brief, files) if is_folder else None
    if len(files) == 1:
        return OpeningPlan(paths, is_folder, files, remembered, candidates=((files[0],),))
    if len(files) <= EAGER_LOAD_LIMIT:
        return OpeningPlan(paths, is_folder, files, remembered)
    stubs = _valid_stubs(files, locations.library_cache_file())
    if remembered is not None:
        groups: tuple[tuple[str, ...], ...] = ((remembered,),)
    else:
        groups = _newest(files, stubs) or ((files[0],),)
    return OpeningPlan(paths, is_folder, files, remembered, groups, types.MappingProxyType(stubs))


def load_now(plan: OpeningPlan) -> FirstEntries | None:
    """What the first frame shows, loaded now; None when the first brief is too large to wait
    for (show :func:`placeholder` and call :func:`load_in_background`)."""
    first = plan.first_path
    if first is not None:
        try:
            large = first.stat().st_size >= LARGE_BRIEF_BYTES
        except OSError:
            large = False  # load_entry reports it
        if large:
            cached = cached_entry(first)  # a brief in the cache is valid: no fallback needed
            return FirstEntries((cached,), cached) if cached is not None else None
    return load_first(plan)


def load_first(plan: OpeningPlan) -> FirstEntries:
    """Load what the first frame shows (blocking).

    A small library loads whole; otherwise the candidates are loaded, group after group, until
    one holds a valid brief (invalid briefs are listed last, so a valid one is what the
    library shows first).
    """
    if plan.eager:
        entries = sort_entries(load_entry(Path(name)) for name in plan.files)
        wanted = Path(plan.remembered) if plan.remembered is not None else None
        first = next((entry for entry in entries if entry.path == wanted), entries[0])
        return FirstEntries(tuple(entries), first)
    loaded: list[Entry] = []
    for group in plan.candidates:
        entries = [load_entry(Path(name)) for name in group]
        loaded += entries
        valid = sort_entries(entry for entry in entries if entry.ok)
        if valid:
            return FirstEntries(tuple(sort_entries(loaded)), valid[0])
    return FirstEntries(tuple(sort_entries(loaded)), loaded[0] if loaded else None)


def load_in_background(plan: OpeningPlan) -> Future[FirstEntries]:
    """:func:`load_first` in a daemon thread: its future. Quitting never waits for the parse
    of a huge brief, which no thread can interrupt."""
    future: Future[FirstEntries] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(load_first(plan))
        except BaseException as error:  # handed to whoever waits on the future
            future.set_exception(error)

    threading.Thread(target=run, name="termbrief-first-brief", daemon=True).start()
    return future


def library_stubs(plan: OpeningPlan, known: Iterable[Entry]) -> list[Entry]:
    """Stub entries (list details only) for the files the library cache knows, but ``known``."""
    skip = {entry.path for entry in known}
    found = ((Path(name), stub) for name, stub in plan.stubs.items())
    return [Entry(path, None, (), stub.mtime_ns, stub) for path, stub in found if path not in skip]


def load_rest(plan: OpeningPlan, known: Sequence[Entry]) -> list[Entry]:
    """The whole library, every entry loaded (blocking): ``known`` completed (stubs are read
    from the brief cache) and every other file loaded. Saves the library cache of a large
    library unless it already held every file."""
    entries = [complete(entry) for entry in known]
    seen = {entry.path for entry in entries}
    unread = [path for path in map(Path, plan.files) if path not in seen]
    entries = sort_entries([*entries, *(load_entry(path) for path in unread)])
    if plan.use_cache and len(plan.stubs) < len(plan.files):
        save_cache(entries, locations.library_cache_file())
    return entries


def remembered_path(last_brief: str | None, files: Sequence[_P]) -> _P | None:
    """The file of ``files`` (paths or strings) that is ``last_brief`` (by real path)."""
    if not last_brief:
        return None
    wanted = os.path.realpath(last_brief)
    # Absolute paths first (no system calls); every path of a large library is resolved only
    # when that found nothing (a symlinked folder).
    found = next((path for path in files if os.path.abspath(path) == wanted), None)
    if found is None and os.path.exists(wanted):
        found = next((path for path in files if os.path.realpath(path) == wanted), None)
    return found


def _valid_stubs(files: Sequence[str], cache_file: Path) -> dict[str, Stub]:
    """The library cache's stubs that still hold for ``files`` (same size and mtime)."""
    cached = cached_stubs(cache_file)
    valid: dict[str, Stub] = {}
    for name in files if cached else ():
        stub = cached.get(os.path.abspath(name))
        if stub is None:
            continue
        try:
            stat = os.stat(name)
        except OSError:
            continue
        if (stat.st_mtime_ns, stat.st_size) == (stub.mtime_ns, stub.size):
            valid[name] = stub
    return valid


def _newest(files: Sequence[str], stubs: Mapping[str, Stub]) -> tuple[tuple[str, ...], ...]:
    """Candidates for the brief the library lists first, by date, newest first.

    Stubs know their date; other files are read only for a top-level ``date:`` line in their
    first few KB (a fraction of a parse). A wrong guess costs nothing but the choice of the
    first brief shown: the full library is sorted once loaded.
    """
    dated: dict[str, list[str]] = {}
    for name in files:
        stub = stubs.get(name)
        if stub is not None:
            if stub.ok and stub.date is not None:
                dated.setdefault(stub.date.isoformat(), []).append(name)
            continue
        try:
            # Never blocks on a FIFO or device named *.yaml: those are refused, not read.
            head = read_brief_head(name, NEWEST_SCAN_BYTES)
        except OSError:
            continue
        if match := _DATE_LINE.search(head):
            dated.setdefault(match.group(1).decode(), []).append(name)
    newest = sorted(dated, reverse=True)[:NEWEST_TRIES]
    return tuple(tuple(dated[date]) for date in newest)


# -- a huge brief's header ----------------------------------------------------------------------


def placeholder(path: Path) -> Entry:
    """An entry standing for ``path`` while it loads: its header (:func:`scan_header`) if it
    has one, else just the file name (``entry.loaded`` is False)."""
    stub = scan_header(path) or Stub(0, 0, True, path.stem, path.name)
    return Entry(path, None, (), stub.mtime_ns, stub)


def scan_header(path: Path) -> Stub | None:
    """Title, id, date, tags and regions from the first :data:`HEADER_SCAN_BYTES` of a brief,
    without loading it (None if no title is found there).

    Unvalidated, for display only until the brief is loaded: callers show the strings through
    :mod:`termbrief.ui.render.safe` like any brief text.
    """
    import yaml

    try:
        stat = path.stat()
        head = read_brief_head(path, HEADER_SCAN_BYTES)
    except OSError:
        return None
    found: dict[str, Any] = {}
    depth = 0
    key: str | None = None
    items: list[str] | None = None
    try:
        # Events, not a document: the cut at HEADER_SCAN_BYTES is a syntax error further on.
        for event in yaml.parse(head, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth == 2 and key in ("tags", "regions"):
                    items = []
                continue
            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
                if depth == 1:
                    if items is not None and key is not None:
                        found[key] = tuple(items)
                    key, items = None, None
                continue
            if not isinstance(event, yaml.ScalarEvent):
                continue
            if depth == 1 and key is None:
                key = event.value
            elif depth == 1:
                if key in _HEADER_KEYS:
                    found[key] = event.value
                key = None
            elif depth == 2 and items is not None:
                items.append(event.value)
            if found.keys() >= _HEADER_KEYS:
                break
    except yaml.YAMLError:
        pass
    title = found.get("title")
    if not isinstance(title, str) or not title:
        return None
    date: datetime.date | None = None
    with contextlib.suppress(TypeError, ValueError):
        date = datetime.date.fromisoformat(found.get("date", ""))
    identifier = found.get("id")
    return Stub(
        stat.st_mtime_ns,
        stat.st_size,
        True,
        identifier if isinstance(identifier, str) and identifier else path.stem,
        title,
        date,
        _strings(found.get("tags")),
        _strings(found.get("regions")),
    )


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, tuple) else ()
