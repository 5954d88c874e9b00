"""PagedScroll: a scrolling text with the reading keys of the lists (detail dialogs, the help)."""

from __future__ import annotations

from typing import ClassVar

from textual.actions import SkipAction
from textual.binding import BindingType
from textual.containers import VerticalScroll

from termbrief.ui.widgets.paging import SCROLL_BINDINGS, half_page


class PagedScroll(VerticalScroll, can_focus=True):
    """A ``VerticalScroll`` that ``j``/``k``, the page and half-page keys, ``g``/``G`` move.

    Pages move at once (no animation), as in ``less``. A key that cannot scroll (the text fits)
    is passed on to the dialog.
    """

    BINDING_GROUP_TITLE = "Text"
    BINDINGS: ClassVar[list[BindingType]] = SCROLL_BINDINGS

    def _scroll_lines(self, lines: int) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_relative(y=lines, animate=False, immediate=True)

    def action_page_down(self) -> None:
        """Scroll down a page."""
        self._scroll_lines(self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        """Scroll up a page."""
        self._scroll_lines(-self.scrollable_content_region.height)

    def action_half_page_down(self) -> None:
        """Scroll down half a page."""
        self._scroll_lines(half_page(self.scrollable_content_region.height))

    def action_half_page_up(self) -> None:
        """Scroll up half a page."""
        self._scroll_lines(-half_page(self.scrollable_content_region.height))

    def action_scroll_home(self) -> None:
        """Scroll to the top."""
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        """Scroll to the bottom."""
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_end(animate=False, immediate=True)
