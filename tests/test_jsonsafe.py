"""Depth-limited JSON for files termbrief did not write (issue 15, item 10)."""

from __future__ import annotations

import json

import pytest

from termbrief.core.jsonsafe import MAX_DEPTH, JSONTooDeep, load_json


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_100000_levels_are_refused_with_the_limit_and_the_place() -> None:
    with pytest.raises(JSONTooDeep) as caught:
        load_json(nested(100_000))
    assert caught.value.msg == f"nested deeper than {MAX_DEPTH} levels"
    assert caught.value.pos == MAX_DEPTH  # the bracket that opens one level too many
    assert isinstance(caught.value, json.JSONDecodeError)  # callers of json.loads catch it


def test_the_limit_itself_is_allowed() -> None:
    assert load_json(nested(5), max_depth=5) == [[[[[]]]]]
    with pytest.raises(JSONTooDeep, match="nested deeper than 5 levels"):
        load_json(nested(6), max_depth=5)
    deep_objects = '{"a": ' * 6 + "1" + "}" * 6
    with pytest.raises(JSONTooDeep) as caught:
        load_json(deep_objects, max_depth=5)
    assert (caught.value.lineno, caught.value.colno) == (1, 31)


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"text": "[" * 1000 + '\\"{' * 500, "list": [[["x]"]]]})
    assert load_json(text) == json.loads(text)


def test_it_decodes_like_json_loads() -> None:
    text = '{"termbrief_notes": 1, "notes": [{"a": [1, 2.5, null, true]}], "é": "\\u00e9"}'
    assert load_json(text) == json.loads(text)
    assert load_json(text.encode("utf-8")) == json.loads(text)


def test_malformed_and_non_utf8_input_raise_decode_errors() -> None:
    with pytest.raises(json.JSONDecodeError):
        load_json("{")
    with pytest.raises(json.JSONDecodeError, match="not UTF-8 text"):
        load_json(b'{"a": "\xff"}')


def test_an_integer_too_long_to_convert_is_a_decode_error() -> None:
    with pytest.raises(json.JSONDecodeError, match="Exceeds the limit"):
        load_json("[" + "1" * 5000 + "]")
