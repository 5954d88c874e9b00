"""Selecting words from the keyboard on the brief screen, and the coloured words of the panes.

:class:`SelectionActions` is a plain object the brief screen holds. ``m`` starts a selection in
the item under the cursor of a list pane: on the find match last gone to when it is in that item
(``/query`` then Enter), else on the item's first word. ``w`` / ``W`` take in or let go of a word
at its end, ``s`` / ``S`` a sentence; Escape drops it, and so does moving the cursor to another
item. With a selection, ``n`` writes a note on its words and ``h`` highlights them (a note
without text). Saved highlights and the words of notes show coloured in the text
(:func:`~termbrief.ui.services.selection.saved_spans`); Enter on an item with one opens its note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from textual.content import Content

from termbrief.ui.panes.pane import ListPane, Pane
from termbrief.ui.render.safe import one_line
from termbrief.ui.screens.brief_notes import NoteActions
from termbrief.ui.screens.brief_view import BriefView

if TYPE_CHECKING:
    from collections.abc import Callable

    from termbrief.core.annotation import Target
    from termbrief.core.model import Brief
    from termbrief.ui.render.spans import Span

    # The selection's text machinery (ui.services.selection) is imported when words are selected or
    # notes on words are shown: most readers open a brief without either (bench case 1).
    from termbrief.ui.screens.find import FindSession
    from termbrief.ui.services.selection import Selection


class SelectionView(BriefView, Protocol):
    """What the selection keys need from the screen they serve (the brief screen)."""

    @property
    def find(self) -> FindSession:
        """Find in the brief (its current match starts a selection)."""
        ...

    def pane(self, section: str) -> Pane:
        """The pane showing ``section``."""
        ...

    def mounted_panes(self) -> list[Pane]:
        """The panes mounted now (asking for another would mount it)."""
        ...

    def call_after_refresh(self, callback: Callable[[], object]) -> bool:
        """Call ``callback`` once the screen has refreshed."""
        ...

    def refresh_bindings(self) -> None:
        """Recheck which keys are enabled (``n`` annotates while a selection is set)."""
        ...


class SelectionActions:
    """The selection of one brief screen, and what its keys do."""

    def __init__(self, view: SelectionView, notes: NoteActions) -> None:
        """Selection keys for ``view`` (the brief screen); notes are saved by ``notes``."""
        self._view = view
        self._notes = notes
        self._selection: Selection | None = None
        self._watched: set[int] = set()

    @property
    def selection(self) -> Selection | None:
        """The words selected now, if any."""
        return self._selection

    @property
    def active(self) -> bool:
        """Whether words are selected (``n`` and ``h`` then act on them)."""
        return self._selection is not None

    def _brief(self) -> Brief | None:
        entry = self._view.entry
        return entry.brief if entry is not None else None

    # -- the keys --------------------------------------------------------------------------------

    def start(self) -> None:
        """Select the find match under the cursor, or the first word of the item there."""
        brief = self._brief()
        pane = self._view.pane(self._view.active) if brief is not None else None
        if brief is None or not isinstance(pane, ListPane) or pane.current is None:
            self._view.app.notify(
                "Words are selected in the summary, commentary, timeline and sources.",
                markup=False,
            )
            return
        from termbrief.core.anchors import Anchor

        anchor = pane.current_anchor()
        try:
            text = Anchor.parse(anchor).content(brief)
        except ValueError:
            text = None
        selection = None if text is None else self._at_find_match(brief, anchor, text)
        if selection is None and text is not None:
            from termbrief.ui.services.selection import Selection

            selection = Selection.first_word(anchor, text)
        if selection is None:
            self._view.app.bell()
            return
        self._watch(pane)
        self._set(selection)
        self._view.app.notify(
            "w/W: a word more/less · s/S: a sentence · n: note · h: highlight · Esc: drop",
            title="Selecting",
            timeout=4,
            markup=False,
        )

    def _at_find_match(self, brief: Brief, anchor: str, text: str) -> Selection | None:
        find = self._view.find
        position = find.position
        if position is None or not find.active:
            return None
        from termbrief.ui.services.selection import Selection, match_place

        place = match_place(brief, find.matches[position])
        if place is None or place.anchor != anchor:
            return None
        return Selection.around(anchor, text, place.start, place.end)

    def grow(self, unit: str, step: int) -> None:
        """Take in (``step`` 1) or let go of (-1) a ``unit`` ("word" or "sentence")."""
        selection = self._selection
        if selection is None:
            return
        if unit == "word":
            changed = selection.grow_word() if step > 0 else selection.shrink_word()
        else:
            changed = selection.grow_sentence() if step > 0 else selection.shrink_sentence()
        if changed == selection:
            self._view.app.bell()
            return
        self._set(changed)

    def drop(self) -> None:
        """Forget the selection."""
        self._set(None)

    def target(self) -> Target | None:
        """The note target of the selected words (None, after telling why, if they are no
        longer in the brief)."""
        brief, selection = self._brief(), self._selection
        if brief is None or selection is None:
            return None
        try:
            return selection.target(brief)
        except ValueError:
            self._view.app.notify("The selected words are no longer in the brief.", markup=False)
            self.drop()
            return None

    def annotate(self) -> None:
        """Write a note on the selected words (the selection goes once the editor opens)."""
        target = self.target()
        if target is not None:
            self._notes.add(target)
            self.drop()

    def highlight(self) -> None:
        """Highlight the selected words: a note without text."""
        target = self.target()
        if target is not None and self._notes.highlight(target):
            self.drop()

    def open_note(self, anchor: str) -> bool:
        """Open the note on the coloured words of the item at ``anchor`` (under the selection
        if one is set there, else the item's first); False when the item has none."""
        brief = self._brief()
        if brief is None:
            return False
        from termbrief.ui.services.selection import saved_spans

        spans = saved_spans(brief, self._notes.marks).get(anchor, [])
        selection = self._selection
        if selection is not None and selection.anchor == anchor:
            over = [s for s in spans if s.start < selection.end and selection.start < s.end]
            spans = over or spans
        if not spans:
            return False
        self._notes.open_note(spans[0].note_id)
        return True

    # -- what the panes show ---------------------------------------------------------------------

    def follow_brief(self) -> None:
        """The brief on screen changed (another file, a reload): a selection whose words
        changed is dropped; the coloured words follow the notes as now placed."""
        selection, brief = self._selection, self._brief()
        if selection is not None:
            from termbrief.core.anchors import Anchor

            text = Anchor.parse(selection.anchor).content(brief) if brief is not None else None
            if text != selection.text:
                self._selection = None
                self._view.refresh_bindings()
        self.show()

    def show(self) -> None:
        """Colour the selection, the highlights and the words of notes in every list pane."""
        brief = self._brief()
        spans: dict[str, list[Span]] = {}
        if brief is not None and (self._selection is not None or self._notes.marks.placed):
            from termbrief.ui.services.selection import saved_spans, spans_with

            spans = spans_with(saved_spans(brief, self._notes.marks), self._selection)
        from termbrief.core.anchors import Anchor

        by_pane: dict[str, dict[str, list[Span]]] = {}
        for anchor, found in spans.items():
            by_pane.setdefault(Anchor.parse(anchor).pane, {})[anchor] = found
        entry = self._view.entry
        if entry is None or entry.brief is None:
            return
        # The panes mounted now only: the others, mounted after the first frame, are coloured
        # then (the screen refreshes the notes once they are).
        for pane in self._view.mounted_panes():
            if isinstance(pane, ListPane) and pane.is_mounted:
                pane.show_spans(by_pane.get(pane.SECTION, {}))

    def _set(self, selection: Selection | None) -> None:
        was_active = self.active
        self._selection = selection
        if was_active != self.active:
            self._view.refresh_bindings()
        self.show()
        if selection is not None:
            # The words, for screen readers and for the reader's check (never as markup).
            pane = self._view.pane(self._view.active)
            pane.border_subtitle = Content(f"“{one_line(selection.words)[:60]}”")
        else:
            for section in ("summary", "commentary", "timeline", "sources"):
                self._clear_subtitle(section)

    def _clear_subtitle(self, section: str) -> None:
        pane = self._view.pane(section)
        if isinstance(pane, ListPane) and pane.is_mounted:
            pane.border_subtitle = Content("")

    # -- the cursor leaving the selected item ----------------------------------------------------

    def _watch(self, pane: ListPane) -> None:
        if id(pane) not in self._watched:
            self._watched.add(id(pane))
            pane.watch(pane, "highlighted", self._cursor_moved, init=False)

    def _cursor_moved(self) -> None:
        # Checked after the refresh: a pane showing its items again moves its cursor away and
        # back within one call.
        self._view.call_after_refresh(self._check_cursor)

    def _check_cursor(self) -> None:
        selection = self._selection
        if selection is None:
            return
        pane = self._view.pane(self._view.active)
        if not isinstance(pane, ListPane) or pane.current_anchor() != selection.anchor:
            self.drop()
