"""Read what an app tells the reader in notifications (toasts), without its private state."""

from __future__ import annotations

from typing import Any

from textual.app import App


def record_notifications(app: App[Any]) -> list[str]:
    """The messages ``app`` notifies from now on (they are still shown)."""
    said: list[str] = []
    notify = app.notify

    def recording(message: str, **options: Any) -> None:
        said.append(message)
        notify(message, **options)

    app.notify = recording  # type: ignore[method-assign]
    return said
