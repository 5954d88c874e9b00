"""Paging as in ``less``: the page keys move the view by a page whatever the item sizes, and the
cursor follows the view. The rule itself, then every key in each widget that has it: the item
list (every list pane), the scrolling text (detail dialogs, help) and the option list (notes
panel, picker)."""

from __future__ import annotations

from typing import ClassVar

import pytest
from rich.console import Group
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static
from textual.widgets.option_list import Option

from termbrief.ui.widgets.item_list import Item, ItemList
from termbrief.ui.widgets.paged_option_list import PagedOptionList
from termbrief.ui.widgets.paged_scroll import PagedScroll
from termbrief.ui.widgets.paging import ViewMove, half_page, page_view, view_end

PAGE_DOWN = ("pagedown", "space")
PAGE_UP = ("pageup", "minus", "shift+space")
HEIGHT = 10
"""Rows of every list below: the screen is 10 rows and the widget fills it."""


def lines_for(*heights: int) -> list[tuple[int, int]]:
    """The line table of items ``heights`` lines tall."""
    return [(item, offset) for item, height in enumerate(heights) for offset in range(height)]


# --------------------------------------------------------------------------- the rule


def test_a_page_inside_one_tall_item_moves_the_view_and_keeps_the_cursor() -> None:
    lines = lines_for(60)
    assert page_view(lines, 0, 10, 10, 0) == ViewMove(10, 0)
    assert page_view(lines, 45, 10, 10, 0) == ViewMove(50, 0)  # stops at the last line
    assert page_view(lines, 50, 10, -10, 0) == ViewMove(40, 0)
    assert page_view(lines, 3, 10, -10, 0) == ViewMove(0, 0)


def test_the_cursor_stays_while_in_view_else_takes_the_top_item() -> None:
    lines = lines_for(4, 4, 4, 4, 4, 4)  # items 0-5 on lines 0-3, 4-7, ... 20-23
    assert page_view(lines, 0, 10, 5, 2) == ViewMove(5, 2)  # item 2 (8-11) still shows
    assert page_view(lines, 0, 10, 10, 0) == ViewMove(10, 2)  # item 2 is at the top, in part
    assert page_view(lines, 10, 10, -10, 5) == ViewMove(0, 0)


def test_at_an_end_the_cursor_goes_the_rest_of_the_way() -> None:
    lines = lines_for(4, 4, 4, 4, 4, 4)
    assert page_view(lines, 14, 10, 10, 3) == ViewMove(14, 5)
    assert page_view(lines, 0, 10, -10, 2) == ViewMove(0, 0)
    assert page_view(lines_for(2, 2), 0, 10, 10, 0) == ViewMove(0, 1)  # all of it in view


def test_nothing_to_page() -> None:
    assert page_view([], 0, 10, 10, None) is None
    assert page_view(lines_for(30), 0, 0, 10, 0) is None
    assert view_end([], 10, last=True) is None
    assert view_end(lines_for(30, 30), 10, last=True) == ViewMove(50, 1)
    assert view_end(lines_for(30, 30), 10, last=False) == ViewMove(0, 0)
    assert [half_page(h) for h in (1, 2, 9, 10)] == [1, 1, 4, 5]


# --------------------------------------------------------------------------- the item list


def tall(lines: int, label: str) -> Group:
    return Group(*(Text(f"{label} line {n}") for n in range(lines)))


class ListApp(App[None]):
    CSS = "ItemList { height: 1fr; }"

    def __init__(self, heights: tuple[int, ...], first: int | None = None) -> None:
        super().__init__()
        self.items = [Item(f"i/{n}", tall(h, f"i{n}")) for n, h in enumerate(heights)]
        self.first = first

    def compose(self) -> ComposeResult:
        yield ItemList()

    def on_mount(self) -> None:
        items = self.query_one(ItemList)
        items.set_items(self.items, first=self.first)
        items.focus()


def top_line(items: ItemList) -> str:
    return "".join(segment.text for segment in items.render_line(0))[2:].strip()


@pytest.mark.parametrize(("down", "up"), list(zip(PAGE_DOWN * 2, PAGE_UP, strict=False)))
async def test_page_keys_read_a_paragraph_taller_than_the_pane(down: str, up: str) -> None:
    app = ListApp((60, 2))
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        tops = []
        for _ in range(6):
            await pilot.press(down)
            tops.append((items.scroll_y, items.highlighted))
        # A page a press, the paragraph stays current while it shows; then the last item.
        assert tops == [(10, 0), (20, 0), (30, 0), (40, 0), (50, 0), (52, 0)]
        await pilot.press(down)
        assert (items.scroll_y, items.highlighted) == (52, 1)
        assert top_line(items) == "i0 line 52"
        await pilot.press(up)
        assert (items.scroll_y, items.highlighted) == (42, 0)
        for _ in range(5):
            await pilot.press(up)
        assert (items.scroll_y, items.highlighted) == (0, 0)
        assert top_line(items) == "i0 line 0"


async def test_the_cursor_follows_the_view_over_short_items() -> None:
    app = ListApp((4,) * 12)
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        await pilot.press("j", "j")  # item 2, lines 8-11: partly in view
        assert (items.scroll_y, items.highlighted) == (2, 2)
        await pilot.press("pagedown")  # lines 12-21: item 2 is gone, item 3 is at the top
        assert (items.scroll_y, items.highlighted) == (12, 3)
        await pilot.press("ctrl+d")  # lines 17-26: item 3 gone; item 4 (16-19) at the top, in part
        assert (items.scroll_y, items.highlighted) == (17, 4)
        await pilot.press("ctrl+u")  # lines 12-21: item 4 still shows
        assert (items.scroll_y, items.highlighted) == (12, 4)
        await pilot.press("pageup")
        assert (items.scroll_y, items.highlighted) == (2, 0)


async def test_half_pages() -> None:
    down, up = "ctrl+d", "ctrl+u"
    app = ListApp((30,))
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        await pilot.press(down, down, down)
        assert (items.scroll_y, items.highlighted) == (15, 0)
        await pilot.press(down, down, down)
        assert items.scroll_y == 20  # the end
        await pilot.press(up)
        assert items.scroll_y == 15


@pytest.mark.parametrize(("first", "last"), [("home", "end"), ("g", "G")])
async def test_home_and_end_show_the_first_and_the_last_line(first: str, last: str) -> None:
    app = ListApp((3, 25, 40))  # the last item is taller than the pane
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        await pilot.press(last)
        assert (items.scroll_y, items.highlighted) == (58, 2)
        assert top_line(items) == "i2 line 30"  # the last line is at the bottom
        await pilot.press("j")  # at the end of the last item, j wraps to the first, as before
        await pilot.press(last, "pageup")
        assert (items.scroll_y, items.highlighted) == (48, 2)
        await pilot.press(first)
        assert (items.scroll_y, items.highlighted) == (0, 0)


async def test_paging_before_the_rest_is_laid_out_pages_through_everything() -> None:
    app = ListApp((3,) * 300, first=4)
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        items = app.query_one(ItemList)
        await pilot.pause()
        items.set_items(app.items, first=4)  # the rest comes after the next frame
        assert items.option_count < 300
        items.action_last()  # what G does, before that frame
        assert (items.option_count, items.highlighted, items.scroll_y) == (300, 299, 890)


# --------------------------------------------------------------------------- scrolling text


class TextApp(App[None]):
    CSS = "PagedScroll { height: 1fr; }"

    def compose(self) -> ComposeResult:
        with PagedScroll():
            yield Static("\n".join(f"text line {n}" for n in range(50)))

    def on_mount(self) -> None:
        self.query_one(PagedScroll).focus()


@pytest.mark.parametrize(("down", "up"), list(zip(PAGE_DOWN * 2, PAGE_UP, strict=False)))
async def test_scrolling_text_pages(down: str, up: str) -> None:
    app = TextApp()
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        await pilot.pause()
        body = app.query_one(PagedScroll)
        await pilot.press(down, down)
        assert body.scroll_y == 20
        await pilot.press(up)
        assert body.scroll_y == 10
        await pilot.press("ctrl+d")
        assert body.scroll_y == 15
        await pilot.press("ctrl+u", "ctrl+u")
        assert body.scroll_y == 5
        await pilot.press("G")
        assert body.scroll_y == 40
        await pilot.press("g")
        assert body.scroll_y == 0
        await pilot.press("end")
        assert body.scroll_y == 40
        await pilot.press("home")
        assert body.scroll_y == 0


# --------------------------------------------------------------------------- option lists


class OptionsApp(App[None]):
    CSS = "OptionList { height: 1fr; border: none; padding: 0; }"
    HEADING: ClassVar[int] = 5

    def compose(self) -> ComposeResult:
        options = [
            Option(Text("A heading"), disabled=True)
            if n == self.HEADING
            else Option(Text(f"note {n}\n  its first line"), id=f"n{n}")
            for n in range(20)
        ]
        yield PagedOptionList(*options)

    def on_mount(self) -> None:
        self.query_one(PagedOptionList).focus()


async def test_option_list_moves_with_j_k_g_and_pages() -> None:
    app = OptionsApp()
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        await pilot.pause()
        options = app.query_one(PagedOptionList)
        await pilot.press("j", "j")
        assert options.highlighted == 2
        await pilot.press("k")
        assert options.highlighted == 1
        await pilot.press("G")
        assert options.highlighted == 19
        await pilot.press("g")
        assert (options.highlighted, options.scroll_y) == (0, 0)
        # Two lines an option, one for the heading (option 5, line 10): 10 lines, 5 options.
        await pilot.press("pagedown")  # the heading is at the top: stepped over
        assert (options.scroll_y, options.highlighted) == (10, 6)
        await pilot.press("space")  # option 10 (lines 19-20) is at the top, in part
        assert (options.scroll_y, options.highlighted) == (20, 10)
        await pilot.press("ctrl+u")  # still in view
        assert (options.scroll_y, options.highlighted) == (15, 10)
        await pilot.press("minus")
        assert (options.scroll_y, options.highlighted) == (5, 2)
        await pilot.press("ctrl+d", "ctrl+d")
        assert (options.scroll_y, options.highlighted) == (15, 8)
        await pilot.press("pageup", "pageup")
        assert (options.scroll_y, options.highlighted) == (0, 2)  # option 2 is in view
        await pilot.press("shift+space")  # at the top already: to the first option
        assert (options.scroll_y, options.highlighted) == (0, 0)
