"""A note as a row of the notes table and back: what the store cleans, checks and repairs.

:mod:`termbrief.store.notes` runs the database; this module says what goes in a row (every text
cleaned of control characters, the anchor checked) and how a row that another program changed
comes back safe to show. This module imports no Textual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec

from termbrief.core.anchors import Anchor, make_quote
from termbrief.core.annotation import Note, Target
from termbrief.core.text import strip_controls as clean_text
from termbrief.store import schema
from termbrief.store.schema import EARLIEST, note_time

__all__ = [
    "checked_target",
    "cleaned",
    "decode_row",
    "insert",
    "selected_columns",
    "target_of",
    "to_db",
    "with_target",
]


def target_of(anchor: str | Target, quote: str = "") -> Target:
    """What a note annotates, cleaned for storing: a :class:`Target` as given, or an anchor's
    stored form with the words it quotes (a whole item; their position unknown).

    Raises:
        ValueError: ``anchor`` is not a valid anchor, or a target came with a separate quote.
    """
    if isinstance(anchor, Target):
        if quote:
            raise ValueError("a target carries its own quote")
        target = anchor
    else:
        target = Target(Anchor.parse(anchor), quote, start=None)
    if target.start is not None and target.start < 0:
        raise ValueError("a quote cannot start before its text")
    return msgspec.structs.replace(
        target,
        exact=clean_text(target.exact),
        prefix=clean_text(target.prefix),
        suffix=clean_text(target.suffix),
    )


# --------------------------------------------------------------------------- rows


def to_db(moment: datetime) -> str:
    """A time as the table keeps it: UTC ISO 8601 with microseconds (sorts as it reads)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def decode_row(row: Sequence[object]) -> tuple[Note, list[str]]:
    """A stored row as a :class:`Note` that is safe to show, and what had to be repaired.

    We only ever write clean text and valid times, so anything else came from another program
    or from damage: control characters are removed (they would reach the terminal), binary
    data becomes text, and a time that cannot be shown is replaced by the other time of the
    note (or 1970-01-01) and reported. The id is kept as stored: it is the key to the row.
    """
    raw_id, brief_id, anchor, text, quote, created, updated, prefix, suffix, start = row
    note_id = schema.text_value(raw_id)
    who = f"note {make_quote(note_id, 24)}"
    problems = [
        f"{who}: {name} holds binary data; shown as text"
        for name, value in (
            ("text", text),
            ("quote", quote),
            ("prefix", prefix),
            ("suffix", suffix),
        )
        if isinstance(value, bytes)
    ]
    if start is not None and (not isinstance(start, int) or start < 0):
        problems.append(f"{who}: start is not a position in the text; the quote is searched for")
        start = None
    times: dict[str, datetime | None] = {}
    for name, value in (("created", created), ("updated", updated)):
        try:
            times[name] = note_time(value)
        except ValueError as error:
            times[name] = None
            problems.append(f"{who}: {name} is not a valid time ({error})")
    fallback = times["created"] or times["updated"] or EARLIEST
    return (
        Note(
            id=note_id,
            brief_id=clean_text(schema.text_value(brief_id)),
            anchor=clean_text(schema.text_value(anchor)),
            text=clean_text(schema.text_value(text)),
            quote=clean_text(schema.text_value(quote)),
            created=times["created"] or fallback,
            updated=times["updated"] or fallback,
            prefix=clean_text(schema.text_value(prefix)),
            suffix=clean_text(schema.text_value(suffix)),
            start=start,
        ),
        problems,
    )


def selected_columns(connection: sqlite3.Connection) -> str:
    """What to select for :data:`schema.COLUMNS`: the columns, or for a table from before
    selectors (a database opened read-only, so not migrated) the old ones and their defaults."""
    try:
        have = {row[1] for row in connection.execute("PRAGMA table_info(notes)")}
    except sqlite3.Error:
        return schema.COLUMNS
    if "start" in have:
        return schema.COLUMNS
    return schema.COLUMNS_BEFORE_SELECTORS + ", '' AS prefix, '' AS suffix, NULL AS start"


def checked_target(note: Note) -> Target:
    """``note``'s target, checked and cleaned.

    Raises:
        ValueError: its anchor is not a valid anchor, or its start is negative.
    """
    return target_of(
        Target(Anchor.parse(note.anchor), note.quote, note.prefix, note.suffix, note.start)
    )


def cleaned(note: Note) -> Note:
    """``note`` with every text cleaned, its anchor kept as it is (even one that is not valid:
    a note read from a database edited by hand is put back as it was)."""
    return msgspec.structs.replace(
        note,
        id=clean_text(note.id),
        brief_id=clean_text(note.brief_id),
        text=clean_text(note.text),
        quote=clean_text(note.quote),
        prefix=clean_text(note.prefix),
        suffix=clean_text(note.suffix),
    )


def with_target(note: Note, target: Target) -> Note:
    """``note`` on ``target`` (cleaned, like every text the store writes)."""
    return msgspec.structs.replace(
        note,
        id=clean_text(note.id),
        brief_id=clean_text(note.brief_id),
        text=clean_text(note.text),
        anchor=str(target.anchor),
        quote=target.exact,
        prefix=target.prefix,
        suffix=target.suffix,
        start=target.start,
    )


def insert(conn: sqlite3.Connection, note: Note, *, replace: bool = False) -> None:
    """Write ``note`` (already cleaned) as a row; ``replace`` overwrites a row with its id."""
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    values: tuple[Any, ...] = (
        note.id,
        note.brief_id,
        note.anchor,
        note.text,
        note.quote,
        to_db(note.created),
        to_db(note.updated),
        note.prefix,
        note.suffix,
        note.start,
    )
    conn.execute(
        f"{verb} INTO notes ({schema.COLUMNS}) VALUES ({', '.join('?' * len(values))})", values
    )
