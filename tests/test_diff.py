"""The structural diff of two briefs (termbrief.core.diff), on edited copies of a sample brief."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import msgspec
import pytest

from termbrief.core.diff import BriefDiff, ItemChange, WordRun, diff_briefs
from termbrief.core.loader import load_brief
from termbrief.core.markdown_text import markdown_blocks, markdown_text
from termbrief.core.model import (
    Actor,
    Brief,
    Citation,
    Commentary,
    Figure,
    KeyPoint,
    PartialDate,
    Source,
    ValueRange,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = tuple(load_brief(path) for path in sorted((REPO / "briefs").glob("*.yaml")))
SAMPLE = next(brief for brief in SAMPLES if brief.id == "china-police-cooperation")
replace = msgspec.structs.replace


def only(diff: BriefDiff, section: str) -> list[ItemChange]:
    """The changes of one section, after checking no other section reports any."""
    assert {change.section for change in diff.changes} == {section}, diff.summary()
    return list(diff.changes)


def kinds(changes: Sequence[ItemChange]) -> list[tuple[str, int | None, int | None]]:
    return [(c.kind, c.old_index, c.new_index) for c in changes]


def test_a_brief_against_itself_or_an_equal_copy_is_empty() -> None:
    copy = load_brief(REPO / "briefs" / "china-police-cooperation.yaml")
    assert diff_briefs(SAMPLE, SAMPLE).is_empty
    assert diff_briefs(SAMPLE, copy) == BriefDiff()
    assert diff_briefs(SAMPLE, copy).summary() == "no changes"


def test_header_fields() -> None:
    new = replace(SAMPLE, title="China widens its police ties", tags=(*SAMPLE.tags[1:], "new-tag"))
    [change] = only(diff_briefs(SAMPLE, new), "brief")
    assert change.kind == "changed" and change.anchor == "brief"
    assert [f.field for f in change.fields] == ["title", "tags"]
    title, tags = change.fields
    assert title.old == SAMPLE.title and title.new == new.title
    assert [r for r in title.words if r.kind != "equal"] == [
        WordRun("delete", "public-security co-operation"),
        WordRun("insert", "police ties"),
    ]
    assert [r for r in tags.words if r.kind != "equal"] == [
        WordRun("delete", "policing"),
        WordRun("insert", "new-tag"),
    ]
    assert diff_briefs(SAMPLE, new).summary() == "title, tags changed"


def paragraphs(brief: Brief) -> list[str]:
    return brief.summary.strip().split("\n\n")


def with_paragraphs(brief: Brief, items: Sequence[str]) -> Brief:
    return replace(brief, summary="\n\n".join(items) + "\n")


def test_summary_paragraph_rewritten_is_a_word_diff_of_the_rendered_text() -> None:
    items = paragraphs(SAMPLE)
    items[0] = items[0].replace("promised Chinese help", "promised **Chinese** assistance")
    [change] = only(diff_briefs(SAMPLE, with_paragraphs(SAMPLE, items)), "summary")
    assert (change.kind, change.old_index, change.new_index, change.anchor) == (
        "changed",
        0,
        0,
        "summary/1",  # each block has its own anchor, as the summary pane gives it
    )
    [field] = change.fields
    assert field.field == "text" and field.new == items[0]
    # The ** markup is not a word change: the reader sees "Chinese" in both.
    assert [r for r in field.words if r.kind != "equal"] == [
        WordRun("delete", "help"),
        WordRun("insert", "assistance"),
    ]
    assert change.label.startswith("At the Global Public Security Cooperation Forum, held")
    assert diff_briefs(SAMPLE, with_paragraphs(SAMPLE, items)).summary() == (
        "1 paragraph rewritten"
    )


def test_summary_formatting_only_change() -> None:
    items = paragraphs(SAMPLE)
    items[1] = items[1].replace("Digital\nSilk Road", "[Digital Silk Road](https://example.org)")
    [change] = only(diff_briefs(SAMPLE, with_paragraphs(SAMPLE, items)), "summary")
    [field] = change.fields
    assert field.formatting_only
    assert field.old != field.new


def test_summary_paragraphs_added_removed_moved() -> None:
    items = paragraphs(SAMPLE)
    edited = [items[3], items[0], items[1], "A brand new closing paragraph about nothing else."]
    changes = only(diff_briefs(SAMPLE, with_paragraphs(SAMPLE, edited)), "summary")
    assert kinds(changes) == [
        ("moved", 3, 0),
        ("removed", 2, None),
        ("removed", 4, None),  # a removal comes before an addition at the same place
        ("added", None, 3),
    ]
    assert changes[0].moved and not changes[0].fields
    assert changes[2].label.startswith("Points to check. The article")  # rendered, no ** or >
    assert changes[3].label == "A brand new closing paragraph about nothing else."


def test_key_points_every_kind() -> None:
    points = list(SAMPLE.key_points)
    points[1] = points[1].replace("around 100", "around 120")  # rewritten
    points.insert(0, points.pop(4))  # moved to the front
    del points[4]  # removed (old index 3)
    points.append("An entirely different observation.")  # added
    changes = only(diff_briefs(SAMPLE, replace(SAMPLE, key_points=tuple(points))), "key_points")
    assert kinds(changes) == [
        ("moved", 4, 0),
        ("changed", 1, 2),
        ("removed", 3, None),
        ("added", None, 8),
    ]
    assert [(f.field, f.old, f.new) for f in changes[1].fields] == [
        ("text", SAMPLE.key_points[1], points[2])
    ]
    # Each point is named by its place: in the new brief, or in the old one when removed.
    assert [change.anchor for change in changes] == [
        "key_points/1",
        "key_points/3",
        "key_points/4",
        "key_points/9",
    ]


def test_a_rewrite_beyond_recognition_is_a_removal_and_an_addition() -> None:
    points = (*SAMPLE.key_points[:-1], "Something else entirely.")
    changes = only(diff_briefs(SAMPLE, replace(SAMPLE, key_points=points)), "key_points")
    assert [c.kind for c in changes] == ["removed", "added"]


def test_figure_value_as_number_change() -> None:
    figures = list(SAMPLE.figures)
    figures[0] = replace(figures[0], value=3000)
    [change] = only(diff_briefs(SAMPLE, replace(SAMPLE, figures=tuple(figures))), "figures")
    assert change.anchor == "figures/foreign-officers-to-train"
    [field] = change.fields
    assert field.number is not None and field.words == ()
    assert (field.number.difference, field.number.percent) == (-2000, -40.0)
    assert field.number.text == "5,000 -> 3,000 officers, -40%"


@pytest.mark.parametrize(
    ("old", "new", "text"),
    [
        (0, 12, "0 -> 12 officers, +12"),
        (1000, 1250.5, "1,000 -> 1,250.5 officers, +25.1%"),
        (3, 4, "3 -> 4 officers, +33.3%"),
    ],
)
def test_number_change_text(old: float, new: float, text: str) -> None:
    base = replace(SAMPLE, figures=(replace(SAMPLE.figures[0], value=old),))
    changed = replace(base, figures=(replace(SAMPLE.figures[0], value=new),))
    [field] = diff_briefs(base, changed).changes[0].fields
    assert field.number is not None and field.number.text == text


def test_figure_text_fields_and_markdown_context() -> None:
    figures = list(SAMPLE.figures)
    old = figures[0]
    assert old.context is not None
    figures[0] = replace(
        old,
        label=old.label + " abroad",
        qualifier="about",
        value="4,000-5,000",
        context=old.context.replace("**Doubt:**", "**Caution:**"),
    )
    [change] = only(diff_briefs(SAMPLE, replace(SAMPLE, figures=tuple(figures))), "figures")
    assert [f.field for f in change.fields] == ["label", "value", "qualifier", "context"]
    label, value, qualifier, context = change.fields
    assert [r for r in label.words if r.kind != "equal"] == [WordRun("insert", "abroad")]
    assert value.number is None and value.words == (
        WordRun("delete", "5,000"),
        WordRun("insert", "4,000-5,000"),
    )
    assert qualifier.words == (WordRun("delete", "nearly"), WordRun("insert", "about"))
    # Words of the rendered context: no asterisks.
    assert [r for r in context.words if r.kind != "equal"] == [
        WordRun("delete", "Doubt:"),
        WordRun("insert", "Caution:"),
    ]


def test_figures_added_removed_moved_and_changed_while_moved() -> None:
    figures = list(SAMPLE.figures)
    extra = Figure(id="new-figure", label="A new figure", value=7)
    moved = replace(figures.pop(1), label="Countries at the forum")
    del figures[2]  # african-legal-professionals-trained (old index 3)
    figures = [*figures[:4], moved, extra, *figures[4:]]
    diff = diff_briefs(SAMPLE, replace(SAMPLE, figures=tuple(figures)))
    changes = only(diff, "figures")
    assert [(c.kind, c.anchor, c.moved) for c in changes] == [
        ("removed", "figures/african-legal-professionals-trained", False),
        ("changed", "figures/forum-participating-countries", True),
        ("added", "figures/new-figure", False),
    ]
    assert changes[0].old_item == SAMPLE.figures[3] and changes[0].new_item is None
    assert changes[2].new_item == extra and changes[2].label == "A new figure"
    assert diff.summary() == "1 figure changed, 1 figure added, 1 figure removed"


def test_actors_every_kind() -> None:
    actors = list(SAMPLE.actors)
    actors[0] = replace(actors[0], role="Former minister", aliases=("Wang",))
    actors.append(actors.pop(1))  # xi-jinping to the end
    actors.remove(SAMPLE.actor("pakistan"))
    actors.insert(2, Actor(id="li-qiang", name="Li Qiang", kind="person"))
    changes = only(diff_briefs(SAMPLE, replace(SAMPLE, actors=tuple(actors))), "actors")
    assert [(c.kind, c.anchor) for c in changes] == [
        ("changed", "actors/wang-xiaohong"),
        ("added", "actors/li-qiang"),
        ("removed", "actors/pakistan"),
        ("moved", "actors/xi-jinping"),
    ]
    role, aliases = changes[0].fields
    assert (role.field, role.old, role.new) == (
        "role",
        "Minister of Public Security",
        actors[0].role,
    )
    assert aliases.words == (WordRun("equal", "Wang"), WordRun("delete", "the minister"))


def test_commentary_every_kind() -> None:
    entries = list(SAMPLE.commentary)
    entries[0] = replace(entries[0], body=entries[0].body.replace("no wish", "no desire"))
    entries.reverse()
    entries.pop(1)  # opacity-of-private-security, second after the reversal
    entries.append(Commentary(id="late-view", author="A. Writer", body="A *late* view."))
    changes = only(diff_briefs(SAMPLE, replace(SAMPLE, commentary=tuple(entries))), "commentary")
    by_anchor = {c.anchor: c for c in changes}
    assert by_anchor["commentary/norms-through-practice"].kind == "changed"
    assert by_anchor["commentary/opacity-of-private-security"].kind == "removed"
    assert by_anchor["commentary/late-view"].kind == "added"
    # Reversing 5 items: the fewest moves keep one in place.
    assert sum(c.moved for c in changes) == 4
    [body] = by_anchor["commentary/norms-through-practice"].fields
    assert [r for r in body.words if r.kind != "equal"] == [
        WordRun("delete", "wish"),
        WordRun("insert", "desire"),
    ]


def test_timeline_every_kind() -> None:
    events = list(SAMPLE.timeline)
    events[1] = replace(events[1], date=PartialDate(2022, 4))  # date corrected
    events[2] = replace(events[2], event=events[2].event + " It met again in 2024.")
    moved = events.pop(0)
    del events[2]  # old index 3
    events.append(moved)
    events.insert(0, replace(events[0], date=PartialDate(1999), event="A new first event."))
    changes = only(diff_briefs(SAMPLE, replace(SAMPLE, timeline=tuple(events))), "timeline")
    assert [(c.kind, c.old_index, c.new_index, c.anchor) for c in changes] == [
        ("added", None, 0, "timeline/1"),
        ("changed", 1, 1, "timeline/2"),
        ("changed", 2, 2, "timeline/3"),
        ("removed", 3, None, "timeline/4"),
        ("moved", 0, 5, "timeline/6"),
    ]
    assert [f.field for f in changes[1].fields] == ["date"]
    assert changes[1].fields[0].words == (WordRun("delete", "2021"), WordRun("insert", "2022-04"))
    assert [r for r in changes[2].fields[0].words if r.kind != "equal"] == [
        WordRun("insert", "It met again in 2024.")
    ]


def test_sources_every_kind() -> None:
    first = SAMPLE.sources[0]
    second = Source(title="Beijing Action Plan (2025-2027)", publisher="FOCAC", url="https://a.b/")
    third = Source(title="Lianyungang forum report", publisher="Xinhua")
    base = replace(SAMPLE, sources=(first, second, third))
    edited = (
        replace(second, url="https://a.b/plan", note="The *official* text."),
        first,
        Source(title="An unrelated newspaper column"),
    )
    changes = only(diff_briefs(base, replace(base, sources=edited)), "sources")
    assert kinds(changes) == [
        ("changed", 1, 0),
        ("removed", 2, None),  # after the item it followed
        ("moved", 0, 1),
        ("added", None, 2),
    ]
    assert [(f.field, f.new) for f in changes[0].fields] == [
        ("url", "https://a.b/plan"),
        ("note", "The *official* text."),
    ]
    assert changes[0].fields[1].words == (WordRun("insert", "The official text."),)
    assert not changes[0].moved  # the two swapped: one move says it
    assert [c.anchor for c in changes] == ["sources/1", "sources/3", "sources/2", "sources/3"]


def test_items_with_repeated_ids_pair_in_order() -> None:
    one, two = Figure(id="x", label="One", value=1), Figure(id="x", label="Two", value=2)
    base = replace(SAMPLE, figures=(one, two))
    [change] = diff_briefs(base, replace(base, figures=(one, replace(two, value=3)))).changes
    assert (change.old_index, change.new_index, change.fields[0].new) == (1, 1, 3)


# --- the format's additions (issue 13): key points' citations, nested values in words --------

ADDITIONS = load_brief(REPO / "tests" / "data" / "format" / "additions.yaml")


def changed_words(runs: Sequence[WordRun]) -> list[WordRun]:
    return [run for run in runs if run.kind != "equal"]


def test_a_key_point_whose_citations_or_confidence_alone_changed_is_changed() -> None:
    plain, cited = ADDITIONS.key_points
    points = (
        KeyPoint(str(plain), confidence="low"),
        KeyPoint(str(cited), (*cited.cites, Citation(source="press", locator="p. 4")), "high"),
    )
    new = replace(ADDITIONS, key_points=points)
    changes = only(diff_briefs(ADDITIONS, new), "key_points")
    assert [(c.kind, c.anchor) for c in changes] == [
        ("changed", "key_points/1"),
        ("changed", "key_points/2"),
    ]
    [confidence] = changes[0].fields
    assert (confidence.field, confidence.old, confidence.new) == ("confidence", None, "low")
    assert confidence.words == (WordRun("insert", "low"),)
    [cites] = changes[1].fields
    assert (cites.field, cites.new) == ("cites", points[1].cites)
    assert cites.words == (
        WordRun("equal", "rapid-assessment"),
        WordRun("insert", "· press p. 4"),
    )
    # A new confidence and new words: both fields, text first.
    reworded = KeyPoint("Shipping costs rose sharply.", cited.cites, "moderate")
    [change] = diff_briefs(ADDITIONS, replace(ADDITIONS, key_points=(plain, reworded))).changes
    assert [f.field for f in change.fields] == ["text", "confidence"]
    assert change.fields[1].words == (WordRun("delete", "high"), WordRun("insert", "moderate"))
    assert diff_briefs(new, new).is_empty


def test_nested_values_read_as_words_not_json() -> None:
    figure = ADDITIONS.figures[0]
    assert figure.change is not None and len(figure.estimates) == 2
    estimates = (figure.estimates[0], replace(figure.estimates[1], by="Reuters"))
    edited = replace(
        figure,
        value=ValueRange(low=14, high=16),
        change=replace(figure.change, amount=-40),
        estimates=estimates,
    )
    hoffmann = ADDITIONS.actor("jan-hoffmann")
    assert hoffmann is not None
    relation = replace(hoffmann.relations[0], kind="leads")
    entry = replace(ADDITIONS.commentary[0], quote=False)
    new = replace(
        ADDITIONS,
        figures=(edited, *ADDITIONS.figures[1:]),
        actors=tuple(
            replace(a, relations=(relation,)) if a is hoffmann else a for a in ADDITIONS.actors
        ),
        commentary=(entry, *ADDITIONS.commentary[1:]),
    )
    diff = diff_briefs(ADDITIONS, new)
    fields = {f.field: f for change in diff.changes for f in change.fields}
    assert set(fields) == {"value", "change", "estimates", "relations", "quote"}
    value = fields["value"]
    assert value.number is not None
    assert value.number.text == "12–15 -> 14–16 %, midpoint +11.1%"
    assert changed_words(fields["change"].words) == [
        WordRun("delete", "−42"),
        WordRun("insert", "−40"),
    ]
    assert " ".join(run.text for run in fields["change"].words if run.kind != "delete") == (
        "−40 % vs the 2023 peak (~2023-12)"
    )
    # One word of the second estimate changed: just that word shows, the list stays readable.
    assert changed_words(fields["estimates"].words) == [
        WordRun("delete", "an official at a briefing,"),
        WordRun("insert", "Reuters,"),
    ]
    assert fields["estimates"].words[0] == WordRun(
        "equal", "about 22 %, by the report, cites rapid-assessment · 25–30 %, by"
    )
    assert changed_words(fields["relations"].words) == [
        WordRun("delete", "member-of"),
        WordRun("insert", "leads"),
    ]
    assert fields["quote"].words == (WordRun("delete", "yes"), WordRun("insert", "no"))
    every_word = " ".join(run.text for f in fields.values() for run in f.words)
    assert "{" not in every_word and '"' not in every_word


def test_a_single_value_that_becomes_a_range_is_a_number_change() -> None:
    figure = replace(ADDITIONS.figures[2], value=ValueRange(low=2.5, high=3.5), unit="%")
    new = replace(ADDITIONS, figures=(*ADDITIONS.figures[:2], figure, *ADDITIONS.figures[3:]))
    [change] = diff_briefs(ADDITIONS, new).changes
    assert [f.field for f in change.fields] == ["value", "unit"]
    number = change.fields[0].number
    assert number is not None and (number.old, number.difference) == (40, -37.0)
    assert number.text == "40 -> 2.5–3.5 %, midpoint -92.5%"


def test_not_a_number_is_equal_to_itself() -> None:
    base = replace(SAMPLE, figures=(Figure(id="n", label="N", value=float("nan")),))
    copy = replace(SAMPLE, figures=(Figure(id="n", label="N", value=float("nan")),))
    assert diff_briefs(base, copy).is_empty


def test_markdown_text_is_what_the_reader_sees() -> None:
    source = (
        "# Heading\n\nSome **bold** and *em*, `code`, a [link](https://x.y) and ![alt](i.png).\n"
        "\n- one\n- two\n\n> quoted <b>html</b>\n"
    )
    assert markdown_text(source) == (
        "Heading\n\nSome bold and em, code, a link and alt.\n\none\ntwo\n\nquoted html"
    )
    assert [markdown for markdown, _ in markdown_blocks(source)] == [
        "# Heading",
        "Some **bold** and *em*, `code`, a [link](https://x.y) and ![alt](i.png).",
        "- one\n- two",
        "> quoted <b>html</b>",
    ]


def test_summary_line_matches_the_banner_wording() -> None:
    figures = (replace(SAMPLE.figures[0], value=3000), replace(SAMPLE.figures[1], value=120))
    new = replace(
        SAMPLE,
        figures=(*figures, *SAMPLE.figures[2:]),
        actors=(*SAMPLE.actors, Actor(id="li-qiang", name="Li Qiang", kind="person")),
        summary=SAMPLE.summary.replace("nearly 5,000", "3,000"),
    )
    diff = diff_briefs(SAMPLE, new)
    assert diff.summary() == "1 paragraph rewritten, 2 figures changed, 1 actor added"
    assert (diff.count("figures"), diff.count(kind="added"), diff.count("actors", "removed")) == (
        2,
        1,
        0,
    )


def test_core_diff_imports_neither_textual_nor_rich() -> None:
    code = (
        "import sys; from termbrief.core.diff import diff_briefs\n"
        "from termbrief.core.markdown_text import markdown_text\n"
        "markdown_text('*x*')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "raise SystemExit(str(bad) if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
