"""Drafts left by an earlier run, offered back when their brief is opened.

:class:`DraftOffers` is a plain object the brief screen holds. Once the notes store is open and
a brief is on screen (:meth:`DraftOffers.offer`, called whenever the screen recounts its notes),
each draft of that brief not written in this run is offered in turn: "You have an unsaved note
on Figure: …" with restore, discard, or later. Restore shows the item and opens the note editor
on the draft (the note it edits, or a new note on its anchor); discard deletes it; later leaves
it for the next run. Each brief is offered once per run.

:mod:`termbrief.store.notes` and the dialogs are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

from termbrief.core.anchors import Anchor, make_quote
from termbrief.core.annotation import Target
from termbrief.core.library import Entry
from termbrief.ui.panes.pane import Jump
from termbrief.ui.services.notes import NotesSession

if TYPE_CHECKING:
    from textual.app import App

    from termbrief.core.model import Brief
    from termbrief.store.backend import NotesBackend
    from termbrief.store.drafts import Draft
    from termbrief.ui.screens.draft_dialogs import OfferChoice
    from termbrief.ui.screens.note_editor import NoteEditor

RETRY_SECONDS: Final = 1.0
"""How soon to look again when a dialog covers the brief at the moment drafts could be offered."""


class DraftsView(Protocol):
    """What the offers need from the screen they serve (the brief screen)."""

    @property
    def app(self) -> App[object]:
        """The app (dialogs, notifications, timers)."""
        ...

    @property
    def entry(self) -> Entry | None:
        """The entry on screen."""
        ...

    @property
    def is_active(self) -> bool:
        """Whether the screen is on top (no dialog over it)."""
        ...

    def reveal(self, jump: Jump) -> bool:
        """Show and focus the item of ``jump``."""
        ...

    def refresh_notes(self) -> None:
        """Recount the notes of the brief on screen."""
        ...


class DraftOffers:
    """Offers back, once per brief and run, the drafts earlier runs left."""

    def __init__(self, view: DraftsView, session: NotesSession) -> None:
        """Offers on ``view`` (the brief screen) of the drafts in ``session``'s store."""
        self._view = view
        self._session = session
        self._offered: set[str] = set()
        self._queue: list[Draft] = []
        self._retrying = False

    def offer(self) -> None:
        """Offer the drafts of the brief on screen, if not done yet in this run."""
        store = self._session.store
        entry = self._view.entry
        brief = entry.brief if entry is not None else None
        if store is None or brief is None or brief.id in self._offered or self._queue:
            return
        if not self._view.is_active:
            self._retry_later()  # a dialog is up: never stack an offer on top of it
            return
        from termbrief.store.notes import NotesError

        self._offered.add(brief.id)
        try:
            drafts = store.drafts.for_brief(brief.id)
        except NotesError:
            return  # the notes UI reports store errors; drafts stay for the next run
        written = self._session.drafts.written_this_run
        self._queue = [draft for draft in drafts if not written(draft.key)]
        self._next(brief, store)

    def _retry_later(self) -> None:
        if not self._retrying:
            self._retrying = True
            self._view.app.set_timer(RETRY_SECONDS, self._retry)

    def _retry(self) -> None:
        self._retrying = False
        self.offer()

    def _next(self, brief: Brief, store: NotesBackend) -> None:
        """Offer the next queued draft (if any)."""
        if not self._queue:
            return
        from termbrief.ui.screens.draft_dialogs import DraftOfferScreen

        draft = self._queue[0]
        offer = DraftOfferScreen(_label(brief, draft.key.anchor), draft.text, draft.updated)

        def answered(choice: OfferChoice | None) -> None:
            self._queue.pop(0)
            self._answered(brief, store, draft, choice)

        self._view.app.push_screen(offer, answered)

    def _answered(
        self, brief: Brief, store: NotesBackend, draft: Draft, choice: OfferChoice | None
    ) -> None:
        from termbrief.store.notes import NotesError

        if choice == "restore":
            self._view.reveal(Jump(draft.key.anchor))
            self._view.app.push_screen(
                self._editor(brief, store, draft),
                lambda text: self._restored(brief, store, text),
            )
            return
        if choice == "discard":
            try:
                store.drafts.discard(draft.key)
            except NotesError as error:
                self._view.app.notify(
                    str(error), title="Draft not discarded", severity="error", markup=False
                )
            else:
                self._view.app.notify("Draft discarded.", timeout=3, markup=False)
        self._next(brief, store)

    def _restored(self, brief: Brief, store: NotesBackend, text: str | None) -> None:
        if text is not None:
            self._view.refresh_notes()
            self._view.app.notify("Note saved.", timeout=3)
        self._next(brief, store)

    def _editor(self, brief: Brief, store: NotesBackend, draft: Draft) -> NoteEditor:
        """The note editor on ``draft``: the note it edits, or a new note on its anchor (also
        when that note was deleted meanwhile: the text is not lost with it)."""
        from termbrief.store.notes import NotesError
        from termbrief.ui.screens.note_editor import NoteEditor

        key = draft.key
        keeper = self._session.drafts.keeper(key.brief_id, key.anchor, key.note_id)
        label = _label(brief, key.anchor)
        note = None
        if key.note_id is not None:
            try:
                note = store.get(key.note_id)
            except NotesError:
                note = None
        if note is not None:
            note_id = note.id

            def update(text: str) -> None:
                store.update(note_id, text)

            return NoteEditor(label, note.quote, note.text, save=update, draft=keeper)
        # On the words it was written on, or its whole item, as `n` makes notes.
        target = draft.target or _target(brief, key.anchor)
        keeper.target = draft.target
        quote = make_quote(target.exact) if target is not None else ""

        def add(text: str) -> None:
            if target is None:  # an anchor this version no longer reads
                raise NotesError(
                    "This draft's place in the brief is not valid any more: copy the text and "
                    "write it as a new note."
                )
            store.add(brief.id, target, text)

        return NoteEditor(label, quote, save=add, draft=keeper)


def _label(brief: Brief, anchor: str) -> str:
    """What ``anchor`` names, for people; a stored string that is no longer an anchor as is."""
    try:
        return Anchor.parse(anchor).label(brief)
    except ValueError:
        return anchor


def _target(brief: Brief, anchor: str) -> Target | None:
    """A new note's target on the whole of ``anchor`` in ``brief``; None for a string that is
    not an anchor."""
    try:
        place = Anchor.parse(anchor)
    except ValueError:
        return None
    try:
        return Target.of(brief, place)
    except ValueError:  # its item is gone: the note is kept as an orphan, to re-attach
        return Target(place)
