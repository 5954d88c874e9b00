"""Filters for the library list: ``tag:africa region:pacific actor:wang has:notes`` + free text,
and ``is:unread`` / ``is:changed`` (what this reader has not read, or what changed since).

No Textual here. :func:`parse_filter` reads a query, :func:`filter_entries` applies it (it runs on
every keystroke, so each entry's filterable texts are folded once and kept) and
:func:`filter_problem` says what in a query is not a filter it knows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Final

import msgspec

from termbrief.core.reading_sets import ReadingSets
from termbrief.core.search import IdentityCache, clean_query, fold

if TYPE_CHECKING:
    from termbrief.core.library import Entry

KNOWN_FILTERS: Final = "tag:, region:, actor:, has:notes, note-by:, is:"
"""The filters the box knows, as the reader types them (for messages; one line of the
sidebar, so ``is:`` stands for :data:`STATUS_FILTERS`)."""
STATUS_FILTERS: Final = "is:unread, is:changed"
"""The values ``is:`` takes, named when one that is not is typed."""


class LibraryFilter(msgspec.Struct, frozen=True):
    """A parsed library query: structured filters (all must hold) plus free text."""

    tags: tuple[str, ...] = ()
    """Each must be found in one of the brief's tags (case-insensitive, part of a tag is enough)."""
    regions: tuple[str, ...] = ()
    """Each must be found in one of the brief's regions."""
    actors: tuple[str, ...] = ()
    """Each must be found in the name, an alias or the id of one of the brief's actors."""
    has_notes: bool = False
    """Only briefs the user has written notes on."""
    unread: bool = False
    """Only briefs the user has never read (``is:unread``)."""
    changed: bool = False
    """Only briefs changed since the user last read them (``is:changed``)."""
    note_authors: tuple[str, ...] = ()
    """``note-by:alice``: each must be found in the name of an author of one of the brief's notes
    (a colleague's, on a team server)."""
    text: str = ""
    """The rest of the query."""
    unknown: tuple[str, ...] = ()
    """Terms written like a filter that is not one (``foo:bar``, ``has:pdf``), as typed. They
    stay in :attr:`text` (a brief may hold ``foo:bar``); :func:`filter_problem` reports them."""

    @property
    def has_filters(self) -> bool:
        """Whether any structured filter (not free text) is set."""
        return bool(
            self.tags
            or self.regions
            or self.actors
            or self.has_notes
            or self.note_authors
            or self.unread
            or self.changed
        )


class NotedBriefs(frozenset[str]):
    """The ids of the briefs with notes (what ``has:notes`` needs), and who wrote those notes
    (for ``note-by:``)."""

    authors: dict[str, frozenset[str]]
    """Folded author names by brief id."""

    def __new__(cls, authors_by_brief: dict[str, set[str]]) -> NotedBriefs:
        """From ``brief id -> author names`` (as a notes store gives them)."""
        noted = super().__new__(cls, authors_by_brief)
        noted.authors = {b: frozenset(map(fold, names)) for b, names in authors_by_brief.items()}
        return noted


_FILTER_TOKEN: Final = re.compile(
    r"""(?P<key>(?i:note-by)|[A-Za-z]+):(?:"(?P<quoted>[^"]*)"?|'(?P<single>[^']*)'?|(?P<value>\S*))"""
    r"""|"(?P<phrase>[^"]*)"?|(?P<word>\S+)"""
)
_FILTER_KEYS: Final = {
    "tag": "tags",
    "tags": "tags",
    "region": "regions",
    "regions": "regions",
    "actor": "actors",
    "actors": "actors",
    "note-by": "note_authors",
}


def parse_filter(query: str) -> LibraryFilter:
    """Parse ``tag:africa region:pacific actor:wang has:notes free text``.

    Values may be quoted (``tag:"south asia"``); unknown keys are kept as free text (and listed
    in :attr:`LibraryFilter.unknown`, but for web addresses), and a key without a value yet
    (``tag:`` while typing) is ignored.
    """
    found: dict[str, list[str]] = {"tags": [], "regions": [], "actors": [], "note_authors": []}
    has_notes = False
    status: set[str] = set()
    words: list[str] = []
    unknown: list[str] = []
    for token in _FILTER_TOKEN.finditer(clean_query(query)):
        key = (token["key"] or "").lower()
        value = token["quoted"] if token["quoted"] is not None else token["single"]
        value = (value if value is not None else token["value"] or "").strip()
        if key in _FILTER_KEYS:
            if value:
                found[_FILTER_KEYS[key]].append(value)
        elif key == "has" and value.lower() in ("notes", "note"):
            has_notes = True
        elif key == "has" and not value:
            pass
        elif key == "is" and value.lower() in ("unread", "changed"):
            status.add(value.lower())
        elif key == "is" and not value:
            pass
        elif token["phrase"] is not None:
            words.append(token["phrase"].strip())
        else:
            words.append(token.group(0))
            if key and not value.startswith("//"):  # ``https://…`` is an address, not a filter
                unknown.append(token.group(0))
    return LibraryFilter(
        tags=tuple(found["tags"]),
        regions=tuple(found["regions"]),
        actors=tuple(found["actors"]),
        has_notes=has_notes,
        unread="unread" in status,
        changed="changed" in status,
        note_authors=tuple(found["note_authors"]),
        text=" ".join(w for w in words if w),
        unknown=tuple(unknown),
    )


def filter_problem(flt: LibraryFilter) -> str | None:
    """What to tell the reader about ``flt``'s unknown filters (None: nothing), e.g.
    ``unknown filter `foo:`; use tag:, region:, actor:, has:notes``."""
    if not flt.unknown:
        return None
    names = []
    for term in dict.fromkeys(flt.unknown):
        key = term.partition(":")[0]
        # ``has:`` and ``is:`` are known: their value is not. Other keys are named without it.
        names.append(f"`{term}`" if key.lower() in ("has", "is") else f"`{key}:`")
    noun = "filter" if len(names) == 1 else "filters"
    keys = {term.partition(":")[0].lower() for term in flt.unknown}
    known = STATUS_FILTERS if keys == {"is"} else KNOWN_FILTERS
    return f"unknown {noun} {', '.join(dict.fromkeys(names))}; use {known}"


class EntryKeys(msgspec.Struct, frozen=True):
    """An entry's texts for the structured filters, folded once (filtering runs on every
    keystroke; free text has its own, larger, :func:`make_text`)."""

    tags: tuple[str, ...]
    regions: tuple[str, ...]
    actors: tuple[str, ...]


def make_keys(entry: Entry) -> EntryKeys:
    """``entry``'s structured-filter texts, folded (uncached: the library index keeps its
    own)."""
    brief = entry.brief
    actors = [k for a in brief.actors for k in (*a.names, a.id)] if brief else []
    return EntryKeys(
        tuple(map(fold, entry.tags)), tuple(map(fold, entry.regions)), tuple(map(fold, actors))
    )


_entry_keys = IdentityCache(make_keys, 20_000)
"""Each entry's folded keys, made once (filtering runs on every keystroke)."""

# What a reader does not see of Markdown: link targets and the marks around emphasis and code
# (``**Panama Canal**,`` must match ``panama canal,``). A regex, not a parser: it runs over a
# whole library at the first keystroke.
_LINK_TARGET: Final = re.compile(r"\]\([^)]*\)")
_MARKS: Final = re.compile(r"[*`~#>|\[\]\\]")


def visible_words(markdown: str) -> str:
    """``markdown`` roughly as a reader sees it: link targets and emphasis marks dropped."""
    return _MARKS.sub("", _LINK_TARGET.sub("]", markdown))


def make_text(entry: Entry) -> str:
    """The folded text free words are looked for in: the title, subtitle, id, file name, tags,
    regions, the actors' names and aliases, the summary (as shown) and the key points."""
    parts = [entry.title, entry.id, entry.path.name, *entry.tags, *entry.regions]
    brief = entry.brief
    if brief is not None:
        if brief.subtitle:
            parts.append(brief.subtitle)
        parts += [name for actor in brief.actors for name in actor.names]
        parts.append(visible_words(brief.summary))
        parts += brief.key_points
    return fold(" ".join(parts))


_entry_text = IdentityCache(make_text, 20_000)
"""Each entry's folded free text, made the first time free text is typed."""


@functools.lru_cache(maxsize=1024)
def _folded_word(word: str) -> str:
    # Once per word typed, not once per word and entry.
    return fold(word)


def _all_found(wanted: Sequence[str], haystacks: Sequence[str]) -> bool:
    return all(any(w in h for h in haystacks) for w in map(_folded_word, wanted))


def entry_matches(
    entry: Entry,
    flt: LibraryFilter,
    briefs_with_notes: AbstractSet[str],
    keys: EntryKeys | None = None,
    reading: ReadingSets | None = None,
) -> bool:
    """Whether ``entry`` passes every filter of ``flt`` (``keys``: its folded texts, if known;
    ``reading``: what is unread or changed, for ``is:``)."""
    if flt.has_notes and entry.id not in briefs_with_notes:
        return False
    if (flt.unread or flt.changed) and not _status_matches(entry.id, flt, reading):
        return False
    if flt.note_authors:
        by = briefs_with_notes.authors if isinstance(briefs_with_notes, NotedBriefs) else {}
        if not _all_found(flt.note_authors, tuple(by.get(entry.id, ()))):
            return False
    keys = keys or _entry_keys(entry)
    if not (
        _all_found(flt.tags, keys.tags)
        and _all_found(flt.regions, keys.regions)
        and _all_found(flt.actors, keys.actors)
    ):
        return False
    words = flt.text.split()
    return not words or _all_found(words, (_entry_text(entry),))


def _status_matches(brief_id: str, flt: LibraryFilter, reading: ReadingSets | None) -> bool:
    """``is:unread is:changed`` together: either (a brief is never both)."""
    reading = reading or ReadingSets()
    return (flt.unread and brief_id in reading.unread) or (
        flt.changed and brief_id in reading.changed
    )


def filter_entries(
    entries: Sequence[Entry],
    flt: LibraryFilter,
    briefs_with_notes: AbstractSet[str] = frozenset(),
    reading: ReadingSets | None = None,
) -> list[Entry]:
    """The entries that pass every filter of ``flt``, in their original order.

    Free text must be found, word by word, in what :func:`make_text` gathers: the list's own
    details (title, subtitle, id, file name, tags, regions), the actors' names, the summary and
    the key points. ``briefs_with_notes`` holds the ids of briefs that have notes, for
    ``has:notes``; ``reading`` what the reader has not read or has seen change, for ``is:``.
    """
    if not flt.has_filters and not flt.text.strip():
        return list(entries)  # no filter: no folded text to make
    return [e for e in entries if entry_matches(e, flt, briefs_with_notes, reading=reading)]


def changed_first(entries: Sequence[Entry], reading: ReadingSets) -> list[Entry]:
    """``entries`` with the briefs changed since read first, then the unread ones, then the
    rest, each group in its original order."""

    def rank(entry: Entry) -> int:
        if entry.id in reading.changed:
            return 0
        return 1 if entry.id in reading.unread else 2

    return sorted(entries, key=rank)
