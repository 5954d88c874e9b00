"""A yes/no question in a small modal dialog, e.g. "Discard this note?"."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from termbrief.ui.render.safe import content, one_line


class ConfirmScreen(ModalScreen[bool]):
    """Ask a question; dismisses with True for yes, False for no (Escape means no).

    The "no" button has the focus at first, so a stray Enter never destroys anything.
    """

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > #confirm-dialog {
        width: auto;
        min-width: 40;
        max-width: 80%;
        height: auto;
        padding: 1 2;
        border: thick $warning 70%;
        background: $surface;
    }
    ConfirmScreen #confirm-question {
        width: auto;
        max-width: 76;
        margin-bottom: 1;
    }
    ConfirmScreen #confirm-buttons {
        width: auto;
        height: auto;
    }
    ConfirmScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
        Binding("left,right", "app.focus_next", "Other button", show=False, id="confirm.switch"),
    ]

    def __init__(self, question: str, yes_label: str = "Yes", no_label: str = "No") -> None:
        """Build the dialog; ``question`` and the labels are shown literally (never markup) and
        cleaned (:mod:`termbrief.ui.render.safe`), so a caller may quote a brief in them."""
        super().__init__()
        self.question = question
        self.yes_label = yes_label
        self.no_label = no_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(content(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yes, no = one_line(self.yes_label), one_line(self.no_label)
                yield Button(Content(f"{yes} (y)"), variant="error", id="confirm-yes")
                yield Button(Content(f"{no} (n)"), variant="primary", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.dismiss(yes)
