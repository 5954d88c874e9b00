"""The sections of a brief and the panes that show them: the one table everything reads.

Panes and their number keys, the pane bar, the palette's pane commands, in-brief search's pane
order, note anchors and their labels, the notes panel's order and library search's wording all
come from :data:`SECTIONS`. Key points have no pane of their own: they live in the summary pane.

No Textual, no Rich.
"""

from __future__ import annotations

from typing import Final, Literal

import msgspec

__all__ = [
    "PANES",
    "PANE_KEYS",
    "SECTIONS",
    "SECTION_KEYS",
    "ItemKey",
    "PaneKind",
    "Section",
    "pane_of",
    "section",
]

PaneKind = Literal["list", "table"]
"""How a pane shows its section: a list of items, or a sortable table of records."""
ItemKey = Literal["id", "number"]
"""How an anchor names one item of a section: by the item's id, or by its position in the brief
on screen (``summary/3``); notes find positional items again by their words."""


class Section(msgspec.Struct, frozen=True):
    """One section of a brief, and the pane that shows it."""

    key: str
    """The section's name in briefs, note anchors and pane ids: ``key_points``."""
    title: str
    """What the reader sees: the pane's title, and the label of a note on the whole section."""
    noun: str
    """One item of the section in running text: ``figure``, ``key point``."""
    pane: str
    """Key of the section whose pane shows this one (its own key, but ``summary`` for key
    points)."""
    number: int
    """The number key of that pane (``1`` for the summary and the key points)."""
    kind: PaneKind
    """How that pane shows it."""
    items: ItemKey | None
    """How an anchor names one item (``figures/<id>``, ``timeline/<n>``); None when notes attach
    only to the whole section."""

    @property
    def has_pane(self) -> bool:
        """Whether the section has a pane of its own (every section but the key points)."""
        return self.pane == self.key

    def item_label(self) -> str:
        """How labels name one item of the section: ``Figure``, ``Timeline``."""
        return self.noun[:1].upper() + self.noun[1:]


SECTIONS: Final[tuple[Section, ...]] = (
    Section("summary", "Summary", "summary", "summary", 1, "list", "number"),
    Section("key_points", "Key points", "key point", "summary", 1, "list", "number"),
    Section("figures", "Key figures", "figure", "figures", 2, "table", "id"),
    Section("actors", "Actors", "actor", "actors", 3, "table", "id"),
    Section("commentary", "Commentary", "commentary", "commentary", 4, "list", "id"),
    Section("timeline", "Timeline", "timeline", "timeline", 5, "list", "number"),
    Section("sources", "Sources", "source", "sources", 6, "list", "number"),
)
"""Every section, in reading order (the order of the format and of the notes panel)."""

SECTION_KEYS: Final[tuple[str, ...]] = tuple(s.key for s in SECTIONS)
"""The keys of :data:`SECTIONS`, in reading order."""

PANES: Final[tuple[Section, ...]] = tuple(
    sorted((s for s in SECTIONS if s.has_pane), key=lambda s: s.number)
)
"""The sections with a pane of their own, in number-key order: key 1 is the summary."""

PANE_KEYS: Final[tuple[str, ...]] = tuple(s.key for s in PANES)
"""The keys of :data:`PANES`, in number-key order (the order search steps through)."""

_BY_KEY: Final = {s.key: s for s in SECTIONS}


def section(key: str) -> Section:
    """The section called ``key``.

    Raises:
        KeyError: no section has that key.
    """
    return _BY_KEY[key]


def pane_of(key: str) -> Section:
    """The section whose pane shows section ``key``: itself, or the summary for key points.

    Raises:
        KeyError: no section has that key.
    """
    return _BY_KEY[_BY_KEY[key].pane]
