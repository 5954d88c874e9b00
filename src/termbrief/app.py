"""The Textual app: loads the library, shows the brief screen, remembers the reader's choices.

Wiring only: screens and widgets live in ``screens/`` and ``widgets/``; files are read by
:mod:`termbrief.library`; what is remembered goes through :mod:`termbrief.settings`.

Start-up is kept close to a bare Textual app: one file is loaded directly; a folder of up to
``EAGER_LOAD_LIMIT`` briefs is loaded before the first frame (a few milliseconds each), a larger
one shows its first brief at once and loads the rest in a thread after the first frame.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from termbrief.library import Entry, find_brief_files, load_entry, sample_library_path, sort_entries
from termbrief.screens.brief import BriefScreen
from termbrief.screens.links import LinkRequested
from termbrief.settings import Settings, load_settings, save_state
from termbrief.widgets.library_list import LibraryList

EAGER_LOAD_LIMIT = 64
"""Libraries up to this many files load before the first frame; larger ones in a worker."""
NEWEST_SCAN_BYTES = 4096
"""How much of each file the start-up scan reads looking for a top-level ``date:``."""
_DATE_LINE = re.compile(
    rb"^date:[ \t]*[\"']?(\d{4}-\d{2}-\d{2})[\"']?[ \t]*(?:#.*)?$", re.MULTILINE
)
_BRIEF_GROUP = Binding.Group("Brief", compact=True)
SAFE_URL_SCHEMES = ("http://", "https://", "mailto:")
"""Addresses the app will offer to open; anything else (file:, javascript:...) is refused."""


def _provider(name: str) -> Callable[[], type[Provider]]:
    """A lazy command palette provider: ``termbrief.commands`` is imported when ctrl+p opens."""

    def load() -> type[Provider]:
        from termbrief import commands

        provider: type[Provider] = getattr(commands, name)
        return provider

    load.__name__ = name
    return load


def _newest_entries(files: Sequence[Path], tries: int = 4) -> list[Entry]:
    """Load the brief the full library would list first, without loading the library.

    Reads the first few KB of each file for a top-level ``date:`` (a fraction of a full parse),
    then loads the newest candidates until one is valid. A wrong guess costs nothing but the
    choice of the first brief shown: the worker sorts the real library afterwards.
    """
    dated: dict[bytes, list[Path]] = {}
    for path in files:
        try:
            with path.open("rb") as handle:
                match = _DATE_LINE.search(handle.read(NEWEST_SCAN_BYTES))
        except OSError:
            continue
        if match:
            dated.setdefault(match.group(1), []).append(path)
    loaded: list[Entry] = []
    for date in sorted(dated, reverse=True)[:tries]:
        loaded += [load_entry(path) for path in dated[date]]
        if any(entry.ok for entry in loaded):
            return sort_entries(loaded)
    return sort_entries(loaded) if loaded else [load_entry(files[0])]


class LibraryLoaded(Message):
    """The background load of a large library finished."""

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries


class TermbriefApp(App[None]):
    """termbrief's reader: briefs in panes, driven from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "termbrief"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = App.COMMANDS | {
        _provider(name) for name in ("BriefCommands", "PaneCommands", "ItemCommands")
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "toggle_library", "Library", id="app.library"),
        Binding(
            "left_square_bracket",
            "step_brief(-1)",
            "Previous brief",
            id="brief.previous",
            group=_BRIEF_GROUP,
        ),
        Binding(
            "right_square_bracket",
            "step_brief(1)",
            "Next brief",
            id="brief.next",
            group=_BRIEF_GROUP,
        ),
        # Hidden from the key list: the footer already shows the palette key on its right.
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            id="app.command_palette",
            priority=True,
        ),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    show_library: reactive[bool | None] = reactive[bool | None](None, init=False)
    """Whether the library sidebar is shown; None until the screen decides from its width."""

    def __init__(
        self,
        paths: Sequence[Path] = (),
        *,
        theme: str | None = None,
        data_dir: Path | None = None,
        show_library: bool | None = None,
    ) -> None:
        """Open ``paths`` (files or folders; none: the bundled sample library).

        Args:
            paths: Brief files and folders of briefs.
            theme: A Textual theme name; overrides the remembered one for this run.
            data_dir: Where user data (notes) lives; default from :mod:`termbrief.locations`.
            show_library: Show (True) or hide (False) the library sidebar at start.
        """
        super().__init__()
        self.paths = [Path(path) for path in paths] or [sample_library_path()]
        self.data_dir = data_dir
        """The ``--data-dir`` override, for the notes store."""
        settings, self.setting_warnings = load_settings()
        self.settings: Settings = settings.override(theme=theme, show_library=show_library)
        """Theme, keymap and remembered state for this run."""
        files = find_brief_files(self.paths)
        self.is_folder = len(files) > 1 or any(path.is_dir() for path in self.paths)
        """Whether a library (not a single file) was opened."""
        self._pending: list[Path] = []
        self.entries: list[Entry] = self._initial_entries(files)
        """The library, as loaded (newest first, invalid files last)."""
        self.current: Entry | None = self._initial_entry()
        """The entry on screen."""
        # A folder shows the library unless the reader hid it (flag or remembered); one file
        # hides it. Undecided (None), the screen shows it only when the terminal is wide.
        if self.is_folder:
            shown = show_library if show_library is not None else self.settings.show_library
        else:
            shown = bool(show_library)
        self.set_reactive(TermbriefApp.show_library, shown)
        self._library_toggled = False
        self._requested_theme = self.settings.theme

    # -- loading ---------------------------------------------------------------------------------

    def _initial_entries(self, files: list[Path]) -> list[Entry]:
        if len(files) <= EAGER_LOAD_LIMIT:
            return sort_entries(load_entry(path) for path in files)
        remembered = self._remembered(files)
        first = [load_entry(remembered)] if remembered else _newest_entries(files)
        loaded = {entry.path for entry in first}
        self._pending = [path for path in files if path not in loaded]
        return first

    def _remembered(self, files: Sequence[Path]) -> Path | None:
        last = self.settings.last_brief
        if not last:
            return None
        wanted = os.path.realpath(last)
        return next((path for path in files if os.path.realpath(path) == wanted), None)

    def _initial_entry(self) -> Entry | None:
        remembered = self._remembered([entry.path for entry in self.entries])
        if remembered is not None:
            return next(entry for entry in self.entries if entry.path == remembered)
        return self.entries[0] if self.entries else None

    @work(thread=True, exclusive=True, group="library")
    def _load_rest(self, paths: list[Path], loaded: list[Entry]) -> None:
        entries = [*loaded, *(load_entry(path) for path in paths)]
        self.post_message(LibraryLoaded(sort_entries(entries)))

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        if self.current is not None:
            # Keep the very entry object on screen, so nothing has to be redrawn.
            message.entries = [
                self.current if entry.path == self.current.path else entry
                for entry in message.entries
            ]
        self.entries = message.entries
        self.brief_screen.set_entries(self.entries)

    # -- screens ---------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return BriefScreen(self.entries, self.current, show_library=self.show_library)

    @property
    def brief_screen(self) -> BriefScreen:
        """The main screen (at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, BriefScreen)
        return screen

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        theme = self._requested_theme
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.setting_warnings.append(f"unknown theme {theme!r}; using the default")
        self.theme_changed_signal.subscribe(self, lambda _theme: self._remember())
        for warning in self.setting_warnings:
            self.notify(warning, title="Settings", severity="warning", timeout=8, markup=False)

    def on_ready(self) -> None:
        if self._pending:
            self._load_rest(self._pending, list(self.entries))
            self._pending = []

    # -- public API ------------------------------------------------------------------------------

    def open_entry(self, entry: Entry, *, anchor: str | None = None) -> None:
        """Show ``entry``; with ``anchor`` (``figures/<id>``, ``summary``...) focus that item."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        changed = self.current is None or self.current.path != entry.path
        self.current = entry
        self.brief_screen.show_entry(entry, anchor)
        if changed and entry.ok:
            self._remember()

    # -- actions ---------------------------------------------------------------------------------

    def watch_show_library(self, shown: bool | None) -> None:
        if self.screen_stack and shown is not None:
            self.brief_screen.show_library(shown)

    def action_toggle_library(self) -> None:
        """Show or hide the library sidebar; shown, it takes the keyboard."""
        self.show_library = not self.brief_screen.library_shown
        self._library_toggled = True
        if self.is_folder:
            self._remember()

    def action_step_brief(self, step: int) -> None:
        """Open the previous (-1) or next (1) brief of the library, as listed."""
        library = self.brief_screen.library
        following: Entry | None
        if library is not None:
            following = library.entry_after(self.current, step)
        else:
            paths = [entry.path for entry in self.entries]
            index = paths.index(self.current.path) + step if self.current in self.entries else 0
            following = self.entries[index] if 0 <= index < len(self.entries) else None
        if following is None:
            self.bell()
        else:
            self.open_entry(following)

    def action_help(self) -> None:
        """Show every key of the current screen."""
        from termbrief.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_confirm_link(self, url: str) -> None:
        """Show ``url`` and open it only if the reader confirms."""
        from termbrief.screens.links import ConfirmLinkScreen

        if not url.lower().startswith(SAFE_URL_SCHEMES):
            self.notify(
                f"Not opening {url!r}: only web and mail addresses are opened.",
                severity="warning",
                markup=False,
            )
            return

        def opened(confirmed: bool | None) -> None:
            if confirmed:
                self.open_url(url)

        self.push_screen(ConfirmLinkScreen(url), opened)

    def on_library_list_entry_chosen(self, message: LibraryList.EntryChosen) -> None:
        """Enter or a click on a library entry opens it (an invalid one shows its problems)."""
        message.stop()
        self.open_entry(message.entry)

    def on_link_requested(self, message: LinkRequested) -> None:
        self.action_confirm_link(message.url)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Library and brief keys act on the brief screen: under a dialog they are shown, disabled.
        if action in ("toggle_library", "step_brief"):
            return True if len(self.screen_stack) == 1 else None
        return True

    # -- memory ----------------------------------------------------------------------------------

    def _remember(self) -> None:
        settings = self.settings
        settings.theme = self.theme
        if self.is_folder and self._library_toggled:
            settings.show_library = self.show_library
        if self.current is not None and self.current.ok:
            settings.last_brief = str(self.current.path.resolve())
        self._save_state(settings)

    @work(thread=True, exclusive=True, group="state")
    def _save_state(self, settings: Settings) -> None:
        # fsync can take milliseconds: kept off the UI thread.
        problem = save_state(settings)
        if problem is not None:
            self.call_from_thread(
                self.notify, problem, title="Settings", severity="warning", markup=False
            )
