"""The footer: one widget drawing the keys of the focused widget, as Textual's footer does."""

from __future__ import annotations

from typing import ClassVar

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.help import HelpScreen
from termbrief.ui.widgets.footer import KeyFooter
from ui_fixtures import ALPHA, WIDE, brief_screen


def footer_text(app: TermbriefApp) -> str:
    return brief_screen(app).query_one(KeyFooter).render().plain


def column_of(app: TermbriefApp, shown: str) -> int:
    """The column of ``shown`` (a key with its padding, e.g. " ? ") on the footer."""
    column = footer_text(app).index(shown)
    return column + len(shown) // 2


async def test_the_footer_shows_the_keys_groups_and_the_palette_on_one_line() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        text = footer_text(app)
        assert text.startswith(" / Find  nN Notes  z Maximise ")
        assert text.rstrip().endswith("▏^p Palette") and len(text) == WIDE[0]
        assert len(brief_screen(app).query(KeyFooter).first().children) == 0  # one widget
        await pilot.press("slash", *"harbour", "enter")
        await pilot.pause()
        assert "nN Next match" not in footer_text(app)  # n / N step matches: their own keys
        assert "Next match" in footer_text(app)


async def test_a_press_on_a_key_presses_it() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        footer = brief_screen(app).query_one(KeyFooter)
        await pilot.click(footer, offset=(column_of(app, " ? "), 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


class GreyedApp(App[None]):
    """One key shown but disabled (check_action None), one enabled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "greyed", "Greyed"),
        Binding("y", "count", "Counted"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counted = 0

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "greyed" else True

    def action_count(self) -> None:
        self.counted += 1


async def test_a_press_on_a_disabled_key_rings_the_bell(monkeypatch: pytest.MonkeyPatch) -> None:
    rings: list[bool] = []
    app = GreyedApp()
    monkeypatch.setattr(app, "bell", lambda: rings.append(True))
    async with app.run_test(size=(60, 3)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        text = footer.render().plain
        greyed = next(p for p in footer.pieces[0] if p.text == " x ")
        start = text.index(" x ")
        dimmed = [span for span in footer.render().spans if span.start <= start < span.end]
        assert not greyed.enabled and any(Style.parse(str(span.style)).dim for span in dimmed)
        await pilot.click(footer, offset=(text.index(" x ") + 1, 0))
        await pilot.pause()
        assert rings == [True] and app.counted == 0
        await pilot.click(footer, offset=(text.index("Counted"), 0))  # its description too
        await pilot.pause()
        assert rings == [True] and app.counted == 1


async def test_the_pointer_over_a_key_shows_its_tooltip() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        footer = brief_screen(app).query_one(KeyFooter)
        await pilot.hover(footer, offset=(footer_text(app).index("nN"), 0))
        await pilot.pause()
        binding = next(
            binding
            for _node, binding, _enabled, _tip in brief_screen(app).active_bindings.values()
            if binding.key == "n"
        )
        assert footer.tooltip == (binding.tooltip or binding.description)
        await pilot.hover(footer, offset=(WIDE[0] // 2, 0))  # the empty middle: no key
        await pilot.pause()
        assert footer.tooltip is None
