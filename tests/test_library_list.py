"""The library sidebar: order, invalid entries, literal titles, messages, filter, live reload."""

from __future__ import annotations

import datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input

from termbrief.core.library import Entry
from termbrief.core.loader import Problem
from termbrief.core.model import Actor, Brief
from termbrief.ui.widgets.library_list import (
    FILTER_HINT,
    FILTER_TYPING_HINT,
    LibraryList,
    entry_prompt,
)


def make_entry(
    name: str,
    title: str,
    *,
    date: datetime.date | None = None,
    tags: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    actors: tuple[str, ...] = (),
) -> Entry:
    brief = Brief(
        id=name,
        title=title,
        date=date,
        tags=tags,
        regions=regions,
        summary="s",
        actors=tuple(Actor(id=a.lower(), name=a, kind="person") for a in actors),
    )
    return Entry(Path(f"/lib/{name}.yaml"), brief, (), 0)


def invalid_entry(name: str) -> Entry:
    path = Path(f"/lib/{name}")
    return Entry(path, None, (Problem(str(path), 3, 7, "summary is missing"),), 0)


ENTRIES = [
    make_entry("police", "Police cooperation", date=datetime.date(2025, 6, 1), tags=("china",)),
    make_entry(
        "security",
        "Private security abroad",
        date=datetime.date(2025, 3, 1),
        tags=("africa", "security"),
        regions=("east-africa",),
        actors=("Wang Xiaohong",),
    ),
    make_entry("focac", "FOCAC plan", date=datetime.date(2024, 9, 9), regions=("pacific",)),
    invalid_entry("broken.yaml"),
]


class Host(App[None]):
    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries
        self.highlighted: list[Entry] = []
        self.chosen: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield LibraryList(self.entries, id="library")

    def on_mount(self) -> None:
        self.query_one(LibraryList).focus()

    def on_library_list_entry_highlighted(self, message: LibraryList.EntryHighlighted) -> None:
        self.highlighted.append(message.entry)

    def on_library_list_entry_chosen(self, message: LibraryList.EntryChosen) -> None:
        self.chosen.append(message.entry)


def screen_text(app: App[None]) -> str:
    """What the library shows, line by line, as plain text."""
    options = app.query_one("#library-options")
    return "\n".join(
        "".join(segment.text for segment in options.render_line(y)).rstrip()
        for y in range(options.size.height)
    )


def test_prompt_of_valid_and_invalid_entries() -> None:
    assert entry_prompt(ENTRIES[1]).plain == (
        "Private security abroad\n2025-03-01 · africa · security"
    )
    assert entry_prompt(ENTRIES[3]).plain == "✗ broken.yaml — invalid\n3:7: summary is missing"


def test_hostile_titles_and_file_names_stay_literal() -> None:
    hostile = make_entry("x", "[@click=app.quit]x[/] \x1b]0;pwned\x07")
    prompt = entry_prompt(hostile)
    assert prompt.plain.startswith("[@click=app.quit]x[/]")
    assert "\x1b" not in prompt.plain and "\x07" not in prompt.plain
    bad_name = entry_prompt(invalid_entry("a\x1b[31mb.yaml"))
    assert "\x1b" not in bad_name.plain


async def test_shows_entries_in_given_order_with_invalid_marked() -> None:
    app = Host(ENTRIES)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        positions = [text.index(t) for t in ("Police", "Private", "FOCAC", "✗ broken.yaml")]
        assert positions == sorted(positions)
        assert "3:7: summary is missing" in text
        assert app.query_one(LibraryList).border_title == "Library 4"


async def test_markup_title_renders_literally_and_click_does_not_quit() -> None:
    app = Host([make_entry("x", "[@click=app.quit]x[/]"), make_entry("y", "y[/]")])
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text and "y[/]" in text
        await pilot.click("#library-options", offset=(3, 0))
        await pilot.pause()
        assert app.is_running
        assert [e.title for e in app.chosen] == ["[@click=app.quit]x[/]"]


async def test_keys_post_highlight_and_choose() -> None:
    app = Host(ENTRIES)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("j")
        assert app.highlighted[-1] is ENTRIES[1]
        await pilot.press("G")
        assert app.highlighted[-1] is ENTRIES[3]
        await pilot.press("k")
        assert app.highlighted[-1] is ENTRIES[2]
        await pilot.press("g", "down", "enter")
        await pilot.pause()
        assert app.chosen == [ENTRIES[1]]
        # An invalid entry can be chosen too: the screen shows its problems.
        await pilot.press("G", "enter")
        await pilot.pause()
        assert app.chosen[-1] is ENTRIES[3]


async def test_filter_box_filters_and_escape_clears() -> None:
    app = Host(ENTRIES)
    async with app.run_test(size=(60, 20)) as pilot:
        library = app.query_one(LibraryList)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"tag:africa")
        await pilot.pause()
        assert library.visible_entries == (ENTRIES[1],)
        assert library.border_title == "Library 1/4"
        await pilot.press("enter")
        assert app.focused is app.query_one("#library-options")
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == [ENTRIES[1]]
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert library.filter_text == ""
        assert len(library.visible_entries) == 4
        assert app.focused is app.query_one("#library-options")


async def test_filter_syntax_region_actor_text_and_has_notes() -> None:
    app = Host(ENTRIES)
    async with app.run_test(size=(60, 20)) as pilot:
        library = app.query_one(LibraryList)
        library.set_filter("region:pacific")
        assert library.visible_entries == (ENTRIES[2],)
        library.set_filter("actor:wang")
        assert library.visible_entries == (ENTRIES[1],)
        library.set_filter("police")
        assert library.visible_entries == (ENTRIES[0],)
        library.set_filter("has:notes")
        assert library.visible_entries == ()
        await pilot.pause()
        assert "No brief matches the filter" in screen_text(app)
        library.set_briefs_with_notes({"focac"})
        assert library.visible_entries == (ENTRIES[2],)
        # The input box shows the query set from code.
        assert app.query_one("#library-filter", Input).value == "has:notes"


async def test_set_entries_keeps_the_selection_by_path_silently() -> None:
    app = Host(ENTRIES)
    async with app.run_test(size=(60, 20)) as pilot:
        library = app.query_one(LibraryList)
        await pilot.press("j", "j")
        assert library.highlighted_entry is ENTRIES[2]
        before = len(app.highlighted)
        added = make_entry("new", "Newest brief", date=datetime.date(2026, 1, 1))
        edited = make_entry("focac", "FOCAC plan (edited)", date=datetime.date(2024, 9, 9))
        library.set_entries([added, ENTRIES[0], ENTRIES[1], edited, ENTRIES[3]])
        await pilot.pause()
        assert library.highlighted_entry is edited
        assert len(app.highlighted) == before
        assert "FOCAC plan (edited)" in screen_text(app)
        # Removed: the cursor stays on the same row.
        library.set_entries([added, ENTRIES[0], ENTRIES[1], ENTRIES[3]])
        assert library.highlighted_entry is ENTRIES[3]
        library.set_entries(ENTRIES, keep_selection=False)
        assert library.highlighted_entry is ENTRIES[0]


async def test_select_path_and_entry_after_follow_the_filter() -> None:
    app = Host(ENTRIES)
    async with app.run_test(size=(60, 20)) as pilot:
        library = app.query_one(LibraryList)
        assert library.select_path(ENTRIES[2].path)
        await pilot.pause()
        assert library.highlighted_entry is ENTRIES[2]
        assert app.highlighted == []  # silent
        assert not library.select_path(Path("/elsewhere.yaml"))
        assert library.entry_after(ENTRIES[0], 1) is ENTRIES[1]
        assert library.entry_after(ENTRIES[0], -1) is None
        assert library.entry_after(None, -1) is ENTRIES[3]
        library.set_filter("tag:china")
        assert library.entry_after(ENTRIES[0], 1) is None


async def test_large_library_is_virtualised() -> None:
    entries = [make_entry(f"b{n}", f"Brief {n}") for n in range(2000)]
    app = Host(entries)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("G")
        await pilot.pause()
        assert app.highlighted[-1] is entries[-1]
        assert "Brief 1999" in screen_text(app)


# -- the filter box's hints (issue 11) ------------------------------------------------------------


def box_text(app: App[None]) -> str:
    """The filter box and the line under it, as plain text."""
    library = app.query_one(LibraryList)
    lines = []
    for widget in (app.query_one("#library-filter"), app.query_one("#library-filter-hint")):
        if widget.display and widget.size.height:
            lines += [
                "".join(segment.text for segment in widget.render_line(y)).rstrip()
                for y in range(widget.size.height)
            ]
    assert library.is_mounted
    return "\n".join(lines)


async def test_placeholder_is_a_hint_not_a_filter() -> None:
    app = Host(ENTRIES)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        filter_box = app.query_one("#library-filter", Input)
        # Not a query that looks active ("tag:africa"): what the key does, then what to type.
        assert filter_box.placeholder == FILTER_HINT
        assert "press / to filter" in box_text(app)
        assert "tag:africa" not in box_text(app)
        await pilot.press("slash")
        await pilot.pause()
        assert filter_box.placeholder == FILTER_TYPING_HINT
        assert "tag: region: actor: has:notes" in box_text(app)
        placeholder = filter_box.get_component_styles("input--placeholder")
        assert placeholder.text_style.italic


async def test_unknown_filter_is_named_under_the_box_until_it_is_fixed() -> None:
    app = Host(ENTRIES)
    async with app.run_test(size=(80, 20)) as pilot:
        library = app.query_one(LibraryList)
        await pilot.press("slash", *"foo:bar")
        await pilot.pause()
        message = "unknown filter `foo:`; use tag:, region:, actor:, has:notes, note-by:, is:"
        assert library.filter_hint == message
        assert message in box_text(app)
        for _ in "foo:bar":
            await pilot.press("backspace")
        await pilot.press(*"tag:africa")
        await pilot.pause()
        assert library.filter_hint == ""
        assert "unknown" not in box_text(app)
        assert not app.query_one("#library-filter-hint").display


async def test_free_text_finds_an_actor_and_an_empty_result_suggests_library_search() -> None:
    app = Host(ENTRIES)
    async with app.run_test(size=(60, 20)) as pilot:
        library = app.query_one(LibraryList)
        library.set_filter("xiaohong")  # only an actor of the "security" brief is called that
        assert library.visible_entries == (ENTRIES[1],)
        library.set_filter("nowhere to be found")
        await pilot.pause()
        text = screen_text(app)
        assert "No brief matches the filter" in text
        assert "ctrl+f: search inside every brief" in text
