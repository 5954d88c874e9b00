"""A span of words selected from the keyboard in one item, and the spans the panes colour.

:class:`Selection` is the words the reader chose in the text of one pane item as the reader sees
it (:meth:`~termbrief.core.anchors.Anchor.content`: Markdown rendered, no markup): it starts at a
find match or at the item's first word, and grows or shrinks by a word or a sentence at its end.
:func:`match_place` maps a find match (offsets in a search segment) to that text, and
:func:`saved_spans` says where the notes and highlights of a brief are in the text of their items.

No Textual here (the brief screen's keys are in :mod:`termbrief.ui.screens.brief_selection`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, NamedTuple

import msgspec

from termbrief.core.anchors import Anchor, brief_texts
from termbrief.core.markdown_text import shown_text
from termbrief.ui.render.spans import Span, SpanKind

if TYPE_CHECKING:
    from termbrief.core.annotation import Target
    from termbrief.core.model import Brief
    from termbrief.core.search import Match
    from termbrief.ui.services.notes import NoteMarks, PlacedNote

__all__ = ["MatchPlace", "Selection", "match_place", "saved_spans", "spans_with"]

_WORD: Final = re.compile(r"\S+")
_SENTENCE_END: Final = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")


class Selection(msgspec.Struct, frozen=True):
    """Words selected in the text of one pane item: ``text[start:end]``."""

    anchor: str
    """The stored form of the item's anchor (``summary/2``, ``commentary/<id>``)."""
    text: str
    """The item's text as the reader sees it (offsets refer to it)."""
    start: int
    """Where the words start."""
    end: int
    """Where they end (excluded)."""

    @classmethod
    def first_word(cls, anchor: str, text: str) -> Selection | None:
        """The first word of ``text``; None when it has none."""
        word = _WORD.search(text)
        return None if word is None else cls(anchor, text, *word.span())

    @classmethod
    def around(cls, anchor: str, text: str, start: int, end: int) -> Selection | None:
        """``text[start:end]`` without the blanks around it; None when no words are there."""
        if not 0 <= start < end <= len(text) or not text[start:end].strip():
            return None
        words = text[start:end]
        start += len(words) - len(words.lstrip())
        end -= len(words) - len(words.rstrip())
        return cls(anchor, text, start, end)

    @property
    def words(self) -> str:
        """The selected words."""
        return self.text[self.start : self.end]

    def _with_end(self, end: int | None) -> Selection:
        if end is None or end == self.end:
            return self
        return Selection(self.anchor, self.text, self.start, end)

    def _word_ends(self) -> list[int]:
        return [word.end() for word in _WORD.finditer(self.text)]

    def _sentence_ends(self) -> list[int]:
        ends = [found.end() for found in _SENTENCE_END.finditer(self.text)]
        return [*ends, len(self.text.rstrip())]

    def grow_word(self) -> Selection:
        """Take in the next word (the same selection at the end of the text)."""
        return self._with_end(next((e for e in self._word_ends() if e > self.end), None))

    def shrink_word(self) -> Selection:
        """Let go of the last word (one word stays)."""
        ends = [e for e in self._word_ends() if self.start < e < self.end]
        return self._with_end(ends[-1] if ends else None)

    def grow_sentence(self) -> Selection:
        """Run on to the end of the sentence, or of the next one if it ends a sentence."""
        return self._with_end(next((e for e in self._sentence_ends() if e > self.end), None))

    def shrink_sentence(self) -> Selection:
        """Let go of the last sentence, or of the words of a sentence not ended (its first
        word stays)."""
        ends = [e for e in self._sentence_ends() if self.start < e < self.end]
        if ends:
            return self._with_end(ends[-1])
        first = next((e for e in self._word_ends() if e > self.start), None)
        return self._with_end(first)

    def target(self, brief: Brief) -> Target:
        """The note target of the selected words in ``brief``.

        Raises:
            ValueError: the item or its words are no longer in ``brief``.
        """
        from termbrief.core.annotation import Target

        return Target.of(brief, Anchor.parse(self.anchor), self.start, self.end)


class MatchPlace(NamedTuple):
    """Where a find match is in the text of its pane item."""

    anchor: str
    start: int
    end: int


def match_place(brief: Brief, match: Match) -> MatchPlace | None:
    """Where ``match`` is in the text of the pane item showing it (:meth:`Anchor.content`);
    None when that text is not the text matched (a figure's label, a source's address)."""
    segment = match.segment
    if segment.anchor == "summary":
        shown = shown_text(brief.summary)
        block = shown.block_at(match.start)
        base = shown.starts[block] if shown.starts else 0
        anchor, start, end = (
            str(Anchor.numbered("summary", block)),
            match.start - base,
            match.end - base,
        )
    else:
        anchor, start, end = segment.item or segment.anchor, match.start, match.end
    try:
        text = Anchor.parse(anchor).content(brief)
    except ValueError:
        return None
    if text is None or text[start:end] != segment.text[match.start : match.end]:
        return None
    return MatchPlace(anchor, start, end)


def _block_offset(brief: Brief, block: Anchor) -> int:
    """Where a block of a commentary entry starts in the entry's text (blocks joined by blank
    lines, as :meth:`Anchor.content` joins them)."""
    passages = brief_texts(brief).passages(f"{block.entry}/blocks")
    before = [text for anchor, text in passages if (anchor.block or 0) < (block.block or 0)]
    return sum(len(text) + 2 for text in before)


def _span_of(brief: Brief, placed: PlacedNote) -> Span | None:
    placement = placed.placement
    now = placement.target
    if placement.anchor is None or now is None or not now.is_span:
        return None  # orphaned, or on a whole item (its gutter marker says so)
    base = _block_offset(brief, placement.anchor) if placement.anchor.block is not None else 0
    kind: SpanKind = "note" if placed.note.text.strip() else "highlight"
    return Span(base + placement.start, base + placement.end, kind, placed.note.id)


def saved_spans(brief: Brief, marks: NoteMarks) -> dict[str, list[Span]]:
    """The words of each note and highlight on a span of ``brief`` (as placed in ``marks``),
    by the anchor of the pane item showing them, in their order in the text."""
    spans: dict[str, list[Span]] = {}
    for placed in marks.placed:
        span = _span_of(brief, placed)
        if span is not None and placed.item is not None:
            spans.setdefault(placed.item, []).append(span)
    for found in spans.values():
        found.sort()
    return spans


def spans_with(
    saved: Mapping[str, Sequence[Span]], selection: Selection | None
) -> dict[str, list[Span]]:
    """``saved`` with the selection's span added on its item (drawn over them)."""
    spans = {anchor: list(found) for anchor, found in saved.items()}
    if selection is not None:
        spans.setdefault(selection.anchor, []).append(
            Span(selection.start, selection.end, "selection")
        )
    return spans
