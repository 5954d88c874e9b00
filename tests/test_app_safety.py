"""Content safety: brief text never acts as markup, never reaches the terminal as escapes, and
links open only after the reader confirms the address."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.content import Content

from termbrief.ui.app import TermbriefApp
from termbrief.ui.render import safe
from termbrief.ui.screens.actor_detail import ActorDetailScreen
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.confirm import ConfirmScreen
from termbrief.ui.screens.figure_detail import FigureDetailScreen
from termbrief.ui.screens.links import ConfirmLinkScreen, LinkPickerScreen
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.widgets.item_list import ItemList
from ui_fixtures import ALPHA, HOSTILE, NARROW, WIDE, screen_text, user_dirs

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")

LITERALS = [
    "[@click=app.quit]Quit me[/] x[/] [b]a[/i]",  # title
    "[@click=app.quit]label[/]",  # figure label
    "[@click=app.quit]Name[/]",  # actor name
    "[b]Heading[/i]",  # commentary heading
]


# --- safe.py ------------------------------------------------------------------------------


def test_clean_replaces_every_control_character_but_tab_and_newline() -> None:
    hostile = "a\x1b]0;title\x07b\x9b31mc\x00d\x7fe\rf\tg\nh"
    cleaned = safe.clean(hostile)
    assert cleaned == "a\ufffd]0;title\ufffdb\ufffd31mc\ufffdd\ufffde\ufffdf\tg\nh"
    assert not any(ord(c) < 32 and c not in "\t\n" for c in cleaned)
    assert not any(0x7F <= ord(c) <= 0x9F for c in cleaned)


def test_one_line_folds_line_breaks() -> None:
    assert safe.one_line("  two\n   lines \n") == "two lines"
    assert safe.one_line("esc\x1b") == "esc\ufffd"


def test_content_and_text_are_literal() -> None:
    markup = "[@click=app.quit]x[/] [b]a[/i]"
    assert safe.content(markup).plain == markup
    assert safe.content(markup, "bold").plain == markup
    assert isinstance(safe.rich_text(markup), Text) and safe.rich_text(markup).plain == markup
    title = safe.title("[b]t[/b]\nnext")
    assert isinstance(title, Content) and title.plain == "[b]t[/b] next"
    assert not safe.content("\x1b[31mred").plain.startswith("\x1b")


# --- the hostile brief in the app ---------------------------------------------------------


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_hostile_brief_shows_literally_in_every_pane(size: tuple[int, int]) -> None:
    app = TermbriefApp([HOSTILE])
    async with app.run_test(size=(160, 50) if size == WIDE else size) as pilot:
        await pilot.pause()
        seen = screen_text(app)
        for key in "123456":
            await pilot.press(key)
            await pilot.pause()
            seen += screen_text(app)
        assert app.is_running
        assert "[@click=app.quit]Quit me[/]" in seen
        for literal in ("[@click=app.quit]key point[/]", "[link=http://evil.example]s[/link]"):
            assert literal in seen
        assert "x[/]" in seen


async def test_hostile_details_and_clicks_do_nothing_but_show() -> None:
    app = TermbriefApp([HOSTILE])
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        # Click all over the header and each grid pane: no click may run an action from the
        # brief. (A real Markdown link opens the confirmation dialog: closed again at once.)
        regions = [
            app.screen.query_one(selector).region
            for selector in ("#brief-header", "#summary-list", "#figures-table", "#commentary-list")
        ]
        dialogs = 0
        for region in regions:
            for y in range(region.y, region.y + min(region.height, 8)):
                for x in range(region.x + 2, region.x + min(region.width, 60), 5):
                    await pilot.click(offset=(x, y))
                    if len(app.screen_stack) > 1:
                        assert isinstance(app.screen, ConfirmLinkScreen)
                        dialogs += 1
                        app.pop_screen()
                        await pilot.pause()
        assert app.is_running
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FigureDetailScreen)
        text = screen_text(app)
        assert "[@click=app.quit]label[/]" in text and "[b]src[/i]" in text
        await pilot.click("#figure-text", offset=(3, 0))
        await pilot.press("escape", "3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActorDetailScreen)
        assert "[@click=app.quit]Name[/]" in screen_text(app)
        await pilot.press("escape")
        assert app.is_running


async def test_hostile_entries_in_the_library(tmp_path: object) -> None:
    app = TermbriefApp([HOSTILE.parent, ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "[@click=app.quit]Quit me[/]" in screen_text(app)
        assert app.is_running


# --- links ----------------------------------------------------------------------------------


async def test_enter_on_a_paragraph_with_a_link_asks_before_opening(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    app = TermbriefApp([ALPHA])
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "j", "enter")  # the second paragraph holds the link
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLinkScreen)
        assert "https://example.org/notice" in screen_text(app)
        assert opened == []
        await pilot.press("n")
        await pilot.pause()
        assert opened == [] and isinstance(app.screen, BriefScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert opened == ["https://example.org/notice"]


async def test_clicking_a_link_asks_too(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    app = TermbriefApp([ALPHA])
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        summary = app.screen.query_one("#summary-list", ItemList)
        # Find the screen cell of the link text "authority's notice" and click it.
        text = screen_text(app).splitlines()
        row = next(i for i, line in enumerate(text) if "notice" in line)
        column = text[row].index("notice")
        await pilot.click(offset=(column, row))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLinkScreen), app.screen
        assert opened == []
        await pilot.click("#link-open")
        await pilot.pause()
        assert opened == ["https://example.org/notice"]
        assert summary.is_attached


async def test_unsafe_link_schemes_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    app = TermbriefApp([HOSTILE])
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        # markdown-it makes no link of `javascript:`; the https one is offered, its address
        # percent-encoded.
        await pilot.press("1", "j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLinkScreen)
        assert "https://example.org/%5Bb%5Dx%5B/b%5D" in screen_text(
            app
        )  # normalised by markdown-it
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("6", "o")  # the source's url is javascript:alert(1)
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert opened == []
        app.action_confirm_link("file:///etc/passwd")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen) and opened == []


# --- bidirectional and zero-width characters (issue 15, item 17) --------------------------

RLO = "\u202e"
SPOOFED_URL = f"https://evil.example/{RLO}moc.knab-doog"
"""Shown raw, the override turns the tail around: the address reads like a good bank's."""
SHOWN_URL = "https://evil.example/⟨U+202E⟩moc.knab-doog"

SPOOFING_BRIEF = f"""\
title: "Links that lie{RLO}"
summary: |
  Pay at [your bank]({SPOOFED_URL}) today.

  Two links: [one]({SPOOFED_URL}) and [two](https://example.org/ok\u200b).
sources:
  - title: "The bank"
    url: "{SPOOFED_URL}"
"""


@pytest.fixture
def spoofing_brief(tmp_path: Path) -> Path:
    path = tmp_path / "spoof.yaml"
    path.write_text(SPOOFING_BRIEF, encoding="utf-8")
    return path


@pytest.mark.parametrize("keys", [("6", "o"), ("1", "enter")], ids=["source", "markdown"])
async def test_a_right_to_left_override_in_an_address_shows_in_the_confirm_dialog(
    spoofing_brief: Path, keys: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    app = TermbriefApp([spoofing_brief])
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert RLO not in screen_text(app)  # nor in the title or the sources pane
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLinkScreen)
        text = screen_text(app)
        assert SHOWN_URL in text
        assert RLO not in text
        assert "characters that do not print" in text
        await pilot.press("y")
        await pilot.pause()
    # What opens is what the brief wrote (the reader saw every character of it).
    assert opened == [SPOOFED_URL]


async def test_the_link_picker_shows_hidden_characters_too(spoofing_brief: Path) -> None:
    app = TermbriefApp([spoofing_brief])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "j", "enter")  # the paragraph with two links
        await pilot.pause()
        assert isinstance(app.screen, LinkPickerScreen)
        text = screen_text(app)
        assert SHOWN_URL in text
        assert "https://example.org/ok⟨U+200B⟩" in text
        assert RLO not in text and "\u200b" not in text


async def test_a_plain_address_gets_no_warning() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("1", "j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLinkScreen)
        assert "characters that do not print" not in screen_text(app)


async def test_the_note_editor_shows_what_a_note_is_on_safely() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.push_screen(NoteEditor(f"Figure: bank{RLO}knab", f"quote{RLO}d", save=lambda _: None))
        await pilot.pause()
        text = screen_text(app)
        assert "On: Figure: bank⟨U+202E⟩knab" in text and "“quote⟨U+202E⟩d”" in text
        assert RLO not in text


async def test_a_question_quoting_a_brief_is_shown_safely() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.push_screen(ConfirmScreen(f"Delete the note on bank{RLO}knab?", f"Yes{RLO}", "[b]No"))
        await pilot.pause()
        text = screen_text(app)
        assert "Delete the note on bank⟨U+202E⟩knab?" in text
        assert "Yes⟨U+202E⟩ (y)" in text and "[b]No (n)" in text
        assert RLO not in text
