"""Reading brief files: only regular files, never blocking, never more than a size limit.

Every path that reads a brief (``check``, the reader, the brief cache, ``notes``) goes through
:func:`read_brief_bytes`, so that one rule holds everywhere:

- the file is opened with ``O_NONBLOCK`` and checked with ``fstat`` *before* anything is read:
  a FIFO, a terminal, a device (``/dev/zero``, ``/dev/urandom``, ``/dev/stdin``) or a socket is
  refused as "not a regular file" instead of blocking or being read forever;
- at most ``max_bytes + 1`` bytes are ever read, whatever size the file claims: a size can lie
  (files in ``/proc`` say 0, a file can grow while it is read).

No Textual, no PyYAML: this module is cheap to import.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from typing import Final

READ_CHUNK = 1024 * 1024
"""Bytes asked of the system per read once the size the file reports is used up."""

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)  # opening a terminal must never make it ours
    | getattr(os, "O_CLOEXEC", 0)
)


class FileRefused(OSError):
    """The file is not read as a brief; ``str(error)`` says why, for people."""


class NotRegularFile(FileRefused):
    """A FIFO, device, socket or folder where a brief file was expected."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"not a regular file ({kind}); only regular files are read as briefs")
        self.kind = kind
        """What the path is instead, e.g. ``a FIFO``."""


class FileTooLarge(FileRefused):
    """The file is over the size limit (by its reported size or by what could be read)."""

    def __init__(self, size: int | None, max_bytes: int) -> None:
        if size is None:  # the reported size was wrong: only "more than the limit" is known
            text = f"file is over {mib(max_bytes)}; briefs are limited to that size"
        else:
            text = f"file is {mib(size)}; briefs are limited to {mib(max_bytes)}"
        super().__init__(text)
        self.size = size
        """The size the file reported, or None when it reported less than it held."""
        self.max_bytes = max_bytes
        """The limit it broke."""


def mib(size: int) -> str:
    """A size for messages, e.g. ``5.0 MiB``."""
    return f"{size / (1024 * 1024):.1f} MiB"


def read_brief_bytes(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The whole content of a regular file of at most ``max_bytes`` bytes.

    Never blocks (a FIFO or terminal is refused before any read) and never reads more than
    ``max_bytes + 1`` bytes.

    Raises:
        NotRegularFile: the path is a FIFO, device, socket or folder.
        FileTooLarge: the file is over ``max_bytes``.
        OSError: any other reason the file cannot be read (missing, no permission, ...).
    """
    with _opened_regular(path) as (handle, info):
        if info.st_size > max_bytes:
            raise FileTooLarge(info.st_size, max_bytes)
        data = _read_at_most(handle, max_bytes + 1, info.st_size)
    if len(data) > max_bytes:
        raise FileTooLarge(None, max_bytes)
    return data


def read_brief_head(path: str | os.PathLike[str], limit: int) -> bytes:
    """The first ``limit`` bytes (or fewer) of a regular file, by the same rules as
    :func:`read_brief_bytes`: for a quick look at a brief without loading it.

    Raises:
        NotRegularFile: the path is a FIFO, device, socket or folder.
        OSError: any other reason the file cannot be read.
    """
    with _opened_regular(path) as (handle, info):
        return _read_at_most(handle, limit, min(info.st_size, limit - 1))


@contextlib.contextmanager
def _opened_regular(path: str | os.PathLike[str]) -> Iterator[tuple[int, os.stat_result]]:
    """A read-only descriptor of ``path`` and its status, once it is known to be a regular
    file; opening never waits (``O_NONBLOCK``), and nothing is read before ``fstat``."""
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        _refuse_special(path, error)
        raise
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(special_kind(path, info.st_mode))
        yield handle, info
    finally:
        os.close(handle)


def _read_at_most(handle: int, limit: int, size_hint: int) -> bytes:
    """Up to ``limit`` bytes, to the end of the file; one read when the size told is true."""
    chunks: list[bytes] = []
    total = 0
    want = min(limit, size_hint + 1) if size_hint > 0 else min(limit, READ_CHUNK)
    while total < limit:
        chunk = os.read(handle, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = min(limit - total, READ_CHUNK)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _refuse_special(path: str | os.PathLike[str], error: OSError) -> None:
    """A socket (ENXIO) or a folder that could not be opened is still "not a regular file"."""
    if error.errno not in (errno.ENXIO, errno.EISDIR, errno.EOPNOTSUPP):
        return
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise NotRegularFile(special_kind(path, mode)) from None


_SPECIAL_KINDS: Final = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def special_kind(path: str | os.PathLike[str], mode: int) -> str:
    """What ``path`` is instead of a regular file, for messages: ``a named pipe (FIFO)``, or
    ``a link to a character device`` when ``path`` is a symbolic link to one."""
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "a special file")
    return f"a link to {kind}" if os.path.islink(path) else kind
