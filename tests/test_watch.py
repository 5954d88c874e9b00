"""Live reload's file watcher (termbrief.core.watch): real files, real OS notifications."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from termbrief.core.watch import BriefWatcher

TIMEOUT = 1.0
"""Every change must be reported within this many seconds."""

Change = tuple[str, Path]


class Recorder:
    """Collects the watcher's batches; waits for an expected change with a real timeout."""

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self._condition = threading.Condition()

    def __call__(self, batch: set[Change]) -> None:
        assert batch, "the watcher must not report empty batches"
        with self._condition:
            self.changes.extend(batch)
            self._condition.notify_all()

    def wait_for(self, change: Change, timeout: float = TIMEOUT) -> bool:
        with self._condition:
            return self._condition.wait_for(lambda: change in self.changes, timeout)

    def clear(self) -> None:
        with self._condition:
            self.changes.clear()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.yaml").write_text("title: A\n")
    (folder / "sub" / "b.yml").write_text("title: B\n")
    return folder


@pytest.fixture
def watching(library: Path, recorder: Recorder) -> Iterator[BriefWatcher]:
    watcher = BriefWatcher([library], recorder)
    watcher.start()
    yield watcher
    watcher.stop()
    assert not watcher.running


def replace_save(path: Path, text: str) -> None:
    """Save the way vim, VS Code and most editors do: write a temporary file, rename it over."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text)
    os.replace(temporary, path)


def test_modification_is_reported(
    watching: BriefWatcher, library: Path, recorder: Recorder
) -> None:
    (library / "a.yaml").write_text("title: A2\n")
    assert recorder.wait_for(("modified", library / "a.yaml"))


def test_nested_file_modification_is_reported(
    watching: BriefWatcher, library: Path, recorder: Recorder
) -> None:
    (library / "sub" / "b.yml").write_text("title: B2\n")
    assert recorder.wait_for(("modified", library / "sub" / "b.yml"))


def test_addition_and_deletion_are_reported(
    watching: BriefWatcher, library: Path, recorder: Recorder
) -> None:
    new = library / "sub" / "new.yaml"
    new.write_text("title: New\n")
    assert recorder.wait_for(("added", new))
    new.unlink()
    assert recorder.wait_for(("deleted", new))


def test_replace_save_is_a_modification(
    watching: BriefWatcher, library: Path, recorder: Recorder
) -> None:
    target = library / "a.yaml"
    replace_save(target, "title: Replaced\n")
    assert recorder.wait_for(("modified", target))
    # The watch survives the replacement: the next save is seen too.
    recorder.clear()
    replace_save(target, "title: Again\n")
    assert recorder.wait_for(("modified", target))
    assert ("deleted", target) not in recorder.changes
    assert ("added", target) not in recorder.changes


def test_other_files_are_ignored(watching: BriefWatcher, library: Path, recorder: Recorder) -> None:
    (library / "notes.txt").write_text("x")
    (library / ".hidden.yaml").write_text("x")
    (library / "a.yaml~").write_text("x")
    # Then a real change: everything before it has been seen by then.
    (library / "a.yaml").write_text("title: A3\n")
    assert recorder.wait_for(("modified", library / "a.yaml"))
    assert {path.name for _, path in recorder.changes} == {"a.yaml"}


def test_a_single_file_is_watched_through_replace_saves(tmp_path: Path, recorder: Recorder) -> None:
    single = tmp_path / "solo.yaml"
    single.write_text("title: Solo\n")
    sibling = tmp_path / "sibling.yaml"
    watcher = BriefWatcher([single], recorder, debounce_ms=50)
    watcher.start()
    try:
        for text in ("title: One\n", "title: Two\n"):
            recorder.clear()
            replace_save(single, text)
            assert recorder.wait_for(("modified", single))
        sibling.write_text("title: Not watched\n")
        single.unlink()
        assert recorder.wait_for(("deleted", single))
        assert all(path == single for _, path in recorder.changes)
        single.write_text("title: Back\n")
        assert recorder.wait_for(("added", single))
    finally:
        watcher.stop()


def test_relative_paths_are_reported_absolute(
    library: Path, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(library.parent)
    watcher = BriefWatcher([Path("library")], recorder)
    watcher.start()
    try:
        (library / "a.yaml").write_text("title: A4\n")
        assert recorder.wait_for(("modified", library / "a.yaml"))
    finally:
        watcher.stop()


def test_stop_ends_the_threads_and_start_is_idempotent(library: Path, recorder: Recorder) -> None:
    watcher = BriefWatcher([library], recorder)
    watcher.start()
    watcher.start()
    assert watcher.running
    watcher.stop()
    assert not watcher.running
    (library / "a.yaml").write_text("title: After stop\n")
    assert not recorder.wait_for(("modified", library / "a.yaml"), timeout=0.4)


def test_missing_paths_do_not_break_the_watcher(tmp_path: Path, recorder: Recorder) -> None:
    watcher = BriefWatcher([tmp_path / "gone" / "x.yaml", tmp_path / "gone" / "dir"], recorder)
    watcher.start()  # nothing can be watched: no thread, no error
    assert not watcher.running
    watcher.stop()


def test_a_missing_file_in_an_existing_folder_is_reported_when_created(
    tmp_path: Path, recorder: Recorder
) -> None:
    later = tmp_path / "later.yaml"
    watcher = BriefWatcher([later], recorder)
    watcher.start()
    try:
        later.write_text("title: Later\n")
        assert recorder.wait_for(("added", later))
    finally:
        watcher.stop()


def test_a_failing_callback_is_logged_and_watching_goes_on(
    library: Path, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    failed = threading.Event()

    def explode_once(batch: set[Change]) -> None:
        if not failed.is_set():
            failed.set()
            raise RuntimeError("callback bug")
        recorder(batch)

    watcher = BriefWatcher([library], explode_once)
    watcher.start()
    try:
        (library / "a.yaml").write_text("title: Boom\n")
        assert failed.wait(TIMEOUT)
        new = library / "after.yaml"
        new.write_text("title: After\n")
        assert recorder.wait_for(("added", new))
        assert watcher.running
        assert "callback bug" in caplog.text
    finally:
        watcher.stop()
