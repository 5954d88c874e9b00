"""``note-by:NAME`` in the library filter: briefs with a note by that author (part of the name,
any case), fed by the notes store through :class:`NotedBriefs`."""

from __future__ import annotations

from pathlib import Path

from termbrief.core.library import Entry
from termbrief.core.library_filter import (
    NotedBriefs,
    filter_entries,
    filter_problem,
    parse_filter,
)
from termbrief.core.loader import load_brief_text


def entries() -> list[Entry]:
    found = []
    for brief_id in ("alpha", "beta"):
        brief = load_brief_text(f"id: {brief_id}\ntitle: Brief {brief_id}\nsummary: harbour\n")
        found.append(Entry(Path(f"/library/{brief_id}.yaml"), brief))
    return found


def ids(found: list[Entry]) -> list[str]:
    return [entry.id for entry in found]


def test_note_by_is_a_known_filter_that_takes_a_name() -> None:
    flt = parse_filter('note-by:alice Note-By:"Bob M" harbour')
    assert flt.note_authors == ("alice", "Bob M")
    assert flt.text == "harbour" and flt.has_filters
    assert filter_problem(flt) is None


def test_note_by_keeps_the_briefs_with_a_note_by_that_author() -> None:
    noted = NotedBriefs({"alpha": {"alice", "Bob"}, "beta": {"alice"}})
    assert ids(filter_entries(entries(), parse_filter("note-by:bob"), noted)) == ["alpha"]
    assert ids(filter_entries(entries(), parse_filter("note-by:ALI"), noted)) == ["alpha", "beta"]
    assert ids(filter_entries(entries(), parse_filter("note-by:carol"), noted)) == []
    assert ids(filter_entries(entries(), parse_filter("has:notes"), noted)) == ["alpha", "beta"]


def test_without_authors_known_note_by_keeps_nothing() -> None:
    # A plain set of ids (no store open yet) says nothing about authors.
    found = filter_entries(entries(), parse_filter("note-by:alice"), frozenset({"alpha"}))
    assert found == []
