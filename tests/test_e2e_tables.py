"""End to end: every key figure of the sample library reads in full in a real terminal (tmux).

The real ``termbrief`` command runs on ``briefs/`` with the library sidebar shown, at 120×40 (the
figures pane is a quarter of the grid) and at 80×24 (a tab beside the sidebar). For each brief,
``2`` focuses the figures pane and ``j`` walks it from the first figure to the last; the pane is
cut out of each screen (between its borders) and every figure's value and label must appear,
whole, in one of them, without opening a detail.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from termbrief.core.loader import load_brief
from termbrief.core.model import Brief
from tmux_terminal import DEADLINE, Terminal, open_terminal

pytestmark = pytest.mark.e2e

BRIEFS = Path(__file__).resolve().parents[1] / "briefs"
"""The sample library."""
PANE_TITLE = "─ 2 Key figures"
BLOCKS = re.compile(r"[\u2580-\u259f]")
"""Scrollbar glyphs (block elements), drawn inside the pane's border."""


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def flat(text: str) -> str:
    return " ".join(text.split())


def figures_pane(screen: str) -> str | None:
    """The text inside the figures pane's border, lines joined (None: the pane is not shown)."""
    lines = screen.splitlines()
    top = next((i for i, line in enumerate(lines) if PANE_TITLE in line), None)
    if top is None:
        return None
    title = lines[top].index(PANE_TITLE)
    left, right = lines[top].rfind("╭", 0, title), lines[top].find("╮", title)
    inside = []
    for line in lines[top + 1 :]:
        if line[left : left + 1] == "╰":
            break
        inside.append(BLOCKS.sub(" ", line[left + 1 : right]))
    return flat(" ".join(inside))


def title_shown(screen: str, brief: Brief) -> bool:
    return flat(brief.title)[:40] in flat(screen)


def settled(terminal: Terminal) -> str:
    """The screen once it stays the same for a moment (a frame may reach tmux in parts)."""
    deadline = time.monotonic() + DEADLINE
    screen = terminal.styled_screen()
    while time.monotonic() < deadline:
        time.sleep(0.15)
        again = terminal.styled_screen()
        if again == screen:
            return terminal.screen()
        screen = again
    raise AssertionError("the screen did not settle")


def read_figures(terminal: Terminal, brief: Brief) -> list[str]:
    """The figures pane at each cursor position, first figure to last."""
    terminal.press("2", "g")
    terminal.wait_for(lambda text: figures_pane(text) is not None, "the figures pane")
    views = [figures_pane(settled(terminal)) or ""]
    for _ in brief.figures[1:]:
        before = terminal.styled_screen()
        terminal.press("j")
        terminal.wait_for_change(before)
        views.append(figures_pane(settled(terminal)) or "")
    return views


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_every_figure_of_the_sample_library_reads_in_full(
    terminal: Terminal, size: tuple[int, int]
) -> None:
    briefs = [load_brief(path) for path in sorted(BRIEFS.glob("*.yaml"))]
    assert len(briefs) >= 3
    terminal.start([str(BRIEFS)], *size)
    screen = terminal.wait_for(
        lambda text: any(title_shown(text, brief) for brief in briefs), "a sample brief"
    )
    if "Library" not in screen:  # at 80 columns the sidebar starts hidden
        terminal.press("b")
        screen = terminal.wait_for(lambda text: "Library" in text, "the library sidebar")
    missing: list[str] = []
    shown: list[Brief] = []
    for number in range(len(briefs)):
        if number:
            terminal.press("]")  # the next brief in the library
            screen = terminal.wait_for(
                lambda text: not any(title_shown(text, seen) for seen in shown), "the next brief"
            )
        brief = next(brief for brief in briefs if title_shown(screen, brief))
        shown.append(brief)
        views = read_figures(terminal, brief)
        assert "Library" in terminal.screen()  # the sidebar stayed
        for figure in brief.figures:
            for text in (figure.value_text(), figure.label):
                if not any(flat(text) in view for view in views):
                    missing.append(f"{brief.title}: {text}")
    assert not missing, "\n".join(missing)
