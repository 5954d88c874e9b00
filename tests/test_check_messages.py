"""One-round checking: every problem of a file in one run, each naming its field, YAML syntax
slips in plain words (PyYAML's own as a detail), impossible dates told from badly written ones."""

from __future__ import annotations

import pytest

from termbrief.core.loader import BriefError, Problem, load_brief_text
from termbrief.core.problems import Problems
from termbrief.core.yaml_lines import LineEdit
from termbrief.core.yaml_recovery import apply_fixes, syntax_fixes

TWELVE_MISTAKES = """\
title: Red Sea: the shipping crisis
subtitel: What changed for carriers
date: 2024-02-30
tags: shipping
summary: |
  Attacks on ships pushed carriers round the Cape.
key_points:
  - Transits fell by half.
  - NO
figures:
  - label: Suez transits
    value: 42
    qualifier: [about]
    unit: %
  - label: suez transits
    value: 42
actors:
  - name: UNCTAD
    kind: Organization
    aliases: the agency
  - name: Jan Hoffmann
    role: head of trade logistics
timeline:
  - date: 2024-13
    event: Attacks begin
"""
"""A brief with twelve different mistakes, two of them YAML syntax errors."""


def problems(text: str) -> list[Problem]:
    with pytest.raises(BriefError) as caught:
        load_brief_text(text, "b.yaml", default_id="b")
    return list(caught.value.problems)


def test_twelve_mistakes_in_one_run_each_naming_its_field() -> None:
    found = problems(TWELVE_MISTAKES)
    expected = [
        (1, 8, "`title`", "quote the whole value"),
        (2, 1, "`subtitel`", "did you mean `subtitle`?"),
        (3, 7, "`date`", "30 February 2024 does not exist"),
        (4, 7, "`tags`", "must be a list of tags, not a string"),
        (9, 5, "`key_points`", "`NO` is read by YAML as a boolean"),
        (13, 16, "`qualifier`", "must be a string, not a list"),
        (14, 11, "`unit`", "a value starting with `%`"),
        (15, 5, "`label`", "the id `suez-transits` derived from this entry's `label`"),
        (19, 11, "`kind`", "did you mean `organisation`?"),
        (20, 14, "`aliases`", "must be a list of names, not a string"),
        (21, 5, "`kind`", "missing required key `kind`"),
        (24, 11, "`date`", "2024-13 does not exist: there is no month 13"),
    ]
    assert len(found) == 12
    for problem, (line, column, field, words) in zip(found, expected, strict=True):
        assert str(problem).startswith(f"b.yaml:{line}:{column}: "), problem
        assert field in problem.message and words in problem.message, problem


# --- YAML syntax slips -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "message", "parser_words"),
    [
        pytest.param(
            "title: Red Sea: the crisis\nsummary: S\n",
            (1, 8),
            "`title`: this value holds a colon followed by a space, which YAML reads as the "
            'start of a new key; quote the whole value: title: "Red Sea: the crisis"',
            "mapping values are not allowed in this context",
            id="unquoted-colon",
        ),
        pytest.param(
            "title: T\nsummary: S\nkey_points:\n    - a\n    - b\n   - c\n",
            (6, 4),
            "`key_points`: this line is indented 3 spaces; the items above use 4",
            "did not find expected key",
            id="indented-less-than-the-items",
        ),
        pytest.param(
            "title: T\nsummary: S\nfigures:\n  - label: L\n    value: 3\n   unit: x\n",
            (6, 4),
            "`unit`: this line is indented 3 spaces; the keys above use 4",
            "did not find expected '-' indicator",
            id="indented-between-dash-and-keys",
        ),
        pytest.param(
            "title: T\nsummary: S\nfigures:\n  - label: L\n    value: 3\n     unit: x\n",
            (6, 6),
            "`unit`: this line is indented 5 spaces; the keys above use 4, so YAML reads it as "
            "more of the value on line 5: line it up with the keys above, or quote the value "
            "above if this line belongs to it",
            "mapping values are not allowed in this context",
            id="indented-more-than-the-keys",
        ),
        pytest.param(
            "title: T\nsummary: |\n  First paragraph.\n\n second paragraph\nsources: []\n",
            (5, 2),
            "this line is indented 1 space, less than the `|` block of `summary` (line 2) above "
            "it, which uses 2: the block ended on line 3. Indent this line by 2 to keep it in "
            "the block",
            "did not find expected key",
            id="block-ending-early",
        ),
        pytest.param(
            "title: T\nsummary: S\nactors:\n  - name: A\n\tkind: person\n",
            (5, 1),
            "`kind`: a tab indents this line; YAML allows only spaces for indentation: indent it "
            "with 4 spaces",
            "found a tab character that violates indentation",
            id="tab",
        ),
        pytest.param(
            'title: "Unclosed\nsummary: S\n',
            (1, 8),
            '`title`: this double quote (") is never closed, so the value runs to the end of the '
            'file; add the closing "',
            "found unexpected end of stream",
            id="unclosed-quote",
        ),
        pytest.param(
            'title: "Unclosed\nsummary: "S"\n',
            (1, 8),
            '`title`: the double quote (") opened here closes only on line 2; add the missing '
            'closing "',
            "did not find expected key",
            id="quote-closed-lines-later",
        ),
        pytest.param(
            "title: T\nsummary: S\ntags: [a, b\nregions: [x]\n",
            (3, 7),
            "`tags`: the `[` opened here is never closed; end it with `]` (on line 3, where its "
            "items seem to end)",
            "did not find expected ',' or ']'",
            id="unclosed-bracket",
        ),
        pytest.param(
            "title: 'it's here'\nsummary: S\n",
            (1, 8),
            "`title`: the value ends at the single quote (') in column 11, and YAML cannot read "
            'the text after it; quote the whole value: title: "it\'s here"',
            "did not find expected key",
            id="quote-inside-quotes",
        ),
        pytest.param(
            "title:T\nsummary: S\n",
            (1, 6),
            "`title`: a key needs a space after its colon (`title: T`); without it YAML reads "
            "the line as text, not as a key",
            "mapping values are not allowed in this context",
            id="no-space-after-colon",
        ),
        pytest.param(
            "title: *bold* words\nsummary: S\n",
            (1, 8),
            "`title`: a value starting with `*` is read as an alias, a reference to an "
            '`&anchor`, not as text; quote the whole value: title: "*bold* words"',
            "while scanning an alias",
            id="star",
        ),
        pytest.param(
            'title: "C:\\Users"\nsummary: S\n',
            (1, 11),
            "`title`: `\\U` in a double-quoted value starts an escape sequence; write `\\\\U` "
            "for a backslash, or use single quotes",
            "did not find expected hexdecimal number",
            id="backslash-in-double-quotes",
        ),
        pytest.param(
            "title: T\nsummary: S\ntags: - a\n",
            (3, 7),
            "`tags`: a `- ` list item cannot start on the line of its key; put each item on its "
            "own line, indented, or write the list as [a, b]",
            "block sequence entries are not allowed in this context",
            id="dash-on-the-key-line",
        ),
    ],
)
def test_syntax_slips_in_plain_words(
    text: str, position: tuple[int, int], message: str, parser_words: str
) -> None:
    first = problems(text)[0]
    assert (first.line, first.column) == position
    assert first.message == message
    assert first.detail.startswith("YAML parser: ") and parser_words in first.detail


def test_an_unknown_syntax_error_keeps_the_parser_words() -> None:
    [problem] = problems("title: T\nsummary: S\n...\nx: 1\n")
    assert problem.message == "YAML syntax: did not find expected <document start>"
    assert problem.detail == ""


def test_checking_goes_on_after_syntax_errors_with_positions_of_the_file_as_written() -> None:
    text = (
        "title: Red Sea: crisis\n"  # a syntax error; quoting it moves later columns by 2
        "summary: S\n"
        "tags: [a, b\n"  # a second one
        "figures:\n"
        "  - {label: L, value: 3, unit: x, rol: y}\n"  # then validation, on the edited text
    )
    found = [(p.line, p.column, p.message.split(":")[0]) for p in problems(text)]
    assert found == [(1, 8, "`title`"), (3, 7, "`tags`"), (5, 35, "`rol`")]


def test_positions_on_an_edited_line_are_mapped_back_to_the_file() -> None:
    problems_found = Problems("b.yaml")
    problems_found.text = "title: Red: x\n"
    quoted = LineEdit(0, 'title: "Red: x"', column=7, shift=2, fix="quote")
    problems_found.read_edited('title: "Red: x"\n', quoted)
    problems_found.add(1, 12, "after the quote that was added")
    problems_found.add(1, 7, "before it")
    problems_found.add(2, 12, "on another line")
    positions = [(p.line, p.column) for p in problems_found.items]
    assert positions == [(1, 10), (1, 7), (2, 12)]


# --- validation messages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "title: T\nsummary: S\nactors:\n  - name: A\n    kind: Organization\n",
            "b.yaml:5:11: `kind`: `Organization` is not an actor kind; did you mean "
            "`organisation`? (one of: person, government, organisation, company, group, "
            "country, forum, place, other)",
            id="enum-did-you-mean",
        ),
        pytest.param(
            "title: T\nsummary: S\nactors:\n  - name: A\n    kind: PERSON\n",
            "b.yaml:5:11: `kind`: `PERSON` is not an actor kind; did you mean `person`? (one "
            "of: person, government, organisation, company, group, country, forum, place, other)",
            id="enum-case",
        ),
        pytest.param(
            "title: T\nsummary: S\nactors:\n  - name: A\n    kind: ministry\n",
            "b.yaml:5:11: `kind`: `ministry` is not an actor kind; use one of: person, "
            "government, organisation, company, group, country, forum, place, other",
            id="enum-nothing-close",
        ),
        pytest.param(
            "title: T\nsummary: S\nactors:\n  - name: A\n    kind: person\n    aliases: the man\n",
            "b.yaml:6:14: `aliases` must be a list of names, not a string; write "
            "`aliases: [the man]`, or one `- ` line per item",
            id="aliases-a-string",
        ),
        pytest.param(
            "title: T\nsummary: S\nkey_points:\n  - Note: this matters\n",
            "b.yaml:4:5: item 1 of `key_points` must be a string, not a mapping; a colon "
            "followed by a space made a key of the text before it: quote the whole value",
            id="colon-made-a-key",
        ),
        pytest.param(
            "title: T\nsummary: S\ndate: 2023-02-29\n",
            "b.yaml:3:7: `date`: 29 February 2023 does not exist (February 2023 has 28 days)",
            id="impossible-day",
        ),
        pytest.param(
            "title: T\nsummary: S\nsources:\n  - title: X\n    published: 2024-04-31\n",
            "b.yaml:5:16: `published`: 31 April 2024 does not exist (April 2024 has 30 days)",
            id="impossible-partial-date",
        ),
        pytest.param(
            "title: T\nsummary: S\ndate: 12/09/2024\n",
            "b.yaml:3:7: `date`: `12/09/2024` is not written as a date; write it as YYYY-MM-DD, "
            "e.g. 2024-09-10",
            id="badly-written-date",
        ),
        pytest.param(
            "title: T\nsummary: S\nregions: [East, [West]]\n",
            "b.yaml:3:17: item 2 of `regions` must be a string, not a list",
            id="list-item",
        ),
    ],
)
def test_validation_messages_name_their_field(text: str, expected: str) -> None:
    assert [str(problem) for problem in problems(text)] == [expected]


def test_a_derived_id_clash_is_reported_with_the_other_problems() -> None:
    text = (
        "title: T\nsummary: S\ndate: nope\n"
        "figures:\n  - {label: Officers, value: 1}\n  - {label: officers, value: 2}\n"
    )
    assert [str(problem) for problem in problems(text)] == [
        "b.yaml:3:7: `date`: `nope` is not written as a date; write it as YYYY-MM-DD, "
        "e.g. 2024-09-10",
        "b.yaml:6:5: the id `officers` derived from this entry's `label` is already used on "
        "line 5; give this entry an explicit `id`",
    ]


def test_an_unsupported_format_is_reported_with_the_other_problems() -> None:
    found = [str(problem) for problem in problems("format: 2\ntitle: T\nsummary: [x]\n")]
    assert found == [
        "b.yaml:1:9: format 2 is not supported; this termbrief reads format 1",
        "b.yaml:3:10: `summary` must be a string, not a list",
    ]


# --- the fixes check --fix offers ------------------------------------------------------------


def test_safe_fixes_make_the_syntax_valid_and_keep_the_text() -> None:
    text = (
        "title: Red Sea: the crisis  # from the report\n"
        "summary: S\n"
        "key_points:\n  -\tone\n"
        "figures:\n  - label: Share\n    value: 12\n    unit: %\n"
    )
    fixes = syntax_fixes(text)
    assert [fix.line for fix in fixes] == [0, 3, 7]
    fixed = apply_fixes(text, fixes)
    assert fixed == (
        'title: "Red Sea: the crisis"  # from the report\n'
        "summary: S\n"
        "key_points:\n  - one\n"
        'figures:\n  - label: Share\n    value: 12\n    unit: "%"\n'
    )
    brief = load_brief_text(fixed, "b.yaml")
    assert brief.title == "Red Sea: the crisis" and brief.figures[0].unit == "%"


def test_a_guess_is_never_offered_as_a_fix() -> None:
    # Re-indenting a line or closing a quote lets checking go on, but is not a safe fix.
    assert syntax_fixes("title: T\nsummary: S\nkey_points:\n    - a\n   - b\n") == []
    assert syntax_fixes('title: "T\nsummary: S\n') == []
    # A fix worked out on a line that a guess changed first is not offered either.
    misplaced = "title: T\nsummary: S\nfigures:\n  - label: L\n    value: 3\n   unit: a: b\n"
    assert syntax_fixes(misplaced) == []
    # Two fixes of one line apply one after the other.
    tabbed = "title: T\nsummary: S\nfigures:\n  - label: L\n    value: 3\n\tunit: %\n"
    assert apply_fixes(tabbed, syntax_fixes(tabbed)).endswith('\n    unit: "%"\n')
