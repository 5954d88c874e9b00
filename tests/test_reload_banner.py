"""Live reload's banner: a broken file's problems you can read, and all of them on ``p`` (issue 11).

A brief on screen is broken on disk with seven problems; at 80×24 the banner names the file (not
its path) and the count, lists the problems that fit, each whole with its continuation lines
indented under its message, and sums up the rest in "… and N more — press p", which opens them
all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from notices import record_notifications
from termbrief.core.library import load_entry
from termbrief.core.loader import Problem
from termbrief.ui.app import TermbriefApp
from termbrief.ui.panes.reload_banner import ReloadBanner, banner_height, hanging
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.problems import ProblemsScreen
from ui_fixtures import ALPHA, NARROW, WIDE, brief_screen, screen_text, user_dirs, wait_for

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")

SEVEN_MISTAKES = [
    ("value: 40\n", "value: [40]\n"),
    ("value: 12.5", "value: {a: 1}"),
    ("period: one year", "period: one year\n    colour: red"),
    ("kind: person", "kind: wizard"),
    ("kind: organisation", "kind: sorcerer"),
    ("kind: group", "kind: gang"),
    ("stance: sceptical", "stance: sceptical\n    mood: grim"),
]
"""Edits of the alpha brief that give it seven problems, some with long messages."""


def break_seven_times(path: Path) -> tuple[Problem, ...]:
    """Give the brief at ``path`` seven problems; returns them as ``check`` finds them."""
    text = path.read_text(encoding="utf-8")
    for old, new in SEVEN_MISTAKES:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    problems = load_entry(path).problems
    assert len(problems) == 7
    return problems


@pytest.fixture
def alpha(tmp_path: Path) -> Path:
    folder = tmp_path / "a-long-folder-name-that-must-not-show"
    folder.mkdir()
    copy = folder / "alpha.yaml"
    shutil.copy(ALPHA, copy)
    return copy


def banner_lines(banner: ReloadBanner) -> list[str]:
    """What the banner shows, line by line."""
    return [
        "".join(segment.text for segment in banner.render_line(y)).rstrip()
        for y in range(banner.size.height)
    ]


async def broken_on_screen(
    app: TermbriefApp, pilot: Pilot[None], alpha: Path
) -> tuple[ReloadBanner, tuple[Problem, ...]]:
    await pilot.pause()
    await wait_for(pilot, lambda: app.live_reload.running)
    problems = break_seven_times(alpha)
    banner = brief_screen(app).reload_banner
    await wait_for(pilot, lambda: bool(banner.problems) and banner.size.height > 0)
    await pilot.pause()
    return banner, problems


async def test_seven_problems_at_80x24_name_the_file_and_show_what_fits_whole(
    alpha: Path,
) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=NARROW) as pilot:
        banner, problems = await broken_on_screen(app, pilot, alpha)
        lines = banner_lines(banner)
        assert (
            lines[0] == "✗ alpha.yaml changed on disk: 7 problems (showing the last good version)"
        )
        assert str(alpha.parent) not in screen_text(app)
        assert len(lines) <= banner_height(24)
        shown = banner.shown_count
        assert 2 <= shown < 7
        assert lines[-1] == f"… and {7 - shown} more — press p to see them all"
        # Each problem shown is whole: line:column, then its message over as many lines as it
        # needs, every continuation indented under the message's first word.
        width = max(len(f"{p.line}:{p.column}") for p in problems) + 2
        body = lines[1:-1]
        starts = [n for n, line in enumerate(body) if not line.startswith(" ")]
        assert len(starts) == shown
        for number, (start, problem) in enumerate(zip(starts, problems, strict=False)):
            end = starts[number + 1] if number + 1 < len(starts) else len(body)
            first, *rest = body[start:end]
            assert first.startswith(f"{problem.line}:{problem.column}".ljust(width))
            assert all(line.startswith(" " * width) and line[width] != " " for line in rest)
            words = " ".join(line[width:] for line in (first, *rest))
            assert " ".join(words.split()) == problem.message
        # The old version stays, and the panes keep most of the screen.
        assert "Harbour authority expands night inspections" in screen_text(app)


async def test_p_opens_every_problem_and_escape_comes_back(alpha: Path) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=NARROW) as pilot:
        _banner, problems = await broken_on_screen(app, pilot, alpha)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        flat = " ".join(screen_text(app).replace("│", " ").split())
        assert "alpha.yaml: 7 problems" in flat
        # The dialog's own columns only: a wrapped message must not meet the panes behind it.
        box = app.screen.query_one("#problems-list").region
        rows = screen_text(app).splitlines()[box.y : box.bottom]
        flat = " ".join(" ".join(row[box.x : box.right] for row in rows).split())
        for problem in problems:
            assert f"{problem.line}:{problem.column}" in flat
            assert problem.message.split(";")[0] in flat
        assert str(alpha.parent) not in flat
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)


async def test_a_taller_terminal_lists_more_problems(alpha: Path) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        banner, _problems = await broken_on_screen(app, pilot, alpha)
        wide = banner.shown_count
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        await pilot.pause()
        assert banner.shown_count < wide
        assert banner_lines(banner)[-1].startswith(f"… and {7 - banner.shown_count} more")


async def test_p_without_problems_says_so() -> None:
    app = TermbriefApp([ALPHA])
    said = record_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert said == ["The file on screen has no problems."]


async def test_the_more_line_always_has_its_room() -> None:
    # Eight one-line problems: seven would fill the lines under the header, but then the
    # "more" line would push the banner past its height.
    problems = [Problem("/x/alpha.yaml", n, 1, f"problem {n}") for n in range(1, 9)]
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        banner = brief_screen(app).reload_banner
        banner.show_problems("alpha.yaml", problems)
        await pilot.pause()
        lines = banner_lines(banner)
        assert len(lines) == banner_height(24) == 8
        assert banner.shown_count == 6
        assert lines[-1] == "… and 2 more — press p to see them all"


def test_hanging_indent_wraps_under_the_message() -> None:
    lines = [line.plain for line in hanging("3:7  ", "one two three four five six", 16)]
    assert lines == ["3:7  one two", "     three four", "     five six"]
