"""Pilot tests of the note dialogs: editor, confirmation, notes panel, anchor picker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import OptionList, Static, TextArea

from termbrief.core.anchors import Anchor
from termbrief.core.loader import load_brief_text
from termbrief.core.model import Brief
from termbrief.store.notes import NotesError, NotesStore
from termbrief.ui.screens.confirm import ConfirmScreen
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.screens.notes_panel import AnchorPicker, NotesPanel

BRIEF = """
id: ui-brief
title: A brief with [b]markup[/i] in its title
summary: The summary.
figures:
  - id: officers
    label: Officers [@click=app.quit]trained[/]
    value: 5000
actors:
  - id: wang
    name: Wang Xiaohong
    kind: person
  - id: focac
    name: FOCAC
    kind: forum
timeline:
  - date: 2024-09-04
    event: Summit.
"""


class Host(App[None]):
    """A bare app that opens one dialog and records what it dismissed with."""

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make
        self.results: list[Any] = []
        self.messages: list[NotesPanel.NotesChanged] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)

    def on_notes_panel_notes_changed(self, message: NotesPanel.NotesChanged) -> None:
        self.messages.append(message)


def rendered(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.fixture
def brief() -> Brief:
    return load_brief_text(BRIEF, "ui-brief.yaml")


# --------------------------------------------------------------------------- editor


async def test_ctrl_s_saves_and_closes() -> None:
    saved: list[str] = []
    app = Host(lambda: NoteEditor("Figure: Officers", "Officers: 5,000", save=saved.append))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"Hello", "enter", *"world")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved == ["Hello\nworld"]
        assert app.results == ["Hello\nworld"]
        assert not isinstance(app.screen, NoteEditor)


async def test_label_and_quote_are_shown_literally() -> None:
    app = Host(lambda: NoteEditor("Figure: [b]x[/i]", "[@click=app.quit]q[/]", save=print))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "On: Figure: [b]x[/i]" in rendered(app, "#note-target")
        assert "[@click=app.quit]q[/]" in rendered(app, "#note-quote")
        assert app.is_running


async def test_a_failed_save_shows_the_error_and_keeps_the_text() -> None:
    attempts: list[str] = []

    def failing(text: str) -> None:
        attempts.append(text)
        raise NotesError("The disk holding the notes database is full.")

    app = Host(lambda: NoteEditor("Summary", "", "draft", save=failing))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*" more")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert attempts == ["draft more"]
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "draft more"
        assert "disk holding the notes database is full" in rendered(app, "#note-error")
        assert app.screen.query_one("#note-error").display
        assert any(n.severity == "error" for n in app._notifications)
        assert app.results == []


async def test_an_unwritable_location_shows_the_error_and_keeps_the_text(
    tmp_path: Path, brief: Brief
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    store = NotesStore.open(blocker / "data")  # cannot be created, even by root
    assert store.read_only_reason is not None

    def save(text: str) -> None:
        store.add(brief.id, "summary", text, Anchor.parse("summary").quote(brief))

    app = Host(lambda: NoteEditor("Summary", Anchor.parse("summary").quote(brief), save=save))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"keep me")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "keep me"
        assert "read-only" in rendered(app, "#note-error")
        # Escape now asks before discarding what could not be saved.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
    assert store.all_notes() == []


async def test_an_empty_note_is_not_saved() -> None:
    saved: list[str] = []
    app = Host(lambda: NoteEditor("Summary", "", save=saved.append))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        assert saved == []
        assert "empty" in rendered(app, "#note-error")


async def test_escape_without_changes_closes_at_once() -> None:
    app = Host(lambda: NoteEditor("Summary", "", "unchanged", save=print))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_escape_with_unsaved_text_asks_first() -> None:
    saved: list[str] = []
    app = Host(lambda: NoteEditor("Summary", "", save=saved.append))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"precious")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # the focused button is "Keep editing"
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "precious"
        assert app.results == []

        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.results == [None]
        assert saved == []


async def test_confirm_screen_answers() -> None:
    app = Host(lambda: ConfirmScreen("Delete [b]it[/]?", "Delete", "Keep"))
    async with app.run_test(size=(80, 20)) as pilot:
        assert "Delete [b]it[/]?" in rendered(app, "#confirm-question")
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert app.results == [True]
    app = Host(lambda: ConfirmScreen("Sure?"))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [False]


def test_dialog_bindings_have_ids_and_descriptions() -> None:
    for screen in (NoteEditor, ConfirmScreen, NotesPanel, AnchorPicker):
        for binding in screen.BINDINGS:
            assert not isinstance(binding, tuple)
            assert binding.id and binding.description, (screen, binding)


# --------------------------------------------------------------------------- notes panel


@pytest.fixture
def store(tmp_path: Path) -> NotesStore:
    return NotesStore.open(tmp_path / "data")


def prompts(app: App[Any]) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(option.prompt) for option in options.options]


async def test_panel_lists_notes_with_status_and_orphans(brief: Brief, store: NotesStore) -> None:
    figure = "figures/officers"
    store.add(brief.id, figure, "About [b]officers[/i]\nmore", Anchor.parse(figure).quote(brief))
    store.add(brief.id, "summary", "On the summary", Anchor.parse("summary").quote(brief))
    store.add(brief.id, "actors/wang", "Changed one", "Wang Xiaohong — Old title")
    store.add(brief.id, "actors/gone", "Orphan one", "Gone Person — a role")
    store.add("another-brief", "summary", "Not shown", "")
    app = Host(lambda: NotesPanel(brief, store))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = prompts(app)
        assert len(shown) == 5  # 3 attached, the "Orphaned" heading, 1 orphan
        assert shown[0].startswith("Summary")
        assert shown[1].startswith("Figure: Officers [@click=app.quit]trained[/]")
        assert "About [b]officers[/i]" in shown[1] and "more" not in shown[1]
        assert "changed since noted" in shown[2] and "was: “Wang Xiaohong — Old title”" in shown[2]
        assert shown[3].startswith("Orphaned")
        assert "Actor: gone (no longer in the brief)" in shown[4]
        assert "was: “Gone Person — a role”" in shown[4]
        assert "Not shown" not in "".join(shown)

        await pilot.press("down", "enter")  # jump to the figure
        await pilot.pause()
        assert app.results == ["figures/officers"]


async def test_panel_delete_and_undo(brief: Brief, store: NotesStore) -> None:
    note = store.add(brief.id, "summary", "Delete me", "")
    app = Host(lambda: NotesPanel(brief, store))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert store.all_notes() == []
        assert prompts(app) == []
        assert app.screen.query_one("#notes-empty").display
        await pilot.press("u")
        await pilot.pause()
        assert store.all_notes() == [note]
        assert len(prompts(app)) == 1
        assert [m.brief_id for m in app.messages] == [brief.id, brief.id]


async def test_panel_edit_opens_the_editor_and_saves(brief: Brief, store: NotesStore) -> None:
    note = store.add(brief.id, "summary", "Old", "")
    app = Host(lambda: NotesPanel(brief, store))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("backspace", "backspace", "backspace", *"New", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NotesPanel)
        assert store.get(note.id).text == "New"  # type: ignore[union-attr]
        assert "New" in prompts(app)[0]


async def test_panel_reattaches_an_orphan(brief: Brief, store: NotesStore) -> None:
    orphan = store.add(brief.id, "actors/gone", "Orphan", "Gone Person")
    app = Host(lambda: NotesPanel(brief, store))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # an orphan has nowhere to jump to
        await pilot.pause()
        assert app.results == []
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, AnchorPicker)
        picker = app.screen.query_one(OptionList)
        picker.highlighted = picker.get_option_index("actors/focac")
        await pilot.press("enter")
        await pilot.pause()
        moved = store.get(orphan.id)
        assert moved is not None
        assert (moved.anchor, moved.quote) == ("actors/focac", "FOCAC")
        shown = prompts(app)
        assert len(shown) == 1 and shown[0].startswith("Actor: FOCAC")


async def test_panel_sees_notes_saved_by_another_instance(
    brief: Brief, store: NotesStore, tmp_path: Path
) -> None:
    app = Host(lambda: NotesPanel(brief, store))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert prompts(app) == []
        with NotesStore.open(tmp_path / "data") as other:
            other.add(brief.id, "summary", "From elsewhere", "")
        panel = app.screen
        assert isinstance(panel, NotesPanel)
        panel._check_other_instances()
        await pilot.pause()
        assert "From elsewhere" in prompts(app)[0]


async def test_a_corrupt_database_is_backed_up_and_notes_work(tmp_path: Path, brief: Brief) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "notes.sqlite3").write_bytes(b"\x00garbage" * 512)
    store = NotesStore.open(data)
    assert store.recovered_backup is not None and store.recovered_backup.exists()

    def save(text: str) -> None:
        store.add(brief.id, "summary", text, Anchor.parse("summary").quote(brief))

    app = Host(lambda: NoteEditor("Summary", "", save=save))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"after recovery", "ctrl+s")
        await pilot.pause()
        assert app.results == ["after recovery"]
        app.push_screen(NotesPanel(brief, store))
        await pilot.pause()
        assert "after recovery" in prompts(app)[0]
