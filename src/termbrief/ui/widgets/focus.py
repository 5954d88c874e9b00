"""Moving the keyboard at once, not a turn of the message queue later."""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Focus ``widget`` before the next key is read.

    ``Widget.focus`` waits for its turn in the app's queue, behind keys already typed, which then
    reach the widget focused before. A widget that cannot take focus yet (being shown in this
    same turn) gets it the usual way.
    """
    widget.screen.set_focus(widget)
    if widget.screen.focused is not widget:
        widget.focus()
