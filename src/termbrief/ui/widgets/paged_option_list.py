"""PagedOptionList: an ``OptionList`` with the reading keys of the lists (the notes dialogs).

``j``/``k`` move as the arrows do, ``g``/``G`` go to the ends, and the page and half-page keys
move the view as in the other lists: the cursor stays on its option while any of it is in view,
else it goes to the option at the top of the view (see :mod:`termbrief.ui.widgets.paging`);
disabled options (headings) are stepped over.

This is the one module that reads ``OptionList``'s line table (``_lines``, a documented
read-only property that Textual marks as internal): the page rule needs to know which option
each line of the view belongs to.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import OptionList

from termbrief.ui.widgets.paging import HALF_PAGE_BINDINGS, MOVE_BINDINGS, half_page, page_view


class PagedOptionList(OptionList):
    """An ``OptionList`` that ``j``/``k``, ``g``/``G`` and the page keys move."""

    BINDING_GROUP_TITLE = "List"
    BINDINGS: ClassVar[list[BindingType]] = [*MOVE_BINDINGS, *HALF_PAGE_BINDINGS]

    _following_view = False
    """True while a page key moves the highlight to follow the view: the view stays put."""

    def scroll_to_highlight(self, top: bool = False) -> None:
        if not self._following_view:
            super().scroll_to_highlight(top)

    def _enabled_near(self, index: int, direction: int) -> int | None:
        """``index`` if that option is enabled, else the nearest enabled one in ``direction``,
        else the nearest the other way."""
        options = self.options
        for step in (direction, -direction):
            candidate = index
            while 0 <= candidate < len(options):
                if not options[candidate].disabled:
                    return candidate
                candidate += step
        return None

    def _page(self, direction: int, half: bool = False) -> None:
        if not self.option_count:
            return
        height = self.scrollable_content_region.height
        delta = direction * (half_page(height) if half else height)
        move = page_view(self._lines, self.scroll_offset.y, height, delta, self.highlighted)
        if move is None:
            return
        self.scroll_to(y=move.scroll_y, animate=False, immediate=True)
        index = self._enabled_near(move.item, direction)
        # A heading stepped over may leave the option out of view: then scroll to it.
        self._following_view = index == move.item
        try:
            self.highlighted = index
        finally:
            self._following_view = False

    def action_page_down(self) -> None:
        """Move the view down a page; the highlight follows."""
        self._page(1)

    def action_page_up(self) -> None:
        """Move the view up a page; the highlight follows."""
        self._page(-1)

    def action_half_page_down(self) -> None:
        """Move the view down half a page; the highlight follows."""
        self._page(1, half=True)

    def action_half_page_up(self) -> None:
        """Move the view up half a page; the highlight follows."""
        self._page(-1, half=True)
