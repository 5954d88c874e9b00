"""YAML text -> :class:`~termbrief.core.model.Brief`, strictly and safely.

A brief is untrusted input, so loading is done in guarded steps, each able to report a problem at
the exact line and column it concerns:

1. only a regular file is read, never blocking and never past the size cap
   (:mod:`termbrief.core.files`); binary and UTF-8 checks, control characters;
2. libyaml composes the node graph (never constructs Python objects from tags);
3. the node graph is checked against an alias budget in nodes and bytes, for cycles and for
   nesting depth, and for the YAML rules libyaml does not enforce
   (:mod:`termbrief.core.yaml_guard`);
4. our own constructor turns nodes into plain values, refusing duplicate keys, unknown tags,
   numbers beyond 64 bits and control characters produced by escapes;
5. msgspec validates the values against the model; on failure every problem is diagnosed
   field by field and mapped back to its YAML node (:mod:`termbrief.core.validation`).

Whatever the file holds, loading raises nothing but :class:`BriefError`. A bug of the loader
itself is a :class:`LoaderBug` (a ``BriefError``, so a library still lists the file with its
problem): tests tell it apart from a problem of the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from termbrief.core import yaml_guard, yaml_recovery
from termbrief.core.files import FileRefused, mib, read_brief_bytes
from termbrief.core.model import Brief
from termbrief.core.problems import (
    MAX_PROBLEMS,
    BriefError,
    Lines,
    LoaderBug,
    Problem,
    Problems,
)
from termbrief.core.text import FILE_CONTROLS
from termbrief.core.validation import validate

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_PROBLEMS",
    "BriefError",
    "LoaderBug",
    "Problem",
    "load_brief",
    "load_brief_text",
]

DEFAULT_MAX_BYTES: Final = 5 * 1024 * 1024
"""Files larger than this are refused before they are parsed."""
MAX_DEPTH: Final = 64
"""Deepest nesting accepted (a brief needs about 4)."""
ALIAS_EXPANSION_LIMIT: Final = 10_000
"""How many nodes aliases may add to a document once expanded ("billion laughs" guard). The
text they expand to is bounded too: by the size limit a file has (``max_bytes``), so a file
with aliases never stands for more than the largest file without."""
INT_MIN: Final = -(2**63)
"""Smallest whole number a brief may hold (the brief cache stores 64-bit integers)."""
INT_MAX: Final = 2**63 - 1
"""Largest whole number a brief may hold."""
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Control characters a brief may not hold (they could drive the terminal): core.text's policy.
_CONTROL = FILE_CONTROLS

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_SCALAR_TAGS: Final = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_INT, _FLOAT = _TAG + "int", _TAG + "float"
_INT_DIGITS: Final = 70
"""More significant characters than any 64-bit number needs in any base (0b + 64 digits):
longer numbers are refused without converting them (which is slow for huge ones)."""
_LONE_DASH: Final = 'a lone `-` is not a value in [ ] or { }; quote it: "-"'


def load_brief(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Brief:
    """Load and validate one brief file.

    Raises:
        BriefError: for every problem, whatever the file holds.
    """
    name = os.fspath(path)
    problems = Problems(name)
    try:
        data = read_brief_bytes(name, max_bytes)
    except FileRefused as error:  # not a regular file, or too large
        problems.add(1, 1, str(error))
        raise problems.error() from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        problems.add(1, 1, f"cannot read the file: {getattr(error, 'strerror', None) or error}")
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
        LoaderBug: (a ``BriefError``) a bug of the loader, not a problem of the text.
    """
    problems = Problems(path)
    try:
        return _load(text, problems, default_id, max_bytes)
    except BriefError:
        raise
    except Exception as error:  # a bug of ours must still not reach the user as a traceback
        problems.items.clear()
        problems.add(1, 1, f"internal error while loading ({type(error).__name__}: {error})")
        raise LoaderBug(problems.items) from error


def _load(text: str | bytes, problems: Problems, default_id: str | None, max_bytes: int) -> Brief:
    if isinstance(text, bytes):
        if len(text) > max_bytes:
            problems.add(1, 1, f"file is {mib(len(text))}; briefs are limited to {mib(max_bytes)}")
            raise problems.error()
        text = _decode(text, problems)
    elif len(text) > max_bytes:  # a character is at least a byte: a cheap first bound
        problems.add(1, 1, f"text is over {mib(max_bytes)}; briefs are limited to that size")
        raise problems.error()
    problems.text = text
    _check_controls(text, problems)
    if problems.items:
        raise problems.error()

    composed = yaml_recovery.compose(text, problems, max_depth=MAX_DEPTH)
    if composed is None:
        raise problems.error()
    loader, root = composed
    text = problems.text  # the edited text, if parsing went on past syntax errors
    try:
        if "&" in text:  # anchors are the only way to share or loop nodes
            known = len(problems)
            yaml_guard.check_graph(
                root,
                text,
                problems,
                max_depth=MAX_DEPTH,
                max_nodes=ALIAS_EXPANSION_LIMIT,
                max_bytes=max_bytes,
            )
            if len(problems) > known:  # never construct what the budget refused
                raise problems.error()
        yaml_guard.check_directives(text, problems)
        yaml_guard.check_tight_comments(text, root, problems)
        data = _Constructor(loader, text, problems).construct(root)
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        from termbrief.core.validation_messages import kind_of

        problems.at(
            root, f"a brief must be a mapping of keys (title, summary, ...), not {kind_of(data)}"
        )
        raise problems.error()
    brief = validate(data, root, problems, default_id)
    if brief is None or problems.items:
        raise problems.error()
    return brief


def _shorten(text: str) -> str:
    """A long scalar quoted in a message: its start and its length."""
    return text if len(text) <= 40 else f"{text[:24]}… ({len(text):,} characters)"


def _decode(data: bytes, problems: Problems) -> str:
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


def _check_controls(text: str, problems: Problems) -> None:
    found = _CONTROL.search(text)
    if found is None:
        return
    lines = Lines(text)
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


class _Constructor:
    """Builds plain Python values from nodes: dicts, lists, str, int, float, bool, None, dates.

    On the way it applies the YAML rules that need to know where a node sits (see
    :mod:`termbrief.core.yaml_guard`): only quoted, block and flow nodes get a closer look, so
    the common plain scalar costs nothing extra.
    """

    def __init__(self, loader: yaml.SafeLoader, text: str, problems: Problems) -> None:
        self.loader = loader
        self.text = text
        self.problems = problems
        self.memo: dict[int, Any] = {}
        self.field = ""
        """The key whose value is being built: messages name it."""
        constructors = loader.yaml_constructors
        self.scalar: dict[str, Callable[[yaml.SafeLoader, ScalarNode], Any]] = {
            tag: constructors[tag] for tag in _SCALAR_TAGS
        }

    def construct(self, node: Node, depth: int = 0, column: int | None = -1) -> Any:
        """The value of ``node``. ``column``: where the entries of the block collection holding
        it start (-1: none, or not known), or None inside a flow collection (which checks its
        lines as a whole)."""
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        if depth > MAX_DEPTH:
            self.problems.at(node, f"nesting is too deep (limit {MAX_DEPTH} levels)")
            return None
        if isinstance(node, ScalarNode):
            value = self._scalar(node)
            if node.style:
                self._check_styled(node, column)
            elif column is None and yaml_guard.is_lone_dash(node):
                self.problems.at(node, _LONE_DASH)
        elif isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self._bad_tag(node)
            inner = self._inner_column(node, column)
            value = [self.construct(child, depth + 1, inner) for child in node.value]
        else:
            assert isinstance(node, MappingNode)
            value = self._mapping(node, depth, column)
        self.memo[key] = value
        return value

    def _at(self, node: Node, message: str) -> None:
        """A problem at ``node``, named by the key it is the value of (for the slips an author
        makes; what only a hostile file holds is named by its position and its text alone)."""
        self.problems.at(node, f"`{self.field}`: {message}" if self.field else message)

    def _inner_column(self, node: CollectionNode, column: int | None) -> int | None:
        """The ``column`` for the children of a collection, after checking a flow one."""
        if column is None:
            return None
        if node.flow_style:
            if column >= 0 and node.start_mark.line != node.end_mark.line:
                yaml_guard.check_continuation_lines(self.text, node, column, self.problems)
            return None
        if self.text[node.start_mark.index : node.start_mark.index + 1] in ("&", "!"):
            return -1  # an anchor or tag starts the node: its mark says nothing of the entries
        return self.problems.position(node.start_mark)[1] - 1

    def _check_styled(self, node: ScalarNode, column: int | None) -> None:
        if node.style in ("|", ">"):
            yaml_guard.check_block_scalar(self.text, node, column or 0, self.problems)
        elif column is not None and column >= 0 and node.start_mark.line != node.end_mark.line:
            yaml_guard.check_continuation_lines(self.text, node, column, self.problems)

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            value: Any = node.value
        elif tag in self.scalar:
            if not node.style and ":" in node.value and tag in (_INT, _FLOAT):
                # YAML 1.1 reads 12:30 as 750 (base 60): never what a brief's author meant.
                self._at(node, self._base60_message(node))
                return node.value
            if tag == _INT:
                return self._int(node)
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

    def _int(self, node: ScalarNode) -> int | str:
        """A whole number within 64 bits (what the brief cache stores); anything larger is a
        problem at its position, never a crash later."""
        text: str = node.value
        if len(text.replace("_", "").lstrip("+-")) <= _INT_DIGITS:
            try:
                number: int = self.scalar[_INT](self.loader, node)
            except ValueError:  # e.g. `0b_`: kept as text, for validation to judge
                return text
            if INT_MIN <= number <= INT_MAX:
                return number
        self.problems.at(
            node,
            f"number too large: `{_shorten(text)}` is outside the 64-bit range a brief can hold "
            f"({INT_MIN:,} to {INT_MAX:,}); quote it to keep it as text",
        )
        return text

    def _base60_message(self, node: ScalarNode) -> str:
        text = node.value
        number = ""
        if len(text) <= _INT_DIGITS:  # a long one would be slow to convert and to print
            number = f" {self.scalar[node.tag](self.loader, node)}"
        shown = _shorten(text)
        return f'`{shown}` is read by YAML as the number{number} (base 60); quote it: "{shown}"'

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

    def _mapping(self, node: MappingNode, depth: int, column: int | None) -> dict[str, Any]:
        if node.tag != _MAP:
            self._bad_tag(node)
        inner = self._inner_column(node, column)
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        outer = self.field
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problems.at(key_node, "a key must be plain text, not a list or a mapping")
                continue
            # The key's text as written: YAML 1.1 would turn `on:` or `no:` into booleans.
            key = key_node.value
            self._check_string(key_node, key)
            if inner is None and yaml_guard.is_lone_dash(key_node):
                self.problems.at(key_node, _LONE_DASH)
            if key in first_seen:
                line = self.problems.line_of(first_seen[key])
                self.problems.at(
                    key_node,
                    f"`{key}`: duplicate key (first defined on line {line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            first_seen[key] = key_node
            self.field = key
            result[key] = self.construct(value_node, depth + 1, inner)
        self.field = outer
        return result
