"""The note editor: a multi-line Markdown editor in a modal dialog, which never loses text.

It shows what the note annotates (a label and a quote, always as literal text), saves with
ctrl+s through a callback, and keeps the text in the editor when saving fails (read-only or full
disk), showing why. Escape with unsaved text asks: discard, keep as a draft, or keep editing;
ctrl+q asks too (:func:`confirm_quit`).

Given a :class:`~termbrief.ui.services.drafts.DraftKeeper`, the editor starts from the draft
kept for its note, saves the draft a moment after each pause in typing, keeps it on every way
out (the app closing, SIGTERM, SIGHUP: the keeper follows the text), and deletes it when the
note is saved or discarded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Static, TextArea

from termbrief.store.notes import NotesError
from termbrief.ui.render.safe import one_line
from termbrief.ui.screens.confirm import ConfirmScreen
from termbrief.ui.screens.draft_dialogs import CloseChoice, CloseNoteScreen
from termbrief.ui.services.drafts import DRAFT_DELAY, DraftKeeper


class NoteEditor(ModalScreen[str | None]):
    """Write or edit one note; dismisses with the saved text, or None if nothing was saved.

    ``save(text)`` is called on ctrl+s and must store the note; if it raises
    :class:`~termbrief.store.notes.NotesError` the message is shown and the text stays.
    """

    DEFAULT_CSS = """
    NoteEditor {
        align: center middle;
    }
    NoteEditor > #note-dialog {
        width: 90%;
        max-width: 110;
        height: 80%;
        max-height: 36;
        padding: 0 1;
        border: thick $primary 70%;
        border-title-color: $text;
        background: $surface;
    }
    NoteEditor #note-target {
        text-style: bold;
        height: auto;
    }
    NoteEditor #note-quote {
        color: $text-muted;
        text-style: italic;
        height: auto;
        max-height: 4;
        margin-bottom: 1;
    }
    NoteEditor #note-text {
        height: 1fr;
    }
    NoteEditor #note-visibility {
        height: auto;
        color: $text-muted;
    }
    NoteEditor #note-error {
        display: none;
        height: auto;
        color: $text-error;
        background: $error-muted;
        padding: 0 1;
    }
    NoteEditor #note-error.-visible {
        display: block;
    }
    NoteEditor Footer {
        background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="note.save"),
        Binding("escape", "cancel", "Cancel", priority=True, id="note.cancel"),
        Binding("ctrl+t", "toggle_visibility", "Team/private", id="note.visibility"),
    ]

    def __init__(
        self,
        target_label: str,
        quote: str,
        text: str = "",
        *,
        save: Callable[[str], None],
        draft: DraftKeeper | None = None,
        visibility: Literal["private", "team"] | None = None,
    ) -> None:
        """Edit ``text`` about ``target_label`` (with ``quote`` of it); ``save`` stores it.

        With ``draft``, the editor starts from the draft kept for this note (if any) and keeps
        its draft while it is open. With ``visibility`` (notes on a team server), the editor
        shows who will read the note and ctrl+t switches between the team and only the writer;
        ``save`` reads the choice from :attr:`visibility`.
        """
        super().__init__()
        self.visibility = visibility
        """Who will read the note: ``team``, ``private``, or None (notes on this computer)."""
        self.target_label = target_label
        self.quote = quote
        self.original_text = text
        self._save = save
        self._finished = False
        self._draft = draft
        self._draft_timer: Timer | None = None
        self._draft_failed = False
        kept = draft.stored() if draft is not None else None
        self.restored_draft = kept is not None and kept.text != text
        """Whether the editor started from a draft instead of ``text``."""
        self._area = TextArea(
            kept.text if kept is not None else text,
            id="note-text",
            soft_wrap=True,
            tab_behavior="indent",
            placeholder="Write your note (Markdown)…",
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = "Note"
            yield Static(Content(f"On: {one_line(self.target_label)}"), id="note-target")
            if self.quote:
                yield Static(Content(f"“{one_line(self.quote)}”"), id="note-quote")
            yield self._area
            if self.visibility is not None:
                yield Static(self._visibility_text(), id="note-visibility")
            yield Static("", id="note-error")
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        area = self.text_area
        area.focus()
        area.move_cursor(area.document.end)
        if self._draft is not None:
            self._draft.follow(self._pending_draft)
        if self.restored_draft:
            self.notify("Your unsaved text of this note is back.", timeout=5, markup=False)

    def on_unmount(self) -> None:
        # Closing without an answer (the app quitting): keep what would be lost.
        self._stop_draft_timer()
        if self._draft is not None:
            self._draft.flush()
            self._draft.release()

    @property
    def text_area(self) -> TextArea:
        """The editor widget."""
        return self._area

    @property
    def text(self) -> str:
        """The text as it stands in the editor."""
        return self._area.text

    @property
    def has_draft(self) -> bool:
        """Whether the text is kept as a draft while it is written."""
        return self._draft is not None

    @property
    def unsaved(self) -> bool:
        """Whether closing now would lose typed text."""
        return bool(self.text.strip()) and self.text != self.original_text

    def show_error(self, message: str) -> None:
        """Show why the note was not saved, inside the dialog."""
        error = self.query_one("#note-error", Static)
        error.update(Content(message))
        error.add_class("-visible")

    def action_save(self) -> None:
        """Save the note through the callback; on failure keep the text and say why."""
        self._after_typing(self._save_typed)

    def _after_typing(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the editor has taken every key typed before this one.

        ctrl+s and Escape are priority keys, handled before the keys typed just ahead of them
        have reached the editor (a paste or fast typing arrives as one burst): without waiting,
        the save would miss the end of the text. The TextArea's queue holds those keys; a
        callback queued behind them hands ``action`` back to this screen (dismissing from inside
        the TextArea's own handler would wait on the TextArea forever).
        """
        self.text_area.call_later(self.call_later, action)

    def _save_typed(self) -> None:
        if self._finished:
            return  # a second ctrl+s while the first one is closing the dialog
        text = self.text
        if not text.strip():
            self.show_error("The note is empty: type something, or press Escape to close.")
            return
        try:
            self._save(text)
        except NotesError as error:
            message = str(error) or "The note could not be saved."
            self.show_error(f"{message} Your text is still here; copy it or try again.")
            self.notify(message, title="Note not saved", severity="error", markup=False)
            return
        self._finish(discard_draft=True)
        self.dismiss(text)

    def _visibility_text(self) -> Content:
        if self.visibility == "team":
            return Content("Visible to the team · ctrl+t: only to you")
        return Content("Private: only you see it · ctrl+t: share with the team")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Notes kept on this computer are private: nothing to switch.
        return action != "toggle_visibility" or self.visibility is not None

    def action_toggle_visibility(self) -> None:
        """Share the note with the team, or keep it to the writer (a team server only)."""
        if self.visibility is None:
            return
        self.visibility = "private" if self.visibility == "team" else "team"
        self.query_one("#note-visibility", Static).update(self._visibility_text())

    def action_cancel(self) -> None:
        """Close; ask first if that would throw away typed text."""
        self._after_typing(self._cancel_typed)

    def _cancel_typed(self) -> None:
        if self._finished:
            return
        if not self.unsaved:
            self._finish(discard_draft=True)  # nothing typed worth a draft
            self.dismiss(None)
            return

        def answered(choice: CloseChoice | None) -> None:
            if choice == "discard":
                self._finish(discard_draft=True)
                self.dismiss(None)
            elif choice == "keep-draft" and self._keep_draft(always_tell=True):
                self._finish(discard_draft=False)
                self.dismiss(None)
            else:
                self.text_area.focus()

        if self._draft is not None:
            self.app.push_screen(CloseNoteScreen(), answered)
            return
        # Without a draft store there is no draft to keep: discard or keep editing.
        self.app.push_screen(
            ConfirmScreen("Discard this note? Your text is not saved.", "Discard", "Keep editing"),
            lambda discard: answered("discard" if discard else "keep-editing"),
        )

    # -- the draft -------------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Save the draft once typing pauses (each change restarts the wait)."""
        if self._draft is None or self._finished:
            return
        self._stop_draft_timer()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._keep_draft, name="note-draft")

    def keep_draft_now(self) -> None:
        """Save the draft at once (before the app quits)."""
        self._stop_draft_timer()
        if self._draft is not None and not self._finished:
            self._draft.flush()

    def _pending_draft(self) -> str | None:
        """What the draft must hold: the text, or None when nothing is unsaved."""
        return self.text if self.unsaved else None

    def _keep_draft(self, *, always_tell: bool = False) -> bool:
        """Bring the stored draft up to date; whether that worked. A failure is told the first
        time (autosaves fail again and again on a read-only store), or ``always_tell``."""
        self._stop_draft_timer()
        if self._draft is None or self._finished:
            return True
        try:
            if self.unsaved:
                self._draft.keep(self.text)
            else:
                self._draft.discard()
        except (NotesError, ValueError) as error:
            if always_tell or not self._draft_failed:
                self._draft_failed = True
                self.notify(
                    f"{error} Keep this editor open until the note is saved.",
                    title="Draft not kept",
                    severity="warning",
                    markup=False,
                )
            return False
        return True

    def _stop_draft_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def _finish(self, *, discard_draft: bool) -> None:
        """The editor is closing with an answer: stop keeping its draft, and delete it when
        the note was saved or thrown away on purpose."""
        self._finished = True
        self._stop_draft_timer()
        if self._draft is None:
            return
        self._draft.release()
        if discard_draft:
            with contextlib.suppress(NotesError):
                self._draft.discard()


def confirm_quit(app: App[Any]) -> bool:
    """Before the app quits: whether a note with unsaved text is open, in which case this asks
    "Quit anyway?" and quits on yes (its text kept as a draft). False: quit now."""
    editors = [screen for screen in app.screen_stack if isinstance(screen, NoteEditor)]
    if not editors or not editors[-1].unsaved or isinstance(app.screen, _QuitQuestion):
        return False  # nothing to lose, or ctrl+q pressed again on the question itself
    editor = editors[-1]
    if editor.has_draft:
        kept = "It is kept as a draft, offered back when you next open this brief."
    else:
        kept = "Its text will be lost."

    def answered(quit_anyway: bool | None) -> None:
        if quit_anyway:
            editor.keep_draft_now()
            app.exit()

    app.push_screen(
        _QuitQuestion(
            f"You are writing a note. Quit anyway? {kept}", "Quit anyway", "Keep editing"
        ),
        answered,
    )
    return True


class _QuitQuestion(ConfirmScreen):
    """ "Quit anyway?" (told apart from other questions, so ctrl+q twice quits)."""
