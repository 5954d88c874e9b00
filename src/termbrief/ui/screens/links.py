"""Dialogs that stand between a link in a brief and the browser.

A brief is untrusted: its link text may say one thing and point elsewhere. Nothing opens until the
reader has seen the full address in :class:`ConfirmLinkScreen` and said yes; an item with several
links first lists them all (:class:`LinkPickerScreen`). Both show addresses with every character
that does not print written as ``⟨U+202E⟩`` (:func:`termbrief.core.text.reveal`): a right-to-left
override or a zero-width space cannot make one address look like another.

Both dialogs copy the address too (``c``), through the terminal's clipboard (``OSC 52``, which also
works over SSH and in tmux): the way out on a machine without a browser, where
:func:`open_in_browser` says so instead of doing nothing.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from termbrief.ui.messages import LinkRequested
from termbrief.ui.render.safe import address, reveal
from termbrief.ui.widgets.key_names import key_for

COPY_LINK_ID = "link.copy"
"""Id of the brief screen's binding that copies the address of the link under the cursor."""


SAFE_URL_SCHEMES = ("http://", "https://", "mailto:")
"""Addresses the app will offer to open; anything else (file:, javascript:...) is refused."""


def confirm_link(app: App[Any], url: str) -> None:
    """Show ``url`` and open it (``app.open_url``) only if the reader confirms; refuse any
    address that is not a web or mail address."""
    if not url.lower().startswith(SAFE_URL_SCHEMES):
        app.notify(
            f"Not opening {url!r}: only web and mail addresses are opened.",
            severity="warning",
            markup=False,
        )
        return

    def opened(confirmed: bool | None) -> None:
        if confirmed:
            app.open_url(url)

    app.push_screen(ConfirmLinkScreen(url), opened)


def open_links(screen: Screen[Any], links: Sequence[str]) -> None:
    """Ask the app to open an item's link (:class:`LinkRequested`: it confirms with the reader
    first); with several, let the reader pick one first."""
    urls = list(dict.fromkeys(links))
    if len(urls) == 1:
        screen.post_message(LinkRequested(urls[0]))
    elif urls:

        def picked(url: str | None) -> None:
            if url:
                screen.post_message(LinkRequested(url))

        screen.app.push_screen(LinkPickerScreen(urls), picked)


def copy_address(app: App[Any], url: str) -> None:
    """Put ``url`` on the clipboard (Textual's, which tells the terminal: OSC 52) and say so."""
    app.copy_to_clipboard(url)
    app.notify(f"Copied {reveal(url)}", title="Clipboard", markup=False)


def open_in_browser(app: App[Any], url: str, open_url: Callable[[], object]) -> bool:
    """Open ``url`` with ``open_url`` (the app's own opener) if Python finds a web browser;
    without one, say so, with the address and the key that copies it. Returns whether a browser
    was found.

    A browser that runs in the terminal (lynx, w3m: Python's ``GenericBrowser``) gets the
    terminal to itself, as an editor does.
    """
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        key = key_for(app.screen, COPY_LINK_ID, "Y")
        app.notify(
            f"No web browser found to open {reveal(url)}. Press {key} on the item, or c in the "
            "link dialog, to copy the address.",
            title="Link",
            severity="warning",
            timeout=12,
            markup=False,
        )
        return False
    if type(browser) is webbrowser.GenericBrowser:
        try:
            with app.suspend():
                browser.open(url)
            return True
        except SuspendNotSupported:
            pass
    open_url()
    return True


class ConfirmLinkScreen(ModalScreen[bool]):
    """Shows an address; dismisses with True only when the reader chooses to open it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "open", "Open link", id="link.open"),
        Binding("escape,n", "cancel", "Cancel", id="link.cancel"),
        Binding("c", "copy", "Copy address", id="link.copy_address"),
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

    def action_copy(self) -> None:
        """Copy the address instead of opening it, and close."""
        copy_address(self.app, self.url)
        self.dismiss(False)


class LinkPickerScreen(ModalScreen[str | None]):
    """Lists the addresses of an item's links; dismisses with the chosen one, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="detail.close"),
        Binding("c", "copy", "Copy address", id="link.copy_address"),
    ]
    DEFAULT_CSS = """
    LinkPickerScreen { align: center middle; }
    LinkPickerScreen > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 1 2;
    }
    """

    OPEN_PROMPT: ClassVar[str] = "Links in this item (Enter to choose, c to copy, Escape to close):"
    COPY_PROMPT: ClassVar[str] = "Copy which address? (Enter copies, Escape closes)"

    def __init__(self, urls: Sequence[str], *, prompt: str | None = None) -> None:
        """List ``urls`` under ``prompt`` (default :attr:`OPEN_PROMPT`)."""
        super().__init__()
        self.urls = list(dict.fromkeys(urls))
        self.prompt = prompt or self.OPEN_PROMPT

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.prompt, markup=False)
            yield OptionList(*(Option(address(url)) for url in self.urls), markup=False)

    def action_copy(self) -> None:
        """Copy the highlighted address and close."""
        index = self.query_one(OptionList).highlighted
        if index is not None:
            copy_address(self.app, self.urls[index])
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.urls[event.option_index])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
