"""End to end: find in the brief reads the text as the panes show it, in a real terminal (tmux).

The brief is ``tests/data/reports/red-sea-shipping.yaml``, opened in a library of two briefs with
the library sidebar shown, at 80×24 and 120×40. Its summary puts "Houthi movement" in bold and
breaks the line before "Yemen"; "Panama Canal" is bold; the commentary links "assessment" to an
unctad.org address the panes never show (the Sources pane shows that address once, as the
source's own).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tmux_terminal import Terminal, open_terminal

pytestmark = pytest.mark.e2e

DATA = Path(__file__).parent / "data"
RED_SEA = DATA / "reports" / "red-sea-shipping.yaml"
TITLE = "Red Sea attacks and low water"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def find_bar(screen: str) -> str:
    """The find bar's line: ``/ <query> ... <count>`` (the footer also starts with ``/``)."""
    lines = [line.strip(" │╰╯─") for line in screen.splitlines()]
    bars = [line for line in lines[:-1] if line.startswith("/ ") and "filter" not in line]
    return bars[-1] if bars else ""


def footer(screen: str) -> str:
    return next((line for line in reversed(screen.splitlines()) if line.strip()), "")


def find(terminal: Terminal, query: str) -> str:
    """Type ``query`` into a fresh find bar and Enter; the screen once the bar counts it."""
    if find_bar(terminal.screen()):  # Escape in the panes clears the last search
        terminal.press("Escape")
        terminal.wait_for(lambda text: not find_bar(text), "the last search to clear")
    terminal.press("/")
    # The empty bar has the keyboard as soon as it shows (its placeholder).
    terminal.wait_for_text("/ Find in this brief")
    terminal.tmux("send-keys", "-t", "tb", "-l", query)
    terminal.press("Enter")
    return terminal.wait_for(
        lambda text: find_bar(text).startswith(f"/ {query} ") and "/" in find_bar(text)[-6:],
        f"the count of {query!r}",
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_find_matches_what_is_shown_not_the_source(
    terminal: Terminal, tmp_path: Path, size: tuple[int, int]
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(RED_SEA, library)
    shutil.copy(DATA / "ui" / "beta.yaml", library)
    width, height = size
    terminal.start([str(library)], width, height)
    terminal.wait_for_text(TITLE)
    if width < 120:  # the library starts hidden on a narrow terminal: b shows it
        terminal.press("b")  # it takes the keyboard
        terminal.wait_for(lambda text: "Filter library" in footer(text), "the library")
        terminal.press("1")  # the keyboard back to the panes
    terminal.wait_for(lambda text: "Library 2" in text and "/ Find" in footer(text), "the panes")

    # A phrase across a bold run and a source line break, then one inside bold text.
    screen = find(terminal, "Houthi movement in Yemen")
    assert find_bar(screen).endswith("1/1"), screen
    screen = find(terminal, "Panama Canal, short of water")
    assert find_bar(screen).endswith("1/1"), screen

    # The link's hidden address is not found: the one match is the source's shown address.
    screen = find(terminal, "unctad.org/publication")
    assert find_bar(screen).endswith("1/1"), screen
    assert "6 Sources" in screen and "https://unctad.org/publication" in screen, screen

    # Escape in the bar keeps the search for n / N (the footer says so); Escape in the panes
    # clears it and n / N are the notes keys again.
    terminal.press("Escape")
    terminal.wait_for(lambda text: not find_bar(text), "the last search to clear")
    terminal.press("/")
    terminal.wait_for_text("/ Find in this brief")
    terminal.tmux("send-keys", "-t", "tb", "-l", "Houthi")
    terminal.wait_for(lambda text: find_bar(text).endswith("matches"), "the count")
    terminal.press("Escape")
    terminal.wait_for(
        lambda text: not find_bar(text) and "Next match" in footer(text),
        "the bar to close, the search still set",
    )
    terminal.press("/")  # the bar comes back with the search it kept
    terminal.wait_for(lambda text: find_bar(text).startswith("/ Houthi "), "the kept search")
    terminal.press("Escape")
    terminal.wait_for(lambda text: not find_bar(text), "the bar to close")
    terminal.press("Escape")
    terminal.wait_for(lambda text: "Notes" in footer(text), "n / N back to the notes")
    terminal.press("/")
    terminal.wait_for_text("/ Find in this brief")  # nothing kept
