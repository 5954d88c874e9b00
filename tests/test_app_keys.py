"""Pilot tests for every key of the reader (issue 3), at 120x40 (grid) and 80x24 (tabs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbrief.core.sections import PANE_KEYS as PANE_SECTIONS
from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.actor_detail import ActorDetailScreen
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.figure_detail import FigureDetailScreen
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.record_table import RecordTable
from ui_fixtures import (
    ALPHA,
    NARROW,
    UI,
    WIDE,
    active_section,
    brief_screen,
    screen_text,
    user_dirs,
)

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_number_keys_focus_each_pane(size: tuple[int, int]) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert active_section(app) == "summary"
        for number, section in enumerate(PANE_SECTIONS, start=1):
            await pilot.press(str(number))
            await pilot.pause()
            assert active_section(app) == section
            pane = brief_screen(app).pane(section)
            assert pane.display and pane.region.height > 0, f"{section} pane is not visible"


async def test_wide_grid_shows_four_panes_and_swaps_for_timeline() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        grid = ["summary", "figures", "actors", "commentary"]
        assert all(screen.pane(s).region.height > 0 for s in grid)
        await pilot.press("5")
        await pilot.pause()
        assert screen.pane("timeline").region.height > 0
        assert all(screen.pane(s).region.height == 0 for s in grid)
        await pilot.press("3")
        await pilot.pause()
        assert all(screen.pane(s).region.height > 0 for s in grid)


async def test_narrow_shows_one_pane_at_a_time() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        await pilot.press("2")
        await pilot.pause()
        visible = [s for s in PANE_SECTIONS if screen.pane(s).region.height > 0]
        assert visible == ["figures"]
        assert "2 Key figures" in screen_text(app)


async def test_tab_and_shift_tab_cycle_panes() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        seen = [active_section(app)]
        for _ in PANE_SECTIONS:
            await pilot.press("tab")
            await pilot.pause()
            seen.append(active_section(app))
        assert seen == [*PANE_SECTIONS, "summary"]
        await pilot.press("shift+tab")
        await pilot.pause()
        assert active_section(app) == "sources"


async def test_tab_includes_the_library_when_shown() -> None:
    app = TermbriefApp([UI])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "shift+tab")
        await pilot.pause()
        library = brief_screen(app).library
        assert library is not None and app.focused in library.walk_children()
        await pilot.press("tab")
        await pilot.pause()
        assert active_section(app) == "summary"


async def test_j_k_and_arrows_move_in_tables_and_lists() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        table = app.screen.query_one("#figures-table", RecordTable)
        await pilot.press("j", "j", "down")
        assert table.cursor == 3
        await pilot.press("k", "up")
        assert table.cursor == 1
        await pilot.press("4")
        items = app.screen.query_one("#commentary-list", ItemList)
        assert items.highlighted == 0
        await pilot.press("j")
        assert items.highlighted == 1
        await pilot.press("k")
        assert items.highlighted == 0


async def test_page_and_home_end_keys() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        table = app.screen.query_one("#actors-table", RecordTable)
        await pilot.press("G")
        assert table.cursor == table.row_count - 1
        await pilot.press("g")
        assert table.cursor == 0
        await pilot.press("end")
        assert table.cursor == table.row_count - 1
        await pilot.press("home")
        assert table.cursor == 0
        await pilot.press("pagedown")
        assert table.cursor == table.row_count - 1  # 3 rows: one page reaches the end
        await pilot.press("pageup")
        assert table.cursor == 0
        await pilot.press("1", "G")
        summary = app.screen.query_one("#summary-list", ItemList)
        assert summary.highlighted == summary.option_count - 1
        await pilot.press("g")
        assert summary.highlighted == 0


async def test_long_items_scroll_before_the_cursor_moves() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=(80, 14)) as pilot:
        await pilot.pause()
        await pilot.press("4", "z")  # maximised, the commentary is still taller than the pane
        await pilot.pause()
        items = app.screen.query_one("#commentary-list", ItemList)
        await pilot.resize_terminal(40, 9)
        await pilot.pause()
        assert items.highlighted == 0
        start = items.scroll_y
        await pilot.press("j")
        await pilot.pause()
        assert items.highlighted == 0 and items.scroll_y > start


async def test_enter_opens_figure_detail_and_escape_closes() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FigureDetailScreen)
        text = screen_text(app)
        assert "New inspectors to be hired" in text
        assert "40 inspectors" in text and "Authority press release" in text
        assert "permanent" in text  # the context, rendered from Markdown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert active_section(app) == "figures"


async def test_enter_opens_actor_detail_and_a_mention_jumps() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActorDetailScreen)
        text = screen_text(app)
        assert "Director of the harbour authority" in text
        assert "Quist, the director" in text
        assert "Mentions in this brief" in text
        mentions = app.screen.query_one("#mentions", ItemList)
        anchors = [item.anchor for item in mentions.items]
        assert "commentary/a-welcome-but-costly-step" in anchors
        target = anchors.index("commentary/a-welcome-but-costly-step")
        for _ in range(target):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert active_section(app) == "commentary"
        commentary = app.screen.query_one("#commentary-list", ItemList)
        assert commentary.current is not None
        assert commentary.current.anchor == "commentary/a-welcome-but-costly-step"


async def test_mention_in_summary_jumps_to_its_paragraph() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("3", "enter")
        await pilot.pause()
        mentions = app.screen.query_one("#mentions", ItemList)
        summary_mentions = [i for i, item in enumerate(mentions.items) if item.anchor == "summary"]
        assert len(summary_mentions) >= 2
        # The second summary mention ("Quist said the pilot...") is in the third paragraph.
        for _ in range(summary_mentions[1]):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        summary = app.screen.query_one("#summary-list", ItemList)
        assert active_section(app) == "summary"
        assert summary.highlighted == 2


async def test_z_maximises_and_restores() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("2", "z")
        await pilot.pause()
        screen = brief_screen(app)
        assert screen.maximized is screen.pane("figures")
        assert screen.pane("summary").region.height == 0
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is screen.pane("figures")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.maximized is None
        assert active_section(app) == "figures"


async def test_b_toggles_the_library() -> None:
    app = TermbriefApp([ALPHA])  # one file: hidden by default
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        assert not screen.library_shown
        await pilot.press("b")
        await pilot.pause()
        assert screen.library_shown and screen.library is not None
        assert app.focused in screen.library.walk_children()
        await pilot.press("b")
        await pilot.pause()
        assert not screen.library_shown
        assert active_section(app) == "summary"


async def test_folder_shows_library_by_default_when_wide() -> None:
    app = TermbriefApp([UI])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert brief_screen(app).library_shown
        assert "Library" in screen_text(app)


async def test_brackets_step_through_the_library() -> None:
    app = TermbriefApp([UI])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        order = [entry.path.name for entry in app.entries]
        assert order == ["alpha.yaml", "beta.yaml", "broken.yaml"]
        assert app.current is not None and app.current.path.name == "alpha.yaml"
        await pilot.press("1", "right_square_bracket")
        await pilot.pause()
        assert app.current.path.name == "beta.yaml"
        assert "Older brief about river dredging" in screen_text(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.current.path.name == "broken.yaml"
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert app.current.path.name == "alpha.yaml"


async def test_ctrl_p_opens_the_command_palette() -> None:
    from textual.command import CommandPalette

    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)


async def test_question_mark_opens_help() -> None:
    from termbrief.ui.screens.help import HelpScreen

    app = TermbriefApp([ALPHA])
    # Tall enough that the whole generated key list is on screen at once.
    async with app.run_test(size=(120, 100)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding_id in ("pane.summary", "pane.maximize", "app.library", "brief.next"):
            assert binding_id in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)


async def test_q_quits() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_every_binding_has_an_id_and_a_description() -> None:
    from termbrief.ui.screens.actor_detail import ActorDetailScreen as Actor
    from termbrief.ui.screens.detail import DetailBody, DetailScreen
    from termbrief.ui.screens.links import ConfirmLinkScreen, LinkPickerScreen

    classes = [TermbriefApp, BriefScreen, ItemList, RecordTable, DetailScreen, DetailBody, Actor]
    classes += [ConfirmLinkScreen, LinkPickerScreen]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert not isinstance(binding, tuple), f"{cls.__name__}: {binding}"
            assert binding.id, f"{cls.__name__}: {binding.key} has no id"
            assert binding.description, f"{cls.__name__}: {binding.key} has no description"


async def test_user_keymap_remaps_a_binding(user_dirs: Path) -> None:
    config = user_dirs / "config" / "termbrief" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keymap]\n"pane.figures" = "f2"\n"pane.maximize" = "m"\n')
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert active_section(app) == "figures"
        await pilot.press("m")
        await pilot.pause()
        assert brief_screen(app).maximized is not None


async def test_click_focuses_a_pane_and_selects_a_row() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#actors-table", RecordTable)
        # Inside the border and under the header, the first line of row 2 (rows may wrap).
        await pilot.click(table, offset=(4, 2 + table.row_span(2)[0]))
        await pilot.pause()
        assert active_section(app) == "actors"
        assert table.cursor == 2
        await pilot.click("#pane-bar", offset=(50, 0))  # "4 Commentary" in the pane bar
        await pilot.pause()
        assert active_section(app) in ("actors", "commentary")


async def test_click_on_header_sorts_and_s_cycles_the_sort() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#figures-table", RecordTable)
        await pilot.press("2", "s", "s")  # sort by label, then by value
        values = [r.cells[1] for r in table.displayed()]
        # Numbers by size, then text values.
        assert values == [
            "about 12.5 percent",
            "40 inspectors",
            "up to 2,000,000 euros",
            "2024-2025",
        ]
        await pilot.press("S")
        assert table.displayed()[0].cells[1] == "2024-2025"
        await pilot.click(table, offset=(3, 1))  # the "Figure" header, under the border
        await pilot.pause()
        labels = [r.cells[0] for r in table.displayed()]
        assert labels == sorted(labels, key=str.casefold)


async def test_mouse_wheel_scrolls() -> None:
    from textual import events

    app = TermbriefApp([ALPHA])
    async with app.run_test(size=(80, 14)) as pilot:
        await pilot.pause()
        summary = app.screen.query_one("#summary-list", ItemList)
        assert summary.max_scroll_y > 0
        before = summary.scroll_y
        for _ in range(3):
            app.post_message(
                events.MouseScrollDown(summary, 5, 5, 0, 1, 0, False, False, False, 10, 10)
            )
        await pilot.pause()
        assert summary.scroll_y > before
        assert summary.highlighted == 0  # the wheel scrolls; it does not move the cursor


async def test_choosing_a_library_entry_opens_it() -> None:
    """Enter on a brief in the library sidebar shows that brief."""
    from termbrief.core.library import sample_library_path
    from termbrief.ui.app import TermbriefApp
    from termbrief.ui.widgets.library_list import LibraryList

    app = TermbriefApp([sample_library_path()], show_library=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        library = app.screen.query_one(LibraryList)
        library.focus()
        first = app.current
        assert first is not None
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.current is not None and app.current.path != first.path
        assert app.current.path == library.highlighted_entry.path  # type: ignore[union-attr]
        header = app.screen.query_one("BriefHeader")
        assert app.current.title[:20] in str(header.render())  # type: ignore[attr-defined]


def _type_at_once(app: TermbriefApp, keys: str) -> None:
    """Queue ``keys`` for the app in one go, as a fast typist or a paste does (Pilot's press
    waits for each key to be handled, which hides races between keys)."""
    from textual import events

    for key in keys:
        name = {"/": "slash", " ": "space"}.get(key, key)
        app.post_message(events.Key(name, key))


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_keys_typed_right_after_a_pane_key_or_find_go_where_it_leads(
    size: tuple[int, int],
) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        _type_at_once(app, "2/police 1")
        await pilot.pause()
        await pilot.pause()
        bar = screen.find.bar
        assert bar is not None and bar.is_open
        # Every key after "/" went into the field, digits included; none reached the panes.
        assert bar.input.value == "police 1"
        assert screen.focused is bar.input
        await pilot.press("escape")
        _type_at_once(app, "3j")
        await pilot.pause()
        assert active_section(app) == "actors"
        assert screen.pane("actors").cursor_row == 1


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_a_key_typed_before_a_pane_key_acts_where_it_was_typed(
    size: tuple[int, int],
) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        timeline = brief_screen(app).pane("timeline")
        sources = brief_screen(app).pane("sources")
        _type_at_once(app, "j6")
        await pilot.pause()
        await pilot.pause()
        assert active_section(app) == "sources"
        assert isinstance(timeline, ItemList) and isinstance(sources, ItemList)
        assert (timeline.highlighted, sources.highlighted) == (1, 0)


async def test_the_parts_after_the_first_frame_are_not_mounted_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Timeline, Sources, the find bar... wait for the first frame (start-up time): nothing the
    # screen does while it mounts (notes, changes, coloured words) may pull them in early.
    seen: list[bool] = []
    mount = BriefScreen.on_mount

    def on_mount(screen: BriefScreen) -> None:
        mount(screen)
        seen.append(screen.late.mounted)

    monkeypatch.setattr(BriefScreen, "on_mount", on_mount)
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert seen == [False]
        screen = brief_screen(app)
        await pilot.pause()
        assert screen.query("#search-bar")  # right after the first frame: "/" opens it at once
        # The rest when first needed (memory): here, Timeline when its key is pressed.
        assert not screen.query("#timeline-list") and not screen.late.mounted
        await pilot.press("5")
        await pilot.pause()
        assert screen.query("#timeline-list") and active_section(app) == "timeline"
