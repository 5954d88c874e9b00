"""Links you can see and copy, items copied as Markdown, a browser that may be missing (issue 11).

What the app copies is read back two ways: ``App.clipboard`` (Textual's own copy) and the OSC 52
sequence the driver writes to the terminal, which is what reaches the system clipboard (over SSH
and tmux too).
"""

from __future__ import annotations

import base64
import re
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App
from textual.content import Content
from textual.drivers.headless_driver import HeadlessDriver

from notices import record_notifications
from termbrief.ui.app import TermbriefApp
from termbrief.ui.panes.pane import ListPane
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.links import ConfirmLinkScreen, LinkPickerScreen
from ui_fixtures import ALPHA, WIDE, brief_screen, screen_text, user_dirs

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")

NOTICE = "https://example.org/notice"
RLO = "\u202e"
TWO_LINKS = f"""\
title: Two links
summary: |
  Read [one](https://one.example/a) and [two](https://two.example/{RLO}b).
"""


@pytest.fixture
def terminal_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Everything the app writes to its (headless) terminal."""
    written: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: written.append(data))
    yield written


def osc52(written: list[str]) -> list[str]:
    """The texts sent to the terminal's clipboard (OSC 52), decoded."""
    found = re.findall(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", "".join(written))
    return [base64.b64decode(payload).decode("utf-8") for payload in found]


def subtitle(app: App[None], section: str) -> str:
    pane = brief_screen(app).pane(section)
    assert isinstance(pane, ListPane)
    # Textual gives a border title back as markup.
    return Content.from_markup(pane.border_subtitle or "").plain


# -- the link under the cursor shows ---------------------------------------------------------


async def test_the_address_of_the_link_under_the_cursor_shows_in_the_pane_frame() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert subtitle(app, "summary") == ""  # the first paragraph has no link
        assert NOTICE not in screen_text(app)
        await pilot.press("j")  # the second one links to the notice
        await pilot.pause()
        assert subtitle(app, "summary") == f"↗ {NOTICE} · ⏎ open · Y copy "
        assert NOTICE in screen_text(app)
        await pilot.press("4")  # the keyboard leaves: the address goes with it
        await pilot.pause()
        assert subtitle(app, "summary") == ""
        await pilot.press("6")  # a source's address
        await pilot.pause()
        assert subtitle(app, "sources").startswith("↗ https://example.org/press")
        # Its own key opens a source's link (Enter opens its detail): named per pane.
        assert subtitle(app, "sources").endswith(" · o open · Y copy ")


async def test_hidden_characters_in_the_address_show(tmp_path: Path) -> None:
    brief = tmp_path / "two.yaml"
    brief.write_text(TWO_LINKS, encoding="utf-8")
    app = TermbriefApp([brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert subtitle(app, "summary").startswith("↗ https://one.example/a +1 more")
        assert RLO not in screen_text(app)


# -- copying -----------------------------------------------------------------------------------


async def test_Y_copies_the_address_to_the_terminal_clipboard(terminal_writes: list[str]) -> None:
    app = TermbriefApp([ALPHA])
    said = record_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "Y")
        await pilot.pause()
        assert app.clipboard == ""  # the first paragraph has no link: nothing copied
        assert said == ["The item under the cursor has no link."]
        await pilot.press("j", "Y")
        await pilot.pause()
        assert app.clipboard == NOTICE
        assert osc52(terminal_writes) == [NOTICE]
        assert said[-1] == f"Copied {NOTICE}"


async def test_several_links_are_picked_before_copying(tmp_path: Path) -> None:
    brief = tmp_path / "two.yaml"
    brief.write_text(TWO_LINKS, encoding="utf-8")
    app = TermbriefApp([brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "Y")
        await pilot.pause()
        assert isinstance(app.screen, LinkPickerScreen)
        assert "Copy which address?" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert app.clipboard == f"https://two.example/{RLO}b"  # as written, to be checked


async def test_c_in_the_link_dialogs_copies_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    app = TermbriefApp([ALPHA])
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLinkScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert app.clipboard == NOTICE and opened == []
    brief = tmp_path / "two.yaml"
    brief.write_text(TWO_LINKS, encoding="utf-8")
    app = TermbriefApp([brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LinkPickerScreen)
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "https://one.example/a"


async def test_y_copies_the_focused_item_as_markdown(terminal_writes: list[str]) -> None:
    app = TermbriefApp([ALPHA])
    said = record_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "j", "y")
        await pilot.pause()
        paragraph = (
            "*Harbour authority expands night inspections* (2024-05-02) · Summary\n\n"
            "Unions welcomed the staff increase but asked for details; see the\n"
            f"[authority's notice]({NOTICE}) for the schedule.\n"
        )
        assert app.clipboard == paragraph
        assert said == ["Copied this summary as Markdown."]
        await pilot.press("5", "j", "y")
        await pilot.pause()
        event = (
            "*Harbour authority expands night inspections* (2024-05-02) · Timeline\n\n"
            "**2024-05-02** — The night inspection plan is announced.\n"
        )
        assert app.clipboard == event
        await pilot.press("3", "G", "y")  # a table row
        await pilot.pause()
        assert "**Dock Workers Union** (group)" in app.clipboard
    assert osc52(terminal_writes)[:2] == [paragraph, event]


async def test_a_sorted_table_copies_the_row_under_the_cursor() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("2", "s", "g")  # sorted by label: the budget comes first
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "**Budget for the pilot:** up to 2,000,000 euros" in app.clipboard


# -- opening -----------------------------------------------------------------------------------


async def test_without_a_browser_opening_says_so_with_the_address_and_the_copy_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(App, "open_url", lambda self, url, **_: opened.append(url))

    def no_browser(using: str | None = None) -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    app = TermbriefApp([ALPHA])
    said = record_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "j", "enter")
        await pilot.pause()
        await pilot.press("y")  # open it
        await pilot.pause()
        assert opened == []
        assert said == [
            f"No web browser found to open {NOTICE}. Press Y on the item, or c in the link "
            "dialog, to copy the address."
        ]


async def test_with_a_browser_the_address_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(App, "open_url", lambda self, url, **_: opened.append(url))
    monkeypatch.setattr(webbrowser, "get", lambda using=None: webbrowser.BackgroundBrowser("x"))
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "j", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert opened == [NOTICE]
