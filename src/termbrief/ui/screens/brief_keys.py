"""Every key of the brief screen, in one list (:class:`~termbrief.ui.screens.brief.BriefScreen`
binds them; the help and the keymap rules read them from there), and the groups of actions its
``check_action`` enables together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input

from termbrief.core.sections import PANES

if TYPE_CHECKING:
    from termbrief.core.library import Entry
    from termbrief.ui.screens.brief_library import LibrarySidebar
    from termbrief.ui.screens.brief_notes import NoteActions
    from termbrief.ui.screens.find import FindSession

__all__ = [
    "BRIEF_BINDINGS",
    "CHANGE_BINDINGS",
    "COPY_LINK_ID",
    "NOTE_ACTIONS",
    "SELECTION_ACTIONS",
    "SELECTION_BINDINGS",
    "SHARE_BINDINGS",
    "STEP_ASIDE_FOR_TYPING",
    "KeyedScreen",
    "key_state",
]

_NOTES_GROUP = Binding.Group("Notes", compact=True)  # one footer entry: the footer is crowded
_STEP_TIP = "Steps while a search is set, even with the find bar closed; Esc clears the search"
_CLEAR_TIP = "Forget the search: n and N add a note and open the notes again"


# The keys of the screen's helpers are declared here, not in their modules: the helpers are
# built on first use, and binding their keys must not import them.

SELECTION_BINDINGS: Final[list[BindingType]] = [
    # In the help, not the footer (full at 80 columns): starting a selection names the keys.
    Binding("m", "select_words", "Select words", show=False, id="selection.start"),
    Binding(
        "w",
        "grow_selection('word', 1)",
        "A word more",
        id="selection.word_more",
        show=False,
    ),
    Binding(
        "W",
        "grow_selection('word', -1)",
        "A word less",
        id="selection.word_less",
        show=False,
    ),
    Binding(
        "s",
        "grow_selection('sentence', 1)",
        "A sentence more",
        id="selection.sentence_more",
        show=False,
    ),
    Binding(
        "S",
        "grow_selection('sentence', -1)",
        "A sentence less",
        id="selection.sentence_less",
        show=False,
    ),
    Binding("h", "highlight_selection", "Highlight", show=False, id="selection.highlight"),
]
"""The brief screen's keys for selecting words (its ``action_select_words``,
``action_grow_selection(unit, step)`` and ``action_highlight_selection``)."""


_CHANGES = Binding.Group("Changes", compact=True)
CHANGE_BINDINGS: Final = (
    Binding("c", "show_changes", "Changes", id="changes.show", show=False, group=_CHANGES),
    Binding(
        "right_curly_bracket",
        "step_change(1)",
        "Next changed item",
        id="changes.next",
        show=False,
        group=_CHANGES,
    ),
    Binding(
        "left_curly_bracket",
        "step_change(-1)",
        "Previous changed item",
        id="changes.previous",
        show=False,
        group=_CHANGES,
    ),
    Binding("r", "mark_read", "Mark read", id="reading.mark_read", show=False, group=_CHANGES),
)
"""The brief screen's keys for changes since read (in the help; the banner names ``c``)."""


COPY_LINK_ID: Final = "link.copy"
"""Id of the binding that copies the address of the focused item's link."""
SHARE_BINDINGS: Final[list[BindingType]] = [
    # In the help, not the footer: it is full at 80 columns (the link line names Y).
    Binding("v", "share('edit')", "Edit in $EDITOR", show=False, id="brief.edit"),
    Binding("y", "share('copy_item')", "Copy item as Markdown", show=False, id="item.copy"),
    Binding("Y", "share('copy_link')", "Copy link address", show=False, id=COPY_LINK_ID),
    Binding("p", "share('show_problems')", "List every problem", show=False, id="problems.show"),
]
"""The brief screen's bindings for these keys: its ``action_share(name)`` calls
:meth:`ShareActions.run`."""


BRIEF_BINDINGS: Final[list[BindingType]] = [
    # "/" is a priority binding: it acts as soon as the app reads it, so what is typed right
    # after it already goes into the find field (a normal binding acts only once the focused
    # widget has passed the key up, after the app has sent it the next keys). check_action
    # lets it through to a text field. The pane keys are not: a key typed before one of them
    # must still act where it was typed, and Textual reads a key's bindings from the focus of
    # the moment it acts (so "j6" must not move the cursor of pane 6).
    Binding("slash", "open_search", "Find", id="search.open", priority=True),
    # n / N step through find matches while a query with matches is set (FindSession), else
    # they are the notes keys: check_action enables one binding of each key.
    Binding("n", "add_note", "Add a note", id="note.add", group=_NOTES_GROUP),
    Binding("n", "search_step(1)", "Next match", id="search.next", tooltip=_STEP_TIP),
    Binding("N", "notes_panel", "Notes panel", id="notes.panel", group=_NOTES_GROUP),
    Binding("N", "search_step(-1)", "Previous match", id="search.previous", tooltip=_STEP_TIP),
    Binding("escape", "drop_selection", "Drop selection", show=False, id="selection.drop"),
    Binding("escape", "restore", "Restore panes", show=False, id="pane.restore"),
    Binding("escape", "clear_search", "Clear search", id="search.clear", tooltip=_CLEAR_TIP),
    Binding("e", "edit_note", "Edit note", show=False, id="note.edit"),
    Binding("d", "delete_note", "Delete note", show=False, id="note.delete"),
    Binding("u", "undo_delete_note", "Undo note delete", show=False, id="note.undo"),
    Binding("i", "toggle_inline_notes", "Notes inline", show=False, id="note.inline"),
    *(
        Binding(
            str(pane.number),
            f"show_pane('{pane.key}')",
            pane.title,
            # The pane bar shows these keys; the footer keeps its room for the others.
            show=False,
            id=f"pane.{pane.key}",
        )
        for pane in PANES
    ),
    Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="pane.next"),
    Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="pane.previous"),
    Binding("z", "toggle_maximize", "Maximise", id="pane.maximize"),
    *SELECTION_BINDINGS,  # m select, w/W word, s/S sentence, h highlight
    *SHARE_BINDINGS,  # v edit, y copy item, Y copy link, p problems
    *CHANGE_BINDINGS,  # c changes since read, { } step through them, r mark read
]
STEP_ASIDE_FOR_TYPING: Final = frozenset({"open_search"})
"""The actions of the priority bindings above: check_action turns them off while a text
field has focus, so their keys type there (the keymap rules read this too)."""
SELECTION_ACTIONS: Final = frozenset({"grow_selection", "highlight_selection", "drop_selection"})
"""The keys that act on selected words (enabled while some are selected)."""
NOTE_ACTIONS: Final = frozenset(
    {
        "add_note",
        "notes_panel",
        "edit_note",
        "delete_note",
        "undo_delete_note",
        "toggle_inline_notes",
        "select_words",
    }
)


class KeyedScreen(Protocol):
    """What :func:`key_state` reads of the brief screen."""

    @property
    def focused(self) -> Widget | None: ...
    @property
    def maximized(self) -> Widget | None: ...
    @property
    def entry(self) -> Entry | None: ...
    @property
    def sidebar(self) -> LibrarySidebar: ...
    @property
    def selecting(self) -> bool: ...
    @property
    def note_actions(self) -> NoteActions: ...
    @property
    def find(self) -> FindSession: ...


def key_state(screen: KeyedScreen, action: str) -> bool | None:
    """Whether the brief screen's ``action`` is enabled now (True), shown greyed (None) or off
    (False): its ``check_action``."""
    if action in STEP_ASIDE_FOR_TYPING and isinstance(screen.focused, Input):
        return False  # typed into the field (these bindings are priority bindings)
    if action == "open_search" and screen.sidebar.holds(screen.focused):
        return False  # "/" in the library filters it
    valid = screen.entry is not None and screen.entry.ok
    if action == "restore":
        return screen.maximized is not None
    if action in ("show_pane", "cycle_pane", "toggle_maximize"):
        return screen.entry is None or valid or action == "cycle_pane"
    if action == "drop_selection" and not screen.selecting:
        return False  # Escape then belongs to its other bindings (footer and help show those)
    if action in SELECTION_ACTIONS:
        # None, not False: listed (greyed) in the help while no words are selected.
        return True if screen.selecting and screen.note_actions.available else None
    if action in ("add_note", "notes_panel") and screen.selecting:
        return screen.note_actions.available  # n / N are the notes keys while words are selected
    if action == "search_step" and screen.selecting:
        return False
    if action in ("add_note", "notes_panel") and screen.find.active:
        return False  # n / N step through find matches meanwhile
    if action in NOTE_ACTIONS:
        return screen.note_actions.available
    if action == "open_search":
        return valid
    if action == "search_step":
        return screen.find.active
    if action == "clear_search":
        return screen.find.can_clear
    return True
