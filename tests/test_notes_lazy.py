"""The notes database is opened only when notes need it (reading a brief never does).

SQLite costs ~2 MB of memory (bench case 8), so the app opens an existing database after the
first frame, creates a missing one only when a note is saved or the notes panel opens, and opens
one created by another running termbrief once it sees the file (polled).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.pilot import Pilot

from termbrief.core import locations
from termbrief.store.notes import NotesStore
from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.screens.notes_panel import NotesPanel
from termbrief.ui.services import notes as notes_service
from ui_fixtures import ALPHA, WIDE, brief_screen, wait_for


def actors_title(app: TermbriefApp) -> str:
    return str(brief_screen(app).pane("actors").border_title)


async def settle(pilot: Pilot[None]) -> None:
    """Let start-up work after the first frame finish (workers, a poll or two)."""
    await pilot.pause()
    await pilot.pause(0.3)
    await pilot.pause()


async def test_reading_a_brief_neither_creates_nor_opens_the_database() -> None:
    database = locations.notes_db_path()
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3", "j", "2", "1")  # moving around the brief is still reading
        await settle(pilot)
        assert app.notes_session.store is None
        assert not database.exists()
        assert not database.parent.exists()
    assert not database.exists()


def test_a_reader_process_never_imports_sqlite() -> None:
    # In a fresh interpreter: the test process itself has imported SQLite long ago.
    code = textwrap.dedent(
        f"""
        import asyncio, sys
        from termbrief.ui.app import TermbriefApp

        async def main():
            app = TermbriefApp([{str(ALPHA)!r}])
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await pilot.pause(0.5)
                await pilot.press("3", "j")
                await pilot.pause(0.3)
                print(sorted(m for m in ("sqlite3", "_sqlite3") if m in sys.modules))

        asyncio.run(main())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


async def test_the_first_saved_note_creates_the_database() -> None:
    database = locations.notes_db_path()
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3", "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert not database.exists(), "opening the editor is not saving"
        await pilot.press(*"First note", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert database.exists()
        assert app.notes_session.store is not None
        assert actors_title(app) == "3 Actors (3) · 1 note"
        # Saved for good: another connection (another termbrief) reads it at once.
        with NotesStore.open() as other:
            assert [(n.anchor, n.text) for n in other.notes_for("alpha")] == [
                ("actors/mara-quist", "First note")
            ]


async def test_a_cancelled_first_note_creates_nothing() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3", "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")
        await pilot.pause()
        assert app.notes_session.store is None
        assert not locations.notes_db_path().exists()


async def test_the_notes_panel_opens_without_a_database() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, NotesPanel)
        assert panel.query_one("#notes-empty").display
        assert (
            app.notes_session.store is not None and app.notes_session.store.read_only_reason is None
        )


async def test_another_instances_first_note_shows_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notes_service, "POLL_SECONDS", 0.1)
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.notes_session.store is None
        # Another termbrief saves the first note: it creates the database.
        with NotesStore.open() as other:
            other.add("alpha", "actors/mara-quist", "From elsewhere", "Mara Quist")
        await wait_for(pilot, lambda: "note" in actors_title(app))
        assert actors_title(app) == "3 Actors (3) · 1 note"
        assert app.notes_session.store is not None
        # From then on the usual data_version poll follows that instance's saves.
        with NotesStore.open() as other:
            other.add("alpha", "actors/mara-quist", "And again", "Mara Quist")
        await wait_for(pilot, lambda: "2 notes" in actors_title(app))
        assert actors_title(app) == "3 Actors (3) · 2 notes"


async def test_a_store_opened_twice_at_once_keeps_one(tmp_path: Path) -> None:
    # The database exists, so a thread opens it after the first frame; a notes action that
    # comes first opens it too. The app keeps the first store and closes the other.
    NotesStore.open().close()
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        store = app.notes_session.open_now(create=True)
        app.notes_session.open_in_background()
        await settle(pilot)
        assert app.notes_session.store is store
        store.add("alpha", "summary", "Still the one", "")
        assert [n.text for n in store.notes_for("alpha")] == ["Still the one"]


async def test_a_store_opened_while_the_app_closes_is_closed_not_a_crash(tmp_path: Path) -> None:
    # Quitting at once: the thread that opened an existing database reports after the screens
    # are gone. That must close the store quietly (it raised IndexError on the empty stack).
    import sqlite3

    from termbrief.ui.messages import NotesOpened

    app = TermbriefApp([ALPHA], data_dir=tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
    store = NotesStore.open(tmp_path)
    assert not app.screen_stack
    app.on_notes_opened(NotesOpened(store))
    assert app.notes_session.store is None
    with pytest.raises(sqlite3.ProgrammingError):
        store._conn.execute("select 1")  # closed


READER_NEVER_IMPORTS = (
    "termbrief.core.annotation",
    "termbrief.core.quote_match",
    "termbrief.ui.render.notes",
    "termbrief.ui.screens.brief_changes",
    "termbrief.ui.screens.brief_drafts",
    "termbrief.ui.screens.brief_selection",
)
"""What reading a brief with no notes, unchanged since last read, never needs (bench case 8:
every module is memory): the note, selection, change and draft machinery."""


def test_reading_without_notes_never_imports_the_annotating_machinery() -> None:
    # In a fresh interpreter; then one key that needs the selection imports it.
    code = textwrap.dedent(
        f"""
        import asyncio, sys
        from termbrief.ui.app import TermbriefApp

        WATCHED = {READER_NEVER_IMPORTS!r}

        async def main():
            app = TermbriefApp([{str(ALPHA)!r}])
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await pilot.pause(0.5)
                await pilot.press("3", "j", "1", "j", "pagedown")
                await pilot.pause(0.3)
                print(sorted(m for m in WATCHED if m in sys.modules))
                await pilot.press("m")
                await pilot.pause(0.3)
                print(app.screen.selecting, "termbrief.ui.screens.brief_selection" in sys.modules)

        asyncio.run(main())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    *_, imported, after_m = done.stdout.strip().splitlines()
    assert imported == "[]"
    assert after_m == "True True"
