"""Find in the brief: ``/`` searches every pane, ``n`` / ``N`` step through the matches.

:class:`SearchKeys` is a mixin of the brief screen. It owns the :class:`SearchBar` messages and
four keys:

- ``/`` opens the bar; typing counts the matches at once and highlights them in every pane
  (after a short pause on a large brief, where re-rendering every pane costs more than a key);
- Enter goes to the first match at or after the cursor, focusing the pane that holds it;
- ``n`` / ``N`` step to the next / previous match across panes, wrapping around, while a query
  with matches is active (:attr:`SearchKeys.search_active`); otherwise those keys belong to the
  notes (add a note, notes panel), told apart by ``check_action``;
- Escape clears the query and the highlights.

Matching is :func:`termbrief.core.search.find_in_brief`: plain text, smart case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Final

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer

if TYPE_CHECKING:
    from termbrief.core.library import Entry
    from termbrief.core.model import Brief
    from termbrief.core.search import Match
    from termbrief.ui.panes.pane import Jump, Pane
    from termbrief.ui.render.markdown import Highlighter
    from termbrief.ui.widgets.search_bar import SearchBar

LARGE_BRIEF_CHARS: Final = 40_000
"""Briefs with more searchable text than this re-highlight only when typing pauses."""
HIGHLIGHT_DELAY_S: Final = 0.15
"""The pause, in seconds, after which a large brief's highlights follow the query."""
SEARCH_SHARED_BINDINGS: tuple[Binding, ...] = (
    Binding("n", "search_step(1)", "Next match", id="search.next"),
    Binding("N", "search_step(-1)", "Previous match", id="search.previous"),
    Binding("escape", "clear_search", "Clear search", id="search.clear"),
)
"""The search keys that other features of the brief screen bind too (notes: n / N; Escape).

Textual keeps only the most derived class's bindings for a key, so ``BriefScreen.BINDINGS``
lists these next to the others of the same keys; each feature's ``check_action`` enables its
own (these only while a search is active).
"""


HIDDEN_FIELDS: Final = {
    ("figures", "context"): "in the figure's context (⏎)",
    ("figures", "source"): "in the figure's source (⏎)",
    ("actors", "affiliation"): "in the actor's affiliation (⏎)",
    ("actors", "aliases"): "in an alias (⏎)",
    ("actors", "description"): "in the actor's description (⏎)",
}
"""Fields the tables do not show: a match there selects the row, and the search bar says where
the word is (Enter on the row opens the detail that shows it)."""


class SearchKeys(Screen[None]):
    """Mixin for the brief screen: the find-in-brief keys and the :class:`SearchBar` handlers.

    The screen must compose a ``SearchBar`` and provide ``entry``, ``active``, ``pane()``,
    ``reveal()``, ``set_highlight()`` and ``focused_anchor()`` (BriefScreen does).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "open_search", "Find", id="search.open"),
        *SEARCH_SHARED_BINDINGS,
    ]

    search_active: bool = False
    """True while a query with matches is active (until Escape): then n / N step through them."""

    # Class-level defaults (immutable), replaced per instance: a mixin has no __init__ of its own.
    _search_query: str = ""
    _search_matches: tuple[Match, ...] = ()
    _search_index: int | None = None
    _search_brief: Brief | None = None
    _search_timer: Timer | None = None
    _search_bar: SearchBar | None = None

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        entry: Entry | None
        active: str
        highlighter: Highlighter | None

        def pane(self, section: str) -> Pane: ...
        def reveal(self, jump: Jump) -> bool: ...
        def set_highlight(self, highlighter: Highlighter | None) -> None: ...
        def focused_anchor(self) -> str: ...
        async def late_mounted(self) -> None: ...

    # -- public API ------------------------------------------------------------------------------

    @property
    def search_bar(self) -> SearchBar:
        """The find-in-brief bar (mounted after the first frame: see ``late_mounted``)."""
        bar = self._search_bar
        if bar is None:
            from termbrief.ui.widgets.search_bar import SearchBar

            bar = self._search_bar = self.query_one(SearchBar)
        return bar

    @property
    def search_query(self) -> str:
        """The query being searched ("" when none)."""
        return self._search_query

    @property
    def search_matches(self) -> tuple[Match, ...]:
        """The matches of the query in the brief on screen, in pane order."""
        self._update_matches()
        return self._search_matches

    @property
    def search_position(self) -> int | None:
        """Index into :attr:`search_matches` of the match last gone to (None before stepping)."""
        return self._search_index

    def refresh_search(self) -> None:
        """Follow a new brief (another file, or a reload): recount, keeping the position."""
        if self._search_query and self._update_matches():
            self._show_count()

    # -- matching --------------------------------------------------------------------------------

    def _brief(self) -> Brief | None:
        return self.entry.brief if self.entry is not None else None

    def _update_matches(self, *, force: bool = False) -> bool:
        """Recompute the matches if the brief on screen (or ``force``: the query) changed.

        Returns:
            Whether they were recomputed.
        """
        from termbrief.core.search import find_in_brief

        brief = self._brief()
        if brief is self._search_brief and not force:
            return False
        self._search_brief = brief
        found = find_in_brief(brief, self._search_query) if brief is not None else []
        self._search_matches = tuple(found)
        if self._search_index is not None:
            self._search_index = min(self._search_index, len(found) - 1) if found else None
        self._set_active(bool(found))
        return True

    def _set_active(self, active: bool) -> None:
        if active != self.search_active:
            self.search_active = active
            self.refresh_bindings()

    def _show_count(self) -> None:
        index = self._search_index
        where = ""
        if index is not None:
            segment = self._search_matches[index].segment
            where = HIDDEN_FIELDS.get((segment.pane, segment.field), "")
        total = len(self._search_matches)
        self.search_bar.set_count(None if index is None else index + 1, total, where)

    def _first_from_cursor(self, forward: bool) -> int:
        """The match at or after (``forward``) or before the cursor of the active pane."""
        from termbrief.core.search import PANES, brief_segments

        brief = self._brief()
        matches = self._search_matches
        if brief is None or not matches:
            return 0
        segments = brief_segments(brief)
        first_of: dict[str, int] = {}
        for number, segment in enumerate(segments):
            first_of.setdefault(segment.anchor, number)
        active = PANES.index(self.active) if self.active in PANES else 0
        anchor = self.focused_anchor()
        cursor = first_of.get(anchor)
        if cursor is None or segments[cursor].pane != self.active:
            # No item under the cursor: the start of the active pane's text.
            cursor = next(
                (n for n, s in enumerate(segments) if PANES.index(s.pane) >= active),
                len(segments),
            )
        order = [first_of[match.segment.anchor] for match in matches]
        if forward:
            return next((n for n, at in enumerate(order) if at >= cursor), 0)
        return next((n for n in reversed(range(len(order))) if order[n] < cursor), len(order) - 1)

    def _go_to(self, index: int) -> None:
        from termbrief.ui.panes.pane import Jump

        match = self._search_matches[index]
        self._search_index = index
        self.reveal(Jump(match.segment.anchor, match.start, match.segment.text))
        self._show_count()

    # -- highlighting ----------------------------------------------------------------------------

    def _highlight_now(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        from termbrief.core.search import highlight_spans

        query = self._search_query
        if query.strip():
            self.set_highlight(lambda text: highlight_spans(text, query))
        elif self.highlighter is not None:
            self.set_highlight(None)

    def _schedule_highlight(self) -> None:
        brief = self._brief()
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        large = brief is not None and _searchable_size(brief) > LARGE_BRIEF_CHARS
        if large and self._search_query.strip():
            self._search_timer = self.set_timer(HIGHLIGHT_DELAY_S, self._highlight_now)
        else:
            self._highlight_now()

    # -- SearchBar messages ----------------------------------------------------------------------

    def on_search_bar_query_changed(self, message: SearchBar.QueryChanged) -> None:
        message.stop()
        self._search_query = message.query
        self._search_index = None
        self._update_matches(force=True)
        self._show_count()
        self._schedule_highlight()

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        message.stop()
        self._update_matches()
        if self._search_timer is not None:
            self._highlight_now()
        if not self._search_matches:
            self.app.bell()
            return
        self._go_to(self._first_from_cursor(forward=True))

    def on_search_bar_step(self, message: SearchBar.Step) -> None:
        message.stop()
        self.action_search_step(1 if message.forward else -1)
        # Stepping from the field keeps the keyboard in it, to refine the query.
        if self.search_bar.is_open:
            self.search_bar.input.focus()

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        message.stop()
        had_focus = self.focused is None or self.focused is self.search_bar.input
        self._search_query = ""
        self._search_matches = ()
        self._search_index = None
        self._search_brief = None
        self._set_active(False)
        self._highlight_now()
        if had_focus and self.entry is not None and self.entry.ok:
            self.pane(self.active).focus_body()

    # -- actions ---------------------------------------------------------------------------------

    async def action_open_search(self) -> None:
        """Open the find bar (with the last query selected, if any)."""
        bar = self._search_bar
        if bar is None or not bar.is_mounted:
            # A "/" typed before the bar is mounted still opens it. Only then: awaiting yields to
            # the event loop, and the keys typed right after "/" would go to the pane instead.
            await self.late_mounted()
        self.search_bar.open(self._search_query or None)

    def action_search_step(self, step: int) -> None:
        """Go to the next (1) or previous (-1) match, across panes, wrapping around."""
        self._update_matches()
        total = len(self._search_matches)
        if not total:
            return
        index = self._search_index
        if index is None:
            index = self._first_from_cursor(forward=step > 0)
        else:
            index = (index + step) % total
        self._go_to(index)

    def action_clear_search(self) -> None:
        """Clear the query and the highlights."""
        self.search_bar.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_search":
            return self.entry is not None and self.entry.ok
        if action == "search_step":
            return self.search_active
        if action == "clear_search":
            if self.search_active:
                return True
            # Asked on every focus change: no DOM query, and no bar mounted means none open.
            bar = self._search_bar
            return bar is not None and bar.is_open
        return super().check_action(action, parameters)


def _searchable_size(brief: Brief) -> int:
    from termbrief.core.search import brief_segments

    return sum(len(segment.text) for segment in brief_segments(brief))
