"""The brief: frozen, typed classes that mirror the YAML format (version 1).

This module is the contract between the loader, the reader, notes and search. It imports no
Textual. Field descriptions live in ``Meta(description=...)`` so that they also end up in the
published JSON Schema, where editors show them as hover help.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Final, Literal, get_args

import msgspec
from msgspec import Meta

SUPPORTED_FORMATS: Final = (1,)
"""Versions of the brief format this release reads."""

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
ActorKind = Literal[
    "person", "government", "organisation", "company", "group", "country", "forum", "other"
]
"""What sort of party an actor is: the one definition of the actor kinds."""
ACTOR_KINDS: Final[tuple[str, ...]] = get_args(ActorKind)
"""The allowed values of ``actors[].kind``, in the order tables sort them."""


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate:
    """A date known to the day, the month or only the year: ``2024-09-09``, ``2024-09``, ``2024``.

    Immutable and ordered, so timelines sort naturally with less precise dates first.
    """

    __slots__ = ("day", "month", "year")

    year: int
    month: int | None
    day: int | None

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        # datetime.date validates ranges (month 1-12, day within the month).
        datetime.date(year, month or 1, day or 1)
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "month", month)
        object.__setattr__(self, "day", day)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("PartialDate is immutable")

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Build from what YAML gives: a ``date``, an ``int`` year or a ``YYYY[-MM[-DD]]`` string.

        Raises:
            ValueError: the value is none of those, or not a real date.
        """
        if isinstance(value, datetime.datetime):
            raise ValueError("expected a date without a time")
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= 9999:
                raise ValueError(f"{value} is not a year")
            return cls(value)
        if isinstance(value, str):
            match = _PARTIAL_DATE.match(value.strip())
            if match:
                year, month, day = match.groups()
                try:
                    return cls(int(year), int(month) if month else None, int(day) if day else None)
                except ValueError as error:
                    raise ValueError(f"`{value}` is not a real date ({error})") from None
        raise ValueError("expected a date (2024-09-09), a year-month (2024-09) or a year (2024)")

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __repr__(self) -> str:
        return f"PartialDate({self})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, PartialDate)
            and self.sort_key == other.sort_key
            and ((self.month, self.day) == (other.month, other.day))
        )

    def __hash__(self) -> int:
        return hash((self.year, self.month, self.day))

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key < other.sort_key


class _Model(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of every model class: immutable, keyword-only, unknown keys refused."""


class Figure(_Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A key figure: a number (or a range written as text) with what it counts."""

    id: OptionalId = ""
    """Unique in the brief; the loader derives it from ``label`` when omitted."""
    label: Annotated[Text, Meta(description="What the figure counts.")]
    """What the figure counts."""
    value: Annotated[
        int | float | str,
        Meta(description='A number, or text such as "2025-2027".'),
    ]
    """A number, or text such as ``"2025-2027"``."""
    qualifier: Annotated[
        str | None, Meta(description="nearly, about, over, up to, at least, ...")
    ] = None
    """How exact the value is: ``nearly``, ``about``, ``over``, ``up to``, ``at least``."""
    unit: Annotated[str | None, Meta(description="What the value is counted in.")] = None
    """What the value is counted in, e.g. ``officers``."""
    period: Annotated[str | None, Meta(description="When or over what span.")] = None
    """When, or over what span, e.g. ``next five years``."""
    context: Annotated[str | None, Meta(description="Markdown: what the figure means.")] = None
    """Markdown explaining the figure."""
    source: Annotated[str | None, Meta(description="Where the figure comes from.")] = None
    """Where the figure comes from."""

    def value_text(self) -> str:
        """The value as a reader says it: ``nearly 5,000 officers``."""
        value = self.value
        if isinstance(value, bool):  # pragma: no cover - the loader refuses booleans
            number = str(value)
        elif isinstance(value, int):
            number = f"{value:,}"
        elif isinstance(value, float):
            number = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
        else:
            number = value
        return " ".join(part for part in (self.qualifier, number, self.unit) if part)


class Actor(_Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A person, government, organisation or other party the brief talks about."""

    id: OptionalId = ""
    """Unique in the brief; the loader derives it from ``name`` when omitted."""
    name: Annotated[Text, Meta(description="The actor's name as the brief uses it.")]
    """The actor's name as the brief uses it."""
    kind: Annotated[ActorKind, Meta(description="What sort of actor this is.")]
    """What sort of actor this is; one of :data:`ACTOR_KINDS`."""
    role: Annotated[str | None, Meta(description="Office or part played.")] = None
    """Office or part played, e.g. ``Minister of Public Security``."""
    affiliation: Annotated[str | None, Meta(description="Who the actor belongs to.")] = None
    """Who the actor belongs to."""
    description: Annotated[str | None, Meta(description="Markdown.")] = None
    """Markdown describing the actor."""
    aliases: Annotated[
        tuple[Text, ...], Meta(description="Other names the text uses for this actor.")
    ] = ()
    """Other names the text uses for this actor (used to find mentions)."""

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


class Commentary(_Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An analyst's view, attributed."""

    id: OptionalId = ""
    """Unique in the brief; derived from ``heading``, else from the entry's position."""
    author: Annotated[Text, Meta(description="Who holds this view.")]
    """Who holds this view."""
    affiliation: Annotated[str | None, Meta(description="The author's institution.")] = None
    """The author's institution."""
    heading: Annotated[str | None, Meta(description="A short title for the view.")] = None
    """A short title for the view."""
    body: Annotated[Markdown, Meta(description="Markdown: the view itself.")]
    """Markdown: the view itself."""
    stance: Annotated[str | None, Meta(description="Free text, e.g. 'cautionary'.")] = None
    """Free text describing the stance, e.g. ``cautionary``."""


class TimelineEvent(_Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One dated event."""

    date: Annotated[
        PartialDate,
        Meta(description="A date (2024-09-09), a year-month (2024-09) or a year (2024)."),
    ]
    """A date, a year-month or a year."""
    event: Annotated[Text, Meta(description="What happened.")]
    """What happened."""


class Source(_Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where the brief's facts come from."""

    title: Annotated[Text, Meta(description="Title of the source.")]
    """Title of the source."""
    publisher: str | None = None
    """Who published it."""
    author: str | None = None
    """Who wrote it."""
    url: str | None = None
    """Where to read it."""
    published: Annotated[
        PartialDate | None, Meta(description="Publication date, year-month or year.")
    ] = None
    """Publication date (or year-month, or year)."""
    kind: Annotated[str | None, Meta(description="opinion, report, news, ...")] = None
    """What kind of source: ``opinion``, ``report``, ``news``, ..."""
    note: str | None = None
    """Anything the reader should know about the source."""


class Brief(_Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A brief: one YAML file."""

    format: Annotated[int, Meta(description="Version of the brief format; only 1 exists.")] = 1
    """Version of the brief format."""
    id: OptionalId = ""
    """Identifies the brief (notes anchor to it); default: the file name without extension."""
    title: Annotated[Text, Meta(description="The brief's title.")]
    """The brief's title."""
    subtitle: str | None = None
    """A line under the title."""
    date: Annotated[datetime.date | None, Meta(description="The brief's 'as of' date (ISO).")] = (
        None
    )
    """The brief's "as of" date."""
    tags: tuple[Text, ...] = ()
    """Topics, for filtering the library."""
    regions: tuple[Text, ...] = ()
    """Regions the brief concerns."""
    summary: Annotated[Markdown, Meta(description="Markdown: the brief in a few paragraphs.")]
    """Markdown: the brief in a few paragraphs."""
    key_points: Annotated[
        tuple[Text, ...], Meta(description="One-line bottom-line-up-front points.")
    ] = ()
    """One-line points: the bottom line up front."""
    figures: tuple[Figure, ...] = ()
    """Key figures."""
    actors: tuple[Actor, ...] = ()
    """People and bodies the brief names."""
    commentary: tuple[Commentary, ...] = ()
    """Analysts' views."""
    timeline: tuple[TimelineEvent, ...] = ()
    """Dated events."""
    sources: tuple[Source, ...] = ()
    """Where the facts come from."""

    def figure(self, figure_id: str) -> Figure | None:
        """The figure with this id, if any."""
        return next((f for f in self.figures if f.id == figure_id), None)

    def actor(self, actor_id: str) -> Actor | None:
        """The actor with this id, if any."""
        return next((a for a in self.actors if a.id == actor_id), None)

    def commentary_entry(self, entry_id: str) -> Commentary | None:
        """The commentary entry with this id, if any."""
        return next((c for c in self.commentary if c.id == entry_id), None)


def slugify(text: str) -> str:
    """An id made from free text: ``"Wang Xiaohong"`` -> ``"wang-xiaohong"``."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def decode_hook(kind: type, value: Any) -> Any:
    """msgspec hook that builds our custom types from plain YAML values."""
    if kind is PartialDate:
        return PartialDate.parse(value)
    raise NotImplementedError(kind)


def encode_hook(value: Any) -> Any:
    """msgspec hook that turns our custom types into JSON values."""
    if isinstance(value, PartialDate):
        return str(value)
    raise NotImplementedError(type(value))


def _schema_hook(kind: type) -> dict[str, Any]:
    if kind is PartialDate:
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                {"type": "integer", "minimum": 1, "maximum": 9999},
            ]
        }
    raise NotImplementedError(kind)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the brief format, generated from these classes."""
    schema = msgspec.json.schema(Brief, schema_hook=_schema_hook)
    # Draft 7 is what the YAML language server (editors) understands; nothing here needs newer.
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["$id"] = "https://termbrief.dev/schema/brief-1.json"
    schema["title"] = "termbrief brief, format 1"
    return schema
