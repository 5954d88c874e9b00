"""Places in a brief that notes attach to (:class:`Anchor`), and the text of each place.

An anchor is a section (``summary``, ``key_points``, ``figures``, ``actors``, ``commentary``,
``timeline``, ``sources``: see :mod:`termbrief.core.sections`); an item by its id
(``figures/<id>``, ``actors/<id>``, ``commentary/<id>``); an item by its position in the brief on
screen, counting from 1 (``summary/3`` the third block of the summary, ``key_points/2``,
``timeline/5``, ``sources/1``); or a block of a commentary entry (``commentary/<id>/2``).
:meth:`Anchor.parse` reads that string and ``str(anchor)`` gives it back; only canonical strings
parse, so each place has exactly one. Notes keep the anchor they were written on as a hint, with
the words they quote: :mod:`termbrief.core.annotation` finds them again when the brief changes.

The text of a place (:meth:`Anchor.content`) is what the reader sees, Markdown rendered without
its markup: :func:`shown_blocks` is the one place this module reads Markdown as text.

No Textual, no Rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Final

import msgspec

from termbrief.core.markdown_text import shown_text
from termbrief.core.model import ID_PATTERN, Actor, Brief, Commentary, Figure, TimelineEvent
from termbrief.core.sections import SECTIONS, Section, section
from termbrief.core.text import clean, escaped, shorten, strip_controls

if TYPE_CHECKING:  # quote_match imports rapidfuzz: not on the start-up path
    from termbrief.core.quote_match import Haystack

__all__ = [
    "Anchor",
    "BriefTexts",
    "brief_texts",
    "entry_line",
    "event_line",
    "kind_of",
    "labelled_anchors",
    "make_quote",
    "shown_blocks",
]

QUOTE_LIMIT: Final = 160
"""Longest quote shown on one line."""
LABEL_LIMIT: Final = 60
"""Longest item name in a label."""

_ID_MATCH: Final = re.compile(ID_PATTERN).fullmatch
_NUMBER_MATCH: Final = re.compile(r"[1-9][0-9]*").fullmatch  # canonical: no sign, no leading 0
_SECTIONS: Final = {owner.key: owner for owner in SECTIONS}


def make_quote(content: str, limit: int = QUOTE_LIMIT) -> str:
    """A one-line quote of ``content``: controls dropped, blanks collapsed, cut at a word."""
    return shorten(strip_controls(content), limit)


@lru_cache(maxsize=512)
def shown_blocks(markdown: str) -> tuple[str, ...]:
    """The text the reader sees of each block (paragraph, list...) of a Markdown field: what
    notes quote, and what re-anchoring searches. Cached by value."""
    return tuple(clean(block.text) for block in shown_text(markdown).blocks)


# --------------------------------------------------------------------------- places


def _number_problem(text: str) -> str | None:
    return None if _NUMBER_MATCH(text) else f"`{escaped(text)[:80]}` is not a number (1, 2, ...)"


class Anchor(msgspec.Struct, frozen=True):
    """A place in a brief: a section, an item, or a block of a commentary entry; always valid
    (construction checks it)."""

    section: str
    """The section's key (``figures``)."""
    item: str | None = None
    """The item: its id, or its position counting from 1 (``"3"``) in sections whose items have
    no id; None for the whole section."""
    block: int | None = None
    """For a commentary entry, one block of its body, counting from 1; None for the whole
    entry."""

    def __post_init__(self) -> None:
        owner = _SECTIONS.get(self.section)
        if owner is None:
            raise ValueError(f"`{escaped(self.section)[:80]}` is not a section of a brief")
        item = self.item
        # Tables build an anchor per row: the usual case (a valid id) costs one regex match.
        if item is not None and not (owner.items == "id" and _ID_MATCH(item)):
            if owner.items == "id":
                raise ValueError(f"`{escaped(item)[:80]}` is not an id")
            problem = _number_problem(item)
            if problem is not None:
                raise ValueError(problem)
        if self.block is not None and (
            self.section != "commentary" or item is None or self.block < 1
        ):
            raise ValueError("only a commentary entry has blocks, counted from 1")

    # ---------------------------------------------------------------- making anchors

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """The anchor a stored string names.

        Raises:
            ValueError: ``text`` is not a valid anchor (the message says why).
        """
        parts = text.split("/")
        try:
            if len(parts) > 3 or (len(parts) == 3 and parts[0] != "commentary"):
                raise ValueError("too many parts")
            block = None
            if len(parts) == 3:
                problem = _number_problem(parts[2])
                if problem is not None:
                    raise ValueError(problem)
                block = int(parts[2])
            return cls(parts[0], parts[1] if len(parts) > 1 else None, block)
        except ValueError as error:
            raise ValueError(f"`{escaped(text)[:80]}` is not a valid anchor: {error}") from None

    @classmethod
    def is_valid(cls, text: str) -> bool:
        """Whether ``text`` names a place in a brief that notes can attach to."""
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
    def commentary(cls, entry_id: str, block_index: int | None = None) -> Anchor:
        """The commentary entry with this id, or its block ``block_index`` (0-based); the whole
        section for an empty id."""
        if not entry_id:
            return cls("commentary")
        return cls("commentary", entry_id, None if block_index is None else block_index + 1)

    @classmethod
    def numbered(cls, name: str, index: int) -> Anchor:
        """Item ``index`` (0-based) of a section whose items have no id: ``summary`` (its
        blocks), ``key_points``, ``timeline``, ``sources``.

        Raises:
            ValueError: ``index`` is negative, or the section names items by id.
        """
        if index < 0:
            raise ValueError(f"no item has index {index}")
        return cls(name, str(index + 1))

    @classmethod
    def event(cls, index: int) -> Anchor:
        """The timeline event ``brief.timeline[index]`` (a 0-based index; anchors count from 1)."""
        return cls.numbered("timeline", index)

    # ---------------------------------------------------------------- what it names

    def __str__(self) -> str:
        """The stored form: ``figures/<id>``, ``timeline/3``, ``commentary/<id>/2``, ``summary``."""
        if self.item is None:
            return self.section
        text = self.section + "/" + self.item
        return text if self.block is None else f"{text}/{self.block}"

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
    def entry(self) -> Anchor:
        """For a block of a commentary entry, the whole entry; else the anchor itself."""
        return self if self.block is None else Anchor(self.section, self.item)

    @property
    def index(self) -> int | None:
        """For an item named by its position, its 0-based index; else None."""
        if self.item is None or self.of_section.items != "number":
            return None
        return int(self.item) - 1

    @property
    def event_index(self) -> int | None:
        """For a timeline event, its 0-based index in ``brief.timeline``; else None."""
        return self.index if self.section == "timeline" else None

    # ---------------------------------------------------------------- against a brief

    def content(self, brief: Brief) -> str | None:
        """The text of what the anchor names in ``brief`` as the reader sees it; None if it is
        gone. A section's text is its items' texts, one after the other."""
        if self.item is not None:
            return brief_texts(brief).text_of(self)
        places = brief_texts(brief).passages(self.section)
        return "\n\n".join(text for _, text in places)

    def quote(self, brief: Brief) -> str:
        """A one-line quote of what the anchor names, as the reader sees it (empty if it is
        gone), to show: a commentary entry with its byline."""
        content = self.content(brief)
        if content is None:
            return ""
        if self.section == "commentary" and self.item is not None and self.block is None:
            entry = brief.commentary_entry(self.item)
            if entry is not None:
                content = entry_line(entry, content)
        return make_quote(content)

    def label(self, brief: Brief) -> str:
        """A short human name: ``Figure: Foreign officers China plans to train``.

        An item that is gone says ``(no longer in the brief)``.
        """
        owner = self.of_section
        if self.item is None:
            return owner.title
        text = brief_texts(brief).text_of(self)
        if text is None:
            return f"{owner.item_label()}: {str(self).partition('/')[2]} (no longer in the brief)"
        name = _item_name(brief, self)
        if name is None:
            name = text
        elif self.block is not None:
            name = f"{make_quote(name, LABEL_LIMIT)} ¶{self.block}"
        return f"{owner.item_label()}: {make_quote(name, LABEL_LIMIT)}"


# --------------------------------------------------------------------------- the text of items


def _figure_line(figure: Figure) -> str:
    # The figure as its table row reads: what a note on it quotes.
    period = f" ({figure.period})" if figure.period else ""
    return f"{figure.label}: {figure.value_text()}{period}"


def _actor_line(actor: Actor) -> str:
    details = ", ".join(part for part in (actor.role, actor.affiliation) if part)
    return f"{actor.name} — {details}" if details else actor.name


def entry_line(entry: Commentary, body: str) -> str:
    """A commentary entry on one line: its byline and heading, then ``body``."""
    who = f"{entry.author} ({entry.affiliation})" if entry.affiliation else entry.author
    heading = f"{entry.heading}. " if entry.heading else ""
    return f"{who}: {heading}{body}"


def event_line(event: TimelineEvent) -> str:
    """A timeline event on one line, with its date (its label's text)."""
    return f"{event.date}: {event.event}"


def _item_name(brief: Brief, anchor: Anchor) -> str | None:
    """The name of an item with an id or a date, for its label; None: label it by its text."""
    if anchor.section == "figures":
        figure = brief.figure(anchor.item or "")
        return figure.label if figure else None
    if anchor.section == "actors":
        actor = brief.actor(anchor.item or "")
        return actor.name if actor else None
    if anchor.section == "commentary":
        entry = brief.commentary_entry(anchor.item or "")
        return (entry.heading or entry.author) if entry else None
    if anchor.section == "timeline" and anchor.index is not None:
        return event_line(brief.timeline[anchor.index])
    return None


def kind_of(anchor: Anchor) -> str:
    """The places where re-anchoring looks for the words of a note on ``anchor``: every item of
    its section for items named by position (``timeline``); the item itself for an item named
    by its id (``figures/<id>``: the id is the item's name, whatever its words); the blocks of
    its entry for a block of a commentary entry (``commentary/<id>/blocks``)."""
    if anchor.item is None or anchor.of_section.items == "number":
        return anchor.section
    if anchor.block is None:
        return f"{anchor.section}/{anchor.item}"
    return f"{anchor.section}/{anchor.item}/blocks"


class BriefTexts:
    """The text of every place of one brief, by kind: a section's items (``figures``), or a
    kind of :func:`kind_of`. Each kind is built on first use, then kept with what re-anchoring
    derives from it."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self._kinds: dict[str, tuple[tuple[Anchor, str], ...]] = {}
        self._by_anchor: dict[str, dict[Anchor, int]] = {}
        self.haystacks: dict[str, Haystack] = {}
        """Search structures over the texts, by name (:mod:`termbrief.core.annotation`)."""

    def passages(self, kind: str) -> tuple[tuple[Anchor, str], ...]:
        """``(anchor, text)`` of every place of ``kind``, in reading order."""
        found = self._kinds.get(kind)
        if found is None:
            found = self._kinds[kind] = tuple(_build(self, kind))
        return found

    def position(self, anchor: Anchor) -> int | None:
        """Index of ``anchor`` among the places of its kind; None if the brief has no such place."""
        kind = kind_of(anchor)
        table = self._by_anchor.get(kind)
        if table is None:
            table = self._by_anchor[kind] = {a: n for n, (a, _) in enumerate(self.passages(kind))}
        return table.get(anchor)

    def text_of(self, anchor: Anchor) -> str | None:
        """The text of ``anchor``'s place; None if the brief has no such place."""
        position = self.position(anchor)
        return None if position is None else self.passages(kind_of(anchor))[position][1]


def _build(texts: BriefTexts, kind: str) -> Iterable[tuple[Anchor, str]]:
    brief = texts.brief
    name, _, rest = kind.partition("/")
    if rest.endswith("/blocks"):
        entry = brief.commentary_entry(rest.removesuffix("/blocks"))
        if entry is not None:
            for n, text in enumerate(shown_blocks(entry.body)):
                yield Anchor.commentary(entry.id, n), text
    elif rest:  # one item, by its id
        yield from (passage for passage in texts.passages(name) if passage[0].item == rest)
    elif name == "summary":
        for n, text in enumerate(shown_blocks(brief.summary)):
            yield Anchor.numbered(name, n), text
    elif name == "key_points":
        for n, point in enumerate(brief.key_points):
            yield Anchor.numbered(name, n), clean(point)
    elif name == "timeline":
        for n, event in enumerate(brief.timeline):
            yield Anchor.numbered(name, n), clean(event.event)
    elif name == "sources":
        for n, source in enumerate(brief.sources):
            yield Anchor.numbered(name, n), clean(source.title)
    elif name == "figures":
        yield from ((Anchor(name, f.id), clean(_figure_line(f))) for f in brief.figures if f.id)
    elif name == "actors":
        yield from ((Anchor(name, a.id), clean(_actor_line(a))) for a in brief.actors if a.id)
    else:
        for entry in brief.commentary:
            if entry.id:
                yield Anchor("commentary", entry.id), "\n\n".join(shown_blocks(entry.body))


_LAST: list[BriefTexts] = []


def brief_texts(brief: Brief) -> BriefTexts:
    """The texts of ``brief``, kept for the last few briefs asked about (a screen asks the
    same brief again and again; hashing a whole brief would cost more than a lookup by
    identity)."""
    for cached in _LAST:
        if cached.brief is brief:
            return cached
    made = BriefTexts(brief)
    _LAST.insert(0, made)
    del _LAST[4:]
    return made


def labelled_anchors(brief: Brief) -> list[tuple[Anchor, str]]:
    """Every anchor of ``brief`` with its label, in reading order: each section, then its items
    (then, for a commentary entry of several blocks, each block).

    Items whose id is empty are left out (a note on one goes to the section).
    """
    texts = brief_texts(brief)
    result: list[tuple[Anchor, str]] = []
    for owner in SECTIONS:
        result.append((Anchor(owner.key), owner.title))
        for anchor, _ in texts.passages(owner.key):
            result.append((anchor, anchor.label(brief)))
            if owner.key == "commentary":
                blocks = [block for block, _ in texts.passages(f"{anchor}/blocks")]
                if len(blocks) > 1:
                    result += [(block, block.label(brief)) for block in blocks]
    return result
