"""What the reader has not read, by brief id: the library's ``is:unread`` and ``is:changed``
filters and badges (:mod:`termbrief.core.library_filter`), kept apart from the filter so that
the reader's start-up need not load find's text machinery."""

from __future__ import annotations

import msgspec

__all__ = ["ReadingSets"]


class ReadingSets(msgspec.Struct, frozen=True):
    """What the reader has not read, by brief id (for ``is:unread`` and ``is:changed``)."""

    unread: frozenset[str] = frozenset()
    """Ids of the briefs never read."""
    changed: frozenset[str] = frozenset()
    """Ids of the briefs changed since they were last read."""
