"""Long lists stay small: the item list keeps a number per item and a few screens of lines, lazy
items build their text only to be measured or drawn, items of equal size are measured once, and
the table keeps a bounded number of drawn lines (issue 15: the worst alias brief)."""

from __future__ import annotations

from itertools import accumulate

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console, Group, RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult

from termbrief.core.loader import load_brief
from termbrief.core.model import Commentary
from termbrief.ui.panes.commentary import commentary_item
from termbrief.ui.render.markdown import line_count, render_markdown
from termbrief.ui.widgets.item_lines import KEPT_LINES, WINDOW, LineTable
from termbrief.ui.widgets.item_list import Item, ItemList, Shown
from termbrief.ui.widgets.record_table import KEPT_LINES as TABLE_KEPT_LINES
from termbrief.ui.widgets.record_table import Record, RecordTable
from termbrief.ui.widgets.table_layout import Column
from ui_fixtures import SAMPLES

HEIGHT = 10


def lines_of(count: int, label: str) -> Group:
    return Group(*(Text(f"{label} line {n}") for n in range(count)))


def text_at(items: ItemList, y: int) -> str:
    return "".join(segment.text for segment in items.render_line(y))[2:].strip()


class ListApp(App[None]):
    CSS = "ItemList { height: 1fr; }"

    def __init__(self, items: list[Item]) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        yield ItemList()

    def on_mount(self) -> None:
        items = self.query_one(ItemList)
        items.set_items(self.items)
        items.focus()


# --------------------------------------------------------------------------- the line table


@given(st.lists(st.integers(min_value=0, max_value=5), max_size=12))
def test_the_line_table_maps_lines_as_a_table_of_every_line(heights: list[int]) -> None:
    every_line = [(item, line) for item, height in enumerate(heights) for line in range(height)]
    table = LineTable([0, *accumulate(heights)])
    assert len(table) == len(every_line)
    assert list(table) == every_line  # items of no lines are passed over
    assert table[2:7] == every_line[2:7]
    if every_line:
        assert table[-1] == every_line[-1]
    with pytest.raises(IndexError):
        table[len(every_line)]


# --------------------------------------------------------------------------- the item list


async def test_a_long_list_keeps_a_few_screens_of_lines_and_draws_every_one() -> None:
    count, height = 100, 90  # twice the lines kept
    app = ListApp([Item(f"i/{n}", lines_of(height, f"i{n}")) for n in range(count)])
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        assert items.virtual_size.height == count * height
        await pilot.press("end")
        await pilot.pause()
        assert text_at(items, HEIGHT - 1) == f"i{count - 1} line {height - 1}"
        # The item in view (one at each place checked) is kept whatever the bound.
        in_view = height
        assert items.kept_lines <= KEPT_LINES + in_view
        items.scroll_to(y=50 * height, animate=False, immediate=True)
        await pilot.pause()
        assert text_at(items, 0) == "i50 line 0"
        assert items.kept_lines <= KEPT_LINES + in_view
        await pilot.press("home")
        await pilot.pause()
        assert text_at(items, 0) == "i0 line 0"
        for _ in range(20):
            await pilot.press("pagedown")
        await pilot.pause()
        top = 20 * HEIGHT
        assert text_at(items, 0) == f"i{top // height} line {top % height}"
        assert items.kept_lines <= KEPT_LINES + in_view


async def test_an_item_taller_than_a_window_is_drawn_line_for_line() -> None:
    height = 2 * WINDOW + 50
    app = ListApp([Item("tall", lines_of(height, "t")), Item("b", lines_of(2, "b"))])
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        await pilot.press("end")
        await pilot.pause()
        assert text_at(items, 0) == f"t line {height + 2 - HEIGHT}"
        assert items.kept_lines <= WINDOW + 2  # a window of the tall item, and the other
        items.scroll_to(y=WINDOW + 7, animate=False, immediate=True)
        await pilot.pause()
        assert [text_at(items, y) for y in (0, HEIGHT - 1)] == [
            f"t line {WINDOW + 7}",
            f"t line {WINDOW + 6 + HEIGHT}",
        ]
        await pilot.press("home")
        await pilot.pause()
        assert text_at(items, 0) == "t line 0"


async def test_lazy_items_of_one_size_are_built_to_draw_them_and_measured_once() -> None:
    built: list[int] = []

    def build(n: int) -> Shown:
        built.append(n)
        return lines_of(4, f"e{n}"), (f"https://example.org/{n}",)

    items_ = [Item.lazy(f"e/{n}", lambda n=n: build(n), size_key="same") for n in range(500)]
    app = ListApp(items_)
    async with app.run_test(size=(40, HEIGHT)) as pilot:
        await pilot.pause()
        items = app.query_one(ItemList)
        assert items.virtual_size.height == 500 * 4
        # The items in view (3 of 4 lines in 10 rows), each once; the rest share one's height.
        assert sorted(set(built)) == [0, 1, 2] and len(built) == 3
        await pilot.press("end")
        await pilot.pause()
        assert text_at(items, HEIGHT - 1) == "e499 line 3"
        assert max(built) == 499 and len(built) <= 3 + 3
        assert items.current is not None
        assert items.current.links == ("https://example.org/499",)


def test_a_commentary_item_is_built_when_it_is_shown() -> None:
    body = "See [the notice](https://example.org/n).\n\nA second paragraph."
    entry = Commentary(id="c", author="An analyst", body=body)
    item = commentary_item(entry)
    assert item.links == ("https://example.org/n",)
    assert (
        item.size_key
        == commentary_item(Commentary(id="d", author="An analyst", body=body)).size_key
    )
    assert item.size_key != commentary_item(Commentary(id="c", author="Other", body=body)).size_key
    plain = "".join(s.text for s in Console(width=60).render(item.renderable))
    assert "An analyst" in plain and "A second paragraph." in plain


# --------------------------------------------------------------------------- counting lines


def sample_markdown() -> list[str]:
    texts = []
    for path in sorted(SAMPLES.glob("*.yaml")):
        brief = load_brief(path)
        texts.append(brief.summary)
        texts += [entry.body for entry in brief.commentary]
    texts.append(
        "- a list item that runs on and on past the width\n- two\n\n> a quote that wraps "
        "round\n\n1. one\n2. two\n\n```\ncode\tblock\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    return texts


@pytest.mark.parametrize("width", [1, 7, 30, 76])
def test_line_count_counts_the_lines_rendering_makes(width: int) -> None:
    console = Console(width=width + 4)
    options = console.options.update(width=width, highlight=False)
    for source in sample_markdown():
        blocks = render_markdown(source)
        renderables: list[RenderableType] = [Group(*(b.renderable for b in blocks))]
        renderables += [b.renderable for b in blocks]
        for renderable in renderables:
            rendered = Segment.split_and_crop_lines(
                console.render(renderable, options), width, include_new_lines=False
            )
            assert line_count(renderable, console, options) == sum(1 for _ in rendered)


def test_line_count_of_a_text_running_into_the_next() -> None:
    console = Console(width=40)
    options = console.options.update(width=40)
    assert line_count(Group(Text("a", end=""), Text("b")), console, options) == 1


# --------------------------------------------------------------------------- the table


async def test_a_table_keeps_a_few_screens_of_drawn_lines() -> None:
    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield RecordTable([Column("Text", wrap=True, max_width=10, min_width=10)])

    # Each record wraps to 300 lines of one word.
    records = [
        Record(f"r/{n}", (" ".join(["word"] * 300),), (n,))
        for n in range(3 * TABLE_KEPT_LINES // 300)
    ]
    app = TableApp()
    async with app.run_test(size=(20, HEIGHT)) as pilot:
        table = app.query_one(RecordTable)
        table.set_records(records)
        table.focus()
        await pilot.pause()
        for row in range(len(records)):
            table.cursor = row  # its start in view
            await pilot.pause()
            assert table.kept_lines <= TABLE_KEPT_LINES + 2 * 300  # and the rows in view
        assert table.kept_lines > TABLE_KEPT_LINES // 2  # scrolling back would find them
