"""End to end: "since you last read" in the real ``termbrief`` command, in tmux (issue 14).

Read a brief (on screen long enough), edit it while it is open, quit, reopen: the banner and
the markers show, ``c`` lists the changes, ``m`` marks it read. Another user (another data
folder) still sees the brief unread.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from termbrief.store.notes import NotesStore
from termbrief.ui.services.reading import READ_AFTER_SECONDS
from test_reading_ui import ORIGINAL, revise
from tmux_terminal import DEADLINE, Terminal, open_terminal
from ui_fixtures import ALPHA, BETA

pytestmark = pytest.mark.e2e


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def read_version(data_dir: Path) -> str | None:
    if not (data_dir / "notes.sqlite3").exists():
        return None
    with NotesStore.open(data_dir) as store:
        mark = store.reading.last_read("alpha")
        return mark.version if mark is not None else None


def wait_until(condition: object, what: str, deadline: float = DEADLINE) -> None:
    assert callable(condition)
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def quit_reader(terminal: Terminal) -> None:
    terminal.press("q")
    wait_until(lambda: not terminal.is_running(), "termbrief to quit")
    terminal.tmux("kill-session", "-t", "tb")


def test_changes_since_read_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    brief = library / "alpha.yaml"
    shutil.copy(ALPHA, brief)
    shutil.copy(BETA, library / "beta.yaml")
    mine, theirs = tmp_path / "me", tmp_path / "other"

    # Read it: on screen for the few seconds that count as reading.
    terminal.start([str(brief), "--data-dir", str(mine)], 120, 40)
    terminal.wait_for_text("Harbour authority expands night inspections")
    wait_until(lambda: read_version(mine) is not None, "the brief to count as read", 20)
    assert READ_AFTER_SECONDS < 20
    first = read_version(mine)
    # Edited while open: shown at once, but not read yet.
    brief.write_text(revise(ORIGINAL), encoding="utf-8")
    terminal.wait_for_text("55 inspectors")
    time.sleep(READ_AFTER_SECONDS + 1)  # longer than reading takes: still not read
    assert read_version(mine) == first
    quit_reader(terminal)

    # Reopened: the banner and the markers.
    terminal.start([str(brief), "--data-dir", str(mine)], 120, 40)
    screen = terminal.wait_for_text("Changed since you read it on", "press c")
    assert "1 key point changed, 1 figure changed, 1 actor added" in screen
    screen = terminal.wait_for_text("│~55 inspectors", "│+Lena Ortiz")
    assert "│ ~• Fifty-five new inspectors" in screen
    # c lists the changes, old and new.
    terminal.press("c")
    screen = terminal.wait_for_text("Changes · Harbour authority", "value: 40 -> 55 inspectors")
    assert "+ Actors: Lena Ortiz" in screen
    terminal.press("Escape")
    terminal.wait_for(lambda text: "Changes · Harbour" not in text, "the changes view to close")
    # r marks it read: banner and markers gone.
    terminal.press("r")
    terminal.wait_for(
        lambda text: "Changed since you read it" not in text and "│~55" not in text,
        "the changes to clear",
    )
    wait_until(lambda: read_version(mine) != first, "the new version to be read")
    quit_reader(terminal)

    # Another user (another data folder) has read nothing: both briefs unread, no banner.
    terminal.start([str(library), "--data-dir", str(theirs)], 120, 40)
    screen = terminal.wait_for_text("2 unread", "│● Harbour authority")
    assert "Changed since you read it" not in screen
    assert read_version(theirs) is None
