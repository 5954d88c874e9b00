"""Pilot tests of annotating in the reader (issue 12): notes on the very item under the cursor,
markers on the lines its words are on now, following them when the brief changes.

Every test keeps the notes database in its own folder (``TERMBRIEF_DATA_DIR`` in tmp_path).
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from termbrief.core import locations
from termbrief.core.annotation import reanchor
from termbrief.core.loader import load_brief_text
from termbrief.store.notes import NotesStore
from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.figure_detail import FigureDetailScreen
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.widgets.item_list import ItemList
from ui_fixtures import (
    ALPHA,
    WIDE,
    alpha,
    brief_screen,
    data_dir,
    notes_and_reload_started,
    screen_text,
    wait_for,
)

THIRD = "Quist said the pilot would last one year."


__all__ = ["alpha", "data_dir"]  # fixtures

started = notes_and_reload_started


async def write_note(pilot: Pilot[None], text: str) -> None:
    """Press n, type ``text`` and save it."""
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteEditor)
    await pilot.press(*text)
    await pilot.press("ctrl+s")
    await pilot.pause()


def store_of(app: TermbriefApp) -> NotesStore:
    store = app.notes_session.store
    assert store is not None
    return store


def marked_lines(app: TermbriefApp, words: str) -> list[bool]:
    """For each screen line of the summary pane holding ``words``: whether its gutter has the
    note marker (the pane is the grid's top left; its gutter follows the border)."""
    found = []
    for line in screen_text(app).splitlines():
        left = line[:60]
        if words in left:
            found.append(left[2] == "•")
    return found


async def test_a_note_on_the_third_summary_paragraph_marks_only_its_lines(
    data_dir: Path,
) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        screen = brief_screen(app)
        await pilot.press("1", "j", "j")
        assert screen.focused_anchor() == "summary/3"
        await write_note(pilot, "One year only?")
        [note] = store_of(app).notes_for("alpha")
        assert note.anchor == "summary/3"
        assert note.quote == THIRD
        summary = screen.query_one("#summary-list", ItemList)
        assert summary.marked_anchors == {"summary/3"}
        await pilot.pause()
        assert marked_lines(app, "Quist said the pilot") == [True]
        assert marked_lines(app, "harbour authority") == [False]
        assert marked_lines(app, "Unions welcomed") == [False]


async def test_a_timeline_note_stays_on_its_event_after_an_earlier_event_is_inserted(
    data_dir: Path, alpha: Path
) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        screen = brief_screen(app)
        await pilot.press("5", "j", "j")
        assert screen.focused_anchor() == "timeline/3"
        await write_note(pilot, "Did it start?")
        timeline = screen.query_one("#timeline-list", ItemList)
        assert timeline.marked_anchors == {"timeline/3"}

        text = alpha.read_text(encoding="utf-8")
        earlier = "  - date: 2024-05-01\n    event: The union is consulted.\n"
        alpha.write_text(text.replace("  - date: 2024-05-02\n", earlier + "  - date: 2024-05-02\n"))
        await wait_for(pilot, lambda: "The union is consulted" in screen_text(app))
        await wait_for(pilot, lambda: timeline.marked_anchors == {"timeline/4"})
        [note] = store_of(app).notes_for("alpha")
        brief = load_brief_text(alpha.read_text(encoding="utf-8"), str(alpha))
        [placement] = reanchor(brief, [note])
        assert placement.status == "moved"
        # e finds the note where its event is now, not where it was written.
        timeline.highlighted = 3
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert "Did it start?" in screen_text(app)


async def test_the_figure_detail_shows_the_figures_notes_in_full(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        await write_note(pilot, "Forty is few [b]really[/i]")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FigureDetailScreen)
        text = screen_text(app)
        assert "Note" in text and "attached" in text
        assert "Forty is few [b]really[/i]" in text
        assert "“New inspectors to be hired: 40 inspectors (2024)”" in text
        await pilot.press("escape", "3")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Forty is few" not in screen_text(app), "an actor shows its own notes only"


async def test_i_shows_notes_inline_under_their_item_and_is_remembered(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        await pilot.press("1", "j", "j")
        await write_note(pilot, "Inline [b]me[/i]")
        assert "Inline [b]me[/i]" not in screen_text(app)
        await pilot.press("i")
        await wait_for(pilot, lambda: "Inline [b]me[/i]" in screen_text(app))
        lines = screen_text(app).splitlines()
        quist = next(n for n, line in enumerate(lines) if "Quist said the pilot" in line)
        note = next(n for n, line in enumerate(lines) if "Inline [b]me[/i]" in line)
        assert quist < note < quist + 4, "the note shows right under its paragraph"
        assert app.settings.inline_notes
        await wait_for(pilot, lambda: '"inline_notes": true' in locations.state_file().read_text())

    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        await wait_for(pilot, lambda: "Inline [b]me[/i]" in screen_text(app))
        await pilot.press("i")
        await wait_for(pilot, lambda: "Inline [b]me[/i]" not in screen_text(app))
