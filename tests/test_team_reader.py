"""The reader on a team server: notes opened through the notes URL, colleagues' team notes seen
live, private notes never, and the reader working on while the server is away.

Against the real throwaway server of ``postgres_server.py`` (skipped loudly without PostgreSQL).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from notices import record_notifications
from postgres_server import PostgresServer
from termbrief.core.settings import Settings
from termbrief.store.backend import NOTES_URL_VARIABLE, SqliteNotes
from termbrief.store.postgres import PostgresNotesStore
from termbrief.store.team import OfflineFirstNotes
from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.screens.notes_panel import NotesPanel
from ui_fixtures import ALPHA, BETA, WIDE, brief_screen, screen_text, wait_for

BACK = "The notes server is back"


@pytest.fixture
def bob(team_server: PostgresServer) -> Iterator[PostgresNotesStore]:
    """The colleague, writing straight to the server."""
    store = PostgresNotesStore.open(team_server.url("bob"))
    yield store
    store.close()


def actors_title(app: TermbriefApp) -> str:
    return str(brief_screen(app).pane("actors").border_title)


def team_store(app: TermbriefApp) -> OfflineFirstNotes:
    store = app.notes_session.store
    assert isinstance(store, OfflineFirstNotes)
    return store


async def opened(pilot: Pilot[None], app: TermbriefApp) -> None:
    """Wait until the notes store is open and the team worker has subscribed."""
    await wait_for(pilot, lambda: app.notes_session.store is not None)
    await pilot.pause(0.3)


async def test_the_flag_opens_the_team_server_as_the_role_it_names(
    team_server: PostgresServer, tmp_path: Path
) -> None:
    app = TermbriefApp([ALPHA], data_dir=tmp_path, notes_url=team_server.url("alice"))
    async with app.run_test(size=WIDE) as pilot:
        await opened(pilot, app)
        store = team_store(app)
        assert store.author == "alice"
        assert store.offline_reason is None
        assert store.default_visibility == "team"


async def test_the_environment_and_config_name_the_server_and_the_flag_wins(
    team_server: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(NOTES_URL_VARIABLE, team_server.url("bob"))
    settings = Settings(notes_url=team_server.url("alice"), note_visibility="private")
    app = TermbriefApp([ALPHA], data_dir=tmp_path, settings=settings)
    async with app.run_test(size=WIDE) as pilot:
        await opened(pilot, app)
        assert team_store(app).author == "bob"  # the environment over config.toml
        assert team_store(app).default_visibility == "private"  # [user] visibility
    monkeypatch.delenv(NOTES_URL_VARIABLE)
    app = TermbriefApp([ALPHA], data_dir=tmp_path, settings=settings)
    async with app.run_test(size=WIDE) as pilot:
        await opened(pilot, app)
        assert team_store(app).author == "alice"
    flag = f"sqlite://{tmp_path / 'mine'}"
    app = TermbriefApp([ALPHA], data_dir=tmp_path, settings=settings, notes_url=flag)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("n")  # the first note creates the SQLite file the flag names
        await pilot.press(*"solo", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.notes_session.store, SqliteNotes))
    assert (tmp_path / "mine" / "notes.sqlite3").exists()


async def test_a_colleagues_team_note_appears_within_two_seconds_and_a_private_one_never(
    team_server: PostgresServer, bob: PostgresNotesStore, tmp_path: Path
) -> None:
    app = TermbriefApp([ALPHA], data_dir=tmp_path, notes_url=team_server.url("alice"))
    async with app.run_test(size=WIDE) as pilot:
        await opened(pilot, app)
        assert "note" not in actors_title(app)
        bob.add("alpha", "actors/mara-quist", "Only mine", "Mara Quist", visibility="private")
        bob.add("alpha", "actors/mara-quist", "For the team", "Mara Quist", visibility="team")
        seconds = await wait_for(pilot, lambda: "1 note" in actors_title(app), timeout=2.0)
        assert seconds <= 2.0
        await pilot.pause(0.8)  # the private note had every chance to show up by now
        assert "1 note" in actors_title(app)
        texts = [n.text for n in team_store(app).notes_for("alpha")]
        assert texts == ["For the team"]


async def test_offline_the_reader_reads_says_so_once_and_sends_the_outbox_when_back(
    team_server: PostgresServer, tmp_path: Path
) -> None:
    team_server.stop()
    try:
        app = TermbriefApp([ALPHA], data_dir=tmp_path, notes_url=team_server.url("alice"))
        said = record_notifications(app)
        async with app.run_test(size=WIDE) as pilot:
            await opened(pilot, app)
            assert brief_screen(app).pane("actors").display  # reading goes on
            store = team_store(app)
            assert store.offline_reason is not None
            for n in range(3):
                store.add("alpha", "actors/mara-quist", f"offline {n}", "Mara Quist")
            await pilot.pause(1.2)  # several failed tries to reach the server: told once
            team_server.start()
            await wait_for(pilot, lambda: store.offline_reason is None, timeout=5.0)
            await wait_for(pilot, lambda: any(s.startswith(BACK) for s in said), timeout=2.0)
            await pilot.pause(0.8)
    finally:
        if not (team_server.data / "postmaster.pid").exists():
            team_server.start()
    offline = [s for s in said if "Working offline" in s]
    back = [s for s in said if s.startswith(BACK)]
    assert len(offline) == 1, said
    assert back == ["The notes server is back: 3 note changes sent."]
    rows = team_server.psql("SELECT text FROM termbrief.notes ORDER BY text")
    assert rows.split("\n") == ["offline 0", "offline 1", "offline 2"]


async def test_a_server_that_goes_away_midway_is_told_once_and_its_return_too(
    team_server: PostgresServer, tmp_path: Path
) -> None:
    app = TermbriefApp([ALPHA], data_dir=tmp_path, notes_url=team_server.url("alice"))
    said = record_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await opened(pilot, app)
        store = team_store(app)
        try:
            team_server.stop()
            await wait_for(pilot, lambda: any("Working offline" in s for s in said), 3.0)
            store.add("alpha", "summary", "written while away", "")
            await pilot.pause(1.0)
        finally:
            team_server.start()
        await wait_for(pilot, lambda: any(s.startswith(BACK) for s in said), timeout=5.0)
        await pilot.pause(0.5)
    assert len([s for s in said if "Working offline" in s]) == 1, said
    assert [s for s in said if s.startswith(BACK)] == [f"{BACK}: 1 note change sent."]
    assert team_server.psql("SELECT text FROM termbrief.notes") == "written while away"


async def test_note_by_in_the_library_finds_the_briefs_a_colleague_wrote_on(
    team_server: PostgresServer, bob: PostgresNotesStore, tmp_path: Path
) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    for path in (ALPHA, BETA):
        shutil.copy(path, folder / path.name)
    bob.add("alpha", "summary", "Bob's view", "", visibility="team")
    bob.add("beta", "summary", "Bob's secret", "", visibility="private")
    app = TermbriefApp(
        [folder], data_dir=tmp_path, notes_url=team_server.url("alice"), show_library=True
    )
    async with app.run_test(size=WIDE) as pilot:
        await opened(pilot, app)
        await wait_for(pilot, lambda: brief_screen(app).library is not None)
        library = brief_screen(app).library
        assert library is not None
        team_store(app).add("beta", "summary", "Mine", "")
        library.action_filter()
        await pilot.press(*"note-by:bob")
        await wait_for(pilot, lambda: [e.id for e in library.visible_entries] == ["alpha"])
        await pilot.press(*["backspace"] * 3, *"alice")
        await wait_for(pilot, lambda: [e.id for e in library.visible_entries] == ["beta"])


async def test_the_notes_panel_shows_authors_filters_by_author_and_keeps_colleagues_notes_theirs(
    team_server: PostgresServer, bob: PostgresNotesStore, tmp_path: Path
) -> None:
    bob.add("alpha", "actors/mara-quist", "Bob's team note", "Mara Quist", visibility="team")
    app = TermbriefApp([ALPHA], data_dir=tmp_path, notes_url=team_server.url("alice"))
    said = record_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await opened(pilot, app)
        team_store(app).add("alpha", "summary", "Alice's own", "", visibility="private")
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesPanel))
        text = screen_text(app)
        assert "· bob" in text and "· private" in text
        assert "· alice" not in text  # the reader's own notes carry no name
        await pilot.press("a")  # alice first (alphabetical), then bob, then everyone
        await pilot.pause()
        text = screen_text(app)
        assert "Alice's own" in text and "Bob's team note" not in text
        await pilot.press("a")
        await pilot.pause()
        text = screen_text(app)
        assert "Alice's own" not in text and "Bob's team note" in text and "by bob" in text
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        text = screen_text(app)
        assert "Alice's own" in text and "Bob's team note" in text
    refused = [s for s in said if "only its author can change or delete it" in s]
    assert refused == ["This note is bob's: only its author can change or delete it."] * 2
    assert team_server.psql("SELECT text FROM termbrief.notes WHERE author = 'bob'") == (
        "Bob's team note"
    )


async def test_the_editor_switches_a_new_note_to_private_and_the_colleague_never_sees_it(
    team_server: PostgresServer, bob: PostgresNotesStore, tmp_path: Path
) -> None:
    app = TermbriefApp([ALPHA], data_dir=tmp_path, notes_url=team_server.url("alice"))
    async with app.run_test(size=WIDE) as pilot:
        await opened(pilot, app)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert "Visible to the team" in screen_text(app)
        await pilot.press(*"just for me", "ctrl+t")
        await pilot.pause()
        assert "Private: only you see it" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, NoteEditor))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"for all", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, NoteEditor))
    rows = team_server.psql("SELECT text, visibility FROM termbrief.notes ORDER BY text")
    assert rows.split("\n") == ["for all|team", "just for me|private"]
    assert [n.text for n in bob.notes_for("alpha")] == ["for all"]


def test_a_reader_without_a_notes_url_loads_neither_psycopg_nor_the_team_store(
    tmp_path: Path,
) -> None:
    # In a fresh interpreter, notes opened (the default SQLite store) and the reader closed.
    code = textwrap.dedent(
        f"""
        import asyncio, sys
        from termbrief.ui.app import TermbriefApp

        async def main():
            app = TermbriefApp([{str(ALPHA)!r}], data_dir={str(tmp_path)!r})
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.press("3", "n", *"a note", "ctrl+s")
                await pilot.pause(0.5)
                assert app.notes_session.store is not None
        asyncio.run(main())
        print(sorted(m for m in sys.modules if m.startswith(("psycopg", "termbrief.store.team",
                                                             "termbrief.store.postgres"))))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
