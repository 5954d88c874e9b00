"""End to end without colour: the real ``termbrief`` in tmux under ``NO_COLOR=1``, ``TERM=linux``
(16 colours) and ``TEXTUAL_COLOR_SYSTEM=standard`` visits every pane, a detail, find and help, and
the focused table's cursor row is drawn in reverse video (not only in a shade that may vanish).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tmux_terminal import DEADLINE, Terminal, open_terminal
from ui_fixtures import ALPHA

pytestmark = pytest.mark.e2e

REVERSE = re.compile(r"\x1b\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m")
"""An SGR sequence that turns reverse video on."""


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def start(terminal: Terminal, variables: dict[str, str]) -> None:
    """termbrief on the alpha brief at 120x40, with ``variables`` set for it alone."""
    user_dirs = (
        "HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
        "TERMBRIEF_CONFIG_DIR",
        "TERMBRIEF_DATA_DIR",
    )
    settings = [f"{name}={terminal.env[name]}" for name in user_dirs]
    settings += [f"{name}={value}" for name, value in variables.items()]
    command = ["env", *settings, sys.executable, "-m", "termbrief", str(ALPHA)]
    terminal.tmux("new-session", "-d", "-s", "tb", "-x", "120", "-y", "40", "--", *command)
    terminal.tmux("set-option", "-t", "tb", "remain-on-exit", "on", check=False)


ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def line_with(styled: str, text: str) -> str:
    """The styled screen line whose text holds ``text`` ("" if none does yet)."""
    return next((line for line in styled.splitlines() if text in ESCAPE.sub("", line)), "")


def wait_for_reversed(terminal: Terminal, rows: tuple[str, ...], cursor: str) -> None:
    """Wait until, of the screen lines holding ``rows``, only ``cursor``'s is in reverse video
    (the focused table's cursor row)."""
    deadline = time.monotonic() + DEADLINE
    while True:
        styled = terminal.styled_screen()
        if [row for row in rows if REVERSE.search(line_with(styled, row))] == [cursor]:
            return
        assert time.monotonic() < deadline, [line_with(styled, row) for row in rows]
        time.sleep(0.1)


@pytest.mark.parametrize(
    "variables",
    [{"NO_COLOR": "1"}, {"TERM": "linux"}, {"TEXTUAL_COLOR_SYSTEM": "standard"}],
    ids=["NO_COLOR", "TERM=linux", "standard"],
)
def test_every_pane_without_colour(terminal: Terminal, variables: dict[str, str]) -> None:
    start(terminal, variables)
    terminal.wait_for_text("Harbour", "Pilot period", "Dock Workers Union", "Wait for the data")
    # 5 and 6 show the panes the grid has no room for; the focused list's current item is
    # marked by a full block, not a shade.
    terminal.press("5")
    terminal.wait_for_text("5 Timeline (3)", "█ 2019")
    terminal.press("j", "6")
    terminal.wait_for(
        lambda text: "6 Sources (2)" in text and "Timeline (3)" not in text, "the sources pane"
    )
    terminal.wait_for_text("█ Authority press release")
    terminal.press("j", "2")
    rows = ("New inspectors", "Share of cargo", "Budget for the pilot")
    terminal.wait_for(
        lambda text: all(row in text for row in rows) and "Sources (2)" not in text, "the grid"
    )
    # The focused table's cursor row, and only it, is in reverse video.
    wait_for_reversed(terminal, rows, "New inspectors")
    terminal.press("3")
    actor_rows = ("Director of the harbour", "Runs the port", "Represents inspectors")
    wait_for_reversed(terminal, actor_rows, "Director of the harbour")
    terminal.press("Enter")
    terminal.wait_for(lambda text: "mention" in text.lower(), "the actor's detail")
    terminal.press("Escape")
    terminal.wait_for(lambda text: "mention" not in text.lower(), "the detail to close")
    terminal.press("4", "j", "/")
    terminal.wait_for_text("Find in this brief")
    terminal.press("Escape")
    terminal.wait_for(lambda text: "Find in this brief" not in text, "the find bar to close")
    terminal.press("?")
    terminal.wait_for(lambda text: "binding id" in text.lower(), "the help screen")
    terminal.press("Escape")
    terminal.wait_for(lambda text: "binding id" not in text.lower(), "the help to close")
    assert terminal.is_running(), terminal.screen()
    terminal.press("q")
    deadline = time.monotonic() + DEADLINE
    while terminal.is_running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.is_running(), terminal.screen()
