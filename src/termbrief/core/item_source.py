"""One item of a brief handed to other tools: its line in the file, and its text as Markdown.

An item is named by an :class:`ItemRef`: its section and its position there (the n-th figure,
the n-th paragraph of the summary). The reader opens the brief in the user's editor at
:func:`item_line` and copies :func:`item_markdown` to the clipboard.

Lines are found when asked, not kept by the loader: the file is parsed again into YAML events
(libyaml's parser: every event carries its position; no node or value is built, and the walk
stops at the item) at the moment an editor is opened. Loading stays as cheap as it was, and the
line is the line in the file as it is on disk now, which is what the editor will show.

No Textual, no Rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

import msgspec
import yaml
from yaml.events import (
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from termbrief.core.model import Actor, Brief, Commentary, Figure, Source, TimelineEvent
from termbrief.core.sections import section

__all__ = ["ItemRef", "item_line", "item_markdown"]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ESCAPE: Final = re.compile(r"([\\`*_\[\]<>])")
_ITEM_SECTIONS: Final = ("key_points", "figures", "actors", "commentary", "timeline", "sources")


class ItemRef(msgspec.Struct, frozen=True):
    """One item of a brief, or a whole section."""

    section: str
    """The section's key (``summary``, ``key_points``, ``figures``...: see
    :mod:`termbrief.core.sections`)."""
    index: int | None = None
    """The item's position in its section, from 0 (for the summary: its n-th top-level Markdown
    block, as the summary pane shows them); None for the whole section."""


# --------------------------------------------------------------------------- lines


def item_line(
    text: str, brief: Brief, ref: ItemRef, summary_lines: tuple[int, int] | None = None
) -> int | None:
    """The 1-based line of ``text`` (the brief file's YAML) where ``ref`` begins.

    ``brief`` is the brief loaded from the file (it tells items apart by id, where the file
    gives them ids); ``summary_lines`` is where a summary block lies in ``brief.summary``
    (0-based, end excluded), for a summary written as a literal block (``summary: |``), whose
    lines are the file's. None when the file no longer parses or lacks the section.
    """
    try:
        return _find_line(
            yaml.parse(text, Loader=_Loader), ref, _item_id(brief, ref), summary_lines
        )
    except (yaml.YAMLError, StopIteration, ValueError):
        return None


def _find_line(
    events: Iterator[Event], ref: ItemRef, item_id: str, summary_lines: tuple[int, int] | None
) -> int | None:
    """The line of ``ref`` in a stream of YAML events (libyaml's parser, no nodes built: the
    walk stops at the item: far cheaper than composing the whole file)."""
    for event in events:
        if isinstance(event, MappingStartEvent):
            break
        if isinstance(event, NodeEvent):
            return None  # a document that is not a mapping
    else:
        return None
    while not isinstance(key := next(events), MappingEndEvent):
        value = next(events)
        if not isinstance(key, ScalarEvent) or key.value != ref.section:
            _skip(events, key)
            _skip(events, value)
            continue
        key_line = _line(key)
        if ref.index is None:
            return key_line
        if ref.section == "summary":
            if isinstance(value, ScalarEvent) and value.style == "|" and summary_lines:
                # The block's text starts on the line after the ``|``, line for line.
                return _line(value) + 1 + summary_lines[0]
            return _line(value)
        if not isinstance(value, SequenceStartEvent):
            return key_line
        return _item_in_sequence(events, ref.index, item_id) or key_line
    return None


def _item_in_sequence(events: Iterator[Event], index: int, item_id: str) -> int | None:
    """The line of the sequence's item carrying ``item_id`` (when the file gives ids), else of
    the one at ``index`` (the last one if there are fewer)."""
    at_index: int | None = None
    position = 0
    while not isinstance(item := next(events), SequenceEndEvent):
        line = _line(item)
        if position <= index:
            at_index = line
            if position == index and not item_id:
                return line
        if isinstance(item, MappingStartEvent) and item_id:
            if _has_id(events, item_id):
                return line
        else:
            _skip(events, item)
        position += 1
    return at_index


def _has_id(events: Iterator[Event], item_id: str) -> bool:
    """Read a mapping to its end (its start read already): whether it holds ``id: item_id``."""
    found = False
    while not isinstance(key := next(events), MappingEndEvent):
        value = next(events)
        if isinstance(key, ScalarEvent) and isinstance(value, ScalarEvent):
            found = found or (key.value == "id" and value.value == item_id)
        _skip(events, key)
        _skip(events, value)
    return found


def _line(event: Event) -> int:
    """The 1-based line an event starts on (the parser marks every event)."""
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 1


def _skip(events: Iterator[Event], start: Event) -> None:
    """Read the rest of the node that ``start`` begins (nothing more for a scalar or alias)."""
    if not isinstance(start, CollectionStartEvent):
        return
    depth = 1
    while depth:
        event = next(events)
        if isinstance(event, CollectionStartEvent):
            depth += 1
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _item_id(brief: Brief, ref: ItemRef) -> str:
    items: tuple[Figure | Actor | Commentary, ...]
    if ref.section == "figures":
        items = brief.figures
    elif ref.section == "actors":
        items = brief.actors
    elif ref.section == "commentary":
        items = brief.commentary
    else:
        return ""
    index = ref.index
    return items[index].id if index is not None and index < len(items) else ""


# --------------------------------------------------------------------------- Markdown


def escape(text: str) -> str:
    """Plain text (a label, a name) as Markdown that shows it as written."""
    return _ESCAPE.sub(r"\\\1", " ".join(text.split()))


def item_markdown(brief: Brief, ref: ItemRef, summary_lines: tuple[int, int] | None = None) -> str:
    """``ref``'s item as Markdown, under a line naming the brief and the section.

    Text fields that hold Markdown (the summary, a commentary's body, a figure's context) are
    copied as the brief writes them; plain fields are escaped. ``summary_lines`` selects a
    summary block (see :func:`item_line`); without it the whole summary is copied.
    """
    date = f" ({brief.date.isoformat()})" if brief.date else ""
    heading = f"*{escape(brief.title)}*{date} · {section(ref.section).title}"
    return f"{heading}\n\n{_body(brief, ref, summary_lines).strip()}\n"


def _body(brief: Brief, ref: ItemRef, summary_lines: tuple[int, int] | None) -> str:
    index = ref.index
    if ref.section == "summary":
        if summary_lines is None or index is None:
            return brief.summary
        start, end = summary_lines
        return "\n".join(brief.summary.split("\n")[start:end])
    if ref.section not in _ITEM_SECTIONS:
        raise ValueError(f"no section {ref.section!r}")
    items: tuple[object, ...] = getattr(brief, ref.section)
    chosen = items if index is None else items[index : index + 1]
    if ref.section == "key_points":
        return "\n".join(f"- {escape(str(point))}" for point in chosen)
    render = _RENDERERS[ref.section]
    return "\n\n---\n\n".join(render(item) for item in chosen)


def _figure(item: object) -> str:
    assert isinstance(item, Figure)
    period = f" ({escape(item.period)})" if item.period else ""
    parts = [f"**{escape(item.label)}:** {escape(item.value_text())}{period}"]
    if item.context:
        parts.append(item.context.strip())
    if item.source:
        parts.append(f"Source: {escape(item.source)}")
    return "\n\n".join(parts)


def _actor(item: object) -> str:
    assert isinstance(item, Actor)
    details = ", ".join(escape(part) for part in (item.role, item.affiliation) if part)
    parts = [f"**{escape(item.name)}** ({item.kind})" + (f" — {details}" if details else "")]
    if item.aliases:
        parts.append("Also called: " + ", ".join(escape(alias) for alias in item.aliases))
    if item.description:
        parts.append(item.description.strip())
    return "\n\n".join(parts)


def _commentary(item: object) -> str:
    assert isinstance(item, Commentary)
    byline = f"*{escape(item.author)}*"
    if item.affiliation:
        byline += f", {escape(item.affiliation)}"
    if item.stance:
        byline += f" · stance: {escape(item.stance)}"
    parts = [f"**{escape(item.heading)}**"] if item.heading else []
    return "\n\n".join([*parts, byline, item.body.strip()])


def _event(item: object) -> str:
    assert isinstance(item, TimelineEvent)
    return f"**{item.date}** — {escape(item.event)}"


def _link(text: str, url: str) -> str:
    """A Markdown link; an address with blanks or brackets in angle brackets, so it stays one."""
    if not re.search(r"[\s()<>]", url):
        return f"[{text}]({url})"
    if not re.search(r"[\n<>]", url):
        return f"[{text}](<{url}>)"
    return f"{text} ({escape(url)})"


def _source(item: object) -> str:
    assert isinstance(item, Source)
    title = _link(escape(item.title), item.url) if item.url else escape(item.title)
    details = [
        escape(value)
        for value in (item.author, item.publisher, str(item.published or ""), item.kind)
        if value
    ]
    parts = [title + (f" — {' · '.join(details)}" if details else "")]
    if item.note:
        parts.append(item.note.strip())
    return "\n\n".join(parts)


_RENDERERS: Final = {
    "figures": _figure,
    "actors": _actor,
    "commentary": _commentary,
    "timeline": _event,
    "sources": _source,
}
