"""What changed between two versions of a brief, item by item and field by field.

No Textual, no Rich: the reader's changes view, its banner and ``termbrief diff`` all present
the same :class:`BriefDiff`.

How items are paired:

- **Figures, actors, commentary** have ids and are matched by id (the k-th use of an id with the
  k-th, should a hand-built brief repeat one).
- **Summary paragraphs, key points, timeline events, sources** have no stable id. Identical items
  are paired first, in order; the rest by similarity (rapidfuzz ``fuzz.ratio``, in C, every
  remaining pair scored once, best pairs taken first). Two items below :data:`SIMILARITY` are an
  addition and a removal, not a rewrite. Summary paragraphs are the Markdown's top-level blocks,
  as the summary pane shows them.
- **Moved** items are those outside a longest increasing subsequence of the paired items' new
  positions: the fewest items that must move to turn the old order into the new one (items
  merely shifted by additions or removals have not moved).

How a changed field is described:

- Text is compared as the reader sees it: Markdown fields are rendered to plain text with
  markdown-it (the reader's parser, same preset), then diffed word by word with
  :class:`difflib.SequenceMatcher`. difflib is enough here: only fields already known to differ
  are diffed, they are paragraph-sized, and its longest-block matching gives readable runs; a
  second library would add nothing. A change in markup or link targets alone leaves the words
  equal (:attr:`FieldChange.formatting_only`).
- Numbers (a figure's value, a range of values) come as old -> new with the difference
  (:class:`NumberChange`; a range by its midpoint).
- The format's nested values read as a reader says them, never as JSON
  (:mod:`termbrief.core.diff_words`): a citation is
  ``unctad-2024 p. 4``, a change ``−42 % vs the 2023 peak``, a range ``12–15``, an estimate
  ``about 22 %, by the report, cites unctad-2024``, a relation ``member-of unctad, since 2019``;
  a list of them is diffed item by item with a ``·`` between items (estimates and relations
  word by word), so one added citation shows as one inserted run, and another name for who
  gave an estimate as just that name.
- A key point is its text, its ``cites`` and its ``confidence``: a change to any of them is a
  change of the point (``text``, ``cites`` and ``confidence`` fields).
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Sequence
from typing import Final, Literal, cast

import msgspec

from termbrief.core.anchors import Anchor
from termbrief.core.diff_align import SIMILARITY, moved, pair_by_content, pair_by_id
from termbrief.core.diff_words import (
    FieldValue,
    Quantity,
    field_words,
    is_quantity,
    midpoint,
    number_text,
    quantity_text,
)
from termbrief.core.markdown_text import markdown_blocks
from termbrief.core.model import (
    Actor,
    Brief,
    Commentary,
    Figure,
    KeyPoint,
    Source,
    TimelineEvent,
    ValueRange,
)
from termbrief.core.sections import SECTION_KEYS

__all__ = [
    "SIMILARITY",
    "BriefDiff",
    "ChangeKind",
    "FieldChange",
    "FieldValue",
    "Item",
    "ItemChange",
    "NumberChange",
    "Section",
    "WordRun",
    "diff_briefs",
    "word_diff",
]

Section = Literal[
    "brief", "summary", "key_points", "figures", "actors", "commentary", "timeline", "sources"
]
"""``brief`` is the header (title, date, tags...); the others are :data:`sections.SECTION_KEYS`."""
_ITEM_SECTIONS: Final = cast("tuple[Section, ...]", SECTION_KEYS)
"""The sections table's keys, typed as :data:`Section`."""
ChangeKind = Literal["added", "removed", "changed", "moved"]
Item = str | Figure | Actor | Commentary | TimelineEvent | Source
"""An item of a section: a summary paragraph (its Markdown) or key point is a ``str``."""

_HEADER_FIELDS: Final = ("format", "id", "title", "subtitle", "date", "tags", "regions")
_WITH_IDS: Final = frozenset({"figures", "actors", "commentary"})
_MARKDOWN_FIELDS: Final[dict[type, frozenset[str]]] = {
    Figure: frozenset({"context"}),
    Actor: frozenset({"description"}),
    Commentary: frozenset({"body"}),
    Source: frozenset({"note"}),
    TimelineEvent: frozenset(),
}
_NOUNS: Final = {
    "summary": ("paragraph", "paragraphs"),
    "key_points": ("key point", "key points"),
    "figures": ("figure", "figures"),
    "actors": ("actor", "actors"),
    "commentary": ("commentary entry", "commentary entries"),
    "timeline": ("timeline event", "timeline events"),
    "sources": ("source", "sources"),
}
_KIND_ORDER: Final[tuple[ChangeKind, ...]] = ("changed", "added", "removed", "moved")
_POINT_FIELDS: Final = ("cites", "confidence")
"""What a key point holds besides its text (see :class:`~termbrief.core.model.KeyPoint`)."""


class WordRun(msgspec.Struct, frozen=True):
    """A run of words that a text change kept, deleted or inserted."""

    kind: Literal["equal", "delete", "insert"]
    """``equal`` in both versions, ``delete`` only in the old, ``insert`` only in the new."""
    text: str
    """The words, joined by single spaces."""


class NumberChange(msgspec.Struct, frozen=True, kw_only=True):
    """A number (or a range) that changed: ``5,000 -> 3,000 officers, -40%``,
    ``12–15 -> 14–16 %, midpoint +11.1%``."""

    old: Quantity
    """The old value."""
    new: Quantity
    """The new value."""
    unit: str | None = None
    """What the new value counts, e.g. ``officers``."""
    difference: int | float
    """``new - old`` (of the midpoints, when either is a range)."""
    percent: float | None
    """The difference as a percentage of the old value (midpoint); None when that is 0 or either
    value is infinite or not a number."""

    @property
    def text(self) -> str:
        """``5,000 -> 3,000 officers, -40%`` (or ``0 -> 12, +12`` when there is no percentage);
        with a range, the change of its midpoint: ``12–15 -> 14–16 %, midpoint +11.1%``."""
        unit = f" {self.unit}" if self.unit else ""
        if self.percent is None:
            change = ("+" if self.difference > 0 else "") + number_text(self.difference)
        else:
            change = f"{self.percent:+.1f}".removesuffix(".0") + "%"
        if isinstance(self.old, ValueRange) or isinstance(self.new, ValueRange):
            change = f"midpoint {change}"
        return f"{quantity_text(self.old)} -> {quantity_text(self.new)}{unit}, {change}"


class FieldChange(msgspec.Struct, frozen=True, kw_only=True):
    """One field of one item whose value differs between the versions."""

    field: str
    """The field's name in the model: ``label``, ``value``, ``body``, ``text`` (a paragraph or a
    key point)..."""
    old: FieldValue
    """The old value, exactly as in the model (Markdown unrendered)."""
    new: FieldValue
    """The new value, exactly as in the model: setting ``field`` to it gives the new item."""
    words: tuple[WordRun, ...] = ()
    """Word-level diff of the rendered text (Markdown as plain text); empty for numbers."""
    number: NumberChange | None = None
    """Set when both values are numbers."""

    @property
    def formatting_only(self) -> bool:
        """Whether only Markdown markup or link targets changed: the words read the same."""
        return bool(self.words) and all(run.kind == "equal" for run in self.words)


class ItemChange(msgspec.Struct, frozen=True, kw_only=True):
    """One item added, removed, changed or moved."""

    section: Section
    """Where the item lives; ``brief`` for the header fields."""
    kind: ChangeKind
    """``changed`` when a field differs (the item may also have moved), ``moved`` when only its
    position did."""
    anchor: str
    """The notes anchor of the item (``figures/<id>``, ``timeline/<n>``, ``key_points``...),
    in the new brief (the old one for a removed item); ``brief`` for the header."""
    label: str
    """A one-line name for people: a figure's label, an actor's name, a paragraph's start..."""
    old_index: int | None = None
    """0-based position in the old section (summary: top-level Markdown block); None if added."""
    new_index: int | None = None
    """0-based position in the new section; None if removed."""
    moved: bool = False
    """Whether the item changed place relative to the items present in both versions."""
    fields: tuple[FieldChange, ...] = ()
    """The fields that differ, in model order (empty when added, removed or only moved)."""
    old_item: Item | None = None
    """The item as it was (None for an added item and for the header)."""
    new_item: Item | None = None
    """The item as it is now (None for a removed item and for the header)."""


class BriefDiff(msgspec.Struct, frozen=True):
    """Every change between two versions of a brief, in reading order."""

    changes: tuple[ItemChange, ...] = ()
    """Header first, then section by section (``SECTION_KEYS`` order), each in the new order with a
    removed item where it used to be."""

    @property
    def is_empty(self) -> bool:
        """Whether the two versions have the same content."""
        return not self.changes

    def count(self, section: Section | None = None, kind: ChangeKind | None = None) -> int:
        """How many changes are in ``section`` (any if None) and of ``kind`` (any if None)."""
        return sum(
            1
            for change in self.changes
            if (section is None or change.section == section) and kind in (None, change.kind)
        )

    def summary(self) -> str:
        """One line for people: ``2 figures changed, 1 actor added, 1 paragraph rewritten``."""
        counts = Counter((change.section, change.kind) for change in self.changes)
        parts = [
            f"{', '.join(f.field for f in change.fields)} changed"
            for change in self.changes
            if change.section == "brief"
        ]
        for section in _ITEM_SECTIONS:
            singular, plural = _NOUNS[section]
            for kind in _KIND_ORDER:
                n = counts[(section, kind)]
                if n:
                    verb = "rewritten" if (section, kind) == ("summary", "changed") else kind
                    parts.append(f"{n} {singular if n == 1 else plural} {verb}")
        return ", ".join(parts) if parts else "no changes"


def word_diff(old: Sequence[str], new: Sequence[str]) -> tuple[WordRun, ...]:
    """Runs of equal, deleted and inserted words turning ``old`` into ``new``.

    A replacement is a deletion followed by an insertion.
    """
    # autojunk would ignore frequent words ("the") in long texts and misalign the runs.
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    runs: list[WordRun] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(WordRun("equal", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(WordRun("delete", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(WordRun("insert", " ".join(new[j1:j2])))
    return tuple(runs)


def _same(old: FieldValue, new: FieldValue) -> bool:
    """Equal values; two NaNs (a figure's ``.nan``) are the same value."""
    if old == new:
        return True
    return isinstance(old, float) and isinstance(new, float) and math.isnan(old) and math.isnan(new)


def _field_change(
    name: str, old: FieldValue, new: FieldValue, markdown: bool, unit: str | None = None
) -> FieldChange | None:
    if _same(old, new):
        return None
    if is_quantity(old) and is_quantity(new):
        assert isinstance(old, Quantity) and isinstance(new, Quantity)
        old_mid, new_mid = midpoint(old), midpoint(new)
        difference = new_mid - old_mid
        finite = math.isfinite(old_mid) and math.isfinite(new_mid)
        percent = difference / abs(old_mid) * 100 if old_mid and finite else None
        number = NumberChange(old=old, new=new, unit=unit, difference=difference, percent=percent)
        return FieldChange(field=name, old=old, new=new, number=number)
    words = word_diff(
        field_words(old, markdown, unit, name), field_words(new, markdown, unit, name)
    )
    return FieldChange(field=name, old=old, new=new, words=words)


def _struct_changes(old: msgspec.Struct, new: msgspec.Struct) -> tuple[FieldChange, ...]:
    markdown = _MARKDOWN_FIELDS[type(old)]
    unit = getattr(new, "unit", None)
    changes = []
    for name in type(old).__struct_fields__:
        change = _field_change(name, getattr(old, name), getattr(new, name), name in markdown, unit)
        if change is not None:
            changes.append(change)
    return tuple(changes)


def _one_line(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- sections


def _anchor(section: Section, item: Item, index: int) -> str:
    if section not in _WITH_IDS:  # summary blocks, key points, events, sources: numbered
        return str(Anchor.numbered(section, index))
    return str(Anchor(section, getattr(item, "id", "") or None))


def _label(item: Item, plain: dict[str, str]) -> str:
    if isinstance(item, str):
        return _one_line(plain.get(item, item))
    if isinstance(item, TimelineEvent):
        return _one_line(f"{item.date}: {item.event}")
    name = {Figure: "label", Actor: "name", Source: "title"}.get(type(item))
    if name is None:  # commentary
        assert isinstance(item, Commentary)
        return _one_line(item.heading or item.author)
    return _one_line(getattr(item, name))


def _point_extras(item: str) -> tuple[FieldValue, ...]:
    """What a key point holds besides its text, in :data:`_POINT_FIELDS` order (a summary
    paragraph: nothing)."""
    if isinstance(item, KeyPoint):
        return item.cites, item.confidence
    return (), None


def _identical(old: Item, new: Item) -> bool:
    """Equal items; key points (``str`` to the rest of the code) with their cites and
    confidence too."""
    if isinstance(old, str) and isinstance(new, str):
        return old == new and _point_extras(old) == _point_extras(new)
    return old == new


def _describe(old: Item, new: Item, plain: dict[str, str]) -> tuple[FieldChange, ...]:
    if isinstance(old, str) and isinstance(new, str):
        changes: list[FieldChange] = []
        if old != new:
            words = word_diff(plain.get(old, old).split(), plain.get(new, new).split())
            changes.append(FieldChange(field="text", old=str(old), new=str(new), words=words))
        extras = zip(_POINT_FIELDS, _point_extras(old), _point_extras(new), strict=True)
        for name, old_value, new_value in extras:
            change = _field_change(name, old_value, new_value, False)
            if change is not None:
                changes.append(change)
        return tuple(changes)
    assert isinstance(old, msgspec.Struct) and isinstance(new, msgspec.Struct)
    return tuple(change for change in _struct_changes(old, new) if change.field != "id")


def _similar_text(item: Item, plain: dict[str, str]) -> str:
    if isinstance(item, TimelineEvent):
        return f"{item.date} {item.event}"
    if isinstance(item, Source):
        return " ".join(part for part in (item.title, item.publisher, item.url) if part)
    assert isinstance(item, str)
    return plain.get(item, item)


def _section(
    section: Section, old: Sequence[Item], new: Sequence[Item], plain: dict[str, str]
) -> list[ItemChange]:
    """The changes of one section; ``plain`` maps summary blocks to their plain text."""
    if section in _WITH_IDS:
        pairs = pair_by_id(old, new, lambda item: getattr(item, "id", ""))
    else:
        pairs = pair_by_content(old, new, lambda item: _similar_text(item, plain))
    out_of_place = moved(pairs)
    placed: list[tuple[tuple[int, int], ItemChange]] = []
    for i, j in pairs.items():
        fields = () if _identical(old[i], new[j]) else _describe(old[i], new[j], plain)
        if not fields and i not in out_of_place:
            continue  # unchanged, or equal field by field (5000 and 5000.0)
        change = ItemChange(
            section=section,
            kind="changed" if fields else "moved",
            anchor=_anchor(section, new[j], j),
            label=_label(new[j], plain),
            old_index=i,
            new_index=j,
            moved=i in out_of_place,
            fields=fields,
            old_item=old[i],
            new_item=new[j],
        )
        placed.append(((j, 1), change))
    taken = set(pairs.values())
    for j, item in enumerate(new):
        if j not in taken:
            label, anchor = _label(item, plain), _anchor(section, item, j)
            change = ItemChange(
                section=section,
                kind="added",
                anchor=anchor,
                label=label,
                new_index=j,
                new_item=item,
            )
            placed.append(((j, 1), change))
    after = -1  # new index of the last item kept in place: a removed item sorts after it
    for i, item in enumerate(old):
        if i in pairs:
            after = after if i in out_of_place else pairs[i]
            continue
        label, anchor = _label(item, plain), _anchor(section, item, i)
        change = ItemChange(
            section=section, kind="removed", anchor=anchor, label=label, old_index=i, old_item=item
        )
        placed.append(((after + 1, 0), change))
    placed.sort(key=lambda entry: entry[0])
    return [change for _, change in placed]


def _header(old: Brief, new: Brief) -> list[ItemChange]:
    fields = tuple(
        change
        for name in _HEADER_FIELDS
        if (change := _field_change(name, getattr(old, name), getattr(new, name), False))
    )
    if not fields:
        return []
    label = _one_line(new.title)
    return [ItemChange(section="brief", kind="changed", anchor="brief", label=label, fields=fields)]


def diff_briefs(old: Brief, new: Brief) -> BriefDiff:
    """The changes that turn ``old`` into ``new``. ``diff_briefs(b, b).is_empty`` holds."""
    changes = _header(old, new)
    if old.summary != new.summary:
        old_blocks, new_blocks = markdown_blocks(old.summary), markdown_blocks(new.summary)
        plain = dict(old_blocks) | dict(new_blocks)
        olds, news = [block for block, _ in old_blocks], [block for block, _ in new_blocks]
        changes += _section("summary", olds, news, plain)
    for section in _ITEM_SECTIONS[1:]:
        olds, news = getattr(old, section), getattr(new, section)
        if len(olds) != len(news) or not all(map(_identical, olds, news)):
            changes += _section(section, olds, news, {})
    return BriefDiff(tuple(changes))
