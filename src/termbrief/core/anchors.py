"""Where a note is attached in a brief (:class:`Anchor`), and the :class:`Note` record.

An anchor is a section (``summary``, ``key_points``, ``figures``, ``actors``, ``commentary``,
``timeline``, ``sources``: see :mod:`termbrief.core.sections`) or one item in it:
``figures/<id>``, ``actors/<id>``, ``commentary/<id>``, or ``timeline/<n>`` where ``n`` counts
events from 1 in file order. That string is what the notes store and the exports keep:
:meth:`Anchor.parse` reads it and ``str(anchor)`` gives back the very same string, so stored notes
keep working. Only canonical strings parse (no ``timeline/01``, no blank after an id), so each
place in a brief has exactly one string.

Each note keeps a short quote of what it annotated, so the reader can tell when the brief
changed under it (:meth:`Anchor.status`).

No Textual, no Rich.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Final, Literal

import msgspec

from termbrief.core.markdown_text import shown_text
from termbrief.core.model import ID_PATTERN, Actor, Brief, Commentary, Figure, TimelineEvent
from termbrief.core.sections import SECTIONS, Section, section
from termbrief.core.text import escaped, shorten, strip_controls

__all__ = ["Anchor", "Note", "NoteStatus", "labelled_anchors", "make_quote"]

NoteStatus = Literal["ok", "changed", "orphaned"]
"""A note's anchored item is there and unchanged, there but changed, or gone."""

QUOTE_LIMIT: Final = 160
"""Longest quote kept with a note."""
LABEL_LIMIT: Final = 60
"""Longest item name in a label."""

_ID_MATCH: Final = re.compile(ID_PATTERN).fullmatch
_SECTIONS: Final = {owner.key: owner for owner in SECTIONS}


def make_quote(content: str, limit: int = QUOTE_LIMIT) -> str:
    """A one-line quote of ``content``: controls dropped, blanks collapsed, cut at a word."""
    return shorten(strip_controls(content), limit)


def _item_problem(owner: Section, item: str) -> str | None:
    if owner.items is None:
        return f"`{owner.key}` has no items to anchor to"
    if owner.items == "id":
        return None if _ID_MATCH(item) else f"`{escaped(item)[:80]}` is not an id"
    # A canonical number (no sign, no leading zero), so that str(parse(s)) == s.
    if item.isascii() and item.isdigit() and not item.startswith("0"):
        return None
    return f"`{escaped(item)[:80]}` is not an event number (1, 2, ...)"


class Anchor(msgspec.Struct, frozen=True):
    """A section of a brief, or one item in it; always valid (construction checks it)."""

    section: str
    """The section's key (``figures``)."""
    item: str | None = None
    """The item: its id, or for the timeline the event's number counting from 1; None for the
    whole section."""

    def __post_init__(self) -> None:
        owner = _SECTIONS.get(self.section)
        if owner is None:
            raise ValueError(f"`{escaped(self.section)[:80]}` is not a section of a brief")
        item = self.item
        # Tables build an anchor per row: the usual case (a valid id) costs one regex match.
        if item is not None and not (owner.items == "id" and _ID_MATCH(item)):
            problem = _item_problem(owner, item)
            if problem is not None:
                raise ValueError(problem)

    # ---------------------------------------------------------------- making anchors

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """The anchor a stored string names.

        Raises:
            ValueError: ``text`` is not a valid anchor (the message says why).
        """
        name, slash, item = text.partition("/")
        try:
            return cls(name, item if slash else None)
        except ValueError as error:
            raise ValueError(f"`{escaped(text)[:80]}` is not a valid anchor: {error}") from None

    @classmethod
    def is_valid(cls, text: str) -> bool:
        """Whether ``text`` names a section or an item that notes can attach to."""
        try:
            cls.parse(text)
        except ValueError:
            return False
        return True

    # The format lets an author write `id: ""`: such an item cannot be told from its siblings,
    # so a note on it can only go to its section.

    @classmethod
    def figure(cls, figure_id: str) -> Anchor:
        """The figure with this id (the whole section for an item whose id is empty)."""
        return cls("figures", figure_id or None)

    @classmethod
    def actor(cls, actor_id: str) -> Anchor:
        """The actor with this id (the whole section for an item whose id is empty)."""
        return cls("actors", actor_id or None)

    @classmethod
    def commentary(cls, entry_id: str) -> Anchor:
        """The commentary entry with this id (the whole section for an empty id)."""
        return cls("commentary", entry_id or None)

    @classmethod
    def event(cls, index: int) -> Anchor:
        """The timeline event ``brief.timeline[index]`` (a 0-based index; anchors count from 1).

        Raises:
            ValueError: ``index`` is negative.
        """
        if index < 0:
            raise ValueError(f"no timeline event has index {index}")
        return cls("timeline", str(index + 1))

    # ---------------------------------------------------------------- what it names

    def __str__(self) -> str:
        """The stored form: ``figures/<id>``, ``timeline/3``, ``summary``."""
        return self.section if self.item is None else self.section + "/" + self.item

    @property
    def of_section(self) -> Section:
        """The section the anchor is in (its row of :data:`~termbrief.core.sections.SECTIONS`)."""
        return section(self.section)

    @property
    def pane(self) -> str:
        """Key of the pane showing the anchor (``summary`` for the key points)."""
        return self.of_section.pane

    @property
    def whole_section(self) -> Anchor:
        """The anchor of the section this one is in (itself for a section)."""
        return self if self.item is None else Anchor(self.section)

    @property
    def event_index(self) -> int | None:
        """For a timeline event, its 0-based index in ``brief.timeline``; else None."""
        return int(self.item) - 1 if self.section == "timeline" and self.item else None

    # ---------------------------------------------------------------- against a brief

    def content(self, brief: Brief) -> str | None:
        """The current text of what the anchor names in ``brief``; None if it is gone."""
        if self.item is not None:
            found = _find_item(brief, self)
            return None if found is None else _LINES[self.section](found)
        if self.section == "summary":
            return brief.summary
        if self.section == "key_points":
            return "\n".join(brief.key_points)
        if self.section == "sources":
            return "\n".join(source.title for source in brief.sources)
        line = _LINES[self.section]
        return "\n".join(line(item) for item in _items(brief, self.section))

    def quote(self, brief: Brief) -> str:
        """The quote to store with a new note on this anchor (empty if it is gone): its text
        as the reader sees it (Markdown rendered, see :mod:`termbrief.core.markdown_text`),
        on one line, cut at a word."""
        content = self.content(brief)
        if content is None:
            return ""
        if self.section == "summary":
            return make_quote(shown_text(brief.summary).text)
        if self.section == "commentary":  # the bodies are Markdown; the byline and heading not
            entries = brief.commentary if self.item is None else (_find_item(brief, self),)
            lines = (
                _commentary_line(msgspec.structs.replace(entry, body=shown_text(entry.body).text))
                for entry in entries
                if isinstance(entry, Commentary)
            )
            return make_quote("\n".join(lines))
        return make_quote(content)

    def label(self, brief: Brief) -> str:
        """A short human name: ``Figure: Foreign officers China plans to train``.

        An item that is gone says ``(no longer in the brief)``.
        """
        owner = self.of_section
        if self.item is None:
            return owner.title
        found = _find_item(brief, self)
        if found is None:
            return f"{owner.item_label()}: {self.item} (no longer in the brief)"
        return _item_label(owner, found)

    def status(self, brief: Brief, quote: str) -> NoteStatus:
        """``orphaned`` if the item is gone from ``brief``, ``changed`` if its text no longer
        matches ``quote`` (the quote kept with the note), else ``ok``.

        Without a quote there is nothing to compare: ``ok`` while the item exists.
        """
        content = self.content(brief)
        if content is None:
            return "orphaned"
        # Quotes kept before Markdown was rendered in them quote the source.
        kept = make_quote(quote) if quote else ""
        if kept and kept != make_quote(content) and kept != self.quote(brief):
            return "changed"
        return "ok"


_Item = Figure | Actor | Commentary | TimelineEvent


def _figure_line(figure: _Item) -> str:
    assert isinstance(figure, Figure)
    period = f" ({figure.period})" if figure.period else ""
    return f"{figure.label}: {figure.value_text()}{period}"


def _actor_line(actor: _Item) -> str:
    assert isinstance(actor, Actor)
    details = ", ".join(part for part in (actor.role, actor.affiliation) if part)
    return f"{actor.name} — {details}" if details else actor.name


def _commentary_line(entry: _Item) -> str:
    assert isinstance(entry, Commentary)
    who = f"{entry.author} ({entry.affiliation})" if entry.affiliation else entry.author
    heading = f"{entry.heading}. " if entry.heading else ""
    return f"{who}: {heading}{entry.body}"


def _event_line(event: _Item) -> str:
    assert isinstance(event, TimelineEvent)
    return f"{event.date}: {event.event}"


_LINES: Final[dict[str, Callable[[_Item], str]]] = {
    "figures": _figure_line,
    "actors": _actor_line,
    "commentary": _commentary_line,
    "timeline": _event_line,
}
"""The text an item anchor quotes, per section with items."""


def _items(brief: Brief, name: str) -> tuple[_Item, ...]:
    if name == "figures":
        return brief.figures
    if name == "actors":
        return brief.actors
    if name == "commentary":
        return brief.commentary
    return brief.timeline


def _find_item(brief: Brief, anchor: Anchor) -> _Item | None:
    assert anchor.item is not None
    if anchor.section == "timeline":
        index = int(anchor.item) - 1
        return brief.timeline[index] if index < len(brief.timeline) else None
    if anchor.section == "figures":
        return brief.figure(anchor.item)
    if anchor.section == "actors":
        return brief.actor(anchor.item)
    return brief.commentary_entry(anchor.item)


def _item_name(item: _Item) -> str:
    if isinstance(item, Figure):
        return item.label
    if isinstance(item, Actor):
        return item.name
    if isinstance(item, Commentary):
        return item.heading or item.author
    return _event_line(item)


def _item_label(owner: Section, item: _Item) -> str:
    return f"{owner.item_label()}: {make_quote(_item_name(item), LABEL_LIMIT)}"


def _item_anchor(name: str, index: int, item: _Item) -> Anchor | None:
    if isinstance(item, TimelineEvent):
        return Anchor.event(index)
    assert isinstance(item, Figure | Actor | Commentary)
    return Anchor(name, item.id) if item.id else None


def labelled_anchors(brief: Brief) -> list[tuple[Anchor, str]]:
    """Every anchor of ``brief`` with its label, in reading order: each section, then its items.

    Items whose id is empty are left out (a note on one goes to the section).
    """
    result: list[tuple[Anchor, str]] = []
    for owner in SECTIONS:
        result.append((Anchor(owner.key), owner.title))
        if owner.items is None:
            continue
        for index, item in enumerate(_items(brief, owner.key)):
            anchor = _item_anchor(owner.key, index, item)
            if anchor is not None:
                result.append((anchor, _item_label(owner, item)))
    return result


class Note(msgspec.Struct, frozen=True):
    """One note, as stored."""

    id: str
    """Unique id (a UUID in hex); stable across export and import."""
    brief_id: str
    """The id of the brief the note belongs to."""
    anchor: str
    """What the note annotates, as stored: an :class:`Anchor`'s string (see :attr:`target`)."""
    text: str
    """The note itself, Markdown."""
    quote: str
    """A short quote of the anchored content when the note was written (see
    :meth:`Anchor.quote`)."""
    created: datetime
    """When the note was written (UTC)."""
    updated: datetime
    """When the note was last edited or re-attached (UTC)."""

    @property
    def target(self) -> Anchor | None:
        """The :class:`Anchor` the note is attached to; None if the stored string is not one
        (a database edited by hand)."""
        try:
            return Anchor.parse(self.anchor)
        except ValueError:
            return None

    def status(self, brief: Brief) -> NoteStatus:
        """The note against ``brief``: see :meth:`Anchor.status` (``orphaned`` if its anchor is
        not valid)."""
        target = self.target
        return "orphaned" if target is None else target.status(brief, self.quote)

    def label(self, brief: Brief) -> str:
        """What the note is on, for people: :meth:`Anchor.label`; a stored string that is not
        an anchor is shown as written, shortened."""
        target = self.target
        return make_quote(self.anchor, LABEL_LIMIT) if target is None else target.label(brief)
