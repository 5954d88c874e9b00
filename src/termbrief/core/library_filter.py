"""Filters for the library list: ``tag:africa region:pacific actor:wang has:notes`` + free text.

No Textual here. :func:`parse_filter` reads a query, :func:`filter_entries` applies it (it runs on
every keystroke, so each entry's filterable texts are folded once and kept).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from termbrief.core.search import IdentityCache, clean_query, fold

if TYPE_CHECKING:
    from termbrief.core.library import Entry


@dataclass(frozen=True, slots=True)
class LibraryFilter:
    """A parsed library query: structured filters (all must hold) plus free text."""

    tags: tuple[str, ...] = ()
    """Each must be found in one of the brief's tags (case-insensitive, part of a tag is enough)."""
    regions: tuple[str, ...] = ()
    """Each must be found in one of the brief's regions."""
    actors: tuple[str, ...] = ()
    """Each must be found in the name, an alias or the id of one of the brief's actors."""
    has_notes: bool = False
    """Only briefs the user has written notes on."""
    text: str = ""
    """The rest of the query."""

    @property
    def has_filters(self) -> bool:
        """Whether any structured filter (not free text) is set."""
        return bool(self.tags or self.regions or self.actors or self.has_notes)


_FILTER_TOKEN: Final = re.compile(
    r"""(?P<key>[A-Za-z]+):(?:"(?P<quoted>[^"]*)"?|'(?P<single>[^']*)'?|(?P<value>\S*))"""
    r"""|"(?P<phrase>[^"]*)"?|(?P<word>\S+)"""
)
_FILTER_KEYS: Final = {
    "tag": "tags",
    "tags": "tags",
    "region": "regions",
    "regions": "regions",
    "actor": "actors",
    "actors": "actors",
}


def parse_filter(query: str) -> LibraryFilter:
    """Parse ``tag:africa region:pacific actor:wang has:notes free text``.

    Values may be quoted (``tag:"south asia"``); unknown keys are kept as free text, and a key
    without a value yet (``tag:`` while typing) is ignored.
    """
    found: dict[str, list[str]] = {"tags": [], "regions": [], "actors": []}
    has_notes = False
    words: list[str] = []
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
        elif token["phrase"] is not None:
            words.append(token["phrase"].strip())
        else:
            words.append(token.group(0))
    return LibraryFilter(
        tags=tuple(found["tags"]),
        regions=tuple(found["regions"]),
        actors=tuple(found["actors"]),
        has_notes=has_notes,
        text=" ".join(w for w in words if w),
    )


@dataclass(frozen=True, slots=True)
class EntryKeys:
    """An entry's filterable texts, folded once (filtering runs on every keystroke)."""

    tags: tuple[str, ...]
    regions: tuple[str, ...]
    actors: tuple[str, ...]
    meta: str


def make_keys(entry: Entry) -> EntryKeys:
    """``entry``'s filterable texts, folded (uncached: the library index keeps its own)."""
    brief = entry.brief
    actors = [k for a in brief.actors for k in (*a.names, a.id)] if brief else []
    meta = [entry.title, entry.id, entry.path.name, *entry.tags, *entry.regions]
    if brief is not None and brief.subtitle:
        meta.append(brief.subtitle)
    return EntryKeys(
        tuple(map(fold, entry.tags)),
        tuple(map(fold, entry.regions)),
        tuple(map(fold, actors)),
        fold(" ".join(meta)),
    )


_entry_keys = IdentityCache(make_keys, 20_000)
"""Each entry's folded keys, made once (filtering runs on every keystroke)."""


def _all_found(wanted: Sequence[str], haystacks: Sequence[str]) -> bool:
    return all(any(w in h for h in haystacks) for w in map(fold, wanted))


def entry_matches(
    entry: Entry,
    flt: LibraryFilter,
    briefs_with_notes: AbstractSet[str],
    keys: EntryKeys | None = None,
) -> bool:
    """Whether ``entry`` passes every filter of ``flt`` (``keys``: its folded texts, if known)."""
    if flt.has_notes and entry.id not in briefs_with_notes:
        return False
    keys = keys or _entry_keys(entry)
    return (
        _all_found(flt.tags, keys.tags)
        and _all_found(flt.regions, keys.regions)
        and _all_found(flt.actors, keys.actors)
        and _all_found(flt.text.split(), (keys.meta,))
    )


def filter_entries(
    entries: Sequence[Entry], flt: LibraryFilter, briefs_with_notes: AbstractSet[str] = frozenset()
) -> list[Entry]:
    """The entries that pass every filter of ``flt``, in their original order.

    Free text must be found, word by word, in the title, subtitle, id, file name, tags or regions
    (the library list filters on what it shows; :class:`LibraryIndex` searches the content).
    ``briefs_with_notes`` holds the ids of briefs that have notes, for ``has:notes``.
    """
    if not flt.has_filters and not flt.text.strip():
        return list(entries)  # no filter: no folded keys to make (~1.7 KB an entry)
    return [e for e in entries if entry_matches(e, flt, briefs_with_notes)]
