"""The Textual app: wiring only.

The app owns the :class:`~termbrief.ui.state.ReaderState` (the library and the brief on screen)
and the services that change it or follow it (:mod:`termbrief.ui.services`): start-up loading,
live reload, the notes session and the library finder. Services post the messages of
:mod:`termbrief.ui.messages`; the app has one handler for each, and passes what changed to the
brief screen. Start-up follows a frozen :class:`~termbrief.core.startup.OpeningPlan`.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.reactive import reactive
from textual.screen import Screen

from termbrief.core.library import Entry, sample_library_path
from termbrief.core.settings import Settings, load_settings, save_state
from termbrief.core.startup import OpeningPlan, plan_opening
from termbrief.ui.messages import (
    BriefsChanged,
    FirstLoaded,
    LibraryIndexBuilt,
    LibraryLoaded,
    LinkRequested,
    MarkReadRequested,
    NotesChanged,
    NotesOpened,
    ReadingChecked,
    ReadingSetsChanged,
)
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.services.finder import LibraryFinder
from termbrief.ui.services.library import LibraryLoader
from termbrief.ui.services.notes import NotesSession, warnings_of
from termbrief.ui.services.reading import ReadingService
from termbrief.ui.services.reload import LiveReload
from termbrief.ui.state import CurrentChange, ReaderState
from termbrief.ui.widgets.key_names import key_display

if TYPE_CHECKING:
    # Only annotations: these are imported when first used, after the first frame.
    from termbrief.core.library_index import LibraryIndex
    from termbrief.core.settings import KeymapRules
    from termbrief.ui.screens.notes_panel import NotesPanel
    from termbrief.ui.widgets.library_list import LibraryList

_BRIEF_GROUP = Binding.Group("Brief", compact=True)


PALETTE_PROVIDERS: Final = (
    "BriefCommands",
    "PaneCommands",
    "ItemCommands",
    "ThemeCommands",
    "LibrarySearchCommands",
)
"""The command palette providers of :mod:`termbrief.ui.commands` the app registers (by name:
that module is imported when the palette first opens)."""


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

    Importing Textual and termbrief leaves many long-lived container objects; the older-
    generation collections that building the first screen triggers would walk them again and
    again and free none. New garbage is still collected as usual.
    """
    gc.freeze()


class TermbriefApp(App[None]):
    """termbrief's reader: briefs in panes, driven from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "termbrief"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = App.COMMANDS | {
        _provider(name) for name in PALETTE_PROVIDERS
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
        # In the help and the palette; left out of the footer, which is full at 80 columns.
        Binding("ctrl+f", "search_library", "Search library", id="library.search", show=False),
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
        notes_url: str | None = None,
    ) -> None:
        """Open what ``opening`` plans, or the files and folders it lists (none: the bundled
        sample library). The first brief is loaded before this returns.

        Args:
            opening: The opening plan (see :func:`~termbrief.core.startup.plan_opening`), or
                brief files and folders of briefs to plan it from.
            theme: A Textual theme name; overrides the remembered one for this run.
            data_dir: Where user data (notes) lives; default from :mod:`termbrief.core.locations`.
            show_library: Show (True) or hide (False) the library sidebar at start.
            settings: The user's settings, if already read (else they are read here).
            setting_warnings: What reading ``settings`` found wrong, to show.
            notes_url: ``--notes-url``: where notes are kept (see :class:`NotesSession`).
        """
        _freeze_imports()
        super().__init__()
        if settings is None:
            settings, warnings = load_settings(_keymap_rules)
            setting_warnings = [*setting_warnings, *warnings]
        self.setting_warnings = list(setting_warnings)
        """Problems with the user's settings, shown once the app is mounted."""
        self.settings: Settings = settings.override(theme=theme, show_library=show_library)
        """Theme, keymap and remembered state for this run."""
        if not isinstance(opening, OpeningPlan):
            paths = [Path(path) for path in opening] or [sample_library_path()]
            opening = plan_opening(paths, self.settings.last_brief)
        self.state = ReaderState(self, is_folder=opening.is_folder)
        """The library and the brief on screen."""
        self.library_loader = LibraryLoader(self, opening, self.state)
        """Loads the library the plan describes (the first brief already, the rest later)."""
        self.notes_session = NotesSession(
            self,
            data_dir,
            notes_url=notes_url,
            config_url=self.settings.notes_url,
            author=self.settings.user_name,
            visibility=self.settings.note_visibility,
        )
        """The notes store, opened when notes need it."""
        self.live_reload = LiveReload(self, self.state, opening.paths)
        """Follows the opened files on disk."""
        self.finder = LibraryFinder(self, self.state, self.notes_session)
        """The library index (ctrl+f, the palette's figures and actors)."""
        self.reading = ReadingService(
            self, self.state, self.notes_session, keep_versions=self.settings.keep_versions
        )
        """What this user read, and what changed since (banner, markers, library badges)."""
        # A folder shows the library unless the reader hid it (flag or remembered); one file
        # hides it. Undecided (None), the screen shows it only when the terminal is wide.
        if opening.is_folder:
            shown = show_library if show_library is not None else self.settings.show_library
        else:
            shown = bool(show_library)
        self.set_reactive(TermbriefApp.show_library, shown)
        self._library_toggled = False

    def get_key_display(self, binding: Binding) -> str:
        """As Textual shows keys, without its look-ups in the Unicode name database for the
        keys termbrief binds (see :data:`~termbrief.ui.widgets.key_names.KEY_DISPLAY`)."""
        if binding.key_display:
            return binding.key_display
        modifiers, key = binding.parse_key()
        shown = key_display(key)
        if shown is None:
            return super().get_key_display(binding)
        if "ctrl" in modifiers:
            modifiers.remove("ctrl")
            shown = f"^{shown}"
        return "+".join([*modifiers, shown])

    @property
    def entries(self) -> Sequence[Entry]:
        """The library (see :attr:`ReaderState.entries`)."""
        return self.state.entries

    @property
    def current(self) -> Entry | None:
        """The entry on screen."""
        return self.state.current

    # -- screens and life cycle ------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return BriefScreen(self.state, self.notes_session, show_library=self.show_library)

    @property
    def brief_screen(self) -> BriefScreen:
        """The main screen (at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, BriefScreen)
        return screen

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        theme = self.settings.theme
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.setting_warnings.append(f"unknown theme {theme!r}; using the default")
        self.theme_changed_signal.subscribe(self, lambda _theme: self._remember())
        self.state.current_changed.subscribe(self, self._current_changed)
        self.finder.follow_library()
        for warning in self.setting_warnings:
            self.notify(warning, title="Settings", severity="warning", timeout=8, markup=False)

    def on_ready(self) -> None:
        # The first frame is on screen: the command line kept the collector off until now.
        gc.enable()
        self.library_loader.start()
        self.live_reload.start()
        self.notes_session.start()
        self.reading.start()

    def on_unmount(self) -> None:
        self.live_reload.stop()
        self.notes_session.close()

    # -- messages --------------------------------------------------------------------------------

    def on_first_loaded(self, message: FirstLoaded) -> None:
        shown = self.library_loader.first_loaded(message.loading)
        if shown is not None:
            self.brief_screen.show_entry(shown)

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        entries = self.library_loader.keep_current(message.entries)
        self.state.set_library(self.live_reload.reapply(entries))

    def on_briefs_changed(self, message: BriefsChanged) -> None:
        news = self.live_reload.apply(message.changes)
        if news is not None:
            self.brief_screen.show_reload_news(news)

    def on_library_index_built(self, message: LibraryIndexBuilt) -> None:
        index = self.finder.take(message)
        if index is not None:
            self._push_search(index)

    def on_notes_opened(self, message: NotesOpened) -> None:
        if self.notes_session.adopt(message.store):
            for warning in warnings_of(message.store):
                self.notify(warning, title="Notes", severity="warning", timeout=15, markup=False)
            self.brief_screen.refresh_notes()
            self.brief_screen.sidebar.refresh_briefs_with_notes()
            self.reading.store_opened()

    def on_notes_changed(self, message: NotesChanged) -> None:
        if message.notice is not None:
            self.notify(message.notice, title="Notes", timeout=8, markup=False)
        self.brief_screen.refresh_notes()

    def on_notes_panel_notes_changed(self, message: NotesPanel.NotesChanged) -> None:
        self.brief_screen.refresh_notes()
        self.brief_screen.sidebar.refresh_briefs_with_notes()

    def on_library_list_entry_chosen(self, message: LibraryList.EntryChosen) -> None:
        """Enter or a click on a library entry opens it (an invalid one shows its problems)."""
        message.stop()
        self.open_entry(message.entry)

    def on_link_requested(self, message: LinkRequested) -> None:
        self.action_confirm_link(message.url)

    def on_reading_checked(self, message: ReadingChecked) -> None:
        # A worker's late answer may arrive as the app closes, its screens gone.
        if self.screen_stack and self.reading.is_current(message):
            self.brief_screen.on_demand.show_changes(message.changes)

    def on_reading_sets_changed(self, message: ReadingSetsChanged) -> None:
        if self.screen_stack:
            self.brief_screen.sidebar.set_reading(message.reading)

    def on_mark_read_requested(self, message: MarkReadRequested) -> None:
        self.reading.mark_read(self.state.current)

    def on_library_list_mark_all_read(self, message: LibraryList.MarkAllRead) -> None:
        message.stop()
        self.reading.mark_all_read(message.entries)

    # -- public API ------------------------------------------------------------------------------

    def open_entry(self, entry: Entry, *, anchor: str | None = None) -> None:
        """Show ``entry``; with ``anchor`` (``figures/<id>``, ``summary``...) focus that item."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.state.set_current(entry)
        self.brief_screen.show_entry(entry, anchor)

    # -- actions ---------------------------------------------------------------------------------

    def watch_show_library(self, shown: bool | None) -> None:
        if self.screen_stack and shown is not None:
            self.brief_screen.show_library(shown)

    def action_toggle_library(self) -> None:
        """Show or hide the library sidebar; shown, it takes the keyboard."""
        self.show_library = not self.brief_screen.library_shown
        self._library_toggled = True
        if self.state.is_folder:
            self._remember()

    def action_step_brief(self, step: int) -> None:
        """Open the previous (-1) or next (1) brief of the library, as listed."""
        library = self.brief_screen.library
        if library is not None:
            following = library.entry_after(self.state.current, step)
        else:
            following = self.state.entry_after(step)
        if following is None:
            self.bell()
        else:
            self.open_entry(following)

    def action_search_library(self) -> None:
        """Search every brief of the library and the notes (ranked); Enter opens the match."""
        from termbrief.ui.screens.library_search import LibrarySearchScreen

        if not isinstance(self.screen, LibrarySearchScreen):
            self.finder.build(open_search=True)

    async def action_quit(self) -> None:
        """Quit (q, ctrl+q); with a note's unsaved text open, ask first (it is kept as a draft)."""
        if len(self.screen_stack) > 1:  # the note editor is a dialog: none is open otherwise
            from termbrief.ui.screens.note_editor import confirm_quit

            if confirm_quit(self):
                return
        self.exit()

    def action_help(self) -> None:
        """Show every key of the current screen."""
        from termbrief.ui.screens.help import HelpScreen

        if isinstance(self.screen, BriefScreen):
            self.screen.mount_late()  # the help lists the keys of every pane, mounted or not
        self.push_screen(HelpScreen())

    def action_confirm_link(self, url: str) -> None:
        """Show ``url`` and open it only if the reader confirms (web and mail addresses only)."""
        from termbrief.ui.screens.links import confirm_link

        confirm_link(self, url)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open ``url`` in the browser; without one, say so and how to copy the address."""
        from termbrief.ui.screens.links import open_in_browser

        open_in_browser(self, url, functools.partial(App.open_url, self, url, new_tab=new_tab))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from termbrief.ui.commands import system_commands

        return system_commands(self, super().get_system_commands(screen))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Library and brief keys act on the brief screen: under a dialog they are shown, disabled.
        if action in ("toggle_library", "step_brief"):
            return True if len(self.screen_stack) == 1 else None
        return True

    # -- library search --------------------------------------------------------------------------

    def _push_search(self, index: LibraryIndex) -> None:
        from termbrief.ui.screens.library_search import push_library_search

        push_library_search(self, index, self.state, self.open_entry)

    # -- memory ----------------------------------------------------------------------------------

    def _current_changed(self, change: CurrentChange) -> None:
        if change.other_file and change.current is not None and change.current.ok:
            self._remember()

    def _remember(self) -> None:
        settings = self.settings
        settings.theme = self.theme
        if self.state.is_folder and self._library_toggled:
            settings.show_library = self.show_library
        current = self.state.current
        if current is not None and current.ok:
            settings.last_brief = str(current.path.resolve())
        self._save_state(settings)

    def remember_inline_notes(self, shown: bool) -> None:
        """Remember whether notes show inline under their items (the brief screen's ``i``)."""
        self.settings.inline_notes = shown
        self._save_state(self.settings)

    @work(thread=True, exclusive=True, group="state")
    def _save_state(self, settings: Settings) -> None:
        # fsync can take milliseconds: kept off the UI thread.
        problem = save_state(settings)
        if problem is not None:
            self.call_from_thread(
                self.notify, problem, title="Settings", severity="warning", markup=False
            )


def _keymap_rules() -> KeymapRules:
    """The keymap rules, read from the live bindings only when the config has a ``[keymap]``."""
    from termbrief.ui.keymap import keymap_rules

    return keymap_rules()
