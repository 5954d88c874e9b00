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

from termbrief.core.claims import (
    CONFIDENCE_HELP,
    CONFIDENCE_LEVELS,
    ID_PATTERN,
    MAPPING_FORMS,
    RELATION_KINDS,
    RELIABILITY,
    Change,
    Citation,
    Cite,
    Cites,
    CommentaryKind,
    Confidence,
    Direction,
    Estimate,
    Id,
    KeyPoint,
    KeyPointEntry,
    Markdown,
    Model,
    Number,
    OptionalId,
    Relation,
    RelationKind,
    Reliability,
    Text,
    Value,
    ValueRange,
    as_citations,
    number_text,
    value_text,
)
from termbrief.core.dates import SCHEMA_PATTERN, PartialDate

__all__ = [
    "ACTOR_KINDS",
    "CONFIDENCE_LEVELS",
    "ID_PATTERN",
    "MAPPING_FORMS",
    "RELATION_KINDS",
    "RELIABILITY",
    "SUPPORTED_FORMATS",
    "Actor",
    "ActorKind",
    "Brief",
    "Change",
    "Citation",
    "Cite",
    "Cites",
    "Commentary",
    "CommentaryKind",
    "Confidence",
    "Direction",
    "Estimate",
    "Figure",
    "Id",
    "KeyPoint",
    "KeyPointEntry",
    "Markdown",
    "Number",
    "OptionalId",
    "PartialDate",
    "Relation",
    "RelationKind",
    "Reliability",
    "Source",
    "Text",
    "TimelineEvent",
    "Value",
    "ValueRange",
    "as_citations",
    "decode_hook",
    "encode_hook",
    "json_schema",
    "number_text",
    "slugify",
    "value_text",
]

SUPPORTED_FORMATS: Final = (1,)
"""Versions of the brief format this release reads."""
ActorKind = Literal[
    "person",
    "government",
    "organisation",
    "company",
    "group",
    "country",
    "forum",
    "place",
    "other",
]
"""What sort of party an actor is: the one definition of the actor kinds."""
ACTOR_KINDS: Final[tuple[str, ...]] = get_args(ActorKind)
"""The allowed values of ``actors[].kind``, in the order tables sort them."""


class Figure(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A key figure: a number, a range or text, with what it counts, how it changed, who
    estimates otherwise and which sources it rests on."""

    id: OptionalId = ""
    """Unique in the brief; the loader derives it from ``label`` when omitted."""
    label: Annotated[Text, Meta(description="What the figure counts.")]
    """What the figure counts."""
    value: Value
    """A number, a :class:`ValueRange`, or text such as ``"2025-2027"``."""
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
    """Where the figure comes from, in words (``cites`` points at the brief's sources)."""
    as_of: Annotated[PartialDate | None, Meta(description="When the value held.")] = None
    """When the value held (any date form)."""
    change: Annotated[
        Change | None, Meta(description="How much the figure moved against a baseline.")
    ] = None
    """How much the figure moved, against what."""
    estimates: Annotated[
        tuple[Estimate, ...], Meta(description="Other values for the same figure, from others.")
    ] = ()
    """Competing estimates of the same figure."""
    confidence: Annotated[Confidence | None, Meta(description=CONFIDENCE_HELP)] = None
    """How sure the brief is of the figure."""
    cites: Cites = ()
    """Sources the figure rests on."""

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The sources cited, each as a :class:`Citation`."""
        return as_citations(self.cites)

    def value_text(self) -> str:
        """The value as a reader says it: ``nearly 5,000 officers``, ``12–15 %``."""
        return value_text(self.value, self.qualifier, self.unit)

    def shown_value(self) -> str:
        """The value as the figures pane shows it (and find searches it): the value, then how
        it changed, ``about 9.4 billion dollars  −40 % vs 2022``. A figure that is the change
        itself (a 42 % fall against a baseline) is said once, signed, with its baseline:
        ``about −42 % vs the peak``."""
        change = self.change
        if change is None:
            return self.value_text()
        if self._is_its_change(change):
            return " ".join(part for part in (self.qualifier, change.text(self.unit)) if part)
        return f"{self.value_text()}  {change.text(self.unit)}"

    def _is_its_change(self, change: Change) -> bool:
        """Whether ``change`` only says the value again: the same amount in the same unit (the
        value of a figure of a fall or rise is its size)."""
        value = self.value
        unit = change.unit if change.unit is not None else self.unit
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return number and unit == self.unit and abs(change.amount) == value


class Actor(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
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
    relations: Annotated[
        tuple[Relation, ...], Meta(description="How this actor relates to other actors.")
    ] = ()
    """How this actor relates to other actors of the brief (shown from both ends)."""
    cites: Cites = ()
    """Sources of what the brief says about the actor."""

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The sources cited, each as a :class:`Citation`."""
        return as_citations(self.cites)

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


class Commentary(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An analyst's view, attributed; or (``kind: assessment``) the brief writer's own."""

    id: OptionalId = ""
    """Unique in the brief; derived from ``heading``, else from the entry's position."""
    kind: Annotated[
        CommentaryKind,
        Meta(description="view (someone's, the default) or assessment (the brief writer's)."),
    ] = "view"
    """``view``: someone's, attributed; ``assessment``: the brief writer's own judgement."""
    # Not `Text`: "" stands for an unsigned assessment (the checker refuses an empty author).
    author: Annotated[
        str, Meta(description="Who holds this view; required unless kind is assessment.")
    ] = ""
    """Who holds this view; required for a view, may be left out of an assessment (then "")."""
    affiliation: Annotated[str | None, Meta(description="The author's institution.")] = None
    """The author's institution."""
    heading: Annotated[str | None, Meta(description="A short title for the view.")] = None
    """A short title for the view."""
    body: Annotated[Markdown, Meta(description="Markdown: the view itself.")]
    """Markdown: the view itself."""
    stance: Annotated[str | None, Meta(description="Free text, e.g. 'cautionary'.")] = None
    """Free text describing the stance, e.g. ``cautionary``."""
    date: Annotated[PartialDate | None, Meta(description="When it was said or written.")] = None
    """When the view was said or written (any date form)."""
    url: Annotated[str | None, Meta(description="Where to read or hear it.")] = None
    """Where to read or hear it."""
    medium: Annotated[
        str | None, Meta(description="interview, op-ed, briefing, report, post, ...")
    ] = None
    """Where it was said: ``interview``, ``op-ed``, ``briefing``, ..."""
    quote: Annotated[bool, Meta(description="true: the body is the author's exact words.")] = False
    """The body is the author's exact words (shown as a quotation)."""
    confidence: Annotated[Confidence | None, Meta(description=CONFIDENCE_HELP)] = None
    """How sure the brief (or, for an assessment, its writer) is of this."""
    cites: Cites = ()
    """Sources of the view."""

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The sources cited, each as a :class:`Citation`."""
        return as_citations(self.cites)


class TimelineEvent(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One dated event."""

    date: Annotated[
        PartialDate,
        Meta(
            description="A date (2024-09-09), year-month (2024-09), year (2024), approximate "
            "(~2023-12), range (2024-09-04/2024-09-06) or ongoing (2023-11/ongoing)."
        ),
    ]
    """A date in any form: exact, partial, approximate, a range or an ongoing span."""
    event: Annotated[Text, Meta(description="What happened.")]
    """What happened."""
    actors: Annotated[tuple[Id, ...], Meta(description="Ids of the actors involved.")] = ()
    """Ids of the actors involved."""
    confidence: Annotated[Confidence | None, Meta(description=CONFIDENCE_HELP)] = None
    """How sure the brief is of the event."""
    cites: Cites = ()
    """Sources of the event."""

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The sources cited, each as a :class:`Citation`."""
        return as_citations(self.cites)


class Source(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where the brief's facts come from."""

    id: Annotated[
        Id | None,
        Meta(description="What `cites` calls this source (never derived: choose a short one)."),
    ] = None
    """What ``cites`` calls this source; sources get no id unless the brief gives one."""
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
    reliability: Annotated[
        Reliability | None,
        Meta(description="Admiralty scale: A completely reliable ... E unreliable, F unknown."),
    ] = None
    """How reliable the source has proved, A-F (:data:`RELIABILITY`)."""


class Brief(Model, frozen=True, kw_only=True, forbid_unknown_fields=True):
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
        tuple[KeyPoint, ...],
        Meta(description="One-line bottom-line-up-front points (text, or {text, cites})."),
    ] = ()
    """One-line points: the bottom line up front (each a ``str``; see :class:`KeyPoint`)."""
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

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if any."""
        return next((s for s in self.sources if s.id == source_id), None)


def slugify(text: str) -> str:
    """An id made from free text: ``"Wang Xiaohong"`` -> ``"wang-xiaohong"``."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def decode_hook(kind: type, value: Any) -> Any:
    """msgspec hook that builds our custom types from plain YAML values."""
    if kind is PartialDate:
        return PartialDate.parse(value)
    if kind is KeyPoint:
        return KeyPoint.parse(value)
    raise NotImplementedError(kind)


def encode_hook(value: Any) -> Any:
    """msgspec hook that turns our custom types into JSON values."""
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, KeyPoint):
        if not value.cites and value.confidence is None:
            return str(value)
        entry = KeyPointEntry(text=str(value), cites=value.cites, confidence=value.confidence)
        return msgspec.to_builtins(entry)
    raise NotImplementedError(type(value))


_REF_TEMPLATE: Final = "#/$defs/{name}"


def _schema_hook(kind: type) -> dict[str, Any]:
    if kind is PartialDate:
        return {
            "anyOf": [
                {"type": "string", "pattern": SCHEMA_PATTERN},
                {"type": "integer", "minimum": 1, "maximum": 9999},
            ]
        }
    if kind is KeyPoint:
        return {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"$ref": _REF_TEMPLATE.format(name=KeyPointEntry.__name__)},
            ]
        }
    raise NotImplementedError(kind)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the brief format, generated from these classes.

    Beyond the classes, it states the rules JSON Schema can say: the one supported ``format``,
    and that only an ``assessment`` may leave out its ``author``. Rules across items (unique
    ids, citations of existing sources, ranges whose ``low`` is not above ``high``) are the
    checker's alone.
    """
    (schema, _entry), definitions = msgspec.json.schema_components(
        (Brief, KeyPointEntry), schema_hook=_schema_hook, ref_template=_REF_TEMPLATE
    )
    schema = {**schema, "$defs": definitions}
    brief = definitions["Brief"]["properties"]
    brief["format"] = {**brief["format"], "enum": list(SUPPORTED_FORMATS)}
    author = definitions["Commentary"]["properties"]["author"]
    definitions["Commentary"]["properties"]["author"] = {**author, "minLength": 1}
    definitions["Commentary"]["anyOf"] = [
        {"required": ["author"]},
        {"required": ["kind"], "properties": {"kind": {"const": "assessment"}}},
    ]
    # Draft 7 is what the YAML language server (editors) understands; nothing here needs newer.
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["$id"] = "https://termbrief.dev/schema/brief-1.json"
    schema["title"] = "termbrief brief, format 1"
    return schema
