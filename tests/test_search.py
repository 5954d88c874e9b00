"""Search inside a brief, library filters and the ranked library index (termbrief.core.search,
termbrief.core.library_filter, termbrief.core.library_index)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from termbrief.core.anchors import Anchor
from termbrief.core.library import Entry
from termbrief.core.library_filter import LibraryFilter, filter_entries, parse_filter
from termbrief.core.library_index import LibraryIndex
from termbrief.core.loader import load_brief_text
from termbrief.core.model import Brief
from termbrief.core.search import (
    PANES,
    brief_segments,
    find_in_brief,
    find_mentions,
    highlight_spans,
    smart_case,
)

POLICING = """
id: policing
title: China's global policing push
subtitle: Training foreign officers
date: 2024-09-10
tags: [policing, security, south asia]
regions: [Africa, Pacific]
summary: |
  China plans to train 3,000 foreign police officers. Wang Xiaohong announced it.

  The Minister spoke in Lianyungang. Police forces from Africa attended.
key_points:
  - Training is the main tool of police cooperation.
figures:
  - id: officers
    label: Foreign officers China plans to train
    value: 3000
    unit: officers
    context: Over the next five years, said Wang.
actors:
  - id: wang-xiaohong
    name: Wang Xiaohong
    kind: person
    role: Head of the ministry of public security
    aliases: [Wang]
    description: Wang leads the ministry.
  - id: mps
    name: Ministry of Public Security
    kind: government
commentary:
  - id: caution
    author: Sheena Greitens
    heading: A cautionary view
    body: Police training spreads norms. Wangs are not Wang.
timeline:
  - date: 2023-09
    event: Global Public Security Cooperation Forum first held
  - date: 2024-09-09
    event: Wang announces training for 3,000 police
sources:
  - title: China's police training push
    publisher: Example News
"""

TRADE = """
id: trade
title: Pacific fisheries trade deal
date: 2023-05-01
tags: [trade, fisheries]
regions: [Pacific]
summary: A tuna agreement between island states and distant-water fleets.
actors:
  - name: Forum Fisheries Agency
    kind: organisation
"""

HOSTILE = """
id: hostile
title: "[@click=app.quit]x[/] and x[/] and [b]bold[/i]"
tags: [markup]
summary: "Text with [link=http://evil]a link[/link] and [red]colour[/] and x[/]."
"""


def brief(text: str) -> Brief:
    return load_brief_text(text)


def entry(text: str, name: str | None = None) -> Entry:
    loaded = brief(text)
    return Entry(Path(f"/library/{name or loaded.id}.yaml"), loaded)


@pytest.fixture
def policing() -> Brief:
    return brief(POLICING)


@pytest.fixture
def library() -> list[Entry]:
    return [entry(POLICING), entry(TRADE), entry(HOSTILE)]


# --------------------------------------------------------------------------- segments


def test_segments_are_in_pane_order_with_notes_style_anchors(policing: Brief) -> None:
    segments = brief_segments(policing)
    panes = [s.pane for s in segments]
    assert panes == sorted(panes, key=PANES.index)
    anchors = {s.anchor for s in segments}
    assert {
        "summary",
        "key_points",
        "figures/officers",
        "actors/wang-xiaohong",
        "actors/mps",
        "commentary/caution",
        "timeline/1",
        "timeline/2",
        "sources",
    } <= anchors
    figure_fields = [s.field for s in segments if s.anchor == "figures/officers"]
    assert figure_fields == ["label", "value", "context"]
    assert any(s.field == "value" and s.text == "3,000 officers" for s in segments)


def test_every_segment_is_in_the_pane_its_anchor_names(policing: Brief) -> None:
    # One vocabulary: the anchor says which pane shows the text (key points: the summary's).
    for segment in brief_segments(policing):
        assert Anchor.parse(segment.anchor).pane == segment.pane, segment
    assert {s.pane for s in brief_segments(policing) if s.anchor == "key_points"} == {"summary"}


def test_segments_are_cached_per_brief_but_returned_as_copies(policing: Brief) -> None:
    first = brief_segments(policing)
    first.clear()
    assert brief_segments(policing)


# --------------------------------------------------------------------------- find in brief


def test_smart_case() -> None:
    assert not smart_case("wang")
    assert smart_case("Wang")
    assert not smart_case("3,000")


def test_find_is_case_insensitive_for_lower_case_queries(policing: Brief) -> None:
    matches = find_in_brief(policing, "police")
    texts = [m.segment.text[m.start : m.end] for m in matches]
    assert "Police" in texts and "police" in texts
    assert all(t.lower() == "police" for t in texts)


def test_find_is_case_sensitive_with_a_capital(policing: Brief) -> None:
    matches = find_in_brief(policing, "Police")
    assert matches
    assert all(m.segment.text[m.start : m.end] == "Police" for m in matches)
    assert len(matches) < len(find_in_brief(policing, "police"))


def test_find_orders_by_pane_then_position(policing: Brief) -> None:
    matches = find_in_brief(policing, "wang")
    order = [(PANES.index(m.segment.pane), m.start) for m in matches]
    panes = [o[0] for o in order]
    assert panes == sorted(panes)
    summary = [m.start for m in matches if m.segment.anchor == "summary"]
    assert summary == sorted(summary) and len(summary) == 1
    assert {m.segment.pane for m in matches} >= {"summary", "figures", "actors", "timeline"}


def test_find_treats_the_query_literally(policing: Brief) -> None:
    assert find_in_brief(policing, "3,000")
    assert find_in_brief(policing, ".*") == []
    assert find_in_brief(policing, "(") == []


def test_find_ignores_empty_and_control_queries(policing: Brief) -> None:
    assert find_in_brief(policing, "") == []
    assert find_in_brief(policing, "   ") == []
    assert find_in_brief(policing, "\x1b") == []
    # A control character typed into the query is dropped, not searched for.
    assert len(find_in_brief(policing, "wa\x00ng")) == len(find_in_brief(policing, "wang"))


def test_matches_never_span_two_segments(policing: Brief) -> None:
    # "officers" ends the figure label; "3,000" starts the value: the joined text must not match.
    assert find_in_brief(policing, "train3,000") == []
    for match in find_in_brief(policing, "o"):
        assert match.segment.text[match.start : match.end].lower() == "o"


def test_highlight_spans_uses_the_same_rules() -> None:
    assert highlight_spans("Police and police", "police") == [(0, 6), (11, 17)]
    assert highlight_spans("Police and police", "Police") == [(0, 6)]
    assert highlight_spans("a[/]b", "[/]") == [(1, 4)]
    assert highlight_spans("anything", "") == []


def test_find_in_a_huge_brief_is_fast() -> None:
    figures = "\n".join(
        f"  - {{id: f{i}, label: Figure number {i}, value: {i}, context: Police unit {i}}}"
        for i in range(10_000)
    )
    huge = brief(f"title: Huge\nsummary: Police everywhere\nfigures:\n{figures}\n")
    find_in_brief(huge, "warm")  # builds the cached segment text
    started = time.perf_counter()
    matches = find_in_brief(huge, "police unit 99")
    elapsed = time.perf_counter() - started
    assert len(matches) == 111  # 99, 990-999, 9900-9999
    assert elapsed < 0.1


# --------------------------------------------------------------------------- mentions


def test_mentions_find_name_and_aliases_as_whole_words(policing: Brief) -> None:
    wang = policing.actor("wang-xiaohong")
    assert wang is not None
    matches = find_mentions(policing, wang)
    found = {(m.segment.anchor, m.segment.text[m.start : m.end]) for m in matches}
    assert ("summary", "Wang Xiaohong") in found
    assert ("figures/officers", "Wang") in found
    assert ("timeline/2", "Wang") in found
    # "Wangs" is not a whole-word mention; "Wang." at the end of the body is.
    body = [m for m in matches if m.segment.anchor == "commentary/caution"]
    assert [m.segment.text[m.start : m.end] for m in body] == ["Wang"]
    # The longer name wins over the alias at the same place.
    assert not any(
        m.segment.anchor == "summary" and m.segment.text[m.start : m.end] == "Wang" for m in matches
    )


def test_mentions_exclude_the_actors_own_entry_and_ignore_case(policing: Brief) -> None:
    mps = policing.actor("mps")
    assert mps is not None
    matches = find_mentions(policing, mps)
    anchors = [m.segment.anchor for m in matches]
    assert "actors/mps" not in anchors
    # The other actor's role names the ministry.
    assert "actors/wang-xiaohong" in anchors
    assert [m.segment.field for m in matches if m.segment.anchor == "actors/wang-xiaohong"] == [
        "role"
    ]


# --------------------------------------------------------------------------- filters


def test_parse_filter_keys_values_and_free_text() -> None:
    flt = parse_filter('tag:africa region:pacific actor:wang has:notes police "training push"')
    assert flt == LibraryFilter(
        tags=("africa",),
        regions=("pacific",),
        actors=("wang",),
        has_notes=True,
        text="police training push",
    )
    assert flt.has_filters


def test_parse_filter_quoting_and_edge_cases() -> None:
    assert parse_filter('tag:"south asia" x').tags == ("south asia",)
    assert parse_filter("region:'Middle East'").regions == ("Middle East",)
    assert parse_filter('tag:"unterminated').tags == ("unterminated",)
    assert parse_filter("TAG:Africa Tags:Pacific").tags == ("Africa", "Pacific")
    half_typed = parse_filter("tag: police")
    assert half_typed.tags == () and half_typed.text == "police"
    unknown = parse_filter("http://example.org colour:red")
    assert unknown.text == "http://example.org colour:red" and not unknown.has_filters
    assert parse_filter("") == LibraryFilter()
    assert not LibraryFilter(text="x").has_filters


def ids(entries: list[Entry]) -> list[str]:
    return [e.id for e in entries]


def test_filter_entries_by_tag_region_and_actor(library: list[Entry]) -> None:
    assert ids(filter_entries(library, parse_filter("region:pacific"))) == ["policing", "trade"]
    assert ids(filter_entries(library, parse_filter("tag:asia"))) == ["policing"]
    assert ids(filter_entries(library, parse_filter('tag:"South Asia"'))) == ["policing"]
    assert ids(filter_entries(library, parse_filter("actor:wang"))) == ["policing"]
    assert ids(filter_entries(library, parse_filter("actor:fisheries"))) == ["trade"]
    assert ids(filter_entries(library, parse_filter("tag:policing tag:trade"))) == []


def test_filters_combine_with_free_text(library: list[Entry]) -> None:
    assert ids(filter_entries(library, parse_filter("region:pacific salmon"))) == []
    # Free text reaches the summary too (issue 11): "tuna" is only in the trade brief's summary.
    assert ids(filter_entries(library, parse_filter("region:pacific tuna"))) == ["trade"]
    assert ids(filter_entries(library, parse_filter("region:pacific fisheries"))) == ["trade"]
    assert ids(filter_entries(library, parse_filter("region:pacific officers"))) == ["policing"]
    # Free text is matched word by word, in any order.
    assert ids(filter_entries(library, parse_filter("push global"))) == ["policing"]


def test_has_notes_filter(library: list[Entry]) -> None:
    flt = parse_filter("has:notes")
    assert filter_entries(library, flt) == []
    assert ids(filter_entries(library, flt, {"trade"})) == ["trade"]


def test_filters_keep_invalid_entries_only_for_plain_text() -> None:
    broken = Entry(Path("/library/broken-file.yaml"), None)
    assert filter_entries([broken], parse_filter("broken")) == [broken]
    assert filter_entries([broken], parse_filter("tag:x")) == []
    assert filter_entries([broken], parse_filter("")) == [broken]


# --------------------------------------------------------------------------- library index


def test_search_finds_fields_with_anchor_and_snippet(library: list[Entry]) -> None:
    index = LibraryIndex(library)
    hits = index.search("lianyungang")
    assert hits
    assert (hits[0].entry.id, hits[0].anchor, hits[0].field) == ("policing", "summary", "summary")
    start, end = hits[0].spans[0]
    assert hits[0].snippet[start:end] == "Lianyungang"
    assert "\n" not in hits[0].snippet


def test_exact_title_hit_outranks_fuzzy_and_body_hits() -> None:
    exact = entry("title: Tuna quotas\nsummary: Nothing else here.", "exact")
    fuzzy = entry("title: Tunas and quotes\nsummary: Other words.", "fuzzy")
    body = entry("title: Something\nsummary: A long text that mentions tuna quotas.", "body")
    index = LibraryIndex([fuzzy, body, exact])
    hits = index.search("tuna quotas")
    assert hits[0].entry is exact and hits[0].field == "title"
    assert [h.entry for h in hits].index(body) < [h.entry for h in hits].index(fuzzy)


def test_search_tolerates_typos_and_half_typed_words(library: list[Entry]) -> None:
    index = LibraryIndex(library)
    typo = index.search("fisherise")
    assert typo and typo[0].entry.id == "trade"
    prefix = index.search("lianyun")
    assert prefix and prefix[0].entry.id == "policing"
    assert index.search("zzzzqqq") == []


def test_search_finds_the_users_notes(library: list[Entry]) -> None:
    notes = {
        "trade": [("summary", "Ask Kiribati about observer coverage")],
        "missing": [("summary", "observer note on a brief that is gone")],
    }
    index = LibraryIndex(library, notes)
    hits = index.search("observer coverage")
    assert hits[0].entry.id == "trade" and hits[0].field == "note"
    assert all(h.entry.id != "missing" for h in hits)
    assert index.briefs_with_notes == frozenset({"trade"})
    # Replacing the notes keeps the brief index and drops the old notes.
    renewed = index.with_notes({"policing": [("figures/officers", "Kiribati too?")]})
    assert renewed.search("observer coverage") == []
    assert renewed.search("kiribati")[0].anchor == "figures/officers"


def test_search_with_filters(library: list[Entry]) -> None:
    index = LibraryIndex(library, {"trade": [("summary", "a note")]})
    assert {h.entry.id for h in index.search("pacific")} >= {"policing", "trade"}
    assert {h.entry.id for h in index.search("tag:trade pacific")} == {"trade"}
    only_filters = index.search("region:pacific")
    assert [h.entry.id for h in only_filters] == ["policing", "trade"]
    assert all(h.field == "title" for h in only_filters)
    assert [h.entry.id for h in index.search("has:notes")] == ["trade"]
    assert index.search("actor:nobody police") == []
    assert index.search("") == []


def test_search_hits_are_unique_per_field_and_limited(library: list[Entry]) -> None:
    index = LibraryIndex(library)
    hits = index.search("police", limit=3)
    assert len(hits) == 3
    keys = [(h.entry.id, h.anchor, h.field) for h in index.search("police")]
    assert len(keys) == len(set(keys))
    scores = [h.score for h in index.search("police")]
    assert scores == sorted(scores, reverse=True)


def test_search_keeps_hostile_text_literal_and_clean(library: list[Entry]) -> None:
    index = LibraryIndex(library, {"hostile": [("summary", "note \x1b]0;pwned\x07 x[/]")]})
    hits = index.search("colour")
    assert hits[0].snippet.startswith("Text with [link=http://evil]")
    note = index.search("pwned")[0]
    assert "\x1b" not in note.snippet and "\x07" not in note.snippet
    assert "x[/]" in note.snippet


def test_search_accents_and_numbers() -> None:
    zurich = entry("title: Meeting in Zürich\nsummary: About 5,000 delegates.", "zurich")
    index = LibraryIndex([zurich])
    assert index.search("zurich")[0].entry is zurich
    assert index.search("Zürich")[0].entry is zurich
    assert index.search("5,000")[0].field == "summary"


def test_invalid_and_stub_entries_are_searchable_by_title() -> None:
    broken = Entry(Path("/library/broken-budget.yaml"), None)
    index = LibraryIndex([broken])
    hits = index.search("budget")
    assert hits and hits[0].entry is broken and hits[0].field == "title"


def test_names_list_briefs_figures_and_actors(library: list[Entry]) -> None:
    index = LibraryIndex(library)
    names = {(name, anchor) for name, _, anchor in index.names()}
    assert ("China's global policing push", "summary") in names
    assert ("Foreign officers China plans to train", "figures/officers") in names
    assert ("Wang Xiaohong", "actors/wang-xiaohong") in names
    assert ("Forum Fisheries Agency", "actors/forum-fisheries-agency") in names
    found = index.search_names("wang xiahong")
    assert found[0][0] == "Wang Xiaohong" and found[0][2] == "actors/wang-xiaohong"
    assert index.search_names("") == []


def test_index_build_and_query_are_fast_enough() -> None:
    # A smoke check at 200 briefs (the 2,000-brief figure is bench/case_search.py).
    texts = [
        POLICING.replace("id: policing", f"id: policing-{i}").replace("push", f"push {i}")
        for i in range(200)
    ]
    entries = [entry(t) for t in texts]
    started = time.perf_counter()
    index = LibraryIndex(entries)
    assert time.perf_counter() - started < 2.0
    started = time.perf_counter()
    hits = index.search("push 150")
    assert time.perf_counter() - started < 0.2
    assert hits[0].entry.id == "policing-150"


def test_snippet_is_a_window_around_the_match_in_long_text() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    long = entry(f"title: Long\nsummary: {words} needle {words}", "long")
    hit = LibraryIndex([long]).search("needle")[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) <= 115
    (
        start,
        end,
    ) = hit.spans[0]
    assert hit.snippet[start:end] == "needle"
    assert hit.snippet[1:].split(" ")[0].startswith("word")  # begins at a whole word
