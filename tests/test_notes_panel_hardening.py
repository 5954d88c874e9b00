"""The notes panel under pressure: keys that arrive together, and a tampered database
(issue 15, items 5 and 6, panel side)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import OptionList, Static

from termbrief.core.loader import load_brief_text
from termbrief.core.model import Brief
from termbrief.store.notes import Note, NotesStore
from termbrief.ui.screens.notes_panel import AnchorPicker, NotesPanel

BRIEF = """
id: busy-brief
title: A brief with many notes
summary: The summary.
actors:
  - id: wang
    name: Wang Xiaohong
    kind: person
"""

MANY = 3_000
"""Enough notes that building the panel's list keeps it busy while keys queue up."""


class Host(App[None]):
    """A bare app that opens one dialog and records every result it is dismissed with."""

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make
        self.results: list[Any] = []
        self.notified: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)

    def notify(self, message: str, **options: Any) -> None:
        self.notified.append(message)
        super().notify(message, **options)


@pytest.fixture
def brief() -> Brief:
    return load_brief_text(BRIEF, "busy-brief.yaml")


@pytest.fixture
def busy_store(tmp_path: Path, brief: Brief) -> Iterator[NotesStore]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    store = NotesStore.open(tmp_path / "data")
    store.import_notes(
        Note(f"n{n:05d}", brief.id, "summary", f"note {n}", "", start, start + timedelta(seconds=n))
        for n in range(MANY)
    )
    yield store
    store.close()


def press_together(app: App[Any], *keys: tuple[str, str | None]) -> None:
    """Queue key events back to back, as a terminal delivers keys typed during a busy moment
    (``pilot.press`` waits for each key to be handled, which never overlaps them)."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


ENTER = ("enter", "\r")
ESCAPE = ("escape", "\x1b")


@pytest.mark.parametrize("order", [(ENTER, ESCAPE), (ESCAPE, ENTER), (ENTER, ENTER, ESCAPE)])
async def test_enter_and_escape_together_close_the_panel_once(
    brief: Brief, busy_store: NotesStore, order: tuple[tuple[str, str | None], ...]
) -> None:
    app = Host(lambda: NotesPanel(brief, busy_store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(app.screen.query_one(OptionList).options) == MANY
        press_together(app, *order)
        await pilot.pause()
        await pilot.pause()
        assert len(app.results) == 1
        assert app.results[0] in ("summary", None)
        assert not isinstance(app.screen, NotesPanel)
    assert app.return_code in (None, 0)


async def test_the_anchor_picker_also_closes_once(brief: Brief) -> None:
    app = Host(lambda: AnchorPicker(brief))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        press_together(app, ENTER, ESCAPE)
        await pilot.pause()
        await pilot.pause()
        # Escape is a binding and acts at once; Enter's choice comes as a message after it.
        # Either may win, but the picker closes exactly once.
        assert app.results in (["summary"], [None])
        assert not isinstance(app.screen, AnchorPicker)


async def test_a_dialog_above_the_panel_is_not_closed_by_the_panel(
    brief: Brief, busy_store: NotesStore
) -> None:
    app = Host(lambda: NotesPanel(brief, busy_store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, NotesPanel)
        await pilot.press("e")  # the editor opens above the panel
        await pilot.pause()
        editor = app.screen
        assert editor is not panel
        panel.action_dismiss_none()  # a late key for the panel, handled after the editor opened
        await pilot.pause()
        assert app.screen is editor
        assert app.results == []


async def test_the_panel_lists_notes_with_tampered_times_in_any_zone(
    tmp_path: Path, brief: Brief, far_zone: str
) -> None:
    with NotesStore.open(tmp_path / "data") as store:
        store.add(brief.id, "summary", "late note", "")
        store.add(brief.id, "actors/wang", "early note", "")
    connection = sqlite3.connect(tmp_path / "data" / "notes.sqlite3")
    connection.execute(
        "UPDATE notes SET created = '9999-12-31T23:59:59+00:00', updated = created"
        " WHERE text = 'late note'"
    )
    connection.execute("UPDATE notes SET created = '0001-01-01T00:00:00+00:00', updated = x'00'")
    connection.commit()
    connection.close()

    store = NotesStore.open(tmp_path / "data")
    app = Host(lambda: NotesPanel(brief, store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = [str(option.prompt) for option in app.screen.query_one(OptionList).options]
        assert any("late note" in prompt for prompt in shown)
        assert any("early note" in prompt for prompt in shown)
        assert any("not valid" in message for message in app.notified), app.notified
    store.close()
