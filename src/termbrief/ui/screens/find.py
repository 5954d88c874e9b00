"""Find in the brief: the query, its matches and where the reader is among them.

:class:`FindSession` is a plain object the brief screen holds; the screen hands it the
:class:`~termbrief.ui.widgets.search_bar.SearchBar`'s messages and the find keys:

- ``/`` opens the bar; typing counts the matches at once and highlights them in every pane
  (after a short pause on a large brief, where re-rendering every pane costs more than a key);
- Enter goes to the first match at or after the cursor, focusing the pane that holds it;
- **the rule of** ``n`` / ``N``: they step to the next / previous match across panes, wrapping
  around, while a query with matches is set (:attr:`FindSession.active`) — with the bar open or
  closed — until the query is cleared; otherwise they are the notes keys. Escape in the bar
  closes it and keeps the query (and its highlights) if it has matches; Escape in the panes
  (:meth:`FindSession.clear`), or in the bar once its field is empty, clears it.

Matching is :func:`termbrief.core.search.find_in_brief`: the text as the panes show it (Markdown
rendered), smart case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final, Protocol

from termbrief.ui.panes.pane import Jump
from termbrief.ui.render.markdown import Highlighter
from termbrief.ui.screens.brief_view import BriefView

if TYPE_CHECKING:
    from textual.timer import Timer

    from termbrief.core.model import Brief
    from termbrief.core.search import Match
    from termbrief.ui.widgets.search_bar import SearchBar

LARGE_BRIEF_CHARS: Final = 40_000
"""Briefs with more searchable text than this re-highlight only when typing pauses."""
HIGHLIGHT_DELAY_S: Final = 0.15
"""The pause, in seconds, after which a large brief's highlights follow the query."""
HIDDEN_FIELDS: Final = {
    ("figures", "context"): "in the figure's context (⏎)",
    ("figures", "source"): "in the figure's source (⏎)",
    ("actors", "affiliation"): "in the actor's affiliation (⏎)",
    ("actors", "aliases"): "in an alias (⏎)",
    ("actors", "description"): "in the actor's description (⏎)",
}
"""Fields the tables do not show: a match there selects the row, and the search bar says where
the word is (Enter on the row opens the detail that shows it)."""


class FindView(BriefView, Protocol):
    """What a find session needs from the screen it serves (the brief screen)."""

    @property
    def highlighter(self) -> Highlighter | None:
        """What marks matches in the panes now."""
        ...

    def focused_anchor(self) -> str:
        """The anchor of the item under the cursor of the active pane."""
        ...

    def reveal(self, jump: Jump) -> bool:
        """Show and focus the item of ``jump``."""
        ...

    def set_highlight(self, highlighter: Highlighter | None) -> None:
        """Mark matches in every pane (None clears)."""
        ...

    def set_timer(self, delay: float, callback: Callable[[], object]) -> Timer:
        """Call ``callback`` once, ``delay`` seconds from now."""
        ...

    def refresh_bindings(self) -> None:
        """Recheck which keys are enabled (``n`` / ``N`` change hands)."""
        ...


class FindSession:
    """The find-in-brief state of one brief screen, and what the find keys do."""

    def __init__(self, view: FindView) -> None:
        """A session for ``view`` (the brief screen)."""
        self._view = view
        self.bar: SearchBar | None = None
        """The find bar, once the screen has mounted it (after the first frame)."""
        self._query = ""
        self._matches: Sequence[Match] = ()
        self._index: int | None = None
        self._brief: Brief | None = None
        self._timer: Timer | None = None
        self._active = False

    @property
    def query(self) -> str:
        """The query being searched ("" when none)."""
        return self._query

    @property
    def active(self) -> bool:
        """True while a query with matches is set, the bar open or not: ``n`` / ``N`` step."""
        return self._active

    @property
    def matches(self) -> Sequence[Match]:
        """The matches of the query in the brief on screen, in pane order."""
        self._update_matches()
        return self._matches

    @property
    def position(self) -> int | None:
        """Index into :attr:`matches` of the match last gone to (None before stepping)."""
        return self._index

    @property
    def can_clear(self) -> bool:
        """Whether Escape has something to clear: a query with matches, or an open bar."""
        # Asked on every focus change: no DOM query, and no bar mounted means none open.
        return self._active or (self.bar is not None and self.bar.is_open)

    def follow_brief(self) -> None:
        """Follow a new brief (another file, or a reload): recount, keeping the position."""
        if self._query and self._update_matches():
            self._show_count()

    # -- the search bar --------------------------------------------------------------------------

    def query_changed(self, query: str) -> None:
        """The reader typed: count and highlight the matches of ``query``."""
        self._query = query
        self._index = None
        self._update_matches(force=True)
        self._show_count()
        self._schedule_highlight()

    def submitted(self) -> None:
        """Enter in the bar: go to the first match at or after the cursor."""
        self._update_matches()
        if self._timer is not None:
            self._highlight_now()
        if not self._matches:
            self._view.app.bell()
            return
        self._go_to(self._first_from_cursor(forward=True))

    def closed(self) -> None:
        """The bar closed (Escape in it): a query with matches stays set, highlighted, for
        ``n`` / ``N``; any other is forgotten."""
        self._update_matches()
        if not self._matches:
            self._forget()

    def clear(self) -> None:
        """Forget the query, clear the highlights and close the bar (Escape in the panes)."""
        self._forget()
        if self.bar is not None:
            self.bar.close()

    def _forget(self) -> None:
        self._query = ""
        self._matches = ()
        self._index = None
        self._brief = None
        self._set_active(False)
        self._highlight_now()

    def step(self, step: int) -> None:
        """Go to the next (1) or previous (-1) match, across panes, wrapping around."""
        self._update_matches()
        total = len(self._matches)
        if not total:
            return
        index = self._index
        if index is None:
            index = self._first_from_cursor(forward=step > 0)
        else:
            index = (index + step) % total
        self._go_to(index)

    # -- matching --------------------------------------------------------------------------------

    def _brief_on_screen(self) -> Brief | None:
        entry = self._view.entry
        return entry.brief if entry is not None else None

    def _update_matches(self, *, force: bool = False) -> bool:
        """Recompute the matches if the brief on screen (or ``force``: the query) changed;
        whether they were recomputed."""
        from termbrief.core.search import find_matches

        brief = self._brief_on_screen()
        if brief is self._brief and not force:
            return False
        self._brief = brief
        found: Sequence[Match] = find_matches(brief, self._query) if brief is not None else ()
        self._matches = found
        if self._index is not None:
            self._index = min(self._index, len(found) - 1) if found else None
        self._set_active(bool(found))
        return True

    def _set_active(self, active: bool) -> None:
        if active != self._active:
            self._active = active
            self._view.refresh_bindings()

    def _show_count(self) -> None:
        index = self._index
        where = ""
        if index is not None:
            segment = self._matches[index].segment
            where = HIDDEN_FIELDS.get((segment.pane, segment.field), "")
        total = len(self._matches)
        if self.bar is not None:
            self.bar.set_count(None if index is None else index + 1, total, where)

    def _first_from_cursor(self, forward: bool) -> int:
        """The match at or after (``forward``) or before the cursor of the active pane."""
        from termbrief.core.search import Matches

        matches = self._matches
        if not isinstance(matches, Matches):
            return 0
        view = self._view
        return matches.nearest(view.focused_anchor(), view.active, forward=forward)

    def _go_to(self, index: int) -> None:
        match = self._matches[index]
        self._index = index
        segment = match.segment
        # The pane item (a key point, a source) where the anchor names only its section.
        self._view.reveal(Jump(segment.item or segment.anchor, match.start, segment.text))
        self._show_count()

    # -- highlighting ----------------------------------------------------------------------------

    def _highlight_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        from termbrief.core.search import highlight_spans

        query = self._query
        if query.strip():
            self._view.set_highlight(lambda text: highlight_spans(text, query))
        elif self._view.highlighter is not None:
            self._view.set_highlight(None)

    def _schedule_highlight(self) -> None:
        brief = self._brief_on_screen()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        large = brief is not None and _searchable_size(brief) > LARGE_BRIEF_CHARS
        if large and self._query.strip():
            self._timer = self._view.set_timer(HIGHLIGHT_DELAY_S, self._highlight_now)
        else:
            self._highlight_now()


def _searchable_size(brief: Brief) -> int:
    from termbrief.core.search import brief_segments

    return sum(len(segment.text) for segment in brief_segments(brief))
