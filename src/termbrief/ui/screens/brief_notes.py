"""Notes on the brief screen: the keys that write, edit and delete notes, and what shows them.

:class:`NotesKeys` is a base of ``BriefScreen``. The notes store itself belongs to the app's
notes session (:class:`~termbrief.ui.services.notes.NotesSession`), which opens it when notes
need it. Each pane's title counts its notes ("3 Actors (3) · 2 notes"), items with notes carry a
dot, and both follow every save, edit, delete and undo, the notes panel, a change of brief, and
saves made by another running termbrief (:meth:`NotesKeys.refresh_notes`).

:mod:`termbrief.store.notes` (SQLite) and the dialogs are imported on first use, never for the first
frame, and not at all by reading while there are no notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.screen import Screen

from termbrief.ui.panes.pane import Jump, Pane
from termbrief.ui.services.notes import NoteMarks, NotesSession

if TYPE_CHECKING:
    from termbrief.core.model import Brief
    from termbrief.store.notes import Note, NotesStore
    from termbrief.ui.screens.brief import BriefScreen

_NOTES_GROUP = Binding.Group("Notes", compact=True)  # one footer entry: the footer is crowded
NOTES_SHARED_BINDINGS: tuple[Binding, ...] = (
    Binding("n", "add_note", "Add a note", id="note.add", group=_NOTES_GROUP),
    Binding("N", "notes_panel", "Notes panel", id="notes.panel", group=_NOTES_GROUP),
)
"""The notes keys that search shares (``n`` / ``N`` step through matches while a search is on).

Textual keeps only the most derived class's bindings for a key, so ``BriefScreen.BINDINGS``
lists these together with search's bindings of the same keys; each feature's ``check_action``
enables its own.
"""


class NotesKeys(Screen[None]):
    """Notes keys and markers for ``BriefScreen`` (``n`` add, ``e`` edit, ``d`` delete, ``u`` undo,
    ``N`` the notes panel)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *NOTES_SHARED_BINDINGS,
        Binding("e", "edit_note", "Edit note", show=False, id="note.edit"),
        Binding("d", "delete_note", "Delete note", show=False, id="note.delete"),
        Binding("u", "undo_delete_note", "Undo note delete", show=False, id="note.undo"),
    ]

    @property
    def _brief_screen(self) -> BriefScreen:
        # Only BriefScreen inherits this class; the cast gives its API to the type checker.
        return cast("BriefScreen", self)

    @property
    def _session(self) -> NotesSession:
        return self._brief_screen.notes_session

    # -- markers ---------------------------------------------------------------------------------

    def refresh_notes(self) -> None:
        """Recount the notes of the brief on screen: pane titles and item markers."""
        if self._session.store is None:
            return  # no notes yet (and no SQLite imported for them)
        from termbrief.store.notes import NotesError

        entry = self._brief_screen.entry
        brief = entry.brief if entry is not None else None
        marks = NoteMarks()
        try:
            if brief is not None:
                marks = self._session.marks(brief)
        except NotesError as error:
            self.notify(str(error), title="Cannot read notes", severity="error", markup=False)
        for pane in self.query(".pane").results(Pane):
            pane.extra = marks.titles.get(pane.SECTION, "")
        self._brief_screen.set_marked(marks.marked)

    def _brief_on_screen(self) -> Brief | None:
        """The brief on screen, or None (after a bell)."""
        entry = self._brief_screen.entry
        brief = entry.brief if entry is not None else None
        if brief is None:
            self.app.bell()
        return brief

    def _brief_and_store(self, *, create: bool) -> tuple[Brief, NotesStore] | None:
        """The brief on screen and the store, or None (after telling the user why not)."""
        brief = self._brief_on_screen()
        if brief is None:
            return None
        store = self._session.open_now(create=create)
        if store is None:  # no database yet, so no notes
            self.notify("No note here. Press n to write one.", markup=False)
            return None
        return brief, store

    def _anchor(self) -> str:
        """The anchor a note made now would attach to: the highlighted item, else its section."""
        from termbrief.store.notes import is_valid_anchor

        anchor = self._brief_screen.focused_anchor()
        return anchor if is_valid_anchor(anchor) else anchor.partition("/")[0]

    def _notes_here(self, brief: Brief, store: NotesStore) -> list[Note] | None:
        """Notes on the item under the cursor, oldest first; None if the store failed."""
        from termbrief.store.notes import NotesError

        anchor = self._anchor()
        try:
            notes = store.notes_for(brief.id)
        except NotesError as error:
            self.notify(str(error), title="Cannot read notes", severity="error", markup=False)
            return None
        here = [note for note in notes if note.anchor == anchor]
        if not here:
            self.notify("No note here. Press n to write one.", markup=False)
        return here

    # -- actions ---------------------------------------------------------------------------------

    def action_add_note(self) -> None:
        """Write a note on the highlighted item of the active pane (or on the pane's section)."""
        brief = self._brief_on_screen()
        if brief is None:
            return
        from termbrief.store.notes import NotesError, anchor_label, quote_for
        from termbrief.ui.screens.note_editor import NoteEditor

        anchor = self._anchor()
        quote = quote_for(brief, anchor)
        brief_id = brief.id

        def save(text: str) -> None:
            # The first note creates the database (its fsyncs come with the save's own).
            store = self._session.open_now(create=True)
            if store is None:
                raise NotesError("The notes database could not be created.")
            store.add(brief_id, anchor, text, quote)

        editor = NoteEditor(anchor_label(brief, anchor), quote, save=save)
        self.app.push_screen(editor, self._note_written)

    def _note_written(self, text: str | None) -> None:
        if text is not None:
            self.refresh_notes()
            self.notify("Note saved.", timeout=3)

    def _the_note_here(self, purpose: str) -> tuple[Brief, NotesStore, Note] | None:
        """The one note on the highlighted item, to edit or delete; with several, the notes
        panel opens on them for ``purpose`` ("edit" or "delete") and this gives None."""
        ready = self._brief_and_store(create=False)
        if ready is None:
            return None
        brief, store = ready
        here = self._notes_here(brief, store)
        if not here:
            return None
        if len(here) > 1:
            self._several(here, purpose)
            return None
        return brief, store, here[0]

    def action_edit_note(self) -> None:
        """Edit the note on the highlighted item; with several, pick one in the notes panel."""
        found = self._the_note_here("edit")
        if found is None:
            return
        brief, store, note = found
        from termbrief.store.notes import anchor_label
        from termbrief.ui.screens.note_editor import NoteEditor

        def save(text: str) -> None:
            store.update(note.id, text)

        editor = NoteEditor(anchor_label(brief, note.anchor), note.quote, note.text, save=save)
        self.app.push_screen(editor, self._note_written)

    def action_delete_note(self) -> None:
        """Delete the note on the highlighted item (``u`` brings it back)."""
        found = self._the_note_here("delete")
        if found is None:
            return
        _brief, store, note = found
        from termbrief.store.notes import NotesError

        try:
            self._session.delete(store, note.id)
        except NotesError as error:
            self.notify(str(error), title="Note not deleted", severity="error", markup=False)
            return
        self.refresh_notes()
        self.notify("Note deleted. Press u to undo.", timeout=8, markup=False)

    def action_undo_delete_note(self) -> None:
        """Bring back the last note deleted with ``d``."""
        from termbrief.store.notes import NotesError

        try:
            restored = self._session.undo_delete()
        except NotesError as error:
            self.notify(str(error), title="Note not restored", severity="error", markup=False)
            return
        if not restored:
            self.notify("No deleted note to bring back.", markup=False)
            return
        self.refresh_notes()
        self.notify("Note restored.", timeout=3)

    def _several(self, here: list[Note], verb: str) -> None:
        """Open the notes panel on the newest of several notes on one item."""
        self.notify(
            f"{len(here)} notes here: choose one and press {verb[0]} to {verb} it.", markup=False
        )
        self.action_notes_panel(highlight=here[-1].id)

    def action_notes_panel(self, highlight: str | None = None) -> None:
        """Open the notes panel of the brief; Enter there jumps to the note's item."""
        ready = self._brief_and_store(create=True)
        if ready is None:
            return
        brief, store = ready
        from termbrief.ui.screens.notes_panel import NotesPanel

        self.app.push_screen(NotesPanel(brief, store, highlight=highlight), self._panel_closed)

    def _panel_closed(self, anchor: str | None) -> None:
        self.refresh_notes()
        if anchor is not None:
            self._brief_screen.reveal(Jump(anchor))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_note", "notes_panel") and getattr(self, "search_active", False):
            return False  # n / N step through search matches meanwhile
        if action in ("add_note", "notes_panel", "edit_note", "delete_note", "undo_delete_note"):
            entry = self._brief_screen.entry
            return entry is not None and entry.brief is not None
        return super().check_action(action, parameters)
