"""Listing a library never opens a special file, and never drops what it cannot read.

A FIFO, a device, a socket or a link to one named ``*.yaml`` is listed with the problem "not a
regular file" (opening a FIFO blocks, ``/dev/zero`` never ends); a folder that cannot be read and
a path longer than the system allows are listed as problems too. The library, the folder watcher
and ``termbrief check`` share these rules. The special files are made here, in the test.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from termbrief.cli.main import main
from termbrief.core.library import (
    find_brief_files,
    list_brief_files,
    listing_problem,
    load_entry,
    sort_entries,
)
from termbrief.core.watch import BriefWatcher

GOOD = "title: Good\nsummary: S\ndate: 2024-01-01\n"
T = TypeVar("T")


def within(seconds: float, work: Callable[[], T]) -> T:
    """``work()``, failing (instead of hanging the suite) when it blocks for ``seconds``."""
    result: list[T] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"blocked for {seconds} s (a special file was opened?)"
    return result[0]


@pytest.fixture
def special_library(tmp_path: Path) -> Iterator[Path]:
    """A folder with one good brief and every kind of special file named ``*.yaml``."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "null.yml").symlink_to("/dev/null")
    (folder / "dangling.yaml").symlink_to(folder / "nowhere")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "sock.yaml"))
        yield folder


def test_special_files_are_listed_as_problems_without_being_opened(special_library: Path) -> None:
    names = list_brief_files([special_library])
    assert [Path(name).name for name in names] == [
        "dangling.yaml",
        "good.yaml",
        "null.yml",
        "pipe.yaml",
        "sock.yaml",
        "zero.yaml",
    ]
    entries = within(10, lambda: sort_entries(load_entry(Path(name)) for name in names))
    assert entries[0].ok and entries[0].title == "Good"
    messages = {entry.path.name: entry.problems[0].message for entry in entries[1:]}
    assert messages["pipe.yaml"].startswith("not a regular file (a named pipe (FIFO))")
    assert messages["zero.yaml"].startswith("not a regular file (a link to a character device)")
    assert messages["null.yml"].startswith("not a regular file (a link to a character device)")
    assert messages["sock.yaml"].startswith("not a regular file (a socket)")
    assert messages["dangling.yaml"] == (
        "termbrief could not read this file: No such file or directory"
    )
    for entry in entries[1:]:
        assert not entry.ok and entry.problems[0].path == str(entry.path)


def test_a_fifo_given_by_itself_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "given.yaml"
    os.mkfifo(fifo)
    assert find_brief_files([fifo]) == [fifo]
    entry = within(10, lambda: load_entry(fifo))
    assert entry.problems[0].message.startswith("not a regular file (a named pipe (FIFO))")
    assert listing_problem(tmp_path / "x.yaml") is not None  # missing
    (tmp_path / "x.yaml").write_text(GOOD, encoding="utf-8")
    assert listing_problem(tmp_path / "x.yaml") is None


def flat(screen: str) -> str:
    """The screen's text as one line, borders and line breaks folded."""
    return " ".join(screen.replace("│", " ").split())


def deny_listing(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make ``denied`` a folder that cannot be read. (chmod cannot: the tests may run as root,
    which reads every folder.) os.walk calls ``os.scandir``, as does the library's check."""
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        if os.fspath(path) == str(denied):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_scandir(path)  # type: ignore[return-value]

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_folder_is_listed_as_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "lib"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "secret.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    deny_listing(monkeypatch, folder / "locked")
    assert find_brief_files([folder]) == [folder / "good.yaml", folder / "locked"]
    entry = load_entry(folder / "locked")
    assert not entry.ok and entry.title == "locked"
    assert entry.problems[0].message == "termbrief could not read this folder: Permission denied"
    # Opened as the library itself, the folder is its only (problem) entry.
    assert list_brief_files([folder / "locked"]) == [str(folder / "locked")]


def deep_tree(root: Path) -> Path:
    """A tree nested past the system's path limit, with a brief at its bottom (made with
    paths relative to open folders: the full path is too long for any system call)."""
    name_max = os.pathconf(root, "PC_NAME_MAX")
    path_max = os.pathconf(root, "PC_PATH_MAX")
    name = "d" * min(name_max, 200)
    depth = path_max // (len(name) + 1) + 2
    handle = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=handle)
            inner = os.open(name, os.O_RDONLY, dir_fd=handle)
            os.close(handle)
            handle = inner
        brief = os.open("deep.yaml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=handle)
        os.write(brief, GOOD.encode())
        os.close(brief)
    finally:
        os.close(handle)
    return root.joinpath(*[name] * depth)


def test_a_path_longer_than_the_system_allows_is_listed_as_a_problem(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "good.yaml").write_text(GOOD, encoding="utf-8")
    bottom = deep_tree(tmp_path / "lib")
    names = list_brief_files([tmp_path / "lib"])
    assert names[-1] == str(tmp_path / "lib" / "good.yaml")
    [too_long] = names[:-1]
    assert str(bottom).startswith(too_long) and len(os.fsencode(too_long)) > 4000
    entry = load_entry(Path(too_long))
    assert entry.problems[0].message.startswith("the path is longer than this system allows (")


def test_check_reports_special_files_and_unreadable_folders_and_exits_1(
    special_library: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (special_library / "locked").mkdir()
    deny_listing(monkeypatch, special_library / "locked")
    code = within(10, lambda: main(["check", str(special_library)]))
    out = capsys.readouterr().out
    assert code == 1
    assert f"{special_library / 'pipe.yaml'}:1:1: error: not a regular file" in out
    assert f"{special_library / 'zero.yaml'}:1:1: error: not a regular file" in out
    assert (
        f"{special_library / 'locked'}:1:1: error: termbrief could not read this folder: "
        "Permission denied"
    ) in out
    assert "checked 7 files: 1 valid, 6 invalid" in out


def test_the_watcher_reports_special_files_like_files(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    os.mkfifo(folder / "early.yaml")
    changes: list[tuple[str, Path]] = []
    seen = threading.Condition()

    def record(batch: set[tuple[str, Path]]) -> None:
        with seen:
            changes.extend(batch)
            seen.notify_all()

    def reported(change: tuple[str, Path]) -> bool:
        with seen:
            return seen.wait_for(lambda: change in changes, timeout=2.0)

    watcher = BriefWatcher([folder], record, debounce_ms=50)
    watcher.start()
    try:
        # Known from the start, as the library lists it: touched, it is modified, not gone.
        os.utime(folder / "early.yaml")
        assert reported(("modified", folder / "early.yaml"))
        assert ("deleted", folder / "early.yaml") not in changes
        os.mkfifo(folder / "late.yaml")
        assert reported(("added", folder / "late.yaml"))
        entry = within(10, lambda: load_entry(folder / "late.yaml"))
        assert entry.problems[0].message.startswith("not a regular file")
        (folder / "late.yaml").unlink()
        assert reported(("deleted", folder / "late.yaml"))
    finally:
        watcher.stop()


def test_the_brief_cache_never_opens_a_special_file(tmp_path: Path) -> None:
    from termbrief.core.library import cached_entry, load_brief_cached
    from termbrief.core.loader import BriefError

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)

    def load() -> str:
        with pytest.raises(BriefError) as raised:
            load_brief_cached(fifo, tmp_path / "cache")
        return raised.value.problems[0].message

    assert within(10, load).startswith("not a regular file (a named pipe (FIFO))")
    assert within(10, lambda: cached_entry(fifo)) is None


@pytest.mark.e2e
def test_the_reader_given_a_fifo_shows_its_problem(tmp_path: Path) -> None:
    # The real command in a terminal (tmux): its start-up parses the first brief in a helper
    # process, which must not block on the FIFO either.
    from tmux_terminal import open_terminal

    fifo = tmp_path / "given.yaml"
    os.mkfifo(fifo)
    for terminal in open_terminal(tmp_path):
        terminal.start([str(fifo)], 100, 30)
        terminal.wait_for(
            lambda text: "not a regular file (a named pipe (FIFO))" in flat(text),
            "the FIFO's problem",
        )
        terminal.press("q")
