"""Dialogs that stand between a link in a brief and the browser.

A brief is untrusted: its link text may say one thing and point elsewhere. Nothing opens until the
reader has seen the full address in :class:`ConfirmLinkScreen` and said yes; an item with several
links first lists them all (:class:`LinkPickerScreen`). Both show addresses with every character
that does not print written as ``⟨U+202E⟩`` (:func:`termbrief.core.text.reveal`): a right-to-left
override or a zero-width space cannot make one address look like another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from termbrief.ui.render.safe import address, reveal


class ConfirmLinkScreen(ModalScreen[bool]):
    """Shows an address; dismisses with True only when the reader chooses to open it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "open", "Open link", id="link.open"),
        Binding("escape,n", "cancel", "Cancel", id="link.cancel"),
    ]
    DEFAULT_CSS = """
    ConfirmLinkScreen { align: center middle; }
    ConfirmLinkScreen > Vertical {
        width: 80%; max-width: 100; height: auto;
        border: round $warning; background: $surface; padding: 1 2;
    }
    ConfirmLinkScreen #link-url { color: $text-warning; text-style: bold; margin: 1 0; }
    ConfirmLinkScreen #link-hidden { color: $text-error; text-style: bold; margin-bottom: 1; }
    ConfirmLinkScreen Horizontal { height: auto; align-horizontal: right; }
    ConfirmLinkScreen Button { margin-left: 2; }
    """

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Open this address in your browser?", markup=False)
            yield Static(address(self.url), id="link-url")
            if reveal(self.url) != self.url:
                yield Static(
                    "This address holds characters that do not print, shown as ⟨U+…⟩: "
                    "it may not be what it looks like.",
                    markup=False,
                    id="link-hidden",
                )
            yield Static(
                "Check it before opening: a brief's link text need not match its address.",
                markup=False,
            )
            with Horizontal():
                yield Button("Cancel", id="link-cancel")
                yield Button("Open", variant="warning", id="link-open")

    def on_mount(self) -> None:
        self.query_one("#link-cancel", Button).focus()

    @on(Button.Pressed, "#link-open")
    def action_open(self) -> None:
        """Open the link."""
        self.dismiss(True)

    @on(Button.Pressed, "#link-cancel")
    def action_cancel(self) -> None:
        """Close without opening."""
        self.dismiss(False)


class LinkPickerScreen(ModalScreen[str | None]):
    """Lists the addresses of an item's links; dismisses with the chosen one, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="detail.close"),
    ]
    DEFAULT_CSS = """
    LinkPickerScreen { align: center middle; }
    LinkPickerScreen > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 1 2;
    }
    """

    def __init__(self, urls: Sequence[str]) -> None:
        super().__init__()
        self.urls = list(dict.fromkeys(urls))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Links in this item (Enter to choose, Escape to close):", markup=False)
            yield OptionList(*(Option(address(url)) for url in self.urls), markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.urls[event.option_index])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
