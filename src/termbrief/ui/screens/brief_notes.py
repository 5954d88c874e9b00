"""The note keys of the brief screen, and the note counts and markers it shows.

:class:`NoteActions` is a plain object the brief screen holds: ``n`` writes a note on the
highlighted item, ``e`` edits it, ``d`` deletes it, ``u`` brings it back, ``N`` opens the notes
panel. The store belongs to the app's notes session
(:class:`~termbrief.ui.services.notes.NotesSession`), which opens it when a note needs it. Each
pane's title counts its notes ("3 Actors (3) · 2 notes") and items with notes carry a dot; both
follow every save, edit, delete and undo, the notes panel, a change of brief, and saves made by
another running termbrief (:meth:`NoteActions.refresh`).

:mod:`termbrief.store.notes` (SQLite) and the dialogs are imported on first use, never for the first
frame, and not at all by reading while there are no notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

import msgspec

from termbrief.core.library import Entry
from termbrief.ui.panes.pane import Jump
from termbrief.ui.services.notes import NoteMarks, NotesSession

if TYPE_CHECKING:
    from textual.app import App

    from termbrief.core.anchors import Anchor
    from termbrief.core.annotation import Placement, Target
    from termbrief.core.model import Brief
    from termbrief.core.settings import Settings
    from termbrief.store.backend import NotesBackend
    from termbrief.store.notes import Note, NotesError


class NotesView(Protocol):
    """What the note keys need from the screen they serve (the brief screen)."""

    @property
    def app(self) -> App[object]:
        """The app (dialogs, notifications, the bell)."""
        ...

    @property
    def entry(self) -> Entry | None:
        """The entry on screen."""
        ...

    def focused_anchor(self) -> str:
        """The anchor of the item under the cursor of the active pane."""
        ...

    def reveal(self, jump: Jump) -> bool:
        """Show and focus the item of ``jump``."""
        ...

    def show_note_marks(self, marks: NoteMarks) -> None:
        """Show the note counts in the pane titles and mark the items with notes."""
        ...


@runtime_checkable
class InlineNotesMemory(Protocol):
    """An app that remembers per user whether notes show inline (termbrief's does)."""

    @property
    def settings(self) -> Settings:
        """The user's settings (``inline_notes`` among them)."""
        ...

    def remember_inline_notes(self, shown: bool) -> None:
        """Save the choice for the next start."""
        ...


class NoteActions:
    """What the note keys do on one brief screen."""

    def __init__(self, view: NotesView, session: NotesSession) -> None:
        """Note keys for ``view`` (the brief screen), on the store of ``session``."""
        self._view = view
        self._session = session
        self.marks = NoteMarks()
        """The notes of the brief on screen as last counted (:meth:`refresh`), each placed."""

    @property
    def available(self) -> bool:
        """Whether a brief is on screen to take notes on (not an invalid file's problems)."""
        entry = self._view.entry
        return entry is not None and entry.brief is not None

    def refresh(self) -> None:
        """Recount the notes of the brief on screen: pane titles and item markers (from a
        team server once read in a worker, see :meth:`NotesSession.load_marks`)."""
        if self._session.store is None:
            return  # no notes yet (and no SQLite imported for them)
        brief = self._view.entry.brief if self._view.entry is not None else None
        if brief is None:
            self._show_marks(NoteMarks())
        else:
            self._session.load_marks(brief, self._show_marks, self._marks_failed)

    def _show_marks(self, marks: NoteMarks) -> None:
        self.marks = marks = msgspec.structs.replace(marks, inline=self.inline)
        self._view.show_note_marks(marks)

    def _marks_failed(self, error: NotesError) -> None:
        self._view.app.notify(str(error), title="Cannot read notes", severity="error", markup=False)
        self._show_marks(NoteMarks())

    @property
    def inline(self) -> bool:
        """Whether notes show in full under the items they annotate (``i``; remembered)."""
        app = self._view.app
        return isinstance(app, InlineNotesMemory) and app.settings.inline_notes

    def toggle_inline(self) -> None:
        """Show notes in full under their items, or stop; the choice is remembered."""
        app = self._view.app
        if not isinstance(app, InlineNotesMemory):
            return
        shown = not app.settings.inline_notes
        app.remember_inline_notes(shown)
        self.refresh()
        if self._session.store is None:
            self._view.show_note_marks(msgspec.structs.replace(self.marks, inline=shown))
        app.notify("Notes shown under their items." if shown else "Notes hidden.", timeout=3)

    def notes_on(self, anchor: str) -> list[tuple[Note, Placement]]:
        """The notes on the item at ``anchor`` now, each with its placement, oldest first (as
        last counted: every save, edit, delete and reload recounts)."""
        return self.marks.shown_on(anchor)

    def _brief_on_screen(self) -> Brief | None:
        """The brief on screen, or None (after a bell)."""
        entry = self._view.entry
        brief = entry.brief if entry is not None else None
        if brief is None:
            self._view.app.bell()
        return brief

    def _brief_and_store(self, *, create: bool) -> tuple[Brief, NotesBackend] | None:
        """The brief on screen and the store, or None (after telling the user why not)."""
        brief = self._brief_on_screen()
        if brief is None:
            return None
        store = self._session.open_now(create=create)
        if store is None:  # no database yet, so no notes
            self._view.app.notify("No note here. Press n to write one.", markup=False)
            return None
        return brief, store

    def _anchor(self) -> Anchor:
        """The anchor a note made now would attach to: the highlighted item (its section when
        the pane is empty)."""
        from termbrief.core.anchors import Anchor

        return Anchor.parse(self._view.focused_anchor())

    def _notes_here(self, brief: Brief, store: NotesBackend) -> list[Note] | None:
        """Notes whose words are on the item under the cursor now, oldest first; None if the
        store failed."""
        from termbrief.store.notes import NotesError
        from termbrief.ui.services.notes import note_marks

        anchor = str(self._anchor())
        try:
            notes = store.notes_for(brief.id)
        except NotesError as error:
            self._view.app.notify(
                str(error), title="Cannot read notes", severity="error", markup=False
            )
            return None
        here = [placed.note for placed in note_marks(brief, notes).on_item(anchor)]
        if not here:
            self._view.app.notify("No note here. Press n to write one.", markup=False)
        return here

    # -- the note keys ------------------------------------------------------------------------

    def add(self, target: Target | None = None) -> None:
        """Write a note on ``target`` (selected words), else on the highlighted item of the
        active pane (or on the pane's section)."""
        brief = self._brief_on_screen()
        if brief is None:
            return
        from termbrief.core.anchors import make_quote
        from termbrief.core.annotation import Target
        from termbrief.store.notes import NotesError
        from termbrief.ui.screens.note_editor import NoteEditor

        if target is None:
            target = Target.of(brief, self._anchor())
        brief_id = brief.id

        def save(text: str) -> None:
            # The first note creates the database (its fsyncs come with the save's own).
            store = self._session.open_now(create=True)
            if store is None:
                raise NotesError("The notes database could not be created.")
            store.add(brief_id, target, text, visibility=editor.visibility)

        draft = self._session.drafts.keeper(brief_id, str(target.anchor), target=target)
        label = target.anchor.label(brief)
        editor = NoteEditor(
            label,
            make_quote(target.exact),
            save=save,
            draft=draft,
            visibility=self._session.new_note_visibility,
        )
        self._view.app.push_screen(editor, self._note_written)

    def highlight(self, target: Target) -> bool:
        """Save a highlight (a note without text) on ``target``'s words; whether it was saved
        (else the reader was told why not)."""
        brief = self._brief_on_screen()
        if brief is None:
            return False
        from termbrief.store.notes import NotesError

        try:
            store = self._session.open_now(create=True)
            if store is None:
                raise NotesError("The notes database could not be created.")
            store.add(brief.id, target, "")
        except NotesError as error:
            self._view.app.notify(
                str(error), title="Highlight not saved", severity="error", markup=False
            )
            return False
        self.refresh()
        self._view.app.notify("Highlighted. Enter on the item writes its note.", timeout=3)
        return True

    def open_note(self, note_id: str) -> None:
        """Open the note ``note_id`` of the brief on screen in the editor (a highlight: to
        write its note)."""
        found = next((p.note for p in self.marks.placed if p.note.id == note_id), None)
        ready = self._brief_and_store(create=False)
        if found is None or ready is None:
            return
        brief, store = ready
        self._edit(brief, store, found)

    def _note_written(self, text: str | None) -> None:
        if text is not None:
            self.refresh()
            self._view.app.notify("Note saved.", timeout=3)

    def _the_note_here(self, purpose: str) -> tuple[Brief, NotesBackend, Note] | None:
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

    def edit(self) -> None:
        """Edit the note on the highlighted item; with several, pick one in the notes panel."""
        found = self._the_note_here("edit")
        if found is None:
            return
        brief, store, note = found
        self._edit(brief, store, note)

    def _edit(self, brief: Brief, store: NotesBackend, note: Note) -> None:
        from termbrief.ui.screens.note_editor import NoteEditor

        if (reason := self._session.not_yours(note)) is not None:
            self._view.app.notify(reason, title="Not your note", markup=False)
            return

        def save(text: str) -> None:
            self._session.save_edit(store, note, text, editor.visibility)

        draft = self._session.drafts.keeper(brief.id, note.anchor, note.id)
        visibility = self._session.visibility_of(note)
        editor = NoteEditor(
            note.label(brief), note.quote, note.text, save=save, draft=draft, visibility=visibility
        )
        self._view.app.push_screen(editor, self._note_written)

    def delete(self) -> None:
        """Delete the note on the highlighted item (``u`` brings it back)."""
        found = self._the_note_here("delete")
        if found is None:
            return
        _brief, store, note = found
        from termbrief.store.notes import NotesError

        if (reason := self._session.not_yours(note)) is not None:
            self._view.app.notify(reason, title="Not your note", markup=False)
            return
        try:
            self._session.delete(store, note.id)
        except NotesError as error:
            self._view.app.notify(
                str(error), title="Note not deleted", severity="error", markup=False
            )
            return
        self.refresh()
        self._view.app.notify("Note deleted. Press u to undo.", timeout=8, markup=False)

    def undo_delete(self) -> None:
        """Bring back the last note deleted with ``d``."""
        from termbrief.store.notes import NotesError

        try:
            restored = self._session.undo_delete()
        except NotesError as error:
            self._view.app.notify(
                str(error), title="Note not restored", severity="error", markup=False
            )
            return
        if not restored:
            self._view.app.notify("No deleted note to bring back.", markup=False)
            return
        self.refresh()
        self._view.app.notify("Note restored.", timeout=3)

    def _several(self, here: list[Note], verb: str) -> None:
        """Open the notes panel on the newest of several notes on one item."""
        self._view.app.notify(
            f"{len(here)} notes here: choose one and press {verb[0]} to {verb} it.", markup=False
        )
        self.open_panel(highlight=here[-1].id)

    def open_panel(self, highlight: str | None = None) -> None:
        """Open the notes panel of the brief; Enter there jumps to the note's item."""
        ready = self._brief_and_store(create=True)
        if ready is None:
            return
        brief, store = ready
        from termbrief.ui.screens.notes_panel import NotesPanel

        self._view.app.push_screen(
            NotesPanel(brief, store, highlight=highlight), self._panel_closed
        )

    def _panel_closed(self, anchor: str | None) -> None:
        self.refresh()
        if anchor is not None:
            self._view.reveal(Jump(anchor))
