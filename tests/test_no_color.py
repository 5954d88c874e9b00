"""Without colour (``NO_COLOR``, a 16-colour terminal), every pane and dialog draws, and focus, the
cursor row, search highlights and note markers stay visible by more than a colour change.

Textual reads ``NO_COLOR`` when the app is built and then passes every line through a monochrome
filter that needs a complete style on each segment; ``TEXTUAL_COLOR_SYSTEM`` is read when Textual is
imported, so the tests set ``textual.constants.COLOR_SYSTEM`` instead.
"""

from __future__ import annotations

import pytest
from textual import constants
from textual.pilot import Pilot

from termbrief.ui.app import TermbriefApp
from ui_fixtures import ALPHA, BETA, BROKEN, WIDE, wait_for

TOUR = (
    "1", "j", "2", "j", "s", "3", "j", "4", "j", "5", "j", "6", "j", "tab", "shift+tab",
    "z", "z", "2", "enter", "escape", "3", "enter", "escape", "slash", "a", "enter", "escape",
    "question_mark", "escape", "b", "b",
)  # fmt: skip
"""Every pane, a row and an item in each, sorting, a detail of each table, find, help, library."""


@pytest.fixture(params=["no_color", "standard"])
def colourless(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """A terminal without colour (``NO_COLOR=1``) or with 16 colours only."""
    if request.param == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")
    return str(request.param)


async def tour(pilot: Pilot[None]) -> None:
    for key in TOUR:
        await pilot.press(key)
        await pilot.pause()


async def test_every_pane_and_dialog_draws_without_colour(colourless: str) -> None:
    app = TermbriefApp([ALPHA.parent])
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: len(app.entries) >= 3)
        assert app.no_color == (colourless == "no_color")
        await tour(pilot)
        # The invalid brief's problems pane too.
        app.brief_screen.show_entry(next(e for e in app.entries if e.path == BROKEN))
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert app.return_code is None and app.is_running
