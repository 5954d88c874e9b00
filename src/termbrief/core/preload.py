"""Start-up loading: parse the first brief in a helper process while the reader builds itself.

Parsing YAML is the one start-up cost that does not depend on the UI: :func:`start_loading`
forks a child that imports PyYAML, parses the brief, stores it in the brief cache and sends it
back as msgpack, while the parent goes on building its screen; the parent decodes the result
when it needs it (about 1 ms) and never imports PyYAML itself. A brief already in the cache is
decoded at once, with no child. Where a child cannot be forked safely (not Linux, or threads
already running), the brief is simply loaded in this process when asked for. A large brief is
parsed in a fresh interpreter instead (see :func:`_spawn`), so the reader stays responsive.

For a brief too large to wait for, :func:`scan_header` reads the title, date, tags and regions
from the start of the file, so the first frame can show them while the rest loads.

No Textual here (domain module).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Final

import msgspec

from termbrief.core.library import Entry, Stub, cached_entry, load_brief_cached, load_entry
from termbrief.core.model import Brief, decode_hook, encode_hook

LARGE_BRIEF_BYTES: Final = 512 * 1024
"""Briefs at least this large are shown from :func:`scan_header` first and filled when loaded
(a 3.5 MB brief takes over a second to parse; a 20 KB one about 10 ms)."""
CHILD_TIMEOUT_S: Final = 120.0
"""How long to wait for the helper process before loading here instead."""
HEADER_SCAN_BYTES: Final = 64 * 1024
"""How much of a large file :func:`scan_header` reads."""
_HEADER_KEYS: Final = frozenset({"id", "title", "date", "tags", "regions"})
_DECODER: Final = msgspec.msgpack.Decoder(Brief, dec_hook=decode_hook)


def can_fork() -> bool:
    """Whether a helper process can be forked from this one now."""
    # Linux only: elsewhere fork without exec is unsafe or unavailable. And only while this
    # process has a single thread, since a lock held by another thread would stay held forever
    # in the child.
    return sys.platform.startswith("linux") and threading.active_count() == 1


class PendingEntry:
    """A library entry being loaded; :meth:`result` waits for it (thread-safe)."""

    def __init__(
        self,
        path: Path,
        *,
        entry: Entry | None = None,
        pid: int = 0,
        fd: int = -1,
        process: subprocess.Popen[bytes] | None = None,
    ) -> None:
        self.path = path
        """The brief file."""
        self._entry = entry
        self._pid = pid
        self._fd = fd
        self._process = process
        self._cancelled = False
        self._lock = threading.Lock()
        try:
            self.size = path.stat().st_size
            """The file's size in bytes (0 if unknown)."""
        except OSError:
            self.size = 0

    @property
    def done(self) -> bool:
        """Whether :meth:`result` would return without waiting."""
        if self._entry is not None:
            return True
        if self._fd < 0:
            return False
        readable, _, _ = select.select([self._fd], [], [], 0)
        return bool(readable)

    def result(self) -> Entry:
        """The loaded entry: from the helper process, or loaded here if it failed (an invalid
        brief is always loaded here, so its problems are reported as usual)."""
        with self._lock:
            if self._entry is None:
                self._entry = self._collect()
            return self._entry

    def _collect(self) -> Entry:
        if self._pid:
            payload = self._receive()
            if payload and not self._cancelled:
                try:
                    brief = _DECODER.decode(payload)
                except (msgspec.DecodeError, msgspec.ValidationError):
                    pass
                else:
                    mtime_ns = 0
                    with contextlib.suppress(OSError):
                        mtime_ns = self.path.stat().st_mtime_ns
                    return Entry(self.path, brief, (), mtime_ns)
        if self._cancelled:
            return Entry(self.path, None)  # nobody wants it any more: no loading here
        return load_entry(self.path)

    def _receive(self) -> bytes:
        chunks: list[bytes] = []
        complete = False
        deadline = time.monotonic() + CHILD_TIMEOUT_S
        try:
            while (left := deadline - time.monotonic()) > 0:
                readable, _, _ = select.select([self._fd], [], [], left)
                if not readable:
                    break
                chunk = os.read(self._fd, 1 << 20)
                if not chunk:  # end of file: the child sent everything (or nothing) and quit
                    complete = True
                    break
                chunks.append(chunk)
        finally:
            os.close(self._fd)
            self._fd = -1
            self._reap(finished=complete)
        return b"".join(chunks) if complete else b""

    def _reap(self, *, finished: bool) -> None:
        pid, self._pid = self._pid, 0
        process, self._process = self._process, None
        if process is not None:
            if not finished:
                process.kill()
            process.wait()
            return
        if not finished:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)

    def cancel(self) -> None:
        """Stop the helper process if it is still running (the reader is quitting).

        Safe while another thread waits in :meth:`result`: the child's end of the pipe closes
        with it, the wait ends, and the result is then an empty entry instead of a load here.
        """
        self._cancelled = True
        pid = self._pid
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with self._lock:  # taken once a waiting result() has reaped the child
            if self._pid:
                os.close(self._fd)
                self._fd = -1
                self._reap(finished=False)


def start_loading(path: Path) -> PendingEntry:
    """Start loading ``path``: from the cache at once, else in a helper process (see the
    module docstring), else later in this process."""
    entry = cached_entry(path)
    if entry is not None:
        return PendingEntry(path, entry=entry)
    try:
        large = path.stat().st_size >= LARGE_BRIEF_BYTES
    except OSError:
        return PendingEntry(path)  # load_entry reports it
    if not (os.name == "posix" if large else can_fork()):
        return PendingEntry(path)
    read_fd, write_fd = os.pipe()
    try:
        if large:
            return _spawn(path, read_fd, write_fd)
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        with contextlib.suppress(OSError):
            os.close(write_fd)
        return PendingEntry(path)
    if pid == 0:  # pragma: no cover - the child never returns (coverage does not see it)
        code = 1
        try:
            os.close(read_fd)
            code = send_brief(path, write_fd)
        finally:
            # _exit: no atexit handlers, no flushing of buffers inherited from the parent.
            os._exit(code)
    os.close(write_fd)
    return PendingEntry(path, pid=pid, fd=read_fd)


def _spawn(path: Path, read_fd: int, write_fd: int) -> PendingEntry:
    """A fresh interpreter for a large brief: it starts in ~100 ms, nothing next to a parse of
    a second or more, and unlike a forked child it shares no memory with this process (every
    page this process writes while a forked child lives must be copied: ~15 ms of a first
    frame)."""
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "termbrief.core.preload", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=write_fd,
            stderr=subprocess.DEVNULL,
        )
    finally:
        os.close(write_fd)
    return PendingEntry(path, pid=process.pid, fd=read_fd, process=process)


def send_brief(path: Path, write_fd: int) -> int:
    """Parse ``path`` and write it to ``write_fd`` as msgpack; the exit status (0: sent)."""
    try:
        brief = load_brief_cached(path)  # stores it in the cache too, for the next start
        write_all(write_fd, msgspec.msgpack.encode(brief, enc_hook=encode_hook))
    except BaseException:  # any failure: the parent loads the file itself
        return 1
    return 0


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd``."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def read_exactly(fd: int, size: int, timeout: float = CHILD_TIMEOUT_S) -> bytes | None:
    """``size`` bytes from ``fd``; None if it ends first or nothing comes for ``timeout``."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while size > 0:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def scan_header(path: Path) -> Stub | None:
    """Title, id, date, tags and regions from the first :data:`HEADER_SCAN_BYTES` of a brief,
    without loading it (None if no title is found there).

    Unvalidated, for display only until the brief is loaded: callers show the strings through
    :mod:`termbrief.ui.render.safe` like any brief text.
    """
    import yaml

    try:
        stat = path.stat()
        with path.open("rb") as file:
            head = file.read(HEADER_SCAN_BYTES)
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


if __name__ == "__main__":  # the helper process of _spawn: python -m termbrief.core.preload FILE
    sys.exit(send_brief(Path(sys.argv[1]), sys.stdout.fileno()))
