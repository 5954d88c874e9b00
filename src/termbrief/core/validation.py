"""Validation of constructed YAML values against the brief model, with messages for people.

msgspec validates the whole brief in one fast pass. Only when that fails does the slow path
(:class:`_Diagnosis`) explain every problem field by field, mapped back to its YAML node, in
words meant for someone editing YAML by hand.
"""

from __future__ import annotations

import datetime
import re
import typing
from typing import TYPE_CHECKING, Any, Final, Protocol

import msgspec
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from termbrief.core.model import MAPPING_FORMS, SUPPORTED_FORMATS, Brief, decode_hook, slugify
from termbrief.core.references import check_references

if TYPE_CHECKING:
    from termbrief.core.validation_messages import PathPart

# difflib and validation_messages are imported when a brief has problems: a valid brief, the
# first one a reader opens included, does not pay for them (bench case 1).

__all__ = ["validate"]


class Problems(Protocol):
    """Where problems go (the loader's problem list)."""

    def at(self, node: Node, message: str) -> None:
        """A problem at the start of ``node``."""

    def full(self) -> bool:
        """True once enough problems are known: stop looking for more."""

    def line_of(self, node: Node) -> int:
        """The 1-based line of the file where ``node`` starts."""

    def __len__(self) -> int:
        """How many problems are known."""


def validate(
    data: dict[str, Any], root: Node, problems: Problems, default_id: str | None
) -> Brief | None:
    """The brief ``data`` describes, or None after reporting every problem to ``problems``.

    Ids the format lets authors omit are derived first (``data`` is changed in place).
    """
    explicit_ids = _explicit_ids(data)
    _fill_default_ids(data, default_id)
    known = len(problems)  # syntax errors parsing went on past, if any
    brief: Brief | None = None
    try:
        brief = msgspec.convert(data, Brief, dec_hook=decode_hook)
    except msgspec.ValidationError:
        _Diagnosis(root, problems).struct(data, Brief, ())
        if known == 0 and not problems:  # the fine-grained pass must explain every failure
            try:
                msgspec.convert(data, Brief, dec_hook=decode_hook)
            except msgspec.ValidationError as error:
                problems.at(root, str(error))
    # On the values as written, whether or not the rest is valid: one run says everything.
    format_value = data.get("format")
    if (
        isinstance(format_value, int)
        and not isinstance(format_value, bool)
        and format_value not in SUPPORTED_FORMATS
    ):
        problems.at(_node_at(root, ("format",)), _format_message(format_value))
    _check_unique_ids(data, root, explicit_ids, problems)
    check_references(data, lambda path: _node_at(root, path), problems)
    return None if problems else brief


def _fields(cls: type[msgspec.Struct]) -> dict[str, msgspec.structs.FieldInfo]:
    return {field.encode_name: field for field in msgspec.structs.fields(cls)}


def _tuple_item_type(annotation: Any) -> Any | None:
    """``tuple[X, ...]`` (possibly ``Annotated``) -> ``X``; anything else -> None."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            return args[0]
    return None


def _node_at(root: Node, path: tuple[PathPart, ...]) -> Node:
    """The deepest node along ``path`` (keys and list indexes), for error positions."""
    node = root
    for part in path:
        if isinstance(node, MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == part:
                    node = value_node
                    break
            else:
                return node
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _key_node_at(root: Node, path: tuple[PathPart, ...], key: str) -> Node:
    mapping = _node_at(root, path)
    if isinstance(mapping, MappingNode):
        for key_node, _ in mapping.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return key_node
    return mapping


def _fill_default_ids(data: dict[str, Any], default_id: str | None) -> None:
    """Derive the ids the format lets authors omit, before validation."""
    if "id" not in data:
        data["id"] = slugify(default_id or "") or "brief"
    for section, source_key, fallback in (
        ("figures", "label", "figure-{}"),
        ("actors", "name", "actor-{}"),
        ("commentary", "heading", "c{}"),
    ):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for position, item in enumerate(items, start=1):
            if isinstance(item, dict) and "id" not in item:
                source = item.get(source_key)
                slug = slugify(source) if isinstance(source, str) else ""
                item["id"] = slug or fallback.format(position)


def _format_message(value: object) -> str:
    supported = ", ".join(str(v) for v in SUPPORTED_FORMATS)
    return f"format {value!r} is not supported; this termbrief reads format {supported}"


def _explicit_ids(data: dict[str, Any]) -> dict[str, set[int]]:
    """Which items wrote their id themselves (for messages about derived ids)."""
    found: dict[str, set[int]] = {}
    for section in ("figures", "actors", "commentary"):
        items = data.get(section)
        if isinstance(items, list):
            found[section] = {
                i for i, item in enumerate(items) if isinstance(item, dict) and "id" in item
            }
    return found


_ID_OWNER: Final = {"figures": "label", "actors": "name", "commentary": "heading"}


def _check_unique_ids(
    data: dict[str, Any], root: Node, explicit: dict[str, set[int]], problems: Problems
) -> None:
    """Ids unique within each section, derived ones included; on the raw values, so that a
    clash is reported together with every other problem of the file."""
    for section in _ID_OWNER:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str) or not item_id:
                continue
            if item_id not in seen:
                seen[item_id] = index
                continue
            first_line = problems.line_of(_node_at(root, (section, seen[item_id])))
            if index in explicit.get(section, set()):
                node = _node_at(root, (section, index, "id"))
                message = f"duplicate id `{item_id}` in {section} (first used on line {first_line})"
            else:
                node = _node_at(root, (section, index))
                message = (
                    f"the id `{item_id}` derived from this entry's `{_ID_OWNER[section]}` is "
                    f"already used on line {first_line}; give this entry an explicit `id`"
                )
            problems.at(node, message)


class _Diagnosis:
    """The slow path: explains, field by field, why validation failed."""

    def __init__(self, root: Node, problems: Problems) -> None:
        self.root = root
        self.problems = problems

    def struct(self, value: Any, cls: type[msgspec.Struct], path: tuple[PathPart, ...]) -> None:
        node = _node_at(self.root, path)
        if not isinstance(value, dict):
            what = "a brief" if not path else f"each entry of `{path[-2]}`"
            from termbrief.core.validation_messages import kind_of

            self.problems.at(node, f"{what} must be a mapping of keys, not {kind_of(value)}")
            return
        fields = _fields(cls)
        for key in value:
            if key not in fields:
                self.problems.at(_key_node_at(self.root, path, key), _unknown_key(key, fields))
        for name, field in fields.items():
            if name not in value:
                if field.required:
                    self.problems.at(node, f"missing required key `{name}`")
                continue
            if self.problems.full():
                return
            self.field(value[name], field.type, (*path, name))

    def field(self, value: Any, annotation: Any, path: tuple[PathPart, ...]) -> None:
        if _bare(annotation) in MAPPING_FORMS and not isinstance(value, str | dict):
            # A custom type (a key point): told as any wrong type is (`NO` read as a boolean...).
            from termbrief.core.validation_messages import wrong_type

            node = _node_at(self.root, path)
            got = _MSGSPEC_KINDS.get(type(value), "object")
            self.problems.at(node, wrong_type(node, path, _plain_types(annotation), got))
            return
        form = _mapping_form(annotation) if isinstance(value, dict) else None
        # A mapping where a model class may stand is explained key by key, if it uses one of
        # the class's keys: one that does not is more likely a slip (`- Note: text` is a key).
        if form is not None:
            if not _fields(form).keys().isdisjoint(value):
                self.struct(value, form, path)
                return
            # None of its keys: a slip (`- Note: text` made a key), told as the wrong type.
            from termbrief.core.validation_messages import wrong_type

            node = _node_at(self.root, path)
            self.problems.at(node, wrong_type(node, path, _plain_types(annotation), "object"))
            return
        item_type = _tuple_item_type(annotation)
        if item_type is not None and isinstance(value, list):
            # Each item on its own, so that every bad item is reported, not only the first.
            is_struct = isinstance(item_type, type) and issubclass(item_type, msgspec.Struct)
            for index, item in enumerate(value):
                if self.problems.full():
                    return
                if is_struct:
                    self.struct(item, item_type, (*path, index))
                else:
                    self.field(item, item_type, (*path, index))
            return
        try:
            msgspec.convert(value, annotation, dec_hook=decode_hook)
        except msgspec.ValidationError as error:
            message, sub_path = _split_msgspec_error(str(error))
            full_path = (*path, *sub_path)
            node = _node_at(self.root, full_path)
            from termbrief.core.validation_messages import humanize

            self.problems.at(node, humanize(message, node, full_path, annotation))


def _mapping_form(annotation: Any) -> type[msgspec.Struct] | None:
    """The model class a mapping stands for where ``annotation`` allows one (``Change | None``,
    ``Id | Citation``, a :class:`KeyPoint`), else None."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if annotation in MAPPING_FORMS:
        return MAPPING_FORMS[annotation]
    structs = [
        arg
        for arg in typing.get_args(annotation)
        if isinstance(arg, type) and issubclass(arg, msgspec.Struct)
    ]
    return structs[0] if len(structs) == 1 else None


_MSGSPEC_KINDS: Final = {
    bool: "bool",
    int: "int",
    float: "float",
    list: "array",
    type(None): "null",
    datetime.date: "date",
    datetime.datetime: "datetime",
}
"""msgspec's names of the types YAML constructs."""


def _bare(annotation: Any) -> Any:
    """``annotation`` without its ``Annotated`` metadata."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _plain_types(annotation: Any) -> str:
    """The types other than mappings ``annotation`` allows, as msgspec names them (``str``,
    ``int | float | str``)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    names: list[str] = []
    for arg in typing.get_args(annotation) or (annotation,):
        while typing.get_origin(arg) is typing.Annotated:
            arg = typing.get_args(arg)[0]
        for kind, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
            if isinstance(arg, type) and issubclass(arg, kind):
                names.append(name)
                break
        else:
            if arg is type(None):
                names.append("null")
            elif typing.get_args(arg):  # a nested union, e.g. Number
                names.append(_plain_types(arg))
    return " | ".join(names)


def _unknown_key(key: str, fields: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
    hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(fields)}"
    return f"`{key}`: unknown key{hint}"


_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def _split_msgspec_error(text: str) -> tuple[str, tuple[PathPart, ...]]:
    message, _, where = text.partition(" - at `$")
    parts: list[PathPart] = []
    for key, index in _PATH_PART.findall(where.rstrip("`")):
        parts.append(int(index) if index else key)
    return message, tuple(parts)
