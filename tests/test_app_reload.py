"""Pilot tests for live reload: briefs edited, broken, fixed, added and removed under a running app.

Files are changed on disk for real; the app's watcher (watchfiles, in a thread) notices. Each
change must show within a second.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from termbrief.core.library import Entry, load_entry
from termbrief.ui.app import TermbriefApp
from termbrief.ui.panes.brief_header import BriefHeader
from termbrief.ui.panes.reload_banner import ReloadBanner
from termbrief.ui.services.reload import apply_changes
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.record_table import RecordTable
from termbrief.ui.widgets.search_bar import SearchBar
from ui_fixtures import (
    ALPHA,
    BETA,
    BROKEN,
    NARROW,
    REPO,
    WIDE,
    SnapCompare,
    active_section,
    brief_screen,
    screen_text,
    user_dirs,
    wait_for,
)

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")

VISIBLE_WITHIN = 1.0
"""Seconds within which a change on disk must be on screen."""
ALPHA_TITLE = "Harbour authority expands night inspections"


async def watching(app: TermbriefApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    await wait_for(pilot, lambda: app.live_reload.running)


def header(app: TermbriefApp) -> str:
    return str(brief_screen(app).query_one(BriefHeader).render())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def alpha(tmp_path: Path) -> Path:
    folder = tmp_path / "briefs"
    folder.mkdir()
    copy = folder / "alpha.yaml"
    shutil.copy(ALPHA, copy)
    return copy


def long_summary(path: Path, paragraphs: int = 60) -> None:
    """Give the brief a summary long enough to scroll."""
    body = "\n\n".join(f"  Paragraph {n} about the harbour." for n in range(paragraphs))
    text = path.read_text(encoding="utf-8")
    start = text.index("summary: |")
    end = text.index("key_points:")
    path.write_text(f"{text[:start]}summary: |\n{body}\n{text[end:]}", encoding="utf-8")


async def test_an_edited_brief_updates_in_place_keeping_pane_cursor_and_scroll(
    alpha: Path,
) -> None:
    long_summary(alpha)
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        screen = brief_screen(app)
        summary = screen.query_one("#summary-list", ItemList)
        await pilot.press("end")  # the last key point: the summary is scrolled down
        await pilot.pause()
        cursor, scroll = summary.highlighted, summary.scroll_y
        assert cursor and scroll > 0
        edit(alpha, ALPHA_TITLE, "Harbour authority delays night inspections")
        edit(alpha, "Paragraph 59 about", "Paragraph 59, revised, about")
        took = await wait_for(pilot, lambda: "delays night" in header(app))
        assert took < VISIBLE_WITHIN
        await pilot.pause()
        assert app.current is not None and app.current.title.startswith("Harbour authority delays")
        assert active_section(app) == "summary"
        assert (summary.highlighted, summary.scroll_y) == (cursor, scroll)
        assert "Paragraph 59, revised, about" in screen_text(app)


async def test_table_cursor_and_focused_pane_survive_a_reload(alpha: Path) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        await pilot.press("3", "j")
        await pilot.pause()
        table = brief_screen(app).query_one("#actors-table", RecordTable)
        assert table.cursor == 1
        edit(alpha, "role: Runs the port", "role: Runs the whole port")
        await wait_for(pilot, lambda: "Runs the whole port" in screen_text(app))
        assert active_section(app) == "actors"
        assert table.cursor == 1


async def test_a_broken_file_keeps_the_old_version_and_shows_its_errors_until_fixed(
    alpha: Path,
) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        await pilot.press("2")
        good = alpha.read_text(encoding="utf-8")
        alpha.write_text(good.replace("title: Harbour", "title: [Harbour", 1), encoding="utf-8")
        banner = brief_screen(app).reload_banner  # mounted when first needed
        took = await wait_for(pilot, lambda: banner.display and bool(banner.lines))
        assert took < VISIBLE_WITHIN
        await pilot.pause()
        text = screen_text(app)
        # The old brief stays, with the new file's problems as path:line:col.
        assert ALPHA_TITLE in text
        problem = load_entry(alpha).problems[0]
        # The file is named once, by its name; each problem is line:column and the message.
        assert f"✗ {alpha.name} changed on disk" in text
        assert str(alpha.parent) not in text
        assert banner.lines[1] == f"{problem.line}:{problem.column}  {problem.message}"
        assert f"{problem.line}:{problem.column}  {problem.message[:20]}" in text
        assert "last good version" in text
        assert app.current is not None and app.current.ok
        assert active_section(app) == "figures"
        # The library knows the file is invalid now.
        assert not next(e for e in app.entries if e.path == alpha).ok
        # Fixing the file recovers: banner gone, the new content shown.
        alpha.write_text(good.replace(ALPHA_TITLE, "Harbour authority, fixed"), encoding="utf-8")
        took = await wait_for(pilot, lambda: "Harbour authority, fixed" in header(app))
        assert took < VISIBLE_WITHIN
        await pilot.pause()
        assert not banner.display and banner.lines == ()
        assert "last good version" not in screen_text(app)
        assert active_section(app) == "figures"


async def test_an_invalid_file_on_screen_shows_its_new_problems_then_the_brief(
    alpha: Path,
) -> None:
    good = alpha.read_text(encoding="utf-8")
    alpha.write_text("format: 1\ntitle: [broken\n", encoding="utf-8")
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        assert app.current is not None and not app.current.ok
        alpha.write_text(good, encoding="utf-8")
        await wait_for(pilot, lambda: ALPHA_TITLE in header(app))
        assert app.current is not None and app.current.ok
        assert not brief_screen(app).query_one(ReloadBanner).display


async def test_added_and_removed_files_join_and_leave_the_library(alpha: Path) -> None:
    folder = alpha.parent
    shutil.copy(BETA, folder / "beta.yaml")
    app = TermbriefApp([folder], show_library=True)
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        await wait_for(pilot, lambda: brief_screen(app).library is not None)
        library = brief_screen(app).library
        assert library is not None
        library.focus()
        await pilot.press("j")  # the cursor on beta, not opened
        await pilot.pause()
        assert library.highlighted_entry is not None
        assert library.highlighted_entry.id == "beta"
        assert app.current is not None and app.current.id == "alpha"
        newest = alpha.read_text(encoding="utf-8").replace("id: alpha", "id: gamma")
        newest = newest.replace(ALPHA_TITLE, "Gamma brief").replace("2024-05-02", "2025-01-01")
        (folder / "gamma.yaml").write_text(newest, encoding="utf-8")
        took = await wait_for(pilot, lambda: any(e.id == "gamma" for e in app.entries))
        assert took < VISIBLE_WITHIN
        await pilot.pause()
        assert [e.id for e in library.visible_entries] == ["gamma", "alpha", "beta"]
        assert library.highlighted_entry.id == "beta"  # the selection stayed
        assert "Gamma brief" in screen_text(app)
        (folder / "beta.yaml").unlink()
        await wait_for(pilot, lambda: all(e.id != "beta" for e in app.entries))
        await pilot.pause()
        assert [e.id for e in library.visible_entries] == ["gamma", "alpha"]
        assert app.current is not None and app.current.id == "alpha"


async def test_the_brief_on_screen_deleted_then_restored(alpha: Path) -> None:
    good = alpha.read_text(encoding="utf-8")
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        banner = brief_screen(app).reload_banner  # mounted when first needed
        alpha.unlink()
        await wait_for(pilot, lambda: bool(banner.lines))
        assert "deleted or moved" in banner.lines[0]
        assert ALPHA_TITLE in screen_text(app)
        alpha.write_text(good.replace(ALPHA_TITLE, "Back again"), encoding="utf-8")
        await wait_for(pilot, lambda: "Back again" in header(app))
        assert not banner.lines


async def test_a_search_follows_the_reloaded_brief(alpha: Path) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        await pilot.press("slash", *"quist", "enter")
        await pilot.pause()
        bar = brief_screen(app).query_one(SearchBar)
        before = int(bar.count_text.split("/")[1])
        edit(alpha, "Quist said the pilot", "Quist and Quist said the pilot")
        await wait_for(pilot, lambda: bar.count_text.endswith(f"/{before + 1}"))
        assert brief_screen(app).find.active


async def test_a_folder_is_watched_until_the_app_exits(alpha: Path) -> None:
    app = TermbriefApp([alpha.parent])
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        assert app.live_reload.watching and not app.live_reload.polling
    assert not app.live_reload.watching
    assert not app.live_reload.running


async def test_a_file_is_polled_without_the_watcher_until_the_app_exits(alpha: Path) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        # No threads, no OS watches, no watchfiles for one file.
        assert app.live_reload.polling and not app.live_reload.watching
    assert not app.live_reload.polling and not app.live_reload.running


async def test_a_polled_file_that_goes_and_comes_back_is_shown_again(alpha: Path) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await watching(app, pilot)
        text = alpha.read_text(encoding="utf-8")
        alpha.unlink()
        banner = brief_screen(app).reload_banner  # mounted when first needed
        await wait_for(pilot, lambda: banner.display)
        alpha.write_text(text.replace(ALPHA_TITLE, "Back again"), encoding="utf-8")
        await wait_for(pilot, lambda: "Back again" in header(app))
        assert not banner.display


def test_apply_changes_replaces_adds_and_removes_keeping_given_paths(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(ALPHA, folder / "alpha.yaml")
    shutil.copy(BETA, folder / "beta.yaml")
    relative = Path(os.path.relpath(folder / "alpha.yaml"))
    entries = [load_entry(relative), load_entry(folder / "beta.yaml")]
    edit(folder / "alpha.yaml", ALPHA_TITLE, "Changed")
    shutil.copy(BETA, folder / "gamma.yaml")
    fresh: list[tuple[str, Path, Entry | None]] = [
        ("modified", (folder / "alpha.yaml").resolve(), load_entry(folder / "alpha.yaml")),
        ("added", folder / "gamma.yaml", load_entry(folder / "gamma.yaml")),
        ("deleted", folder / "beta.yaml", None),
    ]
    result = apply_changes(entries, fresh)
    assert [(e.path, e.title) for e in result] == [
        (relative, "Changed"),  # the path as the reader gave it
        (folder / "gamma.yaml", "Older brief about river dredging"),
    ]


# -- snapshots -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["wide", "narrow"])
def test_snapshot_reload_banner(
    snap_compare: SnapCompare, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The banner as live reload shows it, with a fixed file's problems (a real reload would
    # put a temporary path on screen).
    monkeypatch.chdir(REPO)
    problems = load_entry(BROKEN.relative_to(REPO)).problems
    app = TermbriefApp([ALPHA.relative_to(REPO)])

    async def broken(pilot: Pilot[None]) -> None:
        await pilot.pause()
        brief_screen(app).reload_banner.show_problems("alpha.yaml", problems)
        await pilot.pause()

    assert snap_compare(app, run_before=broken, terminal_size=size)
