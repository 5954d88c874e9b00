"""Pilot tests of issue 13's follow-ups in the reader: a source's detail opens from the sources
pane (its link with ``o``, there and in the detail), and key points wear their confidence and
citation badges, which find reaches, landing on the very point."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content

from termbrief.core.search import find_in_brief
from termbrief.ui.app import TermbriefApp
from termbrief.ui.panes.pane import ListPane
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.links import ConfirmLinkScreen
from termbrief.ui.screens.source_detail import SourceDetailScreen
from termbrief.ui.widgets.item_list import ItemList
from ui_fixtures import WIDE, active_section, brief_screen, screen_text, user_dirs

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")

BRIEF = """\
title: Sources and points
summary: One paragraph.
key_points:
  - A plain point.
  - text: A cited point.
    cites: [second]
    confidence: low
  - text: A cited point.
    confidence: high
figures:
  - id: share
    label: A share
    value: 3
    cites: [{source: second, locator: p. 2}]
sources:
  - id: first
    title: First source
  - id: second
    title: Second source
    url: https://example.org/second
"""
URL = "https://example.org/second"
# The summary pane's items: the paragraph, then the three key points.
SECOND_POINT, THIRD_POINT = 2, 3


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    path = tmp_path / "points.yaml"
    path.write_text(BRIEF, encoding="utf-8")
    return path


def pane_subtitle(app: TermbriefApp, section: str) -> str:
    pane = brief_screen(app).pane(section)
    assert isinstance(pane, ListPane)
    return Content.from_markup(pane.border_subtitle or "").plain


async def test_enter_on_a_source_opens_its_detail_with_its_link_and_what_rests_on_it(
    brief: Path,
) -> None:
    app = TermbriefApp([brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("6", "j", "enter")  # the second source
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceDetailScreen)
        assert screen.source.title == "Second source"
        text = screen_text(app)
        assert "Rests on this source (2)" in text and "o opens the link" in text
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLinkScreen) and URL in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert app.focused is screen.query_one("#resting", ItemList)
        await pilot.press("enter")  # the first item resting on it: the cited key point
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert active_section(app) == "summary"
        summary = brief_screen(app).pane("summary")
        assert isinstance(summary, ItemList) and summary.highlighted == SECOND_POINT


async def test_a_source_nothing_cites_opens_too_and_has_no_link_to_open(brief: Path) -> None:
    app = TermbriefApp([brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("6", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceDetailScreen)
        text = screen_text(app)
        assert "Nothing in the brief cites it" in text and "opens the link" not in text
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SourceDetailScreen)


async def test_o_in_the_sources_pane_offers_the_link_the_frame_names(brief: Path) -> None:
    app = TermbriefApp([brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("6", "j")
        await pilot.pause()
        assert pane_subtitle(app, "sources") == f"↗ {URL} · o open · Y copy "
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLinkScreen) and URL in screen_text(app)


async def test_key_points_wear_their_badges() -> None:
    app = TermbriefApp([Path(__file__).parent / "data" / "format" / "additions.yaml"])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "• A plain key point stays a string." in text
        assert "• Shipping costs rose.  confidence:high  cites 1" in text


@pytest.mark.parametrize(
    ("query", "point"),
    [("confidence:high", THIRD_POINT), ("confidence:low", SECOND_POINT)],
)
async def test_find_reaches_a_key_points_badge_and_lands_on_that_point(
    brief: Path, query: str, point: int
) -> None:
    app = TermbriefApp([brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("2")  # away from the summary, so find has to bring the cursor back
        screen = brief_screen(app)
        screen.find.query_changed(query)
        screen.find.submitted()
        await pilot.pause()
        assert [m.segment.item for m in screen.find.matches] == [f"key_points/{point}"]
        assert active_section(app) == "summary"
        summary = screen.pane("summary")
        assert isinstance(summary, ItemList) and summary.highlighted == point


async def test_find_tells_two_key_points_with_the_same_words_apart(brief: Path) -> None:
    app = TermbriefApp([brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = brief_screen(app)
        summary = screen.pane("summary")
        assert isinstance(summary, ItemList)
        screen.find.query_changed("A cited point")
        screen.find.submitted()
        await pilot.pause()
        assert len(screen.find.matches) == 2
        assert summary.highlighted == SECOND_POINT
        screen.find.step(1)
        await pilot.pause()
        assert summary.highlighted == THIRD_POINT


def test_the_badge_segment_names_its_point() -> None:
    from termbrief.core.loader import load_brief

    additions = load_brief(Path(__file__).parent / "data" / "format" / "additions.yaml")
    [match] = [
        m for m in find_in_brief(additions, "confidence:high") if m.segment.pane == "summary"
    ]
    assert (match.segment.anchor, match.segment.item) == ("key_points", "key_points/2")
