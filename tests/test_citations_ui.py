"""Pilot tests of the format's additions in the reader: citations walk to their source and back,
relations show from both ends, timelines name their actors, badges are found by find, and every
new text renders literally."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.actor_detail import ActorDetailScreen
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.figure_detail import FigureDetailScreen
from termbrief.ui.screens.source_detail import SourceDetailScreen
from termbrief.ui.widgets.item_list import ItemList
from ui_fixtures import WIDE, active_section, brief_screen, screen_text, user_dirs

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")

DATA = Path(__file__).parent / "data"
ADDITIONS = DATA / "format" / "additions.yaml"
REPORT = DATA / "reports" / "red-sea-shipping.yaml"


async def test_a_citation_opens_its_source_and_the_source_leads_back() -> None:
    app = TermbriefApp([ADDITIONS])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter")  # the first figure: a range that cites two places
        await pilot.pause()
        assert isinstance(app.screen, FigureDetailScreen)
        text = screen_text(app)
        assert "12–15 %" in text and "−42 % vs the 2023 peak (~2023-12)" in text
        assert "Other estimates" in text and "an official at a briefing" in text
        assert "25–30 %" in text and "confidence:low" in text
        assert "Sources cited (1)" in text and "p. 4" in text and "reliability:A" in text
        await pilot.press("tab", "enter")  # the citation list, its first citation
        await pilot.pause()
        assert isinstance(app.screen, SourceDetailScreen)
        text = screen_text(app)
        assert "Rests on this source (6)" in text
        assert "A (completely reliable)" in text and "February 2024" in text
        resting = app.screen.query_one("#resting", ItemList)
        assert app.focused is resting
        await pilot.press("j", "enter")  # the figure itself
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)  # both dialogs closed
        assert active_section(app) == "figures"
        assert brief_screen(app).focused_anchor() == "figures/share-of-trade"


async def test_a_key_point_resting_on_a_source_is_reached_by_its_text() -> None:
    app = TermbriefApp([ADDITIONS])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter", "tab", "enter", "enter")  # the first resting item
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert active_section(app) == "summary"
        summary = brief_screen(app).pane("summary")
        assert isinstance(summary, ItemList)
        summary_lines = screen_text(app)
        assert "Shipping costs rose." in summary_lines
        # The cursor is on the cited key point (items: the paragraph, the plain point, it).
        assert summary.highlighted == 2


async def test_relations_show_from_both_ends_and_jump() -> None:
    app = TermbriefApp([ADDITIONS])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("3", "enter")  # UNCTAD, the first actor
        await pilot.pause()
        assert isinstance(app.screen, ActorDetailScreen)
        text = screen_text(app)
        assert "Relations (1)" in text and "UNCTAD ← member-of ← Jan Hoffmann" in text
        assert "since 2019" in text and "Chief of Trade Logistics" in text
        app.screen.query_one("#relations", ItemList).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert brief_screen(app).focused_anchor() == "actors/jan-hoffmann"
        await pilot.press("enter")
        await pilot.pause()
        assert "Jan Hoffmann → member-of → UNCTAD" in screen_text(app)


async def test_timeline_commentary_and_sources_show_the_new_fields() -> None:
    app = TermbriefApp([ADDITIONS])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        text = screen_text(app)
        assert "2023-11–ongoing" in text and "Attacks on shipping begin.  · Houthi movement" in text
        assert "confidence:moderate" in text and "2024-09-04–06" in text
        await pilot.press("4")
        await pilot.pause()
        text = screen_text(app)
        assert "▌“ Shipping is the lifeline of trade." in text  # a quotation, marked
        assert "interview  2024-01-15  confidence:high  cites 1" in text
        assert "the brief's assessment" in text
        await pilot.press("6")
        await pilot.pause()
        text = screen_text(app)
        assert "UNCTAD · 2024-02 · reliability:A · id: rapid-assessment" in text
        assert "~2024-01 · reliability:C · id: press" in text


async def test_find_walks_the_confidence_badges() -> None:
    app = TermbriefApp([ADDITIONS])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        screen.find.query_changed("confidence:moderate")
        await pilot.pause()
        anchors = [match.segment.anchor for match in screen.find.matches]
        assert anchors == ["figures/share-of-trade", "timeline/1"]


HOSTILE = """\
title: T
summary: S
figures:
  - label: "[b]L[/i]"
    value: {low: 1, high: 2}
    change: {amount: 1, baseline: "[@click=app.quit]x[/]"}
    estimates: [{value: 3, by: "[link=https://x]y[/link]"}]
    cites: [{source: s, locator: "[red]p. 4[/]"}]
actors:
  - {id: a, name: "[b]A", kind: place, relations: [{to: b, kind: other, note: "[/]"}]}
  - {id: b, name: B, kind: person}
sources:
  - {id: s, title: "[bold]S[/i]"}
"""


async def test_new_texts_render_literally(tmp_path: Path) -> None:
    brief = tmp_path / "hostile.yaml"
    brief.write_text(HOSTILE, encoding="utf-8")
    app = TermbriefApp([brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text and "[link=https://x]y[/link]" in text
        assert "[red]p. 4[/]" in text
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert "[bold]S[/i]" in screen_text(app)
        await pilot.press("escape", "escape", "3", "enter")
        await pilot.pause()
        assert "[b]A → other → B" in screen_text(app)
