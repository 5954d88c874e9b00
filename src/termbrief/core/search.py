"""Finding things inside one brief, and the text normalisation all searches share.

No Textual here. :func:`find_in_brief` / :func:`highlight_spans` / :func:`find_mentions` match
exactly inside one brief, over its :func:`brief_segments`: the text of each item as the panes
show it (Markdown rendered by :func:`termbrief.core.markdown_text.shown_text`: no markup, link
text without its address), in pane order, built by :mod:`termbrief.core.segments`. A blank in
a query matches any run of blanks, so a phrase the source breaks over two lines is found as the
reader sees it, on one. The library list's filters are in :mod:`termbrief.core.library_filter`;
the ranked search across the library in :mod:`termbrief.core.library_index`; the one-line
previews both show in :mod:`termbrief.core.snippets`.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Final, Generic, NamedTuple, TypeVar, overload

import msgspec

from termbrief.core.anchors import Anchor
from termbrief.core.markdown_text import shown_text
from termbrief.core.model import Actor, Brief
from termbrief.core.sections import PANE_KEYS
from termbrief.core.segments import Segment, build_segments
from termbrief.core.text import strip_controls

_K = TypeVar("_K")
_V = TypeVar("_V")

PANES: Final = PANE_KEYS
"""The panes of the brief screen, in the order search steps through them."""

_SEPARATOR: Final = "\x00"
"""Joins segments and stands for the breaks inside one: a cleaned query never contains it, so
no match spans two segments or two pieces a pane draws apart."""
_BLANKS: Final = re.compile(r"(\s+)")


_COMBINING: Final = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
"""Combining marks (accents) left by NFKD decomposition."""


def clean_query(query: str) -> str:
    """``query`` without control characters (pasted escapes are dropped, not searched for; a
    note must never carry them either): :func:`termbrief.core.text.strip_controls`."""
    return strip_controls(query)


def normalise(text: str) -> str:
    """Case-folded text without accents: ``Zürich`` -> ``zurich``.

    Words are then runs of ``\\w``: ``5,000`` is ``5`` ``000`` in briefs and queries alike.
    """
    text = text.casefold()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Normalised, with hyphens and underscores as spaces: for loose comparisons of labels."""
    return " ".join(normalise(text).replace("-", " ").replace("_", " ").split())


# --------------------------------------------------------------------------- inside one brief


class Match(NamedTuple):
    """One occurrence of a query in a segment: ``segment.text[start:end]``."""

    segment: Segment
    """Where the match is."""
    start: int
    """Offset in ``segment.text`` of its first character."""
    end: int
    """Offset in ``segment.text`` just after its last character."""


class _BriefText(msgspec.Struct, frozen=True):
    segments: list[Segment]
    joined: str
    """The segments' searchable texts joined by separators."""
    lowered: str
    """:attr:`joined` lower-cased when that keeps every offset, else empty: a query without
    a capital is matched there case-sensitively, many times faster than ``re.IGNORECASE``."""
    starts: list[int]
    """Offset of each segment in :attr:`joined`."""
    first_of: dict[str, int]
    """Anchor (and :attr:`Segment.item`) -> index of its first segment."""
    summary_starts: tuple[int, ...]
    """Offset of each summary block (``summary/1``...) in the summary's segment text."""


class IdentityCache(Generic[_K, _V]):
    """``make(key)`` for immutable keys (a brief, a library entry), computed once per object.

    Keyed by ``id()``, each entry holds its key object, so that id cannot be reused while it is
    cached; past ``size`` entries the oldest goes.
    """

    def __init__(self, make: Callable[[_K], _V], size: int) -> None:
        self._make = make
        self._size = size
        self._entries: dict[int, tuple[_K, _V]] = {}

    def __call__(self, key: _K) -> _V:
        entries = self._entries
        cached = entries.get(id(key))
        if cached is not None and cached[0] is key:
            return cached[1]
        value = self._make(key)
        if len(entries) >= self._size:
            del entries[next(iter(entries))]
        entries[id(key)] = (key, value)
        return value


def _searchable(segment: Segment) -> str:
    """The segment's text with its breaks made separators (the offsets stay the same)."""
    text = segment.text
    if not segment.breaks:
        return text
    parts, position = [], 0
    for at in segment.breaks:
        parts.append(text[position:at])
        position = at + 1
    parts.append(text[position:])
    return _SEPARATOR.join(parts)


def _make_brief_text(brief: Brief) -> _BriefText:
    segments = build_segments(brief)
    starts, offset = [], 0
    first_of: dict[str, int] = {}
    for number, segment in enumerate(segments):
        starts.append(offset)
        offset += len(segment.text) + len(_SEPARATOR)
        first_of.setdefault(segment.anchor, number)
        if segment.item:
            first_of.setdefault(segment.item, number)
    joined = _SEPARATOR.join(map(_searchable, segments))
    summary_starts = shown_text(brief.summary).starts
    return _BriefText(segments, joined, _lowered(joined), starts, first_of, summary_starts)


def _lowered(text: str) -> str:
    """``text.lower()`` if every character keeps its offset (not so for ``İ``), else ""."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else ""


_brief_text = IdentityCache(_make_brief_text, 32)


def brief_segments(brief: Brief) -> list[Segment]:
    """Every searchable text of ``brief`` in pane order (summary, figures, actors, ...).

    The summary pane holds the summary then the key points; the brief's title, tags and regions
    are not pane text and are left out. A copy of a cached list: callers may keep it.
    """
    return list(_brief_text(brief).segments)


def smart_case(query: str) -> bool:
    """Whether ``query`` is matched case-sensitively: only when it contains a capital letter."""
    return any(char.isupper() for char in query)


def _phrase(text: str) -> str:
    """A regular expression for ``text`` literally, except that a run of blanks matches any
    run of blanks (a line break in the source reads as a space)."""
    return "".join(
        r"\s+" if number % 2 else re.escape(part) for number, part in enumerate(_BLANKS.split(text))
    )


def _query_pattern(query: str) -> tuple[str, bool] | None:
    """The regular expression of ``query``, and whether it is to be matched in lower-cased text:
    a query without a capital matches any case (smart case)."""
    query = clean_query(query)
    if not query.strip():
        return None
    if smart_case(query):
        return _phrase(query), False
    return _phrase(query.lower()), True


def _search(
    pattern: str, lower: bool, text: str, lowered: str | None = None
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` in ``text`` (in its lower case if ``lower``; ``lowered`` if
    already made). Text whose lower case moves offsets is matched with ``re.IGNORECASE``."""
    if not lower:
        return re.finditer(pattern, text)
    if lowered is None:
        lowered = _lowered(text)
    if lowered:
        return re.finditer(pattern, lowered)
    return re.finditer(pattern, text, re.IGNORECASE)


class Matches(Sequence[Match]):
    """The matches of one query in one brief, in pane order (see :func:`find_matches`).

    Only their offsets are kept; each :class:`Match` is made when it is read, so a one-letter
    query in a huge brief (a hundred thousand matches) costs little more than the scan.
    """

    def __init__(self, text: _BriefText, starts: Sequence[int], ends: Sequence[int]) -> None:
        self._text = text
        self._starts = array("q", starts)
        self._ends = array("q", ends)

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> Match: ...

    @overload
    def __getitem__(self, index: slice) -> list[Match]: ...

    def __getitem__(self, index: int | slice) -> Match | list[Match]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        start, end = self._starts[index], self._ends[index]
        text = self._text
        number = bisect_right(text.starts, start) - 1
        base = text.starts[number]
        return Match(text.segments[number], start - base, end - base)

    def nearest(self, anchor: str, pane: str, *, forward: bool) -> int:
        """Index of the first match at or after (``forward``), or of the last match before,
        the item at ``anchor`` (a pane item's: ``summary/3``, ``key_points/2``, ``sources/1``,
        ``figures/<id>``...), or the start of ``pane`` if the item is not in it; wrapping
        around (0 when there are none)."""
        if not self._starts:
            return 0
        text = self._text
        number, within = text.first_of.get(anchor), 0
        block = _summary_block(anchor)
        if block is not None and block < len(text.summary_starts):
            number, within = text.first_of.get("summary"), text.summary_starts[block]
        if number is None or text.segments[number].pane != pane:
            order = PANES.index(pane) if pane in PANES else 0
            number, within = (
                next(
                    (n for n, s in enumerate(text.segments) if PANES.index(s.pane) >= order),
                    len(text.segments),
                ),
                0,
            )
        offset = text.starts[number] + within if number < len(text.starts) else len(text.joined)
        index = bisect_left(self._starts, offset)
        if forward:
            return index if index < len(self) else 0
        return index - 1 if index else len(self) - 1


def _summary_block(anchor: str) -> int | None:
    """The 0-based block of a summary block's anchor (``summary/3`` -> 2); else None."""
    section, _, number = anchor.partition("/")
    if section != "summary" or not number.isdigit() or not int(number):
        return None
    return int(number) - 1


def find_matches(brief: Brief, query: str) -> Matches:
    """Every occurrence of ``query`` in ``brief``, as :func:`find_in_brief` finds them, kept as
    offsets (find in the brief, where one letter may match everywhere)."""
    text = _brief_text(brief)
    compiled = _query_pattern(query)
    if compiled is None:
        return Matches(text, (), ())
    starts, ends = [], []
    for hit in _search(*compiled, text.joined, text.lowered):
        starts.append(hit.start())
        ends.append(hit.end())
    return Matches(text, starts, ends)


def find_in_brief(brief: Brief, query: str) -> list[Match]:
    """Every occurrence of ``query`` in the text ``brief`` shows: plain substring, smart case
    (a query without capitals matches any case), blanks matching any blanks, in pane order.

    An empty or blank query finds nothing. One regular expression runs over all segments joined,
    so even a brief with 10,000 figures answers in milliseconds.
    """
    return list(find_matches(brief, query))


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every occurrence of ``query`` in ``text`` (one piece a pane draws),
    by the rules of :func:`find_in_brief`."""
    compiled = _query_pattern(query)
    if compiled is None:
        return []
    return [hit.span() for hit in _search(*compiled, text)]


def _matches(brief: Brief, pattern: re.Pattern[str], skip_anchor: str = "") -> list[Match]:
    text = _brief_text(brief)
    found = []
    for hit in pattern.finditer(text.joined):
        index = bisect_right(text.starts, hit.start()) - 1
        segment = text.segments[index]
        if segment.anchor == skip_anchor:
            continue
        base = text.starts[index]
        found.append(Match(segment, hit.start() - base, hit.end() - base))
    return found


def find_mentions(brief: Brief, actor: Actor) -> list[Match]:
    """Where ``brief`` names ``actor`` (name or alias) as a whole word, ignoring case.

    The actor's own entry in the actors pane is left out.
    """
    names = sorted({n for n in actor.names if n.strip()}, key=len, reverse=True)
    if not names:
        return []
    alternatives = "|".join(_phrase(name) for name in names)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return _matches(brief, pattern, skip_anchor=str(Anchor.actor(actor.id)))
