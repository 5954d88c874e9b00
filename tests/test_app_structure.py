"""How the reader is put together: composition (no class with two bases), no import circle
(type-checking and function-level imports included), services below the screens, one typed
handler per app-wide message, every key of the brief screen bound once with an id."""

from __future__ import annotations

import ast
import inspect
import typing
from pathlib import Path

from textual.message import Message

from termbrief.ui import messages
from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.brief import BriefScreen
from ui_fixtures import REPO

SRC = REPO / "src"
ALLOWED_EXTRA_BASES = {"Generic", "Protocol"}
"""Bases a class may have besides its one real base."""


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    found: dict[str, Path] = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports anywhere (top level, functions, and
    ``if TYPE_CHECKING:`` blocks alike)."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                graph[name].update(alias.name for alias in node.names if alias.name in known)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    if submodule in known:
                        graph[name].add(submodule)
                    elif node.module in known:
                        graph[name].add(node.module)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``graph``: its strongly connected groups of two or more modules
    (or a module importing itself), by Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group: list[str] = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1 or module in graph[module]:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert sorted(circles(graph)) == [["a", "b", "c"], ["e"]]


def test_no_import_circle_not_even_through_type_checking_imports() -> None:
    assert circles(import_graph()) == []


def test_services_state_and_messages_never_import_screens() -> None:
    graph = import_graph()
    lower = [name for name in graph if name.startswith("termbrief.ui.services")]
    lower += ["termbrief.ui.state", "termbrief.ui.messages"]
    wrong = {
        name: sorted(m for m in graph[name] if m.startswith("termbrief.ui.screens"))
        for name in lower
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_no_class_has_more_than_one_base() -> None:
    several: list[str] = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [base.value if isinstance(base, ast.Subscript) else base for base in node.bases]
            real = [
                b for b in bases if not (isinstance(b, ast.Name) and b.id in ALLOWED_EXTRA_BASES)
            ]
            if len(real) > 1:
                several.append(f"{name}.{node.name}")
    assert several == []


def app_wide_messages() -> list[type[Message]]:
    return [
        value
        for value in vars(messages).values()
        if inspect.isclass(value)
        and issubclass(value, Message)
        and value.__module__ == messages.__name__
    ]


def test_every_app_wide_message_has_one_handler_typed_with_its_class() -> None:
    found = app_wide_messages()
    assert len(found) >= 7
    for message in found:
        name = message.handler_name
        owners = [cls for cls in TermbriefApp.__mro__ if name in vars(cls)]
        assert owners == [TermbriefApp], f"{name} is defined in {owners}"
        hints = typing.get_type_hints(getattr(TermbriefApp, name))
        assert hints["message"] is message, f"{name} takes {hints['message']}"


def test_no_message_handler_in_the_ui_takes_any() -> None:
    untyped: list[str] = []
    for name, path in modules().items():
        if not name.startswith("termbrief.ui"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("on_"):
                annotations = [arg.annotation for arg in node.args.args[1:]]
                if any(isinstance(a, ast.Name) and a.id == "Any" for a in annotations):
                    untyped.append(f"{name}.{node.name}")
    assert untyped == []


def test_every_key_of_the_brief_screen_is_bound_once_with_an_id() -> None:
    ids = [binding.id for binding in BriefScreen.BINDINGS if not isinstance(binding, tuple | str)]
    assert len(ids) == len(BriefScreen.BINDINGS)
    assert all(ids) and len(set(ids)) == len(ids)
    # The screen has one base: nothing it inherits binds a key of its own.
    inherited = [cls for cls in BriefScreen.__mro__[1:] if vars(cls).get("BINDINGS")]
    assert all(cls.__module__.startswith("textual.") for cls in inherited)


def test_the_brief_screen_binds_a_key_twice_only_where_check_action_chooses() -> None:
    """n / N (notes or find steps) and Escape (selection, maximised pane, search) share keys on
    purpose, one binding enabled at a time; any other key bound twice is a clash (the second
    binding would never run)."""
    from collections import Counter

    from textual.binding import Binding

    from termbrief.ui.screens.brief import BriefScreen

    keys = Counter(
        key.strip()
        for binding in Binding.make_bindings(BriefScreen.BINDINGS)
        for key in binding.key.split(",")
    )
    assert {key for key, count in keys.items() if count > 1} == {"n", "N", "escape"}
