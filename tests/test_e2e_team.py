"""End to end, in real terminals (tmux): two analysts, two readers, one team server.

Alice and Bob each run ``python -m termbrief`` in a tmux session of their own, with their own
home, config and data folders; each config.toml holds the one line an analyst adds
(``notes_url = ...``, their own role on the throwaway server of ``postgres_server.py``). Alice
writes a team note: Bob's reader shows it within 2 seconds. Alice writes a private note: Bob's
never does.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from postgres_server import PostgresServer
from termbrief.store.notes_url import NOTES_URL_VARIABLE
from tmux_terminal import Terminal, open_terminal
from ui_fixtures import ALPHA

pytestmark = pytest.mark.e2e

TITLE = "Harbour authority expands night inspections"
LIVE_SECONDS = 2.0


def reader(tmp_path: Path, name: str, server: PostgresServer) -> Iterator[Terminal]:
    """A terminal for analyst ``name`` whose config.toml names the team server."""
    for terminal in open_terminal(tmp_path / name):
        terminal.env.pop(NOTES_URL_VARIABLE, None)  # config.toml alone names the server
        config = Path(terminal.env["TERMBRIEF_CONFIG_DIR"])
        config.mkdir(parents=True)
        (config / "config.toml").write_text(f'notes_url = "{server.url(name)}"\n')
        yield terminal


@pytest.fixture
def alice(tmp_path: Path, team_server: PostgresServer) -> Iterator[Terminal]:
    yield from reader(tmp_path, "alice", team_server)


@pytest.fixture
def bob(tmp_path: Path, team_server: PostgresServer) -> Iterator[Terminal]:
    yield from reader(tmp_path, "bob", team_server)


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    copy = tmp_path / "alpha.yaml"
    shutil.copy(ALPHA, copy)
    return copy


def actors_title(screen: str) -> str:
    """The line of the screen with the actors pane's title."""
    return next((line for line in screen.splitlines() if "Actors (3)" in line), "")


def test_a_team_note_reaches_the_other_reader_within_two_seconds_a_private_one_never(
    alice: Terminal, bob: Terminal, brief: Path, team_server: PostgresServer
) -> None:
    for terminal in (alice, bob):
        terminal.start([str(brief)], 120, 40)
    for terminal in (alice, bob):
        terminal.wait_for_text(TITLE)
    bob.wait_for(lambda s: "Actors (3)" in s and "note" not in actors_title(s), "bob's actors")

    alice.press("3", "n")
    alice.wait_for_text("Visible to the team")
    alice.press("For the team", "C-s")
    alice.wait_for(lambda s: "1 note" in actors_title(s), "alice's own marker")
    _, seconds = bob.wait_for_timed(lambda s: "1 note" in actors_title(s), "the team note")
    assert seconds <= LIVE_SECONDS

    alice.press("n")
    alice.wait_for_text("Visible to the team")
    alice.press("C-t")
    alice.wait_for_text("Private: only you see it")
    alice.press("Only for me", "C-s")
    alice.wait_for(lambda s: "2 notes" in actors_title(s), "alice's private note counted")
    with pytest.raises(AssertionError):  # three times the live delay, and still nothing
        bob.wait_for(lambda s: "2 notes" in actors_title(s), "the private note", 3 * LIVE_SECONDS)
    assert "1 note" in actors_title(bob.screen())
    rows = team_server.psql("SELECT author, visibility, text FROM termbrief.notes ORDER BY text")
    assert rows.split("\n") == ["alice|team|For the team", "alice|private|Only for me"]
