"""KeyFooter: the keys of the focused widget on one line, drawn by one widget.

Textual's ``Footer`` mounts a widget per key (and composes them again whenever the keys change);
with the brief screen's dozen keys those widgets were the footer's whole cost, in start-up time
and in memory (``bench/results.md``, cases 1 and 8). This footer draws the same line, in the
same styles, as one ``Text``: each key then its description, the keys of a compact group side by
side before the group's name, the command palette key on the right. Pressing a mouse button on
a key presses the key (a disabled one rings the bell), and the pointer over a key shows its
tooltip, as on Textual's footer.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import ClassVar, Literal

import msgspec
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

Role = Literal["key", "description", "gap", "border"]
"""How a piece of the line looks: a key, a description (or a group's name), the footer's own
background, or the line left of the command palette key."""


class Piece(msgspec.Struct, frozen=True):
    """One run of text of the footer."""

    text: str
    role: Role
    key: str | None = None
    """The key a press on this piece presses (None: not a key)."""
    enabled: bool = True
    tooltip: str | None = None


def footer_pieces(screen: Screen[object]) -> tuple[list[Piece], list[Piece]]:
    """The pieces of ``screen``'s footer: those on the left, and the command palette key's
    (on the right), as Textual's ``Footer`` composes them."""
    app = screen.app
    active = screen.active_bindings
    by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
    for _node, binding, enabled, tooltip in active.values():
        if binding.show:
            by_action[binding.action].append((binding, enabled, tooltip))
    left: list[Piece] = []
    for group, same_group in groupby(by_action.values(), lambda found: found[0][0].group):
        actions = list(same_group)
        if group is not None and len(actions) > 1:
            left.append(Piece(" ", "gap"))
            for (binding, enabled, tooltip), *_ in actions:
                shown = app.get_key_display(binding)
                tip = tooltip or binding.description
                left.append(Piece(shown, "key", binding.key, enabled, tip))
            left += [Piece(" ", "gap"), Piece(group.description, "description"), Piece(" ", "gap")]
            continue
        for (binding, enabled, tooltip), *_ in actions:
            shown = app.get_key_display(binding)
            left.append(Piece(f" {shown} ", "key", binding.key, enabled, tooltip or None))
            left.append(Piece(f"{binding.description} ", "description", binding.key, enabled))
    right: list[Piece] = []
    if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
        _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
        tip = tooltip or binding.tooltip or binding.description
        right = [
            Piece("▏", "border"),
            Piece(app.get_key_display(binding), "key", binding.key, enabled, tip),
            Piece(f" {binding.description}", "description", binding.key, enabled, tip),
            Piece(" ", "gap"),
        ]
    return left, right


class KeyFooter(Widget, can_focus=False):
    """The keys of the focused widget (with its ancestors'), docked at the bottom."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer--border",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            background: $block-hover-background;
        }
        .footer--border {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._pieces: tuple[list[Piece], list[Piece]] | None = None
        self._hover: str | None = None
        self._spans: list[tuple[int, int, Piece]] = []
        """Where each piece was drawn last: start column, end column, piece."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen or not screen.app.app_focus:
            return
        pieces = footer_pieces(screen)
        if pieces != self._pieces:
            self._pieces = pieces
            self.refresh()

    @property
    def pieces(self) -> tuple[list[Piece], list[Piece]]:
        """What the footer shows: the pieces on the left, and the palette key's."""
        if self._pieces is None:
            self._pieces = footer_pieces(self.screen)
        return self._pieces

    def render(self) -> Text:
        left, right = self.pieces
        width = self.size.width
        right_width = sum(len(piece.text) for piece in right)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, Piece]] = []
        room = max(0, width - right_width)
        for piece in left:
            start = len(line)
            line.append(piece.text, self._style(piece))
            spans.append((start, min(len(line), room), piece))
        line.truncate(room)  # what does not fit goes under the palette key, as on Textual's
        line.append(" " * (room - len(line)))
        for piece in right:
            start = len(line)
            line.append(piece.text, self._style(piece))
            spans.append((start, len(line), piece))
        self._spans = spans
        return line

    def _style(self, piece: Piece) -> Style:
        if piece.role == "gap":
            return Style.null()
        style = self.get_component_rich_style(
            "footer--border" if piece.role == "border" else f"footer-key--{piece.role}"
        )
        if piece.key is not None and piece.key == self._hover:
            style += self.get_component_rich_style("footer-key--hover")
        if not piece.enabled:
            style += Style(dim=True)
        return style

    def _piece_at(self, x: int) -> Piece | None:
        return next((piece for start, end, piece in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        piece = self._piece_at(event.x)
        hover = piece.key if piece is not None else None
        tooltip = next(
            (found.tooltip for *_, found in self._spans if found.key == hover and found.tooltip),
            None,
        )
        if tooltip != self.tooltip:
            self.tooltip = tooltip
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        piece = self._piece_at(event.x)
        if piece is None or piece.key is None:
            return
        if piece.enabled:
            self.app.simulate_key(piece.key)
        else:
            self.app.bell()
