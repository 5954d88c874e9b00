"""What the brief screen's helpers (find, selection, the hand-over keys) read of the screen they
serve: each helper's view protocol extends this one with what only it needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.app import App

    from termbrief.core.library import Entry


class BriefView(Protocol):
    """The app, the entry on screen and the active pane."""

    @property
    def app(self) -> App[object]:
        """The app (notifications, the bell, the clipboard)."""
        ...

    @property
    def entry(self) -> Entry | None:
        """The entry on screen."""
        ...

    @property
    def active(self) -> str:
        """The section of the active pane."""
        ...
