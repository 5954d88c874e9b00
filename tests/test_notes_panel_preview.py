"""Pilot tests of the notes panel's preview and filters (issue 12): the highlighted note in full,
with its place, its words and its state; filters by state and by ``#tag``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.widgets import OptionList, Static

from termbrief.core.anchors import Anchor
from termbrief.core.annotation import Target
from termbrief.core.loader import load_brief
from termbrief.core.model import Brief
from termbrief.store.notes import NotesStore
from termbrief.ui.screens.notes_panel import NotesPanel, tags_of
from ui_fixtures import ALPHA, screen_text


class Host(App[None]):
    def __init__(self, brief: Brief, store: NotesStore) -> None:
        super().__init__()
        self.brief, self.store = brief, store
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(NotesPanel(self.brief, self.store), self.results.append)


@pytest.fixture
def brief() -> Brief:
    return load_brief(ALPHA)


@pytest.fixture
def store(tmp_path: Path, brief: Brief) -> NotesStore:
    store = NotesStore.open(tmp_path / "data")
    third = Anchor.parse("summary/3")
    store.add(brief.id, Target.of(brief, third), "First line\nSecond line #Risk")
    store.add(brief.id, Target.of(brief, Anchor.parse("summary/1")), "Costs? #budget")
    changed = Target(third, "Quist said the pilot would last two years.")
    store.add(brief.id, changed, "How long?")
    store.add(brief.id, "actors/gone", "Who was this? #risk", "Gone Person")
    return store


def listed(app: App[Any]) -> list[str]:
    options = app.screen.query_one(OptionList).options
    return [str(option.prompt) for option in options if option.id is not None]


def preview(app: App[Any]) -> str:
    """The text of the preview, as plain lines."""
    console = Console(width=110, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen.query_one("#notes-preview", Static).content)
    return console.export_text()


def test_tags_are_words_after_a_hash() -> None:
    assert tags_of("#Risk and #risk, #q3-plan; not a#b, ## heading, &#35; or #_x") == [
        "risk",
        "q3-plan",
    ]


async def test_the_preview_shows_the_highlighted_note_in_full(
    brief: Brief, store: NotesStore
) -> None:
    app = Host(brief, store)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        assert len(listed(app)) == 4
        await pilot.press("j")  # the note on the third paragraph, after the one on the first
        await pilot.pause()
        text = preview(app)
        assert "Summary: Quist said the pilot would last one year." in text
        assert "First line" in text and "Second line #Risk" in text
        assert "attached" in text
        assert "“Quist said the pilot would last one year.”" in text
        await pilot.press("j")
        await pilot.pause()
        text = preview(app)
        assert "changed since noted" in text
        assert "was: “Quist said the pilot would last two years.”" in text
        assert "now: “Quist said the pilot would last one year.”" in text
        assert "How long?" in screen_text(app)


async def test_filters_by_state_and_by_tag(brief: Brief, store: NotesStore) -> None:
    app = Host(brief, store)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("f")  # attached
        await pilot.pause()
        assert len(listed(app)) == 2
        assert "Showing 2 of 4 notes: attached" in screen_text(app)
        await pilot.press("f", "f")  # moved (none), changed
        await pilot.pause()
        [changed] = listed(app)
        assert "How long?" in changed
        await pilot.press("f", "f")  # orphaned, then all
        await pilot.press("t")  # #budget
        await pilot.pause()
        [budget] = listed(app)
        assert "Costs?" in budget
        await pilot.press("t")  # #risk: whatever the case it was written in
        await pilot.pause()
        risky = listed(app)
        assert len(risky) == 2 and "Who was this?" in risky[1]
        await pilot.press("f", "f", "f", "f")  # #risk and orphaned
        await pilot.pause()
        assert len(listed(app)) == 1
        assert "Showing 1 of 4 notes: orphaned · #risk" in screen_text(app)


async def test_enter_jumps_to_where_the_words_are_now(brief: Brief, store: NotesStore) -> None:
    moved = Target(Anchor.parse("summary/1"), "Quist said the pilot would last one year.", start=0)
    store.add(brief.id, moved, "Written on the first paragraph")
    app = Host(brief, store)
    async with app.run_test(size=(120, 50)) as pilot:
        options = app.screen.query_one(OptionList)
        note = next(o for o in options.options if "Written on the first" in str(o.prompt))
        options.highlighted = options.get_option_index(note.id or "")
        await pilot.pause()
        assert "moved with its words" in preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["summary/3"]
