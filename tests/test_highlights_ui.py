"""Pilot tests of highlighting from the keyboard (issue 12): select words from a find match or
the cursor, grow them by word and sentence, highlight or annotate them, see them coloured in the
text, and follow them when the brief changes (moved, changed since noted, orphaned).

Every test keeps the notes database in its own folder (``TERMBRIEF_DATA_DIR`` in tmp_path).
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.color import Color
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from termbrief.core.annotation import reanchor
from termbrief.core.loader import load_brief_text
from termbrief.store.notes import NotesStore
from termbrief.ui.app import TermbriefApp
from termbrief.ui.panes.pane import ListPane
from termbrief.ui.render.spans import span_styles
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.screens.notes_panel import NotesPanel
from ui_fixtures import (
    ALPHA,
    NARROW,
    WIDE,
    alpha,
    brief_screen,
    data_dir,
    notes_and_reload_started,
    wait_for,
)

THIRD = "Quist said the pilot would last one year."


__all__ = ["alpha", "data_dir"]  # fixtures

started = notes_and_reload_started


def store_of(app: TermbriefApp) -> NotesStore:
    store = app.notes_session.store
    assert store is not None
    return store


def coloured(pane: ListPane, kind: str) -> list[str]:
    """The runs of characters the pane draws on screen in the look of ``kind`` (``selection``,
    ``highlight``, ``note``): what the reader sees coloured."""
    background = span_styles(pane.app.get_css_variables())[kind].bgcolor  # type: ignore[index]
    assert isinstance(background, Color)
    runs: list[str] = []
    current = ""
    for y in range(pane.size.height):
        for segment in pane.render_line(y):
            style = segment.style
            if style is not None and style.bgcolor == background:
                current += segment.text
            elif current:
                runs.append(current)
                current = ""
        if current:
            runs.append(current)
            current = ""
    return runs


async def find_and_select(pilot: Pilot[None], query: str) -> None:
    """``/query`` Enter, then ``m``: the match under the cursor becomes the selection."""
    await pilot.press("slash", *query, "enter")
    await pilot.pause()
    await pilot.press("m")
    await pilot.pause()


def preview_text(app: TermbriefApp) -> str:
    console = Console(width=110, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen.query_one("#notes-preview", Static).content)
    return console.export_text()


async def test_a_highlight_from_a_find_match_follows_its_words_through_edits(
    data_dir: Path, alpha: Path
) -> None:
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        screen = brief_screen(app)
        summary = screen.query_one("#summary-list", ListPane)
        await find_and_select(pilot, "pilot")
        assert screen.focused_anchor() == "summary/3"
        selection = screen.selection.selection
        assert selection is not None and selection.words == "pilot"
        assert coloured(summary, "selection") == ["pilot"]
        await pilot.press("w", "w")
        assert screen.selection.selection is not None
        assert screen.selection.selection.words == "pilot would last"
        await pilot.press("h")
        await pilot.pause()
        assert not screen.selection.active
        [note] = store_of(app).notes_for("alpha")
        assert (note.anchor, note.quote, note.text) == ("summary/3", "pilot would last", "")
        await wait_for(pilot, lambda: coloured(summary, "highlight") == ["pilot would last"])
        assert coloured(summary, "selection") == []

        # (a) A paragraph inserted before: the highlight moves with its words.
        text = alpha.read_text(encoding="utf-8")
        alpha.write_text(text.replace("summary: |\n", "summary: |\n  A new opening.\n\n"))
        await wait_for(pilot, lambda: "summary/4" in summary.spans)
        brief = load_brief_text(alpha.read_text(encoding="utf-8"), str(alpha))
        [placement] = reanchor(brief, [note])
        assert placement.status == "moved"
        assert coloured(summary, "highlight") == ["pilot would last"]

        # (b) A word changed inside it: changed since noted, old and new words in the panel.
        text = alpha.read_text(encoding="utf-8")
        alpha.write_text(text.replace("pilot would last", "pilot would run"))
        await wait_for(pilot, lambda: coloured(summary, "highlight") == ["pilot would run"])
        await pilot.press("escape")  # the search goes: N is the notes panel again
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesPanel))
        await pilot.pause()
        shown = preview_text(app)
        assert "changed since noted" in shown
        assert "was: “pilot would last”" in shown
        assert "now: “pilot would run”" in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)

        # (c) The paragraph deleted: orphaned, listed in the panel, coloured nowhere.
        text = alpha.read_text(encoding="utf-8")
        alpha.write_text(text.replace("  Quist said the pilot would run one year.\n", ""))
        await wait_for(pilot, lambda: not summary.spans)
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesPanel))
        await pilot.pause()
        assert "orphaned" in preview_text(app)


async def test_selection_starts_at_the_cursor_grows_by_sentence_and_annotates(
    data_dir: Path,
) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        screen = brief_screen(app)
        summary = screen.query_one("#summary-list", ListPane)
        await pilot.press("1", "m")
        await pilot.pause()
        selection = screen.selection.selection
        assert selection is not None and selection.words == "The"
        await pilot.press("s")
        selection = screen.selection.selection
        assert selection is not None
        assert selection.words.endswith("unregistered cargo.")
        await pilot.press("S")
        assert screen.selection.selection is not None
        assert screen.selection.selection.words == "The"
        await pilot.press("w", "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Which one?", "ctrl+s")
        await pilot.pause()
        [note] = store_of(app).notes_for("alpha")
        assert (note.anchor, note.quote, note.start) == ("summary/1", "The harbour", 0)
        await wait_for(pilot, lambda: coloured(summary, "note") == ["The harbour"])

        # Enter on the item opens the note on its coloured words.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert "Which one?" in app.screen.text


async def test_escape_and_moving_the_cursor_drop_the_selection(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=NARROW) as pilot:
        await started(app, pilot)
        screen = brief_screen(app)
        await pilot.press("1", "j", "m")
        await pilot.pause()
        summary = screen.query_one("#summary-list", ListPane)
        assert coloured(summary, "selection") == ["Unions"]  # the narrow layout colours too
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.selection.active
        assert coloured(summary, "selection") == []
        await pilot.press("m", "j")
        await pilot.pause()
        await pilot.pause()
        assert not screen.selection.active
        # Without a selection the keys are free: n writes a note on the whole item.
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)


async def test_the_help_lists_the_selection_keys(data_dir: Path) -> None:
    from termbrief.ui.screens.help import collect_help

    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        ids = {row.binding_id for group in collect_help(brief_screen(app)) for row in group.rows}
        assert {
            "selection.start",
            "selection.word_more",
            "selection.word_less",
            "selection.sentence_more",
            "selection.sentence_less",
            "selection.highlight",
        } <= ids
        # Escape drops a selection only while there is one: until then it is search's or the
        # maximised pane's, and the help says what it does now.
        assert "selection.drop" not in ids
