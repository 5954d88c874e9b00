"""The words a change of a brief is told in: values of the format as a reader says them.

:mod:`termbrief.core.diff` diffs these words; nothing here is JSON. A citation reads
``unctad-2024 p. 4``, a change ``−42 % vs the 2023 peak``, a range ``12–15``, an estimate
``about 22 %, by the report, cites unctad-2024``, a relation ``member-of unctad, since 2019``.
"""

from __future__ import annotations

import datetime
from typing import Final

import msgspec

from termbrief.core.markdown_text import markdown_text
from termbrief.core.model import (
    Change,
    Citation,
    Estimate,
    PartialDate,
    Relation,
    ValueRange,
    as_citations,
    value_text,
)

__all__ = [
    "FieldValue",
    "Quantity",
    "field_words",
    "is_number",
    "is_quantity",
    "midpoint",
    "number_text",
    "phrase",
    "quantity_text",
]

FieldValue = (
    str | int | float | PartialDate | datetime.date | msgspec.Struct | tuple[object, ...] | None
)
"""The value of one field of a brief item, as in the model (a boolean is an ``int``; a
nested value such as a :class:`~termbrief.core.model.Change` a ``Struct``; ``cites``,
``estimates`` and ``relations`` tuples of them)."""
Quantity = int | float | ValueRange
"""What a :class:`~termbrief.core.diff.NumberChange` compares: a number, or a range."""
_LISTS_OF_PHRASES: Final = frozenset({"cites", "estimates", "relations"})
"""Fields listing values of several words each: a ``·`` between two of them shows where one
ends (a list of names, like ``aliases``, reads fine without)."""
_SPLIT_ITEMS: Final = frozenset({"estimates", "relations"})
"""Of those, the lists whose items are diffed word by word (an estimate, a relation: a sentence
each); a citation stays one word, so a new page shows as the citation it makes."""
_ITEM_SEPARATOR: Final = "·"


def number_text(value: int | float) -> str:
    """``5,000``, ``2.5``: a number as the diff shows it."""
    if isinstance(value, int) or value % 1 == 0:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def is_number(value: object) -> bool:
    """Whether ``value`` is a number (a boolean is not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_quantity(value: object) -> bool:
    """Whether ``value`` is a number or a range of numbers."""
    return is_number(value) or isinstance(value, ValueRange)


def quantity_text(value: Quantity) -> str:
    """``5,000``, or a range ``12–15``."""
    return value_text(value, None, None) if isinstance(value, ValueRange) else number_text(value)


def midpoint(value: Quantity) -> float:
    """Where ``value`` sits among numbers: a range by its midpoint."""
    return value.midpoint if isinstance(value, ValueRange) else value


def field_words(
    value: FieldValue, markdown: bool, unit: str | None = None, field: str = ""
) -> list[str]:
    """The words ``field``'s value is diffed by, a nested value read out by :func:`phrase`.
    A list's items count as one word each, with a ``·`` between them in the lists of
    :data:`_LISTS_OF_PHRASES`; in :data:`_SPLIT_ITEMS`, an item's words count one by one (one
    changed word of an estimate shows as that word)."""
    if value is None:
        return []
    if isinstance(value, tuple):
        phrases = [phrase(item, unit) for item in value]
        if field not in _LISTS_OF_PHRASES:
            return phrases
        split = field in _SPLIT_ITEMS
        words: list[str] = []
        for said in phrases:
            item = said.split() if split else [said]
            words += [_ITEM_SEPARATOR, *item] if words else item
        return words
    if isinstance(value, str):
        return (markdown_text(value) if markdown else value).split()
    if is_number(value):
        return [phrase(value, unit)]
    return phrase(value, unit).split()


def phrase(value: object, unit: str | None = None) -> str:
    """A value of the format as a reader says it (``unit``: the figure's, for its changes and
    estimates): ``unctad-2024 p. 4``, ``−42 % vs the 2023 peak``, ``12–15``, ``yes``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, PartialDate):
        return value.text
    if isinstance(value, Citation):
        return " ".join(part for part in (value.source, value.locator) if part)
    if isinstance(value, ValueRange):
        return quantity_text(value)
    if isinstance(value, Change):
        return value.text(unit)
    if isinstance(value, Estimate):
        return _estimate_phrase(value, unit)
    if isinstance(value, Relation):
        return _relation_phrase(value)
    if isinstance(value, msgspec.Struct):  # a nested key added later: its fields, in words
        return ", ".join(
            f"{name} {phrase(field)}"
            for name in value.__struct_fields__
            if (field := getattr(value, name)) not in (None, ())
        )
    return str(value)


def _cites_phrase(cites: tuple[str | Citation, ...]) -> str | None:
    """``cites unctad-2024 p. 4, press`` (None without citations)."""
    if not cites:
        return None
    return "cites " + ", ".join(phrase(citation) for citation in as_citations(cites))


def _estimate_phrase(estimate: Estimate, unit: str | None) -> str:
    """``about 22 %, by the report, as of 2024-01, confidence:low, cites press para. 3``."""
    parts = [
        estimate.value_text(unit),
        f"by {estimate.by}" if estimate.by else None,
        f"as of {estimate.as_of.text}" if estimate.as_of is not None else None,
        f"confidence:{estimate.confidence}" if estimate.confidence else None,
        _cites_phrase(estimate.cites),
        f"({estimate.note})" if estimate.note else None,
    ]
    return ", ".join(part for part in parts if part)


def _relation_phrase(relation: Relation) -> str:
    """``member-of unctad, since 2019, Chief of Trade Logistics, cites unctad-2024``."""
    parts = [
        f"{relation.kind} {relation.to}",
        f"since {relation.since.text}" if relation.since is not None else None,
        relation.note,
        _cites_phrase(relation.cites),
    ]
    return ", ".join(part for part in parts if part)
