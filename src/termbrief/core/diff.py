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
- Numbers (a figure's value) come as old -> new with the difference (:class:`NumberChange`).
"""

from __future__ import annotations

import datetime
import difflib
import re
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Final, Literal, TypeVar

import msgspec

from termbrief.core.model import (
    SECTIONS,
    Actor,
    Brief,
    Commentary,
    Figure,
    PartialDate,
    Source,
    TimelineEvent,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

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
    "markdown_blocks",
    "markdown_text",
    "word_diff",
]

Section = Literal[
    "brief", "summary", "key_points", "figures", "actors", "commentary", "timeline", "sources"
]
"""``brief`` is the header (title, date, tags...); the others are :data:`model.SECTIONS`."""
ChangeKind = Literal["added", "removed", "changed", "moved"]
FieldValue = str | int | float | PartialDate | datetime.date | tuple[str, ...] | None
"""The value of one field of a brief item, as in the model."""
Item = str | Figure | Actor | Commentary | TimelineEvent | Source
"""An item of a section: a summary paragraph (its Markdown) or key point is a ``str``."""

SIMILARITY: Final = 60.0
"""Lowest ``fuzz.ratio`` (0-100) at which two items without ids count as one item rewritten."""
_MAX_PAIRS: Final = 1_000_000
"""Beyond this many unpaired old x new items, similarity pairing is skipped (added + removed)."""

_HEADER_FIELDS: Final = ("format", "id", "title", "subtitle", "date", "tags", "regions")
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


class WordRun(msgspec.Struct, frozen=True):
    """A run of words that a text change kept, deleted or inserted."""

    kind: Literal["equal", "delete", "insert"]
    """``equal`` in both versions, ``delete`` only in the old, ``insert`` only in the new."""
    text: str
    """The words, joined by single spaces."""


class NumberChange(msgspec.Struct, frozen=True, kw_only=True):
    """A number that changed: ``5,000 -> 3,000 officers, -40%``."""

    old: int | float
    """The old value."""
    new: int | float
    """The new value."""
    unit: str | None = None
    """What the new value counts, e.g. ``officers``."""
    difference: int | float
    """``new - old``."""
    percent: float | None
    """The difference as a percentage of the old value; None when the old value is 0."""

    @property
    def text(self) -> str:
        """``5,000 -> 3,000 officers, -40%`` (or ``0 -> 12, +12`` when there is no percentage)."""
        unit = f" {self.unit}" if self.unit else ""
        if self.percent is None:
            change = ("+" if self.difference > 0 else "") + _number(self.difference)
        else:
            change = f"{self.percent:+.1f}".removesuffix(".0") + "%"
        return f"{_number(self.old)} -> {_number(self.new)}{unit}, {change}"


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
    """Header first, then section by section (``SECTIONS`` order), each in the new order with a
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
        for section in SECTIONS:
            singular, plural = _NOUNS[section]
            for kind in _KIND_ORDER:
                n = counts[(section, kind)]
                if n:
                    verb = "rewritten" if (section, kind) == ("summary", "changed") else kind
                    parts.append(f"{n} {singular if n == 1 else plural} {verb}")
        return ", ".join(parts) if parts else "no changes"


# --------------------------------------------------------------------------- text


@cache
def _parser() -> MarkdownIt:
    # Imported on first use: only fields that differ are rendered.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough").enable("table")


_NEWLINES: Final = re.compile(r"\r\n?")


def markdown_blocks(source: str) -> list[tuple[str, str]]:
    """``(Markdown, plain text)`` of each top-level block of ``source`` (paragraph, list...).

    The plain text is what a reader sees: markup, link targets and HTML tags dropped, image alt
    text and code kept; a block's lines and list items are separated by newlines.
    """
    source = _NEWLINES.sub("\n", source)
    lines = source.split("\n")
    blocks: list[tuple[str, str]] = []
    span: list[int] | None = None
    parts: list[str] = []
    for token in _parser().parse(source):
        if token.level == 0 and token.nesting >= 0:
            span, parts = token.map, []
        if token.type == "inline":
            parts.append(_inline_text(token.children or ()))
        elif token.type in ("fence", "code_block", "html_block"):
            parts.append(token.content.rstrip("\n"))
        if token.level == 0 and token.nesting <= 0:
            markdown = "\n".join(lines[span[0] : span[1]]) if span else "\n".join(parts)
            blocks.append((markdown.strip("\n"), "\n".join(part for part in parts if part)))
    return blocks


def _inline_text(children: Iterable[object]) -> str:
    parts = []
    for child in children:
        kind = getattr(child, "type", "")
        if kind in ("text", "code_inline"):
            parts.append(getattr(child, "content", ""))
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(_inline_text(getattr(child, "children", None) or ()))
    return "".join(parts)


def markdown_text(source: str) -> str:
    """The plain text a reader sees of Markdown ``source``; blocks separated by blank lines."""
    return "\n\n".join(plain for _, plain in markdown_blocks(source))


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


def _number(value: int | float) -> str:
    if isinstance(value, int) or value % 1 == 0:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _words(value: FieldValue, markdown: bool) -> list[str]:
    if value is None:
        return []
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str):
        return (markdown_text(value) if markdown else value).split()
    if isinstance(value, int | float):
        return [_number(value)]
    return [str(value)]


def _field_change(
    name: str, old: FieldValue, new: FieldValue, markdown: bool, unit: str | None = None
) -> FieldChange | None:
    if old == new:
        return None
    if _is_number(old) and _is_number(new):
        assert isinstance(old, int | float) and isinstance(new, int | float)
        difference = new - old
        percent = difference / abs(old) * 100 if old else None
        number = NumberChange(old=old, new=new, unit=unit, difference=difference, percent=percent)
        return FieldChange(field=name, old=old, new=new, number=number)
    words = word_diff(_words(old, markdown), _words(new, markdown))
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


# --------------------------------------------------------------------------- pairing

_T = TypeVar("_T")


def _pair_by_id(old: Sequence[_T], new: Sequence[_T], key: Callable[[_T], str]) -> dict[int, int]:
    def keyed(items: Sequence[_T]) -> dict[tuple[str, int], int]:
        seen: Counter[str] = Counter()
        result = {}
        for index, item in enumerate(items):
            item_id = key(item)
            result[(item_id, seen[item_id])] = index
            seen[item_id] += 1
        return result

    new_keys = keyed(new)
    return {i: new_keys[k] for k, i in keyed(old).items() if k in new_keys}


def _pair_by_content(
    old: Sequence[Hashable], new: Sequence[Hashable], text: Callable[[int, bool], str]
) -> dict[int, int]:
    """Identical items first, in order; then the most similar remaining pairs.

    ``text(index, is_new)`` gives the text to compare for similarity.
    """
    waiting: defaultdict[Hashable, deque[int]] = defaultdict(deque)
    for j, item in enumerate(new):
        waiting[item].append(j)
    pairs: dict[int, int] = {}
    for i, item in enumerate(old):
        queue = waiting.get(item)
        if queue:
            pairs[i] = queue.popleft()
    old_left = [i for i in range(len(old)) if i not in pairs]
    taken = set(pairs.values())
    new_left = [j for j in range(len(new)) if j not in taken]
    if not old_left or not new_left or len(old_left) * len(new_left) > _MAX_PAIRS:
        return pairs

    from rapidfuzz import fuzz, process

    choices = [text(j, True) for j in new_left]
    scored = []
    for i in old_left:
        for _, score, k in process.extract(
            text(i, False), choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None
        ):
            # Equal scores: the pair nearest in relative position wins.
            distance = abs(i / len(old) - new_left[k] / len(new))
            scored.append((-score, distance, i, new_left[k]))
    for _, _, i, j in sorted(scored):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


def _moved(pairs: dict[int, int]) -> set[int]:
    """Old indices outside a longest increasing run of new indices (patience sorting)."""
    olds = sorted(pairs)
    tails: list[int] = []  # tails[k]: smallest new index ending a run of length k + 1
    tail_at: list[int] = []  # the position in olds of that tail
    previous = [-1] * len(olds)
    for position, i in enumerate(olds):
        j = pairs[i]
        k = bisect_left(tails, j)
        previous[position] = tail_at[k - 1] if k else -1
        if k == len(tails):
            tails.append(j)
            tail_at.append(position)
        else:
            tails[k], tail_at[k] = j, position
    kept = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        kept.add(olds[position])
        position = previous[position]
    return set(olds) - kept


# --------------------------------------------------------------------------- sections


def _section(
    section: Section,
    old: Sequence[Item],
    new: Sequence[Item],
    pairs: dict[int, int],
    describe: Callable[[Item, Item], tuple[FieldChange, ...]],
    anchor: Callable[[Item, int], str],
    label: Callable[[Item], str],
) -> list[ItemChange]:
    moved = _moved(pairs)
    placed: list[tuple[tuple[int, int], ItemChange]] = []
    for i, j in pairs.items():
        if old[i] == new[j] and i not in moved:
            continue
        fields = describe(old[i], new[j])
        if not fields and i not in moved:
            continue  # equal field by field, e.g. 5000 and 5000.0
        change = ItemChange(
            section=section,
            kind="changed" if fields else "moved",
            anchor=anchor(new[j], j),
            label=label(new[j]),
            old_index=i,
            new_index=j,
            moved=i in moved,
            fields=fields,
            old_item=old[i],
            new_item=new[j],
        )
        placed.append(((j, 1), change))
    taken = set(pairs.values())
    for j, item in enumerate(new):
        if j not in taken:
            change = ItemChange(
                section=section,
                kind="added",
                anchor=anchor(item, j),
                label=label(item),
                new_index=j,
                new_item=item,
            )
            placed.append(((j, 1), change))
    after = -1  # new index of the last paired old item seen: a removed item sorts after it
    for i, item in enumerate(old):
        if i in pairs:
            after = max(after, pairs[i])
            continue
        change = ItemChange(
            section=section,
            kind="removed",
            anchor=anchor(item, i),
            label=label(item),
            old_index=i,
            old_item=item,
        )
        placed.append(((after + 1, 0), change))
    placed.sort(key=lambda entry: entry[0])
    return [change for _, change in placed]


def _text_fields(
    markdown: dict[str, str] | None,
) -> Callable[[Item, Item], tuple[FieldChange, ...]]:
    def describe(old: Item, new: Item) -> tuple[FieldChange, ...]:
        assert isinstance(old, str) and isinstance(new, str)
        if markdown is None:
            words = word_diff(old.split(), new.split())
        else:
            words = word_diff(markdown[old].split(), markdown[new].split())
        return (FieldChange(field="text", old=old, new=new, words=words),)

    return describe


def _struct_fields(old: Item, new: Item) -> tuple[FieldChange, ...]:
    assert isinstance(old, msgspec.Struct) and isinstance(new, msgspec.Struct)
    return tuple(change for change in _struct_changes(old, new) if change.field != "id")


def _label(item: Item) -> str:
    if isinstance(item, Figure):
        return _one_line(item.label)
    if isinstance(item, Actor):
        return _one_line(item.name)
    if isinstance(item, Commentary):
        return _one_line(item.heading or item.author)
    if isinstance(item, TimelineEvent):
        return _one_line(f"{item.date}: {item.event}")
    if isinstance(item, Source):
        return _one_line(item.title)
    return _one_line(item)


def _header(old: Brief, new: Brief) -> list[ItemChange]:
    fields = tuple(
        change
        for name in _HEADER_FIELDS
        if (change := _field_change(name, getattr(old, name), getattr(new, name), False))
    )
    if not fields:
        return []
    return [
        ItemChange(
            section="brief",
            kind="changed",
            anchor="brief",
            label=_one_line(new.title),
            fields=fields,
        )
    ]


def _summary(old: str, new: str) -> list[ItemChange]:
    if old == new:
        return []
    old_blocks, new_blocks = markdown_blocks(old), markdown_blocks(new)
    plain = dict(old_blocks) | dict(new_blocks)
    olds = [markdown for markdown, _ in old_blocks]
    news = [markdown for markdown, _ in new_blocks]
    pairs = _pair_by_content(olds, news, lambda k, is_new: plain[(news if is_new else olds)[k]])
    return _section(
        "summary",
        olds,
        news,
        pairs,
        _text_fields(plain),
        lambda item, index: "summary",
        lambda item: _one_line(plain[item] if isinstance(item, str) else ""),
    )


def _by_id(
    section: Section,
    old: Sequence[Figure | Actor | Commentary],
    new: Sequence[Figure | Actor | Commentary],
) -> list[ItemChange]:
    if old == new:
        return []
    pairs = _pair_by_id(old, new, lambda item: item.id)
    return _section(
        section,
        old,
        new,
        pairs,
        _struct_fields,
        lambda item, index: f"{section}/{getattr(item, 'id', '')}",
        _label,
    )


def _event_text(event: TimelineEvent) -> str:
    return f"{event.date} {event.event}"


def _source_text(source: Source) -> str:
    return " ".join(part for part in (source.title, source.publisher, source.url) if part)


def diff_briefs(old: Brief, new: Brief) -> BriefDiff:
    """The changes that turn ``old`` into ``new``. ``diff_briefs(b, b).is_empty`` holds."""
    changes = _header(old, new)
    changes += _summary(old.summary, new.summary)
    if old.key_points != new.key_points:
        olds, news = old.key_points, new.key_points
        pairs = _pair_by_content(olds, news, lambda k, is_new: (news if is_new else olds)[k])
        changes += _section(
            "key_points", olds, news, pairs, _text_fields(None), lambda i, n: "key_points", _label
        )
    changes += _by_id("figures", old.figures, new.figures)
    changes += _by_id("actors", old.actors, new.actors)
    changes += _by_id("commentary", old.commentary, new.commentary)
    if old.timeline != new.timeline:
        events_old, events_new = old.timeline, new.timeline
        pairs = _pair_by_content(
            events_old,
            events_new,
            lambda k, is_new: _event_text((events_new if is_new else events_old)[k]),
        )
        changes += _section(
            "timeline",
            events_old,
            events_new,
            pairs,
            _struct_fields,
            lambda item, index: f"timeline/{index + 1}",
            _label,
        )
    if old.sources != new.sources:
        sources_old, sources_new = old.sources, new.sources
        pairs = _pair_by_content(
            sources_old,
            sources_new,
            lambda k, is_new: _source_text((sources_new if is_new else sources_old)[k]),
        )
        changes += _section(
            "sources",
            sources_old,
            sources_new,
            pairs,
            _struct_fields,
            lambda item, index: "sources",
            _label,
        )
    return BriefDiff(tuple(changes))
