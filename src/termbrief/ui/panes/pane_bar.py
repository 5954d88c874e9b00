"""PaneBar: one line naming every pane with its number key; the active one stands out.

A single ``Static`` instead of Textual's ``Tabs`` (which mounts a widget per tab plus an
underline): the bar is on every first frame, so it should cost one widget. Clicking a name
runs ``screen.show_pane``, as the number key does.
"""

from __future__ import annotations

from textual.content import Content, Span
from textual.reactive import reactive
from textual.style import Style
from textual.widgets import Static

from termbrief.core.sections import PANES


def bar_content(active: str) -> Content:
    """The bar's text with ``active`` highlighted and every name clickable."""
    parts: list[Content] = []
    for pane in PANES:
        label = f" {pane.number} {pane.title} "
        style = "bold $text-accent on $boost" if pane.key == active else "$text-muted"
        click = Style.from_meta({"@click": f"screen.show_pane('{pane.key}')"})
        parts.append(Content(label, spans=[Span(0, len(label), style), Span(0, len(label), click)]))
    return Content(" ").join(parts)


class PaneBar(Static):
    """The pane names and keys; ``active`` is the section of the active pane."""

    DEFAULT_CSS = """
    PaneBar {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    active: reactive[str] = reactive(PANES[0].key)

    def render(self) -> Content:
        return bar_content(self.active)
