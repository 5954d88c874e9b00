"""Pilot tests for search in the app: find in the brief (/, n, N, Escape), the library search
(ctrl+f and the palette), and the library's has:notes filter fed from the notes store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widget import Widget

from termbrief.core.library import Entry, load_entry
from termbrief.core.library_index import LibraryIndex
from termbrief.core.model import Brief
from termbrief.core.search import find_in_brief
from termbrief.ui.app import TermbriefApp
from termbrief.ui.commands import ItemCommands, LibrarySearchCommands
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.library_search import LibrarySearchScreen
from termbrief.ui.widgets.record_table import RecordTable
from termbrief.ui.widgets.search_bar import SearchBar
from ui_fixtures import (
    ALPHA,
    BETA,
    BROKEN,
    NARROW,
    REPO,
    WIDE,
    SnapCompare,
    active_section,
    brief_screen,
    screen_text,
    user_dirs,
    wait_for,
)

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")


def alpha() -> Brief:
    brief = load_entry(ALPHA).brief
    assert brief is not None
    return brief


def highlighted(widget: Widget) -> list[str]:
    """Text drawn in the search highlight style (reverse) in ``widget``'s visible lines."""
    found = []
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            if segment.style is not None and segment.style.reverse and segment.text.strip():
                found.append(segment.text)
    return found


def highlighted_text(widget: Widget) -> str:
    """The highlighted words on ``widget``'s visible lines, adjacent pieces joined, blanks
    folded: what a reader sees marked, as one phrase."""
    runs: list[str] = []
    for y in range(widget.size.height):
        run = ""
        for segment in widget.render_line(y):
            if segment.style is not None and segment.style.reverse:
                run += segment.text
            elif run:
                runs.append(run)
                run = ""
        runs.append(run)
    return " ".join(" ".join(runs).split())


async def search(pilot: Pilot[None], query: str, *, enter: bool = True) -> None:
    await pilot.press("slash", *query)
    if enter:
        await pilot.press("enter")
    await pilot.pause()


# -- find in the brief ---------------------------------------------------------------------------


async def test_slash_counts_and_highlights_matches_in_every_pane() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        bar = screen.query_one(SearchBar)
        assert not bar.is_open and not screen.find.active
        await search(pilot, "quist", enter=False)
        total = len(find_in_brief(alpha(), "quist"))
        assert total >= 6
        assert bar.is_open and app.focused is bar.input
        assert bar.count_text == f"{total} matches"
        assert screen.find.active
        await pilot.pause()
        # Marked where the reader sees them: prose, tables and lists alike.
        for widget_id in ("summary-list", "actors-table", "commentary-list"):
            marks = highlighted(screen.query_one(f"#{widget_id}", Widget))
            assert marks and all(m.lower() == "quist" for m in marks), (widget_id, marks)


async def test_smart_case_only_matches_capitals_when_the_query_has_one() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        bar = brief_screen(app).query_one(SearchBar)
        await search(pilot, "night", enter=False)
        anycase = len(find_in_brief(alpha(), "night"))
        assert bar.count_text == f"{anycase} matches"
        await pilot.press(*["backspace"] * 5, *"Night")
        await pilot.pause()
        capital = len(find_in_brief(alpha(), "Night"))
        assert 0 < capital < anycase
        assert bar.count_text == f"{capital} matches"
        marks = highlighted(brief_screen(app).query_one("#summary-list", Widget))
        assert marks and set(marks) == {"Night"}


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_enter_then_n_and_shift_n_step_across_panes_and_wrap(size: tuple[int, int]) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        bar = screen.query_one(SearchBar)
        matches = find_in_brief(alpha(), "quist")
        total = len(matches)
        await search(pilot, "quist")
        assert bar.count_text == f"1/{total}"
        seen = []
        for step in range(total + 1):
            index = step % total
            match = matches[index]
            assert bar.count_text == f"{index + 1}/{total}"
            # The pane holding the match has the keyboard, is on screen, its cursor on the item.
            assert active_section(app) == match.segment.pane
            pane = screen.pane(match.segment.pane)
            assert pane.display and pane.region.height > 0
            if match.segment.pane not in ("summary", "sources"):
                assert screen.focused_anchor() == match.segment.anchor
            seen.append(match.segment.pane)
            await pilot.press("n")
            await pilot.pause()
        assert {"summary", "figures", "actors", "commentary", "timeline"} <= set(seen)
        # Wrapped around to 2/total; N goes back, and wraps backwards from the first.
        assert bar.count_text == f"2/{total}"
        await pilot.press("N", "N")
        await pilot.pause()
        assert bar.count_text == f"{total}/{total}"
        assert active_section(app) == matches[-1].segment.pane


async def test_enter_goes_to_the_first_match_at_or_after_the_cursor() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        matches = find_in_brief(alpha(), "quist")
        await pilot.press("4")  # the commentary pane: matches before it are skipped
        await pilot.pause()
        await search(pilot, "quist")
        first = next(n for n, m in enumerate(matches) if m.segment.pane == "commentary")
        assert screen.query_one(SearchBar).count_text == f"{first + 1}/{len(matches)}"
        assert active_section(app) == "commentary"
        assert screen.focused_anchor() == matches[first].segment.anchor


async def test_escape_clears_the_query_and_highlights_and_frees_n() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        bar = screen.query_one(SearchBar)
        await search(pilot, "quist")
        assert screen.find.active
        assert screen.active_bindings["n"].binding.id == "search.next"
        assert screen.active_bindings["N"].binding.id == "search.previous"
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.find.active and not bar.is_open
        assert bar.value == "" and bar.count_text == ""
        assert screen.highlighter is None
        assert highlighted(screen.query_one("#summary-list", Widget)) == []
        assert active_section(app) is not None  # the keyboard went back to a pane
        # n / N are the notes' keys again.
        assert screen.active_bindings["n"].binding.id == "note.add"
        assert screen.active_bindings["N"].binding.id == "notes.panel"
        # The bar remembers nothing: / opens it empty.
        await pilot.press("slash")
        await pilot.pause()
        assert bar.is_open and bar.value == ""


async def test_escape_in_the_bar_keeps_a_search_with_matches_for_n_until_escape_in_the_panes() -> (
    None
):
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        bar = screen.query_one(SearchBar)
        matches = find_in_brief(alpha(), "quist")
        await search(pilot, "quist", enter=False)
        assert app.focused is bar.input
        await pilot.press("escape")  # in the bar: it closes, the search stays set
        await pilot.pause()
        assert not bar.is_open and screen.find.active and screen.find.query == "quist"
        assert highlighted(screen.query_one("#summary-list", Widget))
        assert active_section(app) is not None
        assert screen.active_bindings["n"].binding.id == "search.next"
        assert screen.active_bindings["escape"].binding.id == "search.clear"
        await pilot.press("n")  # the next match, not a new note
        await pilot.pause()
        assert screen.find.position is not None
        assert active_section(app) == matches[screen.find.position].segment.pane
        assert not isinstance(app.screen, type(screen)) or app.screen is screen  # no editor
        first = screen.find.position
        await pilot.press("n", "N", "N")
        await pilot.pause()
        assert screen.find.position == (first - 1) % len(matches)
        await pilot.press("slash")  # the bar comes back with the search in it
        await pilot.pause()
        assert bar.is_open and bar.value == "quist"
        await pilot.press("escape", "escape")  # close the bar, then clear from the panes
        await pilot.pause()
        assert not screen.find.active and screen.highlighter is None
        assert screen.active_bindings["n"].binding.id == "note.add"
        assert screen.active_bindings["N"].binding.id == "notes.panel"


async def test_escape_in_the_bar_clears_an_emptied_or_fruitless_query() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        for keys in (["backspace"] * 5, [*"zz"]):  # emptied; then nothing to find
            await search(pilot, "quist", enter=False)
            await pilot.press(*keys, "escape")
            await pilot.pause()
            assert not screen.find.active and screen.find.query == ""
            assert screen.highlighter is None
            assert screen.active_bindings["n"].binding.id == "note.add"


def test_the_find_keys_say_their_rule() -> None:
    bindings = {b.id: b for b in BriefScreen.BINDINGS if isinstance(b, Binding)}
    for binding_id in ("search.next", "search.previous"):
        assert "even with the find bar closed" in bindings[binding_id].tooltip
    assert "n and N add a note" in bindings["search.clear"].tooltip
    close = next(b for b in SearchBar.BINDINGS if isinstance(b, Binding) and b.id == "search.close")
    assert "stays set for n / N" in close.tooltip


RED_SEA = REPO / "tests" / "data" / "reports" / "red-sea-shipping.yaml"
FIND_IN_EACH_PANE = [
    ("summary", "Houthi movement in Yemen have pushed"),  # bold, then a source line break
    ("summary", "Panama Canal, short of water"),  # inside and after bold text
    ("figures", "Share of world trade"),
    ("actors", "Chief of Trade Logistics"),  # a role (a cut-off cell would hide a match)
    ("commentary", "the assessment expects"),  # a link's text, its address hidden
    ("timeline", "reroute around the Cape"),
    ("sources", "unctad.org/publication"),  # the source's address, shown; not the link's
]


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["wide", "narrow"])
async def test_find_goes_to_and_highlights_shown_text_in_each_pane(size: tuple[int, int]) -> None:
    app = TermbriefApp([RED_SEA])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        bar = screen.query_one(SearchBar)
        for pane, query in FIND_IN_EACH_PANE:
            await search(pilot, query)
            await pilot.pause()
            assert bar.count_text == "1/1", (query, bar.count_text)
            assert active_section(app) == pane, query
            assert highlighted_text(screen.pane(pane)) == query, query


async def test_find_skips_a_link_address_the_panes_never_show() -> None:
    app = TermbriefApp([RED_SEA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        await search(pilot, "unctad.org", enter=False)
        assert screen.query_one(SearchBar).count_text == "1 match"
        assert [m.segment.field for m in screen.find.matches] == ["url"]
        assert highlighted(screen.query_one("#commentary-list", Widget)) == []


async def test_a_query_without_matches_leaves_n_to_the_notes() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        bar = screen.query_one(SearchBar)
        await search(pilot, "zzzqx")
        assert bar.count_text == "no matches"
        assert not screen.find.active
        assert app.focused is bar.input  # Enter with nothing to go to stays in the field
        screen.activate_pane("summary")
        await pilot.pause()
        assert bar.is_open
        assert screen.active_bindings["n"].binding.id == "note.add"
        assert screen.active_bindings["escape"].binding.id == "search.clear"


async def test_down_and_up_in_the_field_step_without_leaving_it() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        bar = brief_screen(app).query_one(SearchBar)
        total = len(find_in_brief(alpha(), "quist"))
        await search(pilot, "quist", enter=False)
        await pilot.press("down", "down")
        await pilot.pause()
        assert bar.count_text == f"2/{total}"
        assert app.focused is bar.input


async def test_search_follows_another_brief_and_highlights_it() -> None:
    app = TermbriefApp([ALPHA, BETA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        bar = screen.query_one(SearchBar)
        await search(pilot, "dredg")
        assert bar.count_text == "no matches"
        beta = next(e for e in app.entries if e.path == BETA)
        app.open_entry(beta)
        await pilot.pause()
        assert beta.brief is not None
        total = len(find_in_brief(beta.brief, "dredg"))
        assert total and bar.count_text == f"{total} matches"
        assert screen.find.active
        await pilot.pause()
        assert highlighted(screen.query_one("#summary-list", Widget))


async def test_slash_is_disabled_on_an_invalid_file() -> None:
    app = TermbriefApp([BROKEN])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert not brief_screen(app).query_one(SearchBar).is_open


# -- across the library --------------------------------------------------------------------------


def library_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    for path in (ALPHA, BETA, BROKEN):
        shutil.copy(path, folder / path.name)
    return folder


async def open_library_search(app: TermbriefApp, pilot: Pilot[None]) -> LibrarySearchScreen:
    await pilot.press("ctrl+f")
    await wait_for(pilot, lambda: isinstance(app.screen, LibrarySearchScreen))
    screen = app.screen
    assert isinstance(screen, LibrarySearchScreen)
    return screen


async def test_ctrl_f_searches_the_library_and_opens_the_brief_at_the_match(
    tmp_path: Path,
) -> None:
    app = TermbriefApp([library_folder(tmp_path)])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.current is not None and app.current.id == "alpha"
        search_screen = await open_library_search(app, pilot)
        await pilot.press(*"cubic metres")
        await wait_for(pilot, lambda: bool(search_screen.hits))
        hit = search_screen.hits[0]
        assert hit.entry.id == "beta" and hit.anchor.startswith("figures/")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert app.current is not None and app.current.id == "beta"
        assert active_section(app) == "figures"
        assert brief_screen(app).focused_anchor() == hit.anchor
        # Escape closes without opening anything.
        search_screen = await open_library_search(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen) and app.current.id == "beta"


async def test_library_search_finds_the_users_notes(tmp_path: Path) -> None:
    app = TermbriefApp([library_folder(tmp_path)])
    async with app.run_test(size=WIDE) as pilot:
        # No database yet: the store opens as a notes action opens it (see test_notes_lazy).
        app.notes_session.open_now(create=True).add(
            "beta", "summary", "Ask the zebrafish committee about this.", ""
        )
        search_screen = await open_library_search(app, pilot)
        await pilot.press(*"zebrafish")
        await wait_for(pilot, lambda: bool(search_screen.hits))
        hit = search_screen.hits[0]
        assert (hit.entry.id, hit.field, hit.anchor) == ("beta", "note", "summary")
        await pilot.press("enter")
        await pilot.pause()
        assert app.current is not None and app.current.id == "beta"


async def test_palette_offers_search_the_library(tmp_path: Path) -> None:
    app = TermbriefApp([library_folder(tmp_path)])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        provider = LibrarySearchCommands(app.screen)
        discovered = [hit async for hit in provider.discover()]
        assert [str(hit.text) for hit in discovered] == ["Search the library…"]
        found = [hit async for hit in provider.search("search lib")]
        assert found and str(found[0].text) == "Search the library…"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"search the library")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LibrarySearchScreen))


async def test_palette_items_are_found_through_the_library_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = LibraryIndex.search_names

    def spy(self: LibraryIndex, query: str, limit: int = 20) -> list[tuple[str, Entry, str, float]]:
        calls.append(query)
        return original(self, query, limit)

    monkeypatch.setattr(LibraryIndex, "search_names", spy)
    app = TermbriefApp([library_folder(tmp_path)])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        items = ItemCommands(app.screen)
        await items.startup()  # asks the app for an index
        await wait_for(pilot, lambda: app.finder.fresh)
        hits = [str(hit.text) async for hit in items.search("actor quist")]
        assert calls == ["quist"]
        assert hits[0] == "Actor: Mara Quist — in Harbour authority expands night inspections"
        assert all(text.startswith("Actor: ") for text in hits)
        figures = [str(hit.text) async for hit in items.search("cubic metres")]
        assert figures[0].startswith("Figure: Cubic metres to dredge")
        # The command opens the brief at the item.
        found = [hit async for hit in items.search("figure cubic")]
        await pilot.pause()
        command = found[0].command
        assert callable(command)
        command()
        await pilot.pause()
        assert app.current is not None and app.current.id == "beta"
        assert active_section(app) == "figures"


async def test_library_index_is_rebuilt_when_the_library_changes(tmp_path: Path) -> None:
    folder = library_folder(tmp_path)
    app = TermbriefApp([folder])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.finder.build()
        await wait_for(pilot, lambda: app.finder.fresh)
        await wait_for(pilot, lambda: app.live_reload.running)
        text = ALPHA.read_text(encoding="utf-8").replace("id: alpha", "id: gamma")
        text = text.replace("Harbour authority expands", "Lighthouse keepers expand")
        (folder / "gamma.yaml").write_text(text, encoding="utf-8")
        await wait_for(pilot, lambda: any(e.id == "gamma" for e in app.entries))
        await wait_for(pilot, lambda: app.finder.fresh)
        assert app.finder.index is not None
        assert app.finder.index.search("lighthouse")[0].entry.id == "gamma"


# -- has:notes -----------------------------------------------------------------------------------


async def test_has_notes_filter_follows_the_notes_store(tmp_path: Path) -> None:
    from termbrief.store.notes import NotesStore

    with NotesStore.open() as store:  # a note from an earlier session
        store.add("beta", "summary", "Earlier note.", "")
    app = TermbriefApp([library_folder(tmp_path)], show_library=True)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: app.notes_session.store is not None)
        await wait_for(pilot, lambda: brief_screen(app).library is not None)
        library = brief_screen(app).library
        assert library is not None
        library.action_filter()  # as "/" in the library does
        await pilot.press(*"has:notes")
        await wait_for(pilot, lambda: [e.id for e in library.visible_entries] == ["beta"])
        # A note written now counts as soon as the library takes the keyboard again.
        assert app.notes_session.store is not None
        app.notes_session.store.add("alpha", "summary", "New note.", "")
        await pilot.press("enter", "2")  # to the list, into the panes, back to the library
        await pilot.press("b", "b")
        await pilot.pause()
        assert {e.id for e in library.visible_entries} == {"alpha", "beta"}


# -- snapshots -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["wide", "narrow"])
def test_snapshot_search_in_the_brief(
    snap_compare: SnapCompare, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    app = TermbriefApp([ALPHA.relative_to(REPO)])
    assert snap_compare(app, press=["slash", *"quist", "enter", "n", "n"], terminal_size=size)


def test_snapshot_library_search(
    snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    app = TermbriefApp([ALPHA.parent.relative_to(REPO)], show_library=False)

    async def search(pilot: Pilot[None]) -> None:
        await open_library_search(app, pilot)
        await pilot.press(*"night inspections")
        await pilot.pause(0.2)

    assert snap_compare(app, run_before=search, terminal_size=WIDE)


async def test_a_match_in_a_column_the_table_does_not_show_says_where_it_is() -> None:
    # "permanent" is only in the first figure's context, which the figures table has no column
    # for: the row is selected and the bar tells the reader where the word is.
    matches = find_in_brief(alpha(), "permanent")
    assert matches and {(m.segment.pane, m.segment.field) for m in matches} == {
        ("figures", "context")
    }
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        await search(pilot, "permanent")
        bar = screen.query_one(SearchBar)
        assert bar.count_text == f"1/{len(matches)}"
        assert "context" in bar.where_text
        assert "context" in screen_text(app)
        table = screen.query_one("#figures-table", RecordTable)
        assert table.current is not None and table.current.anchor == matches[0].segment.anchor
        await search(pilot, "hired")  # the figure's label, which the table shows: no hint
        assert screen.find.position is not None
        segment = screen.find.matches[screen.find.position].segment
        assert (segment.pane, segment.field) == ("figures", "label")
        assert "/" in bar.count_text and bar.where_text == ""
