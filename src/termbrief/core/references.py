"""The checks that look across a brief: citations, relations and the rules within an item that
its type cannot state (a range's bounds, a change's direction, a view's author).

They read the constructed YAML values, not the validated model, so that they run even when
other parts of the file are wrong: one run of the checker reports every problem. Anything of
the wrong shape is left alone here; the field-by-field diagnosis reports it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeGuard

import msgspec

from termbrief.core.anchors import Anchor
from termbrief.core.model import ID_PATTERN, Actor, Brief, Citation, Relation

if TYPE_CHECKING:  # the reader uses what follows the checks without importing PyYAML
    from yaml.nodes import Node

PathPart = str | int
Path = tuple[PathPart, ...]
NodeAt = Callable[[Path], "Node"]
"""The YAML node at a path of keys and list indexes (the deepest one there is)."""

_ID: Final = re.compile(ID_PATTERN)


class Problems(Protocol):
    """Where problems go (see :class:`termbrief.core.validation.Problems`)."""

    def at(self, node: Node, message: str) -> None:
        """A problem at the start of ``node``."""

    def line_of(self, node: Node) -> int:
        """The 1-based line of the file where ``node`` starts."""


def check_references(data: dict[str, Any], node_at: NodeAt, problems: Problems) -> None:
    """Report every citation of a missing source, relation or timeline actor naming a missing
    actor, duplicate source id, reversed range, contradicted direction and author-less view.

    ``data`` is the brief as constructed, with derived ids already filled in.
    """
    source_ids = _source_ids(data, node_at, problems)
    for path, cite in _cites(data):
        _check_cite(path, cite, source_ids, node_at, problems)
    actor_ids = [
        actor["id"]
        for actor in _items(data, "actors")
        if isinstance(actor.get("id"), str) and actor["id"]
    ]
    _check_relations(data, actor_ids, node_at, problems)
    for index, event in enumerate(_list(data.get("timeline"))):
        if isinstance(event, dict):
            for number, actor_id in enumerate(_list(event.get("actors"))):
                where: Path = ("timeline", index, "actors", number)
                _check_id(where, "actors", "actor", actor_id, actor_ids, node_at, problems)
    for index, figure in enumerate(_list(data.get("figures"))):
        if not isinstance(figure, dict):
            continue
        _check_range(("figures", index, "value"), figure.get("value"), node_at, problems)
        for number, estimate in enumerate(_list(figure.get("estimates"))):
            if isinstance(estimate, dict):
                where = ("figures", index, "estimates", number, "value")
                _check_range(where, estimate.get("value"), node_at, problems)
        change = figure.get("change")
        if isinstance(change, dict):
            _check_direction(("figures", index, "change"), change, node_at, problems)
    for index, entry in enumerate(_list(data.get("commentary"))):
        if not isinstance(entry, dict):
            continue
        if "author" not in entry and entry.get("kind") != "assessment":
            # The model lets an assessment (the writer's own) go unsigned; a view needs its author.
            problems.at(node_at(("commentary", index)), "missing required key `author`")
        elif entry.get("author") == "":
            problems.at(node_at(("commentary", index, "author")), "must not be empty")


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _items(data: dict[str, Any], section: str) -> Iterator[dict[str, Any]]:
    return (item for item in _list(data.get(section)) if isinstance(item, dict))


def _source_ids(data: dict[str, Any], node_at: NodeAt, problems: Problems) -> list[str]:
    """The ids of the brief's sources (each once); a repeated one is a problem."""
    first: dict[str, int] = {}
    for index, source in enumerate(_list(data.get("sources"))):
        source_id = source.get("id") if isinstance(source, dict) else None
        if not isinstance(source_id, str) or not source_id:
            continue
        if source_id in first:
            line = problems.line_of(node_at(("sources", first[source_id])))
            problems.at(
                node_at(("sources", index, "id")),
                f"duplicate id `{source_id}` in sources (first used on line {line})",
            )
        else:
            first[source_id] = index
    return list(first)


_CITING: Final = ("key_points", "figures", "actors", "commentary", "timeline")
_NESTED: Final = {"figures": "estimates", "actors": "relations"}
"""Items inside items that cite sources too."""


def _cites(data: dict[str, Any]) -> Iterator[tuple[Path, object]]:
    """Every entry of every ``cites`` list, with its path."""
    for section in _CITING:
        for index, item in enumerate(_list(data.get(section))):
            if not isinstance(item, dict):
                continue
            yield from _cites_of(item, (section, index))
            nested = _NESTED.get(section)
            for number, inner in enumerate(_list(item.get(nested)) if nested else []):
                if isinstance(inner, dict):
                    yield from _cites_of(inner, (section, index, nested or "", number))


def _cites_of(item: dict[str, Any], path: Path) -> Iterator[tuple[Path, object]]:
    for number, cite in enumerate(_list(item.get("cites"))):
        yield (*path, "cites", number), cite


def _check_cite(
    path: Path, cite: object, source_ids: list[str], node_at: NodeAt, problems: Problems
) -> None:
    if isinstance(cite, dict):
        cite, path = cite.get("source"), (*path, "source")
    _check_id(path, "cites", "source", cite, source_ids, node_at, problems)


def _check_id(
    path: Path,
    key: str,
    noun: str,
    value: object,
    known: list[str],
    node_at: NodeAt,
    problems: Problems,
) -> None:
    """A problem at ``path`` when ``value`` (an id, under ``key``) names no ``noun``."""
    if not isinstance(value, str) or not _ID.match(value) or value in known:
        return  # a value of the wrong shape is the diagnosis's to report
    message = f"`{key}`: no {noun} has the id `{value}`"
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if close:
        message += f"; did you mean `{close[0]}`?"
    elif not known and noun == "source":
        message += f"; give the source it means `id: {value}`"
    elif known:
        shown = ", ".join(f"`{k}`" for k in known[:8]) + (", …" if len(known) > 8 else "")
        message += f" (the {noun}s' ids: {shown})"
    problems.at(node_at(path), message)


def _check_relations(
    data: dict[str, Any], actor_ids: list[str], node_at: NodeAt, problems: Problems
) -> None:
    for index, actor in enumerate(_list(data.get("actors"))):
        if not isinstance(actor, dict):
            continue
        for number, relation in enumerate(_list(actor.get("relations"))):
            if not isinstance(relation, dict):
                continue
            path: Path = ("actors", index, "relations", number, "to")
            target = relation.get("to")
            if target is not None and target == actor.get("id"):
                problems.at(node_at(path), "`to`: an actor cannot relate to itself")
                continue
            _check_id(path, "to", "actor", target, actor_ids, node_at, problems)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_range(path: Path, value: object, node_at: NodeAt, problems: Problems) -> None:
    if not isinstance(value, dict):
        return
    low, high = value.get("low"), value.get("high")
    if _is_number(low) and _is_number(high) and low > high:
        problems.at(
            node_at((*path, "high")),
            f"`high` ({high}) is below `low` ({low}); a range goes from low to high",
        )


def _check_direction(
    path: Path, change: dict[str, Any], node_at: NodeAt, problems: Problems
) -> None:
    amount, direction = change.get("amount"), change.get("direction")
    if not _is_number(amount) or direction not in ("up", "down", "flat"):
        return
    # An unsigned amount takes its direction from `direction` (42 down is a fall of 42).
    contradicts = (direction == "up" and amount < 0) or (direction == "flat" and amount != 0)
    if contradicts:
        problems.at(
            node_at((*path, "direction")),
            f"`direction`: `{direction}` contradicts the amount {amount}; correct one of them",
        )


# --------------------------------------------------------------------------- reading


class Citing(msgspec.Struct, frozen=True):
    """An item of a brief that cites a source: what a source's detail lists as resting on it."""

    anchor: str
    """The notes anchor of the item to go to: ``figures/<id>``, ``timeline/3``, ``key_points``."""
    what: str
    """What sort of item: ``figure``, ``key point``, ``estimate``, ``relation``, ..."""
    label: str
    """The item as one line: a figure's label, an event with its date, a key point's text."""
    locator: str | None = None
    """Where in the source, when the citation says."""
    text: str | None = None
    """For a key point, its text (all key points share the anchor ``key_points``)."""


def _citing(brief: Brief) -> Iterator[tuple[Citation, Citing]]:
    for point in brief.key_points:
        for cite in point.citations:
            yield cite, Citing("key_points", "key point", str(point), cite.locator, str(point))
    for figure in brief.figures:
        anchor = str(Anchor.figure(figure.id))
        for cite in figure.citations:
            yield cite, Citing(anchor, "figure", figure.label, cite.locator)
        for estimate in figure.estimates:
            label = f"{figure.label}: {estimate.value_text(figure.unit)}"
            for cite in estimate.citations:
                yield cite, Citing(anchor, "estimate", label, cite.locator)
    for actor in brief.actors:
        anchor = str(Anchor.actor(actor.id))
        for cite in actor.citations:
            yield cite, Citing(anchor, "actor", actor.name, cite.locator)
        for relation in actor.relations:
            other = brief.actor(relation.to)
            label = f"{actor.name} → {relation.kind} → {other.name if other else relation.to}"
            for cite in relation.citations:
                yield cite, Citing(anchor, "relation", label, cite.locator)
    for entry in brief.commentary:
        anchor = str(Anchor.commentary(entry.id))
        label = entry.heading or entry.author or "Assessment"
        for cite in entry.citations:
            yield cite, Citing(anchor, entry.kind, label, cite.locator)
    for index, event in enumerate(brief.timeline):
        anchor = str(Anchor.event(index))
        for cite in event.citations:
            yield cite, Citing(anchor, "event", f"{event.date.text}: {event.event}", cite.locator)


def resting_on(brief: Brief, source_id: str) -> list[Citing]:
    """Every item of ``brief`` citing the source ``source_id``, in pane order."""
    return [citing for cite, citing in _citing(brief) if cite.source == source_id]


class Link(msgspec.Struct, frozen=True):
    """A relation seen from one of its two actors."""

    relation: Relation
    """The relation as written (on the actor it starts from)."""
    other: Actor | None
    """The actor at the other end (None when the id names no actor: a brief being edited)."""
    outgoing: bool
    """True when the relation starts from the actor looked at, False when it points at it."""

    def text(self, actor: Actor) -> str:
        """``Jan Hoffmann → member-of → UNCTAD`` or, seen from UNCTAD,
        ``UNCTAD ← member-of ← Jan Hoffmann``."""
        other = self.other.name if self.other is not None else self.relation.to
        arrow = "→" if self.outgoing else "←"
        return f"{actor.name} {arrow} {self.relation.kind} {arrow} {other}"


def links_of(brief: Brief, actor: Actor) -> list[Link]:
    """The relations of ``actor`` both ways: those it states, then those naming it."""
    links = [Link(r, brief.actor(r.to), outgoing=True) for r in actor.relations]
    for other in brief.actors:
        if other is actor:
            continue
        links += [Link(r, other, outgoing=False) for r in other.relations if r.to == actor.id]
    return links
