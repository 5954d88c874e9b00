"""Snapshot tests of the reader's screens (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/test_snapshots.py --snapshot-update`` and
look at the SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from termbrief.ui.app import TermbriefApp
from ui_fixtures import ALPHA, DATA, NARROW, REPO, SAMPLES, UI, WIDE, SnapCompare, user_dirs

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")

SAMPLE = (SAMPLES / "china-police-cooperation.yaml").relative_to(REPO)


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths on screen (problems, headers) are relative to the repository, as a user types them:
    the snapshots then do not depend on where the repository is checked out."""
    monkeypatch.chdir(REPO)


def rel(path: Path) -> Path:
    return path.relative_to(REPO)


def test_wide_grid(snap_compare: SnapCompare) -> None:
    assert snap_compare(TermbriefApp([SAMPLE]), terminal_size=WIDE)


def test_narrow_tabs(snap_compare: SnapCompare) -> None:
    assert snap_compare(TermbriefApp([SAMPLE]), terminal_size=NARROW)


def test_narrow_figures_tab(snap_compare: SnapCompare) -> None:
    assert snap_compare(TermbriefApp([SAMPLE]), press=["2"], terminal_size=NARROW)


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["wide", "narrow"])
def test_figure_cards_beside_the_library(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    # Every value and label whole in the figures pane, with the sidebar taking its share.
    async def show(pilot: Any) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        if not screen.library_shown:
            screen.show_library(True, focus=False)
        await pilot.press("2")
        await pilot.pause()

    app = TermbriefApp([rel(SAMPLES)])
    assert snap_compare(app, run_before=show, terminal_size=size)


def test_report_figures_with_long_labels(snap_compare: SnapCompare) -> None:
    report = rel(DATA / "reports" / "red-sea-shipping.yaml")
    assert snap_compare(TermbriefApp([report]), press=["2", "j"], terminal_size=NARROW)


def test_actor_names_wrap_beside_the_library(snap_compare: SnapCompare) -> None:
    assert snap_compare(TermbriefApp([rel(SAMPLES)]), press=["3"], terminal_size=WIDE)


def test_library_with_invalid_file(snap_compare: SnapCompare) -> None:
    # The fixture library: two briefs and broken.yaml; ] twice shows the broken one.
    async def choose_broken(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("1", "right_square_bracket", "right_square_bracket")
        await pilot.pause()

    assert snap_compare(TermbriefApp([rel(UI)]), run_before=choose_broken, terminal_size=WIDE)


def test_figure_detail(snap_compare: SnapCompare) -> None:
    assert snap_compare(TermbriefApp([rel(ALPHA)]), press=["2", "enter"], terminal_size=WIDE)


def test_actor_detail_with_mentions(snap_compare: SnapCompare) -> None:
    assert snap_compare(TermbriefApp([rel(ALPHA)]), press=["3", "enter"], terminal_size=WIDE)


def test_maximised_pane(snap_compare: SnapCompare) -> None:
    assert snap_compare(TermbriefApp([rel(ALPHA)]), press=["4", "z"], terminal_size=WIDE)


def test_help_screen(snap_compare: SnapCompare) -> None:
    assert snap_compare(TermbriefApp([rel(ALPHA)]), press=["question_mark"], terminal_size=WIDE)


def test_command_palette(snap_compare: SnapCompare) -> None:
    async def open_palette(pilot: Any) -> None:
        from textual.command import CommandList, CommandPalette
        from textual.widgets import Input

        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = pilot.app.screen
        assert isinstance(palette, CommandPalette)
        # A blinking cursor makes the picture depend on timing.
        palette.query_one(Input).cursor_blink = False
        await pilot.press(*"quist")
        # Wait until the search has finished and its single hit is listed, then settle.
        for _ in range(100):
            await pilot.pause(0.05)
            commands = palette.query_one(CommandList)
            if commands.option_count == 1 and not palette._show_busy:
                break
        await pilot.pause(0.3)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(TermbriefApp([rel(UI)]), run_before=open_palette, terminal_size=WIDE)


def test_hostile_brief(snap_compare: SnapCompare) -> None:
    from ui_fixtures import HOSTILE

    assert snap_compare(TermbriefApp([rel(HOSTILE)]), terminal_size=WIDE)


@pytest.mark.parametrize("pane", ["4", "5", "6"], ids=["commentary", "timeline", "sources"])
def test_format_additions_as_the_panes_show_them(snap_compare: SnapCompare, pane: str) -> None:
    # Issue 13's keys: a quotation and an assessment (4); spans, actors and confidence on events
    # (5); source ids and reliability (6).
    additions = rel(DATA / "format" / "additions.yaml")
    assert snap_compare(TermbriefApp([additions]), press=[pane], terminal_size=WIDE)
