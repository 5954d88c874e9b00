"""A library: the brief files under the paths the user opened, valid or not.

An invalid file is kept as an :class:`Entry` with its problems, so the reader can list it and
show why it failed; it never stops the rest of the library from loading.
"""

from __future__ import annotations

import datetime
import errno
import functools
import importlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from termbrief import __version__
from termbrief.core import locations
from termbrief.core.files import NotRegularFile, read_brief_bytes, special_kind
from termbrief.core.model import Brief, decode_hook, encode_hook

if TYPE_CHECKING:
    import hashlib

    from termbrief.core.problems import Problem

# termbrief.core.loader (and with it PyYAML) is imported only when a file must be parsed: a brief
# found in the cache below is decoded without it.

BRIEF_SUFFIXES = (".yaml", ".yml")
CACHE_VERSION = 2
"""Version of the library cache's layout (2: keyed by absolute path, not resolved: resolving
every path of a large library is a start-up cost)."""


def _blake2b(data: bytes = b"", *, digest_size: int, key: bytes = b"") -> hashlib.blake2b:
    """``hashlib.blake2b``, without importing ``hashlib``: that initialises OpenSSL's digests,
    memory this reader never uses (BLAKE2 is built into CPython)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # an interpreter without the built-in module
        from hashlib import blake2b
    return blake2b(data, digest_size=digest_size, key=key)


@functools.cache
def _brief_decoder() -> msgspec.msgpack.Decoder[Brief]:
    # Built on first use: it compiles a decoder for the whole model, a start-up cost.
    return msgspec.msgpack.Decoder(Brief, dec_hook=decode_hook)


class Stub(msgspec.Struct, frozen=True):
    """What the library list shows of a brief, remembered between runs to start quickly."""

    mtime_ns: int
    size: int
    ok: bool
    id: str
    title: str
    date: datetime.date | None = None
    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


class Entry(msgspec.Struct, frozen=True):
    """One file of a library."""

    path: Path
    """The brief file."""
    brief: Brief | None
    """The loaded brief; None when the file is invalid."""
    problems: tuple[Problem, ...] = ()
    """Why the file is invalid; empty when it loaded."""
    mtime_ns: int = 0
    """Modification time when loaded, to notice edits."""
    stub: Stub | None = None
    """Cached list details of a file not loaded yet (see :func:`save_cache`)."""

    @property
    def loaded(self) -> bool:
        """False while only the cached stub is known; :func:`load_entry` completes it."""
        return self.stub is None

    @property
    def ok(self) -> bool:
        """True when the brief loaded (or, for a stub, loaded last time unchanged)."""
        if self.stub is not None:
            return self.stub.ok
        return self.brief is not None

    @property
    def id(self) -> str:
        """The brief's id, or the file stem for an invalid file."""
        if self.brief is not None:
            return self.brief.id
        return self.stub.id if self.stub is not None else self.path.stem

    @property
    def title(self) -> str:
        """The brief's title, or the file name for an invalid file."""
        if self.brief is not None:
            return self.brief.title
        return self.stub.title if self.stub is not None else self.path.name

    @property
    def date(self) -> datetime.date | None:
        """The brief's "as of" date."""
        if self.brief is not None:
            return self.brief.date
        return self.stub.date if self.stub is not None else None

    @property
    def tags(self) -> tuple[str, ...]:
        """The brief's tags."""
        if self.brief is not None:
            return self.brief.tags
        return self.stub.tags if self.stub is not None else ()

    @property
    def regions(self) -> tuple[str, ...]:
        """The brief's regions."""
        if self.brief is not None:
            return self.brief.regions
        return self.stub.regions if self.stub is not None else ()


def is_brief_name(name: str) -> bool:
    """Whether a file name is one a library lists: ``*.yaml`` or ``*.yml``, not hidden (editor
    locks such as ``.#x.yaml`` are hidden too)."""
    return name.endswith(BRIEF_SUFFIXES) and not name.startswith(".")


def find_brief_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders searched recursively for ``*.yaml`` and ``*.yml``.

    Hidden files and folders are skipped. The result is sorted and has no duplicates. What
    cannot be listed is listed anyway, for :func:`load_entry` (and ``check``) to report instead
    of being skipped without a word: a sub-folder that cannot be read, a path longer than the
    system allows. Special files named ``*.yaml`` (a FIFO, a device, a socket, a link to one)
    are listed too; nothing here opens them (see :func:`listing_problem`).
    """
    return [Path(name) for name in list_brief_files(paths)]


def list_brief_files(paths: Iterable[Path]) -> list[str]:
    """:func:`find_brief_files` as strings (a 2,000-file library is listed on every start:
    strings sort twice as fast as paths, and the start-up needs few of them as paths)."""
    found: set[str] = set()
    for path in paths:
        if path.is_dir():
            _walk(os.fspath(path), found)
        else:
            found.add(str(path))
    return sorted(found, key=_path_order)  # as paths sort: by their parts


def _walk(top: str, found: set[str]) -> None:
    """Add the brief files under ``top`` to ``found``, and every folder that cannot be read
    (os.walk skips those without a word unless told)."""

    def unreadable(error: OSError) -> None:
        found.add(os.fspath(error.filename) if error.filename is not None else top)

    for folder, dirs, files in os.walk(top, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.update(os.path.join(folder, name) for name in files if is_brief_name(name))


def _path_order(name: str) -> list[str]:
    return os.path.normcase(name).split(os.sep)


def listing_problem(path: Path) -> Problem | None:
    """Why ``path``, as listed by :func:`find_brief_files`, cannot be read as a brief: it is
    not a regular file, it is a folder that cannot be read, its path is too long, it is gone;
    None for a regular file. Never opens the file (a FIFO would block, ``/dev/zero`` never
    ends): ``stat`` calls only."""
    return _stat(path)[0]


def _stat(path: Path) -> tuple[Problem | None, int]:
    """:func:`listing_problem`, and the file's modification time (0 if unknown)."""
    try:
        info = os.stat(path)
    except OSError as error:
        return _problem(path, _os_error_message(path, error, "this file")), 0
    if stat.S_ISREG(info.st_mode):
        return None, info.st_mtime_ns
    if stat.S_ISDIR(info.st_mode):
        try:
            os.scandir(path).close()
        except OSError as error:  # listed because the walk could not go in
            return _problem(path, _os_error_message(path, error, "this folder")), info.st_mtime_ns
    message = str(NotRegularFile(special_kind(path, info.st_mode)))
    return _problem(path, message), info.st_mtime_ns


def _os_error_message(path: Path, error: OSError, what: str) -> str:
    if error.errno == errno.ENAMETOOLONG:
        return (
            f"the path is longer than this system allows ({len(os.fsencode(path)):,} bytes); "
            "move the file to a shorter path"
        )
    return f"termbrief could not read {what}: {error.strerror or error}"


def _problem(path: Path, message: str) -> Problem:
    from termbrief.core.problems import Problem

    return Problem(str(path), 1, 1, message)


def load_entry(path: Path) -> Entry:
    """Load one file into an entry; never raises for a bad file.

    Valid briefs go through a content-addressed cache (see :func:`load_brief_cached`). Whatever
    one file does (a special file, a crash in the parser, the cache or the model), it becomes
    this entry's problem: the rest of the library still opens.
    """
    from termbrief.core.problems import BriefError

    problem, mtime_ns = _stat(path)
    if problem is not None:
        return Entry(path, None, (problem,), mtime_ns)
    try:
        return Entry(path, _load_regular_file(path), (), mtime_ns)
    except BriefError as error:
        return Entry(path, None, error.problems, mtime_ns)
    except Exception as error:  # one file's crash (a bug, memory) must not close the library
        reason = _describe(error)
        problem = _problem(path, f"termbrief could not read this file: {reason}")
        return Entry(path, None, (problem,), mtime_ns)


def _describe(error: BaseException, limit: int = 200) -> str:
    """``Type: message`` of an exception: one line, at most ``limit`` characters, control
    characters escaped (the message may quote the file)."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cached_entry(path: Path) -> Entry | None:
    """The entry for ``path`` if its exact bytes are in the brief cache, else None.

    Never parses (so never imports the loader): the quick first step of a start-up.
    """
    try:
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # never opened: load_entry reports it
    mtime_ns = info.st_mtime_ns
    found = _cache_lookup(path, locations.cache_dir() / "briefs")
    if found is None or found[2] is None:
        return None
    return Entry(path, found[2], (), mtime_ns)


_BRIEF_CACHE_LIMIT = 5000
"""Cached briefs kept; older ones are pruned (the cache only saves time)."""
_CACHED_MAX_BYTES = 5 * 1024 * 1024
"""Larger files skip the cache and go straight to the loader, which reports its size limit
(``loader.DEFAULT_MAX_BYTES``, not imported here: see above). Only briefs that loaded are
cached, so a cache hit is always within the loader's limit."""
_pruned = False


def _cache_lookup(path: Path, folder: Path) -> tuple[bytes, Path, Brief | None] | None:
    """The file's bytes, its cache file and the cached brief (None if not cached); None when
    the file cannot be read or is too large to cache."""
    try:
        # Only a regular file, never blocking, never past the limit (a FIFO, /dev/zero ...):
        # the loader then reports why.
        data = read_brief_bytes(path, _CACHED_MAX_BYTES)
    except OSError:
        return None
    digest = _blake2b(data, digest_size=20, key=_cache_salt()).hexdigest()
    cached = folder / f"{digest}.msgpack"
    try:
        return data, cached, _brief_decoder().decode(cached.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return data, cached, None


def load_brief_cached(path: Path, cache_folder: Path | None = None) -> Brief:
    """Like :func:`~termbrief.core.loader.load_brief`, but a file whose exact bytes were loaded
    before is decoded from a cache instead of parsed again (many times faster for a large
    brief: see ``bench/results.md``).

    The cache key is a hash of the file's bytes and of this termbrief's version, so a cached
    brief can never be stale: any edit is a different key. Cache failures are ignored.

    Raises:
        BriefError: as ``load_brief``; for anything but a regular file without opening it.
    """
    problem = listing_problem(path)  # a FIFO would block the read below; /dev/zero never ends
    if problem is not None:
        from termbrief.core.problems import BriefError

        raise BriefError([problem])
    return _load_regular_file(path, cache_folder)


def _load_regular_file(path: Path, cache_folder: Path | None = None) -> Brief:
    """:func:`load_brief_cached` for a path known to be a regular file."""
    folder = cache_folder or locations.cache_dir() / "briefs"
    found = _cache_lookup(path, folder)
    if found is not None and found[2] is not None:
        return found[2]
    from termbrief.core.loader import load_brief, load_brief_text

    if found is None:
        return load_brief(path)  # reports the read or size problem
    data, cached, _ = found
    brief = load_brief_text(data, str(path), default_id=path.stem)
    try:
        payload = msgspec.msgpack.encode(brief, enc_hook=encode_hook)
        twin = None if payload.isascii() else _brief_decoder().decode(payload)
    except (msgspec.MsgspecError, OverflowError, TypeError, ValueError, RecursionError):
        return brief  # a brief the cache cannot hold (a number too large) is read every time
    _write_cache(folder, cached, payload)
    # Encoding left a UTF-8 copy inside every non-ASCII string of ``brief`` (CPython keeps it
    # with the string); the decoded twin has none: less memory for each brief a library keeps.
    return brief if twin is None else twin


@functools.cache
def _cache_salt() -> bytes:
    """Part of every cache key: the release and the code that turns YAML into a brief, so a
    changed loader or model never reads briefs cached by an older one."""
    code = _blake2b(digest_size=16)
    for name in ("loader", "problems", "validation", "yaml_guard", "model"):
        # Read next to this file rather than imported: importing the loader imports PyYAML.
        source = Path(__file__).with_name(f"{name}.py")
        try:
            code.update(source.read_bytes())
        except OSError:  # not installed as files (a zip): ask the module where it is
            module = importlib.import_module(f"termbrief.core.{name}")
            code.update(Path(module.__file__ or "").read_bytes())
    return f"termbrief {__version__} {CACHE_VERSION}".encode() + code.digest()


def _write_cache(folder: Path, cached: Path, payload: bytes) -> None:
    global _pruned
    temporary = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(payload)
        os.replace(temporary, cached)
        if not _pruned:
            _pruned = True
            _prune(folder)
    except OSError:
        temporary.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.msgpack"), key=lambda f: f.stat().st_mtime, reverse=True)
    for stale in files[_BRIEF_CACHE_LIMIT:]:
        stale.unlink(missing_ok=True)


def complete(entry: Entry) -> Entry:
    """The entry fully loaded (a stub is read from disk; a loaded entry is returned as is)."""
    return entry if entry.loaded else load_entry(entry.path)


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    """Newest first, then by title; invalid files last, by name."""

    def key(entry: Entry) -> tuple[int, int, str]:
        date = entry.date
        # Only what the model allows sorts by date; anything else (a damaged cache) sorts as
        # undated rather than stopping the library.
        ordinal = date.toordinal() if isinstance(date, datetime.date) else 0
        return (0 if entry.ok else 1, -ordinal, entry.title.casefold())

    return sorted(entries, key=key)


def cached_stubs(cache_file: Path) -> dict[str, Stub]:
    """The library cache: stubs by absolute path, not checked against the files (callers
    compare each stub's size and nanosecond mtime with its file); empty if missing or
    damaged."""
    return _read_cache(cache_file)


def _read_cache(cache_file: Path) -> dict[str, Stub]:
    try:
        data = msgspec.json.decode(cache_file.read_bytes(), type=tuple[int, dict[str, Stub]])
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return {}  # a missing or damaged cache only costs a slower start
    version, stubs = data
    return stubs if version == CACHE_VERSION else {}


def save_cache(entries: Iterable[Entry], cache_file: Path) -> None:
    """Remember the list details of the entries (atomically; failures are ignored, since
    the cache only speeds up the next start). Stubs are kept as they were read."""
    stubs: dict[str, Stub] = {}
    for entry in entries:
        if entry.stub is not None:
            stubs[os.path.abspath(entry.path)] = entry.stub
            continue
        try:
            size = entry.path.stat().st_size
        except OSError:
            continue
        stubs[os.path.abspath(entry.path)] = Stub(
            entry.mtime_ns,
            size,
            entry.ok,
            entry.id,
            entry.title,
            entry.date,
            entry.tags,
            entry.regions,
        )
    temporary = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.tmp")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(msgspec.json.encode((CACHE_VERSION, stubs)))
        os.replace(temporary, cache_file)
    except OSError:
        temporary.unlink(missing_ok=True)


def sample_library_path() -> Path:
    """The bundled sample briefs: inside the package when installed from a wheel, else the
    repository's ``briefs/`` folder (editable installs)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "sample_briefs"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "briefs"
