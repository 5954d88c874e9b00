"""Notes as W3C Web Annotations (JSON-LD), out and back in without loss.

:func:`notes_to_w3c` writes one ``AnnotationCollection`` whose one ``AnnotationPage`` holds an
``Annotation`` per note:

- ``id``: ``urn:uuid:…`` (a termbrief note id is a UUID in hex), ``created``, ``modified``;
- ``motivation``: ``commenting``, or ``highlighting`` for a highlight without a note;
- ``body``: a ``TextualBody`` with the note's Markdown (none for a highlight);
- ``target``: ``source`` is the brief (``urn:termbrief:brief:<id>``); ``selector`` lists two
  alternatives that each find the words: a ``TextQuoteSelector`` (exact words, prefix, suffix),
  and a ``FragmentSelector`` naming the place in termbrief's own terms (``summary/3``: see
  :data:`ANCHORS`) refined by a ``TextPositionSelector`` of the words in that place's text. A
  note on a whole section has the fragment alone.

:func:`notes_from_w3c` reads such a document back (termbrief's own exports; other tools'
annotations lack the fragment that says where in a brief they belong). Export, import into an
empty store and export again give the same text. This module imports no Textual.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final

from termbrief.core.anchors import Anchor
from termbrief.core.annotation import Note
from termbrief.core.jsonsafe import MAX_DEPTH, load_json
from termbrief.core.model import ID_PATTERN
from termbrief.core.text import escaped, strip_controls
from termbrief.store.notes import NotesError, note_time

__all__ = ["ANCHORS", "CONTEXT", "looks_like_w3c", "notes_from_w3c", "notes_to_w3c"]

CONTEXT: Final = "http://www.w3.org/ns/anno.jsonld"
"""The Web Annotation JSON-LD context."""
ANCHORS: Final = "https://termbrief.dev/anchors"
"""What a termbrief ``FragmentSelector`` conforms to: an anchor's stored form (see
:mod:`termbrief.core.anchors`)."""
_BRIEF: Final = "urn:termbrief:brief:"
_NOTE: Final = "urn:termbrief:note:"
_UUID: Final = "urn:uuid:"
_FOREIGN_IDS: Final = uuid.UUID("6c1d3f0e-2b7a-4c55-9a43-3f1e0d2c8b71")
_BRIEF_ID: Final = re.compile(ID_PATTERN).fullmatch
_NOTE_ID: Final = re.compile(r"[A-Za-z0-9._-]{1,128}").fullmatch


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _note_iri(note_id: str) -> str:
    if len(note_id) == 32 and note_id == note_id.lower():
        try:
            return _UUID + str(uuid.UUID(hex=note_id))
        except ValueError:
            pass
    return _NOTE + note_id


def _annotation(note: Note) -> dict[str, Any]:
    selectors: list[dict[str, Any]] = []
    if note.quote:
        quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": note.quote}
        if note.prefix:
            quote["prefix"] = note.prefix
        if note.suffix:
            quote["suffix"] = note.suffix
        selectors.append(quote)
    place: dict[str, Any] = {
        "type": "FragmentSelector",
        "conformsTo": ANCHORS,
        "value": note.anchor,
    }
    if note.start is not None:
        end = note.start + len(note.quote)
        place["refinedBy"] = {"type": "TextPositionSelector", "start": note.start, "end": end}
    selectors.append(place)
    annotation: dict[str, Any] = {
        "id": _note_iri(note.id),
        "type": "Annotation",
        "motivation": "commenting" if note.text else "highlighting",
        "created": _iso(note.created),
        "modified": _iso(note.updated),
    }
    if note.text:
        annotation["body"] = {"type": "TextualBody", "value": note.text, "format": "text/markdown"}
    annotation["target"] = {"source": _BRIEF + note.brief_id, "selector": selectors}
    return annotation


def notes_to_w3c(notes: Iterable[Note]) -> str:
    """``notes`` as one W3C ``AnnotationCollection`` (JSON-LD text, the same for the same notes:
    no time of export in it)."""
    items = [_annotation(note) for note in notes]
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "termbrief notes",
        "total": len(items),
    }
    if items:
        collection["first"] = {"type": "AnnotationPage", "startIndex": 0, "items": items}
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


def looks_like_w3c(text: str | bytes) -> bool:
    """Whether ``text`` is (probably) a W3C annotation document rather than termbrief's JSON."""
    head = text[:4096] if isinstance(text, str) else text[:4096].decode("utf-8", "replace")
    return '"@context"' in head


# --------------------------------------------------------------------------- reading


class _Invalid(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{problem} - at `{where}`")


def _field(value: Any, where: str, name: str, kind: type, *, required: bool = True) -> Any:
    if not isinstance(value, dict):
        raise _Invalid(where, "expected an object")
    found = value.get(name)
    if found is None and not required:
        return None
    if not isinstance(found, kind) or isinstance(found, bool):
        what = {str: "a string", int: "a whole number", dict: "an object", list: "a list"}[kind]
        raise _Invalid(f"{where}.{name}", f"expected {what}")
    return found


def _types(value: Any) -> set[str]:
    kind = value.get("type") if isinstance(value, dict) else None
    return {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()


def _note_id(iri: str, where: str) -> str:
    if iri.startswith(_UUID):
        try:
            return uuid.UUID(iri[len(_UUID) :]).hex
        except ValueError:
            raise _Invalid(where, "not a UUID") from None
    if iri.startswith(_NOTE):
        note_id = iri[len(_NOTE) :]
        if _NOTE_ID(note_id):
            return note_id
        raise _Invalid(where, "not a termbrief note id")
    return uuid.uuid5(_FOREIGN_IDS, iri).hex  # another tool's annotation: a stable id of ours


def _time(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise _Invalid(where, "expected a time such as 2024-09-10T08:30:00Z")
    try:
        return note_time(value)
    except ValueError as error:
        raise _Invalid(where, f"not a valid time ({error})") from None


def _selectors(target: dict[str, Any], where: str) -> tuple[str, str, str, str, int | None]:
    """``(anchor, exact, prefix, suffix, start)`` from a target's selectors."""
    found = target.get("selector")
    listed = found if isinstance(found, list) else [found]
    anchor: str | None = None
    exact = prefix = suffix = ""
    start: int | None = None
    for n, selector in enumerate(listed):
        at = f"{where}.selector" + (f"[{n}]" if isinstance(found, list) else "")
        kinds = _types(selector)
        if "TextQuoteSelector" in kinds:
            exact = _field(selector, at, "exact", str)
            prefix = _field(selector, at, "prefix", str, required=False) or ""
            suffix = _field(selector, at, "suffix", str, required=False) or ""
        elif "FragmentSelector" in kinds and selector.get("conformsTo") == ANCHORS:
            anchor = _field(selector, at, "value", str)
            refined = selector.get("refinedBy")
            if refined is not None:
                if "TextPositionSelector" not in _types(refined):
                    raise _Invalid(f"{at}.refinedBy", "expected a TextPositionSelector")
                start = _field(refined, f"{at}.refinedBy", "start", int)
                if start < 0:
                    raise _Invalid(f"{at}.refinedBy.start", "cannot be negative")
    if anchor is None:
        raise _Invalid(f"{where}.selector", f"no FragmentSelector conforming to {ANCHORS}")
    if not Anchor.is_valid(anchor):
        raise _Invalid(f"{where}.selector", f"`{escaped(anchor)[:80]}` is not a valid anchor")
    return anchor, exact, prefix, suffix, start


def _note(annotation: Any, where: str) -> Note:
    if "Annotation" not in _types(annotation):
        raise _Invalid(where, 'not an Annotation (no "type": "Annotation")')
    note_id = _note_id(_field(annotation, where, "id", str), f"{where}.id")
    target = _field(annotation, where, "target", dict)
    source = _field(target, f"{where}.target", "source", str)
    brief_id = source[len(_BRIEF) :] if source.startswith(_BRIEF) else ""
    if not _BRIEF_ID(brief_id):
        raise _Invalid(f"{where}.target.source", f"not a termbrief brief ({_BRIEF}<id>)")
    anchor, exact, prefix, suffix, start = _selectors(target, f"{where}.target")
    body = annotation.get("body")
    text = ""
    if body is not None:
        if isinstance(body, list):
            raise _Invalid(f"{where}.body", "a note has one body")
        text = _field(body, f"{where}.body", "value", str)
    created = _time(annotation.get("created"), f"{where}.created")
    modified = annotation.get("modified")
    updated = created if modified is None else _time(modified, f"{where}.modified")
    return Note(
        note_id,
        brief_id,
        anchor,
        strip_controls(text),
        strip_controls(exact),
        created,
        updated,
        strip_controls(prefix),
        strip_controls(suffix),
        start,
    )


def notes_from_w3c(text: str | bytes) -> list[Note]:
    """Read a W3C annotation document: an ``AnnotationCollection`` (its first page), an
    ``AnnotationPage``, one ``Annotation`` or a list of them. Text is cleaned of control
    characters.

    Raises:
        NotesError: the text is not such a document, or an annotation is not one termbrief can
            place, with where (``$.first.items[2].target.source``) and why.
    """
    try:
        raw: Any = load_json(text, MAX_DEPTH)
    except json.JSONDecodeError as error:
        raise NotesError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    try:
        items, where = _items(raw)
        return [_note(item, f"{where}[{n}]") for n, item in enumerate(items)]
    except _Invalid as error:
        raise NotesError(f"invalid W3C annotations: {error}") from None


def _items(raw: Any) -> tuple[list[Any], str]:
    if isinstance(raw, list):
        return raw, "$"
    kinds = _types(raw)
    if "AnnotationCollection" in kinds:
        first = raw.get("first")
        if first is None:
            return [], "$.first.items"
        if isinstance(first, str):
            raise _Invalid("$.first", "pages kept elsewhere cannot be read; embed the page")
        return _field(first, "$.first", "items", list), "$.first.items"
    if "AnnotationPage" in kinds:
        return _field(raw, "$", "items", list), "$.items"
    if "Annotation" in kinds:
        return [raw], "$"
    raise _Invalid("$", "not a W3C AnnotationCollection, AnnotationPage or Annotation")
