"""Pilot tests of the search widgets: SearchBar and LibrarySearchScreen, in tiny host apps."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, OptionList, Static

from termbrief.core.library import Entry
from termbrief.core.library_index import Hit, LibraryIndex
from termbrief.core.loader import load_brief_text
from termbrief.core.search import highlight_spans
from termbrief.ui.screens.library_search import LibrarySearchScreen, describe_field, hit_prompt
from termbrief.ui.widgets.search_bar import SearchBar

PANE_TEXT = "Police train police. POLICE everywhere."

POLICING = """
id: policing
title: China's global policing push
tags: [policing]
regions: [Africa, Pacific]
summary: China plans to train 3,000 foreign police officers in Lianyungang.
figures:
  - id: officers
    label: Foreign officers to train
    value: 3000
"""
TRADE = """
id: trade
title: Pacific fisheries trade deal
tags: [trade]
regions: [Pacific]
summary: A tuna agreement between island states.
"""
HOSTILE = """
id: hostile
title: "[@click=app.quit]x[/] quits? x[/] [b]bold[/i]"
summary: "Colour [red]here[/] and [link=http://evil]link[/link] and x[/]."
"""


def make_entry(text: str) -> Entry:
    brief = load_brief_text(text)
    return Entry(Path(f"/library/{brief.id}.yaml"), brief)


def make_index() -> LibraryIndex:
    notes = {"trade": [("summary", "Ask about observer coverage \x1b[31m[/]")]}
    return LibraryIndex([make_entry(POLICING), make_entry(TRADE), make_entry(HOSTILE)], notes)


# --------------------------------------------------------------------------- SearchBar


class Pane(Static, can_focus=True):
    """Stands in for a brief pane."""


class BarApp(App[None]):
    """A pane of text and a search bar; computes matches like the brief screen would."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "find", "Find", id="test.find"),
        Binding("n", "next", "Next", id="test.next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, object]] = []
        self.total = 0
        self.current: int | None = None

    def compose(self) -> ComposeResult:
        yield Pane(Content(PANE_TEXT), id="pane")
        yield SearchBar(id="search")

    @property
    def bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def action_find(self) -> None:
        self.bar.open()

    def action_next(self) -> None:
        self.step(True)

    def step(self, forward: bool) -> None:
        if self.total:
            current = self.current or 0
            self.current = current % self.total + 1 if forward else (current - 2) % self.total + 1
        self.bar.set_count(self.current, self.total)

    def on_search_bar_query_changed(self, message: SearchBar.QueryChanged) -> None:
        self.events.append(("changed", message.query))
        self.total = len(highlight_spans(PANE_TEXT, message.query))
        self.current = None
        self.bar.set_count(None, self.total)

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        self.events.append(("submitted", message.query))
        self.step(True)
        self.query_one("#pane").focus()

    def on_search_bar_step(self, message: SearchBar.Step) -> None:
        self.events.append(("step", message.forward))
        self.step(message.forward)

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        self.events.append(("closed", None))


def last(app: BarApp) -> tuple[str, object]:
    return app.events[-1]


async def test_search_bar_opens_counts_steps_and_closes() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 10)) as pilot:
        bar = app.bar
        assert not bar.display or not bar.is_open
        assert bar.region.height == 0
        await pilot.press("slash")
        assert bar.is_open and bar.region.height == 1
        assert app.focused is bar.input
        await pilot.press(*"police")
        await pilot.pause()
        assert last(app) == ("changed", "police")
        assert bar.count_text == "3 matches"
        await pilot.press("down")
        assert last(app) == ("step", True)
        assert bar.count_text == "1/3"
        await pilot.press("down", "down", "down")
        assert bar.count_text == "1/3"
        await pilot.press("up")
        assert last(app) == ("step", False)
        assert bar.count_text == "3/3"
        await pilot.press("enter")
        assert last(app) == ("submitted", "police")
        assert bar.is_open  # stays visible (with the count) while reading
        assert app.focused is app.query_one("#pane")
        await pilot.press("n")
        assert bar.count_text == "2/3"
        await pilot.press("slash")  # reopening selects the query for retyping
        await pilot.press(*"Police")
        await pilot.pause()
        assert bar.value == "Police"
        assert bar.count_text == "1 match"  # smart case
        await pilot.press("escape")
        await pilot.pause()
        assert last(app) == ("closed", None)
        assert not bar.is_open and bar.value == "" and bar.count_text == ""


async def test_search_bar_counter_says_no_matches() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.press("slash", *"zebra")
        await pilot.pause()
        assert app.bar.count_text == "no matches"
        assert app.query_one("#search-count").has_class("-none")
        await pilot.press("down")  # nothing to step to: still a request, the UI decides
        assert app.bar.count_text == "no matches"


async def test_search_bar_open_with_a_query_and_hostile_text() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 10)) as pilot:
        app.bar.open("[@click=app.quit]x[/]\x1b")
        await pilot.pause()
        assert app.bar.value == "[@click=app.quit]x[/]"
        assert last(app) == ("changed", "[@click=app.quit]x[/]")
        await pilot.click("#search-input")
        await pilot.pause()
        assert app.is_running


def test_search_bar_bindings_have_ids() -> None:
    ids = {b.id for b in SearchBar.BINDINGS if isinstance(b, Binding)}
    assert ids == {"search.close", "search.next_match", "search.previous_match"}


# --------------------------------------------------------------------------- library search


class HostApp(App[None]):
    """Pushes the library search screen and records what it dismissed with."""

    def __init__(self, index: LibraryIndex, query: str = "") -> None:
        super().__init__()
        self.index = index
        self.initial = query
        self.results: list[Hit | None] = []

    def compose(self) -> ComposeResult:
        yield Static("library")

    def on_mount(self) -> None:
        self.push_screen(LibrarySearchScreen(self.index, self.initial), self.results.append)


def options(screen: LibrarySearchScreen) -> OptionList:
    return screen.query_one("#library-search-results", OptionList)


async def test_typing_searches_and_enter_opens_the_best_hit() -> None:
    app = HostApp(make_index())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibrarySearchScreen)
        assert isinstance(app.focused, Input)
        await pilot.press(*"lianyungang")
        await pilot.pause(0.2)
        assert options(screen).option_count == len(screen.hits) >= 1
        assert screen.hits[0].entry.id == "policing"
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.results) == 1
        hit = app.results[0]
        assert hit is not None and hit.entry.id == "policing" and hit.anchor == "summary"
        assert not isinstance(app.screen, LibrarySearchScreen)


async def test_arrows_choose_another_hit_and_escape_cancels() -> None:
    app = HostApp(make_index(), "pacific")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibrarySearchScreen)
        await pilot.pause()
        assert len(screen.hits) >= 2
        assert options(screen).highlighted == 0
        await pilot.press("down")
        assert options(screen).highlighted == 1
        await pilot.press("up", "up")
        assert options(screen).highlighted == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.results == [screen.hits[1]]

    app = HostApp(make_index(), "pacific")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_filters_notes_and_no_matches() -> None:
    app = HostApp(make_index())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibrarySearchScreen)
        await pilot.press(*"tag:trade pacific")
        await pilot.pause(0.2)
        assert {h.entry.id for h in screen.hits} == {"trade"}
        screen.query_one(Input).value = "observer coverage"
        await pilot.pause(0.2)
        assert screen.hits[0].field == "note"
        assert describe_field(screen.hits[0]) == "your note"
        screen.query_one(Input).value = "qqqzzz"
        await pilot.pause(0.2)
        assert screen.hits == [] and options(screen).option_count == 0
        await pilot.press("enter")  # nothing to open: stays
        await pilot.pause()
        assert app.results == [] and isinstance(app.screen, LibrarySearchScreen)


async def test_hostile_text_renders_literally_and_clicks_only_select() -> None:
    app = HostApp(make_index(), "colour")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibrarySearchScreen)
        await pilot.pause()
        assert screen.hits and screen.hits[0].entry.id == "hostile"
        prompt = options(screen).get_option_at_index(0).prompt
        assert isinstance(prompt, Content)
        assert "[@click=app.quit]x[/] quits? x[/] [b]bold[/i]" in prompt.plain
        assert "[link=http://evil]link[/link]" in prompt.plain
        screen.query_one(Input).value = "observer"
        await pilot.pause(0.2)
        note_prompt = options(screen).get_option_at_index(0).prompt
        assert isinstance(note_prompt, Content)
        assert "\x1b" not in note_prompt.plain and "[/]" in note_prompt.plain
        screen.query_one(Input).value = "quits"
        await pilot.pause(0.2)
        # Clicking the title line (which would be a live action if parsed) just picks the hit.
        await pilot.click("#library-search-results", offset=(3, 0))
        await pilot.pause()
        assert app.is_running
        assert app.results and app.results[0] is not None
        assert app.results[0].entry.id == "hostile"


def test_hit_prompt_highlights_the_matched_words() -> None:
    hits = make_index().search("tuna")
    prompt = hit_prompt(hits[0])
    first, second = prompt.plain.split("\n")
    assert first.startswith("Pacific fisheries trade deal") and first.endswith("summary")
    start, end = hits[0].spans[0]
    assert second[start:end] == "tuna"
    styled = [span for span in prompt.spans if "reverse" in str(span.style)]
    assert styled, "the match must be highlighted"


def test_describe_field() -> None:
    hits = {(h.anchor, h.field): h for h in make_index().search("officers train")}
    assert describe_field(hits[("figures/officers", "label")]) == "figure label"
    assert describe_field(hits[("summary", "summary")]) == "summary"
