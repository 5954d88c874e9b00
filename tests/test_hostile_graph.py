"""The alias guard (``yaml_guard.check_graph``, issue 15) against a plain reference: expand the
composed graph naively (fine for small documents) and compare what each refuses.

The guard measures without expanding, memoised and iterative, to stay fast on the largest
graphs the loader accepts; this checks that it still decides exactly as the definition says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import Node

from termbrief.core import yaml_guard


@dataclass
class Problems:
    """A :class:`yaml_guard.Reporter` that keeps the messages."""

    messages: list[str] = field(default_factory=list)

    def at(self, node: Node, message: str) -> None:
        self.messages.append(message)

    def at_index(self, index: int, message: str) -> None:
        self.messages.append(message)

    def full(self) -> bool:
        return False


class Loop(Exception):
    """The graph holds a cycle: it has no finite expansion."""


def expansion(node: Node, ancestors: frozenset[int] = frozenset()) -> tuple[int, int, int]:
    """Nodes, bytes of text and levels of ``node`` expanded (every alias copied out)."""
    if id(node) in ancestors:
        raise Loop
    kids = yaml_guard.children(node)
    if not kids:
        value = node.value
        return 1, max(1, len(value.encode()) if isinstance(value, str) else 1), 1
    nodes, text_bytes, levels = 1, 0, 0
    for kid in kids:
        kid_nodes, kid_bytes, kid_levels = expansion(kid, ancestors | {id(node)})
        nodes, text_bytes, levels = (
            nodes + kid_nodes,
            text_bytes + kid_bytes,
            max(levels, kid_levels),
        )
    return nodes, text_bytes, levels + 1


def distinct(root: Node) -> int:
    seen = {id(root)}
    stack = [root]
    while stack:
        for kid in yaml_guard.children(stack.pop()):
            if id(kid) not in seen:
                seen.add(id(kid))
                stack.append(kid)
    return len(seen)


def refusal(root: Node, max_depth: int, max_nodes: int, max_bytes: int) -> str | None:
    """The start of the guard's message for ``root`` under these limits (None: accepted), as
    its definition says, the graph being free of loops."""
    nodes, text_bytes, levels = expansion(root)
    if levels > max_depth:
        return "nesting is too deep"
    if nodes > distinct(root) + max_nodes:
        return "aliases expand this to"
    if text_bytes > max_bytes:
        return "aliases expand this file to"
    return None


def guard(root: Node, text: str, max_depth: int, max_nodes: int, max_bytes: int) -> list[str]:
    problems = Problems()
    yaml_guard.check_graph(
        root, text, problems, max_depth=max_depth, max_nodes=max_nodes, max_bytes=max_bytes
    )
    return problems.messages


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A small YAML document full of anchors and aliases, aliases to enclosing collections
    (loops) included."""
    done: list[str] = []
    counter = [0]

    def value(depth: int, open_anchors: list[str]) -> str:
        choice = draw(st.integers(0, 9))
        # Now and then an alias to an enclosing collection: a loop.
        targets = done + (open_anchors if draw(st.integers(0, 5)) == 0 else [])
        if targets and choice < 3:
            return "*" + draw(st.sampled_from(targets))
        anchor = ""
        if draw(st.booleans()):
            counter[0] += 1
            anchor = f"a{counter[0]}"
        prefix = f"&{anchor} " if anchor else ""
        if depth >= 5 or choice < 6:
            text = draw(st.sampled_from(["x", "hello", "'quoted'", "é", "w" * 30]))
            if anchor:
                done.append(anchor)
            return prefix + text
        inner = [*open_anchors, anchor] if anchor else open_anchors
        items = [value(depth + 1, inner) for _ in range(draw(st.integers(0, 4)))]
        if draw(st.booleans()):
            body = "[" + ", ".join(items) + "]"
        else:
            body = "{" + ", ".join(f"k{n}: {item}" for n, item in enumerate(items)) + "}"
        if anchor:
            done.append(anchor)
        return prefix + body

    return "root: " + value(0, []) + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_guard_refuses_exactly_what_its_definition_refuses(text: str) -> None:
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None
    try:
        nodes, text_bytes, levels = expansion(root)
    except Loop:
        assert len(guard(root, text, 99, 10**9, 10**9)) == 1
        return
    extra = nodes - distinct(root)
    # Every limit at the document's own measure (accepted) and one below it (refused).
    for max_depth in (levels - 1, levels):
        for max_nodes in (extra - 1, extra):
            for max_bytes in (text_bytes - 1, text_bytes):
                if min(max_depth, max_nodes, max_bytes) < 0:
                    continue
                found = guard(root, text, max_depth, max_nodes, max_bytes)
                want = refusal(root, max_depth, max_nodes, max_bytes)
                if want is None:
                    assert found == [], (max_depth, max_nodes, max_bytes)
                else:
                    assert len(found) == 1 and found[0].startswith(want), (found, want)


@pytest.mark.parametrize(
    ("text", "levels"), [("[x]", 2), ("[[x]]", 3), ("[[[x]]]", 4), ("{a: {b: [x]}}", 4)]
)
def test_the_depth_limit_counts_every_level(text: str, levels: int) -> None:
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert guard(root, text, levels, 99, 99) == []
    assert guard(root, text, levels - 1, 99, 99) == [
        f"nesting is too deep (limit {levels - 1} levels)"
    ]
