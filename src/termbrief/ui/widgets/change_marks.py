"""The markers in the gutter column of a list or table's items: ``+`` for an item new since the
reader last read the brief, ``~`` for one changed (see :mod:`termbrief.ui.services.reading`);
else a note marker, ``•`` for an item with a note of the reader's own and ``◦`` (in
:data:`THEIR_NOTE_STYLE`) for one whose notes are all colleagues' (a team server).

Items are named as the notes name them: by their anchor, one per item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Protocol

from rich.style import Style

__all__ = [
    "ADDED",
    "CHANGED",
    "OWN_NOTE",
    "THEIR_NOTE",
    "THEIR_NOTE_STYLE",
    "ChangeMarks",
    "gutter_mark",
]

ADDED: Final = "+"
"""The marker of an item added since the brief was last read."""
CHANGED: Final = "~"
"""The marker of an item changed (or moved) since the brief was last read."""
OWN_NOTE: Final = "•"
"""The marker of an item with a note of the reader's own."""
THEIR_NOTE: Final = "◦"
"""The marker of an item whose notes are all colleagues' (distinct without colour too)."""
THEIR_NOTE_STYLE: Final = Style(color="cyan")
"""The colour of :data:`THEIR_NOTE`: the colour of colleagues' names beside their notes."""


def gutter_mark(change: str, anchor: str, marked: frozenset[str], theirs: frozenset[str]) -> str:
    """The marker of the item at ``anchor``: its ``change`` marker if any (new or changed is
    news), else :data:`THEIR_NOTE` if it is among ``theirs``, :data:`OWN_NOTE` if among
    ``marked``, else ""."""
    if change:
        return change
    if anchor in theirs:
        return THEIR_NOTE
    return OWN_NOTE if anchor in marked else ""


class Anchored(Protocol):
    """An item of a list or a record of a table."""

    @property
    def anchor(self) -> str:
        """Where a note on it attaches."""
        ...


class ChangeMarks:
    """The markers a widget shows, by item anchor."""

    def __init__(self) -> None:
        self._marks: dict[str, str] = {}

    @property
    def marks(self) -> Mapping[str, str]:
        """Marker by anchor."""
        return self._marks

    def set(self, marks: Mapping[str, str]) -> None:
        """Show ``marks`` (marker by anchor); empty clears."""
        self._marks = dict(marks)

    def glyph(self, items: Sequence[Anchored], index: int) -> str:
        """The marker of ``items[index]`` ("" for none)."""
        return self._marks.get(items[index].anchor, "") if self._marks else ""
