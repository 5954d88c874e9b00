"""Without colour (``NO_COLOR``, a 16-colour terminal), every pane and dialog draws, and focus, the
cursor row, search highlights and note markers stay visible by more than a colour change.

Textual reads ``NO_COLOR`` when the app is built and then passes every line through a monochrome
filter that needs a complete style on each segment; ``TEXTUAL_COLOR_SYSTEM`` is read when Textual is
imported, so the tests set ``textual.constants.COLOR_SYSTEM`` instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from rich.style import Style
from textual import constants
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.record_table import RecordTable
from ui_fixtures import ALPHA, BROKEN, WIDE, brief_screen, wait_for

TOUR = (
    "1", "j", "2", "j", "s", "3", "j", "4", "j", "5", "j", "6", "j", "tab", "shift+tab",
    "z", "z", "2", "enter", "escape", "3", "enter", "escape", "slash", *"inspect", "enter",
    "n", "escape", "escape", "question_mark", "escape", "b", "b", "ctrl+p", "escape",
    "ctrl+f", *"harbour", "escape", "N", "escape",
)  # fmt: skip
"""Every pane, a row and an item in each, sorting, a detail of each table, find (and n to the
next match), help, the library, the palette, the library search and the notes panel."""


@pytest.fixture(params=["no_color", "standard"])
def colourless(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """A terminal without colour (``NO_COLOR=1``) or with 16 colours only."""
    if request.param == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")
    return str(request.param)


@pytest.fixture(autouse=True)
def notes_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "notes"
    monkeypatch.setenv("TERMBRIEF_DATA_DIR", str(folder))
    return folder


def line_widgets(app: TermbriefApp) -> list[Widget]:
    """The custom Line API widgets on the current screen."""
    return [
        widget
        for widget in app.screen.query("ItemList, RecordTable")
        if isinstance(widget, ItemList | RecordTable) and widget.display
    ]


def drawn(app: TermbriefApp, widget: Widget, y: int) -> list[Segment]:
    """Content line ``y`` of ``widget`` as the terminal gets it (drawn as Textual draws it,
    then through the app's line filters), without the pane's border."""
    gutter, width = widget.styles.gutter, widget.outer_size.width
    [strip] = widget.render_lines(Region(0, gutter.top + y, width, 1))
    segments = list(strip.crop(gutter.left, width - gutter.right))
    for line_filter in app.get_line_filters():
        segments = line_filter.apply(segments, Color(0, 0, 0))
    return segments


def assert_complete_styles(app: TermbriefApp) -> None:
    # A segment without a style is what Textual's monochrome filter cannot take.
    for widget in line_widgets(app):
        for y in range(widget.size.height):
            strip = widget.render_line(y)
            assert isinstance(strip, Strip)
            assert all(isinstance(s.style, Style) for s in strip), (widget.id, y, list(strip))


async def tour(app: TermbriefApp, pilot: Pilot[None]) -> None:
    for key in TOUR:
        await pilot.press(key)
        await pilot.pause()
        assert_complete_styles(app)


async def test_every_pane_and_dialog_draws_without_colour(colourless: str) -> None:
    app = TermbriefApp([ALPHA.parent])
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: len(app.entries) >= 3)
        assert app.no_color == (colourless == "no_color")
        await tour(app, pilot)
        await pilot.press("2", "n")  # the note editor, then back
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")
        await pilot.pause()
        # The invalid brief's problems pane too.
        brief_screen(app).show_entry(next(e for e in app.entries if e.path == BROKEN))
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert app.return_code is None and app.is_running


async def test_every_line_carries_a_complete_style_in_colour_too() -> None:
    app = TermbriefApp([ALPHA.parent])
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: len(app.entries) >= 3)
        await tour(app, pilot)


def looks(segments: list[Segment]) -> set[str]:
    """The colour-free attributes shown on the visible text of a line."""
    found = set()
    for segment in segments:
        style = segment.style
        if style is None or not segment.text.strip():
            continue
        found |= {name for name in ("reverse", "underline", "bold") if getattr(style, name)}
    return found


async def test_the_table_cursor_shows_without_colour(colourless: str) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#figures-table", RecordTable)
        assert table.has_focus and table.cursor == 0
        # Line 0 is the header; a figure's card takes several lines.
        cursor, other = drawn(app, table, 1), drawn(app, table, 1 + table.row_span(1)[0])
        assert all(s.style is not None and s.style.reverse for s in cursor)
        assert not looks(other) & {"reverse", "underline"}
        # Without focus, the cursor row stays marked, differently (underlined).
        await pilot.press("1")
        await pilot.pause()
        assert not table.has_focus
        blurred = drawn(app, table, 1)
        assert "underline" in looks(blurred) and "reverse" not in looks(blurred)


async def test_a_match_in_the_reversed_cursor_row_stays_visible(colourless: str) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("2", "slash", *"inspect", "enter")
        await pilot.pause()
        table = app.screen.query_one("#figures-table", RecordTable)
        table.focus()
        await pilot.pause()
        first, end = table.row_span(table.cursor)  # the card's lines; the label is under it
        lines = [drawn(app, table, 1 + line - int(table.scroll_y)) for line in range(first, end)]
        row = next((r for r in lines if any(s.text.lower() == "inspect" for s in r)), lines[0])
        match = [s for s in row if s.text.lower().startswith("inspect")]
        assert match, [s.text for s in row]
        assert all(s.style is not None for s in row)
        assert row[0].style is not None and row[0].style.reverse
        assert not match[0].style.reverse and match[0].style.underline  # type: ignore[union-attr]


async def test_the_current_item_and_the_focus_show_in_the_gutter(colourless: str) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        timeline = app.screen.query_one("#timeline-list", ItemList)
        assert timeline.has_focus and timeline.highlighted == 0
        focused_bar = drawn(app, timeline, 0)[0]
        app.screen.set_focus(None)
        await pilot.pause()
        assert not timeline.has_focus
        blurred_bar = drawn(app, timeline, 0)[0]
        # A thicker bar while focused: a shape, not a shade.
        assert focused_bar.text[0] == "█" and blurred_bar.text[0] == "▌"
        assert focused_bar.style is not None and focused_bar.style.bold


async def test_with_colour_the_looks_are_unchanged() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#figures-table", RecordTable)
        assert not {"reverse", "underline"} & looks(drawn(app, table, 1))
        await pilot.press("5")
        await pilot.pause()
        timeline = app.screen.query_one("#timeline-list", ItemList)
        assert drawn(app, timeline, 0)[0].text[0] == "▌"
