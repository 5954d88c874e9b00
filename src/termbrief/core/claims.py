"""The parts of a claim a brief can make: citations of its sources, a confidence, values
that are ranges, changes against a baseline, competing estimates, relations between actors.

:mod:`termbrief.core.model` builds the brief's items from these; it re-exports every name, so
code outside the core imports them from there.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal, get_args

import msgspec
from msgspec import Meta

from termbrief.core.dates import PartialDate

ID_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Ids are lowercase letters and digits, words joined by single hyphens."""

Id = Annotated[
    str,
    Meta(
        pattern=ID_PATTERN,
        description="Lowercase letters, digits and single hyphens, e.g. `wang-xiaohong`.",
    ),
]
OptionalId = Annotated[
    str,
    Meta(
        pattern=r"^$|" + ID_PATTERN,
        description="Lowercase letters, digits and single hyphens; derived when omitted.",
    ),
]
Text = Annotated[str, Meta(min_length=1)]
Markdown = Annotated[str, Meta(min_length=1, extra={"contentMediaType": "text/markdown"})]


class Model(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of every model class: immutable, keyword-only, unknown keys refused."""


Confidence = Literal["low", "moderate", "high"]
"""How sure the brief's writer is of a claim (the analysts' three words of estimative language)."""
CONFIDENCE_LEVELS: Final[tuple[str, ...]] = get_args(Confidence)
"""The allowed values of ``confidence``, from least to most sure."""
Reliability = Literal["A", "B", "C", "D", "E", "F"]
"""How reliable a source has proved: the A-F scale of the admiralty (NATO) system."""
RELIABILITY: Final[dict[str, str]] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
"""What each reliability grade means."""
RelationKind = Literal[
    "member-of", "leads", "funds", "attacks", "supplies", "allied-with", "opposes", "other"
]
"""How one actor relates to another."""
RELATION_KINDS: Final[tuple[str, ...]] = get_args(RelationKind)
"""The allowed values of ``relations[].kind``."""
Direction = Literal["up", "down", "flat"]
"""Which way a change went."""
CommentaryKind = Literal["view", "assessment"]
"""A commentary entry is someone's view, or the brief writer's own assessment."""
Number = int | float

CONFIDENCE_HELP: Final = "How sure the brief is of this: low, moderate or high."
"""The schema's description of every ``confidence`` key."""
_CITES_HELP: Final = "Sources this rests on: source ids, or {source: id, locator: 'p. 4'} mappings."


class Citation(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A pointer to a source, with where in it to look."""

    source: Annotated[Id, Meta(description="The `id` of one of the brief's sources.")]
    """The ``id`` of one of the brief's sources."""
    locator: Annotated[
        str | None, Meta(description="Where in the source: 'p. 4', 'table 2', 'para. 12'.")
    ] = None
    """Where in the source: ``p. 4``, ``table 2``, ``para. 12``."""


Cite = Id | Citation
"""What ``cites`` lists: a bare source id, or a :class:`Citation`."""
Cites = Annotated[tuple[Cite, ...], Meta(description=_CITES_HELP)]


def as_citations(cites: tuple[Cite, ...]) -> tuple[Citation, ...]:
    """``cites`` with every bare source id made a :class:`Citation`."""
    return tuple(Citation(source=c) if isinstance(c, str) else c for c in cites)


class KeyPointEntry(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The mapping form of a key point, for one that cites sources or states a confidence."""

    text: Annotated[Text, Meta(description="The point, one line.")]
    """The point, one line."""
    cites: Cites = ()
    """Sources the point rests on."""
    confidence: Annotated[Confidence | None, Meta(description=CONFIDENCE_HELP)] = None
    """How sure the brief is of the point."""


class KeyPoint(str):
    """A key point: its text (a ``str``, so that everything reading key points as text keeps
    working), with the sources it cites and a confidence when the brief gives them.

    Written in a brief either as a plain string or as a :class:`KeyPointEntry` mapping.
    """

    __slots__ = ("cites", "confidence")

    cites: tuple[Cite, ...]
    confidence: Confidence | None

    def __new__(
        cls, text: str, cites: tuple[Cite, ...] = (), confidence: Confidence | None = None
    ) -> KeyPoint:
        point = super().__new__(cls, text)
        object.__setattr__(point, "cites", cites)
        object.__setattr__(point, "confidence", confidence)
        return point

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("KeyPoint is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (KeyPoint, (str(self), self.cites, self.confidence))

    @property
    def text(self) -> str:
        """The point as a plain string."""
        return str(self)

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The sources cited, each as a :class:`Citation`."""
        return as_citations(self.cites)

    @classmethod
    def parse(cls, value: object) -> KeyPoint:
        """Build from a string or a :class:`KeyPointEntry` mapping (what YAML gives)."""
        if isinstance(value, KeyPoint):
            return value
        if isinstance(value, str):
            if not value:
                raise ValueError("a key point must not be empty")
            return cls(value)
        if isinstance(value, dict):
            entry = msgspec.convert(value, KeyPointEntry)
            return cls(entry.text, entry.cites, entry.confidence)
        raise ValueError("a key point is a line of text, or a mapping with `text` and `cites`")


MAPPING_FORMS: Final[dict[type, type[msgspec.Struct]]] = {KeyPoint: KeyPointEntry}
"""Custom types whose mapping form is a model class: the checker explains a bad mapping
field by field, as for any other item."""


class ValueRange(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A value known only within bounds: ``{low: 12, high: 15}``, shown ``12–15``."""

    low: Annotated[Number, Meta(description="The lower bound.")]
    """The lower bound."""
    high: Annotated[Number, Meta(description="The upper bound (not below `low`).")]
    """The upper bound (never below ``low``: the checker says so)."""

    @property
    def midpoint(self) -> float:
        """Where the range sorts among plain numbers."""
        return (self.low + self.high) / 2


Value = Annotated[
    Number | str | ValueRange,
    Meta(description='A number, a range {low, high}, or text such as "2025-2027".'),
]


def number_text(value: Number) -> str:
    """A number as a reader says it: ``5,000``, ``2.5``."""
    if isinstance(value, bool):  # pragma: no cover - the loader refuses booleans
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def value_text(value: Number | str | ValueRange, qualifier: str | None, unit: str | None) -> str:
    """A value with its qualifier and unit: ``nearly 5,000 officers``, ``12–15 %``."""
    if isinstance(value, ValueRange):
        number = f"{number_text(value.low)}–{number_text(value.high)}"
    elif isinstance(value, str):
        number = value
    else:
        number = number_text(value)
    return " ".join(part for part in (qualifier, number, unit) if part)


class Change(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How much a figure moved against a baseline: ``-42 % vs the peak of December 2023``."""

    amount: Annotated[Number, Meta(description="How much, with its sign: -42 for a fall.")]
    """How much, with its sign (``-42`` for a fall); unsigned with a ``direction`` also works."""
    unit: Annotated[
        str | None, Meta(description="'%' for a percentage; default: the figure's unit.")
    ] = None
    """``%`` for a percentage; when omitted, the figure's unit."""
    direction: Annotated[
        Direction | None, Meta(description="up, down or flat; derived from the sign if omitted.")
    ] = None
    """``up``, ``down`` or ``flat``; derived from the sign of ``amount`` when omitted."""
    baseline: Annotated[str | None, Meta(description="Against what: 'the 2023 peak'.")] = None
    """Against what the change is measured, e.g. ``the 2023 average``."""
    baseline_date: Annotated[
        PartialDate | None, Meta(description="When the baseline was measured.")
    ] = None
    """When the baseline was measured (any date form, e.g. ``~2023-12``)."""

    @property
    def heading(self) -> Direction:
        """The direction: as given, else from the sign of ``amount``."""
        if self.direction is not None:
            return self.direction
        return "up" if self.amount > 0 else "down" if self.amount < 0 else "flat"

    def text(self, figure_unit: str | None = None) -> str:
        """``−42 % vs the 2023 peak (~2023-12)``: signed by its direction, always."""
        size = number_text(abs(self.amount))
        sign = {"up": "+", "down": "−", "flat": "±"}[self.heading]
        unit = self.unit if self.unit is not None else figure_unit
        text = f"{sign}{size}" + (f" {unit}" if unit else "")
        if self.baseline:
            text += f" vs {self.baseline}"
        if self.baseline_date is not None:
            text += (
                f" ({self.baseline_date.text})"
                if self.baseline
                else f" since {self.baseline_date.text}"
            )
        return text


class Estimate(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Another value for the same figure, from someone else: competing estimates side by side."""

    value: Value
    """A number, a range or text."""
    qualifier: Annotated[str | None, Meta(description="about, over, up to, ...")] = None
    """How exact the value is."""
    unit: Annotated[str | None, Meta(description="Default: the figure's unit.")] = None
    """What the value is counted in; when omitted, the figure's unit."""
    by: Annotated[str | None, Meta(description="Who gives this estimate.")] = None
    """Who gives this estimate, e.g. ``a Suez Canal Authority official``."""
    as_of: Annotated[PartialDate | None, Meta(description="When the estimate was made.")] = None
    """When the estimate was made."""
    note: Annotated[str | None, Meta(description="Anything the reader should know.")] = None
    """Anything the reader should know about it."""
    cites: Cites = ()
    """Sources of this estimate."""
    confidence: Annotated[Confidence | None, Meta(description=CONFIDENCE_HELP)] = None
    """How sure the brief is of this estimate."""

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The sources cited, each as a :class:`Citation`."""
        return as_citations(self.cites)

    def value_text(self, figure_unit: str | None = None) -> str:
        """The value as a reader says it, in the figure's unit unless it has its own."""
        unit = self.unit if self.unit is not None else figure_unit
        return value_text(self.value, self.qualifier, unit)


class Relation(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How an actor relates to another actor of the brief."""

    to: Annotated[Id, Meta(description="The `id` of the other actor.")]
    """The ``id`` of the other actor."""
    kind: Annotated[
        RelationKind,
        Meta(description="member-of, leads, funds, attacks, supplies, allied-with, opposes, other"),
    ]
    """What the relation is: one of :data:`RELATION_KINDS`."""
    since: Annotated[PartialDate | None, Meta(description="Since when.")] = None
    """Since when (any date form)."""
    note: Annotated[str | None, Meta(description="A word on the relation.")] = None
    """A word on the relation, e.g. ``secretary-general since 2023``."""
    cites: Cites = ()
    """Sources of the relation."""

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The sources cited, each as a :class:`Citation`."""
        return as_citations(self.cites)
