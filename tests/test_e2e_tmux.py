"""End to end: the real ``termbrief`` command in a real terminal (tmux), read off the screen.

Each test runs ``python -m termbrief`` in a detached tmux session on its own socket, with every
user folder in a temporary directory, sends keys with ``send-keys`` and polls
``capture-pane -p`` until the expected text shows (no fixed sleeps).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from termbrief.core.library import Entry, load_entry, sample_library_path
from termbrief.core.model import Brief
from termbrief.core.startup import load_first, plan_opening
from tmux_terminal import DEADLINE, Terminal, open_terminal

pytestmark = pytest.mark.e2e

PANE_NAMES = ("Summary", "Key figures", "Actors", "Commentary", "Timeline", "Sources")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def first_line_of(text: str, width: int = 30) -> str:
    """A prefix short enough to survive truncation in a table cell or a narrow pane."""
    return text[:width].rsplit(" ", 1)[0] if len(text) > width else text


def sample_entries() -> list[Entry]:
    entries = [e for e in load_first(plan_opening([sample_library_path()])).entries if e.ok]
    assert entries, "the sample library is empty"
    return entries


def brief_of(entry: Entry) -> Brief:
    assert entry.brief is not None
    return entry.brief


def flat(screen: str) -> str:
    """The screen as one line: borders and line breaks folded, so wrapped text still matches."""
    return " ".join(re.sub(r"[│┃║▌▐▎▊█▏▕]", " ", screen).split())


def summary_start(brief: Brief, words: int = 4) -> str:
    """The first words of the summary as the Markdown pane shows them."""
    return " ".join(re.sub(r"[*_`#>]", "", brief.summary).split()[:words])


def footer_of(screen: str) -> str:
    """The last non-blank line: Textual's footer with the keys of the focused widget."""
    return next((line for line in reversed(screen.splitlines()) if line.strip()), "")


def visible_panes(screen: str) -> set[str]:
    return {name for name in PANE_NAMES if name in screen}


def test_sample_library_panes_actor_detail_maximise_and_quit(terminal: Terminal) -> None:
    entries = sample_entries()
    titles = [entry.title for entry in entries]
    terminal.start([], 120, 40)
    screen = terminal.wait_for(
        lambda text: any(first_line_of(t, 40) in text for t in titles), "a sample brief's title"
    )
    shown = next(e for e in entries if first_line_of(e.title, 40) in screen)
    brief = brief_of(shown)
    # The wide grid: the first four panes at once.
    assert {"Summary", "Key figures", "Actors", "Commentary"} <= visible_panes(screen)

    # 2 focuses the figures pane: the footer now offers the table's own keys (e.g. sorting).
    footer = footer_of(screen)
    terminal.press("2")
    terminal.wait_for(lambda text: footer_of(text) != footer, "the figures pane's keys")

    # 3 then Enter opens the first actor's detail, with the places that mention the actor.
    actor = brief.actors[0]
    terminal.press("3")
    time.sleep(0.2)
    terminal.press("Enter")
    detail = terminal.wait_for(
        lambda text: "mention" in text.lower() and first_line_of(actor.name) in text,
        f"the detail of {actor.name} with its mentions",
    )
    assert actor.role is None or first_line_of(actor.role) in detail
    terminal.press("Escape")
    terminal.wait_for(lambda text: "mention" not in text.lower(), "the detail to close")

    # z maximises the focused (actors) pane: the other grid panes leave the screen.
    grid = terminal.screen()
    terminal.press("z")
    maximised = terminal.wait_for(
        lambda text: (
            "Actors" in text
            and not ({"Summary", "Key figures", "Commentary"} & visible_panes(text))
        ),
        "only the actors pane",
    )
    assert first_line_of(actor.name) in maximised
    terminal.press("z")
    terminal.wait_for(lambda text: visible_panes(text) == visible_panes(grid), "the grid again")

    terminal.press("q")
    deadline = time.monotonic() + DEADLINE
    while terminal.is_running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.is_running(), terminal.screen()


def test_one_file_narrow_tabs_and_moving_between_panes(terminal: Terminal) -> None:
    path = sample_library_path() / "focac-action-plan-security.yaml"
    if not path.exists():
        path = sample_entries()[0].path
    entry = load_entry(path)
    brief = brief_of(entry)
    terminal.start([str(path)], 80, 24)
    screen = terminal.wait_for_text(first_line_of(brief.title, 40))
    # Narrow: the panes are tabs, so their names line up on one row.
    tab_row = max(screen.splitlines(), key=lambda line: len(visible_panes(line)))
    assert len(visible_panes(tab_row)) >= 3, screen
    # One file: no library sidebar by default.
    assert not any(other.title in screen for other in sample_entries() if other.path != entry.path)

    opening = summary_start(brief)
    assert opening in flat(screen), screen
    figure = first_line_of(brief.figures[0].label, 20)
    actor = first_line_of(brief.actors[0].name, 20)
    terminal.press("2")
    terminal.wait_for(lambda text: figure in text and opening not in flat(text), "figures tab")
    terminal.press("3")
    terminal.wait_for(lambda text: actor in text and figure not in text, "the actors tab")
    before = terminal.styled_screen()
    terminal.press("Tab")
    terminal.wait_for_change(before)
    terminal.press("1")
    terminal.wait_for(lambda text: opening in flat(text), "the summary tab")
    terminal.press("q")
    deadline = time.monotonic() + DEADLINE
    while terminal.is_running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.is_running(), terminal.screen()
