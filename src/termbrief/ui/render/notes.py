"""Notes as the reader shows them in full: in the detail dialogs, the notes panel's preview, and
inline under the item they annotate.

A note's text and the words it quotes come from the user and the brief: everything is built
from literal Rich ``Text`` (the note's Markdown rendered by :mod:`termbrief.ui.render.markdown`,
which never parses markup), cleaned of control characters.

On a team server a note may be a colleague's or private: :class:`ShownNote` carries that as the
reader sees it, and every note shows it after its head (``· bob`` in :data:`COLLEAGUE_STYLE`,
``· private``). The reader's own team notes, and every note on this computer, show no byline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Self

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.styled import Styled
from rich.text import Text

from termbrief.core.anchors import make_quote
from termbrief.core.annotation import Note, NoteStatus, Placement
from termbrief.ui.render.markdown import markdown_group
from termbrief.ui.render.safe import clean, one_line

__all__ = [
    "COLLEAGUE_STYLE",
    "INLINE_STYLE",
    "STATE_NAMES",
    "ShownNote",
    "byline",
    "inline_notes",
    "note_card",
    "note_state",
]

STATE_NAMES: Final[dict[NoteStatus, str]] = {
    "attached": "attached",
    "moved": "moved with its words",
    "changed": "changed since noted",
    "orphaned": "orphaned: its words are no longer in the brief",
}
"""How each state of a note reads."""

INLINE_STYLE: Final = Style(italic=True)
"""How a note shown inline under its item differs from the brief's own text."""

COLLEAGUE_STYLE: Final = Style(bold=True, italic=True, color="cyan")
"""How a colleague's name reads beside their note (the notes panel's list uses it too)."""

_DIM: Final = Style(dim=True)
_STATE_STYLES: Final[dict[NoteStatus, Style]] = {
    "attached": _DIM,
    "moved": Style(dim=True, italic=True),
    "changed": Style(italic=True, color="yellow"),
    "orphaned": Style(italic=True, color="red"),
}


class ShownNote(Note, frozen=True, kw_only=True):
    """A note as this reader sees it on a team server: whose it is and who may read it.

    Only for showing: the note keeps its id and text, but not what the store needs to change it.
    """

    by: str = ""
    """The colleague who wrote it; "" for the reader's own note."""
    private: bool = False
    """Whether only its author reads it."""

    @classmethod
    def of(cls, note: Note, *, by: str = "", private: bool = False) -> Self:
        """``note`` shown as ``by``'s (a colleague; "" for the reader's own), ``private`` or not."""
        fields = {name: getattr(note, name) for name in Note.__struct_fields__}
        return cls(**fields, by=by, private=private)


def byline(note: Note) -> Text:
    """Whose ``note`` is, as the reader sees it: ``  · bob`` for a colleague's (in
    :data:`COLLEAGUE_STYLE`), ``  · private`` for a private one; empty for the reader's own
    team notes and every note that is not a :class:`ShownNote`."""
    line = Text()
    if not isinstance(note, ShownNote):
        return line
    if note.by:
        line.append(f"  · {clean(one_line(note.by))}", style=COLLEAGUE_STYLE)
    if note.private:
        line.append("  · private", style=_DIM)
    return line


def note_state(placement: Placement) -> Text:
    """The state of a note as one styled line: ``changed since noted``..."""
    return Text(STATE_NAMES[placement.status], style=_STATE_STYLES[placement.status])


def _quote(words: str, limit: int) -> str:
    return one_line(make_quote(words, limit))


def quoted_words(note: Note, placement: Placement, limit: int = 300) -> list[Text]:
    """The words ``note`` is about: for a note changed since it was written, the old words and
    the new; none for a note on a whole section."""
    if placement.status == "changed" and placement.old != placement.new:
        return [
            Text.assemble(("was: ", _DIM), (f"“{_quote(placement.old, limit)}”", "italic")),
            Text.assemble(("now: ", _DIM), (f"“{_quote(placement.new, limit)}”", "italic")),
        ]
    words = placement.new or placement.old or note.quote
    if not words:
        return []
    return [Text(f"“{_quote(words, limit)}”", style=Style(italic=True))]


def note_body(note: Note) -> RenderableType:
    """The whole text of ``note`` (Markdown rendered, never markup); a highlight without a
    note says so."""
    if not note.text.strip():
        return Text("(highlight, no note)", style=_DIM)
    body, _links = markdown_group(note.text)
    return body


def note_card(
    note: Note, placement: Placement, label: str | None = None, *, when: bool = True
) -> RenderableType:
    """One note in full: where it is (``label``, if given), whose it is (:func:`byline`), its
    state and time, the words it quotes, then its whole text."""
    head = Text()
    if label:
        head.append(clean(one_line(label)), style=Style(bold=True))
    head.append_text(byline(note))
    if head:
        head.append("  ")
    head.append_text(note_state(placement))
    if when:
        stamp = note.updated.astimezone().strftime("%Y-%m-%d %H:%M")
        head.append(f"  {stamp}", style=_DIM)
    return Group(head, *quoted_words(note, placement), note_body(note))


def notes_section(notes: Sequence[tuple[Note, Placement]]) -> list[RenderableType]:
    """A dialog's part about an item's notes: a heading, then each note in full."""
    if not notes:
        return []
    count = len(notes)
    heading = Text(
        f"Notes ({count})" if count > 1 else "Note", style=Style(bold=True, underline=True)
    )
    parts: list[RenderableType] = [Text(), heading]
    for note, placement in notes:
        parts += [note_card(note, placement), Text()]
    return parts


def inline_notes(notes: Sequence[tuple[Note, Placement]]) -> RenderableType:
    """The notes of one item as shown under it when inline notes are on: each one's whole text
    after a ``✎`` (its state when not simply attached, and whose it is), indented and in
    :data:`INLINE_STYLE`."""
    parts: list[RenderableType] = []
    for note, placement in notes:
        head = Text("✎ ", style=Style(bold=True))
        if placement.status != "attached":
            head.append_text(note_state(placement))
        else:
            head.append("note", style=_DIM)
        head.append_text(byline(note))
        parts += [head, Padding(note_body(note), (0, 0, 0, 2))]
    return Styled(Group(*parts), INLINE_STYLE)
