"""Pilot tests of notes in the reader (issue 4): keys, pane counts, markers, and never losing a note.

Every test keeps the notes database in its own folder (``TERMBRIEF_DATA_DIR`` in tmp_path).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import OptionList, Static, TextArea

from termbrief.core import locations
from termbrief.store.notes import SCHEMA_VERSION, NotesError, NotesStore
from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.screens.notes_panel import NotesPanel
from termbrief.ui.services import notes as notes_service
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.record_table import RecordTable
from ui_fixtures import ALPHA, WIDE, brief_screen, screen_text

HARBOUR = """\
format: 1
id: harbour
title: Harbour test
summary: Short summary.
figures:
  - id: inspectors
    label: New inspectors
    value: 40
actors:
  - id: quist
    name: Mara Quist
    kind: person
  - id: union
    name: Dock Workers Union
    kind: group
"""

HARBOUR_EDITED = """\
format: 1
id: harbour
title: Harbour test
summary: Short summary.
figures:
  - id: inspectors
    label: New inspectors
    value: 55
actors:
  - id: mara-quist
    name: Mara Quist
    kind: person
  - id: union
    name: Dock Workers Union
    kind: group
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The notes folder of these tests (the app finds it through TERMBRIEF_DATA_DIR)."""
    folder = tmp_path / "notes-data"
    monkeypatch.setenv("TERMBRIEF_DATA_DIR", str(folder))
    return folder


class AppNotes:
    """The app's notes store, looked up at each use: without a database, the first note saved
    opens it."""

    def __init__(self, app: TermbriefApp) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        store = self._app.notes_session.store
        assert store is not None, "the app has not opened its notes store"
        return getattr(store, name)


async def notes_ready(app: TermbriefApp, pilot: Pilot[None]) -> NotesStore:
    """Wait until the app is ready for notes: its notes session started and, if the database
    exists, with the store open. The result reads the app's store as it is when used."""
    session = app.notes_session
    for _ in range(200):
        if session.started and (
            session.store is not None or not locations.notes_db_path().exists()
        ):
            await pilot.pause()
            return cast(NotesStore, AppNotes(app))
        await pilot.pause(0.02)
    raise AssertionError("the notes store was never opened")


async def write_note(pilot: Pilot[None], text: str) -> None:
    """Press n, type ``text`` and save it."""
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteEditor)
    await pilot.press(*text)
    await pilot.press("ctrl+s")
    await pilot.pause()


def title(app: TermbriefApp, section: str) -> str:
    return str(brief_screen(app).pane(section).border_title)


def messages(app: TermbriefApp) -> list[str]:
    return [notification.message for notification in app._notifications]


# -- add / edit / delete / undo ---------------------------------------------------------------------


async def test_add_edit_delete_undo_with_keys_update_counts_and_markers(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        screen = brief_screen(app)
        await pilot.press("2", "j")
        anchor = screen.focused_anchor()
        assert anchor.startswith("figures/")
        assert "note" not in title(app, "figures")

        await write_note(pilot, "Check the [b]count[/i]")
        assert isinstance(app.screen, BriefScreen)
        [note] = store.notes_for("alpha")
        assert (note.anchor, note.text) == (anchor, "Check the [b]count[/i]")
        assert note.quote.startswith("Share of cargo checked at night")
        assert title(app, "figures") == "2 Key figures (4) · 1 note"
        table = screen.query_one("#figures-table", RecordTable)
        assert table.marked_anchors == {anchor}

        # e edits that note: the editor starts with its text.
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.text == "Check the [b]count[/i]"
        await pilot.press(*" again", "ctrl+s")
        await pilot.pause()
        [edited] = store.notes_for("alpha")
        assert (edited.id, edited.text) == (note.id, "Check the [b]count[/i] again")

        # d deletes it at once and says how to undo; u brings it back as it was.
        await pilot.press("d")
        await pilot.pause()
        assert store.notes_for("alpha") == []
        assert "note" not in title(app, "figures")
        assert table.marked_anchors == frozenset()
        assert any("Press u to undo" in message for message in messages(app))
        await pilot.press("u")
        await pilot.pause()
        assert store.notes_for("alpha") == [edited]
        assert title(app, "figures") == "2 Key figures (4) · 1 note"
        assert table.marked_anchors == {anchor}


async def test_text_typed_in_one_burst_before_ctrl_s_is_saved_whole(data_dir: Path) -> None:
    # A paste, or a fast typist, delivers keys faster than the editor handles them; ctrl+s is a
    # priority key and must still wait for every key typed before it.
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        await pilot.press("2", "n")
        await pilot.pause()
        text = "A long pasted note that arrives in one burst"
        for character in text:
            app.post_message(events.Key(character, character))
        app.post_message(events.Key("ctrl+s", None))
        app.post_message(events.Key("ctrl+s", None))  # twice: still one note
        await pilot.pause(0.2)
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert [note.text for note in store.notes_for("alpha")] == [text]


@pytest.mark.parametrize("database", [True, False], ids=["database", "no-database"])
async def test_e_and_d_without_a_note_say_so(data_dir: Path, database: bool) -> None:
    if database:
        NotesStore.open(data_dir).close()
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        await pilot.press("3", "e", "d")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert sum("No note here" in message for message in messages(app)) == 2
        if database:
            assert store.notes_for("alpha") == []
        else:  # nothing to edit or delete is no reason to create the database
            assert app.notes_session.store is None
            assert not locations.notes_db_path().exists()


async def test_summary_pane_counts_its_key_points_and_marks_items(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        screen = brief_screen(app)
        await pilot.press("1")
        await write_note(pilot, "On the summary")
        summary_list = screen.query_one("#summary-list", ItemList)
        summary_list.highlighted = len(summary_list.items) - 1  # the last key point
        assert screen.focused_anchor() == "key_points/3"
        await write_note(pilot, "On the key points")
        assert {note.anchor for note in store.notes_for("alpha")} == {"summary/1", "key_points/3"}
        assert title(app, "summary") == "1 Summary · 2 notes"
        assert summary_list.marked_anchors == {"summary/1", "key_points/3"}


async def test_e_with_several_notes_opens_the_panel_on_the_newest(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        await pilot.press("3")
        await write_note(pilot, "first")
        await write_note(pilot, "second")
        assert title(app, "actors") == "3 Actors (3) · 2 notes"
        await pilot.press("e")
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, NotesPanel)
        newest = max(store.notes_for("alpha"), key=lambda note: note.created)
        assert panel.highlighted_note == newest


async def test_notes_panel_enter_jumps_and_its_changes_refresh_the_titles(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        screen = brief_screen(app)
        await pilot.press("5", "j", "j")
        await write_note(pilot, "Did it start?")
        await write_note(pilot, "A second thought")
        [first, _second] = store.notes_for("alpha")
        assert first.anchor == "timeline/3"
        assert title(app, "timeline") == "5 Timeline (3) · 2 notes"
        timeline = screen.query_one("#timeline-list", ItemList)
        assert timeline.marked_anchors == {"timeline/3"}
        await pilot.press("1", "N")
        await pilot.pause()
        assert isinstance(app.screen, NotesPanel)
        # Deleting inside the panel refreshes the title behind it (NotesPanel.NotesChanged).
        await pilot.press("d")
        await pilot.pause()
        assert title(app, "timeline") == "5 Timeline (3) · 1 note"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert screen.active == "timeline"
        assert screen.focused_anchor() == "timeline/3"


async def test_n_and_N_give_way_to_search_while_it_is_active(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        screen = brief_screen(app)
        await pilot.press("slash", *"inspect", "enter")
        await pilot.pause()
        assert screen.find.active
        assert screen.check_action("add_note", ()) is False
        assert screen.check_action("notes_panel", ()) is False
        await pilot.press("n", "n", "N")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        # Escape ends the search: n writes a note again.
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.find.active
        await write_note(pilot, "After the search")
        assert [note.text for note in store.notes_for("alpha")] == ["After the search"]


async def test_note_keys_are_listed_with_ids() -> None:
    bindings = {binding.id: binding for _key, binding in BriefScreen._merge_bindings()}
    for binding_id in ("note.add", "note.edit", "note.delete", "note.undo", "notes.panel"):
        assert binding_id in bindings and bindings[binding_id].description


# -- start-up and exit ------------------------------------------------------------------------------


async def test_an_existing_store_opens_after_start_and_closes_on_exit(data_dir: Path) -> None:
    with NotesStore.open(data_dir) as earlier:
        earlier.add("alpha", "actors/mara-quist", "From an earlier session", "Mara Quist")
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await notes_ready(app, pilot)
        store = app.notes_session.store
        assert store is not None
        assert title(app, "actors") == "3 Actors (3) · 1 note"
        assert store.path == locations.notes_db_path()
        assert store.path.parent == data_dir
        assert store.read_only_reason is None and store.recovered_backup is None
        assert not [n for n in app._notifications if n.severity != "information"]
    with pytest.raises(NotesError):
        store.data_version()


# -- never lost -------------------------------------------------------------------------------------


async def test_corrupt_database_is_moved_aside_the_user_is_told_and_notes_work(
    data_dir: Path,
) -> None:
    data_dir.mkdir(parents=True)
    database = data_dir / "notes.sqlite3"
    garbage = b"\x00\xffnot a database at all\x1b[31m" * 200
    database.write_bytes(garbage)
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        store = await notes_ready(app, pilot)
        [backup] = data_dir.glob("notes.sqlite3.corrupt-*")
        assert backup.read_bytes() == garbage
        assert store.recovered_backup == backup
        [warning] = [n for n in app._notifications if n.severity == "warning"]
        assert warning.message == (
            f"Your notes database was damaged; it was moved to {backup} and a fresh one started."
        )
        await pilot.pause(0.3)  # the toast slides in
        assert "database was damaged" in screen_text(app)
        await pilot.press("2")
        await write_note(pilot, "Still works")
        assert isinstance(app.screen, BriefScreen)
        assert [note.text for note in store.notes_for("alpha")] == ["Still works"]
    with NotesStore.open(data_dir) as again:
        assert [note.text for note in again.notes_for("alpha")] == ["Still works"]


async def test_unwritable_location_opens_and_saving_keeps_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder below a regular file can never be created, even by root.
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TERMBRIEF_DATA_DIR", str(blocker / "notes"))
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        await pilot.press("2", "j", "n")
        await pilot.pause()
        await pilot.press(*"Precious words", "ctrl+s")
        await pilot.pause()
        # Saving opened the store (there was no database): read-only, and the user is told.
        assert store.read_only_reason is not None
        assert any("can be read but not saved" in message for message in messages(app))
        editor = app.screen
        assert isinstance(editor, NoteEditor), "the editor closed and the text is gone"
        assert editor.query_one(TextArea).text == "Precious words"
        error = editor.query_one("#note-error", Static)
        assert error.has_class("-visible")
        assert "still here" in str(error.render())
        assert any(n.severity == "error" for n in app._notifications)


async def test_read_only_database_still_shows_its_notes(data_dir: Path) -> None:
    # A database from a newer termbrief opens read-only: notes are shown, saving is refused.
    with NotesStore.open(data_dir) as store:
        store.add("alpha", "actors/mara-quist", "Ask about the budget", "Mara Quist")
        store._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        assert store.read_only_reason is not None
        assert title(app, "actors") == "3 Actors (3) · 1 note"
        await pilot.press("3")
        await write_note(pilot, "Not saved")
        assert isinstance(app.screen, NoteEditor)
        assert len(store.notes_for("alpha")) == 1


async def test_orphan_and_changed_markers_after_the_brief_file_is_edited(
    data_dir: Path, tmp_path: Path
) -> None:
    brief_file = tmp_path / "harbour.yaml"
    brief_file.write_text(HARBOUR)
    app = TermbriefApp([brief_file])
    async with app.run_test(size=WIDE) as pilot:
        store = await notes_ready(app, pilot)
        await pilot.press("2")
        await write_note(pilot, "Forty is few")
        await pilot.press("3")
        await write_note(pilot, "Who is she?")
        anchors = {note.anchor for note in store.notes_for("harbour")}
        assert anchors == {"figures/inspectors", "actors/quist"}

    # The file changes on disk: the figure's value, and the actor's id.
    brief_file.write_text(HARBOUR_EDITED)
    app = TermbriefApp([brief_file])
    async with app.run_test(size=WIDE) as pilot:
        await notes_ready(app, pilot)
        screen = brief_screen(app)
        assert title(app, "actors") == "3 Actors (2) · 1 note (1 orphaned)"
        assert screen.query_one("#actors-table", RecordTable).marked_anchors == {
            "figures/inspectors"
        }, "the orphan is marked nowhere; the changed figure keeps its marker"
        await pilot.press("N")
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, NotesPanel)
        prompts = [str(option.prompt) for option in panel.query_one(OptionList).options]
        text = "\n".join(prompts)
        assert "changed since noted" in text
        assert "was: “New inspectors: 40" in text
        orphan_heading = next(i for i, p in enumerate(prompts) if p.startswith("Orphaned"))
        after = "\n".join(prompts[orphan_heading:])
        assert "Actor: quist (no longer in the brief)" in after
        assert "Who is she?" in after and "was: “Mara Quist" in after
        assert "Forty is few" not in after


async def test_two_instances_see_each_others_notes(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notes_service, "POLL_SECONDS", 0.1)
    first, second = TermbriefApp([ALPHA]), TermbriefApp([ALPHA])
    async with first.run_test(size=WIDE) as pilot1, second.run_test(size=WIDE) as pilot2:
        store1 = await notes_ready(first, pilot1)
        store2 = await notes_ready(second, pilot2)
        assert store1 is not store2
        await pilot2.press("3")
        await write_note(pilot2, "From the second window")
        assert title(second, "actors") == "3 Actors (3) · 1 note"
        for _ in range(50):
            await pilot1.pause(0.05)
            if "note" in title(first, "actors"):
                break
        assert title(first, "actors") == "3 Actors (3) · 1 note"
        assert brief_screen(first).query_one("#actors-table", RecordTable).marked_anchors


async def test_another_brief_shows_its_own_counts(data_dir: Path, tmp_path: Path) -> None:
    brief_file = tmp_path / "harbour.yaml"
    brief_file.write_text(HARBOUR)
    with NotesStore.open(data_dir) as store:
        store.add("harbour", "figures/inspectors", "on harbour", "")
    app = TermbriefApp([ALPHA, brief_file])
    async with app.run_test(size=WIDE) as pilot:
        await notes_ready(app, pilot)
        screen = brief_screen(app)
        shown = {entry.id: entry for entry in app.entries}
        app.open_entry(shown["alpha"])
        await pilot.pause()
        assert "note" not in title(app, "figures")
        app.open_entry(shown["harbour"])
        await pilot.pause()
        assert title(app, "figures") == "2 Key figures (1) · 1 note"
        assert screen.query_one("#figures-table", RecordTable).marked_anchors == {
            "figures/inspectors"
        }
