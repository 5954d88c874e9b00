"""ItemList on its own: items rendered once per width, progressive layout, reading steps, gutter
marks, mouse (click, double click, links)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import App, ComposeResult
from textual.strip import Strip

from termbrief.ui.render.markdown import link_style
from termbrief.ui.widgets.item_list import READING_STEP, Item, ItemList


def lines_of(count: int, label: str) -> Group:
    """An item of ``count`` one-line paragraphs."""
    return Group(*(Text(f"{label} line {n}") for n in range(count)))


def plain(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


class ListApp(App[None]):
    """One focused ItemList filling a small screen."""

    CSS = "ItemList { height: 1fr; }"

    def __init__(self, items: list[Item] | None = None, first: int | None = None) -> None:
        super().__init__()
        self.initial = items or []
        self.first = first
        self.activated: list[Item] = []
        self.links: list[str] = []

    def compose(self) -> ComposeResult:
        yield ItemList(id="list")

    def on_mount(self) -> None:
        items = self.query_one(ItemList)
        items.set_items(self.initial, first=self.first)
        items.focus()

    def on_item_list_activated(self, event: ItemList.Activated) -> None:
        self.activated.append(event.item)

    def action_confirm_link(self, url: str) -> None:
        self.links.append(url)


def paragraphs(count: int, height: int = 3) -> list[Item]:
    return [Item(f"p/{n}", lines_of(height, f"p{n}")) for n in range(count)]


async def test_each_item_is_rendered_once_per_width() -> None:
    app = ListApp(paragraphs(20))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        # 60 lines in a 10-line pane: the scrollbar narrows the content, yet no item was
        # rendered at the width before it.
        assert items.show_vertical_scrollbar
        assert items.renders == 20
        width = items.scrollable_content_region.width
        assert all(plain(items.render_line(y)).__len__() == width for y in range(10))
        for key in ("j", "j", "pagedown", "G", "g", "k"):
            await pilot.press(key)
        app.set_focus(None)
        await pilot.pause()
        assert items.renders == 20  # moves, scrolls and focus changes only restyle lines
        await pilot.resize_terminal(50, 10)
        await pilot.pause()
        assert items.renders == 40  # a new width renders every item again, once


async def test_a_short_list_is_laid_out_at_full_width() -> None:
    app = ListApp(paragraphs(2))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        assert not items.show_vertical_scrollbar
        assert items.scrollable_content_region.width == 40
        assert len(plain(items.render_line(0))) == 40
        assert items.virtual_size.height == 6


async def test_first_lays_out_a_screenful_then_the_rest() -> None:
    app = ListApp(paragraphs(300), first=5)
    async with app.run_test(size=(40, 10)) as pilot:
        items = app.query_one(ItemList)
        assert len(items.items) == 300
        await pilot.pause()
        await pilot.pause()
        assert items.option_count == 300
        assert items.virtual_size.height == 900
        items.set_items(paragraphs(300), first=5)
        # At most 5, and only as many as fill the view: 4 items of 3 lines cover 10 rows.
        assert items.option_count == 4
        assert items.renders == 300 + 4  # only those of the new items so far
        items.show_all()
        assert items.option_count == 300
        assert items.select_anchor("p/250")
        assert items.highlighted == 250
        assert items.scroll_y == 750  # at the top of the pane


async def test_keep_position_keeps_cursor_and_scroll() -> None:
    app = ListApp(paragraphs(30))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        await pilot.press("pagedown", "pagedown", "j")
        position = (items.highlighted, items.scroll_y)
        assert position[0] and position[1]
        items.set_items(paragraphs(30), keep_position=True)
        await pilot.pause()
        assert (items.highlighted, items.scroll_y) == position
        items.set_items(paragraphs(30))
        assert (items.highlighted, items.scroll_y) == (0, 0)


async def test_j_and_k_read_through_a_tall_item() -> None:
    tall = Item("tall", lines_of(25, "tall"))
    app = ListApp([Item("a", lines_of(2, "a")), tall, Item("b", lines_of(2, "b"))])
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        await pilot.press("j")
        assert items.highlighted == 1 and items.scroll_y == 2  # its top at the top
        steps = 0
        while items.highlighted == 1:
            await pilot.press("j")
            steps += 1
        # Lines 2..27 are the tall item: it scrolls by READING_STEP until its end shows.
        assert steps == -(-(27 - 10 - 2) // READING_STEP) + 1
        assert items.highlighted == 2
        await pilot.press("k")
        # Back on the tall item, its end shows: where the reader came from.
        assert items.highlighted == 1 and items.scroll_y == 27 - 10
        await pilot.press("k")
        assert items.highlighted == 1 and items.scroll_y == 27 - 10 - READING_STEP


async def test_cursor_bar_and_marker_dot_in_the_gutter() -> None:
    app = ListApp([Item("a", Text("first")), Item("b", Text("second")), Item("c", Text("x"))])
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        items.set_marked(frozenset({"b"}))
        await pilot.pause()
        assert [plain(items.render_line(y))[:8] for y in range(4)] == [
            "▌ first ",
            " •second",
            "  x     ",
            "        ",
        ]
        await pilot.press("j")
        assert [plain(items.render_line(y))[:2] for y in range(3)] == ["  ", "▌•", "  "]
        assert items.marked_anchors == frozenset({"b"})


async def test_click_moves_double_click_opens_and_links_go_to_the_app() -> None:
    link = Text.assemble("see ", ("the notice", link_style("https://example.org/n")), " now")
    app = ListApp([Item("a", Text("first")), Item("b", link, ("https://example.org/n",))])
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        await pilot.click(ItemList, offset=(2, 1))  # "see" on the second item
        await pilot.pause()
        assert items.highlighted == 1 and app.activated == [] and app.links == []
        await pilot.click(ItemList, offset=(0, 0))  # the gutter is no target
        assert items.highlighted == 1
        await pilot.click(ItemList, offset=(3, 0), times=2)
        await pilot.pause()
        assert items.highlighted == 0
        assert [item.anchor for item in app.activated] == ["a"]
        await pilot.click(ItemList, offset=(8, 1))  # "the notice"
        await pilot.pause()
        assert app.links == ["https://example.org/n"]
        assert items.highlighted == 0  # a click on a link does not move the cursor


async def test_empty_list() -> None:
    app = ListApp([])
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        assert items.highlighted is None and items.current is None
        for key in ("j", "k", "pagedown", "pageup", "g", "G", "enter"):
            await pilot.press(key)
        assert items.highlighted is None and app.activated == []
        assert plain(items.render_line(0)).strip() == ""
