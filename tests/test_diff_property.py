"""A Hypothesis property of the structural diff: the reported changes turn the old brief into the
new one, on random edits of the sample briefs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termbrief.core.diff import ItemChange, diff_briefs
from termbrief.core.loader import load_brief
from termbrief.core.markdown_text import markdown_blocks
from termbrief.core.model import (
    Actor,
    Brief,
    Citation,
    Commentary,
    Figure,
    KeyPoint,
    PartialDate,
    TimelineEvent,
    encode_hook,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = tuple(load_brief(path) for path in sorted((REPO / "briefs").glob("*.yaml")))
replace = msgspec.structs.replace


WORDS = ("police", "training", "forum", "China", "Africa", "5,000", "*new*", "officers", "plan")
texts = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1),
)
values = st.one_of(
    st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False), texts
)
ids = st.from_regex(r"\A[a-z]{1,6}\Z")
cites = st.lists(
    ids | st.builds(Citation, source=ids, locator=st.none() | st.sampled_from(("p. 4", "table 2")))
).map(tuple)
confidences = st.sampled_from((None, "low", "moderate", "high"))


def point_edits(point: str) -> st.SearchStrategy[KeyPoint]:
    """``point`` with the same text and other citations or another confidence."""
    return st.builds(KeyPoint, st.just(str(point)), cites, confidences)


def as_point(item: str) -> tuple[object, ...]:
    """A key point as it must come out of a rebuild: text, citations and confidence."""
    if isinstance(item, KeyPoint):
        return str(item), item.cites, item.confidence
    return str(item), (), None


def edit_items(
    data: st.DataObject, items: Sequence[Any], fresh: st.SearchStrategy[Any]
) -> tuple[Any, ...]:
    """``items`` with some removed, some edited (by ``edit``), some added, maybe shuffled."""
    result = [item for item in items if data.draw(st.integers(0, 4)) > 0]
    for index in data.draw(st.sets(st.integers(0, max(len(result) - 1, 0)))) if result else ():
        result[index] = data.draw(edit(result[index]))
    for item in data.draw(st.lists(fresh, max_size=3)):
        result.insert(data.draw(st.integers(0, len(result))), item)
    if data.draw(st.booleans()):
        result = data.draw(st.permutations(result))
    return tuple(result)


def edit(item: Any) -> st.SearchStrategy[Any]:
    if isinstance(item, KeyPoint):
        return texts | point_edits(item)
    if isinstance(item, str):
        return texts
    choices: dict[type, dict[str, st.SearchStrategy[Any]]] = {
        Figure: {"label": texts, "value": values, "unit": st.none() | texts, "context": texts},
        Actor: {"name": texts, "role": st.none() | texts, "aliases": st.lists(texts).map(tuple)},
        Commentary: {"author": texts, "heading": st.none() | texts, "body": texts},
    }
    fields = choices.get(
        type(item), {"event": texts} if hasattr(item, "event") else {"title": texts}
    )
    return st.fixed_dictionaries({}, optional=fields).map(lambda changes: replace(item, **changes))


def unique_ids(items: tuple[Any, ...]) -> tuple[Any, ...]:
    seen: set[str] = set()
    result = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            result.append(item)
    return tuple(result)


@st.composite
def edited_briefs(draw: st.DrawFn) -> tuple[Brief, Brief]:
    data = draw(st.data())
    old = draw(st.sampled_from(SAMPLES))
    figures = st.builds(Figure, id=ids, label=texts, value=values)
    actors = st.builds(Actor, id=ids, name=texts, kind=st.just("person"))
    entries = st.builds(Commentary, id=ids, author=texts, body=texts)
    events = st.builds(TimelineEvent, date=st.just(PartialDate(2020)), event=texts)
    new = replace(
        old,
        title=draw(st.just(old.title) | texts),
        summary="\n\n".join(edit_items(data, old.summary.split("\n\n"), texts)) or "S",
        key_points=edit_items(data, old.key_points, texts | st.builds(KeyPoint, texts, cites)),
        figures=unique_ids(edit_items(data, old.figures, figures)),
        actors=unique_ids(edit_items(data, old.actors, actors)),
        commentary=unique_ids(edit_items(data, old.commentary, entries)),
        timeline=edit_items(data, old.timeline, events),
    )
    return old, new


def apply(item: Any, change: ItemChange) -> Any:
    if isinstance(item, str):
        fields = {"text": str(item), "cites": (), "confidence": None}
        if isinstance(item, KeyPoint):
            fields |= {"cites": item.cites, "confidence": item.confidence}
        fields |= {field.field: field.new for field in change.fields}
        return KeyPoint(fields["text"], fields["cites"], fields["confidence"])
    return replace(item, **{field.field: field.new for field in change.fields})


def rebuild(old: Sequence[Any], changes: Sequence[ItemChange]) -> list[Any]:
    """The new section from the old one and the reported changes alone."""
    reported_old = {c.old_index for c in changes if c.old_index is not None}
    quiet = [item for index, item in enumerate(old) if index not in reported_old]
    placed = {c.new_index: c for c in changes if c.new_index is not None}
    result, rest = [], iter(quiet)
    for index in range(len(quiet) + len(placed)):
        change = placed.get(index)
        if change is None:
            result.append(next(rest))
        elif change.kind == "added":
            result.append(change.new_item)
        else:
            assert change.old_item == old[change.old_index]  # type: ignore[index]
            result.append(apply(old[change.old_index], change))  # type: ignore[index]
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_briefs())
def test_property_changes_turn_the_old_brief_into_the_new(pair: tuple[Brief, Brief]) -> None:
    old, new = pair
    assert diff_briefs(new, new).is_empty
    diff = diff_briefs(old, new)
    # Compared as written: a key point's citations and confidence count, not its text alone.
    written = [msgspec.to_builtins(brief, enc_hook=encode_hook) for brief in (old, new)]
    assert diff.is_empty == (written[0] == written[1])
    for section in ("figures", "actors", "commentary"):
        changes = [c for c in diff.changes if c.section == section]
        old_items = {item.id: item for item in getattr(old, section)}
        new_items = {item.id: item for item in getattr(new, section)}
        reported = {c.anchor.partition("/")[2]: c for c in changes}
        # Items matched by id: applying the field changes to the old item gives the new one.
        for item_id in old_items.keys() & new_items.keys():
            change = reported.get(item_id)
            if change is None:
                assert old_items[item_id] == new_items[item_id]
            else:
                assert change.kind in ("changed", "moved")
                assert apply(old_items[item_id], change) == new_items[item_id]
        assert {
            i for i, c in reported.items() if c.kind == "added"
        } == new_items.keys() - old_items.keys()
        assert {
            i for i, c in reported.items() if c.kind == "removed"
        } == old_items.keys() - new_items.keys()
    # Every section, with or without ids, order included.
    summary = [c for c in diff.changes if c.section == "summary"]
    blocks = [markdown for markdown, _ in markdown_blocks(old.summary)]
    assert rebuild(blocks, summary) == [markdown for markdown, _ in markdown_blocks(new.summary)]
    points = [c for c in diff.changes if c.section == "key_points"]
    rebuilt = rebuild(old.key_points, points)
    assert list(map(as_point, rebuilt)) == list(map(as_point, new.key_points))
    for section in ("figures", "actors", "commentary", "timeline"):
        changes = [c for c in diff.changes if c.section == section]
        assert rebuild(getattr(old, section), changes) == list(getattr(new, section)), section
    header = [c for c in diff.changes if c.section == "brief"]
    assert [f.new for c in header for f in c.fields] == (
        [new.title] if new.title != old.title else []
    )
