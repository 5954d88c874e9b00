"""Parsing that goes on past syntax errors, and the safe fixes found on the way.

libyaml stops at the first syntax error. After one that :mod:`termbrief.core.yaml_messages`
can get past by changing one line (quoting a value, closing a bracket, re-indenting a line),
the edited text is parsed again, so that one run of ``check`` reports every problem of the file:
the later syntax errors, and what validation says about the rest. Positions stay those of the
file as written (:class:`~termbrief.core.problems.Problems` maps them back through the edits).
The edits that are safe fixes are what ``termbrief check --fix`` offers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import yaml
from yaml.nodes import Node

from termbrief.core.problems import Problems

if TYPE_CHECKING:
    from termbrief.core.yaml_lines import LineEdit

# yaml_lines and yaml_messages are imported when a file has a syntax error: a valid brief, the
# first one a reader opens included, does not pay for them (bench case 1).

__all__ = ["MAX_REPARSES", "apply_fixes", "compose", "syntax_fixes"]

MAX_REPARSES: Final = 8
"""After syntax errors, parsing goes on over at most this many times the file's length in all:
enough for several slips in one run, bounded for a huge broken file."""
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(
    text: str, problems: Problems, *, max_depth: int
) -> tuple[yaml.SafeLoader, Node] | None:
    """The node graph of ``text``, with every syntax error reported.

    After a syntax error that :mod:`termbrief.core.yaml_messages` can get past by changing one
    line, parsing starts again on the edited text (``problems.text``), so that one run reports
    the problems after it too. None once no edit helps; the caller raises then.
    """
    parsed = text
    budget = max(len(text), 1) * MAX_REPARSES
    while True:
        try:
            loader = _Loader(parsed)
        except UnicodeEncodeError as error:  # only a str given by a caller can hold these
            problems.at_index(error.start, "a lone surrogate character is not text; remove it")
            return None
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            loader.dispose()
            edit = _report_syntax(parsed, error, problems, max_depth)
            budget -= len(parsed)
            if edit is None or budget <= 0 or problems.full():
                return None
            from termbrief.core.yaml_lines import apply_edit

            parsed = apply_edit(parsed, edit)
            problems.read_edited(parsed, edit)
            continue
        except yaml.YAMLError as error:
            loader.dispose()
            position = getattr(error, "position", None)
            first_line = str(error).split("\n", 1)[0]  # the rest names "<unicode string>"
            problems.at_index(position or 0, f"YAML: {first_line}")
            return None
        except RecursionError:
            loader.dispose()
            problems.add(1, 1, f"nesting is too deep (limit {max_depth})")
            return None
        if node is None:
            loader.dispose()
            if not problems.edits:
                problems.add(
                    1, 1, "the file is empty; a brief needs at least `title` and `summary`"
                )
            return None
        return loader, node


def _report_syntax(
    text: str, error: yaml.MarkedYAMLError, problems: Problems, max_depth: int
) -> LineEdit | None:
    """Report one syntax error; the edit of one line that gets past it, if any."""
    message = error.problem or error.context or ""
    if "maximum nesting depth" in message:
        mark = error.problem_mark or error.context_mark
        line, column = problems.position(mark) if mark else (1, 1)
        problems.add(
            line, column, f"nesting is too deep (a brief needs about 4 levels; limit {max_depth})"
        )
        return None
    from termbrief.core.yaml_messages import explain

    explained = explain(text, error)
    problems.at_index(explained.offset, explained.message, explained.detail)
    return explained.edit


def syntax_fixes(text: str, *, max_depth: int = 64) -> list[LineEdit]:
    """The safe fixes for the syntax errors of ``text``, in the order they apply.

    A fix found after an edit that is not one (a guess made only to parse on) is kept when
    that edit changed another line: it was worked out on the line as written.
    """
    problems = Problems("<fixes>")
    problems.text = text
    composed = compose(text, problems, max_depth=max_depth)
    if composed is not None:
        composed[0].dispose()
    guessed: set[int] = set()
    fixes: list[LineEdit] = []
    for edit in problems.edits:
        if not edit.fix:
            guessed.add(edit.line)
        elif edit.line not in guessed:
            fixes.append(edit)
    return fixes


def apply_fixes(text: str, fixes: list[LineEdit]) -> str:
    """``text`` with ``fixes`` (from :func:`syntax_fixes`) applied."""
    from termbrief.core.yaml_lines import apply_edit

    for fix in fixes:
        text = apply_edit(text, fix)
    return text
