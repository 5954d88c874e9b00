"""The reader's state: changes announced by signals, and what follows them (the sidebar, the
remembered last brief)."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.app import App

from termbrief.core.library import Entry
from termbrief.core.settings import load_settings
from termbrief.ui.app import TermbriefApp
from termbrief.ui.state import CurrentChange, LibraryChange, ReaderState
from ui_fixtures import ALPHA, BETA, WIDE, brief_screen, wait_for


def entry(name: str) -> Entry:
    return Entry(Path(name), None)


async def test_library_changes_are_announced_to_subscribers() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        state = ReaderState(app, is_folder=True)
        seen: list[LibraryChange] = []
        state.library_changed.subscribe(app, seen.append)
        a, b = entry("a.yaml"), entry("b.yaml")
        state.set_library([a, b], keep_selection=True)
        await pilot.pause()
        assert seen == [LibraryChange((a, b), keep_selection=True)]
        assert state.entries == (a, b) and state.is_folder


async def test_current_changes_say_whether_another_file_is_on_screen() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        state = ReaderState(app, is_folder=True)
        seen: list[CurrentChange] = []
        state.current_changed.subscribe(app, seen.append)
        a, b = entry("a.yaml"), entry("b.yaml")
        newer_a = Entry(Path("a.yaml"), None, mtime_ns=5)
        state.set_library([a, b])
        state.set_current(a)
        state.set_current(a)  # the same entry again: no news
        state.set_current(newer_a)  # a new version of the same file
        state.set_current(b)
        await pilot.pause()
        assert [(c.previous, c.current, c.other_file) for c in seen] == [
            (None, a, True),
            (a, newer_a, False),
            (newer_a, b, True),
        ]
        assert state.current is b
        assert state.entry_after(-1) == a and state.entry_after(1) is None
        assert state.entry_at(Path("b.yaml")) is b and state.entry_at(Path("c.yaml")) is None


async def test_the_sidebar_follows_the_state(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(ALPHA, folder / "alpha.yaml")
    app = TermbriefApp([folder], show_library=True)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: brief_screen(app).library is not None)
        library = brief_screen(app).library
        assert library is not None and len(library.entries) == 1
        more = [*app.state.entries, Entry(folder / "zzz.yaml", None)]
        app.state.set_library(more)
        await wait_for(pilot, lambda: len(library.entries) == 2)
        assert library.entries == tuple(more)


async def test_the_brief_opened_last_is_remembered_and_opened_next_time(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(ALPHA, folder / "alpha.yaml")
    shutil.copy(BETA, folder / "beta.yaml")
    app = TermbriefApp([folder])
    async with app.run_test(size=WIDE) as pilot:
        first = app.current
        assert first is not None and first.path.name == "alpha.yaml"  # the newest
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: load_settings()[0].last_brief is not None)
        assert load_settings()[0].last_brief == str((folder / "beta.yaml").resolve())
    again = TermbriefApp([folder])
    assert again.current is not None and again.current.path.name == "beta.yaml"
