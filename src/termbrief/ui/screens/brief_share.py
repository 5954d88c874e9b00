"""Handing the brief screen's focused item to other tools: the editor, the clipboard, a browser.

:class:`ShareActions` is a plain object the brief screen holds. Its keys:

- open the brief in the user's editor (``$VISUAL``, else ``$EDITOR``) at the line of the item
  under the cursor, the app suspended meanwhile; live reload shows the saved file;
- copy the item under the cursor as Markdown, its brief and section named on a first line;
- copy the address of the item's link (several links: a picker);
- show every problem of a file live reload could not load (the banner lists those that fit).

While the keyboard is in a list pane, the address of the link in the item under the cursor shows
at the bottom of the pane's frame, with the keys that open and copy it: link text in a brief
need not say where it points, and the reader sees it before pressing anything.

Everything copied goes through ``App.copy_to_clipboard`` (the terminal's clipboard, OSC 52,
which works over SSH and in tmux).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

import msgspec
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from termbrief.core.library import Entry, listing_problem
from termbrief.core.sections import section
from termbrief.ui.panes.pane import ListPane, Pane, TablePane
from termbrief.ui.render.safe import reveal
from termbrief.ui.screens.brief_keys import COPY_LINK_ID
from termbrief.ui.screens.brief_view import BriefView
from termbrief.ui.widgets.key_names import key_for

if TYPE_CHECKING:
    from termbrief.core.item_source import ItemRef
    from termbrief.core.model import Brief
    from termbrief.ui.panes.reload_banner import ReloadBanner

_MAX_READ: Final = 5 * 1024 * 1024 + 1
"""Bytes read to find an item's line: a brief's size limit (a larger file has no brief)."""


class ShareView(BriefView, Protocol):
    """What the hand-over keys need from the screen they serve (the brief screen)."""

    def pane(self, section: str) -> Pane:
        """The pane showing ``section``."""
        ...

    @property
    def reload_banner(self) -> ReloadBanner:
        """Live reload's banner about the file on screen."""
        ...


class FocusedItem(msgspec.Struct, frozen=True):
    """The item under the cursor of the active pane."""

    brief: Brief
    """The brief on screen."""
    ref: ItemRef
    """Which item it is."""
    summary_lines: tuple[int, int] | None = None
    """For a block of the summary: its lines in ``brief.summary``."""
    links: tuple[str, ...] = ()
    """The addresses of the item's links, in order, each once."""


def _section(anchor: str) -> str:
    """The section of a pane item's anchor (the panes build them with :class:`Anchor`)."""
    from termbrief.core.anchors import Anchor

    return Anchor.parse(anchor).section


class ShareActions:
    """What the hand-over keys do on one brief screen, and the link line of the list panes."""

    def __init__(self, view: ShareView) -> None:
        """Keys for ``view`` (the brief screen), which is followed from now on for the link
        line."""
        self._view = view
        self._watched: set[int] = set()
        self._link_pane: ListPane | None = None
        self._keys: tuple[str, str] | None = None
        """The open and copy keys the link line names (looked up for the focused pane)."""
        assert isinstance(view, Screen)
        self._screen: Screen[None] = view
        view.watch(view, "focused", self._focus_moved, init=False)

    def run(self, name: str) -> None:
        """Do what the key ``name`` (a method below: ``edit``, ``copy_item``...) does."""
        if name in ("edit", "copy_item", "copy_link", "show_problems"):
            getattr(self, name)()

    # -- the item under the cursor ---------------------------------------------------------------

    def focused_item(self) -> FocusedItem | None:
        """The item under the cursor of the active pane (the whole section when the pane is
        empty); None without a valid brief on screen."""
        from termbrief.core.item_source import ItemRef

        entry = self._view.entry
        brief = entry.brief if entry is not None else None
        if brief is None:
            return None
        pane = self._view.pane(self._view.active)
        if isinstance(pane, TablePane):
            record = pane.current
            index = next((i for i, r in enumerate(pane.records) if r is record), None)
            return FocusedItem(brief, ItemRef(pane.SECTION, index))
        item, highlighted = pane.current, pane.highlighted
        if item is None or highlighted is None:
            return FocusedItem(brief, ItemRef(pane.SECTION))
        # Items of one section are in the brief's order (the summary pane: the summary's
        # blocks, then the key points): the item's place among its section's is its index.
        key = _section(item.anchor)
        before = pane.items[:highlighted]
        index = sum(1 for other in before if _section(other.anchor) == key)
        lines = None
        if key == "summary":
            from termbrief.ui.render.markdown import render_markdown

            blocks = render_markdown(brief.summary)
            lines = blocks[index].lines if index < len(blocks) else None
        return FocusedItem(brief, ItemRef(key, index), lines, tuple(dict.fromkeys(item.links)))

    # -- the keys --------------------------------------------------------------------------------

    def edit(self) -> None:
        """Open the file on screen in the user's editor at the focused item (an invalid file
        at its first problem); the app waits, suspended, until the editor exits."""
        from termbrief.ui.services.editor import EDITOR_VARIABLES, editor_command, run_editor

        app, entry = self._view.app, self._view.entry
        if entry is None:
            app.notify("No brief on screen to edit.", severity="warning", markup=False)
            return
        command = editor_command(entry.path, self._line(entry))
        if command is None:
            names = " or ".join(f"${name}" for name in EDITOR_VARIABLES)
            app.notify(
                f"Set {names} to the editor to open briefs in (for example EDITOR=nano).",
                title="Editor",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        problem = run_editor(app, command)
        if problem is not None:
            app.notify(problem, title="Editor", severity="warning", timeout=10, markup=False)

    def copy_item(self) -> None:
        """Copy the focused item as Markdown, under a line naming its brief and section."""
        from termbrief.core.item_source import item_markdown

        app = self._view.app
        focused = self.focused_item()
        if focused is None:
            app.notify("No brief on screen: nothing to copy.", severity="warning", markup=False)
            return
        app.copy_to_clipboard(item_markdown(focused.brief, focused.ref, focused.summary_lines))
        owner = section(focused.ref.section)
        what = owner.title if focused.ref.index is None else f"this {owner.noun}"
        app.notify(f"Copied {what} as Markdown.", title="Clipboard", markup=False)

    def copy_link(self) -> None:
        """Copy the address of the focused item's link; with several, let the reader pick."""
        from termbrief.ui.screens.links import LinkPickerScreen, copy_address

        app = self._view.app
        focused = self.focused_item()
        links = focused.links if focused is not None else ()
        if not links:
            app.notify("The item under the cursor has no link.", markup=False)
        elif len(links) == 1:
            copy_address(app, links[0])
        else:

            def picked(url: str | None) -> None:
                if url:
                    copy_address(app, url)

            app.push_screen(LinkPickerScreen(links, prompt=LinkPickerScreen.COPY_PROMPT), picked)

    def show_problems(self) -> None:
        """List every problem of the file on screen (the banner's, or an invalid file's)."""
        from termbrief.ui.screens.problems import ProblemsScreen

        app, entry = self._view.app, self._view.entry
        banner = self._view.reload_banner
        if banner.problems:
            app.push_screen(ProblemsScreen(banner.name_shown, banner.problems))
        elif entry is not None and entry.problems:
            app.push_screen(ProblemsScreen(entry.path.name, entry.problems))
        else:
            app.notify("The file on screen has no problems.", markup=False)

    # -- the link line ---------------------------------------------------------------------------

    def _focus_moved(self, focused: Widget | None) -> None:
        pane = focused if isinstance(focused, ListPane) else None
        if pane is not None and id(pane) not in self._watched:
            self._watched.add(id(pane))
            pane.watch(pane, "highlighted", lambda _index: self._show_link(pane), init=False)
        self._keys = None  # the keys the link line names: looked up again for this pane
        self._show_link(pane)

    def _show_link(self, pane: ListPane | None) -> None:
        """Show the link of ``pane``'s current item in its frame (and none in the pane that
        showed one before); a pane without the keyboard shows none."""
        previous, self._link_pane = self._link_pane, pane
        if previous is not None and previous is not pane:
            previous.border_subtitle = Content("")
        if pane is None:
            return
        item = pane.current if self._screen.focused is pane else None
        links = tuple(dict.fromkeys(item.links)) if item is not None else ()
        if not links:
            pane.border_subtitle = Content("")
            return
        if self._keys is None:  # once per focused pane, and only when an item has links
            self._keys = (
                # The sources pane opens a link with its own key (Enter opens the detail there).
                key_for(pane, "item.link", key_for(pane, "item.open", "⏎")),
                key_for(pane, COPY_LINK_ID, "Y"),
            )
        pane.border_subtitle = link_line(links, *self._keys)

    # -- internals -------------------------------------------------------------------------------

    def _line(self, entry: Entry) -> int | None:
        """The line to open ``entry``'s file at: the focused item's, or the first problem's."""
        if entry.brief is None:
            return entry.problems[0].line if entry.problems else None
        focused = self.focused_item()
        text = _read_brief(entry.path)
        if focused is None or text is None:
            return None
        from termbrief.core.item_source import item_line

        return item_line(text, focused.brief, focused.ref, focused.summary_lines)


def link_line(links: tuple[str, ...], open_key: str, copy_key: str) -> Content:
    """What a pane's frame says about the links of the item under the cursor (empty: none)."""
    if not links:
        return Content("")
    more = f" +{len(links) - 1} more" if len(links) > 1 else ""
    return Content.assemble(
        ("↗ ", "bold"), reveal(links[0]), more, f" · {open_key} open · {copy_key} copy "
    )


def _read_brief(path: Path) -> str | None:
    """The brief file's text as it is now (None when it is not a readable regular file)."""
    if listing_problem(path) is not None:  # never open a FIFO or a device
        return None
    try:
        with open(path, "rb") as file:
            data = file.read(_MAX_READ)
        return None if len(data) >= _MAX_READ else data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
