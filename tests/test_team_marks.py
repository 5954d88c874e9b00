"""Colleagues' notes look their own in the reader: a marker of their own in the gutter, the author
on every note card (figure detail, notes panel preview, inline notes), "private" on private
notes; notes on this computer look as they always did. Reads of a team server for the markers
run in a worker.

The reader tests run against the real throwaway server of ``postgres_server.py`` (skipped loudly
without PostgreSQL), as two users: alice reads, bob writes straight to the server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import OptionList

from postgres_server import PostgresServer
from termbrief.core.anchors import Anchor
from termbrief.core.annotation import Note, Target, reanchor
from termbrief.core.loader import load_brief
from termbrief.store.postgres import PostgresNotesStore
from termbrief.store.records import AuthoredNote, Visibility
from termbrief.ui.app import TermbriefApp
from termbrief.ui.render.notes import ShownNote, inline_notes, note_card
from termbrief.ui.screens.figure_detail import FigureDetailScreen
from termbrief.ui.screens.notes_panel import NotesPanel
from termbrief.ui.services.notes import note_marks
from termbrief.ui.widgets.change_marks import (
    CHANGED,
    OWN_NOTE,
    THEIR_NOTE,
    THEIR_NOTE_STYLE,
    gutter_mark,
)
from termbrief.ui.widgets.item_list import Item, ItemList
from termbrief.ui.widgets.record_table import RecordTable
from ui_fixtures import ALPHA, WIDE, brief_screen, screen_text, wait_for

FIGURE = "figures/new-inspectors"
ACTOR = "actors/mara-quist"


@pytest.fixture
def bob(team_server: PostgresServer) -> Iterator[PostgresNotesStore]:
    """The colleague, writing straight to the server."""
    store = PostgresNotesStore.open(team_server.url("bob"))
    yield store
    store.close()


def target(anchor: str) -> Target:
    return Target.of(load_brief(ALPHA), Anchor.parse(anchor))


def gutter(table: RecordTable, label: str) -> tuple[str, str]:
    """The marker column of the line showing ``label`` (a card's first line) as drawn, and its
    colour ("" for none)."""
    for y in range(table.size.height):
        segments = list(table.render_line(y))
        if label in "".join(segment.text for segment in segments):
            first = segments[0]
            colour = first.style.color.name if first.style and first.style.color else ""
            return first.text[:1], colour
    raise AssertionError(f"no row shows {label!r}")


# -- against the real server --------------------------------------------------------------------


async def test_a_colleagues_note_shows_its_author_and_marker_and_own_notes_keep_theirs(
    team_server: PostgresServer, bob: PostgresNotesStore, tmp_path: Path
) -> None:
    bob.add("alpha", target(FIGURE), "Bob counts forty", visibility="team")
    bob.add("alpha", target(FIGURE), "Bob's secret", visibility="private")
    app = TermbriefApp([ALPHA], data_dir=tmp_path, notes_url=team_server.url("alice"))
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: app.notes_session.store is not None)
        store = app.notes_session.store
        assert store is not None
        store.add("alpha", target(ACTOR), "Alice's view", visibility="private")
        brief_screen(app).note_actions.refresh()
        figures = brief_screen(app).query_one("#figures-table", RecordTable)
        actors = brief_screen(app).query_one("#actors-table", RecordTable)
        await wait_for(pilot, lambda: ACTOR in actors.marked_anchors)
        assert actors.marked_anchors == {FIGURE, ACTOR}  # every table is told every item
        assert actors.their_anchors == figures.their_anchors == {FIGURE}

        # The gutter: the colleague's marker (and colour) on bob's row, the own dot on alice's.
        await pilot.press("2")
        await pilot.pause()
        assert gutter(figures, "40 inspectors") == (THEIR_NOTE, "cyan")
        await pilot.press("3")
        await pilot.pause()
        assert gutter(actors, "Mara Quist")[0] == OWN_NOTE

        # The figure detail names bob on his team note; his private note never shows.
        await pilot.press("2")
        assert figures.select_anchor(FIGURE)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FigureDetailScreen))
        text = screen_text(app)
        assert "Bob counts forty" in text and "Bob's secret" not in text
        assert "· bob" in text
        await pilot.press("escape")

        # The panel's preview: bob's note names him; alice's own says private, not her name.
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesPanel))
        panel = app.screen
        assert isinstance(panel, NotesPanel)
        preview = panel.query_one("#notes-preview-box")
        options = panel.query_one("#notes-options", OptionList)
        previews: dict[str, str] = {}
        for at in range(options.option_count):
            options.highlighted = at
            await pilot.pause()
            region = preview.region
            lines = screen_text(app).split("\n")[region.y : region.y + region.height]
            text = "\n".join(lines)
            previews["bob" if "Bob counts forty" in text else "alice"] = text
        assert "New inspectors to be hired  · bob  attached" in previews["bob"]
        assert "Alice's view" in previews["alice"]
        assert "Mara Quist  · private  attached" in previews["alice"]
        assert "alice" not in previews["alice"].replace("Alice's", "")  # own: no name


async def test_team_markers_are_read_in_a_worker_and_the_keyboard_never_waits(
    team_server: PostgresServer, bob: PostgresNotesStore, tmp_path: Path
) -> None:
    app = TermbriefApp([ALPHA], data_dir=tmp_path, notes_url=team_server.url("alice"))
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: app.notes_session.store is not None)
        await pilot.pause(0.3)
        store = app.notes_session.store
        assert store is not None
        reading = store.notes_for
        readers: list[str] = []

        def slow_read(brief_id: str) -> list[AuthoredNote]:
            readers.append(threading.current_thread().name)
            time.sleep(0.5)  # a slow server
            return reading(brief_id)

        store.notes_for = slow_read  # type: ignore[method-assign]
        bob.add("alpha", target(ACTOR), "Bob's line", visibility="team")
        started = time.monotonic()
        brief_screen(app).note_actions.refresh()
        assert time.monotonic() - started < 0.3
        actors = brief_screen(app).query_one("#actors-table", RecordTable)
        await wait_for(pilot, lambda: actors.their_anchors == {ACTOR}, timeout=3.0)
        assert readers and threading.main_thread().name not in readers


# -- without a server ---------------------------------------------------------------------------


def authored(anchor: str, author: str, visibility: Visibility = "team") -> AuthoredNote:
    now = datetime(2024, 5, 2, tzinfo=UTC)
    words = target(anchor)
    note = Note(f"{author}-{anchor}", "alpha", anchor, "text", words.exact, now, now)
    return AuthoredNote.of(note, author=author, visibility=visibility)


def test_note_marks_tell_colleagues_items_apart_only_for_a_team_reader() -> None:
    brief = load_brief(ALPHA)
    notes = [
        authored(FIGURE, "bob"),
        authored(ACTOR, "bob"),
        authored(ACTOR, "alice", "private"),
    ]
    team = note_marks(brief, notes, reader="alice")
    assert team.marked == {FIGURE, ACTOR}
    assert team.theirs == {FIGURE}  # the actor has one of alice's own too
    [(bobs, _placement)] = team.shown_on(FIGURE)
    assert isinstance(bobs, ShownNote) and (bobs.by, bobs.private) == ("bob", False)
    mine = [note for note, _ in team.shown_on(ACTOR) if note.text and "alice" in note.id]
    assert [(n.by, n.private) for n in mine if isinstance(n, ShownNote)] == [("", True)]

    local = note_marks(brief, notes)  # on this computer: every note the reader's own
    assert local.theirs == frozenset()
    assert all(
        note is placed.note
        for note, placed in zip(
            [n for n, _ in local.shown_on(ACTOR)], local.on_item(ACTOR), strict=True
        )
    )


def plain(renderable: object) -> str:
    console = Console(width=100, file=None, record=True, color_system=None)
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


def test_cards_name_a_colleague_and_say_private_and_plain_notes_look_as_before() -> None:
    note = authored(FIGURE, "bob")
    [placement] = reanchor(load_brief(ALPHA), [note])
    before = plain(note_card(note, placement, "Figure"))
    assert "bob" not in before  # a note that is not shown as someone's says nothing
    assert plain(note_card(ShownNote.of(note), placement, "Figure")) == before
    theirs = plain(note_card(ShownNote.of(note, by="b\x1b[31mob"), placement, "Figure"))
    assert theirs.startswith("Figure  · b") and "mob  attached" in theirs
    assert "\x1b" not in theirs  # the name is cleaned: no escape reaches the terminal
    private = plain(inline_notes([(ShownNote.of(note, private=True), placement)]))
    assert "✎ note  · private" in private


def test_the_gutter_mark_puts_news_first_then_colleagues_then_own() -> None:
    marked, theirs = frozenset({"a", "b"}), frozenset({"b"})
    assert gutter_mark("", "a", marked, theirs) == OWN_NOTE
    assert gutter_mark("", "b", marked, theirs) == THEIR_NOTE
    assert gutter_mark(CHANGED, "b", marked, theirs) == CHANGED
    assert gutter_mark("", "c", marked, theirs) == ""


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ItemList()

    def on_mount(self) -> None:
        self.query_one(ItemList).set_items([Item(n, Text(n)) for n in ("a", "b", "c")])


async def test_an_item_list_draws_the_colleague_marker_in_its_colour() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        items.set_marked(frozenset({"a", "b"}), frozenset({"b"}))
        await pilot.pause()
        own, theirs, none = (list(items.render_line(y)) for y in range(3))
        assert "".join(s.text for s in own)[:2] == "▌" + OWN_NOTE
        assert "".join(s.text for s in theirs)[:2] == " " + THEIR_NOTE
        mark = next(s for s in theirs if s.text == THEIR_NOTE)
        assert mark.style is not None and mark.style.color == THEIR_NOTE_STYLE.color
        assert "".join(s.text for s in none)[:2] == "  "
