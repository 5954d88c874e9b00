"""Change markers for the items of a list or table: ``+`` for an item new since the reader last
read the brief, ``~`` for one changed (see :mod:`termbrief.ui.services.reading`).

Items are named as the notes name them: by their anchor, one per item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Protocol

__all__ = ["ADDED", "CHANGED", "ChangeMarks"]

ADDED: Final = "+"
"""The marker of an item added since the brief was last read."""
CHANGED: Final = "~"
"""The marker of an item changed (or moved) since the brief was last read."""


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
