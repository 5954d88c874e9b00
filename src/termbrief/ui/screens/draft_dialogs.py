"""The two questions about drafts: closing a note with unsaved text, and a draft left by an
earlier run ("You have an unsaved note on Figure: …: restore / discard").

Both show their text literally (never markup) and cleaned, and give the focus to the answer
that loses nothing, so a stray Enter never throws text away.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Final, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from termbrief.ui.render.safe import content, one_line

CloseChoice = Literal["discard", "keep-draft", "keep-editing"]
"""How the reader closes a note with unsaved text."""
OfferChoice = Literal["restore", "discard", "later"]
"""What the reader does with a draft left by an earlier run."""
_CLOSE_CHOICES: Final[tuple[CloseChoice, ...]] = ("discard", "keep-draft", "keep-editing")
_OFFER_CHOICES: Final[tuple[OfferChoice, ...]] = ("restore", "discard", "later")

PREVIEW_LINES = 6
"""Lines of a draft shown in the offer; the whole text is in the editor once restored."""

_CHOICE_CSS = """
    align: center middle;
    & > Vertical {
        width: 90%;
        max-width: 84;
        height: auto;
        padding: 1 2;
        border: thick $warning 70%;
        background: $surface;
    }
    & .draft-question {
        width: 100%;
        margin-bottom: 1;
    }
    & .draft-preview {
        width: 100%;
        max-height: 8;
        margin-bottom: 1;
        padding: 0 1;
        color: $text-muted;
        border-left: outer $primary 50%;
    }
    & Horizontal {
        width: auto;
        height: auto;
    }
    & Button {
        margin-right: 2;
    }
"""


def _button(label: str, key: str, choice: str, variant: ButtonVariant) -> Button:
    return Button(
        Content(f"{one_line(label)} ({key})"),
        variant=variant,
        id=f"draft-{choice}",
        name=choice,
    )


class CloseNoteScreen(ModalScreen[CloseChoice]):
    """Escape in a note with unsaved text: discard it, keep it as a draft, or keep editing.

    A kept draft comes back when a note is next written on the same item, and is offered when
    the brief is next opened in a later run.
    """

    DEFAULT_CSS = "CloseNoteScreen {" + _CHOICE_CSS + "}"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose('discard')", "Discard", id="close_note.discard"),
        Binding("k", "choose('keep-draft')", "Keep draft", id="close_note.keep_draft"),
        Binding("n,escape", "choose('keep-editing')", "Keep editing", id="close_note.edit"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="close_note.left"),
        Binding("right", "app.focus_next", "Next button", show=False, id="close_note.right"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content("Discard this note? Your text is not saved as a note."),
                classes="draft-question",
            )
            with Horizontal():
                yield _button("Discard", "y", "discard", "error")
                yield _button("Keep draft", "k", "keep-draft", "default")
                yield _button("Keep editing", "n", "keep-editing", "primary")

    def on_mount(self) -> None:
        self.query_one("#draft-keep-editing", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(event.button.name or "keep-editing")

    def action_choose(self, choice: str) -> None:
        """Close with ``choice`` (one of :data:`CloseChoice`)."""
        for known in _CLOSE_CHOICES:
            if choice == known:
                self.dismiss(known)
                return


class DraftOfferScreen(ModalScreen[OfferChoice]):
    """A draft left by an earlier run, offered back when its brief is opened.

    Restore opens the note editor on it; discard deletes it; Escape leaves it for later (it is
    offered again next time).
    """

    DEFAULT_CSS = "DraftOfferScreen {" + _CHOICE_CSS + "}"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('restore')", "Restore", id="draft_offer.restore"),
        Binding("d", "choose('discard')", "Discard", id="draft_offer.discard"),
        Binding("escape", "choose('later')", "Later", id="draft_offer.later"),
        Binding("left", "app.focus_previous", "Previous button", show=False, id="draft_offer.left"),
        Binding("right", "app.focus_next", "Next button", show=False, id="draft_offer.right"),
    ]

    def __init__(self, target_label: str, text: str, updated: datetime | None = None) -> None:
        """Offer the draft ``text`` of a note on ``target_label`` (both shown literally)."""
        super().__init__()
        self.target_label = target_label
        self.text = text
        self.updated = updated

    @property
    def question(self) -> str:
        """The question, with the item the note is on."""
        when = ""
        if self.updated is not None:
            when = f" (from {self.updated.astimezone():%Y-%m-%d %H:%M})"
        return f"You have an unsaved note on {one_line(self.target_label)}{when}:"

    @property
    def preview(self) -> str:
        """The first lines of the draft."""
        lines = self.text.splitlines() or [""]
        shown = lines[:PREVIEW_LINES]
        if len(lines) > PREVIEW_LINES:
            shown.append(f"… ({len(lines) - PREVIEW_LINES} more lines)")
        return "\n".join(shown)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.question), classes="draft-question", id="draft-question")
            yield Static(content(self.preview), classes="draft-preview", id="draft-preview")
            with Horizontal():
                yield _button("Restore", "r", "restore", "primary")
                yield _button("Discard", "d", "discard", "error")
                yield _button("Later", "esc", "later", "default")

    def on_mount(self) -> None:
        self.query_one("#draft-restore", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(event.button.name or "later")

    def action_choose(self, choice: str) -> None:
        """Close with ``choice`` (one of :data:`OfferChoice`)."""
        for known in _OFFER_CHOICES:
            if choice == known:
                self.dismiss(known)
                return
