"""YAML text -> :class:`~termbrief.core.model.Brief`, strictly and safely.

A brief is untrusted input, so loading is done in guarded steps, each able to report a problem at
the exact line and column it concerns:

1. size cap (before reading everything), binary and UTF-8 checks, control characters;
2. libyaml composes the node graph (never constructs Python objects from tags);
3. the node graph is checked against an alias budget, for cycles and for nesting depth;
4. our own constructor turns nodes into plain values, refusing duplicate keys, unknown tags and
   control characters produced by escapes;
5. msgspec validates the values against the model; on failure every problem is diagnosed
   field by field and mapped back to its YAML node, with wording meant for people.

Nothing here may raise anything but :class:`BriefError` for any input file.
"""

from __future__ import annotations

import bisect
import datetime
import difflib
import os
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import msgspec
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from termbrief.core.model import (
    ACTOR_KINDS,
    SUPPORTED_FORMATS,
    Brief,
    decode_hook,
    slugify,
)
from termbrief.core.text import FILE_CONTROLS

DEFAULT_MAX_BYTES: Final = 5 * 1024 * 1024
"""Files larger than this are refused before they are parsed."""
MAX_DEPTH: Final = 64
"""Deepest nesting accepted (a brief needs about 4)."""
ALIAS_EXPANSION_LIMIT: Final = 10_000
"""How many nodes aliases may add to a document once expanded ("billion laughs" guard)."""
MAX_PROBLEMS: Final = 50
"""Problems reported per file; the rest are summarised in one line."""

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Control characters a brief may not hold (they could drive the terminal): core.text's policy.
_CONTROL = FILE_CONTROLS

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_SCALAR_TAGS: Final = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_YAML_TYPE_NAMES: Final = {
    _TAG + "bool": "a boolean",
    _TAG + "int": "a number",
    _TAG + "float": "a number",
    _TAG + "null": "empty (null)",
    _TAG + "timestamp": "a date",
}

PathPart = str | int


@dataclass(frozen=True)
class Problem:
    """One problem in one file, at a 1-based line and column."""

    path: str
    """The file, as given."""
    line: int
    """1-based line."""
    column: int
    """1-based column."""
    message: str
    """What is wrong and, where possible, how to fix it."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class BriefError(Exception):
    """A brief could not be loaded. Carries every problem found (up to :data:`MAX_PROBLEMS`)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        if not problems:
            raise ValueError("BriefError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0]
        self.path: str = first.path
        self.line: int = first.line
        self.column: int = first.column
        self.message: str = first.message
        super().__init__("\n".join(str(problem) for problem in self.problems))


class _Problems:
    """Collects problems for one file; positions come from offsets or YAML marks."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Problem] = []

    def add(self, line: int, column: int, message: str) -> None:
        # Messages quote the file's own text, which must not reach a terminal raw or unbounded.
        self.items.append(Problem(_printable(self.path), line, column, _printable(message)))

    def at(self, node: Node, message: str) -> None:
        """A problem at a node; a second one at the same spot would only echo the first."""
        mark = node.start_mark
        if (mark.line + 1, mark.column + 1) not in self.positions:
            self.add(mark.line + 1, mark.column + 1, message)

    @property
    def positions(self) -> set[tuple[int, int]]:
        return {(problem.line, problem.column) for problem in self.items}

    def full(self) -> bool:
        return len(self.items) > MAX_PROBLEMS  # one extra tells error() that it stopped early

    def error(self) -> BriefError:
        items = sorted(self.items, key=lambda p: (p.line, p.column))
        if len(items) > MAX_PROBLEMS:
            last = items[MAX_PROBLEMS - 1]
            items = [
                *items[: MAX_PROBLEMS - 1],
                Problem(self.path, last.line, last.column, "too many problems; stopped here"),
            ]
        return BriefError(items)


def load_brief(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Brief:
    """Load and validate one brief file.

    Raises:
        BriefError: for every problem, whatever the file holds.
    """
    name = os.fspath(path)
    problems = _Problems(name)
    try:
        with open(name, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > max_bytes:
                problems.add(1, 1, f"file is {_mib(size)}; briefs are limited to {_mib(max_bytes)}")
                raise problems.error()
            data = file.read(max_bytes + 1)
    except OSError as error:
        problems.add(1, 1, f"cannot read the file: {error.strerror or error}")
        raise problems.error() from None
    return load_brief_text(data, name, default_id=Path(name).stem, max_bytes=max_bytes)


def load_brief_text(
    text: str | bytes,
    path: str = "<string>",
    *,
    default_id: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Brief:
    """Load and validate a brief held in memory; ``path`` is only used in messages.

    Raises:
        BriefError: for every problem, whatever the text holds.
    """
    problems = _Problems(path)
    try:
        return _load(text, problems, default_id, max_bytes)
    except BriefError:
        raise
    except Exception as error:  # a bug of ours must still not reach the user as a traceback
        problems.add(1, 1, f"internal error while loading ({type(error).__name__}: {error})")
        raise problems.error() from error


def _load(text: str | bytes, problems: _Problems, default_id: str | None, max_bytes: int) -> Brief:
    if isinstance(text, bytes):
        if len(text) > max_bytes:
            problems.add(
                1, 1, f"file is {_mib(len(text))}; briefs are limited to {_mib(max_bytes)}"
            )
            raise problems.error()
        text = _decode(text, problems)
    elif len(text) > max_bytes:  # a character is at least a byte: a cheap first bound
        problems.add(1, 1, f"text is over {_mib(max_bytes)}; briefs are limited to that size")
        raise problems.error()
    _check_controls(text, problems)
    if problems.items:
        raise problems.error()

    loader = _Loader(text)
    try:
        root = _compose(loader, problems)
        if root is None:
            raise problems.error()
        if "&" in text:  # anchors are the only way to share or loop nodes
            _check_graph(root, problems)
            if problems.items:
                raise problems.error()
        data = _Constructor(loader, problems).construct(root)
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        problems.at(
            root, f"a brief must be a mapping of keys (title, summary, ...), not {_kind(data)}"
        )
        raise problems.error()
    return _validate(data, root, problems, default_id)


def _printable(text: str, limit: int = 500) -> str:
    """Control characters shown as escapes, and long text cut, for messages."""
    text = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


class _Lines:
    """Maps character offsets to 1-based line and column, only when a problem needs it."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def _decode(data: bytes, problems: _Problems) -> str:
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        problems.add(line, column, "this is a binary file (NUL byte), not a YAML brief")
        raise problems.error()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        problems.add(
            line, column, f"invalid UTF-8 (byte 0x{data[start]:02x}); briefs must be UTF-8 text"
        )
        raise problems.error() from None


def _check_controls(text: str, problems: _Problems) -> None:
    found = _CONTROL.search(text)
    if found is None:
        return
    lines = _Lines(text)
    for match in _CONTROL.finditer(text, found.start()):
        line, column = lines.position(match.start())
        problems.add(line, column, _control_message(match.group()))
        if problems.full():
            return


def _control_message(char: str) -> str:
    return (
        f"control character U+{ord(char):04X} is not allowed "
        "(it could drive the terminal); remove it"
    )


def _compose(loader: yaml.SafeLoader, problems: _Problems) -> Node | None:
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            message = f"{error.problem} ({error.context})"
        if "maximum nesting depth" in message:
            message = f"nesting is too deep (a brief needs about 4 levels; limit {MAX_DEPTH})"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(line, column, f"YAML syntax: {message}")
        return None
    except yaml.YAMLError as error:
        position = getattr(error, "position", None)
        problems.add(1, (position or 0) + 1, f"YAML: {error}")
        return None
    except RecursionError:
        problems.add(1, 1, f"nesting is too deep (limit {MAX_DEPTH})")
        return None
    if node is None:
        problems.add(1, 1, "the file is empty; a brief needs at least `title` and `summary`")
    return node


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _check_graph(root: Node, problems: _Problems) -> None:
    """Refuse alias cycles, alias bombs and deep nesting, without expanding anything.

    Post-order walk with memoised subtree sizes: an expanded size far above the number of
    distinct nodes seen means aliases multiply the document.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            active.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(kid)] for kid in kids)
            height[key] = 1 + max((height[id(kid)] for kid in kids), default=0)
            if height[key] > MAX_DEPTH:
                problems.at(node, f"nesting is too deep (limit {MAX_DEPTH} levels)")
                return
            if size[key] > len(size) + ALIAS_EXPANSION_LIMIT:
                problems.at(
                    node,
                    f"aliases expand this to {size[key]:,} nodes; at most "
                    f"{ALIAS_EXPANSION_LIMIT:,} extra nodes are allowed",
                )
                return
            continue
        if key in size:
            continue
        if key in active:
            problems.at(node, "this node contains an alias to itself (an endless loop)")
            return
        active.add(key)
        stack.append((node, True))
        for kid in _children(node):
            kid_key = id(kid)
            if kid_key in active:
                problems.at(kid, "this node contains an alias to itself (an endless loop)")
                return
            if kid_key not in size:
                stack.append((kid, False))


class _Constructor:
    """Builds plain Python values from nodes: dicts, lists, str, int, float, bool, None, dates."""

    def __init__(self, loader: yaml.SafeLoader, problems: _Problems) -> None:
        self.loader = loader
        self.problems = problems
        self.memo: dict[int, Any] = {}
        constructors = loader.yaml_constructors
        self.scalar: dict[str, Callable[[yaml.SafeLoader, ScalarNode], Any]] = {
            tag: constructors[tag] for tag in _SCALAR_TAGS
        }

    def construct(self, node: Node, depth: int = 0) -> Any:
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        if depth > MAX_DEPTH:
            self.problems.at(node, f"nesting is too deep (limit {MAX_DEPTH} levels)")
            return None
        if isinstance(node, ScalarNode):
            value = self._scalar(node)
        elif isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self._bad_tag(node)
            value = [self.construct(child, depth + 1) for child in node.value]
        else:
            assert isinstance(node, MappingNode)
            value = self._mapping(node, depth)
        self.memo[key] = value
        return value

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            value: Any = node.value
        elif tag in self.scalar:
            if not node.style and ":" in node.value and tag in (_TAG + "int", _TAG + "float"):
                # YAML 1.1 reads 12:30 as 750 (base 60): never what a brief's author meant.
                number = self.scalar[tag](self.loader, node)
                self.problems.at(
                    node,
                    f"`{node.value}` is read by YAML as the number {number} (base 60); "
                    f'quote it: "{node.value}"',
                )
                return node.value
            try:
                value = self.scalar[tag](self.loader, node)
            except (ValueError, TypeError, OverflowError):
                # An impossible date such as 2024-02-30: keep the text so that validation
                # reports it in the terms of the field it is in.
                value = node.value
        else:
            self._bad_tag(node)
            return None
        if isinstance(value, str):
            self._check_string(node, value)
        return value

    def _check_string(self, node: ScalarNode, value: str) -> None:
        found = _CONTROL.search(value)
        if found is not None:
            self.problems.at(node, _control_message(found.group()))

    def _bad_tag(self, node: Node) -> None:
        tag = node.tag.replace(_TAG, "!!", 1) if node.tag.startswith(_TAG) else node.tag
        self.problems.at(
            node,
            f"the YAML tag `{tag}` is not allowed in a brief (only plain values, "
            "lists and mappings)",
        )

    def _mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        if node.tag != _MAP:
            self._bad_tag(node)
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problems.at(key_node, "a key must be plain text, not a list or a mapping")
                continue
            # The key's text as written: YAML 1.1 would turn `on:` or `no:` into booleans.
            key = key_node.value
            self._check_string(key_node, key)
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self.problems.at(
                    key_node,
                    f"`{key}`: duplicate key (first defined on line {line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            first_seen[key] = key_node
            result[key] = self.construct(value_node, depth + 1)
        return result


# --- validation ------------------------------------------------------------------------------


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


def _validate(
    data: dict[str, Any], root: Node, problems: _Problems, default_id: str | None
) -> Brief:
    explicit_ids = _explicit_ids(data)
    _fill_default_ids(data, default_id)
    brief: Brief | None = None
    try:
        brief = msgspec.convert(data, Brief, dec_hook=decode_hook)
    except msgspec.ValidationError:
        _Diagnosis(root, problems).struct(data, Brief, ())
        if not problems.items:  # the fine-grained pass must explain every failure
            try:
                msgspec.convert(data, Brief, dec_hook=decode_hook)
            except msgspec.ValidationError as error:
                problems.at(root, str(error))
    if brief is not None:
        if brief.format not in SUPPORTED_FORMATS:
            problems.at(_node_at(root, ("format",)), _format_message(brief.format))
        _check_unique_ids(brief, root, explicit_ids, problems)
    if problems.items or brief is None:
        raise problems.error()
    return brief


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
    brief: Brief, root: Node, explicit: dict[str, set[int]], problems: _Problems
) -> None:
    sections: dict[str, list[str]] = {
        "figures": [figure.id for figure in brief.figures],
        "actors": [actor.id for actor in brief.actors],
        "commentary": [entry.id for entry in brief.commentary],
    }
    for section, ids in sections.items():
        seen: dict[str, int] = {}
        for index, item_id in enumerate(ids):
            if item_id not in seen:
                seen[item_id] = index
                continue
            first_line = _node_at(root, (section, seen[item_id])).start_mark.line + 1
            if index in explicit.get(section, set()):
                node = _node_at(root, (section, index, "id"))
                message = f"duplicate id `{item_id}` in {section} (first used on line {first_line})"
            else:
                node = _node_at(root, (section, index))
                message = (
                    f"the id `{item_id}` derived from this entry's {_ID_OWNER[section]} is "
                    f"already used on line {first_line}; give this entry an explicit `id`"
                )
            problems.at(node, message)


class _Diagnosis:
    """The slow path: explains, field by field, why validation failed."""

    def __init__(self, root: Node, problems: _Problems) -> None:
        self.root = root
        self.problems = problems

    def struct(self, value: Any, cls: type[msgspec.Struct], path: tuple[PathPart, ...]) -> None:
        node = _node_at(self.root, path)
        if not isinstance(value, dict):
            what = "a brief" if not path else f"each entry of `{path[-2]}`"
            self.problems.at(node, f"{what} must be a mapping of keys, not {_kind(value)}")
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
            self.problems.at(node, _humanize(message, node, full_path))


def _unknown_key(key: str, fields: dict[str, Any]) -> str:
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
}
_EXPECTED = re.compile(r"^Expected `([^`]+)`, got `([^`]+)`$")


def _humanize(message: str, node: Node, path: tuple[PathPart, ...]) -> str:
    """Turn a msgspec message into one for someone editing YAML by hand."""
    expected = _EXPECTED.match(message)
    if expected:
        want, got = expected.groups()
        wants = [part for part in want.split(" | ") if part != "null"]
        if "str" in wants and _is_yaml11_surprise(node):
            assert isinstance(node, ScalarNode)
            return (
                f"`{node.value}` is read by YAML as {_YAML_TYPE_NAMES[node.tag]}, but text is "
                f'expected here; quote it: "{node.value}"'
            )
        if got == "null" and isinstance(node, ScalarNode) and node.value in ("", "~"):
            return f"`{path[-1]}` has no value; expected {_words(wants)}"
        return f"value must be {_words(wants)}, not {_TYPE_WORDS.get(got, got)}"
    if message.startswith("Expected `str` matching regex"):
        return (
            f"`{_raw(node)}` is not a valid id: use lowercase letters, digits and single "
            "hyphens, e.g. `wang-xiaohong`"
        )
    if message.startswith("Expected `str` of length >= 1"):
        return "must not be empty"
    if message.startswith("Invalid enum value"):
        return f"`{_raw(node)}` is not an actor kind; use one of: {', '.join(ACTOR_KINDS)}"
    if message.startswith("Invalid RFC3339 encoded date"):
        return f"`{_raw(node)}` is not a valid date; write it as YYYY-MM-DD, e.g. 2024-09-10"
    return message


def _words(types: list[str]) -> str:
    joined = " | ".join(types)
    if joined in _TYPE_WORDS:
        return _TYPE_WORDS[joined]
    return " or ".join(_TYPE_WORDS.get(t, t) for t in types)


def _raw(node: Node) -> str:
    return node.value if isinstance(node, ScalarNode) else "…"


def _is_yaml11_surprise(node: Node) -> bool:
    return (
        isinstance(node, ScalarNode)
        and not node.style
        and node.tag in _YAML_TYPE_NAMES
        and (node.value not in ("", "~"))
    )


def _kind(value: object) -> str:
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
