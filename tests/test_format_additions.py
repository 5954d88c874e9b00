"""Issue 13, the model half: the format's new optional keys load, sort, print and are checked
across the brief, every problem at its line and column (tests/data/format/additions.yaml)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import msgspec
import pytest

from termbrief.core.dates import PartialDate
from termbrief.core.loader import BriefError, load_brief, load_brief_text
from termbrief.core.model import Brief, KeyPoint, ValueRange, decode_hook, encode_hook
from termbrief.core.references import links_of, resting_on
from termbrief.ui.panes.figures import value_sort_key

DATA = Path(__file__).parent / "data"
ADDITIONS = DATA / "format" / "additions.yaml"
REPORT = DATA / "reports" / "red-sea-shipping.yaml"


def problems_of(text: str) -> list[str]:
    with pytest.raises(BriefError) as caught:
        load_brief_text(textwrap.dedent(text), "b.yaml")
    return [str(problem) for problem in caught.value.problems]


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("written", "shown", "words"),
    [
        ("2024-09-09", "2024-09-09", "9 September 2024"),
        ("~2023-12", "~2023-12", "about December 2023"),
        ("2024-09-04/2024-09-06", "2024-09-04–06", "4 September 2024 to 6 September 2024"),
        ("2023/2024", "2023–2024", "2023 to 2024"),
        ("2024-09/2024-11", "2024-09–11", "September 2024 to November 2024"),
        ("2023-11/ongoing", "2023-11–ongoing", "since November 2023, ongoing"),
    ],
)
def test_date_forms_round_trip_and_read_well(written: str, shown: str, words: str) -> None:
    date = PartialDate.parse(written)
    assert str(date) == written  # what the cache and JSON keep
    assert PartialDate.parse(str(date)) == date
    assert date.text == shown
    assert date.words == words


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("2024-09-06/2024-09-04", "ends (2024-09-04) before it starts"),
        ("2024-02-30/2024-03-01", "not a real date"),
        ("2024/ongoing/x", "expected a date"),
        ("ongoing", "expected a date"),
        ("~", "expected a date"),
    ],
)
def test_impossible_dates_are_refused(written: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        PartialDate.parse(written)


def test_dates_sort_start_first_then_end() -> None:
    written = ["2024", "2023-11/ongoing", "2023-11/2024-01", "2023-11", "~2023-10", "2023-11-02"]
    ordered = sorted(PartialDate.parse(w) for w in written)
    assert [str(d) for d in ordered] == [
        "~2023-10",
        "2023-11",
        "2023-11/2024-01",
        "2023-11/ongoing",
        "2023-11-02",
        "2024",
    ]


# --------------------------------------------------------------------------- loading


def test_every_addition_loads() -> None:
    brief = load_brief(ADDITIONS)
    point = brief.key_points[1]
    assert isinstance(point, KeyPoint) and point == "Shipping costs rose."  # still a str
    assert [c.source for c in point.citations] == ["rapid-assessment"]
    assert point.confidence == "high"
    figure = brief.figures[0]
    assert figure.value == ValueRange(low=12, high=15)
    assert figure.value_text() == "12–15 %"
    assert figure.change is not None and figure.change.heading == "down"
    assert figure.change.text(figure.unit) == "−42 % vs the 2023 peak (~2023-12)"
    assert [e.value_text(figure.unit) for e in figure.estimates] == ["about 22 %", "25–30 %"]
    assert figure.citations[0].locator == "p. 4"
    assert str(figure.as_of) == "2024-02"
    unsigned = brief.figures[1].change
    assert unsigned is not None and unsigned.text() == "−5 since 2024-01"  # 5 with `down`
    actor = brief.actor("jan-hoffmann")
    assert actor is not None and actor.relations[0].kind == "member-of"
    canal = brief.actor("suez-canal")
    assert canal is not None and canal.kind == "place"
    view, assessment = brief.commentary
    assert view.quote and view.medium == "interview" and str(view.date) == "2024-01-15"
    assert assessment.kind == "assessment" and assessment.author == ""
    event = brief.timeline[0]
    assert event.actors == ("houthis",) and str(event.date) == "2023-11/ongoing"
    assert event.confidence == "moderate"
    source = brief.source("rapid-assessment")
    assert source is not None and source.reliability == "A"


def test_resting_on_lists_every_citing_item_in_pane_order() -> None:
    brief = load_brief(ADDITIONS)
    resting = resting_on(brief, "rapid-assessment")
    assert [(c.what, c.anchor) for c in resting] == [
        ("key point", "key_points"),
        ("figure", "figures/share-of-trade"),
        ("estimate", "figures/share-of-trade"),
        ("relation", "actors/jan-hoffmann"),
        ("view", "commentary/hoffmann-lifeline"),
        ("event", "timeline/1"),
    ]
    assert resting[0].text == "Shipping costs rose."  # tells key points apart
    assert resting[1].locator == "p. 4"
    assert resting_on(brief, "press") == [] or all(c.anchor for c in resting_on(brief, "press"))


def test_relations_show_from_both_ends() -> None:
    brief = load_brief(ADDITIONS)
    unctad, hoffmann = brief.actor("unctad"), brief.actor("jan-hoffmann")
    assert unctad is not None and hoffmann is not None
    assert [link.text(hoffmann) for link in links_of(brief, hoffmann)] == [
        "Jan Hoffmann → member-of → UNCTAD"
    ]
    assert [link.text(unctad) for link in links_of(brief, unctad)] == [
        "UNCTAD ← member-of ← Jan Hoffmann"
    ]


def test_ranges_sort_by_their_midpoint_among_numbers() -> None:
    brief = load_brief(ADDITIONS)
    keys = {figure.id: value_sort_key(figure) for figure in brief.figures}
    assert keys["small"] < keys["share-of-trade"] < keys["large"] < keys["text-value"]


def test_the_cache_keeps_key_point_citations_and_new_dates() -> None:
    brief = load_brief(ADDITIONS)
    payload = msgspec.msgpack.encode(brief, enc_hook=encode_hook)
    again = msgspec.msgpack.decode(payload, type=Brief, dec_hook=decode_hook)
    assert again == brief
    assert again.key_points[1].citations == brief.key_points[1].citations
    assert again.timeline[0].date == brief.timeline[0].date


def test_old_briefs_keep_every_key_point_as_plain_text() -> None:
    for path in sorted((Path(__file__).parents[1] / "briefs").glob("*.yaml")):
        brief = load_brief(path)
        assert all(isinstance(point, str) for point in brief.key_points)


# --------------------------------------------------------------------------- checking


BRIEF_HEAD = """\
title: T
summary: S
"""


def test_a_dangling_citation_is_an_error_at_its_position_with_did_you_mean() -> None:
    text = BRIEF_HEAD + textwrap.dedent(
        """\
        figures:
          - label: L
            value: 1
            cites: [rapid-asessment, {source: nowhere, locator: p. 2}]
        sources:
          - id: rapid-assessment
            title: R
        """
    )
    assert problems_of(text) == [
        "b.yaml:6:13: `cites`: no source has the id `rapid-asessment`; "
        "did you mean `rapid-assessment`?",
        "b.yaml:6:39: `cites`: no source has the id `nowhere` (the sources' ids: "
        "`rapid-assessment`)",
    ]


def test_a_citation_when_no_source_has_an_id_says_how_to_give_one() -> None:
    text = BRIEF_HEAD + "key_points:\n  - {text: P, cites: [unctad]}\nsources:\n  - title: U\n"
    assert problems_of(text) == [
        "b.yaml:4:23: `cites`: no source has the id `unctad`; give the source it means `id: unctad`"
    ]


def test_relations_and_timeline_actors_are_checked_like_citations() -> None:
    text = BRIEF_HEAD + textwrap.dedent(
        """\
        actors:
          - name: Jan Hoffmann
            kind: person
            relations:
              - {to: unctd, kind: member-of}
              - {to: jan-hoffmann, kind: leads}
          - {id: unctad, name: UNCTAD, kind: organisation}
        timeline:
          - date: 2024-01
            event: E
            actors: [unctad, hoffman]
        """
    )
    assert problems_of(text) == [
        "b.yaml:7:14: `to`: no actor has the id `unctd`; did you mean `unctad`?",
        "b.yaml:8:14: `to`: an actor cannot relate to itself",
        "b.yaml:13:22: `actors`: no actor has the id `hoffman`; did you mean `jan-hoffmann`?",
    ]


def test_rules_within_an_item() -> None:
    text = BRIEF_HEAD + textwrap.dedent(
        """\
        figures:
          - label: L
            value: {low: 15, high: 12}
            change: {amount: -3, direction: up}
        commentary:
          - body: A view without an author.
          - kind: assessment
            body: The writer's own view needs none.
        sources:
          - {id: s, title: A}
          - {id: s, title: B}
        """
    )
    assert problems_of(text) == [
        "b.yaml:5:28: `high` (12) is below `low` (15); a range goes from low to high",
        "b.yaml:6:37: `direction`: `up` contradicts the amount -3; correct one of them",
        "b.yaml:8:5: missing required key `author`",
        "b.yaml:13:10: duplicate id `s` in sources (first used on line 12)",
    ]


def test_reference_problems_come_in_the_same_run_as_type_problems() -> None:
    text = BRIEF_HEAD + textwrap.dedent(
        """\
        figures:
          - label: L
            value: [1]
            cites: [missing]
            confidence: sure
        timeline:
          - {date: 2024-13, event: E}
        """
    )
    found = problems_of(text)
    assert [problem.split(": ")[0] for problem in found] == [
        "b.yaml:5:12",  # value
        "b.yaml:6:13",  # the dangling citation, found although the figure is invalid
        "b.yaml:7:17",  # confidence
        "b.yaml:9:12",  # the impossible month
    ]
    assert "`missing`" in found[1] and "`sure`" in found[2]


def test_a_bad_key_point_mapping_is_explained_key_by_key() -> None:
    text = BRIEF_HEAD + "key_points:\n  - {txt: P, cites: Unctad}\n  - ''\n"
    assert problems_of(text) == [
        "b.yaml:4:5: missing required key `text`",
        "b.yaml:4:6: `txt`: unknown key; did you mean `text`?",
        "b.yaml:4:21: `cites` must be a list, not a string",
        "b.yaml:5:5: item 2 of `key_points`: a key point must not be empty",
    ]


def test_diff_reports_changes_in_the_new_keys() -> None:
    from termbrief.core.diff import diff_briefs

    old = load_brief(ADDITIONS)
    text = ADDITIONS.read_text(encoding="utf-8").replace("locator: p. 4", "locator: p. 5")
    new = load_brief_text(text.replace("2023-11/ongoing", "2023-11/2024-03"), "b.yaml")
    changed = {
        (change.anchor, field.field): field.words
        for change in diff_briefs(old, new).changes
        for field in change.fields
    }
    assert set(changed) == {("figures/share-of-trade", "cites"), ("timeline/1", "date")}
    assert any("p. 5" in run.text for run in changed["figures/share-of-trade", "cites"])


def test_find_sees_badges_and_event_actors_as_the_panes_show_them() -> None:
    from termbrief.core.search import find_in_brief

    brief = load_brief(ADDITIONS)
    found = [(m.segment.anchor, m.segment.field) for m in find_in_brief(brief, "Houthi movement")]
    assert found == [("actors/houthis", "name"), ("timeline/1", "actors")]
    found = [(m.segment.anchor, m.segment.field) for m in find_in_brief(brief, "reliability:c")]
    assert found == [("sources", "reliability")]
