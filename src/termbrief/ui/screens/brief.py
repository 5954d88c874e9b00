"""The brief screen: header, six panes (a 2×2 grid when wide, tabs when narrow), the library.

Layout: on a terminal at least ``WIDE`` columns wide, Summary | Key figures / Actors |
Commentary share the screen and Timeline and Sources replace the grid on keys 5 and 6; narrower,
each pane is a tab of its own. The tab bar is shown in both layouts so the reader always sees
which pane is active and its number key.

The screen never loads files: the app gives it entries (:meth:`show_entry`) and it posts
messages or calls the app's public methods for everything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.events import DescendantFocus, Resize
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from termbrief.core.library import Entry
from termbrief.ui.messages import LinkRequested
from termbrief.ui.panes.actors import ActorsPane
from termbrief.ui.panes.brief_header import BriefHeader
from termbrief.ui.panes.commentary import CommentaryPane
from termbrief.ui.panes.figures import FiguresPane
from termbrief.ui.panes.pane import PANE_SECTIONS, PANES, Jump, Pane, pane_id
from termbrief.ui.panes.pane_bar import PaneBar
from termbrief.ui.panes.summary import SummaryPane
from termbrief.ui.render.markdown import Highlighter
from termbrief.ui.screens.brief_notes import NOTES_SHARED_BINDINGS, NotesKeys
from termbrief.ui.screens.brief_search import SEARCH_SHARED_BINDINGS, SearchKeys
from termbrief.ui.services.notes import NotesSession
from termbrief.ui.services.reload import ReloadNews
from termbrief.ui.state import LibraryChange, ReaderState
from termbrief.ui.widgets.footer import KeyFooter
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from termbrief.ui.panes.reload_banner import ReloadBanner
    from termbrief.ui.widgets.library_list import LibraryList

WIDE = 120
"""Columns from which the first four panes show as a grid."""
GRID_SECTIONS = ("summary", "figures", "actors", "commentary")
"""The panes of the wide grid; Timeline and Sources take the grid's place when chosen."""


def _pane_of(widget: Widget | None) -> Pane | None:
    """The pane ``widget`` is, if any (a pane is its own focusable body)."""
    return widget if isinstance(widget, Pane) else None


class BriefScreen(NotesKeys, SearchKeys, Screen[None]):
    """Shows one library entry: a brief in panes, or an invalid file's problems."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                str(number),
                f"show_pane('{section}')",
                title,
                # The pane bar shows these keys; the footer keeps its room for the others.
                show=False,
                id=f"pane.{section}",
            )
            for number, (section, title) in enumerate(PANES, start=1)
        ),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="pane.next"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="pane.previous"),
        Binding("z", "toggle_maximize", "Maximise", id="pane.maximize"),
        Binding("escape", "restore", "Restore panes", show=False, id="pane.restore"),
        # n / N are shared by notes and search: Textual keeps only the most derived class's
        # bindings for a key, so every binding of these keys is listed here, and each feature's
        # check_action enables its own.
        *NOTES_SHARED_BINDINGS,
        *SEARCH_SHARED_BINDINGS,
    ]

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """As ``Screen.focused``, without repainting the whole screen on every focus move (~10 ms
    a pane switch): what looks different then redraws itself (the widgets gaining and losing
    focus, and the panes whose frame shows where the focus is, see ``watch_focused``)."""

    def watch_focused(self, old: Widget | None, new: Widget | None) -> None:
        # The pane frames' ``:focus-within``, restyling the frames only (Pane.show_focus_within).
        old_pane, new_pane = _pane_of(old), _pane_of(new)
        if old_pane is not new_pane:
            if old_pane is not None:
                old_pane.show_focus_within(False)
            if new_pane is not None:
                new_pane.show_focus_within(True)

    def __init__(
        self,
        state: ReaderState,
        notes: NotesSession,
        *,
        show_library: bool | None = False,
    ) -> None:
        """Create the screen.

        Args:
            state: The reader's state: the library (for the sidebar of a folder) and the entry
                to show once mounted.
            notes: The notes session (counts, markers and the note keys use it).
            show_library: Whether the sidebar starts visible; None: only on a wide terminal
                (at 80 columns the panes need the room; ``b`` shows it).
        """
        super().__init__(id="brief")
        self.state = state
        """The reader's state (the library and the entry on screen)."""
        self.notes_session = notes
        """The notes session."""
        self.entry: Entry | None = None
        """The entry on screen."""
        self.active = "summary"
        """Section of the active pane (the focused one, or the one shown in narrow mode)."""
        self.highlighter: Highlighter | None = None
        """Marks search matches in every pane when set (see :meth:`set_highlight`)."""
        self._show_library = show_library
        self._library: LibraryList | None = None
        self._filled: set[str] = set()
        self._keep_position = False
        self._late_mounted = False
        self._late_mount: AwaitMount | None = None

    # -- composition -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # As few containers as the layout needs: every one costs start-up time (styles, layout,
        # and a full-size render the compositor then cuts up). The screen lays out horizontally:
        # the library sidebar is mounted left of #main after the first frame (show_library).
        with Vertical(id="main"):
            yield BriefHeader(id="brief-header")
            yield PaneBar(id="pane-bar")
            with Grid(id="grid"):
                yield SummaryPane()
                yield FiguresPane()
                yield ActorsPane()
                yield CommentaryPane()
            # Timeline and Sources (after #grid), the find bar and the problems view are not on
            # the first frame of a valid brief: mounted right after it (see _mount_late).
        yield KeyFooter()

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        self.state.library_changed.subscribe(self, self._library_changed)
        if self.state.current is not None:
            self.show_entry(self.state.current)
        self.call_after_refresh(self._mount_late)
        shown = self._show_library
        if self.app.size.width >= WIDE if shown is None else shown:
            self.call_after_refresh(self.show_library, True, focus=False)

    # -- public API ------------------------------------------------------------------------------

    def pane(self, section: str) -> Pane:
        """The pane showing ``section`` (``key_points`` live in the summary pane)."""
        if section == "key_points":
            section = "summary"
        if section in ("timeline", "sources"):
            self._mount_late()
        return self.query_one(f"#{pane_id(section)}", Pane)

    def _mount_late(self) -> None:
        """Mount what the first frame of a valid brief does not show."""
        if self._late_mounted:
            return
        self._late_mounted = True
        # Imported here: nothing of these is on the first frame of a valid brief (the find bar
        # alone, an Input, costs ~15 ms of start-up: CSS, mount and layout).
        from termbrief.ui.panes.problems import ProblemsView
        from termbrief.ui.panes.reload_banner import ReloadBanner
        from termbrief.ui.panes.sources import SourcesPane
        from termbrief.ui.panes.timeline import TimelinePane
        from termbrief.ui.widgets.search_bar import SearchBar

        main = self.query_one("#main")
        main.mount(ReloadBanner(id="reload-banner"), after="#brief-header")
        main.mount(TimelinePane(), SourcesPane(), after="#grid")
        self._search_bar = SearchBar(id="search-bar")
        self._late_mount = main.mount(self._search_bar, ProblemsView(id="problems"))
        self._update_layout()
        self.call_after_refresh(self.refresh_notes)  # markers for the panes just mounted
        # Nothing is mounted when the app is already closing: then there is nothing to fill.
        mounted = bool(self.query(f"#{pane_id('timeline')}"))
        if self.entry is not None and self.entry.ok and self._filled and mounted:
            self._fill("timeline")
            self._fill("sources")

    @property
    def reload_banner(self) -> ReloadBanner:
        """The banner of live reload's news about the file on screen (mounted after the first
        frame, like everything the first frame of a valid brief does not show)."""
        self._mount_late()
        from termbrief.ui.panes.reload_banner import ReloadBanner

        return self.query_one("#reload-banner", ReloadBanner)

    async def late_mounted(self) -> None:
        """Mount what :meth:`_mount_late` mounts now if it has not been yet, and wait for it."""
        self._mount_late()
        if self._late_mount is not None:
            await self._late_mount

    @property
    def library(self) -> LibraryList | None:
        """The library sidebar, once it has been shown (None without a library)."""
        return self._library

    @property
    def library_shown(self) -> bool:
        """Whether the library sidebar is visible."""
        return self._library is not None and self._library.display

    def show_library(self, shown: bool, *, focus: bool = True) -> None:
        """Show or hide the library sidebar; shown, it takes the keyboard (if ``focus``)."""
        library = self._library
        if library is None:
            if not shown:
                return
            # Imported and built on first use: a single brief never pays for the sidebar, and a
            # folder shows its first frame before the sidebar is built.
            from termbrief.ui.widgets.library_list import LibraryList

            library = self._library = LibraryList(self.state.entries, id="library")
            self.mount(library, before="#main")
        library.display = shown
        if shown:
            if self.entry is not None:
                library.call_after_refresh(library.select_path, self.entry.path)
            if focus:
                library.call_after_refresh(library.focus)
        elif self.focused is None or library in self.focused.ancestors_with_self:
            self.activate_pane(self.active)

    def _library_changed(self, change: LibraryChange) -> None:
        """Show the library as it is now in the sidebar.

        The sidebar's cursor goes to the brief on screen, or with ``keep_selection`` stays on
        the entry it was on (live reload).
        """
        if self._library is not None:
            self._library.set_entries(change.entries, keep_selection=change.keep_selection)
            if self.entry is not None and not change.keep_selection:
                self._library.select_path(self.entry.path)

    def show_reload_news(self, news: ReloadNews) -> None:
        """Show what live reload did to the file on screen: its new version, in place, or in
        the banner, why the new version is not shown (deleted, or invalid)."""
        banner = self.reload_banner
        if news.fresh is not None:
            banner.clear()
            self.show_entry(news.fresh)
        elif news.missing:
            banner.show_missing(news.name)
        else:
            banner.show_problems(news.name, news.problems)

    def show_entry(self, entry: Entry, anchor: str | None = None) -> None:
        """Show ``entry``; a valid brief fills the panes, an invalid one shows its problems.

        The same file again (a reload) keeps every cursor and scroll position. Panes out of
        sight of the first frame are filled right after it, so a huge brief shows at once.
        An entry not loaded yet (a stub: a huge brief being parsed) shows its header over
        empty panes until the app shows the loaded entry.
        """
        same_brief = self.entry is not None and self.entry.loaded and self.entry.path == entry.path
        self.entry = entry
        self._filled = set()
        self._keep_position = same_brief
        self.query_one(BriefHeader).show_entry(entry)
        if entry.brief is None and entry.loaded:
            from termbrief.ui.panes.problems import ProblemsView

            self._mount_late()
            self.query_one("#problems", ProblemsView).show_entry(entry)
        else:
            # Every pane in view is filled for the first frame (a frame with empty panes would
            # only look like a start); Timeline and Sources, out of view, right after it.
            for section in self._sections_in_view():
                self._fill(section)
            self.call_after_refresh(self._fill_all, entry)
        if self._library is not None:
            self._library.select_path(entry.path)
        self._update_layout()
        if anchor is not None:
            self.reveal(Jump(anchor))
        elif not same_brief and entry.brief is not None:
            self.activate_pane(self.active if self.app.focused is not None else "summary")
        self.refresh_notes()
        if not same_brief and self._late_mounted:
            self.reload_banner.clear()  # it spoke of the previous file
        self.refresh_search()

    def _sections_in_view(self) -> tuple[str, ...]:
        if self.active in GRID_SECTIONS and not self.has_class("-narrow"):
            return GRID_SECTIONS
        return (self.active,)

    def _fill(self, section: str) -> None:
        """Show the current brief in ``section``'s pane, once per entry."""
        brief = self.entry.brief if self.entry is not None else None
        if brief is None or section in self._filled:
            return
        self._filled.add(section)
        self.pane(section).show_brief(brief, self.highlighter, keep=self._keep_position)

    def _fill_all(self, entry: Entry) -> None:
        if entry is self.entry:
            for section in PANE_SECTIONS:
                if self._late_mounted or section not in ("timeline", "sources"):
                    self._fill(section)

    def reveal(self, jump: Jump) -> bool:
        """Show and focus the pane holding ``jump.anchor``, with the cursor on that item."""
        section = jump.anchor.partition("/")[0]
        if section == "key_points":
            section = "summary"
        if section not in PANE_SECTIONS or self.entry is None or self.entry.brief is None:
            return False
        self._fill(section)
        self.activate_pane(section)
        return self.pane(section).select_anchor(jump.anchor, jump.offset, jump.text)

    def set_highlight(self, highlighter: Highlighter | None) -> None:
        """Mark search matches in every pane (None clears), keeping each cursor where it is."""
        self.highlighter = highlighter
        self._filled = set()
        self._keep_position = True
        if self.entry is not None:
            self._fill_all(self.entry)

    def focused_anchor(self) -> str:
        """Anchor of the item under the cursor of the active pane (what a note would attach to)."""
        return self.pane(self.active).current_anchor()

    def set_marked(self, anchors: frozenset[str]) -> None:
        """Mark the items at ``anchors`` in every pane (e.g. items with notes)."""
        for body in self.query("ItemList, RecordTable"):
            if isinstance(body, ItemList | RecordTable):
                body.set_marked(anchors)

    def activate_pane(self, section: str, *, focus: bool = True) -> None:
        """Make ``section``'s pane the active one: show it and (by default) focus it."""
        if self.maximized is not None and section != self.active:
            self.minimize()
        self.active = section
        self._fill(section)
        self.query_one(PaneBar).active = section
        self._update_layout()
        if focus and self.entry is not None and self.entry.ok:
            self.pane(section).focus_body()

    # -- layout ----------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < WIDE, "-narrow")
        self._update_layout()

    def _update_layout(self) -> None:
        valid = self.entry is not None and self.entry.ok
        narrow = self.has_class("-narrow")
        shown: list[tuple[Widget, bool]] = [
            (self.query_one(PaneBar), valid),
            (self.query_one("#grid"), valid and self.active in GRID_SECTIONS),
        ]
        shown += [(problems, not valid) for problems in self.query("#problems")]
        for pane in self.query(".pane").results(Pane):
            if pane.SECTION in GRID_SECTIONS:
                shown.append((pane, not narrow or self.active == pane.SECTION))
            else:  # Timeline and Sources take the grid's place
                shown.append((pane, valid and self.active == pane.SECTION))
        for widget, display in shown:
            # Only real changes: setting display at all costs a layout pass of the screen.
            if widget.display != display:
                widget.display = display

    # -- focus tracking --------------------------------------------------------------------------

    @on(DescendantFocus)
    def _focus_moved(self, event: DescendantFocus) -> None:
        pane = _pane_of(event.widget)
        if pane is not None and self.active != pane.SECTION:
            self.active = pane.SECTION
            self.query_one(PaneBar).active = pane.SECTION
            self._update_layout()
        library = self._library
        if library is not None and library in event.widget.ancestors_with_self:
            # Notes written since are counted before the reader can type a filter.
            self.refresh_briefs_with_notes()

    def refresh_briefs_with_notes(self) -> None:
        """Give the library sidebar the ids of briefs with notes (for ``has:notes``); on a
        store failure the filter keeps the last known ids."""
        library = self._library
        if library is not None:
            found = self.notes_session.briefs_with_notes()
            if found is not None:
                library.set_briefs_with_notes(found)

    # -- actions ---------------------------------------------------------------------------------

    def action_show_pane(self, section: str) -> None:
        """Focus the pane of ``section`` (keys 1-6)."""
        self.activate_pane(section)

    def action_cycle_pane(self, step: int) -> None:
        """Focus the next (step 1) or previous (step -1) pane; the library joins when shown."""
        order = list(PANE_SECTIONS)
        library = self.library
        if library is not None and library.display:
            order.insert(0, "library")
        focused = self.focused
        current = self.active
        if library is not None and focused is not None and library in focused.ancestors_with_self:
            current = "library"
        following = order[(order.index(current) + step) % len(order)]
        if following == "library" and library is not None:
            library.focus()
        else:
            self.activate_pane(following)

    def action_toggle_maximize(self) -> None:
        """Maximise the active pane, or restore the panes when one is maximised."""
        if self.maximized is not None:
            self.minimize()
        elif self.entry is not None and self.entry.ok:
            pane = self.pane(self.active)
            self.maximize(pane, container=False)
            pane.focus_body()

    def action_restore(self) -> None:
        """Restore the panes after a maximise."""
        self.minimize()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return self.maximized is not None
        if action in ("show_pane", "cycle_pane", "toggle_maximize"):
            return self.entry is None or self.entry.ok or action == "cycle_pane"
        return super().check_action(action, parameters)  # the mixins' actions (notes, search)

    # -- opening items ---------------------------------------------------------------------------

    @on(RecordTable.Selected, "#figures-table")
    def _open_figure(self, event: RecordTable.Selected) -> None:
        event.stop()
        brief = self.entry.brief if self.entry else None
        figure = brief.figure(event.record.anchor.partition("/")[2]) if brief else None
        if figure is not None:
            from termbrief.ui.screens.figure_detail import FigureDetailScreen

            self.app.push_screen(FigureDetailScreen(figure))

    @on(RecordTable.Selected, "#actors-table")
    def _open_actor(self, event: RecordTable.Selected) -> None:
        event.stop()
        brief = self.entry.brief if self.entry else None
        actor = brief.actor(event.record.anchor.partition("/")[2]) if brief else None
        if brief is not None and actor is not None:
            from termbrief.ui.screens.actor_detail import ActorDetailScreen

            self.app.push_screen(ActorDetailScreen(brief, actor), self._jump_back)

    def _jump_back(self, jump: Jump | None) -> None:
        if jump is not None:
            self.reveal(jump)

    @on(ItemList.Activated)
    def _open_links(self, event: ItemList.Activated) -> None:
        event.stop()
        urls = list(dict.fromkeys(event.item.links))
        from termbrief.ui.screens.links import LinkPickerScreen

        if len(urls) == 1:
            self.post_message(LinkRequested(urls[0]))
        elif urls:
            self.app.push_screen(LinkPickerScreen(urls), self._picked_link)

    def _picked_link(self, url: str | None) -> None:
        if url:
            self.post_message(LinkRequested(url))
