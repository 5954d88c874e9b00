"""The brief screen's helpers that reading never needs, built on first use.

Word selection (:class:`~termbrief.ui.screens.brief_selection.SelectionActions`), the changes
since the brief was last read (:class:`~termbrief.ui.screens.brief_changes.ChangeActions`) and
the offer of drafts earlier runs left (:class:`~termbrief.ui.screens.brief_drafts.DraftOffers`):
a reader who never selects words, has no notes and reads an unchanged brief never imports them
(start-up time and memory, bench cases 1 and 8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from termbrief.ui.screens.brief_notes import NoteActions
from termbrief.ui.services.notes import NoteMarks, NotesSession
from termbrief.ui.state import ReaderState

if TYPE_CHECKING:
    from termbrief.store.reading import ChangesSince
    from termbrief.ui.panes.pane import Jump
    from termbrief.ui.screens.brief_changes import ChangeActions
    from termbrief.ui.screens.brief_drafts import DraftOffers, DraftsView
    from termbrief.ui.screens.brief_selection import SelectionActions, SelectionView


class OnDemand:
    """Builds the selection, change and draft helpers of one brief screen when first needed."""

    def __init__(
        self,
        view: SelectionView,
        drafts_view: DraftsView,
        state: ReaderState,
        notes: NotesSession,
        actions: NoteActions,
    ) -> None:
        """Helpers for the brief screen, which is both ``view`` and ``drafts_view`` (two
        protocols: what the selection needs, and what the draft offers need)."""
        self._view = view
        self._drafts_view = drafts_view
        self._state = state
        self._notes = notes
        self._note_actions = actions
        self._selection: SelectionActions | None = None
        self._drafts: DraftOffers | None = None
        self._changes: ChangeActions | None = None

    @property
    def selection(self) -> SelectionActions:
        """Words selected from the keyboard, and the coloured words of the panes."""
        if self._selection is None:
            from termbrief.ui.screens.brief_selection import SelectionActions

            self._selection = SelectionActions(self._view, self._note_actions)
        return self._selection

    @property
    def selecting(self) -> bool:
        """Whether words are selected (the selection keys are on)."""
        return self._selection is not None and self._selection.active

    @property
    def colours_words(self) -> bool:
        """Whether some words are coloured: a selection, or notes on words."""
        return self._selection is not None or bool(self._note_actions.marks.placed)

    @property
    def changes(self) -> ChangeActions:
        """What changed since the brief on screen was last read: banner, markers, ``c``."""
        if self._changes is None:
            from termbrief.ui.screens.brief_changes import ChangeActions

            view = self._view
            assert isinstance(view, Screen)
            self._changes = ChangeActions(view, self._state, self._notes, self._reveal)
            self._changes.follow()
        return self._changes

    def _reveal(self, jump: Jump) -> bool:
        return self._drafts_view.reveal(jump)

    def show_changes(self, changes: ChangesSince | None) -> None:
        """Show what changed since the brief on screen was last read (None: nothing did)."""
        if changes is not None or self._changes is not None:
            self.changes.show(changes)

    def refresh(self) -> None:
        """The brief on screen, or its notes, changed: offer its drafts, give the change
        markers to refilled panes, let the selection and coloured words follow."""
        if self._notes.store is not None:  # drafts live in the notes store
            if self._drafts is None:
                from termbrief.ui.screens.brief_drafts import DraftOffers

                self._drafts = DraftOffers(self._drafts_view, self._notes)
            self._drafts.offer()
        if self._changes is not None:
            self._changes.refresh_marks()
        if self.colours_words:
            self.selection.follow_brief()

    def show_marks(self, marks: NoteMarks) -> None:
        """New note marks are shown: colour the words they place."""
        if self._selection is not None or marks.placed:
            self.selection.show()
