"""The words of validation problems: msgspec's messages rewritten for someone editing YAML.

Every message names its field (``aliases``, ``item 2 of `tags```), says what was found and what
is expected, suggests the likely value where one is close (an enum value, an id, a date) and
tells an impossible date ("30 February 2024 does not exist") from a badly written one.
"""

from __future__ import annotations

import calendar
import datetime
import difflib
import re
import typing
from typing import Any, Final, Literal

from yaml.nodes import MappingNode, Node, ScalarNode

from termbrief.core.model import ACTOR_KINDS, slugify

__all__ = ["describe", "humanize", "kind_of", "subject"]

PathPart = str | int

_TAG = "tag:yaml.org,2002:"
_YAML_TYPE_NAMES: Final = {
    _TAG + "bool": "a boolean",
    _TAG + "int": "a number",
    _TAG + "float": "a number",
    _TAG + "null": "empty (null)",
    _TAG + "timestamp": "a date",
}
_TYPE_WORDS: Final = {
    "str": "a string",
    "int": "a whole number",
    "float": "a number",
    "bool": "a boolean",
    "null": "empty (null)",
    "object": "a mapping",
    "array": "a list",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date with a time",
    "int | float | str": "a number or a string",
    "int | float | str | object": "a number, a string or a range {low, high}",
}
_LISTS: Final = {
    "aliases": ("a list of names", "the minister"),
    "tags": ("a list of tags", "policing"),
    "regions": ("a list of regions", "East Africa"),
    "key_points": ("a list of points", "China will train officers"),
    "figures": ("a list of figures (mappings)", ""),
    "actors": ("a list of actors (mappings)", ""),
    "commentary": ("a list of entries (mappings)", ""),
    "timeline": ("a list of events (mappings)", ""),
    "sources": ("a list of sources (mappings)", ""),
}
"""What each list of the format holds, and an example item for the "write it as" hint."""
_FLOW_SAFE = re.compile(r"^[^\s,\[\]{}#:&*!|>'\"%@`-][^,\[\]{}#:]{0,40}$")
"""Text that reads back unchanged as one item of ``[ ]``."""
_EXPECTED = re.compile(r"^Expected `([^`]+)`, got `([^`]+)`$")
_DATE_PARTS = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


def subject(path: tuple[PathPart, ...]) -> str:
    """How a message names the value at ``path``: `` `aliases` `` or ``item 2 of `tags```."""
    if not path:
        return "the brief"
    last = path[-1]
    if isinstance(last, int):
        owner = next((part for part in reversed(path) if isinstance(part, str)), "the list")
        return f"item {last + 1} of `{owner}`"
    return f"`{last}`"


def humanize(message: str, node: Node, path: tuple[PathPart, ...], annotation: Any) -> str:
    """A msgspec message about the value at ``path`` (its YAML ``node``, its model type
    ``annotation``), in words meant for someone editing YAML by hand."""
    name = subject(path)
    expected = _EXPECTED.match(message)
    if expected:
        return _wrong_type(name, node, path, *expected.groups())
    if message.startswith("Expected `str` matching regex"):
        raw = _raw(node)
        slug = slugify(raw)
        hint = f"; did you mean `{slug}`?" if slug and slug != raw else ", e.g. `wang-xiaohong`"
        return (
            f"{name}: `{raw}` is not a valid id: use lowercase letters, digits and single "
            f"hyphens{hint}"
        )
    if message.startswith("Expected `str` of length >= 1"):
        return f"{name} must not be empty"
    if message.startswith("Invalid enum value"):
        return _enum(name, _raw(node), _literal_values(annotation))
    date = _date_problem(_raw(node)) if isinstance(node, ScalarNode) else None
    if date is not None:
        return f"{name}: {date}"
    if message.startswith("Invalid RFC3339 encoded date"):
        return (
            f"{name}: `{_raw(node)}` is not written as a date; write it as YYYY-MM-DD, "
            "e.g. 2024-09-10"
        )
    return f"{name}: {message}"


def wrong_type(node: Node, path: tuple[PathPart, ...], want: str, got: str) -> str:
    """The message for a value of msgspec type ``got`` where ``want`` is expected (msgspec's
    names: ``str``, ``int | float | str``, ``object``...), as :func:`humanize` words it."""
    return _wrong_type(subject(path), node, path, want, got)


def _wrong_type(name: str, node: Node, path: tuple[PathPart, ...], want: str, got: str) -> str:
    wants = [part for part in want.split(" | ") if part != "null"]
    if "str" in wants and _is_yaml11_surprise(node):
        assert isinstance(node, ScalarNode)
        return (
            f"{name}: `{node.value}` is read by YAML as {_YAML_TYPE_NAMES[node.tag]}, but text "
            f'is expected here; quote it: "{node.value}"'
        )
    field = next((part for part in reversed(path) if isinstance(part, str)), "")
    if wants == ["array"] and field in _LISTS and not isinstance(path[-1], int):
        noun, example = _LISTS[field]
        hint = ""
        if got == "str" and example:
            if isinstance(node, ScalarNode) and _FLOW_SAFE.match(node.value):
                example = node.value  # the author's own words, as one item of the list
            hint = f"; write `{field}: [{example}]`, or one `- ` line per item"
        return f"{name} must be {noun}, not {_TYPE_WORDS.get(got, got)}{hint}"
    if got == "null" and isinstance(node, ScalarNode) and node.value in ("", "~"):
        return f"{name} has no value; expected {describe(wants)}"
    hint = ""
    if got == "object" and "str" in wants and _colon_made_a_key(node):
        hint = (
            "; a colon followed by a space made a key of the text before it: quote the whole value"
        )
    return f"{name} must be {describe(wants)}, not {_TYPE_WORDS.get(got, got)}{hint}"


def describe(types: list[str]) -> str:
    """msgspec type names (``["int", "str"]``) in words."""
    joined = " | ".join(types)
    if joined in _TYPE_WORDS:
        return _TYPE_WORDS[joined]
    return " or ".join(_TYPE_WORDS.get(t, t) for t in types)


def _colon_made_a_key(node: Node) -> bool:
    """``- Note: this is it``: one plain key on the line where the mapping starts."""
    if not isinstance(node, MappingNode) or node.flow_style or len(node.value) != 1:
        return False
    key, value = node.value[0]
    return (
        isinstance(key, ScalarNode)
        and not key.style
        and key.start_mark.line == value.start_mark.line
    )


def _enum(name: str, raw: str, allowed: tuple[str, ...]) -> str:
    allowed = allowed or ACTOR_KINDS
    what = "an actor kind" if allowed == ACTOR_KINDS else "an allowed value here"
    close = [value for value in allowed if value == raw.strip().lower()]
    close = close or difflib.get_close_matches(raw.lower(), list(allowed), n=1, cutoff=0.6)
    values = ", ".join(allowed)
    if close:
        return f"{name}: `{raw}` is not {what}; did you mean `{close[0]}`? (one of: {values})"
    return f"{name}: `{raw}` is not {what}; use one of: {values}"


def _literal_values(annotation: Any) -> tuple[str, ...]:
    """The values of a ``Literal[...]`` inside ``annotation`` (through Annotated, Optional)."""
    pending = [annotation]
    while pending:
        current = pending.pop()
        origin = typing.get_origin(current)
        if origin is Literal:
            return tuple(str(value) for value in typing.get_args(current))
        if origin is not None:
            pending.extend(typing.get_args(current))
    return ()


def _date_problem(raw: str) -> str | None:
    """For a date that is well written but does not exist, what is wrong with it."""
    parts = _DATE_PARTS.match(raw)
    if parts is None:
        return None
    year, month = int(parts.group(1)), int(parts.group(2))
    if not 1 <= month <= 12:
        return f"{raw.strip()} does not exist: there is no month {month} (months run 01 to 12)"
    if parts.group(3) is None:
        return None
    day = int(parts.group(3))
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if 1 <= day <= last:
        return None
    month_name = calendar.month_name[month]
    return f"{day} {month_name} {year} does not exist ({month_name} {year} has {last} days)"


def _raw(node: Node) -> str:
    return node.value if isinstance(node, ScalarNode) else "…"


def _is_yaml11_surprise(node: Node) -> bool:
    return (
        isinstance(node, ScalarNode)
        and not node.style
        and node.tag in _YAML_TYPE_NAMES
        and (node.value not in ("", "~"))
    )


def kind_of(value: object) -> str:
    """What a constructed YAML value is, in words: "a mapping", "a list", ..."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    if value is None:
        return "empty (null)"
    return type(value).__name__
