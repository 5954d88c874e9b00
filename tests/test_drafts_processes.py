"""Drafts against real processes in a real terminal (issue 12): type a note in termbrief running
in tmux, leave by ctrl+q ("Quit anyway"), a closed terminal (SIGHUP), SIGTERM, or kill -9 after
the autosave; the next start offers the draft, and restoring it gives back the exact text.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from termbrief.store.drafts import DraftKey
from termbrief.store.notes import NotesStore
from tmux_terminal import DEADLINE, Terminal, open_terminal
from ui_fixtures import ALPHA

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals"),
]

MARA = DraftKey("alpha", "actors/mara-quist")
FIRST, SECOND = "Ask Quist for the *night* figures (2024)", "Second line: who checks cargo?"
TEXT = f"{FIRST}\n{SECOND}"
"""The draft typed in every test: Markdown, punctuation and a line break."""


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def data_dir(terminal: Terminal) -> Path:
    return Path(terminal.env["TERMBRIEF_DATA_DIR"])


def stored_draft(terminal: Terminal) -> str | None:
    """The draft as a new connection reads it from disk (None: no draft, or no database)."""
    if not (data_dir(terminal) / "notes.sqlite3").exists():
        return None
    with NotesStore.open(data_dir(terminal)) as store:
        draft = store.drafts.get(MARA)
    return None if draft is None else draft.text


def reader_pid(terminal: Terminal) -> int:
    """The termbrief process (tmux runs the command as the pane's process)."""
    return int(terminal.tmux("list-panes", "-t", "tb", "-F", "#{pane_pid}").stdout)


def wait_until_ended(terminal: Terminal, pid: int) -> str:
    """Until ``pid`` has exited; how: ``"exit N"`` or ``"signal N"``.

    A zombie counts as ended (tmux reaps it in its own time): its wait status is still in
    /proc; once reaped, tmux tells it.
    """
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            panes = terminal.tmux(
                "list-panes",
                "-t",
                "tb",
                "-F",
                "#{pane_dead_status} #{pane_dead_signal}",
                check=False,
            )
            if panes.returncode != 0:
                return "ended"  # with its session (kill-session): reaped by init, status unknown
            status, dead_signal = panes.stdout.split(" ")
            return f"signal {dead_signal.strip()}" if dead_signal.strip() else f"exit {status}"
        if fields[0] in ("Z", "X"):
            wait_status = int(fields[49])  # field 52 of stat: the exit code, as waitpid gives it
            if os.WIFSIGNALED(wait_status):
                return f"signal {os.WTERMSIG(wait_status)}"
            return f"exit {os.WEXITSTATUS(wait_status)}"
        time.sleep(0.05)
    raise AssertionError(f"termbrief (pid {pid}) did not end")


def start_reader(terminal: Terminal) -> int:
    # The last run's session moves aside rather than being killed: killing the only session
    # ends the tmux server, and a new session started meanwhile finds it dying.
    terminal.tmux("rename-session", "-t", "tb", f"ended-{time.monotonic_ns()}", check=False)
    terminal.start([str(ALPHA)], 120, 40)
    terminal.wait_for_text("Harbour authority expands night inspections")
    return reader_pid(terminal)


def type_draft(terminal: Terminal) -> None:
    """A new note on Mara Quist (key 3, then n): two lines, left unsaved."""
    terminal.press("3", "n")
    terminal.wait_for_text("On: Actor: Mara Quist", "Write your note")
    terminal.tmux("send-keys", "-t", "tb", "-l", FIRST)
    terminal.press("Enter")
    terminal.tmux("send-keys", "-t", "tb", "-l", SECOND)
    terminal.wait_for_text(FIRST, SECOND)


def assert_offered_on_next_start(terminal: Terminal) -> None:
    """The next start offers the draft; restore opens the editor on its exact text."""
    assert stored_draft(terminal) == TEXT
    start_reader(terminal)
    terminal.wait_for_text("You have an unsaved note on Actor: Mara Quist", "Restore (r)")
    terminal.press("r")
    screen = terminal.wait_for_text("On: Actor: Mara Quist", FIRST, SECOND)
    assert "You have an unsaved note" not in screen
    terminal.press("C-s")  # saved as a note: the draft is gone
    terminal.wait_for_text("Note saved")
    with NotesStore.open(data_dir(terminal)) as store:
        assert [note.text for note in store.notes_for("alpha")] == [TEXT]
        assert store.drafts.all() == []


def test_ctrl_q_asks_and_quit_anyway_keeps_the_draft(terminal: Terminal) -> None:
    pid = start_reader(terminal)
    type_draft(terminal)
    terminal.press("C-q")
    terminal.wait_for_text("Quit anyway?", "Keep editing (n)")
    terminal.press("y")
    assert wait_until_ended(terminal, pid) == "exit 0"
    assert_offered_on_next_start(terminal)


def test_closing_the_terminal_sighup_keeps_the_draft(terminal: Terminal) -> None:
    # Killed right after the text shows, well within the autosave delay: what is kept is
    # saved by the SIGHUP handler.
    pid = start_reader(terminal)
    type_draft(terminal)
    # Another session keeps the tmux server (which reaps the reader) alive for the next start.
    terminal.tmux("new-session", "-d", "-s", "holder", "--", "sleep", "600")
    terminal.tmux("kill-session", "-t", "tb")  # the pane's terminal closes: SIGHUP
    assert wait_until_ended(terminal, pid) in (f"signal {signal.SIGHUP}", "ended")
    assert_offered_on_next_start(terminal)


def test_sigterm_keeps_the_draft_and_quits_cleanly(terminal: Terminal) -> None:
    pid = start_reader(terminal)
    type_draft(terminal)
    os.kill(pid, signal.SIGTERM)
    # Quit like ctrl+q (the terminal given back), not killed by the signal.
    assert wait_until_ended(terminal, pid) == f"exit {128 + signal.SIGTERM}"
    assert_offered_on_next_start(terminal)


def test_kill_9_after_the_autosave_keeps_the_draft(terminal: Terminal) -> None:
    pid = start_reader(terminal)
    type_draft(terminal)
    deadline = time.monotonic() + DEADLINE
    while stored_draft(terminal) != TEXT:  # the autosave, a moment after typing stopped
        assert time.monotonic() < deadline, "the draft was never autosaved"
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    assert wait_until_ended(terminal, pid) == f"signal {signal.SIGKILL}"
    assert_offered_on_next_start(terminal)
