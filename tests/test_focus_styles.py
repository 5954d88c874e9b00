"""Focus moves restyle as little as possible, and the look still follows the focus.

ItemList and RecordTable skip Textual's restyle on focus (``watch_has_focus``) because none of
their styles depend on ``:focus``; pane frames follow the focus through a class the screen sets
instead of ``:focus-within``. These tests hold both premises.
"""

from __future__ import annotations

import pytest
from textual.widget import Widget

from termbrief.ui.app import TermbriefApp
from termbrief.ui.panes.pane import Pane
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.record_table import RecordTable
from ui_fixtures import ALPHA, WIDE, user_dirs

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")


def _restyled(app: TermbriefApp, widget: Widget) -> list[object]:
    """The styles ``widget`` (and its scrollbars) get from a full restyle right now.

    A pane is its body: its frame class (``-focus-within``, which the screen sets, see
    test_pane_frames_follow_the_focus) is held off here, so that only ``:focus`` could differ.
    """
    widget.set_class(False, "-focus-within", update=False)
    app.stylesheet.update_nodes(widget.walk_children(with_self=True), animate=False)
    rules: list[object] = [widget.styles.get_rules()]
    for name in sorted(widget.COMPONENT_CLASSES):
        rules.append((name, widget.get_component_styles(name).get_rules()))
    rules.append(widget.vertical_scrollbar.styles.get_rules())
    return rules


async def test_body_styles_do_not_depend_on_focus() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        bodies = list(app.screen.query("ItemList, RecordTable"))
        assert any(isinstance(body, ItemList) for body in bodies)
        assert any(isinstance(body, RecordTable) for body in bodies)
        for body in bodies:
            if not body.display or not body.focusable:
                continue
            body.focus()
            await pilot.pause()
            assert body.has_focus
            focused = _restyled(app, body)
            app.screen.set_focus(None)
            await pilot.pause()
            assert not body.has_focus
            assert _restyled(app, body) == focused, f"{body.id} has :focus styles"


async def test_pane_frames_follow_the_focus() -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        for key in ("2", "3", "4", "1", "5", "6", "1", "tab"):
            await pilot.press(key)
            await pilot.pause()
            focused = app.focused
            for pane in app.screen.query(".pane").results(Pane):
                holds = focused is not None and pane in focused.ancestors_with_self
                assert pane.has_class("-focus-within") == holds, (key, pane.id)
        app.screen.set_focus(None)
        await pilot.pause()
        assert not any(
            pane.has_class("-focus-within") for pane in app.screen.query(".pane").results(Pane)
        )
