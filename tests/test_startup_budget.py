"""Start-up of a small library (up to ``EAGER_LOAD_LIMIT`` files): before the first frame it
loads its first brief and, newest first, what fits in ``EAGER_LOAD_BYTES``; the rest after it.
The budget is lowered by ``monkeypatch`` where a test needs files that do not fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbrief.core import startup
from termbrief.core.startup import plan_opening
from test_startup import brief, library, wait_until, write


def padded(title: str, date: str, size: int) -> str:
    """A valid brief of over ``size`` bytes (a long comment: size is what the budget counts)."""
    return brief(title, date, "# " + "x" * size + "\n")


def test_a_small_folder_leaves_what_does_not_fit_for_after_the_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "EAGER_LOAD_BYTES", 2000)
    folder = tmp_path / "lib"
    files = library(folder, 3)
    big = write(folder / "a-big.yaml", padded("Big", "2020-01-02", 4000))
    plan = plan_opening([folder])
    assert plan.eager and plan.first_path == files[2]
    assert set(plan.early) == {str(files[0]), str(files[1])}  # not the big one
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None
    assert loaded.first.title == "Brief 002"
    assert [entry.title for entry in loaded.entries] == ["Brief 002", "Brief 001", "Brief 000"]

    everything = startup.load_rest(plan, loaded.entries)
    assert [entry.path for entry in everything] == [files[2], big, files[1], files[0]]
    assert all(entry.loaded and entry.ok for entry in everything)


def test_a_small_folder_loads_its_newest_files_first_within_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = library(tmp_path / "lib", 5)  # the same size each
    monkeypatch.setattr(startup, "EAGER_LOAD_BYTES", 2 * files[0].stat().st_size + 1)
    plan = plan_opening([tmp_path / "lib"])
    assert plan.first_path == files[4]
    assert plan.early == (str(files[3]), str(files[2]))  # what the list shows first
    loaded = startup.load_now(plan)
    assert loaded is not None
    assert [entry.path for entry in loaded.entries] == [files[4], files[3], files[2]]


def test_a_large_newest_brief_is_shown_first_whatever_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "EAGER_LOAD_BYTES", 2000)
    folder = tmp_path / "lib"
    files = library(folder, 3)
    big = write(folder / "z-big.yaml", padded("Big", "2021-01-01", 4000))
    plan = plan_opening([folder])
    assert plan.first_path == big and set(plan.early) == {str(path) for path in files}
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None and loaded.first.path == big
    assert len(loaded.entries) == 4


def test_a_small_folder_looks_past_the_budget_for_a_valid_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "EAGER_LOAD_BYTES", 0)
    folder = tmp_path / "lib"
    write(folder / "a.yaml", "title: [\n")
    # Valid, but its date is not on a line of its own: the date scan cannot see it.
    write(folder / "b.yaml", "{title: Flow, date: 2020-01-01, summary: S}\n")
    write(folder / "c.yaml", "title: C\nsummary: [\n")
    plan = plan_opening([folder])
    assert plan.eager and not plan.candidates and not plan.early
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None
    assert loaded.first.title == "Flow"
    assert [entry.path.name for entry in loaded.entries] == ["b.yaml", "a.yaml"]  # not c.yaml


def alias_bomb(entries: int = 10_001) -> str:
    """A valid brief whose commentary is ``entries`` aliases of one text: costly to check."""
    lines = [
        "title: Bomb",
        "date: 2000-01-01",
        "summary: S",
        "commentary:",
        '  - {author: a, body: &text "word word"}',
        *(["  - {author: a, body: *text}"] * (entries - 1)),
    ]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_a_small_folder_waits_for_the_first_frame(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    files = library(folder, 3)
    bomb = write(folder / "a-bomb.yaml", alias_bomb())
    plan = plan_opening([folder])
    assert plan.eager and str(bomb) not in plan.early  # the default budget leaves it out
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None
    assert loaded.first.path == files[2] and len(loaded.entries) == 3
    everything = startup.load_rest(plan, loaded.entries)
    assert everything[-1].path == bomb and everything[-1].ok  # the oldest, listed once loaded


# -- the app ------------------------------------------------------------------------------------


async def test_a_small_library_lists_what_it_left_for_after_the_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from termbrief.ui.app import TermbriefApp
    from ui_fixtures import screen_text

    monkeypatch.setattr(startup, "EAGER_LOAD_BYTES", 2000)
    folder = tmp_path / "lib"
    files = library(folder, 3)
    big = write(folder / "a-big.yaml", "title: [\n# " + "x" * 4000 + "\n")  # invalid
    app = TermbriefApp([folder], show_library=True)
    assert app.current is not None and app.current.title == "Brief 002"
    assert {entry.path for entry in app.entries} == set(files)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(app.entries) == 4)
        assert app.entries[-1].path == big and app.entries[-1].problems  # listed, invalid
        assert app.entries[0] is app.current  # the entry on screen is kept, not redrawn
        await pilot.pause()
        assert "a-big.yaml" in screen_text(app)


async def test_the_rest_loads_even_when_live_reload_listed_new_files_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from termbrief.core.library import load_entry
    from termbrief.ui.app import TermbriefApp

    monkeypatch.setattr(startup, "EAGER_LOAD_BYTES", 2000)
    folder = tmp_path / "lib"
    library(folder, 3)
    big = write(folder / "a-big.yaml", padded("Big", "2020-01-02", 4000))
    app = TermbriefApp([folder])
    # A file added after the plan was made, listed (as live reload does) before the rest
    # loads: the library counts as many entries as the plan has files, yet one is missing.
    added = write(folder / "new.yaml", brief("New", "2019-01-01"))
    app.state.set_library([*app.entries, load_entry(added)])
    assert len(app.entries) == len(app.library_loader.plan.files)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: any(entry.path == big for entry in app.entries))
        assert {entry.path for entry in app.entries} >= {big, added}
