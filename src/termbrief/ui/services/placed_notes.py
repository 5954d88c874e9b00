"""The notes of the brief on screen as the panes show them: each note placed where its words
are now, the counts in the pane titles, the items that carry a marker, and whose each note is on a
team server (:class:`NoteMarks`, built by :func:`note_marks`).

Pure computation on notes already read: no store, no Textual (the notes session reads the store).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from termbrief.core.annotation import Note, Placement
    from termbrief.core.model import Brief

__all__ = ["NoteMarks", "PlacedNote", "describe_count", "note_marks"]


class PlacedNote(msgspec.Struct, frozen=True):
    """A note of the brief on screen and where it is in that brief now."""

    note: Note
    """The note as stored."""
    placement: Placement
    """Where its words are now (:func:`termbrief.core.annotation.reanchor`)."""
    by: str = ""
    """The colleague who wrote it (a team server); "" for the reader's own note."""
    private: bool = False
    """Whether only its author reads it (a team server; notes on this computer say nothing)."""

    @property
    def shown(self) -> Note:
        """The note to show: with its author and visibility when they are worth saying (a
        :class:`~termbrief.ui.render.notes.ShownNote`), else the note itself. For showing only:
        edit and delete :attr:`note`."""
        if not (self.by or self.private):
            return self.note
        from termbrief.ui.render.notes import ShownNote

        return ShownNote.of(self.note, by=self.by, private=self.private)

    @property
    def item(self) -> str | None:
        """The anchor of the pane item that shows the note's words (a commentary block's
        entry: the pane shows an entry as one item); None when orphaned or on a whole
        section, which no item stands for."""
        anchor = self.placement.anchor
        if anchor is None or anchor.item is None:
            return None
        return str(anchor.entry)


class NoteMarks(msgspec.Struct, frozen=True):
    """How the panes show the notes of one brief."""

    titles: Mapping[str, str] = msgspec.field(default_factory=dict)
    """Pane title text by pane section, e.g. ``"2 notes"`` (see :func:`describe_count`)."""
    marked: frozenset[str] = frozenset()
    """Anchors of the items that carry a marker."""
    theirs: frozenset[str] = frozenset()
    """Of :attr:`marked`, the items whose notes are all colleagues' (their marker differs)."""
    placed: tuple[PlacedNote, ...] = ()
    """Every note of the brief with its placement, oldest first."""
    inline: bool = False
    """Whether the panes show each item's notes in full under it."""

    def on_item(self, anchor: str) -> list[PlacedNote]:
        """The notes whose words are in the item at ``anchor`` now (for a section's anchor,
        the notes on the whole section), oldest first."""
        return [
            placed
            for placed in self.placed
            if placed.item == anchor
            or (
                placed.item is None
                and placed.placement.anchor is not None
                and str(placed.placement.anchor) == anchor
            )
        ]

    def shown_on(self, anchor: str) -> list[tuple[Note, Placement]]:
        """The notes :meth:`on_item` as they are shown (:attr:`PlacedNote.shown`), each with
        its placement: for the detail dialogs and inline notes."""
        return [(placed.shown, placed.placement) for placed in self.on_item(anchor)]


def describe_count(attached: int, orphaned: int) -> str:
    """Pane title text for a pane's notes: ``"2 notes"``, ``"3 notes (1 orphaned)"``, or ``""``."""
    total = attached + orphaned
    if not total:
        return ""
    text = f"{total} note" if total == 1 else f"{total} notes"
    return f"{text} ({orphaned} orphaned)" if orphaned else text


def _byline(note: Note, reader: str | None) -> tuple[str, bool]:
    """The colleague who wrote ``note`` ("" if the reader did) and whether it is private, for
    the ``reader`` of a team server; nothing to say without one (None: notes on this computer)."""
    if reader is None:
        return "", False
    from termbrief.store.records import AuthoredNote  # loaded with the team store already

    if not isinstance(note, AuthoredNote):
        return "", False
    by = note.author if note.author and note.author != reader else ""
    return by, note.visibility == "private"


def note_marks(brief: Brief, notes: Sequence[Note], reader: str | None = None) -> NoteMarks:
    """Pane title texts, the items to mark and every note's placement, for ``notes`` on
    ``brief``; ``reader`` is who reads them on a team server (None: notes on this computer, all
    the reader's own).

    Each note is placed where its words are now (:func:`reanchor`): it marks the item holding
    them, which may not be where it was written. A pane counts the notes placed in it and, as
    orphaned, those written in it whose words are gone (marked nowhere); a note on a whole
    section is counted and marks no item. An item whose notes are all colleagues' is among
    :attr:`NoteMarks.theirs`.
    """
    from termbrief.core.annotation import reanchor

    placed = tuple(
        PlacedNote(note, placement, *_byline(note, reader))
        for note, placement in zip(notes, reanchor(brief, notes), strict=True)
    )
    tally: dict[str, list[int]] = {}
    marked: set[str] = set()
    own: set[str] = set()
    for one in placed:
        where = one.placement.anchor or one.note.place
        if where is None:
            continue  # a stored string that is no anchor: listed in the notes panel only
        orphaned = one.placement.status == "orphaned"
        tally.setdefault(where.pane, [0, 0])[1 if orphaned else 0] += 1
        if one.item is not None:
            marked.add(one.item)
            if not one.by:
                own.add(one.item)
    titles = {
        pane: describe_count(attached, orphaned) for pane, (attached, orphaned) in tally.items()
    }
    return NoteMarks(titles, frozenset(marked), frozenset(marked - own), placed)
