"""Shared helpers for the reader's Pilot and snapshot tests (ui-core)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App

DATA = Path(__file__).parent / "data"
UI = DATA / "ui"
"""Small fixture briefs: alpha (every section), beta (older), broken (invalid)."""
ALPHA = UI / "alpha.yaml"
BETA = UI / "beta.yaml"
BROKEN = UI / "broken.yaml"
HOSTILE = DATA / "hostile" / "hostile.yaml"
"""A brief whose every string is Textual/Rich markup that must stay literal."""
SAMPLES = Path(__file__).parents[1] / "briefs"
"""The bundled sample library."""

WIDE = (120, 40)
NARROW = (80, 24)


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
