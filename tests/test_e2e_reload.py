"""End to end: live reload in the real ``termbrief`` command, in a real terminal (tmux).

``python -m termbrief FILE`` runs on a copy of a sample brief in a detached tmux session (its own
socket, every user folder in a temporary directory); the test edits the file on disk and polls
``capture-pane -p`` until the screen shows the change (no fixed sleeps).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from termbrief.core.library import load_entry, sample_library_path
from tmux_terminal import DEADLINE, Terminal, open_terminal

pytestmark = pytest.mark.e2e

RELOAD_DEADLINE = 5.0
"""Seconds to wait for a change on disk to show (the app itself takes well under one)."""


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


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
    _, took = terminal.wait_for_timed(
        lambda text: "Live reload works in a real terminal" in text,
        "the new title",
        RELOAD_DEADLINE,
    )
    assert took < 2.0  # within a second for the app, plus tmux and polling on a busy machine

    # Broken: the last good version stays; the banner names the file and each problem by
    # line:column.
    broken = edited.replace("title: Live", "title: [Live", 1)
    assert broken != edited
    brief.write_text(broken, encoding="utf-8")
    problem = load_entry(brief).problems[0]
    where = f"{problem.line}:{problem.column} {problem.message[:30]}"
    screen = terminal.wait_for(lambda text: where in flat(text), where, RELOAD_DEADLINE)
    assert f"{brief.name} changed on disk" in flat(screen)
    assert "Live reload works in a real terminal" in screen
    assert "last good version" in flat(screen)

    # Fixed: the banner goes and the new content shows.
    brief.write_text(edited.replace("in a real terminal", "after a fix"), encoding="utf-8")
    screen = terminal.wait_for(
        lambda text: "Live reload works after a fix" in text, "the fixed title", RELOAD_DEADLINE
    )
    assert where not in flat(screen)

    terminal.press("q")
    terminal.wait_for(lambda _text: not terminal.is_running(), "termbrief to quit")
