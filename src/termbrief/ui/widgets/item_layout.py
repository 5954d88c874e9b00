"""ItemLayout: which items of an :class:`~termbrief.ui.widgets.item_list.ItemList` are laid out,
and at what width.

The list holds one and asks it where each item's lines are. A new set of items may be laid out in
two steps (``first``): the items that fill the view now, the rest after the next frame, so a long
summary shows its top without waiting for every paragraph. The width is the list's content width,
with the vertical scrollbar foreseen: items taller than the pane bring it, and laying them out
again once it narrows the content would render the first screenful twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.geometry import Size
from textual.scroll_view import ScrollView

from termbrief.ui.widgets.item import Item
from termbrief.ui.widgets.item_lines import GUTTER_WIDTH, ItemLines

__all__ = ["ItemLayout"]


class ItemLayout:
    """The items of a list, how many of them are laid out, and their lines (:class:`ItemLines`).

    ``view`` is the list: its content width is the width laid out at, and its virtual size
    follows the lines.
    """

    def __init__(self, view: ScrollView) -> None:
        self._view = view
        self.items: list[Item] = []
        """The items, in display order."""
        self.shown = 0
        """How many items are laid out (the rest wait for the next frame, see :meth:`replace`)."""
        self.generation = 0
        """Counts the :meth:`replace` calls: a wait for the next frame is for one set of items."""
        self.fill_view = False
        """Lay out only the items that fill the view until the next frame (see :meth:`replace`)."""
        self.lines = ItemLines()
        """The laid-out items' lines."""

    def replace(self, items: Sequence[Item], *, keep_position: bool, first: int | None) -> None:
        """Lay out ``items`` from now on, every one of them, or with ``first`` (and not
        ``keep_position``) at most that many — fewer if they fill the view — until
        :meth:`add_rest` is called after the next frame."""
        self.items = list(items)
        self.generation += 1
        count = len(self.items)
        self.shown = count if first is None or keep_position else min(first, count)
        self.fill_view = first is not None and not keep_position
        self.lines.forget(self.items)

    def add_rest(self, generation: int) -> None:
        """Lay out the items still waiting, if ``generation`` is still the current one."""
        if generation != self.generation:
            return
        self.fill_view = False
        if self.shown < len(self.items):
            self.shown = len(self.items)
            self._view.refresh()
            self.lay_out()

    def lay_out(self) -> bool:
        """Lay out the items at the content width; False while the list has no width yet.

        A new width (a resize, or a scrollbar appearing, which narrows the content without a
        Resize event) renders every item again.
        """
        view = self._view
        full = view.scrollable_content_region.width
        if full <= 0:
            return False
        width = full
        styles = view.styles
        scrollbar = styles.scrollbar_size_vertical
        if (
            full != self.lines.width
            and not view.show_vertical_scrollbar
            and styles.overflow_y == "auto"
            and 0 < scrollbar < full
        ):
            # A new width and no scrollbar yet: lay out as if the scrollbar were there, since
            # items taller than the pane will bring it and narrow the content, which would
            # render them all again (a second render of the first screenful, every start).
            # If they fit after all (and no more are coming, see replace), they fit at full
            # width too: render them again then.
            width = full - scrollbar
            self._render_items(width)
            waiting = self.shown < len(self.items)
            if len(self.lines.lines) <= view.container_size.height and not waiting:
                width = full
        self._render_items(width)
        virtual_size = Size(width - GUTTER_WIDTH, len(self.lines.lines))
        if virtual_size != view.virtual_size:
            view.virtual_size = virtual_size
            view._scroll_update(virtual_size)  # shows the scrollbar now, not at the next frame
        return True

    def _render_items(self, width: int) -> None:
        """Render, at content ``width``, the laid-out items not yet rendered at that width."""
        laid_out = self.lines
        laid_out.set_width(width)
        if laid_out.count >= self.shown:
            return
        view_end = self._view.scroll_offset.y + self._view.size.height
        # Until the next frame, only the items that fill the view (see replace).
        fill_to = view_end if self.fill_view and view_end > 0 else None
        laid_out.measure(self._view, self.shown, fill_to)
        self.shown = laid_out.count

    def span(self, index: int | None) -> tuple[int, int] | None:
        """First line and end line of item ``index``, when it is laid out."""
        if index is None or not self.lay_out():
            return None
        return self.lines.span(index)
