"""The reading keys in each place of the reader (Pilot): the summary pane with the library shown,
the figure and actor details, the help, the notes panel and the "attach to…" picker."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from termbrief.core.anchors import Anchor
from termbrief.core.loader import load_brief
from termbrief.core.model import Brief
from termbrief.store.notes import NotesStore
from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.actor_detail import ActorDetailScreen
from termbrief.ui.screens.anchor_picker import AnchorPicker, matching_parts
from termbrief.ui.screens.detail import DetailBody
from termbrief.ui.screens.figure_detail import FigureDetailScreen
from termbrief.ui.screens.help import HelpScreen
from termbrief.ui.screens.notes_panel import NotesPanel
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.paged_option_list import PagedOptionList
from termbrief.ui.widgets.paged_scroll import PagedScroll
from ui_fixtures import DATA, NARROW, WIDE, brief_screen, screen_text

LONG = DATA / "paging" / "long-paragraph.yaml"
"""One paragraph of sixty sentences (markers m001..m060), long figure context and description."""


@pytest.fixture(scope="module")
def brief() -> Brief:
    return load_brief(LONG)


def markers(text: str) -> set[int]:
    """The paragraph's sentence markers on screen."""
    return {int(word[1:4]) for word in text.split() if len(word) == 4 and word[0] == "m"} - {0}


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_page_down_reads_the_long_summary_to_its_end_and_back(size: tuple[int, int]) -> None:
    app = TermbriefApp([LONG], show_library=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("1")
        summary = app.screen.query_one("#summary-list", ItemList)
        assert brief_screen(app).library_shown
        page = summary.scrollable_content_region.height
        seen = markers(screen_text(app))
        assert 1 in seen and 60 not in seen
        tops = [summary.scroll_y]
        while 60 not in markers(screen_text(app)):
            await pilot.press("pagedown")
            tops.append(summary.scroll_y)
            seen |= markers(screen_text(app))
            assert len(tops) < 20, "PageDown is stuck"
        # A page a press (the last one the rest of the way), and no sentence skipped.
        steps = [after - before for before, after in pairwise(tops)]
        assert all(step == page for step in steps[:-1]) and 0 < steps[-1] <= page
        assert seen == set(range(1, 61))
        assert summary.highlighted == 0  # still in the paragraph
        while summary.scroll_y > 0:
            await pilot.press("pageup")
            assert len(tops) < 40, "PageUp is stuck"
            tops.append(summary.scroll_y)
        assert 1 in markers(screen_text(app)) and summary.highlighted == 0


async def test_every_page_key_in_the_summary_pane() -> None:
    app = TermbriefApp([LONG], show_library=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        summary = app.screen.query_one("#summary-list", ItemList)
        page = summary.scrollable_content_region.height
        half = page // 2
        expected = [
            ("space", page),
            ("pagedown", 2 * page),
            ("minus", page),
            ("ctrl+d", page + half),
            ("ctrl+u", page),
            ("pageup", 0),
        ]
        for key, scroll in expected:
            await pilot.press(key)
            assert summary.scroll_y == scroll, key
        await pilot.press("end")
        assert summary.scroll_y == summary.max_scroll_y
        assert summary.highlighted == len(summary.items) - 1
        await pilot.press("home")
        assert (summary.scroll_y, summary.highlighted) == (0, 0)


async def test_the_place_in_a_long_paragraph_stays_when_its_tab_comes_back() -> None:
    app = TermbriefApp([LONG])
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("1", "pagedown", "pagedown")
        summary = app.screen.query_one("#summary-list", ItemList)
        place = summary.scroll_y
        assert place > 0
        await pilot.press("2")
        await pilot.pause()
        assert not summary.display
        await pilot.press("1")
        await pilot.pause()
        assert (summary.scroll_y, summary.highlighted) == (place, 0)


async def check_scroll_keys(pilot: Pilot[Any], body: Widget) -> None:
    """Every key of a scrolling text moves ``body`` as it should (``body`` has focus)."""
    page = body.scrollable_content_region.height
    last = body.max_scroll_y
    assert last > page, "the text should be longer than two pages"
    half = page // 2
    expected = [
        ("pagedown", page),
        ("space", min(2 * page, last)),
        ("pageup", min(2 * page, last) - page),
        ("minus", max(0, min(2 * page, last) - 2 * page)),
        ("ctrl+d", half),
        ("ctrl+d", 2 * half),
        ("ctrl+u", half),
        ("G", last),
        ("g", 0),
        ("end", last),
        ("home", 0),
    ]
    for key, scroll in expected:
        await pilot.press(key)
        assert body.scroll_y == scroll, key
    await pilot.press("j")
    await pilot.pause(0.3)  # j and k scroll by a line, smoothly
    assert body.scroll_y == 1


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_the_figure_detail_pages(size: tuple[int, int]) -> None:
    app = TermbriefApp([LONG])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FigureDetailScreen)
        body = app.screen.query_one(DetailBody)
        assert app.focused is body
        await check_scroll_keys(pilot, body)


class Host(App[None]):
    """A bare app that opens one dialog and records what it dismissed with."""

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


async def test_the_actor_detail_pages(brief: Brief) -> None:
    actor = next(actor for actor in brief.actors if actor.description)
    app = Host(lambda: ActorDetailScreen(brief, actor))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        body = app.screen.query_one(DetailBody)
        assert app.focused is body  # no mentions: the description has the keys
        await check_scroll_keys(pilot, body)


async def test_the_help_pages() -> None:
    app = TermbriefApp([LONG])
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body")
        assert app.focused is body
        await check_scroll_keys(pilot, body)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


# --------------------------------------------------------------------------- notes dialogs


@pytest.fixture
def store(tmp_path: Path, brief: Brief) -> NotesStore:
    store = NotesStore.open(tmp_path / "data")
    for number in range(30):
        store.add(brief.id, "summary", f"Note {number:02d}", Anchor("summary").quote(brief))
    return store


async def test_the_notes_panel_moves_with_j_k_g_and_pages(brief: Brief, store: NotesStore) -> None:
    app = Host(lambda: NotesPanel(brief, store))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert isinstance(options, PagedOptionList)
        page = options.scrollable_content_region.height
        await pilot.press("j", "j", "j")
        assert options.highlighted == 3
        await pilot.press("k")
        assert options.highlighted == 2
        await pilot.press("G")
        assert options.highlighted == 29
        await pilot.press("g")
        assert (options.highlighted, options.scroll_y) == (0, 0)
        # Each note takes two lines: the view moves a page, the cursor to its top note.
        for key, scroll in (("pagedown", page), ("space", 2 * page), ("minus", page)):
            await pilot.press(key)
            assert options.scroll_y == scroll, key
            assert options.highlighted == scroll // 2, key
        await pilot.press("ctrl+d")
        assert options.scroll_y == page + page // 2
        await pilot.press("ctrl+u", "pageup")
        assert options.scroll_y == 0
        await pilot.press("end")
        assert options.highlighted == 29
        await pilot.press("home")
        assert options.highlighted == 0
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.results == ["summary"]


async def test_the_picker_moves_with_j_k_and_pages(brief: Brief) -> None:
    app = Host(lambda: AnchorPicker(brief, "actors/ada-hoffmann"))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert app.focused is options
        assert options.highlighted_option is not None
        assert options.highlighted_option.id == "actors/ada-hoffmann"
        await pilot.press("j", "j")
        assert options.highlighted_option.id == "actors/paging-board"
        await pilot.press("k")
        assert options.highlighted_option.id == "actors/bo-lindqvist"
        await pilot.press("G")
        assert options.highlighted == options.option_count - 1
        await pilot.press("g", "pagedown")
        assert options.scroll_y == min(
            options.max_scroll_y, options.scrollable_content_region.height
        )
        # The option at the top of the view is current (the next one when that is a heading).
        top = options._lines[round(options.scroll_y)][0]
        expected = top if not options.get_option_at_index(top).disabled else top + 1
        assert options.highlighted == expected
        await pilot.press("pageup")
        assert options.scroll_y == 0
        await pilot.press("home", "j", "enter")
        await pilot.pause()
        assert app.results == ["summary/1"]  # the first paragraph, below the whole summary


async def test_the_picker_filters_as_you_type(brief: Brief) -> None:
    app = Host(lambda: AnchorPicker(brief))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        box = app.screen.query_one(Input)
        await pilot.press("slash")
        assert app.focused is box
        await pilot.press("j")  # in the box, j types
        assert box.value == "j" and options.option_count == 1  # "Nothing matches"
        assert options.highlighted is None
        await pilot.press("backspace", *"lindq")
        ids = [option.id for option in options.options]
        assert ids == ["actors", "actors/bo-lindqvist"]  # the section, for context
        assert options.highlighted == 1
        await pilot.press("escape")  # clears the filter, back to the list
        assert (box.value, app.focused) == ("", options)
        assert options.option_count == len(matching_parts(app.screen._parts, ""))
        await pilot.press("slash", *"Paging board", "down")  # any case; Down: to the list
        assert app.focused is options
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["actors/paging-board"]


async def test_enter_in_the_filter_box_attaches_and_escape_in_the_list_cancels(
    brief: Brief,
) -> None:
    app = Host(lambda: AnchorPicker(brief))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"timeline started", "enter")
        await pilot.pause()
        assert app.results == ["timeline/1"]
    app = Host(lambda: AnchorPicker(brief))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


def test_matching_parts_keeps_sections_for_context(brief: Brief) -> None:
    from termbrief.core.anchors import labelled_anchors

    parts = labelled_anchors(brief)
    found = [(str(anchor), hit) for anchor, _label, hit in matching_parts(parts, "ACTOR b")]
    # Every word, any case: "Actor: Bo…" and "Actor: Paging Board"; "Actors" has no "b".
    assert found == [
        ("actors", False),
        ("actors/bo-lindqvist", True),
        ("actors/paging-board", True),
    ]
    assert [str(a) for a, _l, hit in matching_parts(parts, "actors") if hit] == ["actors"]
    assert matching_parts(parts, "zzz") == []


def test_new_bindings_have_ids_and_descriptions() -> None:
    from termbrief.ui.screens.anchor_picker import _FilterBox

    for cls in (AnchorPicker, _FilterBox, PagedOptionList, PagedScroll, DetailBody, ItemList):
        for binding in cls.BINDINGS:
            assert not isinstance(binding, tuple)
            assert binding.id and binding.description, (cls, binding)
