"""Change markers for the items of a list or table: ``+`` for an item new since the reader last
read the brief, ``~`` for one changed (see :mod:`termbrief.ui.services.reading`).

Items are named as the notes name them (their anchor); several items share an anchor (every
summary paragraph is ``summary``, every key point ``key_points``), so a marker may also name
the k-th item with an anchor as ``anchor#k`` (k from 0, in the brief's order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Protocol

__all__ = ["ADDED", "CHANGED", "ChangeMarks", "item_key"]

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


def item_key(anchor: str, ordinal: int) -> str:
    """The key naming the ``ordinal``-th item (from 0) with ``anchor``."""
    return f"{anchor}#{ordinal}"


class ChangeMarks:
    """The markers a widget shows, by item index (worked out once per list of items)."""

    def __init__(self) -> None:
        self._marks: dict[str, str] = {}
        self._items: object = None
        self._by_index: dict[int, str] = {}

    @property
    def marks(self) -> Mapping[str, str]:
        """Marker by anchor or :func:`item_key`."""
        return self._marks

    def set(self, marks: Mapping[str, str]) -> None:
        """Show ``marks`` (marker by anchor or :func:`item_key`); empty clears."""
        self._marks = dict(marks)
        self._items = None

    def glyph(self, items: Sequence[Anchored], index: int) -> str:
        """The marker of ``items[index]`` ("" for none).

        ``items`` must be a new object whenever the items change (the widgets keep their items
        in a list they replace): the markers are worked out once per list.
        """
        if not self._marks:
            return ""
        if self._items is not items:
            self._items = items
            seen: dict[str, int] = {}
            self._by_index = {}
            for position, item in enumerate(items):
                anchor = item.anchor
                ordinal = seen.get(anchor, 0)
                seen[anchor] = ordinal + 1
                mark = self._marks.get(item_key(anchor, ordinal)) or self._marks.get(anchor)
                if mark:
                    self._by_index[position] = mark
        return self._by_index.get(index, "")
