"""Record: one row of a :class:`~termbrief.ui.widgets.record_table.RecordTable`, and the orders
a table shows its records in.

A record is what a pane hands the table: where it lives in the brief, its cells as text, and a
value per column to sort by. It knows nothing of the table that draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

__all__ = ["Record", "position_of", "sort_order"]


class Record(msgspec.Struct, frozen=True):
    """One row: its anchor, its cells and a sort value per column."""

    anchor: str
    """Where the record lives in the brief, e.g. ``figures/<id>``."""
    cells: tuple[str, ...]
    """Cell text, untrusted; folded to one line and cleaned by the table."""
    sort_values: tuple[Any, ...]
    """One comparable value per column (same type within a column)."""


def sort_order(records: Sequence[Record], column: int | None, reverse: bool) -> list[int]:
    """Indexes of ``records`` sorted by ``column``'s values (None: the brief's order), descending
    with ``reverse``; the sort is stable, so equal values keep the brief's order."""
    order = list(range(len(records)))
    if column is not None:
        order.sort(key=lambda i: records[i].sort_values[column], reverse=reverse)
    elif reverse:
        order.reverse()
    return order


def position_of(records: Sequence[Record], order: Sequence[int], anchor: str) -> int | None:
    """Where in ``order`` (indexes of ``records``) the first record at ``anchor`` is shown."""
    return next((p for p, i in enumerate(order) if records[i].anchor == anchor), None)
