"""KeptLines: rendered lines kept by key, bounded by how many lines, not how many entries.

The item list and the record table draw only the lines in view, but render a whole item or row
at a time; they keep what they rendered to draw it again without rendering. A count of entries
does not bound that (one entry may be thousands of lines), so the bound is a count of lines,
and the entries in view are never let go, or a frame would render them again line by line.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

KeyT = TypeVar("KeyT", bound=Hashable)
LineT = TypeVar("LineT")


class KeptLines(Generic[KeyT, LineT]):
    """Lines by key, least recently used first, down to ``limit`` lines on :meth:`let_go`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        """Lines kept at most, but for the entries :meth:`let_go` is told to keep."""
        self.lines = 0
        """Lines kept now."""
        self._kept: OrderedDict[KeyT, tuple[int, Sequence[LineT]]] = OrderedDict()

    def get(self, key: KeyT) -> tuple[int, Sequence[LineT]] | None:
        """The lines kept for ``key`` and the offset of the first, marked as just used."""
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept

    def put(self, key: KeyT, lines: Sequence[LineT], first: int = 0) -> None:
        """Keep ``lines`` for ``key``, from line ``first`` of it (what was kept goes)."""
        dropped = self._kept.pop(key, None)
        if dropped is not None:
            self.lines -= len(dropped[1])
        self._kept[key] = (first, lines)
        self.lines += len(lines)

    def clear(self) -> None:
        """Keep nothing."""
        self._kept.clear()
        self.lines = 0

    def let_go(self, in_view: Callable[[KeyT], bool]) -> None:
        """Drop the least recently used entries while more than ``limit`` lines are kept,
        except those ``in_view``."""
        kept = self._kept
        for key in list(kept):
            if self.lines <= self.limit:
                return
            if not in_view(key):
                self.lines -= len(kept.pop(key)[1])
