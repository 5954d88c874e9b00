"""The brief screen: header, six panes (a 2×2 grid when wide, tabs when narrow), the library.

The screen never loads files: the app gives it entries (:meth:`BriefScreen.show_entry`) and
it posts messages or calls the app's public methods for everything else.

Every key of the screen is bound here, once; what the keys do lives in plain objects the screen
holds: the panes (:class:`~termbrief.ui.screens.brief_panes.PaneDeck`), find in the brief
(:class:`~termbrief.ui.screens.find.FindSession`), the note keys
(:class:`~termbrief.ui.screens.brief_notes.NoteActions`) and the library sidebar
(:class:`~termbrief.ui.screens.brief_library.LibrarySidebar`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Vertical
from textual.events import DescendantFocus, Resize
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from termbrief.core.library import Entry
from termbrief.core.model import Brief
from termbrief.core.sections import PANE_KEYS
from termbrief.ui.messages import MarkReadRequested
from termbrief.ui.panes.actors import ActorsPane
from termbrief.ui.panes.brief_header import BriefHeader
from termbrief.ui.panes.commentary import CommentaryPane
from termbrief.ui.panes.figures import FiguresPane
from termbrief.ui.panes.pane import Jump, Pane
from termbrief.ui.panes.pane_bar import PaneBar
from termbrief.ui.panes.summary import SummaryPane
from termbrief.ui.render.markdown import Highlighter
from termbrief.ui.screens.brief_items import open_links, open_list_item, open_record
from termbrief.ui.screens.brief_keys import (
    BRIEF_BINDINGS,
    NOTE_ACTIONS,
    SELECTION_ACTIONS,
    STEP_ASIDE_FOR_TYPING,
    key_state,
)
from termbrief.ui.screens.brief_late import LateParts
from termbrief.ui.screens.brief_library import LibrarySidebar
from termbrief.ui.screens.brief_notes import NoteActions
from termbrief.ui.screens.brief_on_demand import OnDemand
from termbrief.ui.screens.brief_panes import WIDE, PaneDeck
from termbrief.ui.screens.brief_share import ShareActions
from termbrief.ui.screens.find import FindSession
from termbrief.ui.services.notes import NoteMarks, NotesSession
from termbrief.ui.services.reload import ReloadNews
from termbrief.ui.state import LibraryChange, ReaderState
from termbrief.ui.widgets.footer import KeyFooter
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from termbrief.ui.panes.reload_banner import ReloadBanner
    from termbrief.ui.panes.sources import SourcesPane
    from termbrief.ui.screens.brief_selection import SelectionActions
    from termbrief.ui.widgets.library_list import LibraryList
    from termbrief.ui.widgets.search_bar import SearchBar


class BriefScreen(Screen[None]):
    """Shows one library entry: a brief in panes, or an invalid file's problems."""

    BINDINGS: ClassVar[list[BindingType]] = BRIEF_BINDINGS
    ALLOW_IN_MAXIMIZED_VIEW: ClassVar[str | None] = "KeyFooter"
    BLANK: ClassVar[bool] = True
    """The screen draws only its background (its children cover it): one line object for every
    row, cut up by the compositor once per layout of cuts instead of once per row."""
    STEP_ASIDE_FOR_TYPING: ClassVar[frozenset[str]] = STEP_ASIDE_FOR_TYPING
    """Read by check_action and by the keymap rules (see :mod:`.brief_keys`)."""
    SELECTION_ACTIONS: ClassVar[frozenset[str]] = SELECTION_ACTIONS
    NOTE_ACTIONS: ClassVar[frozenset[str]] = NOTE_ACTIONS

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """As ``Screen.focused``, without repainting the whole screen on every focus move: what
    looks different then redraws itself (the widgets gaining and losing focus, and the frames
    of the panes, see ``watch_focused``)."""

    def watch_focused(self, old: Widget | None, new: Widget | None) -> None:
        self.panes.show_focus(old, new)

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
        self._show_library = show_library
        self.panes = PaneDeck(self, self.mount_late)
        """The panes: layout, the active pane, what they show."""
        self.sidebar = LibrarySidebar(self, state, notes)
        """The library sidebar (built when first shown)."""
        self.find = FindSession(self)
        """Find in the brief (``/``, ``n`` / ``N`` while a query is active)."""
        self.late = LateParts(self, self.find)
        """The parts mounted right after the first frame."""
        self.note_actions = NoteActions(self, notes)
        """The note keys, and the note counts and markers of the panes."""
        self.share = ShareActions(self)  # editor, clipboard, problems keys; the link line
        self.on_demand = OnDemand(self, self, state, notes, self.note_actions)
        """Word selection, changes since last read, draft offers: built on first use."""

    @property
    def selection(self) -> SelectionActions:
        """Words selected from the keyboard, and the coloured words of the panes."""
        return self.on_demand.selection

    @property
    def selecting(self) -> bool:
        """Whether words are selected (the selection keys are on)."""
        return self.on_demand.selecting

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
            # Not on the first frame of a valid brief: the find bar (mounted right after it),
            # Timeline and Sources (after #grid) and the problems view (when first needed).
        yield KeyFooter()

    def on_mount(self) -> None:
        self.panes.set_width(self.app.size.width)
        self.state.library_changed.subscribe(self, self._library_changed)
        if self.state.current is not None:
            self.show_entry(self.state.current)
        self.call_after_refresh(self.late.mount_find_bar)
        shown = self._show_library
        if self.app.size.width >= WIDE if shown is None else shown:
            self.call_after_refresh(self.show_library, True, focus=False)

    # -- public API ------------------------------------------------------------------------------

    @property
    def entry(self) -> Entry | None:
        """The entry on screen."""
        return self.panes.entry

    @property
    def active(self) -> str:
        """Section of the active pane (the focused one, or the one shown in narrow mode)."""
        return self.panes.active

    @property
    def highlighter(self) -> Highlighter | None:
        """What marks search matches in every pane (None: nothing)."""
        return self.panes.highlighter

    def pane(self, section: str) -> Pane:
        """The pane showing ``section`` (``key_points`` live in the summary pane)."""
        return self.panes.pane(section)

    def mounted_panes(self) -> list[Pane]:
        """The panes mounted now (:meth:`pane` mounts Timeline and Sources if need be)."""
        return self.panes.all_panes()

    def mount_late(self) -> None:
        """Mount what the first frame of a valid brief does not show (once, when first needed:
        Timeline or Sources shown or searched, a reload's news, an invalid file's problems)."""
        if not self.late.mounted:
            self.late.mount(self.panes)
            self.call_after_refresh(self.refresh_notes)  # markers for the panes just mounted

    @property
    def reload_banner(self) -> ReloadBanner:
        """The banner of live reload's news about the file on screen (mounted when first
        needed, like everything the first frame of a valid brief does not show)."""
        self.mount_late()
        return self.late.reload_banner

    @property
    def library(self) -> LibraryList | None:
        """The library sidebar, once it has been shown (None before)."""
        return self.sidebar.widget

    @property
    def library_shown(self) -> bool:
        """Whether the library sidebar is visible."""
        return self.sidebar.shown

    def show_library(self, shown: bool, *, focus: bool = True) -> None:
        """Show or hide the library sidebar; shown, it takes the keyboard (if ``focus``)."""
        current = self.entry.path if self.entry is not None else None
        if self.sidebar.show(shown, focus=focus, current=current):
            self.activate_pane(self.active)

    def _library_changed(self, change: LibraryChange) -> None:
        self.sidebar.follow(change, self.entry.path if self.entry is not None else None)

    def show_reload_news(self, news: ReloadNews) -> None:
        """Show what live reload did to the file on screen: its new version, in place, or in
        the banner, why the new version is not shown (deleted, or invalid)."""
        self.mount_late()
        fresh = self.late.show_reload_news(news)
        if fresh is not None:
            self.show_entry(fresh)

    def show_entry(self, entry: Entry, anchor: str | None = None) -> None:
        """Show ``entry``; a valid brief fills the panes, an invalid one shows its problems.

        The same file again (a reload) keeps every cursor and scroll position. Panes out of
        sight of the first frame are filled right after it, so a huge brief shows at once.
        An entry not loaded yet (a stub: a huge brief being parsed) shows its header over
        empty panes until the app shows the loaded entry.
        """
        shown = self.entry
        same_brief = shown is not None and shown.loaded and shown.path == entry.path
        self.query_one(BriefHeader).show_entry(entry)
        self.panes.show(entry, keep_position=same_brief)
        if entry.brief is None and entry.loaded:
            from termbrief.ui.panes.problems import ProblemsView

            self.mount_late()
            self.query_one("#problems", ProblemsView).show_entry(entry)
        self.sidebar.select(entry.path)
        self.panes.update_layout()
        if anchor is not None:
            self.reveal(Jump(anchor))
        elif not same_brief and entry.brief is not None:
            self.activate_pane(self.active if self.app.focused is not None else "summary")
        self.refresh_notes()
        if not same_brief and self.late.mounted:
            self.reload_banner.clear()  # it spoke of the previous file
        self.find.follow_brief()

    def reveal(self, jump: Jump) -> bool:
        """Show and focus the pane holding ``jump.anchor``, with the cursor on that item."""
        return self.panes.reveal(jump)

    def set_highlight(self, highlighter: Highlighter | None) -> None:
        """Mark search matches in every pane (None clears), keeping each cursor where it is."""
        self.panes.set_highlight(highlighter)

    def focused_anchor(self) -> str:
        """Anchor of the item under the cursor of the active pane (what a note would attach to)."""
        return self.pane(self.active).current_anchor()

    def refresh_notes(self) -> None:
        """Recount the notes of the brief on screen: pane titles and item markers."""
        self.note_actions.refresh()
        self.on_demand.refresh()

    def show_note_marks(self, marks: NoteMarks) -> None:
        """Show the note counts in the pane titles and mark the items with notes."""
        self.panes.show_note_marks(marks)
        self.on_demand.show_marks(marks)

    def activate_pane(self, section: str, *, focus: bool = True) -> None:
        """Make ``section``'s pane the active one: show it and (by default) focus it."""
        self.panes.activate(section, focus=focus)

    def on_resize(self, event: Resize) -> None:
        self.panes.set_width(event.size.width)

    # -- focus tracking --------------------------------------------------------------------------

    @on(DescendantFocus)
    def _focus_moved(self, event: DescendantFocus) -> None:
        self.panes.focus_moved(event.widget)
        if self.sidebar.holds(event.widget):
            # Notes written since are counted before the reader can type a filter.
            self.sidebar.refresh_briefs_with_notes()

    # -- actions ---------------------------------------------------------------------------------

    def action_show_pane(self, section: str) -> None:
        """Focus the pane of ``section`` (keys 1-6)."""
        self.activate_pane(section)

    def action_cycle_pane(self, step: int) -> None:
        """Focus the next (step 1) or previous (step -1) pane; the library joins when shown."""
        order = list(PANE_KEYS)
        library = self.library
        if library is not None and library.display:
            order.insert(0, "library")
        current = "library" if self.sidebar.holds(self.focused) else self.active
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

    async def action_open_search(self) -> None:
        """Open the find bar (with the last query selected, if any)."""
        if self.find.bar is None or not self.find.bar.is_mounted:
            # A "/" typed before the bar is mounted still opens it. Only then: awaiting yields to
            # the event loop, and the keys typed right after "/" would go to the pane instead.
            self.late.mount_find_bar()
            await self.late.wait()
        if self.find.bar is not None:
            self.find.bar.open(self.find.query or None)

    def action_search_step(self, step: int) -> None:
        """Go to the next (1) or previous (-1) match, across panes, wrapping around."""
        self.find.step(step)

    def action_clear_search(self) -> None:
        """Clear the query and the highlights (n / N are the notes keys again)."""
        self.find.clear()

    def action_add_note(self) -> None:
        """Write a note on the selected words, else on the highlighted item of the active pane
        (or on the pane's section)."""
        if self.selecting:
            self.selection.annotate()
        else:
            self.note_actions.add()

    def action_select_words(self) -> None:
        """Select the find match under the cursor, or the first word of the item there."""
        self.selection.start()

    def action_grow_selection(self, unit: str, step: int) -> None:
        """Take in (1) or let go of (-1) a word or a sentence at the selection's end."""
        self.selection.grow(unit, step)

    def action_highlight_selection(self) -> None:
        """Highlight the selected words (a note without text)."""
        self.selection.highlight()

    def action_drop_selection(self) -> None:
        """Forget the selection."""
        self.selection.drop()

    def action_edit_note(self) -> None:
        """Edit the note on the highlighted item; with several, pick one in the notes panel."""
        self.note_actions.edit()

    def action_delete_note(self) -> None:
        """Delete the note on the highlighted item (``u`` brings it back)."""
        self.note_actions.delete()

    def action_undo_delete_note(self) -> None:
        """Bring back the last note deleted with ``d``."""
        self.note_actions.undo_delete()

    def action_toggle_inline_notes(self) -> None:
        """Show each item's notes in full under it, or stop (remembered per user)."""
        self.note_actions.toggle_inline()

    def action_notes_panel(self) -> None:
        """Open the notes panel of the brief; Enter there jumps to the note's item."""
        self.note_actions.open_panel()

    def action_show_changes(self) -> None:
        """List what changed since you last read the brief; Enter jumps to the item."""
        self.on_demand.changes.open_view()

    def action_step_change(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) item changed since you last read the brief."""
        self.on_demand.changes.go(direction)

    def action_mark_read(self) -> None:
        """Mark the brief read now: its changes are no longer shown."""
        self.app.post_message(MarkReadRequested())

    def action_share(self, name: str) -> None:
        """Hand the focused item to the editor or the clipboard, or list the file's problems."""
        self.share.run(name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return key_state(self, action)

    # -- the find bar ----------------------------------------------------------------------------

    def on_search_bar_query_changed(self, message: SearchBar.QueryChanged) -> None:
        message.stop()
        self.find.query_changed(message.query)

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        message.stop()
        self.find.submitted()

    def on_search_bar_step(self, message: SearchBar.Step) -> None:
        message.stop()
        self.find.step(1 if message.forward else -1)
        # Stepping from the field keeps the keyboard in it, to refine the query.
        if message.search_bar.is_open:
            message.search_bar.input.focus()

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        message.stop()
        had_focus = self.focused is None or self.focused is message.search_bar.input
        self.find.closed()
        if had_focus and self.entry is not None and self.entry.ok:
            self.pane(self.active).focus_body()

    # -- opening items ---------------------------------------------------------------------------

    @on(RecordTable.Selected)
    def _open_record(self, event: RecordTable.Selected) -> None:
        event.stop()
        anchor = event.record.anchor
        notes = self.note_actions.notes_on(anchor)
        open_record(self, self._brief(), anchor, self._jump_back, notes)

    def _jump_back(self, jump: Jump | None) -> None:
        if jump is not None:
            self.reveal(jump)

    @on(ItemList.Activated)
    def _open_item(self, event: ItemList.Activated) -> None:
        event.stop()
        item = event.item
        if self.on_demand.colours_words and self.selection.open_note(item.anchor):
            return  # Enter on highlighted words opens their note
        list_id = event.item_list.id
        open_list_item(self, self._brief(), list_id, item.anchor, item.links, self._jump_back)

    def on_sources_pane_links_asked(self, message: SourcesPane.LinksAsked) -> None:
        message.stop()
        open_links(self, message.links)

    def _brief(self) -> Brief | None:
        return self.entry.brief if self.entry is not None else None
