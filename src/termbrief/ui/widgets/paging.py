"""The reading keys every list and dialog shares, and where a page key moves view and cursor.

The rule, as in ``less``: a page key moves the *view* by a page (ctrl+d and ctrl+u by half a
page), whatever the heights of the items, so a paragraph taller than the pane is paged through
like any other text. The cursor follows the view: the current item stays current while any of its
lines is still in view, else the item at the top of the view becomes current. When the view is
already at that end of the list, the cursor goes to the last (or the first) item, so the keys
always reach both ends.

Keys: PageDown and Space page down; PageUp, ``-`` and shift+Space (sent by terminals that speak
the kitty keyboard protocol) page up. ``b``, ``less``'s key, is the app's library toggle; ctrl+f
and ctrl+b are taken by the library search and by tmux.

Every list-like widget uses the same binding ids, so one entry of the user's ``[keymap]``
remaps the key everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from textual.binding import Binding, BindingType

READING_STEP = 3
"""Lines scrolled by one ``j``/``k`` inside an item (or a row) taller than the pane."""

PAGE_DOWN_KEYS = "pagedown,space"
PAGE_UP_KEYS = "pageup,minus,shift+space"

MOVE_BINDINGS: list[BindingType] = [
    Binding("down,j", "cursor_down", "Next", show=False, id="cursor.down"),
    Binding("up,k", "cursor_up", "Previous", show=False, id="cursor.up"),
    Binding(PAGE_DOWN_KEYS, "page_down", "Page down", show=False, id="cursor.page_down"),
    Binding(PAGE_UP_KEYS, "page_up", "Page up", show=False, id="cursor.page_up"),
    Binding("home,g", "first", "First", show=False, id="cursor.first"),
    Binding("end,G", "last", "Last", show=False, id="cursor.last"),
]
"""Movement keys shared by every list-like pane (same ids, so one keymap entry remaps all)."""

HALF_PAGE_BINDINGS: list[BindingType] = [
    Binding("ctrl+d", "half_page_down", "Half a page down", show=False, id="cursor.half_down"),
    Binding("ctrl+u", "half_page_up", "Half a page up", show=False, id="cursor.half_up"),
]
"""Half-page keys, for widgets with ``action_half_page_down`` and ``action_half_page_up``."""

SCROLL_BINDINGS: list[BindingType] = [
    Binding("down,j", "scroll_down", "Scroll down", show=False, id="cursor.down"),
    Binding("up,k", "scroll_up", "Scroll up", show=False, id="cursor.up"),
    Binding(PAGE_DOWN_KEYS, "page_down", "Page down", show=False, id="cursor.page_down"),
    Binding(PAGE_UP_KEYS, "page_up", "Page up", show=False, id="cursor.page_up"),
    *HALF_PAGE_BINDINGS,
    Binding("home,g", "scroll_home", "Top", show=False, id="cursor.first"),
    Binding("end,G", "scroll_end", "Bottom", show=False, id="cursor.last"),
]
"""The same keys for a scrolling text with no cursor (the detail dialogs, the help)."""


class ViewMove(NamedTuple):
    """Where a key puts the view and the cursor."""

    scroll_y: int
    """The first line of the list in view."""
    item: int
    """The item the cursor goes to."""


def half_page(height: int) -> int:
    """The lines ctrl+d and ctrl+u move in a view ``height`` lines tall (at least one)."""
    return max(1, height // 2)


def page_view(
    lines: Sequence[tuple[int, int]], scroll_y: int, height: int, delta: int, current: int | None
) -> ViewMove | None:
    """Move the view ``delta`` lines (negative: up) and let the cursor follow, as in ``less``.

    ``lines`` maps every line of the list to ``(item, line in the item)``; ``scroll_y`` is the
    first line in view and ``height`` the lines in view; ``current`` is the item under the
    cursor. None when there is nothing to move (no lines, no room).
    """
    if not lines or height <= 0 or delta == 0:
        return None
    last_top = max(0, len(lines) - height)
    scroll_y = max(0, min(scroll_y, last_top))
    top = max(0, min(scroll_y + delta, last_top))
    if top == scroll_y:
        # The view is at that end already: the cursor goes the rest of the way.
        return ViewMove(top, lines[-1][0] if delta > 0 else lines[0][0])
    if current is not None and any(item == current for item, _ in lines[top : top + height]):
        return ViewMove(top, current)
    return ViewMove(top, lines[top][0])


def view_end(lines: Sequence[tuple[int, int]], height: int, last: bool) -> ViewMove | None:
    """The view and cursor for Home (``last`` false: the first line, the first item) or End
    (the last line in view at the bottom, the last item)."""
    if not lines:
        return None
    if last:
        return ViewMove(max(0, len(lines) - max(height, 1)), lines[-1][0])
    return ViewMove(0, lines[0][0])
