"""The help screen: every key, generated from the live bindings (never a hand-typed table).

It lists, for the screen it was opened over:

1. the bindings active right now (the focused widget, its containers, the screen, the app), in the
   order Textual checks them, with the keys as they are after the user's keymap;
2. then the bindings of other widgets on that screen that take effect when they are focused
   (only bindings with an ``id``, i.e. ours; Textual's built-in scrolling keys stay out of it).

Each row shows the keys (``App.get_key_display``), the description and the binding id, which is
what a user writes in the ``[keymap]`` table of ``config.toml`` to remap it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

import msgspec
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from termbrief.core import locations
from termbrief.ui.render.safe import reveal
from termbrief.ui.widgets.paged_scroll import PagedScroll

MARKERS_LEGEND = (
    "Markers: beside an item, • it has notes, + it is new since you last read the brief, "
    "~ it changed since (new and changed take the dot's place until you mark the brief "
    "read). In the library: ● never read, Δ changed since you read it."
)
"""What the signs in the panes' and the library's margins mean."""


class HelpRow(msgspec.Struct, frozen=True):
    """One action and the keys that trigger it."""

    keys: tuple[str, ...]
    """Keys as displayed (``App.get_key_display``), e.g. ``("j", "↓")``."""
    description: str
    """What the action does."""
    binding_id: str | None
    """The id to use in the user keymap, if the binding has one."""
    enabled: bool = True
    """False when the action is currently unavailable (shown dimmed)."""


class HelpGroup(msgspec.Struct, frozen=True):
    """The bindings of one node (widget, screen or app)."""

    title: str
    """Who owns the keys: the node's ``BINDING_GROUP_TITLE``, else a name made from its class."""
    rows: tuple[HelpRow, ...]
    """One row per action."""
    active: bool
    """True when the keys work right now; False for "when that widget is focused"."""


def _title(node: DOMNode) -> str:
    if node.BINDING_GROUP_TITLE:
        return node.BINDING_GROUP_TITLE
    if isinstance(node, App):
        return "Everywhere"
    # "FiguresPane" -> "Figures pane"
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", type(node).__name__) or [type(node).__name__]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def _group_key(node: DOMNode) -> tuple[str, type]:
    """Nodes whose keys make one group: the same title and the same class's bindings (every
    list pane is an ItemList with the list's keys: one group for them all)."""
    owner = next((cls for cls in type(node).__mro__ if "BINDINGS" in cls.__dict__), type(node))
    return _title(node), owner


def _rows(
    app: App[object], bindings: Iterable[tuple[Binding, bool]], *, need_id: bool
) -> tuple[HelpRow, ...]:
    """Merge bindings of one node into rows: one per binding id (or action), keys in order."""
    merged: dict[str, tuple[list[str], Binding, bool]] = {}
    for binding, enabled in bindings:
        if binding.system or (need_id and not binding.id):
            continue
        if not binding.description and not binding.id:
            continue  # an internal key with nothing to say about it
        group_key = binding.id or binding.action
        keys = merged.setdefault(group_key, ([], binding, enabled))[0]
        display = app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
    return tuple(
        HelpRow(tuple(keys), binding.description or binding.action, binding.id, enabled)
        for keys, binding, enabled in merged.values()
    )


def _display_path(path: Path) -> str:
    """``path`` with the home folder written as ``~``."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except (ValueError, RuntimeError):
        return str(path)


def collect_help(screen: Screen[object]) -> list[HelpGroup]:
    """The help content for ``screen``: active groups first, then other widgets' groups.

    Keys reflect the app's keymap. Pure data, so it can be tested without rendering.
    """
    app = screen.app
    groups: list[HelpGroup] = []
    by_node: dict[DOMNode, list[tuple[Binding, bool]]] = {}
    for active in screen.active_bindings.values():
        by_node.setdefault(active.node, []).append((active.binding, active.enabled))
    for node, bindings in by_node.items():
        rows = _rows(app, bindings, need_id=False)
        if rows:
            groups.append(HelpGroup(_title(node), rows, active=True))

    seen = {_group_key(node) for node in by_node}
    keymap = app._keymap  # no public getter; needed so inactive widgets show remapped keys too
    for widget in screen.walk_children(Widget):
        key = _group_key(widget)
        if key in seen:
            continue
        seen.add(key)
        bindings_map: BindingsMap = widget._bindings.copy()
        if keymap:
            bindings_map.apply_keymap(keymap)
        rows = _rows(app, ((b, True) for _, b in bindings_map), need_id=True)
        if rows:
            groups.append(HelpGroup(_title(widget) + " (when focused)", rows, active=False))
    return groups


def render_groups(groups: Iterable[HelpGroup]) -> list[Table]:
    """One Rich table per group; every cell is ``Text`` so nothing is read as markup."""
    groups = list(groups)
    rows = [row for group in groups for row in group.rows]
    # The same column widths in every table, so the groups line up as one list.
    key_width = min(max((len(" ".join(row.keys)) for row in rows), default=4), 24)
    id_width = max((len(row.binding_id or "") for row in rows), default=0)
    tables: list[Table] = []
    for group in groups:
        table = Table(
            title=Text(group.title, style="bold"),
            title_justify="left",
            box=None,
            show_header=False,
            padding=(0, 1),
            expand=True,
        )
        table.add_column("key", width=key_width, no_wrap=True)
        table.add_column("action", ratio=1)
        table.add_column("id", width=id_width, style="dim", no_wrap=True)
        for row in group.rows:
            style = "" if row.enabled else "dim"
            table.add_row(
                Text(" ".join(row.keys), style="bold " + style),
                Text(row.description, style=style),
                Text(row.binding_id or ""),
            )
        tables.append(table)
    return tables


class HelpScreen(ModalScreen[None]):
    """Every key of the screen below, from its live bindings. Escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > #help-dialog {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $accent;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-body {
        height: 1fr;
    }
    HelpScreen .help-group {
        margin-bottom: 1;
    }
    HelpScreen #help-footer {
        height: auto;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
    ]
    """The list of keys scrolls with the reading keys of every list (see ``PagedScroll``)."""

    def __init__(self, screen: Screen[object] | None = None) -> None:
        """Show help for ``screen``; by default the screen this one is pushed over."""
        super().__init__()
        self._target = screen

    def _screen_below(self) -> Screen[object]:
        if self._target is not None:
            return self._target
        stack = self.app.screen_stack
        index = stack.index(self) if self in stack else len(stack)
        return stack[max(index - 1, 0)]

    def compose(self) -> ComposeResult:
        groups = collect_help(self._screen_below())
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            with PagedScroll(id="help-body"):
                for table in render_groups(groups):
                    yield Static(table, classes="help-group")
                yield Static(Text(MARKERS_LEGEND), id="help-markers")
            bindings = self._bindings.copy()
            bindings.apply_keymap(self.app._keymap)
            close = [self.app.get_key_display(b) for _, b in bindings if b.id == "help.close"]
            close_keys = "/".join(dict.fromkeys(close))
            yield Static(
                Text(
                    f"{close_keys} closes · remap keys by binding id in the [keymap] table of "
                    f"{reveal(_display_path(locations.config_file()))}"
                ),
                id="help-footer",
            )

    def on_mount(self) -> None:
        self.query_one("#help-body", PagedScroll).focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
