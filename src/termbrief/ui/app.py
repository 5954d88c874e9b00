"""The Textual app: loads the library, shows the brief screen, remembers the reader's choices.

Wiring only: screens and widgets live in ``screens/`` and ``widgets/``; files are read by
:mod:`termbrief.core.library`; what is remembered goes through :mod:`termbrief.core.settings`.

Start-up follows a frozen :class:`~termbrief.core.startup.OpeningPlan`: the first brief loads
before the first frame (a huge one shows its header first and fills the panes when loaded), and a
large folder loads the rest of the library in a thread after the first frame.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from termbrief.core.library import Entry, sample_library_path, sort_entries
from termbrief.core.settings import Settings, load_settings, save_state
from termbrief.core.startup import (
    FirstEntries,
    OpeningPlan,
    library_stubs,
    load_in_background,
    load_now,
    load_rest,
    placeholder,
    plan_opening,
)
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.brief_notes import NotesOpened, warnings_of
from termbrief.ui.services.finder import LibraryFinder
from termbrief.ui.services.reload import LiveReload

if TYPE_CHECKING:
    # Only annotations: the sidebar and the link screens are imported when first used, after
    # the first frame (Textual routes messages to on_* methods by name, not by class).
    from termbrief.store.notes import NotesStore
    from termbrief.ui.screens.links import LinkRequested
    from termbrief.ui.screens.notes_panel import NotesPanel
    from termbrief.ui.widgets.library_list import LibraryList

_BRIEF_GROUP = Binding.Group("Brief", compact=True)
SAFE_URL_SCHEMES = ("http://", "https://", "mailto:")
"""Addresses the app will offer to open; anything else (file:, javascript:...) is refused."""


def _provider(name: str) -> Callable[[], type[Provider]]:
    """A lazy command palette provider: ``termbrief.ui.commands`` is imported when ctrl+p opens."""

    def load() -> type[Provider]:
        from termbrief.ui import commands

        provider: type[Provider] = getattr(commands, name)
        return provider

    load.__name__ = name
    return load


@functools.cache
def _freeze_imports() -> None:
    """Move what the imports created out of the garbage collector's sight, once per process.

    Importing Textual and termbrief leaves ~40,000 long-lived container objects; the older-
    generation collections that building the first screen triggers would walk them again and
    again (~20 ms before the first frame, measured) and free none. New garbage is still
    collected as usual.
    """
    gc.freeze()


class FirstLoaded(Message):
    """The first brief, too large to wait for at start-up, is loaded (with any fallbacks)."""

    def __init__(self, loading: Future[FirstEntries]) -> None:
        super().__init__()
        self.loading = loading
        """The finished load (its result raises here, on the UI thread, if the load failed)."""


class LibraryLoaded(Message):
    """The background load of a large library finished."""

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries


class TermbriefApp(LiveReload, LibraryFinder, App[None]):
    """termbrief's reader: briefs in panes, driven from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "termbrief"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = App.COMMANDS | {
        _provider(name)
        for name in ("BriefCommands", "PaneCommands", "ItemCommands", "LibrarySearchCommands")
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
        opening: OpeningPlan | Sequence[Path] = (),
        *,
        theme: str | None = None,
        data_dir: Path | None = None,
        show_library: bool | None = None,
        settings: Settings | None = None,
        setting_warnings: Sequence[str] = (),
    ) -> None:
        """Open what ``opening`` plans, or the files and folders it lists (none: the bundled
        sample library).

        Args:
            opening: The opening plan (see :func:`~termbrief.core.startup.plan_opening`), or
                brief files and folders of briefs to plan it from.
            theme: A Textual theme name; overrides the remembered one for this run.
            data_dir: Where user data (notes) lives; default from :mod:`termbrief.core.locations`.
            show_library: Show (True) or hide (False) the library sidebar at start.
            settings: The user's settings, if already read (else read here), and
            setting_warnings: what reading them found wrong.
        """
        _freeze_imports()
        super().__init__()
        if settings is None:
            settings, warnings = load_settings()
            setting_warnings = [*setting_warnings, *warnings]
        self.setting_warnings = list(setting_warnings)
        self.settings: Settings = settings.override(theme=theme, show_library=show_library)
        """Theme, keymap and remembered state for this run."""
        if not isinstance(opening, OpeningPlan):
            paths = [Path(path) for path in opening] or [sample_library_path()]
            opening = plan_opening(paths, self.settings.last_brief)
        self.plan = opening
        """How the reader opens what it was given."""
        self.paths = list(opening.paths)
        self.data_dir = data_dir
        """The ``--data-dir`` override, for the notes store."""
        self.is_folder = opening.is_folder
        """Whether a library (not a single file) was opened."""
        # The first brief loads now, before the first frame; one too large to wait for shows
        # its header until a background thread has loaded it (see on_ready).
        loaded = load_now(opening)
        self._first_pending = loaded is None
        first_path = opening.first_path
        if loaded is None and first_path is not None:
            loaded = FirstEntries((placeholder(first_path),), None)
        loaded = loaded or FirstEntries((), None)
        self.entries: list[Entry] = list(loaded.entries)
        """The library, as loaded (newest first, invalid files last). Entries not loaded yet
        are stubs (``entry.loaded`` is False): see :mod:`termbrief.core.startup`."""
        self.current: Entry | None = loaded.first or next(iter(loaded.entries), None)
        """The entry on screen."""
        self._placeholder = self.current if self._first_pending else None
        # A folder shows the library unless the reader hid it (flag or remembered); one file
        # hides it. Undecided (None), the screen shows it only when the terminal is wide.
        if self.is_folder:
            shown = show_library if show_library is not None else self.settings.show_library
        else:
            shown = bool(show_library)
        self.set_reactive(TermbriefApp.show_library, shown)
        self._library_toggled = False
        self._requested_theme = self.settings.theme
        self.notes: NotesStore | None = None
        """The notes store, once opened (see :meth:`_open_notes`)."""

    # -- loading ---------------------------------------------------------------------------------

    def _load_first_in_background(self) -> None:
        # A huge brief: its header is on screen, the panes fill once a thread has parsed it.
        future = load_in_background(self.plan)
        future.add_done_callback(lambda done: self.post_message(FirstLoaded(done)))

    def on_first_loaded(self, message: FirstLoaded) -> None:
        loaded = message.loading.result()
        paths = {entry.path for entry in loaded.entries}
        self.entries = sort_entries(
            [*(e for e in self.entries if e.path not in paths), *loaded.entries]
        )
        if loaded.first is not None and self.current is self._placeholder:
            # Unless the reader opened another brief meanwhile.
            self.current = loaded.first
            self.brief_screen.show_entry(loaded.first)
        self._placeholder = None
        self.brief_screen.set_entries(self.entries)
        self._load_rest()

    def _load_rest(self) -> None:
        if not self.plan.eager and len(self.plan.files) > len(self.entries):
            self._load_rest_in_thread(list(self.entries))

    @work(thread=True, exclusive=True, group="library")
    def _load_rest_in_thread(self, known: list[Entry]) -> None:
        stubs = library_stubs(self.plan, known)
        if stubs:  # the list at once, from the library cache; the briefs follow
            known = [*known, *stubs]
            self.post_message(LibraryLoaded(sort_entries(known)))
        # Stubs are completed too (from the brief cache), so that everything that reads briefs
        # (palette, search) sees the whole library.
        self.post_message(LibraryLoaded(load_rest(self.plan, known)))

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
        # The first frame is on screen: the command line kept the collector off until now.
        gc.enable()
        if self._first_pending:
            self._load_first_in_background()  # then the rest of the library (on_first_loaded)
        else:
            self._load_rest()
        self._open_notes()

    # -- notes -----------------------------------------------------------------------------------

    def _open_notes(self) -> None:
        # Reading a brief never needs SQLite (~2 MB resident): an existing database opens now,
        # in a thread; a missing one once a note is saved (open_notes_now) or once another
        # termbrief has created it (the brief screen watches for the file).
        from termbrief.core.locations import notes_db_path

        self.brief_screen.expect_notes(
            notes_db_path(self.data_dir), self.open_notes_now, self._open_notes_in_thread
        )

    @work(thread=True, exclusive=True, group="notes")
    def _open_notes_in_thread(self) -> None:
        # Off the UI thread: importing SQLite, or recovering a damaged database (a copy), must
        # not delay the brief.
        from termbrief.store.notes import NotesStore

        self.post_message(NotesOpened(NotesStore.open(self.data_dir)))

    def open_notes_now(self) -> NotesStore:
        """The notes store, opened now (creating the database) if it is not open yet."""
        store = self.notes
        if store is None:
            from termbrief.store.notes import NotesStore

            store = NotesStore.open(self.data_dir)
            self.post_message(NotesOpened(store))  # for everything else that follows the store
            self._use_notes(store)
        return store

    def on_notes_opened(self, message: NotesOpened) -> None:
        if not self.screen_stack:  # the app is closing: the store came too late to be used
            message.store.close()
            return
        if self.notes is None:
            self._use_notes(message.store)
        elif message.store is not self.notes:
            message.store.close()  # a notes action opened the store while a thread did too

    def _use_notes(self, store: NotesStore) -> None:
        self.notes = store
        for warning in warnings_of(store):
            self.notify(warning, title="Notes", severity="warning", timeout=15, markup=False)
        self.brief_screen.attach_notes(store)

    def on_notes_panel_notes_changed(self, message: NotesPanel.NotesChanged) -> None:
        self.brief_screen.refresh_notes()

    def on_unmount(self) -> None:
        if self.notes is not None:
            self.notes.close()

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
        from termbrief.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_confirm_link(self, url: str) -> None:
        """Show ``url`` and open it only if the reader confirms."""
        from termbrief.ui.screens.links import ConfirmLinkScreen

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
