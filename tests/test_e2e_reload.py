"""End to end: live reload in the real ``termbrief`` command, in a real terminal (tmux).

``python -m termbrief FILE`` runs on a copy of a sample brief in a detached tmux session (its own
socket, every user folder in a temporary directory); the test edits the file on disk and polls
``capture-pane -p`` until the screen shows the change (no fixed sleeps).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from termbrief.library import load_entry, sample_library_path

pytestmark = pytest.mark.e2e

DEADLINE = 15.0
"""Seconds to wait for start-up on a busy machine."""
RELOAD_DEADLINE = 5.0
"""Seconds to wait for a change on disk to show (the app itself takes well under one)."""


class Terminal:
    """One tmux server on its own socket, one session running termbrief."""

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-u", "-L", self.socket, "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=10,
        )

    def start(self, args: list[str], width: int, height: int) -> None:
        names = ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
        names += ("TERMBRIEF_CONFIG_DIR", "TERMBRIEF_DATA_DIR")
        env_flags = [flag for name in names for flag in ("-e", f"{name}={self.env[name]}")]
        command = [sys.executable, "-m", "termbrief", *args]
        self.tmux(
            "new-session", "-d", "-s", "tb", "-x", str(width), "-y", str(height),
            *env_flags, "--", *command,
        )  # fmt: skip
        # Keep the pane (and its last screen) if termbrief dies, so a failure shows why.
        self.tmux("set-option", "-t", "tb", "remain-on-exit", "on", check=False)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "tb").stdout

    def press(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "tb", key)

    def wait_for(
        self, predicate: Callable[[str], bool], what: str, deadline: float = DEADLINE
    ) -> tuple[str, float]:
        """The screen once ``predicate`` holds, and how many seconds that took."""
        started = time.monotonic()
        text = ""
        while time.monotonic() - started < deadline:
            text = self.screen()
            if predicate(text):
                return text, time.monotonic() - started
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; screen was:\n{text}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    env = dict(os.environ)
    home = tmp_path / "home"
    for name, folder in (
        ("HOME", home),
        ("XDG_CONFIG_HOME", home / "config"),
        ("XDG_DATA_HOME", home / "data"),
        ("XDG_CACHE_HOME", home / "cache"),
        ("XDG_STATE_HOME", home / "state"),
        ("TERMBRIEF_CONFIG_DIR", home / "config" / "termbrief"),
        ("TERMBRIEF_DATA_DIR", home / "data" / "termbrief"),
    ):
        env[name] = str(folder)
    env.pop("TMUX", None)  # we may run inside tmux ourselves
    term = Terminal(f"termbrief-reload-{uuid.uuid4().hex}", env)
    try:
        yield term
    finally:
        term.tmux("kill-server", check=False)


def flat(screen: str) -> str:
    """The screen as one line: borders and line breaks folded, so wrapped text still matches."""
    return " ".join(re.sub(r"[│┃║▌▐▎▊█▏▕]", " ", screen).split())


def test_edit_break_and_fix_a_brief_under_a_running_termbrief(
    terminal: Terminal, tmp_path: Path
) -> None:
    sample = sorted(sample_library_path().glob("*.yaml"))[0]
    brief = tmp_path / "briefs" / sample.name
    brief.parent.mkdir()
    shutil.copy(sample, brief)
    entry = load_entry(brief)
    assert entry.brief is not None
    title = entry.brief.title
    original = brief.read_text(encoding="utf-8")
    title_line = next(line for line in original.splitlines() if line.startswith("title:"))

    terminal.start([str(brief)], 120, 40)
    terminal.wait_for(lambda text: title[:40] in text, "the brief's title")
    # The watcher starts after the first frame, in a thread: save until a first edit shows.
    probe = original.replace(title_line, "title: Watching now", 1)
    for _ in range(int(DEADLINE)):
        brief.write_text(probe, encoding="utf-8")
        try:
            terminal.wait_for(lambda text: "Watching now" in text, "the probe", 1.0)
            break
        except AssertionError:
            continue
    else:
        raise AssertionError(f"no edit of the brief ever showed:\n{terminal.screen()}")

    # An edit of the title shows, in place.
    edited = original.replace(title_line, "title: Live reload works in a real terminal", 1)
    brief.write_text(edited, encoding="utf-8")
    _, took = terminal.wait_for(
        lambda text: "Live reload works in a real terminal" in text,
        "the new title",
        RELOAD_DEADLINE,
    )
    assert took < 2.0  # within a second for the app, plus tmux and polling on a busy machine

    # Broken: the last good version stays, and the problem is shown as path:line:col.
    broken = edited.replace("title: Live", "title: [Live", 1)
    assert broken != edited
    brief.write_text(broken, encoding="utf-8")
    problem = load_entry(brief).problems[0]
    where = f"{brief.name}:{problem.line}:{problem.column}:"
    screen, _ = terminal.wait_for(lambda text: where in flat(text), where, RELOAD_DEADLINE)
    assert "Live reload works in a real terminal" in screen
    assert "last good version" in flat(screen)

    # Fixed: the banner goes and the new content shows.
    brief.write_text(edited.replace("in a real terminal", "after a fix"), encoding="utf-8")
    screen, _ = terminal.wait_for(
        lambda text: "Live reload works after a fix" in text, "the fixed title", RELOAD_DEADLINE
    )
    assert where not in flat(screen)

    terminal.press("q")
    terminal.wait_for(lambda _text: not is_running(terminal), "termbrief to quit")


def is_running(terminal: Terminal) -> bool:
    result = terminal.tmux("list-panes", "-t", "tb", "-F", "#{pane_dead}", check=False)
    return result.returncode == 0 and result.stdout.strip() == "0"
