"""End to end, in a real terminal (tmux): paging through a paragraph taller than the pane, and
``j`` in the notes panel and the "attach to…" picker, at 80x24 and 120x40 with the library shown.

The brief's summary is one paragraph of sixty sentences, each with its own marker (``m001`` ..
``m060``); at 80x24 with the library shown it is sixty lines. The screen is read with
``capture-pane`` after each key (polled, no fixed sleeps).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from termbrief.core.anchors import Anchor
from termbrief.core.loader import load_brief
from termbrief.store.notes import NotesStore
from tmux_terminal import Terminal, open_terminal

pytestmark = pytest.mark.e2e

FOLDER = Path(__file__).parent / "data" / "paging"
"""A library of one brief: ``long-paragraph.yaml``."""
SIZES = [(80, 24), (120, 40)]
PRESSES = 12
"""More PageDown presses than any of these sizes needs to reach the end (a page a press)."""


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def markers(screen: str) -> set[int]:
    """The paragraph's sentence markers on the screen."""
    return {int(number) for number in re.findall(r"\bm(\d{3})\b", screen)}


def open_library(terminal: Terminal, size: tuple[int, int]) -> str:
    """Start on the paging library with the sidebar shown; the screen once the summary shows."""
    terminal.start([str(FOLDER)], *size)
    screen = terminal.wait_for(lambda text: 1 in markers(text), "the paragraph's first sentence")
    if size[0] >= 120:  # wide: the sidebar comes by itself, right after the first frame
        screen = terminal.wait_for(lambda text: "Library" in text, "the library sidebar")
    else:  # narrow: it starts hidden; shown by b, it takes the keyboard (Open brief)
        terminal.press("b")
        screen = terminal.wait_for(
            lambda text: "Library" in text and "Open brief" in text, "the library sidebar"
        )
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_page_down_reads_a_sixty_line_paragraph_to_its_end_and_page_up_back(
    terminal: Terminal, size: tuple[int, int]
) -> None:
    open_library(terminal, size)
    terminal.press("1")  # the summary pane has the keys (the library's footer offers Open brief)
    screen = terminal.wait_for(lambda text: "Open brief" not in text, "the summary focused")
    seen = markers(screen)
    pages = [min(seen)]
    while 60 not in markers(screen):
        assert len(pages) <= PRESSES, f"PageDown did not reach the end:\n{screen}"
        before = markers(screen)
        terminal.press("PageDown")
        screen = terminal.wait_for_settled(
            lambda text, before=before: bool(markers(text)) and markers(text) != before,
            "PageDown to move the view",
        )
        pages.append(min(markers(screen)))
        seen |= markers(screen)
    # Every sentence was on the screen on the way: no line skipped, none stuck.
    assert seen == set(range(1, 61)), sorted(set(range(1, 61)) - seen)
    assert pages == sorted(pages) and len(set(pages)) == len(pages)
    ups = 0
    while 1 not in markers(screen):
        assert ups <= PRESSES, f"PageUp did not reach the first line:\n{screen}"
        before = markers(screen)
        terminal.press("PageUp")
        screen = terminal.wait_for_settled(
            lambda text, before=before: bool(markers(text)) and markers(text) != before,
            "PageUp to move the view",
        )
        ups += 1
    # Back by the same pages: the same number of presses (the first one may be shorter).
    assert ups == len(pages) - 1


@pytest.mark.parametrize("size", SIZES)
def test_j_moves_in_the_notes_panel_and_in_the_picker(
    terminal: Terminal, size: tuple[int, int]
) -> None:
    brief = load_brief(FOLDER / "long-paragraph.yaml")
    with NotesStore.open(Path(terminal.env["TERMBRIEF_DATA_DIR"])) as store:
        for anchor, text in (("summary", "First note"), ("actors/ada-hoffmann", "Second note")):
            store.add(brief.id, anchor, text, Anchor.parse(anchor).quote(brief))
    open_library(terminal, size)
    terminal.press("N")
    terminal.wait_for_text("First note", "Second note", "Actor: Ada Hoffmann")
    # j to the second note, r to re-attach it: the picker opens on its actor; j to the next
    # actor, Enter. Had either j not moved, another note or part would have changed.
    terminal.press("j", "r")
    # The picker opens scrolled to the note's actor (at 80x24 the actors below it may be out of
    # view until j moves down).
    terminal.wait_for(
        lambda text: "Attach the note to" in text and text.count("Actor: Ada Hoffmann") >= 1,
        "the picker on Ada Hoffmann",
    )
    terminal.press("j", "Enter")
    screen = terminal.wait_for(
        lambda text: "Actor: Bo Lindqvist" in text and "Attach the note to" not in text,
        "the second note on Bo Lindqvist",
    )
    assert "Ada Hoffmann" not in screen and "First note" in screen
    # The picker filters as you type: / then a few letters, Enter.
    terminal.press("r")
    terminal.wait_for_text("Attach the note to")
    terminal.press("/")
    terminal.tmux("send-keys", "-t", "tb", "-l", "board")
    terminal.wait_for(
        lambda text: "Actor: Paging Board" in text and "Actor: Bo Lindqvist" not in text,
        "the filtered picker",
    )
    terminal.press("Enter")
    terminal.wait_for(
        lambda text: "Actor: Paging Board" in text and "Attach the note to" not in text,
        "the second note on the Paging Board",
    )
