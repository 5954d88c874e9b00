"""Checks on the composed YAML node graph, for what libyaml itself does not refuse.

1. **The alias budget**, before anything is constructed: aliases share nodes, so a small file can
   stand for a huge document ("billion laughs", or one long string referenced thousands of
   times). The graph is measured without expanding it, in nodes and in bytes of text; cycles
   and excessive nesting are refused too.
2. **YAML rules libyaml lets through** (found by running the error cases of the public YAML test
   suite through it): a comment glued to the token before it (``"x"# c``, ``[a]# c``,
   ``[a,# c]``, ``|# c``, ``%YAML 1.1# c``), continuation lines of a quoted string or a flow
   collection not indented more than their block (or indented with tabs), leading empty lines
   of a block scalar with more spaces than its first line, and ``-`` alone as a value in a
   flow collection.

Positions go through a :class:`Reporter`, which knows how to map marks and offsets back to the
file's real lines.
"""

from __future__ import annotations

import bisect
import re
from typing import Final, Protocol

from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from termbrief.core.files import mib

_QUOTED: Final = ('"', "'")
_BLOCK: Final = ("|", ">")
_COUNT_CEILING: Final = 1 << 62
"""Counts stop growing here: aliases nested 64 deep could otherwise reach numbers too long to
print or to convert to float."""


class Reporter(Protocol):
    """Where problems go (the loader's problem list)."""

    def at(self, node: Node, message: str) -> None:
        """A problem at the start of ``node``."""

    def at_index(self, index: int, message: str) -> None:
        """A problem at a character offset of the text."""

    def full(self) -> bool:
        """True once enough problems are known: stop looking for more."""


def children(node: Node) -> list[Node]:
    """The nodes directly inside ``node``; a mapping's keys and values in order."""
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _weight(node: Node) -> int:
    """Bytes of text a scalar stands for (at least 1: an empty value still costs something)."""
    value = node.value
    if not isinstance(value, str):
        return 1
    return max(1, len(value) if value.isascii() else len(value.encode("utf-8", "replace")))


def check_graph(
    root: Node, text: str, report: Reporter, *, max_depth: int, max_nodes: int, max_bytes: int
) -> None:
    """Refuse alias cycles, alias expansion beyond ``max_nodes`` extra nodes or ``max_bytes`` of
    text, and nesting deeper than ``max_depth``, without expanding anything.

    Post-order walk with memoised subtree sizes: every distinct node is measured once. A scalar
    is measured as soon as it is reached, and a collection's children are listed once (kept on
    the stack for its second visit): the walk runs on every brief that uses an anchor.
    """
    size: dict[int, int] = {}
    weight: dict[int, int] = {}
    height: dict[int, int] = {}
    active: set[int] = set()
    too_many_nodes: Node | None = None
    too_heavy: Node | None = None
    # A node with its children: None on the way down, the list on the way back up.
    stack: list[tuple[Node, list[Node] | None]] = [(root, None)]
    while stack:
        node, kids = stack.pop()
        key = id(node)
        if kids is None:
            if key in size:
                continue
            if key in active:
                report.at(node, _ENDLESS_LOOP)
                return
            if isinstance(node, ScalarNode):
                kids = []  # a leaf: measured now, nothing below it to wait for
            else:
                kids = children(node)
                active.add(key)
                stack.append((node, kids))
                for kid in kids:
                    kid_key = id(kid)
                    if kid_key in active:
                        report.at(kid, _ENDLESS_LOOP)
                        return
                    if kid_key not in size:
                        stack.append((kid, None))
                continue
        active.discard(key)
        nodes, text_bytes, tallest = 1, 0, 0
        for kid in kids:
            kid_key = id(kid)
            nodes += size[kid_key]
            text_bytes += weight[kid_key]
            if height[kid_key] > tallest:
                tallest = height[kid_key]
        size[key] = min(_COUNT_CEILING, nodes)
        weight[key] = min(_COUNT_CEILING, text_bytes) if kids else _weight(node)
        height[key] = tallest + 1
        if tallest >= max_depth:
            report.at(node, f"nesting is too deep (limit {max_depth} levels)")
            return
        if too_many_nodes is None and size[key] > len(size) + max_nodes:
            too_many_nodes = node
        if too_heavy is None and weight[key] > max_bytes:
            too_heavy = node
    if too_many_nodes is not None:
        message = (
            f"aliases expand this to {size[id(too_many_nodes)]:,} nodes; at most "
            f"{max_nodes:,} extra nodes are allowed"
        )
        _report_at_alias(too_many_nodes, text, weight, _references(root), report, message)
    elif too_heavy is not None:
        message = (
            f"aliases expand this file to {_size(weight[id(root)])}; the limit is {mib(max_bytes)}"
        )
        _report_at_alias(too_heavy, text, weight, _references(root), report, message)


_ENDLESS_LOOP: Final = "this node contains an alias to itself (an endless loop)"


def _references(root: Node) -> dict[int, int]:
    """How many times each node is a child of another (twice or more: it is aliased), counted
    over the distinct nodes under ``root``; only when a problem is reported."""
    references: dict[int, int] = {}
    seen = {id(root)}
    stack = [root]
    while stack:
        for kid in children(stack.pop()):
            kid_key = id(kid)
            references[kid_key] = references.get(kid_key, 0) + 1
            if kid_key not in seen:
                seen.add(kid_key)
                stack.append(kid)
    return references


def _size(count: int) -> str:
    return f"over {mib(_COUNT_CEILING)}" if count >= _COUNT_CEILING else mib(count)


def _report_at_alias(
    node: Node,
    text: str,
    weight: dict[int, int],
    references: dict[int, int],
    report: Reporter,
    message: str,
) -> None:
    """Report at an alias inside ``node`` that causes its growth: follow the heaviest child down
    to a node referenced more than once, then find a ``*name`` of its anchor inside ``node``."""
    shared: Node | None = None
    current = node
    while kids := children(current):
        current = max(kids, key=lambda kid: weight[id(kid)])
        if references.get(id(current), 0) > 1:
            shared = current
            break
    if shared is not None:
        anchor = _ANCHOR.match(text, shared.start_mark.index)
        if anchor is not None:
            alias = re.compile(r"\*" + re.escape(anchor.group(1)) + r"(?![^\s,\[\]{}])")
            found = alias.search(text, node.start_mark.index, node.end_mark.index)
            if found is not None:
                report.at_index(found.start(), message)
                return
    report.at(node, message)


_ANCHOR = re.compile(r"(?:![^\s,\[\]{}]*\s+)?&([^\s,\[\]{}]+)")


# --- YAML rules libyaml does not enforce -----------------------------------------------------

_TIGHT_COMMENT = re.compile(r"""["'\]},](?=#)""")
"""A `#` right after a closing quote or bracket or a comma: a candidate for a comment without
the white space before it that YAML requires (a plain scalar may hold `#`; these may not)."""
_COMMENT_NEEDS_SPACE: Final = "a comment needs a space before `#`; add one (or quote the text)"


def check_tight_comments(text: str, root: Node, report: Reporter) -> None:
    """``"x"# c``, ``[a]# c`` and ``[a,# c]``: YAML reads none of these as a comment.

    A single search in C decides whether there is anything to look at; only then are the nodes
    walked to tell real cases from a quote, bracket or comma inside a string.
    """
    candidates = {match.end() for match in _TIGHT_COMMENT.finditer(text)}
    if not candidates:
        return
    after_comma = sorted(position for position in candidates if text[position - 1] == ",")
    seen: set[int] = set()
    stack = [root]
    while stack and not report.full():
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        end = node.end_mark.index
        if isinstance(node, ScalarNode):
            if node.style in _QUOTED and end in candidates:
                report.at_index(end, _COMMENT_NEEDS_SPACE)
            continue
        kids = children(node)
        stack.extend(kids)
        if not (isinstance(node, CollectionNode) and node.flow_style):
            continue
        if end in candidates:
            report.at_index(end, _COMMENT_NEEDS_SPACE)
        if after_comma:
            _check_commas(node, kids, after_comma, report)


def _check_commas(node: Node, kids: list[Node], after_comma: list[int], report: Reporter) -> None:
    """Report ``,#`` where the comma is this flow collection's own, not inside one of its items
    (``[a,# c]``). Binary searches keep it linear in the number of candidates."""
    # An alias of an anchor set before this collection carries the anchor's position: leave it
    # out, so that the items' positions stay in document order.
    own = [kid for kid in kids if kid.start_mark.index >= node.start_mark.index]
    starts = [kid.start_mark.index for kid in own]
    first = bisect.bisect_right(after_comma, node.start_mark.index)
    last = bisect.bisect_left(after_comma, node.end_mark.index)
    for position in after_comma[first:last]:
        comma = position - 1
        index = bisect.bisect_right(starts, comma) - 1
        if index < 0 or own[index].end_mark.index <= comma:
            report.at_index(position, _COMMENT_NEEDS_SPACE)
            if report.full():
                return


_DIRECTIVE_COMMENT = re.compile(r"^%YAML[^\n#]*[^\s#]#", re.MULTILINE)


def check_directives(text: str, report: Reporter) -> None:
    """``%YAML 1.1# c``: a comment glued to a directive."""
    if not text.startswith("%") and "\n%" not in text:
        return
    for found in _DIRECTIVE_COMMENT.finditer(text):
        report.at_index(found.end() - 1, _COMMENT_NEEDS_SPACE)


def check_continuation_lines(text: str, node: Node, column: int, report: Reporter) -> None:
    """Lines after the first of a quoted string or flow collection inside a block collection
    whose entries start at ``column`` must be indented by more than ``column`` spaces (tabs do
    not count). Empty lines, and comment lines of a flow collection, may sit anywhere.
    """
    start, end = node.start_mark.index, node.end_mark.index
    newline = text.find("\n", start, end)
    comments_allowed = not isinstance(node, ScalarNode)
    while newline != -1:
        line_start = newline + 1
        newline = text.find("\n", line_start, end)
        line = text[line_start : end if newline == -1 else newline]
        content = line.lstrip(" \t\r")
        if not content or (comments_allowed and content.startswith("#")):
            continue
        spaces = len(line) - len(line.lstrip(" "))
        if spaces <= column:
            what = "quoted string" if isinstance(node, ScalarNode) else "[ ] or { } collection"
            tabs = " (tabs do not count)" if line[spaces : spaces + 1] == "\t" else ""
            report.at_index(
                line_start,
                f"this line of a {what} is indented {_spaces(spaces)}{tabs}; it must be "
                f"indented more than the key or `-` it belongs to (at least "
                f"{_spaces(column + 1)})",
            )
            return


def _spaces(count: int) -> str:
    return f"{count} space" if count == 1 else f"{count} spaces"


_BLOCK_HEADER = re.compile(r"[|>]([1-9+-]{0,2})([^\n]*)")


def check_block_scalar(text: str, node: ScalarNode, column: int, report: Reporter) -> None:
    """The header of a ``|`` or ``>`` block and its leading empty lines.

    ``|# c`` is not a comment (it needs a space before ``#``); and with the indentation left to
    be detected, an empty line before the first text line may not hold more spaces than that
    line (libyaml accepts both).
    """
    header = _BLOCK_HEADER.search(text, node.start_mark.index, node.end_mark.index)
    if header is None:
        return
    rest = header.group(2)
    if rest.startswith("#"):
        report.at_index(header.start(2), _COMMENT_NEEDS_SPACE)
        return
    if any(char.isdigit() for char in header.group(1)):
        return  # the indentation is given, not detected
    position = header.end() + 1
    widest_empty = 0
    while position < len(text):
        newline = text.find("\n", position)
        line = text[position : len(text) if newline == -1 else newline]
        if line.strip(" \r"):
            indent = len(line) - len(line.lstrip(" "))
            if widest_empty > indent > column:
                report.at_index(
                    header.start(),
                    f"an empty line at the start of this block has {_spaces(widest_empty)}, "
                    f"more than its first line of text ({indent}); remove the extra spaces",
                )
            return
        widest_empty = max(widest_empty, len(line.rstrip("\r")))
        if newline == -1:
            return
        position = newline + 1


def is_lone_dash(node: ScalarNode) -> bool:
    """A plain ``-`` in a flow collection (``[-]``): YAML does not allow it unquoted."""
    return node.value == "-" and not node.style
