"""Shared helpers for the reader's Pilot and snapshot tests (ui-core)."""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from termbrief.ui.panes.pane import Pane
from termbrief.ui.screens.brief import BriefScreen

REPO = Path(__file__).resolve().parents[1]
"""The repository root."""
DATA = Path(__file__).parent / "data"
UI = DATA / "ui"
"""Small fixture briefs: alpha (every section), beta (older), broken (invalid)."""
ALPHA = UI / "alpha.yaml"
BETA = UI / "beta.yaml"
BROKEN = UI / "broken.yaml"
HOSTILE = DATA / "hostile" / "hostile.yaml"
"""A brief whose every string is Textual/Rich markup that must stay literal."""
SAMPLES = REPO / "briefs"
"""The bundled sample library."""

WIDE = (120, 40)
NARROW = (80, 24)

SnapCompare = Callable[..., bool]
"""The type of pytest-textual-snapshot's ``snap_compare`` fixture."""


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every per-user folder in ``tmp_path`` (tests/conftest.py does this too; belt and braces)."""
    from conftest import isolate_user_dirs

    yield isolate_user_dirs(tmp_path, monkeypatch)


def screen_text(app: App[object]) -> str:
    """The text on the app's screen right now, as plain lines (no styles)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False)


def brief_screen(app: App[Any]) -> BriefScreen:
    """The app's brief screen (the bottom of the screen stack)."""
    screen = app.screen_stack[0]
    assert isinstance(screen, BriefScreen)
    return screen


def active_section(app: App[Any]) -> str | None:
    """The section of the pane holding the keyboard focus."""
    focused = app.focused
    for node in focused.ancestors_with_self if focused else ():
        if isinstance(node, Pane):
            return node.SECTION
    return None


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 5.0
) -> float:
    """Seconds until ``condition()`` held (fails after ``timeout``)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        await pilot.pause(0.02)
    return time.monotonic() - started


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A notes folder of the test's own (the app finds it through TERMBRIEF_DATA_DIR)."""
    folder = tmp_path / "notes-data"
    monkeypatch.setenv("TERMBRIEF_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def alpha(tmp_path: Path) -> Path:
    """A copy of the alpha brief that a test may edit (live reload follows it)."""
    copy = tmp_path / "briefs" / "alpha.yaml"
    copy.parent.mkdir()
    shutil.copy(ALPHA, copy)
    return copy


async def notes_and_reload_started(app: Any, pilot: Pilot[Any]) -> None:
    """Wait until the app's notes session and live reload run."""
    await wait_for(pilot, lambda: app.notes_session.started and app.live_reload.running)
    await pilot.pause()
