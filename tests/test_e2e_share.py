"""End to end, in a real terminal (tmux) at 80×24: problems you can read, and the editor key.

``python -m termbrief FILE`` runs in a detached tmux session (its own socket, every user folder in
a temporary directory). The brief is broken on disk with seven problems and the banner is read off
the screen; then ``$EDITOR`` is a script that records its arguments and edits the file, and the
screen must show the edit once the editor exits (the app suspended meanwhile, for real).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_editor import make_editor
from test_reload_banner import break_seven_times
from tmux_terminal import DEADLINE, Terminal, open_terminal
from ui_fixtures import ALPHA

pytestmark = pytest.mark.e2e

TITLE = "Harbour authority expands night inspections"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


@pytest.fixture
def alpha(tmp_path: Path) -> Path:
    folder = tmp_path / "a-folder-whose-name-must-not-show"
    folder.mkdir()
    copy = folder / "alpha.yaml"
    shutil.copy(ALPHA, copy)
    return copy


def flat(screen: str) -> str:
    """The screen as one line: borders and line breaks folded, so wrapped text still matches."""
    return " ".join(re.sub(r"[│┃║▌▐▎▊█▏▕╭╮╰╯─]", " ", screen).split())


def start_polled(terminal: Terminal, alpha: Path) -> None:
    """Start termbrief on ``alpha`` at 80×24, and wait until its file is being followed."""
    terminal.start([str(alpha)], 80, 24)
    terminal.wait_for(lambda text: TITLE in text, "the brief's title")
    original = alpha.read_text(encoding="utf-8")
    probe = original.replace(f"title: {TITLE}", "title: Watching now", 1)
    for _ in range(int(DEADLINE)):
        alpha.write_text(probe, encoding="utf-8")
        try:
            terminal.wait_for(lambda text: "Watching now" in text, "the probe", 1.0)
            break
        except AssertionError:
            continue
    alpha.write_text(original, encoding="utf-8")
    terminal.wait_for(lambda text: TITLE in text, "the title again")


def test_seven_problems_at_80x24_show_whole_and_p_lists_them_all(
    terminal: Terminal, alpha: Path
) -> None:
    start_polled(terminal, alpha)
    problems = break_seven_times(alpha)
    screen = terminal.wait_for(
        lambda text: "more — press p" in text, "the banner's last line", DEADLINE
    )
    assert "✗ alpha.yaml changed on disk: 7 problems (showing the last good version)" in screen
    assert "a-folder-whose-name-must-not-show" not in screen
    assert TITLE in screen  # the last good version stays
    lines = screen.splitlines()
    first = next(n for n, line in enumerate(lines) if "✗ alpha.yaml" in line)
    last = next(n for n, line in enumerate(lines) if "more — press p" in line)
    banner = lines[first : last + 1]
    assert len(banner) <= 8
    shown = [p for p in problems if any(f"{p.line}:{p.column} " in line for line in banner)]
    assert 2 <= len(shown) < 7
    assert f"… and {7 - len(shown)} more — press p to see them all" in screen
    for problem in shown:  # whole, wrapped under itself
        assert problem.message in flat("\n".join(banner))
    terminal.press("p")
    screen = terminal.wait_for(lambda text: "alpha.yaml: 7 problems" in text, "the problems")
    # The dialog's own columns only: a wrapped message must not meet the panes behind it.
    rows = screen.splitlines()
    top = next(n for n, row in enumerate(rows) if "alpha.yaml: 7 problems" in row)
    left, right = rows[top].index("╭"), rows[top].index("╮")
    dialog = "\n".join(row[left : right + 1] for row in rows[top:])
    for problem in problems:
        assert f"{problem.line}:{problem.column}" in dialog
        assert problem.message.split(";")[0] in flat(dialog)
    terminal.press("Escape")
    terminal.wait_for(lambda text: "alpha.yaml: 7 problems" not in text, "the dialog to close")
    terminal.press("q")
    terminal.wait_for(lambda _text: not terminal.is_running(), "termbrief to quit")


def test_v_hands_the_terminal_to_the_editor_and_the_edit_shows(
    terminal: Terminal, alpha: Path, tmp_path: Path
) -> None:
    script, record = make_editor(
        tmp_path, "author: Tom Berg", "author: Tom Berg, edited in the editor"
    )
    terminal.env.pop("VISUAL", None)
    terminal.env["EDITOR"] = str(script)
    start_polled(terminal, alpha)
    terminal.press("4")
    terminal.wait_for(lambda text: "╭─ 4 Commentary" in text, "the commentary pane")
    before = terminal.styled_screen()
    terminal.press("j")  # the second commentary entry
    terminal.wait_for_change(before)
    terminal.press("v")
    screen = terminal.wait_for(
        lambda text: "Tom Berg, edited in the editor" in text, "the edit", DEADLINE
    )
    assert TITLE in screen  # the app is back on screen, not the shell
    line = next(
        n
        for n, text in enumerate(alpha.read_text(encoding="utf-8").split("\n"), 1)
        if "author: Tom Berg" in text
    )
    recorded = json.loads(record.read_text())
    assert recorded["argv"] == [f"+{line}", str(alpha)]
    assert recorded["cooked"] is True  # the app had given the terminal back
    terminal.press("q")
    terminal.wait_for(lambda _text: not terminal.is_running(), "termbrief to quit")
