"""The library filter's free text reads actors, summary and key points; unknown keys are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbrief.core.library import Entry
from termbrief.core.library_filter import (
    KNOWN_FILTERS,
    ReadingSets,
    changed_first,
    filter_entries,
    filter_problem,
    parse_filter,
    visible_words,
)
from termbrief.core.loader import load_brief_text
from termbrief.core.search import fold

WANG = """
id: forum
title: A security forum in Lianyungang
tags: [policing]
summary: |
  The minister spoke about **Panama Canal**, where ships queue, and cited
  [a report](https://unctad.org/report-on-shipping) on delays.
key_points:
  - Training pledges doubled since 2023.
actors:
  - name: Wang Xiaohong
    kind: person
    aliases: [the minister]
"""

OTHER = """
id: other
title: Fisheries deal
summary: Tuna quotas for island states.
"""


def entry(text: str) -> Entry:
    brief = load_brief_text(text)
    return Entry(Path(f"/library/{brief.id}.yaml"), brief)


@pytest.fixture
def library() -> list[Entry]:
    return [entry(WANG), entry(OTHER)]


def ids(entries: list[Entry]) -> list[str]:
    return [e.id for e in entries]


@pytest.mark.parametrize(
    "query",
    [
        "wang",  # an actor's name
        "xiaohong minister",  # name and alias, any order
        "panama canal, where",  # the summary as shown: no ** around the name
        "doubled",  # a key point
        "lianyungang",  # the title, as before
    ],
)
def test_free_text_matches_actors_summary_and_key_points(library: list[Entry], query: str) -> None:
    assert ids(filter_entries(library, parse_filter(query))) == ["forum"]


def test_free_text_does_not_match_a_hidden_link_address(library: list[Entry]) -> None:
    assert ids(filter_entries(library, parse_filter("unctad"))) == []
    assert ids(filter_entries(library, parse_filter("report"))) == ["forum"]  # the link text


def test_visible_words_drop_marks_and_link_targets() -> None:
    assert visible_words("**Panama Canal**, [a *report*](https://x.org/y) `code`") == (
        "Panama Canal, a report code"
    )


def test_unknown_keys_are_reported_and_kept_as_text() -> None:
    flt = parse_filter("foo:bar tag:asia")
    assert flt.unknown == ("foo:bar",) and flt.text == "foo:bar" and flt.tags == ("asia",)
    assert filter_problem(flt) == f"unknown filter `foo:`; use {KNOWN_FILTERS}"
    both = parse_filter("colour:red has:pdf size:2")
    assert filter_problem(both) == (
        f"unknown filters `colour:`, `has:pdf`, `size:`; use {KNOWN_FILTERS}"
    )
    assert KNOWN_FILTERS == "tag:, region:, actor:, has:notes, note-by:, is:"


def test_known_filters_and_web_addresses_are_not_reported() -> None:
    for query in ("tag:asia region:pacific actor:wang has:notes", "https://example.org", "tag:"):
        assert parse_filter(query).unknown == ()
        assert filter_problem(parse_filter(query)) is None


def test_each_entry_is_folded_once_not_on_every_key(
    library: list[Entry], monkeypatch: pytest.MonkeyPatch
) -> None:
    import termbrief.core.library_filter as library_filter

    folded: list[str] = []

    def counting_fold(text: str) -> str:
        folded.append(text)
        return fold(text)

    monkeypatch.setattr(library_filter, "fold", counting_fold)
    filter_entries(library, parse_filter("t"))  # the first key folds every entry's text once
    assert any("Panama" in text for text in folded)
    folded.clear()
    for query in ("minis", "minist", "minist spok"):  # words no other test types
        assert ids(filter_entries(library, parse_filter(query))) == ["forum"]
    # Only the words typed are folded now, each once (a brief's summary can be long).
    assert folded == ["minis", "minist", "spok"]


def _entry(text: str, name: str) -> Entry:
    return Entry(Path(f"/lib/{name}.yaml"), load_brief_text(text, name), ())


def test_is_unread_and_is_changed_filter_by_reading_state() -> None:
    third = OTHER.replace("id: other", "id: third")
    entries = [_entry(WANG, "forum"), _entry(OTHER, "other"), _entry(third, "third")]
    reading = ReadingSets(unread=frozenset({"forum"}), changed=frozenset({"third"}))

    def ids(query: str) -> list[str]:
        return [e.id for e in filter_entries(entries, parse_filter(query), reading=reading)]

    assert ids("is:unread") == ["forum"]
    assert ids("is:changed") == ["third"]
    assert ids("is:unread is:changed") == ["forum", "third"]
    assert ids("IS:Changed tuna") == ["third"]
    assert ids("is:") == ["forum", "other", "third"]  # still typing
    assert filter_entries(entries, parse_filter("is:unread")) == []  # nothing known yet
    assert parse_filter("is:unread").has_filters
    assert filter_problem(parse_filter("is:pinned")) == (
        "unknown filter `is:pinned`; use is:unread, is:changed"
    )
    assert [e.id for e in changed_first(entries, reading)] == ["third", "forum", "other"]
