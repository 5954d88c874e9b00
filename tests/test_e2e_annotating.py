"""End to end, in a real terminal (tmux): notes marked on the lines of the item they are on, and
following their words when the brief file changes under the running reader (issue 12)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tmux_terminal import Terminal, open_terminal
from ui_fixtures import ALPHA

pytestmark = pytest.mark.e2e


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


@pytest.fixture
def alpha(tmp_path: Path) -> Path:
    copy = tmp_path / "briefs" / "alpha.yaml"
    copy.parent.mkdir()
    shutil.copy(ALPHA, copy)
    return copy


def marked(screen: str, words: str) -> bool:
    """Whether the line showing ``words`` has the note marker before them (in its gutter)."""
    line = next(line for line in screen.splitlines() if words in line)
    return "•" in line.split(words)[0]


def write_note(terminal: Terminal, text: str) -> None:
    terminal.press("n")
    terminal.wait_for_text("Write your note")
    terminal.press(text, "C-s")
    terminal.wait_for_text("Note saved")


def test_a_note_on_the_third_paragraph_marks_its_lines_only(
    terminal: Terminal, alpha: Path
) -> None:
    terminal.start([str(alpha)], 120, 40)
    terminal.wait_for_text("Quist said the pilot")
    terminal.press("1", "j", "j")
    write_note(terminal, "One year only?")
    screen = terminal.wait_for(lambda s: marked(s, "Quist said the pilot"), "the marker")
    assert not marked(screen, "The harbour authority")
    assert not marked(screen, "Unions welcomed")


def test_a_timeline_note_follows_its_event_when_one_is_inserted_before(
    terminal: Terminal, alpha: Path
) -> None:
    terminal.start([str(alpha)], 120, 40)
    terminal.wait_for_text("Quist said the pilot")
    terminal.press("5")
    terminal.wait_for_text("Night inspections begin")
    terminal.press("j", "j")
    write_note(terminal, "Did it start?")
    terminal.wait_for(lambda s: marked(s, "Night inspections begin"), "the marker")

    text = alpha.read_text(encoding="utf-8")
    earlier = "  - date: 2024-05-01\n    event: The union is consulted.\n"
    alpha.write_text(text.replace("  - date: 2024-05-02\n", earlier + "  - date: 2024-05-02\n"))
    screen = terminal.wait_for(
        lambda s: "The union is consulted" in s and marked(s, "Night inspections begin"),
        "the reloaded timeline, the note still on its event",
    )
    assert not marked(screen, "The union is consulted")
    assert not marked(screen, "The night inspection plan is announced")
