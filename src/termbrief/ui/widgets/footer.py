"""KeyFooter: Textual's ``Footer`` that rebuilds itself only when the keys it shows change.

Textual's footer recomposes (unmounts and mounts a widget per key) on every focus change, which
was the largest part of switching panes. Moving between panes rarely changes the keys on show,
so this footer compares what it would show with what it shows and skips identical rebuilds.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A ``Footer`` that skips rebuilds when its keys, labels and states are unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, str, bool], ...] | None = None

    def _signature(self, screen: Screen[object]) -> tuple[tuple[str, str, str, bool], ...]:
        return tuple(
            (binding.action, self.app.get_key_display(binding), binding.description, enabled)
            for (_node, binding, enabled, _tooltip) in screen.active_bindings.values()
            if binding.show or binding.action in ("command_palette", "app.command_palette")
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            signature = self._signature(screen)
            if signature == self._shown:
                return
            self._shown = signature
        super().bindings_changed(screen)
