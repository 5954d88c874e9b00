"""Notes on the brief screen: the keys that write, edit and delete notes, and what shows them.

:class:`NotesKeys` is a base of ``BriefScreen``. After the first frame the app tells the screen
where the notes database is and how to open it (:meth:`NotesKeys.expect_notes`). An existing
database opens at once, in a thread; a missing one is not created until a note is saved or the
notes panel opens (reading never needs SQLite, which costs ~2 MB), and one created meanwhile by
another running termbrief is noticed within :data:`POLL_SECONDS` (a ``stat`` of the file) and
opened. The app hands the open store to the screen (:meth:`NotesKeys.attach_notes`). From then
on each pane's title counts its notes ("3 Actors (3) · 2 notes"), items with notes carry a dot,
and both follow every save, edit, delete and undo, the notes panel, a change of brief, and saves
made by another running termbrief (noticed by polling ``PRAGMA data_version``, which costs
microseconds).

:mod:`termbrief.store.notes` (SQLite) and the dialogs are imported on first use, never for the first
frame, and not at all by reading while there are no notes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from termbrief.ui.panes.pane import Jump, Pane

if TYPE_CHECKING:
    from termbrief.core.model import Brief
    from termbrief.store.notes import Note, NotesStore
    from termbrief.ui.screens.brief import BriefScreen

POLL_SECONDS = 2.0
"""How often the screen checks whether another running termbrief saved notes (or created the
notes database)."""

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


class NotesOpened(Message):
    """The notes store is open (posted by the app's start-up worker)."""

    def __init__(self, store: NotesStore) -> None:
        super().__init__()
        self.store = store
        """The opened store; it may be read-only or freshly recovered (see :func:`warnings_of`)."""


def warnings_of(store: NotesStore) -> list[str]:
    """What the user must be told about ``store`` as it opened: a recovery, or no saving."""
    warnings: list[str] = []
    if store.recovered_backup is not None:
        warnings.append(
            f"Your notes database was damaged; it was moved to {store.recovered_backup} "
            "and a fresh one started."
        )
    if store.read_only_reason is not None:
        warnings.append(f"Notes can be read but not saved: {store.read_only_reason}")
    return warnings


def describe_count(attached: int, orphaned: int) -> str:
    """Pane title text for a pane's notes: ``"2 notes"``, ``"3 notes (1 orphaned)"``, or ``""``."""
    total = attached + orphaned
    if not total:
        return ""
    text = f"{total} note" if total == 1 else f"{total} notes"
    return f"{text} ({orphaned} orphaned)" if orphaned else text


def note_marks(brief: Brief, counts: Mapping[str, int]) -> tuple[dict[str, str], frozenset[str]]:
    """Pane title texts (by pane section) and the anchors to mark, from notes per anchor.

    A pane counts the notes on its section and on its items (the summary pane holds the key
    points too); notes whose item is gone from the brief are counted as orphaned and marked
    nowhere.
    """
    from termbrief.store.notes import anchor_content

    tally: dict[str, list[int]] = {}
    marked: set[str] = set()
    for anchor, count in counts.items():
        section = anchor.partition("/")[0]
        pane = "summary" if section == "key_points" else section
        alive = anchor_content(brief, anchor) is not None
        if alive:
            marked.add(anchor)
        tally.setdefault(pane, [0, 0])[0 if alive else 1] += count
    titles = {
        pane: describe_count(attached, orphaned) for pane, (attached, orphaned) in tally.items()
    }
    return titles, frozenset(marked)


class NotesKeys(Screen[None]):
    """Notes keys and markers for ``BriefScreen`` (``n`` add, ``e`` edit, ``d`` delete, ``u`` undo,
    ``N`` the notes panel)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *NOTES_SHARED_BINDINGS,
        Binding("e", "edit_note", "Edit note", show=False, id="note.edit"),
        Binding("d", "delete_note", "Delete note", show=False, id="note.delete"),
        Binding("u", "undo_delete_note", "Undo note delete", show=False, id="note.undo"),
    ]

    notes_store: NotesStore | None = None
    """The notes store, once the app has opened it (None before)."""
    _notes_version: int = -1
    _deleted_notes: tuple[Note, ...] = ()
    _notes_path: Path | None = None
    _open_notes_now: Callable[[], NotesStore] | None = None
    _open_notes_later: Callable[[], object] | None = None
    _notes_requested: bool = False
    _notes_polling: bool = False

    @property
    def _brief_screen(self) -> BriefScreen:
        # Only BriefScreen inherits this class; the cast gives its API to the type checker.
        return cast("BriefScreen", self)

    # -- store and markers -----------------------------------------------------------------------

    def expect_notes(
        self,
        path: Path,
        open_now: Callable[[], NotesStore],
        open_later: Callable[[], object],
    ) -> None:
        """Where the notes database is, and how to open it: ``open_now`` opens (creating the
        database) and attaches the store before it returns; ``open_later`` starts opening it in
        the background (the store arrives through :meth:`attach_notes`).

        An existing database is opened later at once; a missing one when a notes action needs
        it, or once it appears (another termbrief saved its first note).
        """
        self._notes_path = path
        self._open_notes_now, self._open_notes_later = open_now, open_later
        self._notes_appeared()
        self._poll_notes_every(POLL_SECONDS)

    def _notes_appeared(self) -> bool:
        """Start opening the database if it exists now; whether opening was started."""
        if self.notes_store is not None or self._notes_requested or self._open_notes_later is None:
            return False
        if not self._notes_exist():
            return False
        self._notes_requested = True
        self._open_notes_later()
        return True

    def _poll_notes_every(self, seconds: float) -> None:
        if not self._notes_polling:
            self._notes_polling = True
            self.set_interval(seconds, self._poll_notes, name="notes-poll")

    def attach_notes(self, store: NotesStore) -> None:
        """Use ``store`` from now on: show the counts and markers, and watch for other writers."""
        self.notes_store = store
        self.refresh_notes()
        self._poll_notes_every(POLL_SECONDS)

    def refresh_notes(self) -> None:
        """Recount the notes of the brief on screen: pane titles and item markers."""
        store = self.notes_store
        if store is None:
            return
        from termbrief.store.notes import NotesError

        entry = self._brief_screen.entry
        brief = entry.brief if entry is not None else None
        counts: dict[str, int] = {}
        try:
            self._notes_version = store.data_version()
            if brief is not None:
                counts = store.counts_by_anchor(brief.id)
        except NotesError as error:
            self.notify(str(error), title="Cannot read notes", severity="error", markup=False)
        titles, marked = note_marks(brief, counts) if brief is not None else ({}, frozenset())
        for pane in self.query(".pane").results(Pane):
            pane.extra = titles.get(pane.SECTION, "")
        self._brief_screen.set_marked(marked)

    def _poll_notes(self) -> None:
        """Refresh if another connection (another termbrief, ``termbrief notes import``) wrote;
        without a store, open the database once it exists."""
        store = self.notes_store
        if store is None:
            self._notes_appeared()
            return
        from termbrief.store.notes import NotesError

        try:
            changed = store.data_version() != self._notes_version
        except NotesError:
            return  # reported by the next explicit refresh; polling must not flood the screen
        if changed:
            self.refresh_notes()

    def _store_now(self, *, create: bool) -> NotesStore | None:
        """The store, opened now if it is not open yet; a missing database is created only with
        ``create`` (without one there are no notes to read)."""
        open_now = self._open_notes_now
        if self.notes_store is None and open_now is not None and (create or self._notes_exist()):
            open_now()  # attaches the store (attach_notes)
        return self.notes_store

    def _notes_exist(self) -> bool:
        return self._notes_path is not None and self._notes_path.exists()

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
        store = self._store_now(create=create)
        if store is None:
            if self._open_notes_now is None:
                self.notify("Notes are still opening; try again in a moment.", markup=False)
            else:  # no database yet, so no notes
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
        if self.notes_store is None and self._open_notes_now is None:
            self.notify("Notes are still opening; try again in a moment.", markup=False)
            return
        from termbrief.store.notes import NotesError, anchor_label, quote_for
        from termbrief.ui.screens.note_editor import NoteEditor

        anchor = self._anchor()
        quote = quote_for(brief, anchor)
        brief_id = brief.id

        def save(text: str) -> None:
            # The first note creates the database (its fsyncs come with the save's own).
            store = self._store_now(create=True)
            if store is None:
                raise NotesError("Notes are still opening; try again in a moment.")
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
            deleted = store.delete(note.id)
        except NotesError as error:
            self.notify(str(error), title="Note not deleted", severity="error", markup=False)
            return
        self._deleted_notes = (*self._deleted_notes, deleted)
        self.refresh_notes()
        self.notify("Note deleted. Press u to undo.", timeout=8, markup=False)

    def action_undo_delete_note(self) -> None:
        """Bring back the last note deleted with ``d``."""
        store = self.notes_store
        if store is None or not self._deleted_notes:
            self.notify("No deleted note to bring back.", markup=False)
            return
        from termbrief.store.notes import NotesError

        note = self._deleted_notes[-1]
        try:
            store.restore(note)
        except NotesError as error:
            self.notify(str(error), title="Note not restored", severity="error", markup=False)
            return
        self._deleted_notes = self._deleted_notes[:-1]
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
