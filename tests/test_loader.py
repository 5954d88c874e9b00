"""The loader: every class of problem at its exact line and column, with its exact message."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest

from termbrief.core.loader import MAX_PROBLEMS, BriefError, Problem, load_brief, load_brief_text
from termbrief.core.model import Brief, PartialDate

DATA = Path(__file__).parent / "data" / "loader"

VALID = """\
title: China trains foreign police
summary: |
  Beijing announced **training** for foreign officers.
date: 2024-09-12
tags: [policing, africa]
key_points:
  - China will train thousands of officers.
figures:
  - label: Foreign officers China plans to train
    value: 5000
    qualifier: nearly
    unit: officers
    period: next five years
  - label: Plan period
    value: "2025-2027"
actors:
  - name: Wang Xiaohong
    kind: person
    aliases: [the minister]
commentary:
  - author: Devendra Kumar
    heading: A security model for export
    body: China exports its model.
  - author: Someone Else
    body: No heading here.
timeline:
  - date: 2024-09-09
    event: Forum opens
  - date: 2024-09
    event: Month only
  - date: 2022
    event: Year only
sources:
  - title: An article
    published: 2024-09-12
"""


def problems_of(text: str, name: str = "b.yaml") -> list[str]:
    with pytest.raises(BriefError) as caught:
        load_brief_text(text, name, default_id="b")
    return [str(problem) for problem in caught.value.problems]


def test_valid_brief_loads_with_derived_ids() -> None:
    brief = load_brief_text(VALID, "china.yaml", default_id="china")
    assert isinstance(brief, Brief)
    assert brief.id == "china"
    assert brief.date == datetime.date(2024, 9, 12)
    assert [f.id for f in brief.figures] == ["foreign-officers-china-plans-to-train", "plan-period"]
    assert brief.figures[0].value_text() == "nearly 5,000 officers"
    assert brief.figures[1].value_text() == "2025-2027"
    assert brief.actors[0].id == "wang-xiaohong"
    assert brief.actors[0].names == ("Wang Xiaohong", "the minister")
    assert [c.id for c in brief.commentary] == ["a-security-model-for-export", "c2"]
    assert [str(e.date) for e in brief.timeline] == ["2024-09-09", "2024-09", "2022"]
    assert brief.sources[0].published == PartialDate(2024, 9, 12)


def test_model_is_immutable() -> None:
    brief = load_brief_text(VALID, "china.yaml")
    with pytest.raises(AttributeError):
        brief.title = "changed"  # type: ignore[misc]


def test_brief_id_defaults_to_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "My Brief.yaml"
    path.write_text("title: T\nsummary: S\n", encoding="utf-8")
    assert load_brief(path).id == "my-brief"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "title: T\nsummary: [\n",
            [
                "b.yaml:2:10: `summary`: the `[` opened here is never closed; end it with `]` "
                "(on line 2, where its items seem to end)"
            ],
            id="syntax",
        ),
        pytest.param(
            "title: T\nsummary: S\nfigures:\n  - label: L\n    value: {a: 1}\n",
            ["b.yaml:5:12: `value` must be a number or a string, not a mapping"],
            id="wrong-type",
        ),
        pytest.param(
            "title: T\nsummary: S\ntags: policing\n",
            [
                "b.yaml:3:7: `tags` must be a list of tags, not a string; write "
                "`tags: [policing]`, or one `- ` line per item"
            ],
            id="list-expected",
        ),
        pytest.param(
            "title: T\nfigures:\n  - value: 3\n",
            [
                "b.yaml:1:1: missing required key `summary`",
                "b.yaml:3:5: missing required key `label`",
            ],
            id="missing-keys-at-their-mapping",
        ),
        pytest.param(
            "title: T\nsumary: S\n",
            [
                "b.yaml:1:1: missing required key `summary`",
                "b.yaml:2:1: `sumary`: unknown key; did you mean `summary`?",
            ],
            id="unknown-key-did-you-mean",
        ),
        pytest.param(
            "title: T\nsummary: S\nactors:\n  - name: A\n    kind: person\n    rol: x\n",
            ["b.yaml:6:5: `rol`: unknown key; did you mean `role`?"],
            id="unknown-nested-key",
        ),
        pytest.param(
            "title: T\nsummary: S\ntitle: U\n",
            [
                "b.yaml:3:1: `title`: duplicate key (first defined on line 1); "
                "YAML would silently keep only the last one"
            ],
            id="duplicate-key",
        ),
        pytest.param(
            "title: T\nsummary: S\nactors:\n  - {id: x, name: C, kind: person}\n"
            "  - {id: x, name: D, kind: person}\n",
            ["b.yaml:5:10: duplicate id `x` in actors (first used on line 4)"],
            id="duplicate-explicit-id",
        ),
        pytest.param(
            "title: T\nsummary: S\nfigures:\n  - {label: Officers, value: 1}\n"
            "  - {label: officers, value: 2}\n",
            [
                "b.yaml:5:5: the id `officers` derived from this entry's `label` is already used "
                "on line 4; give this entry an explicit `id`"
            ],
            id="duplicate-derived-id",
        ),
        pytest.param(
            "title: T\nsummary: S\nactors:\n  - name: A\n    kind: persn\n",
            [
                "b.yaml:5:11: `kind`: `persn` is not an actor kind; did you mean `person`? "
                "(one of: person, government, organisation, company, group, country, forum, "
                "place, other)"
            ],
            id="actor-kind",
        ),
        pytest.param(
            "title: NO\nsummary: S\n",
            [
                "b.yaml:1:8: `title`: `NO` is read by YAML as a boolean, but text is expected "
                'here; quote it: "NO"'
            ],
            id="yaml11-no",
        ),
        pytest.param(
            "title: T\nsummary: S\ntags: [on, '12:30', 12:30]\n",
            [
                "b.yaml:3:8: item 1 of `tags`: `on` is read by YAML as a boolean, but text is "
                'expected here; quote it: "on"',
                "b.yaml:3:21: `tags`: `12:30` is read by YAML as the number 750 (base 60); "
                'quote it: "12:30"',
            ],
            id="yaml11-every-list-item",
        ),
        pytest.param(
            "title: T\nsummary: S\nfigures:\n  - label: Start\n    value: 12:30\n",
            [
                "b.yaml:5:12: `value`: `12:30` is read by YAML as the number 750 (base 60); "
                'quote it: "12:30"'
            ],
            id="yaml11-sexagesimal-where-numbers-are-allowed",
        ),
        pytest.param(
            "title: T\nsummary: S\nsubtitle: 1.10\n",
            [
                "b.yaml:3:11: `subtitle`: `1.10` is read by YAML as a number, but text is "
                'expected here; quote it: "1.10"'
            ],
            id="yaml11-float",
        ),
        pytest.param(
            "title:\nsummary: S\n",
            ["b.yaml:1:7: `title` has no value; expected a string"],
            id="empty-value",
        ),
        pytest.param(
            "title: ''\nsummary: S\n",
            ["b.yaml:1:8: `title` must not be empty"],
            id="empty-string",
        ),
        pytest.param(
            "id: Not An Id\ntitle: T\nsummary: S\n",
            [
                "b.yaml:1:5: `id`: `Not An Id` is not a valid id: use lowercase letters, digits "
                "and single hyphens; did you mean `not-an-id`?"
            ],
            id="bad-id",
        ),
        pytest.param(
            "format: 2\ntitle: T\nsummary: S\n",
            ["b.yaml:1:9: format 2 is not supported; this termbrief reads format 1"],
            id="format-version",
        ),
        pytest.param(
            "title: T\nsummary: S\ndate: 2024-02-30\n",
            ["b.yaml:3:7: `date`: 30 February 2024 does not exist (February 2024 has 29 days)"],
            id="impossible-date",
        ),
        pytest.param(
            "title: T\nsummary: S\ntimeline:\n  - date: 2024-13\n    event: x\n",
            [
                "b.yaml:4:11: `date`: 2024-13 does not exist: there is no month 13 (months run "
                "01 to 12)"
            ],
            id="timeline-year-month",
        ),
        pytest.param(
            "title: T\nsummary: S\ntimeline:\n  - date: {y: 1}\n    event: x\n",
            [
                "b.yaml:4:11: `date`: expected a date (2024-09-09), a year-month (2024-09) or a "
                "year (2024); also ~2023-12 (about then), 2024-09-04/2024-09-06 (a range), "
                "2023-11/ongoing"
            ],
            id="timeline-date-type",
        ),
        pytest.param(
            "- a\n- b\n",
            ["b.yaml:1:1: a brief must be a mapping of keys (title, summary, ...), not a list"],
            id="not-a-mapping",
        ),
        pytest.param(
            "title: T\nsummary: S\nfigures:\n  - just text\n",
            ["b.yaml:4:5: each entry of `figures` must be a mapping of keys, not a string"],
            id="item-not-a-mapping",
        ),
        pytest.param(
            "",
            ["b.yaml:1:1: the file is empty; a brief needs at least `title` and `summary`"],
            id="empty-file",
        ),
        pytest.param(
            "title: a\nsummary: b\n---\ntitle: c\n",
            [
                "b.yaml:3:1: a line `---` starts a second YAML document; a brief is one document: "
                "remove the `---` (or what follows it)"
            ],
            id="two-documents",
        ),
        pytest.param(
            "title: !!python/object/apply:os.system ['echo pwned']\nsummary: !foo S\n",
            [
                "b.yaml:1:8: the YAML tag `!!python/object/apply:os.system` is not allowed in a "
                "brief (only plain values, lists and mappings)",
                "b.yaml:2:10: the YAML tag `!foo` is not allowed in a brief (only plain values, "
                "lists and mappings)",
            ],
            id="tags",
        ),
        pytest.param(
            'title: "Red \\e[31m"\nsummary: "\\x9b2J"\n',
            [
                "b.yaml:1:8: control character U+001B is not allowed (it could drive the "
                "terminal); remove it",
                "b.yaml:2:10: control character U+009B is not allowed (it could drive the "
                "terminal); remove it",
            ],
            id="escaped-control-characters",
        ),
        pytest.param(
            "title: T\x1b]0;x\x07\nsummary: S\n",
            [
                "b.yaml:1:9: control character U+001B is not allowed (it could drive the "
                "terminal); remove it",
                "b.yaml:1:14: control character U+0007 is not allowed (it could drive the "
                "terminal); remove it",
            ],
            id="raw-control-characters",
        ),
    ],
)
def test_problem_positions_and_messages(text: str, expected: list[str]) -> None:
    assert problems_of(text) == expected


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = "title: T\nsummary: S\nfigures:\n" + "".join(
        f"  - label: L{i}\n    value: [x]\n" for i in range(5)
    )
    found = problems_of(text)
    assert found == [
        f"b.yaml:{5 + 2 * i}:12: `value` must be a number, a string or a range {{low, high}}, "
        "not a list"
        for i in range(5)
    ]


def test_problems_are_capped() -> None:
    text = "title: T\nsummary: S\ntags:\n" + "".join(f"  - {i}\n" for i in range(200))
    found = problems_of(text)
    assert len(found) == MAX_PROBLEMS
    assert found[-1].endswith("too many problems; stopped here")


def test_error_carries_path_line_column_message() -> None:
    with pytest.raises(BriefError) as caught:
        load_brief_text("title: T\nsumary: S\nsummary: S\n", "x.yaml")
    error = caught.value
    assert (error.path, error.line, error.column) == ("x.yaml", 2, 1)
    assert error.message == "`sumary`: unknown key; did you mean `summary`?"
    assert error.problems == (Problem("x.yaml", 2, 1, error.message),)


def test_billion_laughs_is_refused_in_milliseconds() -> None:
    path = DATA / "billion-laughs.yaml"
    started = time.perf_counter()
    with pytest.raises(BriefError) as caught:
        load_brief(path)
    elapsed = time.perf_counter() - started
    assert "aliases expand this to" in caught.value.message
    assert caught.value.line == 5
    # A generous bound: expanding the document would take minutes and gigabytes.
    assert elapsed < 1.0


def test_self_referencing_alias_is_refused() -> None:
    with pytest.raises(BriefError) as caught:
        load_brief(DATA / "self-alias.yaml")
    assert str(caught.value.problems[0]).endswith(
        "self-alias.yaml:3:7: this node contains an alias to itself (an endless loop)"
    )


def test_harmless_aliases_are_allowed() -> None:
    text = "title: &t Same\nsubtitle: *t\nsummary: S\n"
    assert load_brief_text(text).subtitle == "Same"


def test_python_tags_are_refused_without_running_anything() -> None:
    with pytest.raises(BriefError) as caught:
        load_brief(DATA / "python-tag.yaml")
    assert "`!!python/object/apply:os.system` is not allowed" in caught.value.message


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    text = "title: " + "[" * 200 + "]" * 200 + "\nsummary: S\n"
    with pytest.raises(BriefError) as caught:
        load_brief_text(text)
    assert any("nesting is too deep" in p.message for p in caught.value.problems)

    huge = "title: " + "[" * 100_000 + "\nsummary: S\n"
    with pytest.raises(BriefError) as caught:
        load_brief_text(huge)
    assert "nesting is too deep" in caught.value.message


def test_size_cap_is_checked_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("title: T\nsummary: S\n# " + "x" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(BriefError) as caught:
        load_brief(path, max_bytes=1000)
    assert str(caught.value) == f"{path}:1:1: file is 0.0 MiB; briefs are limited to 0.0 MiB"
    assert load_brief(path, max_bytes=10_000).title == "T"


def test_invalid_utf8_is_reported_with_its_position() -> None:
    with pytest.raises(BriefError) as caught:
        load_brief(DATA / "latin1.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (1, 11)
    assert problem.message == "invalid UTF-8 (byte 0xe9); briefs must be UTF-8 text"


def test_binary_file_is_reported() -> None:
    with pytest.raises(BriefError) as caught:
        load_brief(DATA / "binary.yaml")
    assert caught.value.message == "this is a binary file (NUL byte), not a YAML brief"
    assert (caught.value.line, caught.value.column) == (1, 5)


def test_utf8_bom_is_accepted() -> None:
    assert load_brief_text(b"\xef\xbb\xbftitle: T\nsummary: S\n").title == "T"


def test_missing_file_is_a_brief_error(tmp_path: Path) -> None:
    with pytest.raises(BriefError) as caught:
        load_brief(tmp_path / "nope.yaml")
    assert caught.value.message.startswith("cannot read the file:")


def test_a_folder_is_a_brief_error(tmp_path: Path) -> None:
    with pytest.raises(BriefError):
        load_brief(tmp_path)


def test_control_characters_in_messages_are_made_visible() -> None:
    # Neither the file's name nor its text may reach the terminal raw through a message.
    found = problems_of('title: T\nsummary: S\n"\\e[2J": x\n', name="evil\x1b]0;x\x07.yaml")
    assert found == [
        "evil\\x1b]0;x\\x07.yaml:3:1: control character U+001B is not allowed (it could drive "
        "the terminal); remove it"
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.yaml")))
def test_hostile_files_give_brief_errors_only(name: str) -> None:
    with pytest.raises(BriefError) as caught:
        load_brief(DATA / name)
    for problem in caught.value.problems:
        assert problem.line >= 1 and problem.column >= 1
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in problem.message)
