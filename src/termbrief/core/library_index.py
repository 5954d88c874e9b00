"""Ranked fuzzy search across a library: every brief's fields and the user's notes.

What is indexed, and what the snippets show, is the text the reader sees: the brief's
:func:`~termbrief.core.segments.build_segments` (Markdown rendered, link addresses left out) and
the notes rendered likewise, so the library search and find in the brief agree.

No Textual here. :class:`LibraryIndex` keeps an inverted index of normalised words, so a query
costs a fuzzy match against the vocabulary (rapidfuzz) plus dictionary work on the briefs that
contain the matched words, instead of a fuzzy comparison with every field of every brief.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Final

import msgspec

from termbrief.core.anchors import Anchor
from termbrief.core.library_filter import LibraryFilter, entry_matches, make_keys, parse_filter
from termbrief.core.markdown_text import shown_text
from termbrief.core.search import clean_query, fold, normalise
from termbrief.core.segments import build_segments
from termbrief.core.snippets import clip

if TYPE_CHECKING:
    from termbrief.core.library import Entry

# Relative weight of a match by field: a title hit outranks the same word in a paragraph.
_TITLE_WEIGHT: Final = 1.5
_WEIGHTS: Final = {
    "name": 1.35,
    "label": 1.35,
    "aliases": 1.3,
    "tags": 1.3,
    "regions": 1.3,
    "heading": 1.2,
    "note": 1.2,
    "subtitle": 1.15,
    "key_point": 1.15,
    "role": 1.1,
}
_WORD: Final = re.compile(r"\w+")
_SPLIT_SUMMARY: Final = 6000
_MAX_TOKENS: Final = 12  # a pasted paragraph must not cost seconds
_PREFIX_LIMIT: Final = 48
_FUZZY_LIMIT: Final = 12
_SNIPPET_BEFORE: Final = 30
_SNIPPET_WIDTH: Final = 110


class Hit(msgspec.Struct, frozen=True):
    """One ranked result of a library search."""

    entry: Entry
    """The brief's library entry."""
    anchor: str
    """Where in the brief the match is (notes-style anchor, ``summary`` for the title)."""
    field: str
    """Which field matched: ``title``, ``summary``, ``label``, ``note``..."""
    snippet: str
    """One line of the matched text around the match (control characters removed)."""
    score: float
    """Higher is better; only meaningful to compare hits of one query."""
    spans: tuple[tuple[int, int], ...] = ()
    """``(start, end)`` of the matched words in ``snippet``, for highlighting."""


class _Corpus(msgspec.Struct):
    """An inverted index: normalised word -> ids of the documents (fields) containing it."""

    entry_of: array[int] = msgspec.field(default_factory=lambda: array("i"))
    weight_of: array[float] = msgspec.field(default_factory=lambda: array("d"))
    # One slot per document in three lists rather than a tuple each: much less memory for a
    # large library.
    anchors: list[str] = msgspec.field(default_factory=list)
    fields: list[str] = msgspec.field(default_factory=list)
    texts: list[str] = msgspec.field(default_factory=list)
    postings: defaultdict[str, array[int]] = msgspec.field(
        default_factory=lambda: defaultdict(lambda: array("i"))
    )
    sorted_words: list[str] = msgspec.field(default_factory=list)
    by_length: dict[int, list[str]] = msgspec.field(default_factory=dict)

    def add(self, entry: int, anchor: str, field_name: str, text: str | None) -> None:
        if not text:
            return
        doc = len(self.texts)
        self.anchors.append(anchor)
        self.fields.append(field_name)
        self.texts.append(text)
        self.entry_of.append(entry)
        # Shorter fields win ties: the same word means more in a label than in a long paragraph.
        # The brief's title is the only "title" that counts as one (sources have titles too).
        weight = _TITLE_WEIGHT if (anchor, field_name) == ("summary", "title") else 1.0
        weight = _WEIGHTS.get(field_name, weight)
        self.weight_of.append(weight * (1.0 - min(len(text), 3000) / 30000))
        postings = self.postings
        for word in set(_WORD.findall(normalise(text))):
            postings[word].append(doc)

    def finish(self) -> None:
        self.postings.default_factory = None  # from now on a missing word must not be added
        self.sorted_words = sorted(self.postings)
        for word in self.sorted_words:
            self.by_length.setdefault(len(word), []).append(word)

    def expand(self, token: str) -> dict[str, float]:
        """Vocabulary words that ``token`` may mean, with a similarity in (0, 1]."""
        found: dict[str, float] = {}
        size = len(token)
        if size >= 2:
            low = bisect_left(self.sorted_words, token)
            high = bisect_right(self.sorted_words, token + "\uffff", lo=low)
            prefixed = self.sorted_words[low:high]
            if len(prefixed) > _PREFIX_LIMIT:
                # Keep the commonest completions: rarer ones barely change the ranking.
                prefixed = heapq.nlargest(
                    _PREFIX_LIMIT, prefixed, key=lambda w: len(self.postings[w])
                )
            for word in prefixed:
                found[word] = 0.75 + 0.2 * size / len(word)
        if size >= 4:
            from rapidfuzz import fuzz, process  # slow to import: kept off the start-up path

            cutoff = 80 if size >= 6 else 85
            for length in range(size - 2, size + 3):
                choices = self.by_length.get(length)
                if not choices:
                    continue
                for word, score, _ in process.extract(
                    token, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=_FUZZY_LIMIT
                ):
                    found[word] = max(found.get(word, 0.0), 0.7 * score / 100)
        if token in self.postings:
            found[token] = 1.0
        return found

    def _similarities(self, words: Mapping[str, float]) -> dict[int, float]:
        """Document -> similarity of the best of ``words`` it holds."""
        best: dict[int, float] = {}
        # Ascending similarity, so the best word for a document is written last.
        for word, similarity in sorted(words.items(), key=lambda kv: kv[1]):
            best.update(dict.fromkeys(self.postings[word], similarity))
        return best

    def _size(self, words: Mapping[str, float]) -> int:
        return sum(len(self.postings[word]) for word in words)

    def score(
        self, expansions: Sequence[Mapping[str, float]], allowed: AbstractSet[int] | None
    ) -> dict[int, float]:
        """Documents holding a word of every expansion (else of any), scored by similarity.

        ``expansions`` has one :meth:`expand` result per query word.
        """
        if not expansions or not all(expansions):
            return self._score_any(expansions, allowed)
        # Start from the rarest query word; the others only narrow that set down, with set
        # operations over the postings arrays (in C) instead of a dictionary entry per posting.
        ordered = sorted(expansions, key=self._size)
        scores = self._similarities(ordered[0])
        candidates = set(scores)
        if allowed is not None:
            entry_of = self.entry_of
            candidates = {doc for doc in candidates if entry_of[doc] in allowed}
        for words in ordered[1:]:
            remaining = set(candidates)
            for word, similarity in sorted(words.items(), key=lambda kv: -kv[1]):
                found = remaining.intersection(self.postings[word])
                for doc in found:
                    scores[doc] += similarity
                remaining -= found
                if not remaining:
                    break
            candidates -= remaining
            if not candidates:
                return self._score_any(expansions, allowed)
        count, weight = len(expansions), self.weight_of
        return {doc: weight[doc] * scores[doc] / count for doc in candidates}

    def _score_any(
        self, expansions: Sequence[Mapping[str, float]], allowed: AbstractSet[int] | None
    ) -> dict[int, float]:
        """No document holds every word: rank those holding some by how many and how well."""
        per_token = [self._similarities(words) for words in expansions if words]
        candidates: set[int] = set().union(*per_token)
        if allowed is not None:
            entry_of = self.entry_of
            candidates = {doc for doc in candidates if entry_of[doc] in allowed}
        count, weight = len(expansions), self.weight_of
        return {
            doc: weight[doc] * sum(d.get(doc, 0.0) for d in per_token) / count for doc in candidates
        }


def _word_spans(line: str, words: AbstractSet[str], start: int = 0) -> Iterator[tuple[int, int]]:
    """Spans of the words of ``line`` (from ``start``) whose normalised form is in ``words``."""
    if line.isascii():  # lower() keeps offsets for ASCII: one call instead of one per word
        lowered = line.lower()
        for found in _WORD.finditer(lowered, start):
            if found.group() in words:
                yield found.span()
    else:
        for found in _WORD.finditer(line, start):
            if normalise(found.group()) in words:
                yield found.span()


def _snippet(text: str, words: AbstractSet[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line window of ``text`` around the first matched word, cut between words, and the
    matched words' spans in it."""
    line = " ".join(clean_query(text).split())
    first = next(_word_spans(line, words), (0, 0))
    window = clip(line, *first, before=_SNIPPET_BEFORE, width=_SNIPPET_WIDTH)
    kept = []
    for a, b in _word_spans(line, words, window.start):
        if b > window.end:
            break
        kept.append((a + window.shift, b + window.shift))
    return window.text, tuple(kept)


class _Phrase:
    """Recognises the query's words in a row (a phrase bonus) or as the whole field."""

    def __init__(self, tokens: Sequence[str]) -> None:
        words = r"\W+".join(re.escape(t) for t in tokens)
        self.several = len(tokens) > 1
        self.length = sum(map(len, tokens))
        # No look-behind in front: it would stop `re` from scanning for the literal first word.
        self._inside = re.compile(rf"{words}(?!\w)")
        self._whole = re.compile(rf"\W*{words}\W*")

    def bonus(self, text: str) -> float:
        """1 when the field is the query, 0.5 when it holds several query words in a row."""
        if not self.several and len(text) > 4 * self.length + 8:
            return 0.0  # one word: only a field that is just that word gets the bonus
        text = normalise(text)
        if self._whole.fullmatch(text):
            return 1.0
        if self.several:
            for found in self._inside.finditer(text):
                before = text[found.start() - 1 : found.start()]
                if not before or not (before.isalnum() or before == "_"):
                    return 0.5
        return 0.0


class LibraryIndex:
    """Ranked fuzzy search over a library's briefs and the user's notes.

    Build it off the UI thread (about 1 s for 2,000 briefs); a query then takes milliseconds.
    The index is immutable: rebuild it when the library changes, or call :meth:`with_notes` to
    swap in new notes cheaply.
    """

    def __init__(
        self,
        entries: Sequence[Entry],
        notes: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ) -> None:
        """Index ``entries`` and ``notes`` (brief id -> ``[(anchor, note text), ...]``)."""
        self.entries: tuple[Entry, ...] = tuple(entries)
        """The indexed entries, in the order given."""
        self._keys = [make_keys(entry) for entry in self.entries]
        self._corpus = _Corpus()
        for number, entry in enumerate(self.entries):
            self._add_entry(number, entry)
        self._corpus.finish()
        self._names: list[tuple[str, Entry, str]] | None = None
        self._folded_names: list[str] | None = None
        self._notes = self._notes_corpus(notes or {})

    def with_notes(self, notes: Mapping[str, Sequence[tuple[str, str]]]) -> LibraryIndex:
        """The same index with ``notes`` instead of the current notes (briefs are not re-read)."""
        copy = object.__new__(LibraryIndex)
        copy.entries, copy._corpus, copy._names = self.entries, self._corpus, self._names
        copy._keys, copy._folded_names = self._keys, self._folded_names
        copy._notes = copy._notes_corpus(notes)
        return copy

    @property
    def briefs_with_notes(self) -> frozenset[str]:
        """Ids of the indexed briefs that have at least one note."""
        return frozenset(self.entries[n].id for n in set(self._notes.entry_of))

    def _notes_corpus(self, notes: Mapping[str, Sequence[tuple[str, str]]]) -> _Corpus:
        corpus = _Corpus()
        numbers = {entry.id: n for n, entry in enumerate(self.entries)}
        for brief_id, items in notes.items():
            number = numbers.get(brief_id)
            if number is not None:
                for anchor, text in items:
                    corpus.add(number, anchor, "note", shown_text(text).text)
        corpus.finish()
        return corpus

    def _add_entry(self, number: int, entry: Entry) -> None:
        add = self._corpus.add
        add(number, "summary", "title", entry.title)
        add(number, "summary", "tags", ", ".join(entry.tags))
        add(number, "summary", "regions", ", ".join(entry.regions))
        brief = entry.brief
        if brief is None:  # invalid, or a stub not loaded yet: only what the list shows
            return
        add(number, "summary", "subtitle", brief.subtitle)
        segments = build_segments(brief)
        summary = segments[0]
        if len(summary.text) > _SPLIT_SUMMARY:
            # A long summary is indexed by block (paragraph, list...), so that all the words of
            # a query must be near each other; a short one stays whole (copies cost memory).
            for block in shown_text(brief.summary).blocks:
                add(number, "summary", "summary", block.text)
        else:
            add(number, "summary", "summary", summary.text)
        for segment in segments[1:]:
            add(number, segment.anchor, segment.field, segment.text)

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """The best ``limit`` hits for ``query``, best first, at most one per field of an item.

        The query may hold :func:`parse_filter` filters; with filters and no text, every brief
        that passes them is returned (as a title hit), in library order.
        """
        flt = parse_filter(query)
        allowed: set[int] | None = None
        if flt.has_filters:
            structural = LibraryFilter(flt.tags, flt.regions, flt.actors, flt.has_notes)
            notes = self.briefs_with_notes if flt.has_notes else frozenset()
            allowed = {
                n
                for n, (entry, keys) in enumerate(zip(self.entries, self._keys, strict=True))
                if entry_matches(entry, structural, notes, keys)
            }
        tokens = list(dict.fromkeys(_WORD.findall(normalise(flt.text))))[:_MAX_TOKENS]
        if not tokens:
            if allowed is None:
                return []
            return [
                Hit(self.entries[n], "summary", "title", clean_query(self.entries[n].title), 0.0)
                for n in sorted(allowed)[:limit]
            ]
        phrase = _Phrase(tokens)
        ranked: list[tuple[float, _Corpus, int]] = []
        words: set[str] = set()  # every word the query matched, to highlight in snippets
        for corpus in (self._corpus, self._notes):
            expansions = [corpus.expand(token) for token in tokens]
            words.update(*expansions)
            scores = corpus.score(expansions, allowed)
            for doc, score in heapq.nlargest(limit * 4, scores.items(), key=lambda kv: kv[1]):
                ranked.append((score + phrase.bonus(corpus.texts[doc]), corpus, doc))
        ranked.sort(key=lambda item: item[0], reverse=True)
        hits: dict[tuple[int, str, str], Hit] = {}
        for score, corpus, doc in ranked:
            anchor, field_name, text = corpus.anchors[doc], corpus.fields[doc], corpus.texts[doc]
            key = (corpus.entry_of[doc], anchor, field_name)
            if key not in hits:
                snippet, spans = _snippet(text, words)
                hits[key] = Hit(self.entries[key[0]], anchor, field_name, snippet, score, spans)
                if len(hits) >= limit:
                    break
        return list(hits.values())

    def names(self) -> list[tuple[str, Entry, str]]:
        """``(name, entry, anchor)`` of every brief title, figure label and actor name.

        For the command palette; anchors open the brief at the item (``summary`` for a title).
        """
        if self._names is None:
            names: list[tuple[str, Entry, str]] = []
            for entry in self.entries:
                names.append((clean_query(entry.title), entry, "summary"))
                if entry.brief is not None:
                    names += [
                        (f.label, entry, str(Anchor.figure(f.id))) for f in entry.brief.figures
                    ]
                    names += [(a.name, entry, str(Anchor.actor(a.id))) for a in entry.brief.actors]
            self._names = names
        return list(self._names)

    def search_names(self, query: str, limit: int = 20) -> list[tuple[str, Entry, str, float]]:
        """The :meth:`names` that best match ``query`` fuzzily: ``(name, entry, anchor, score)``."""
        query = clean_query(query).strip()
        if not query:
            return []
        names = self.names()
        if self._folded_names is None:
            self._folded_names = [fold(name) for name, _, _ in names]
        from rapidfuzz import fuzz, process

        found = process.extract(
            fold(query), self._folded_names, scorer=fuzz.WRatio, score_cutoff=60, limit=limit
        )
        return [(names[i][0], names[i][1], names[i][2], score) for _, score, i in found]
