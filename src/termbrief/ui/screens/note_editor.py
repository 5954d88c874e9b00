"""The note editor: a multi-line Markdown editor in a modal dialog, which never loses text.

It shows what the note annotates (a label and a quote, always as literal text), saves with
ctrl+s through a callback, and keeps the text in the editor when saving fails (read-only or full
disk), showing why. Escape with unsaved text asks before discarding it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from termbrief.store.notes import NotesError
from termbrief.ui.render.safe import one_line
from termbrief.ui.screens.confirm import ConfirmScreen


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
    ]

    def __init__(
        self,
        target_label: str,
        quote: str,
        text: str = "",
        *,
        save: Callable[[str], None],
    ) -> None:
        """Edit ``text`` about ``target_label`` (with ``quote`` of it); ``save`` stores it."""
        super().__init__()
        self.target_label = target_label
        self.quote = quote
        self.original_text = text
        self._save = save
        self._finished = False

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = "Note"
            yield Static(Content(f"On: {one_line(self.target_label)}"), id="note-target")
            if self.quote:
                yield Static(Content(f"“{one_line(self.quote)}”"), id="note-quote")
            yield TextArea(
                self.original_text,
                id="note-text",
                soft_wrap=True,
                tab_behavior="indent",
                placeholder="Write your note (Markdown)…",
            )
            yield Static("", id="note-error")
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        area = self.text_area
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text_area(self) -> TextArea:
        """The editor widget."""
        return self.query_one("#note-text", TextArea)

    @property
    def text(self) -> str:
        """The text as it stands in the editor."""
        return self.text_area.text

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
        self._finished = True
        self.dismiss(text)

    def action_cancel(self) -> None:
        """Close; ask first if that would throw away typed text."""
        self._after_typing(self._cancel_typed)

    def _cancel_typed(self) -> None:
        if self._finished:
            return
        if not self.unsaved:
            self._finished = True
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._finished = True
                self.dismiss(None)
            else:
                self.text_area.focus()

        self.app.push_screen(
            ConfirmScreen("Discard this note? Your text is not saved.", "Discard", "Keep editing"),
            answered,
        )
