"""Finding quoted words again in texts that may have changed: the matching behind re-anchoring.

A note keeps the words it annotates as a W3C text-quote selector (the exact words, a little text
before and after them) and a position hint (which text, and where in it). When the brief changes,
:func:`find_quote` looks for the words the way the Hypothesis annotation client does: first where
the hint says, then exactly anywhere, then approximately (with rapidfuzz), scoring each candidate
by how well the words, their context and their position agree. It knows nothing of briefs: the
caller hands it the texts of one kind of item (every summary paragraph, every timeline event...).

No Textual, no Rich.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

import msgspec

if TYPE_CHECKING:
    from rapidfuzz.distance import Opcode

# rapidfuzz is imported where it is used: the reader imports this module with the notes store,
# and most notes are found again exactly, so a session often never needs it (bench case 8).

__all__ = ["CONTEXT", "Found", "Haystack", "Quote", "find_quote", "snap_to_words"]

CONTEXT: Final = 32
"""How many characters of text before and after the words a quote keeps (as Hypothesis does)."""

# Weights of a candidate's score, after Hypothesis: the words count most, then their context;
# the position only breaks ties between equally good candidates.
_QUOTE_WEIGHT: Final = 50.0
_CONTEXT_WEIGHT: Final = 20.0
_POSITION_WEIGHT: Final = 2.0
_MAX_SCORE: Final = _QUOTE_WEIGHT + 2 * _CONTEXT_WEIGHT + _POSITION_WEIGHT

ACCEPT: Final = 0.7
"""Lowest score (0-1) a candidate away from the hint needs: the words alone, without any of
their context, do not reach it, so common words elsewhere do not catch a note."""
SURE: Final = 0.85
"""A candidate at the hint this good is taken without looking at every other text."""
WHOLE_RATIO: Final = 75.0
"""Lowest rapidfuzz ratio (0-100) for a whole text to count as the same text, changed."""
PARTIAL_RATIO: Final = 60.0
"""Lowest rapidfuzz partial ratio for words to be considered at all in a fuzzy search."""
_SHORTLIST: Final = 6
_MAX_OCCURRENCES: Final = 64
_SEPARATOR: Final = "\x00"  # never in a text: texts are cleaned of control characters


class Quote(msgspec.Struct, frozen=True):
    """What a note quotes: the W3C ``TextQuoteSelector`` and ``TextPositionSelector`` of it."""

    exact: str
    """The words, as the reader saw them."""
    prefix: str = ""
    """Up to :data:`CONTEXT` characters just before the words in their text."""
    suffix: str = ""
    """Up to :data:`CONTEXT` characters just after them."""
    start: int | None = None
    """Where the words began in their text; None when unknown."""

    @property
    def whole(self) -> bool:
        """Whether the words were the whole text (a note on a whole paragraph or item)."""
        return not self.prefix and not self.suffix and not self.start


class Found(msgspec.Struct, frozen=True):
    """Where a quote is now."""

    index: int
    """Which text holds it."""
    start: int
    """Where the words start in that text."""
    end: int
    """Where they end (excluded)."""
    exact: bool
    """Whether the words are there unchanged (else they were found approximately)."""


class Haystack:
    """The texts of one kind of item, with what searching them many times needs, built once."""

    # A plain class rather than a Struct: its caches are internal state, not arguments.
    __slots__ = ("_by_text", "_joined", "_starts", "texts")

    def __init__(self, texts: tuple[str, ...]) -> None:
        self.texts = texts
        """The texts, in reading order."""
        self._joined: str | None = None
        self._starts: list[int] = []
        self._by_text: dict[str, list[int]] | None = None

    def __repr__(self) -> str:
        return f"Haystack({self.texts!r})"

    def indexes_of_text(self, text: str) -> list[int]:
        """Indexes of the texts equal to ``text``."""
        if self._by_text is None:
            self._by_text = {}
            for index, each in enumerate(self.texts):
                self._by_text.setdefault(each, []).append(index)
        return self._by_text.get(text, [])

    def occurrences(self, words: str) -> list[tuple[int, int]]:
        """``(index, start)`` of the first occurrences of ``words`` in the texts (one C-speed
        search through all of them at once)."""
        if self._joined is None:
            self._starts, offset = [], 0
            for text in self.texts:
                self._starts.append(offset)
                offset += len(text) + 1
            self._joined = _SEPARATOR.join(self.texts)
        found: list[tuple[int, int]] = []
        at = self._joined.find(words)
        while at >= 0 and len(found) < _MAX_OCCURRENCES:
            index = bisect_right(self._starts, at) - 1
            found.append((index, at - self._starts[index]))
            at = self._joined.find(words, at + 1)
        return found


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``-``end`` widened to whole words of ``text`` and trimmed of blanks."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _context_score(text: str, start: int, end: int, quote: Quote) -> float:
    """How well the text around ``start``-``end`` agrees with the quote's prefix and suffix:
    the weighted sum of both, 0 to ``2 * _CONTEXT_WEIGHT``."""
    from rapidfuzz import fuzz

    score = 0.0
    if quote.prefix:
        before = text[max(0, start - len(quote.prefix)) : start]
        score += _CONTEXT_WEIGHT * fuzz.ratio(quote.prefix, before) / 100
    else:
        score += _CONTEXT_WEIGHT
    if quote.suffix:
        after = text[end : end + len(quote.suffix)]
        score += _CONTEXT_WEIGHT * fuzz.ratio(quote.suffix, after) / 100
    else:
        score += _CONTEXT_WEIGHT
    return score


def _position_score(index: int, start: int, hint: int | None, quote: Quote, count: int) -> float:
    if hint is None:
        return _POSITION_WEIGHT
    if index != hint:
        return _POSITION_WEIGHT * (1 - min(1.0, abs(index - hint) / max(1, count)))
    if quote.start is None:
        return _POSITION_WEIGHT
    return _POSITION_WEIGHT * (1 - min(1.0, abs(start - quote.start) / max(1, 4 * CONTEXT)))


def _score(
    haystack: Haystack,
    index: int,
    span: tuple[int, int],
    similarity: float,
    quote: Quote,
    hint: int | None,
) -> float:
    """A candidate's score, 0 to 1: the words' ``similarity`` (0-1), context and position."""
    start, end = span
    raw = _QUOTE_WEIGHT * similarity + _context_score(haystack.texts[index], start, end, quote)
    raw += _position_score(index, start, hint, quote, len(haystack.texts))
    return raw / _MAX_SCORE


def find_quote(haystack: Haystack, quote: Quote, hint: int | None) -> Found | None:
    """Where ``quote`` is in ``haystack`` now, ``hint`` being the index of the text it was in
    (None if that text is gone); None when it is nowhere.

    A whole-text quote is found as a whole text; words are found inside a text and widened to
    whole words when found approximately.
    """
    if not quote.exact or not haystack.texts:
        return None
    if hint is not None and not 0 <= hint < len(haystack.texts):
        hint = None
    if quote.whole:
        return _find_whole(haystack, quote.exact, hint)
    return _find_words(haystack, quote, hint)


def _nearest(indexes: Sequence[int], hint: int | None) -> int:
    return min(indexes, key=lambda index: (abs(index - (hint or 0)), index))


def _find_whole(haystack: Haystack, exact: str, hint: int | None) -> Found | None:
    from rapidfuzz import fuzz, process

    texts = haystack.texts
    same = haystack.indexes_of_text(exact)
    if same:
        index = _nearest(same, hint)
        return Found(index, 0, len(texts[index]), exact=True)
    best: tuple[float, int] | None = None
    if hint is not None:
        ratio = fuzz.ratio(exact, texts[hint], score_cutoff=WHOLE_RATIO)
        if ratio >= 90:  # plainly the same text, edited: no need to look further
            return Found(hint, 0, len(texts[hint]), exact=False)
        if ratio:
            best = (ratio + _POSITION_WEIGHT, hint)
    for _, ratio, index in process.extract(
        exact, texts, scorer=fuzz.ratio, limit=_SHORTLIST, score_cutoff=WHOLE_RATIO
    ):
        closeness = 1 - abs(index - hint) / len(texts) if hint is not None else 1.0
        candidate = (ratio + _POSITION_WEIGHT * closeness, index)
        if best is None or candidate > best:
            best = candidate
    if best is None:
        return None
    index = best[1]
    return Found(index, 0, len(texts[index]), exact=False)


def _find_words(haystack: Haystack, quote: Quote, hint: int | None) -> Found | None:
    texts, exact = haystack.texts, quote.exact
    # Where the hint says, unchanged.
    if hint is not None and quote.start is not None and texts[hint].startswith(exact, quote.start):
        return Found(hint, quote.start, quote.start + len(exact), exact=True)
    # Unchanged, anywhere: in the hinted text whatever the context, elsewhere only with it.
    best: tuple[float, Found] | None = None
    for index, start in haystack.occurrences(exact):
        end = start + len(exact)
        score = _score(haystack, index, (start, end), 1.0, quote, hint)
        if index == hint:
            score += 1.0  # the words are still in their own text: they stay there
        if best is None or score > best[0]:
            best = (score, Found(index, start, end, exact=True))
    if best is not None and best[0] >= ACCEPT:
        if best[1].index != hint and hint is not None:
            # Unchanged words elsewhere, or the same words edited where they were: the better
            # of the two, context and all.
            edited = _aligned(haystack, hint, quote, hint)
            if edited is not None and edited[0] > best[0]:
                return edited[1]
        return best[1]
    return _find_words_approximately(haystack, quote, hint)


def _aligned(
    haystack: Haystack, index: int, quote: Quote, hint: int | None
) -> tuple[float, Found] | None:
    """The words of ``quote`` found approximately in text ``index``, with their score.

    The words and their context are looked for together (a changed word weighs less in the
    longer needle), in a window around the best match; an alignment of the two then says where
    the words begin and end in the text, insertions and all."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    text = haystack.texts[index]
    needle = quote.prefix + quote.exact + quote.suffix
    alignment = fuzz.partial_ratio_alignment(needle, text, score_cutoff=PARTIAL_RATIO)
    if alignment is None:
        return None
    slack = len(quote.exact) // 2 + 8
    low = max(0, alignment.dest_start - slack)
    high = min(len(text), alignment.dest_end + slack)
    steps = Levenshtein.opcodes(needle, text[low:high])
    first = len(quote.prefix)
    start = low + min(_mapped(steps, first))
    end = low + max(_mapped(steps, first + len(quote.exact)))
    start, end = snap_to_words(text, start, end)
    if start >= end:
        return None
    similarity = fuzz.ratio(quote.exact, text[start:end]) / 100
    score = _score(haystack, index, (start, end), similarity, quote, hint)
    return score, Found(index, start, end, exact=False)


def _mapped(steps: Iterable[Opcode], offset: int) -> list[int]:
    """Where ``offset`` of the needle falls in the aligned text: every position an alignment
    step touching it allows (text inserted right there can go either side)."""
    found = []
    for step in steps:
        if not step.src_start <= offset <= step.src_end:
            continue
        if step.tag == "equal":
            found.append(step.dest_start + offset - step.src_start)
        elif step.src_start == step.src_end:  # inserted text
            found += [step.dest_start, step.dest_end]
        else:
            share = (offset - step.src_start) / (step.src_end - step.src_start)
            found.append(step.dest_start + round(share * (step.dest_end - step.dest_start)))
    return found


def _find_words_approximately(haystack: Haystack, quote: Quote, hint: int | None) -> Found | None:
    from rapidfuzz import fuzz, process

    best: tuple[float, Found] | None = None
    if hint is not None:
        best = _aligned(haystack, hint, quote, hint)
        if best is not None and best[0] >= SURE:
            return best[1]
    shortlist = process.extract(
        quote.prefix + quote.exact + quote.suffix,
        haystack.texts,
        scorer=fuzz.partial_ratio,
        limit=_SHORTLIST,
        score_cutoff=PARTIAL_RATIO,
    )
    for _, _, index in shortlist:
        if index == hint:
            continue
        candidate = _aligned(haystack, index, quote, hint)
        if candidate is not None and (best is None or candidate[0] > best[0]):
            best = candidate
    if best is None or best[0] < ACCEPT:
        return None
    return best[1]
