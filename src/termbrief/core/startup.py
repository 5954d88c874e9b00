"""What the reader shows first: a frozen :class:`OpeningPlan`, and the steps that carry it out.

:func:`plan_opening` lists the files and decides, without parsing any brief, how they load:

- the brief to show first is loaded before the first frame: the one file, or the brief a
  library lists first (the remembered one, else the newest, found from the library cache's
  stubs and the top-level ``date:`` line of the other files);
- a library of up to :data:`EAGER_LOAD_LIMIT` files also loads, newest first, the files that
  fit in :data:`EAGER_LOAD_BYTES` (what its list shows first), so a small library is usually
  listed whole on the first frame while a file that would hold it up (an alias bomb at the
  loader's budget, a very long brief) waits;
- everything else loads after the first frame (:func:`library_stubs`, :func:`load_rest`);
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
import stat
import threading
import types
from collections.abc import Container, Iterable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Final, TypeVar

import msgspec

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
"""Libraries up to this many files load what fits in :data:`EAGER_LOAD_BYTES` before the first
frame; larger ones only their first brief (and list the rest from the library cache)."""
EAGER_LOAD_BYTES: Final = 128 * 1024
"""How many bytes of a small library's files, besides the brief shown first, load before the
first frame. Parsing time grows with a file's size (and with its density of nodes, which its
size bounds), so this bounds the wait whatever the files hold."""
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


class OpeningPlan(msgspec.Struct, frozen=True):
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
    """Files to try for the first brief, in groups tried in order until one holds a valid
    brief (a group: briefs sharing a date, of which the library lists the first by title).
    Empty when nothing tells which brief is the newest (no ``date:`` line found)."""
    stubs: Mapping[str, Stub] = msgspec.field(default_factory=lambda: _NO_STUBS)
    """Library cache stubs of files unchanged since the cache was written (size and
    nanosecond mtime); only for a library larger than :data:`EAGER_LOAD_LIMIT`."""
    early: tuple[str, ...] = ()
    """Files of a small library (:attr:`eager`) loaded before the first frame besides the first
    group of candidates (always loaded): newest first, those that fit in
    :data:`EAGER_LOAD_BYTES`."""
    eager: bool = False
    """Whether this is a library of up to :data:`EAGER_LOAD_LIMIT` files: besides its first
    brief it loads :attr:`early` before the first frame, and, should none of the files loaded
    be valid (nor remembered), further files until one is: a brief to show is what the first
    screen needs."""

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


class FirstEntries(msgspec.Struct, frozen=True):
    """What the first frame shows, loaded."""

    entries: tuple[Entry, ...]
    """The entries loaded so far, sorted as the library lists them."""
    first: Entry | None
    """The entry to show (None for an empty library)."""


def plan_opening(paths: Sequence[Path], last_brief: str | None = None) -> OpeningPlan:
    """The plan for opening ``paths``; ``last_brief`` (the path remembered from the last run)
    is shown first when a library holding it is opened. Parses no brief: a library's files are
    read only for a top-level ``date:`` line in their first few KB (a large library's: those
    its library cache does not know, and none when the remembered brief is in it)."""
    paths = tuple(Path(path) for path in paths)
    files = tuple(list_brief_files(paths))
    is_folder = len(files) > 1 or any(path.is_dir() for path in paths)
    remembered = remembered_path(last_brief, files) if is_folder else None
    if len(files) <= 1:
        return OpeningPlan(
            paths, is_folder, files, remembered, candidates=(files,) if files else ()
        )
    groups: tuple[tuple[str, ...], ...] = ((remembered,),) if remembered is not None else ()
    if len(files) <= EAGER_LOAD_LIMIT:
        dates = _scan_dates(files, _NO_STUBS)
        groups = groups or _newest(dates)
        early = _within_budget(files, dates, groups[0] if groups else ())
        return OpeningPlan(paths, is_folder, files, remembered, groups, early=early, eager=True)
    stubs = _valid_stubs(files, locations.library_cache_file())
    groups = groups or _newest(_scan_dates(files, stubs)) or ((files[0],),)
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

    The candidates are loaded, group after group, until one holds a valid brief (invalid
    briefs are listed last, so a valid one is what the library shows first); then a small
    library's :attr:`~OpeningPlan.early` files. The entry shown is the remembered one, else
    the first the library lists.
    """
    loaded: dict[str, Entry] = {}
    for group in plan.candidates:
        tried = [load_entry(Path(name)) for name in group]
        loaded.update(zip(group, tried, strict=True))
        if any(entry.ok for entry in tried):
            break
    for name in plan.early:
        if name not in loaded:
            loaded[name] = load_entry(Path(name))
    if plan.eager and plan.remembered is None and not any(e.ok for e in loaded.values()):
        for name in plan.files:  # nothing valid yet: the next valid brief is worth the wait
            if name not in loaded:
                loaded[name] = load_entry(Path(name))
                if loaded[name].ok:
                    break
    entries = tuple(sort_entries(loaded.values()))
    if plan.remembered is not None:
        return FirstEntries(entries, loaded[plan.remembered])
    return FirstEntries(entries, entries[0] if entries else None)


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


def _scan_dates(files: Sequence[str], stubs: Mapping[str, Stub]) -> dict[str, str]:
    """The date (ISO text) of each file of ``files`` that tells it cheaply.

    Stubs know their date; other files are read only for a top-level ``date:`` line in their
    first few KB (a fraction of a parse). A wrong guess costs nothing but the choice of what
    loads first: the full library is sorted once loaded.
    """
    dates: dict[str, str] = {}
    for name in files:
        stub = stubs.get(name)
        if stub is not None:
            if stub.ok and stub.date is not None:
                dates[name] = stub.date.isoformat()
            continue
        try:
            # Never blocks on a FIFO or device named *.yaml: those are refused, not read.
            head = read_brief_head(name, NEWEST_SCAN_BYTES)
        except OSError:
            continue
        if match := _DATE_LINE.search(head):
            dates[name] = match.group(1).decode()
    return dates


def _newest(dates: Mapping[str, str]) -> tuple[tuple[str, ...], ...]:
    """Candidates for the brief the library lists first: files grouped by date, newest
    first, at most :data:`NEWEST_TRIES` groups (files in their order in ``dates``)."""
    dated: dict[str, list[str]] = {}
    for name, date in dates.items():
        dated.setdefault(date, []).append(name)
    newest = sorted(dated, reverse=True)[:NEWEST_TRIES]
    return tuple(tuple(dated[date]) for date in newest)


def _within_budget(
    files: Sequence[str], dates: Mapping[str, str], skip: Container[str]
) -> tuple[str, ...]:
    """The files of ``files`` but ``skip`` that fit, newest first (undated last), in
    :data:`EAGER_LOAD_BYTES`; a file too large for what is left is passed over, not waited
    for. Sizes come from ``stat`` (what cannot be stat'ed, or is not a regular file, costs
    nothing: the loader reports it without reading)."""
    left = EAGER_LOAD_BYTES
    chosen: list[str] = []
    # Stable: files sharing a date (or undated) keep their order.
    for name in sorted(files, key=lambda name: dates.get(name, ""), reverse=True):
        if name in skip:
            continue
        try:
            info = os.stat(name)
            size = info.st_size if stat.S_ISREG(info.st_mode) else 0
        except OSError:
            size = 0
        if size <= left:
            chosen.append(name)
            left -= size
    return tuple(chosen)


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
