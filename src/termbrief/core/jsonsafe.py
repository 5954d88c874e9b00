"""JSON from files termbrief did not write itself, read with a bound on nesting.

Both ``json`` and ``msgspec`` raise ``RecursionError`` on deeply nested input (``[[[[…]]]]``), and
whatever walks the result afterwards (validation, conversion) recurses as deep again. So the depth
is measured before decoding, in a linear scan that recurses nowhere, and input deeper than the
limit is refused with a :class:`json.JSONDecodeError` at the bracket that goes too deep: callers
that already handle malformed JSON handle this too.

This module imports no Textual.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any, Final

__all__ = ["MAX_DEPTH", "JSONTooDeep", "load_json"]

MAX_DEPTH: Final = 64
"""Default nesting limit: far deeper than any file termbrief writes (a notes export nests 3
levels, ``state.json`` 3), far shallower than the interpreter's recursion limit."""

_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET: Final = re.compile(r"[^\[\]{}]+")
_STEP: Final = str.maketrans({"[": "+", "{": "+", "]": "-", "}": "-"})


class JSONTooDeep(json.JSONDecodeError):
    """The JSON nests arrays and objects deeper than the limit."""


def load_json(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Decode ``text`` like :func:`json.loads`, refusing nesting deeper than ``max_depth``.

    Raises:
        json.JSONDecodeError: malformed JSON, text that is not UTF-8, a number too long to
            convert, or (as
            :class:`JSONTooDeep`) "nested deeper than N levels" at the offending bracket.
    """
    if isinstance(text, bytes):
        data = text
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            document = data.decode("utf-8", "replace")
            raise json.JSONDecodeError("not UTF-8 text", document, error.start) from None
    position = _too_deep_at(text, max_depth)
    if position is not None:
        raise JSONTooDeep(f"nested deeper than {max_depth} levels", text, position)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # an integer too long to convert: bounded by the interpreter
        raise json.JSONDecodeError(str(error).partition(";")[0], text, 0) from None


def _too_deep_at(text: str, max_depth: int) -> int | None:
    """Where ``text`` first opens a level deeper than ``max_depth``; None if it never does.

    Strings are blanked out first (a bracket inside a string does not nest), then only the
    brackets are counted, all with regular expressions and C-level loops.
    """
    skeleton = _STRING.sub('""', text)
    brackets = _NOT_BRACKET.sub("", skeleton)
    if len(brackets) <= max_depth:  # too few brackets to nest that deep
        return None
    levels = accumulate(1 if step == "+" else -1 for step in brackets.translate(_STEP))
    if max(levels, default=0) <= max_depth:
        return None
    return _slow_position(text, max_depth)


def _slow_position(text: str, max_depth: int) -> int:
    """The offset of the bracket that opens level ``max_depth + 1`` (only on refusal)."""
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return offset
        elif char in "]}":
            depth -= 1
    return len(text)
