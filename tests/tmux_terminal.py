"""A real terminal for end-to-end tests: termbrief running in a detached tmux session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DEADLINE = 15.0
"""Seconds to wait for the screen to show something (start-up on a busy 2-core machine)."""


class Terminal:
    """One tmux server, one session running termbrief."""

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
        command = [sys.executable, "-m", "termbrief", *args]
        env_flags = [
            flag
            for name in (
                "HOME",
                "XDG_CONFIG_HOME",
                "XDG_DATA_HOME",
                "XDG_CACHE_HOME",
                "XDG_STATE_HOME",
                "TERMBRIEF_CONFIG_DIR",
                "TERMBRIEF_DATA_DIR",
            )
            for flag in ("-e", f"{name}={self.env[name]}")
        ]
        self.tmux(
            "new-session",
            "-d",
            "-s",
            "tb",
            "-x",
            str(width),
            "-y",
            str(height),
            *env_flags,
            "--",
            *command,
        )
        # Keep the pane (and its last screen) if termbrief dies, so a failure shows why.
        self.tmux("set-option", "-t", "tb", "remain-on-exit", "on", check=False)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "tb").stdout

    def styled_screen(self) -> str:
        """The screen with colour escapes, to notice focus changes that only change colours."""
        return self.tmux("capture-pane", "-p", "-e", "-t", "tb").stdout

    def press(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "tb", key)

    def wait_for(
        self, predicate: Callable[[str], bool], what: str, deadline: float = DEADLINE
    ) -> str:
        """The screen once ``predicate`` holds (polled, no fixed sleeps)."""
        return self.wait_for_timed(predicate, what, deadline)[0]

    def wait_for_timed(
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

    def wait_for_settled(
        self, predicate: Callable[[str], bool], what: str, deadline: float = DEADLINE
    ) -> str:
        """The screen once ``predicate`` holds and it stopped changing: tmux takes in a frame
        line by line, so a capture may show the top of a new frame over the rest of the old."""
        started = time.monotonic()
        text = self.wait_for(predicate, what, deadline)
        while time.monotonic() - started < deadline:
            time.sleep(0.1)
            again = self.screen()
            if again == text and predicate(again):
                return again
            text = again
        raise AssertionError(f"the screen did not settle after {what}; screen was:\n{text}")

    def wait_for_text(self, *needles: str) -> str:
        return self.wait_for(lambda t: all(n in t for n in needles), f"{needles!r}")

    def wait_for_change(self, before: str) -> str:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            after = self.styled_screen()
            if after != before:
                return after
            time.sleep(0.1)
        raise AssertionError("the screen did not change")

    def is_running(self) -> bool:
        result = self.tmux("list-panes", "-t", "tb", "-F", "#{pane_dead}", check=False)
        return result.returncode == 0 and result.stdout.strip() == "0"


def open_terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A tmux server on its own socket with every user folder under ``tmp_path``; killed after.

    Use as a generator fixture body: ``yield from open_terminal(tmp_path)``.
    """
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
    term = Terminal(f"termbrief-test-{uuid.uuid4().hex}", env)
    try:
        yield term
    finally:
        term.tmux("kill-server", check=False)
