"""Briefs and notes out of the app: Markdown for reading, versioned JSON for moving notes.

``brief_to_markdown`` writes a whole brief with each note under what it annotates now (notes are
re-anchored first: :func:`termbrief.core.annotation.reanchor`); ``notes_to_json`` /
``notes_from_json`` carry notes between machines losslessly (importing an export is idempotent:
see :meth:`termbrief.store.notes.NotesStore.import_notes`). Quotes are written as the reader saw
them (rendered text); highlights (notes without text) are written with the words they mark. The
W3C Web Annotation export is :mod:`termbrief.store.w3c`.

This module imports no Textual.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any, Final

import msgspec
from msgspec import Meta

from termbrief.core.anchors import Anchor, labelled_anchors
from termbrief.core.annotation import Note, Placement, reanchor
from termbrief.core.jsonsafe import MAX_DEPTH, load_json
from termbrief.core.markdown_text import markdown_blocks, markdown_text
from termbrief.core.model import ID_PATTERN, Brief
from termbrief.core.text import strip_controls
from termbrief.store.notes import NotesError, note_time
from termbrief.store.safe_markdown import code_span, contained, escape_markdown, link, one_line

__all__ = [
    "NOTES_FORMAT",
    "brief_to_markdown",
    "escape_markdown",
    "notes_from_json",
    "notes_to_json",
    "notes_to_markdown",
]

NOTES_FORMAT: Final = 2
"""Version of the JSON notes document (``{"termbrief_notes": 2, "notes": [...]}``); version 2
added each quote's context and position (``prefix``, ``suffix``, ``start``)."""
READABLE_FORMATS: Final = (1, 2)
"""Versions :func:`notes_from_json` reads."""

_MAX_TEXT: Final = 1_000_000


def _cell(text: str) -> str:
    return one_line(text).replace("|", "\\|")


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _block(text: str | None) -> list[str]:
    """A Markdown field of the brief as lines, followed by a blank line (none if empty)."""
    safe = contained(text or "")
    return [*safe.split("\n"), ""] if safe else []


def _quote_block(text: str, indent: str = "") -> list[str]:
    return [f"{indent}> {line}".rstrip() for line in contained(text).split("\n")]


def shown_quote(note: Note) -> str:
    """The words ``note`` quotes, as the reader saw them: a quote kept before selectors may be
    a line of Markdown source, which is rendered here (no ``**``)."""
    if note.start is None and note.quote:
        return " ".join(markdown_text(note.quote).split()) or note.quote
    return note.quote


def _note_block(note: Note, placed: Placement, indent: str = "") -> list[str]:
    edited = f", edited {_when(note.updated)}" if note.updated != note.created else ""
    kind = "Note" if note.text.strip() else "Highlight"
    lines = [f"{indent}> **{kind}** ({_when(note.created)}{edited}):", f"{indent}>"]
    if placed.status == "changed" and note.quote:
        lines += [f"{indent}> *Changed since noted; it read:* “{one_line(shown_quote(note))}”"]
        lines += [f"{indent}>", f"{indent}> *Now:* “{one_line(placed.new)}”", f"{indent}>"]
    elif placed.target is not None and placed.target.is_span:
        lines += [f"{indent}> *On:* “{one_line(placed.new)}”", f"{indent}>"]
    if note.text.strip():
        lines += _quote_block(note.text, indent)
    else:
        lines.pop()  # no text: no blank line before it
    return [*lines, ""]


class _Notes:
    """A brief's notes grouped by where they are now, handed out once each."""

    def __init__(self, brief: Brief, notes: Sequence[Note] | None) -> None:
        self.brief = brief
        mine = sorted(
            (n for n in notes or () if n.brief_id == brief.id), key=lambda n: (n.created, n.id)
        )
        # None holds the orphans: notes whose words are nowhere, or whose anchor is not one.
        self.by_anchor: dict[Anchor | None, list[tuple[Note, Placement]]] = defaultdict(list)
        for note, placed in zip(mine, reanchor(brief, mine), strict=True):
            self.by_anchor[placed.anchor].append((note, placed))

    def has(self, anchor: Anchor) -> bool:
        return bool(self.by_anchor.get(anchor))

    def under(self, anchor: Anchor, indent: str = "") -> list[str]:
        lines: list[str] = []
        for note, placed in self.by_anchor.pop(anchor, []):
            lines += _note_block(note, placed, indent)
        return lines

    def leftovers(self) -> list[tuple[Note, Placement]]:
        return [pair for pairs in self.by_anchor.values() for pair in pairs]


def _blocks(pending: _Notes, markdown: str, anchor_of: Callable[[int], Anchor]) -> list[str]:
    """A Markdown field, each block followed by its notes; the field whole when no block has
    any (each piece is made safe on its own)."""
    blocks = markdown_blocks(markdown)
    if not any(pending.has(anchor_of(n)) for n in range(len(blocks))):
        return _block(markdown)
    lines: list[str] = []
    for n, (source, _) in enumerate(blocks):
        lines += [*_block(source), *pending.under(anchor_of(n))]
    return lines


def brief_to_markdown(brief: Brief, notes: Sequence[Note] | None = None) -> str:
    """The whole brief as Markdown, each of ``notes`` (of this brief) under what it annotates.

    Notes whose anchor is gone from the brief end up in a final "Orphaned notes" section with
    the quote of what they annotated. Brief text cannot break the document (see
    :mod:`termbrief.store.safe_markdown`): the headings and note blocks a Markdown parser finds
    are exactly the ones written here.
    """
    pending = _Notes(brief, notes)
    out: list[str] = [f"# {one_line(brief.title)}", ""]
    if brief.subtitle:
        out += [f"*{one_line(brief.subtitle)}*", ""]
    facts = []
    if brief.date:
        facts.append(f"**Date:** {brief.date.isoformat()}")
    if brief.tags:
        facts.append("**Tags:** " + ", ".join(one_line(t) for t in brief.tags))
    if brief.regions:
        facts.append("**Regions:** " + ", ".join(one_line(r) for r in brief.regions))
    if facts:
        out += [" · ".join(facts), ""]

    summary = _blocks(pending, brief.summary, lambda n: Anchor.numbered("summary", n))
    out += ["## Summary", "", *summary, *pending.under(Anchor("summary"))]
    if brief.key_points or pending.has(Anchor("key_points")):
        out += ["## Key points", ""]
        for n, point in enumerate(brief.key_points):
            under = pending.under(Anchor.numbered("key_points", n), indent="  ")
            out += [f"- {one_line(point)}", *(["", *under] if under else [])]
        out += (
            ["", *pending.under(Anchor("key_points"))]
            if out[-1]
            else pending.under(Anchor("key_points"))
        )
    _figures(brief, pending, out)
    _actors(brief, pending, out)
    _commentary(brief, pending, out)
    _timeline(brief, pending, out)
    _sources(brief, pending, out)

    orphans = pending.leftovers()
    if orphans:
        out += ["## Orphaned notes", ""]
        out += ["These notes annotate something that is no longer in the brief.", ""]
        for note, placed in orphans:
            out += [f"### {one_line(note.label(brief))}", ""]
            if note.quote:
                out += [f"It read: “{one_line(shown_quote(note))}”", ""]
            out += _note_block(note, placed)
    return "\n".join(out).rstrip() + "\n"


def _figures(brief: Brief, pending: _Notes, out: list[str]) -> None:
    if not brief.figures and not pending.has(Anchor("figures")):
        return
    out += ["## Key figures", ""]
    if brief.figures:
        out += ["| Figure | Value | Period | Source |", "| --- | --- | --- | --- |"]
        for f in brief.figures:
            cells = (f.label, f.value_text(), f.period or "", f.source or "")
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        out.append("")
    out += pending.under(Anchor("figures"))
    for f in brief.figures:
        notes = pending.under(Anchor.figure(f.id))
        if f.context or notes:
            # The label leads the context's first paragraph; the pair is checked as one.
            out += _block(f"**{one_line(f.label)}.** {(f.context or '').strip()}".rstrip())
            out += notes


def _actors(brief: Brief, pending: _Notes, out: list[str]) -> None:
    if not brief.actors and not pending.has(Anchor("actors")):
        return
    out += ["## Actors", "", *pending.under(Anchor("actors"))]
    for actor in brief.actors:
        out += [f"### {one_line(actor.name)}", ""]
        facts = [f"*{one_line(actor.kind)}*"]
        facts += [one_line(part) for part in (actor.role, actor.affiliation) if part]
        if actor.aliases:
            facts.append("also: " + ", ".join(one_line(a) for a in actor.aliases))
        out += [" · ".join(facts), ""]
        out += _block(actor.description)
        out += pending.under(Anchor.actor(actor.id))


def _commentary(brief: Brief, pending: _Notes, out: list[str]) -> None:
    if not brief.commentary and not pending.has(Anchor("commentary")):
        return
    out += ["## Commentary", "", *pending.under(Anchor("commentary"))]
    for entry in brief.commentary:
        heading = entry.heading or entry.author
        out += [f"### {one_line(heading)}", ""]
        who = one_line(entry.author)
        if entry.affiliation:
            who += f", {one_line(entry.affiliation)}"
        if entry.stance:
            who += f" · *{one_line(entry.stance)}*"
        body = _blocks(pending, entry.body, partial(Anchor.commentary, entry.id))
        out += [who, "", *body, *pending.under(Anchor.commentary(entry.id))]


def _timeline(brief: Brief, pending: _Notes, out: list[str]) -> None:
    if not brief.timeline and not pending.has(Anchor("timeline")):
        return
    out += ["## Timeline", "", *pending.under(Anchor("timeline"))]
    for index, event in enumerate(brief.timeline):
        out += [f"- **{one_line(str(event.date))}** — {one_line(event.event)}"]
        notes = pending.under(Anchor.event(index), indent="  ")
        if notes:
            out += ["", *notes]
    out.append("")


def _sources(brief: Brief, pending: _Notes, out: list[str]) -> None:
    if not brief.sources and not pending.has(Anchor("sources")):
        return
    out += ["## Sources", ""]
    for number, source in enumerate(brief.sources, start=1):
        parts = [part for part in (source.author, source.publisher, source.kind) if part]
        if source.published:
            parts.append(str(source.published))
        line = f"{number}. {one_line(source.title)}"
        if parts:
            line += " — " + ", ".join(one_line(p) for p in parts)
        if source.url:
            line += f" {link(source.url)}"
        out.append(line)
        if source.note:
            out += ["", f"   {one_line(source.note)}", ""]
        notes = pending.under(Anchor.numbered("sources", number - 1), indent="   ")
        if notes:
            out += ["", *notes] if out[-1] else notes
    if out[-1]:
        out.append("")
    out += pending.under(Anchor("sources"))


# --------------------------------------------------------------------------- notes documents


class _NoteRecord(msgspec.Struct, forbid_unknown_fields=True):
    """One note in a notes document."""

    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9._-]{1,128}$")]
    brief_id: Annotated[str, Meta(pattern=ID_PATTERN)]
    anchor: str
    text: Annotated[str, Meta(max_length=_MAX_TEXT)]
    created: Annotated[str, Meta(max_length=64)]
    """ISO 8601 with a time zone; checked by :func:`note_time` to name the note that is wrong."""
    updated: Annotated[str, Meta(max_length=64)]
    quote: Annotated[str, Meta(max_length=_MAX_TEXT)] = ""
    prefix: Annotated[str, Meta(max_length=_MAX_TEXT)] = ""
    suffix: Annotated[str, Meta(max_length=_MAX_TEXT)] = ""
    start: Annotated[int, Meta(ge=0)] | None = None
    """Where the quote began in its item's text; absent (None) in version 1, where the quote is
    a shortened line of the item's source text."""


class _Document(msgspec.Struct):
    """A notes export: ``{"termbrief_notes": 2, "exported": ..., "notes": [...]}``."""

    termbrief_notes: int
    notes: list[_NoteRecord]
    exported: datetime | None = None


def notes_to_json(notes: Iterable[Note]) -> str:
    """A versioned JSON document holding ``notes`` (read back by :func:`notes_from_json`)."""
    records = [
        _NoteRecord(
            id=n.id,
            brief_id=n.brief_id,
            anchor=n.anchor,
            text=n.text,
            created=_iso(n.created),
            updated=_iso(n.updated),
            quote=n.quote,
            prefix=n.prefix,
            suffix=n.suffix,
            start=n.start,
        )
        for n in notes
    ]
    document = _Document(NOTES_FORMAT, records, datetime.now(UTC))
    return msgspec.json.format(msgspec.json.encode(document).decode(), indent=2) + "\n"


def _iso(moment: datetime) -> str:
    """A time as notes documents write it: UTC, ``Z``, microseconds only when there are any."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _time(value: str, number: int, field: str) -> datetime:
    try:
        return note_time(value)
    except ValueError as error:
        raise NotesError(
            f"invalid notes file: note {number}: {field} is not a valid time ({error})"
            f" - at `$.notes[{number - 1}].{field}`"
        ) from None


def notes_from_json(text: str | bytes) -> list[Note]:
    """Read a notes document; text is cleaned of control characters.

    Raises:
        NotesError: the text is not a valid notes document, with where and why (a note is
            named by its position from 1, as in "note 3: created is not a valid time").
    """
    try:
        raw: Any = load_json(text, MAX_DEPTH)
    except json.JSONDecodeError as error:
        raise NotesError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(raw, dict) or "termbrief_notes" not in raw:
        raise NotesError('not a termbrief notes file (no "termbrief_notes" key)')
    version = raw["termbrief_notes"]
    if version not in READABLE_FORMATS or isinstance(version, bool):
        raise NotesError(
            f"notes file format {version!r} is not supported (this termbrief reads "
            f"{' and '.join(map(str, READABLE_FORMATS))}); a newer termbrief may have written it"
        )
    try:
        document = msgspec.convert(raw, _Document)
    except msgspec.ValidationError as error:
        raise NotesError(f"invalid notes file: {error}") from None
    result: list[Note] = []
    for index, record in enumerate(document.notes):
        if not Anchor.is_valid(record.anchor):
            raise NotesError(
                f"invalid notes file: `{strip_controls(record.anchor)[:80]}` is not a valid anchor"
                f" - at `$.notes[{index}].anchor`"
            )
        result.append(
            Note(
                id=record.id,
                brief_id=record.brief_id,
                anchor=record.anchor,
                text=strip_controls(record.text),
                quote=strip_controls(record.quote),
                created=_time(record.created, index + 1, "created"),
                updated=_time(record.updated, index + 1, "updated"),
                prefix=strip_controls(record.prefix),
                suffix=strip_controls(record.suffix),
                start=record.start if version > 1 else None,
            )
        )
    return result


_MARKERS: Final = {
    "attached": "",
    "moved": " (moved)",
    "changed": " (changed since noted)",
    "orphaned": " (orphaned)",
}


def _listed_note(note: Note, where: Placement | None, brief: Brief | None) -> list[str]:
    """One note of :func:`notes_to_markdown`: where it is, the words it quotes, its text."""
    if brief is None or where is None:
        label, status = note.anchor, "attached"
    else:
        label, status = where.label(brief, note), where.status
    out = [f"### {one_line(label)}{_MARKERS[status]}", ""]
    if note.quote and where is not None and status == "changed":
        out += [f"*On:* “{one_line(shown_quote(note))}”", "", f"*Now:* “{one_line(where.new)}”", ""]
    elif note.quote:
        out += [f"*On:* “{one_line(shown_quote(note))}”", ""]
    out += _block(note.text) or ["*(a highlight, without a note)*", ""]
    edited = f" · edited {_when(note.updated)}" if note.updated != note.created else ""
    return [*out, f"*Written {_when(note.created)}{edited}* · {code_span(note.anchor)}", ""]


def _reading_order(
    order: Mapping[Anchor, int], pair: tuple[Note, Placement | None]
) -> tuple[int, str, datetime, str]:
    note, where = pair
    at = order.get(where.anchor, len(order)) if where and where.anchor else len(order)
    return (at, note.anchor, note.created, note.id)


def notes_to_markdown(notes: Iterable[Note], briefs_by_id: Mapping[str, Brief]) -> str:
    """Notes alone, grouped by brief then by anchor in reading order, as Markdown.

    Briefs missing from ``briefs_by_id`` are listed by id, their anchors as written.
    """
    grouped: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        grouped[note.brief_id].append(note)
    out = ["# termbrief notes", ""]
    if not grouped:
        out += ["No notes.", ""]

    def title_of(brief_id: str) -> str:
        brief = briefs_by_id.get(brief_id)
        return brief.title.casefold() if brief else "\uffff" + brief_id

    for brief_id in sorted(grouped, key=title_of):
        brief = briefs_by_id.get(brief_id)
        title = one_line(brief.title) if brief else "(brief not found)"
        out += [f"## {title} ({code_span(brief_id)})", ""]
        group = grouped[brief_id]
        placed: list[Placement | None] = list(reanchor(brief, group)) if brief else []
        pairs = list(zip(group, placed or [None] * len(group), strict=True))
        anchors = labelled_anchors(brief) if brief else []
        order = {anchor: n for n, (anchor, _) in enumerate(anchors)}

        for note, where in sorted(pairs, key=partial(_reading_order, order)):
            out += _listed_note(note, where, brief)
    return "\n".join(out).rstrip() + "\n"
