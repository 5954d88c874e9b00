"""A note as stored (:class:`Note`), what it annotates (:class:`Target`), and where it is in a
brief that may have changed since (:func:`reanchor`, :class:`Placement`).

A target is stored in the spirit of the W3C Web Annotation model: the anchor where the note was
written (:class:`~termbrief.core.anchors.Anchor`: the item's id or section, and its position as a
hint), a text-quote selector (the exact words as the reader saw them, a little text before and
after) and where the words began. A note on a whole item quotes its whole text; a highlight
quotes a span of words in it. Items without ids (paragraphs, key points, events, sources) are
found again by their words, not by their position.

Re-anchoring works as the Hypothesis client does: the words are looked for where the hint says,
then unchanged anywhere among the places of their kind, then approximately
(:mod:`termbrief.core.quote_match`); the note moves with them, in one of four states (attached,
moved, changed since noted, orphaned). Notes written before selectors quoted a shortened line of
an item's source text and named timeline events by position: they are found by that line.

No Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

import msgspec

from termbrief.core.anchors import (
    LABEL_LIMIT,
    Anchor,
    BriefTexts,
    brief_texts,
    entry_line,
    event_line,
    kind_of,
    make_quote,
)
from termbrief.core.model import Brief
from termbrief.core.quote_match import CONTEXT, Haystack, Quote, find_quote

__all__ = ["Note", "NoteStatus", "Placement", "Target", "reanchor"]

NoteStatus = Literal["attached", "moved", "changed", "orphaned"]
"""Where a note's words are in the brief now: where they were (``attached``); unchanged but
elsewhere (``moved``); found but edited (``changed`` since noted); nowhere (``orphaned``)."""


class Target(msgspec.Struct, frozen=True):
    """What a note annotates, as stored: a place and the words quoted there (the W3C model's
    ``FragmentSelector`` of the place, refined by a ``TextQuoteSelector`` and a
    ``TextPositionSelector``)."""

    anchor: Anchor
    """The place where the note was written: its id or section, and where it was (a hint)."""
    exact: str = ""
    """The words quoted, as the reader saw them: the place's whole text, or a span of it; empty
    for a note on a whole section."""
    prefix: str = ""
    """A little of the text just before the words (empty when they start the text)."""
    suffix: str = ""
    """A little of the text just after the words (empty when they end it)."""
    start: int | None = None
    """Where the words began in the place's text; None when not known (a note on a whole
    section, or written before selectors: its quote may be a shortened line of source text)."""

    @classmethod
    def of(
        cls, brief: Brief, anchor: Anchor, start: int | None = None, end: int | None = None
    ) -> Target:
        """A target on the whole of ``anchor`` in ``brief``, or with ``start``/``end`` on the
        words ``text[start:end]`` of its text (:meth:`Anchor.content`), blanks trimmed.

        Raises:
            ValueError: the anchor is not in ``brief``, or the span is empty or outside it.
        """
        if anchor.item is None:
            if start is not None or end is not None:
                raise ValueError("a whole section has no words to select; choose an item")
            return cls(anchor)
        text = anchor.content(brief)
        if text is None:
            raise ValueError(f"{str(anchor)!r} is not in the brief {brief.id!r}")
        first = 0 if start is None else start
        last = len(text) if end is None else end
        if not 0 <= first < last <= len(text) or not text[first:last].strip():
            raise ValueError(f"no words between {first} and {last} in {str(anchor)!r}")
        first += len(text[first:last]) - len(text[first:last].lstrip())
        last -= len(text[first:last]) - len(text[first:last].rstrip())
        return cls(
            anchor,
            text[first:last],
            text[max(0, first - CONTEXT) : first],
            text[last : last + CONTEXT],
            first,
        )

    @property
    def end(self) -> int | None:
        """Where the words ended in the place's text (excluded); None when not known."""
        return None if self.start is None else self.start + len(self.exact)

    @property
    def is_span(self) -> bool:
        """Whether the target is some words of its place (a highlight), not all of it."""
        return bool(self.prefix or self.suffix or self.start)


class Placement(msgspec.Struct, frozen=True):
    """Where a note is in a brief now (see :func:`reanchor`)."""

    status: NoteStatus
    """``attached``, ``moved``, ``changed`` or ``orphaned``."""
    anchor: Anchor | None
    """The place holding the note's words now; None when orphaned."""
    start: int = 0
    """Where the words start in that place's text."""
    end: int = 0
    """Where they end (excluded); ``start == end == 0`` for a note on a whole section."""
    old: str = ""
    """The words when the note was written (its quote)."""
    new: str = ""
    """The words now: ``old`` unless ``changed``; empty when orphaned."""
    target: Target | None = None
    """The note's target as it would be written now, here (None when orphaned): save it with
    the store's ``reattach`` to accept a move or a change."""

    def label(self, brief: Brief, note: Note) -> str:
        """The label of where ``note`` (placed here) is now, or of where it was written if
        it is orphaned; a stored string that is not an anchor is shown as written."""
        place = self.anchor or note.place
        return make_quote(note.anchor, LABEL_LIMIT) if place is None else place.label(brief)


class Note(msgspec.Struct, frozen=True):
    """One note, as stored."""

    id: str
    """Unique id (a UUID in hex); stable across export and import."""
    brief_id: str
    """The id of the brief the note belongs to."""
    anchor: str
    """Where the note was written, as stored: an :class:`Anchor`'s string (see :attr:`target`)."""
    text: str
    """The note itself, Markdown; empty for a highlight without a note."""
    quote: str
    """The words it annotates (:attr:`Target.exact`)."""
    created: datetime
    """When the note was written (UTC)."""
    updated: datetime
    """When the note was last edited or re-attached (UTC)."""
    prefix: str = ""
    """:attr:`Target.prefix`."""
    suffix: str = ""
    """:attr:`Target.suffix`."""
    start: int | None = None
    """:attr:`Target.start`."""

    @property
    def place(self) -> Anchor | None:
        """The :class:`Anchor` the note was written on; None if the stored string is not one
        (a database edited by hand)."""
        try:
            return Anchor.parse(self.anchor)
        except ValueError:
            return None

    @property
    def target(self) -> Target | None:
        """The note's :class:`Target`; None if its stored anchor is not one."""
        place = self.place
        if place is None:
            return None
        return Target(place, self.quote, self.prefix, self.suffix, self.start)

    def placement(self, brief: Brief) -> Placement:
        """Where the note is in ``brief`` now (:func:`reanchor` for one note)."""
        return _place(brief_texts(brief), self)

    def status(self, brief: Brief) -> NoteStatus:
        """The note's state in ``brief``: attached, moved, changed or orphaned."""
        return self.placement(brief).status

    def label(self, brief: Brief) -> str:
        """What the note is on, for people: the label (:meth:`Anchor.label`) of where it is now,
        or of where it was written if orphaned; a stored string that is not an anchor is shown
        as written, shortened."""
        return self.placement(brief).label(brief, self)


def reanchor(brief: Brief, notes: Iterable[Note]) -> list[Placement]:
    """Where each of ``notes`` is in ``brief`` now, in the same order.

    Each note's words are looked for where it was written, then unchanged anywhere among the
    places of its kind (every summary block, every event...), then approximately; a note on an
    item by id stays on that item while it exists. A note on a whole section is always attached.
    """
    texts = brief_texts(brief)
    return [_place(texts, note) for note in notes]


def _place(texts: BriefTexts, note: Note) -> Placement:
    target = note.target
    if target is None:
        return Placement("orphaned", None, old=note.quote)
    anchor = target.anchor
    if anchor.item is None:
        return Placement("attached", anchor, old=target.exact, new=target.exact, target=target)
    kind = kind_of(anchor)
    if not texts.passages(kind):
        return _orphan(target)  # nothing left where it was: an item named by id is gone
    hint = texts.position(anchor)
    if target.start is None:
        legacy = _place_legacy(texts, kind, hint, target)
        if legacy is not None:
            return legacy
    if not target.exact:
        return _at(texts, kind, hint, target, "attached") if hint is not None else _orphan(target)
    quote = Quote(target.exact, target.prefix, target.suffix, target.start)
    found = find_quote(_haystack(texts, kind), quote, hint)
    if found is None:
        # An item named by its id keeps its notes while it exists, whatever became of the words;
        # so does the item a note written before selectors named, as it did then.
        keep = hint is not None and (anchor.of_section.items == "id" or target.start is None)
        return _at(texts, kind, hint, target, "changed") if keep else _orphan(target)
    status: NoteStatus = "changed" if not found.exact else "attached"
    if found.exact and found.index != hint:
        status = "moved"
    place, text = texts.passages(kind)[found.index]
    return _placed(status, place, text, found.start, found.end, target)


def _orphan(target: Target) -> Placement:
    return Placement("orphaned", None, old=target.exact)


def _placed(
    status: NoteStatus, place: Anchor, text: str, start: int, end: int, target: Target
) -> Placement:
    whole = start == 0 and end == len(text)
    now = Target(
        place,
        text[start:end],
        "" if whole else text[max(0, start - CONTEXT) : start],
        "" if whole else text[end : end + CONTEXT],
        start,
    )
    if status == "attached" and now == target:
        now = target
    return Placement(status, place, start, end, target.exact, text[start:end], now)


def _at(
    texts: BriefTexts, kind: str, index: int | None, target: Target, status: NoteStatus
) -> Placement:
    """The note on the whole place ``index`` of ``kind``."""
    if index is None:
        return _orphan(target)
    place, text = texts.passages(kind)[index]
    return _placed(status, place, text, 0, len(text), target)


def _place_legacy(
    texts: BriefTexts, kind: str, hint: int | None, target: Target
) -> Placement | None:
    """A note written before selectors, whose quote is a shortened line of the item's source
    text (``2024-09-04: The summit opens``): found by that line; None to search its quote as
    words instead."""
    if not target.exact or target.prefix or target.suffix:
        return None
    anchor_by_id = target.anchor.of_section.items == "id"
    legacy = _legacy_haystack(texts, kind)
    quotes = legacy.texts
    wanted = make_quote(target.exact)
    if hint is not None:
        if wanted in _legacy_quotes_of(texts, kind, hint):
            return _at(texts, kind, hint, target, "attached")
        if anchor_by_id:  # the item is still there: the note stays on it, as before selectors
            return _at(texts, kind, hint, target, "changed")
    others = [n for n, quote in enumerate(quotes) if quote == wanted]
    if others:
        return _at(texts, kind, min(others, key=lambda n: abs(n - (hint or 0))), target, "moved")
    found = find_quote(legacy, Quote(wanted), hint)
    return None if found is None else _at(texts, kind, found.index, target, "changed")


def _haystack(texts: BriefTexts, kind: str) -> Haystack:
    found = texts.haystacks.get(kind)
    if found is None:
        found = texts.haystacks[kind] = Haystack(tuple(text for _, text in texts.passages(kind)))
    return found


def _legacy_haystack(texts: BriefTexts, kind: str) -> Haystack:
    """What notes written before selectors quoted of each place of ``kind``: a shortened line of
    its source text, dated for an event, with its byline for a commentary entry."""
    key = "legacy:" + kind
    found = texts.haystacks.get(key)
    if found is None:
        brief = texts.brief
        quotes: Sequence[str]
        if kind == "timeline":
            quotes = [make_quote(event_line(event)) for event in brief.timeline]
        elif kind.startswith("commentary/") and not kind.endswith("/blocks"):
            entry = brief.commentary_entry(kind.partition("/")[2])
            quotes = [make_quote(entry_line(entry, entry.body))] if entry else []
        else:
            quotes = [make_quote(text) for _, text in texts.passages(kind)]
        found = texts.haystacks[key] = Haystack(tuple(quotes))
    return found


def _legacy_quotes_of(texts: BriefTexts, kind: str, index: int) -> set[str]:
    """Every quote termbrief kept of place ``index`` of ``kind`` before selectors: its source
    line, its text as shown, and for a commentary entry its line with the body as shown (the
    reader that first rendered quotes wrote those)."""
    place, text = texts.passages(kind)[index]
    quotes = {_legacy_haystack(texts, kind).texts[index], make_quote(text)}
    entry = texts.brief.commentary_entry(place.item or "") if kind == str(place) else None
    if place.section == "commentary" and entry is not None:
        quotes.add(make_quote(entry_line(entry, text)))
    return quotes
