"""The help screen is generated from the live bindings, follows the keymap and closes cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from termbrief.ui.screens.help import HelpGroup, HelpScreen, collect_help, render_groups


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("TERMBRIEF_CONFIG_DIR", str(tmp_path / "config" / "termbrief"))


class Pane(Static, can_focus=True):
    BINDING_GROUP_TITLE = "Figures"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open the [b]figure[/b]", id="figures.open"),
    ]

    def action_open(self) -> None:
        pass


class Other(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "noop", "Only when focused", id="other.x"),
        Binding("y", "noop", "No id: not listed when inactive"),
    ]

    def action_noop(self) -> None:
        pass


class HostApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("1", "focus_pane", "Summary pane", id="pane.summary"),
    ]

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self._start_keymap = keymap or {}

    def compose(self) -> ComposeResult:
        yield Pane("pane", id="pane")
        yield Other("other", id="other")

    def on_mount(self) -> None:
        self.set_keymap(self._start_keymap)
        self.query_one("#pane").focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_focus_pane(self) -> None:
        pass


def group(groups: list[HelpGroup], title: str) -> HelpGroup:
    return next(g for g in groups if g.title == title)


def plain(groups: list[HelpGroup]) -> str:
    console = Console(width=100, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    for table in render_groups(groups):
        console.print(table)
    return console.export_text()


async def test_help_lists_active_then_inactive_bindings_with_ids() -> None:
    app = HostApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        groups = collect_help(app.screen)
        titles = [g.title for g in groups]
        assert titles.index("Figures") < titles.index("Everywhere")
        figures = group(groups, "Figures")
        assert figures.active
        assert figures.rows[0].keys == ("⏎",)  # App.get_key_display of enter
        assert figures.rows[0].binding_id == "figures.open"
        everywhere = group(groups, "Everywhere")
        summary = next(r for r in everywhere.rows if r.binding_id == "pane.summary")
        assert summary.keys == ("1",)
        other = group(groups, "Other (when focused)")
        assert not other.active
        assert [r.binding_id for r in other.rows] == ["other.x"]
        text = plain(groups)
        # Descriptions are shown literally, never as markup.
        assert "Open the [b]figure[/b]" in text
        assert "figures.open" in text


async def test_remapped_keys_show_their_new_keys() -> None:
    app = HostApp(keymap={"pane.summary": "f1,s", "figures.open": "o", "other.x": "w"})
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        groups = collect_help(app.screen)
        everywhere = group(groups, "Everywhere")
        summary = next(r for r in everywhere.rows if r.binding_id == "pane.summary")
        assert summary.keys == ("f1", "s")
        assert group(groups, "Figures").rows[0].keys == ("o",)
        assert group(groups, "Other (when focused)").rows[0].keys == ("w",)


@pytest.mark.parametrize("key", ["escape", "q", "question_mark"])
async def test_help_opens_over_the_screen_and_closes(key: str) -> None:
    app = HostApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        statics = app.screen.query(".help-group")
        # One Static per group: Figures, Screen (tab, shift+tab), Everywhere, Other (when focused).
        assert len(statics) == 4
        footer = str(app.screen.query_one("#help-footer", Static).render())
        assert "esc/q/?" in footer and "[keymap]" in footer
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.focused is app.query_one("#pane")


async def test_help_scrolls_on_a_small_terminal() -> None:
    class ManyBindings(Static, can_focus=True):
        BINDINGS: ClassVar[list[BindingType]] = [
            Binding(f"ctrl+{c}", "noop", f"Action {c}", id=f"many.{c}") for c in "abcdefghijklmno"
        ]

        def action_noop(self) -> None:
            pass

    class Big(HostApp):
        def compose(self) -> ComposeResult:
            yield ManyBindings("m", id="pane")

    app = Big()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        body = app.screen.query_one("#help-body")
        assert body.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert body.scroll_y > 0


async def test_real_app_help_follows_the_user_keymap_from_config() -> None:
    from termbrief.core import locations
    from termbrief.core.library import sample_library_path
    from termbrief.ui.app import TermbriefApp

    config = locations.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keymap]\n"pane.figures" = "f2"\n', encoding="utf-8")
    app = TermbriefApp([sample_library_path()], show_library=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert app.focused is not None
        assert app.query_one("#figures-table") in app.focused.ancestors_with_self
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = [row for g in collect_help(app.screen_stack[0]) for row in g.rows]
        figures = next(row for row in rows if row.binding_id == "pane.figures")
        assert figures.keys == ("f2",)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
