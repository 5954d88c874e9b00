"""Base of the detail dialogs (figure, actor): a titled, scrollable frame that Escape closes."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen

from termbrief.ui.panes.pane import Jump
from termbrief.ui.render.markdown import literal
from termbrief.ui.render.safe import one_line
from termbrief.ui.widgets.paged_scroll import PagedScroll


class DetailBody(PagedScroll):
    """The scrollable part of a detail dialog: the reading keys of the lists (``j``/``k``,
    pages, half pages, ``g``/``G``)."""

    BINDING_GROUP_TITLE = "Detail"


class DetailScreen(ModalScreen[Jump | None]):
    """A dialog titled ``heading``; subclasses yield its contents from :meth:`compose_body`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="detail.close"),
    ]
    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > #detail-frame {
        width: 90%; max-width: 110; height: 90%;
        border: round $accent; border-title-style: bold; border-title-color: $text-accent;
        background: $surface; padding: 0 1;
    }
    DetailScreen DetailBody { height: 1fr; }
    DetailScreen .detail-label { color: $text-muted; }
    """

    def __init__(self, heading: str) -> None:
        super().__init__()
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-frame") as frame:
            frame.border_title = Content(one_line(self.heading))
            frame.border_subtitle = Content("Esc closes")
            yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        """The dialog's contents."""
        yield from ()

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)


def facts_table(rows: list[tuple[str, str | None]]) -> Table:
    """A two-column table of the non-empty ``(label, value)`` pairs, every cell literal."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for label, value in rows:
        if value:
            table.add_row(Text(label, style=Style(dim=True)), literal(value))
    return table
