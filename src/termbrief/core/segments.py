"""The searchable text of a brief: each item's fields as the panes show them, in pane order.

No Textual here. :func:`build_segments` turns a brief into :class:`Segment` pieces (Markdown
rendered by :func:`termbrief.core.markdown_text.shown_text`: no markup, link text without its
address; badges such as ``confidence:low`` as the panes draw them). Find in a brief
(:mod:`termbrief.core.search`), the library's ranked search
(:mod:`termbrief.core.library_index`) and the one-line previews (:mod:`termbrief.core.snippets`)
all read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import msgspec

from termbrief.core.anchors import Anchor
from termbrief.core.markdown_text import literal_text, shown_text
from termbrief.core.model import Brief
from termbrief.core.text import reveal

__all__ = ["Segment", "build_segments"]


class Segment(msgspec.Struct, frozen=True):
    """One searchable piece of text of a brief, as a pane shows it."""

    pane: str
    """``summary``, ``figures``, ``actors``, ``commentary``, ``timeline`` or ``sources``."""
    anchor: str
    """The stored form of the :class:`~termbrief.core.anchors.Anchor` of the item holding the
    text: ``figures/<id>``, ``timeline/<n>``..."""
    field: str
    """Which field of the item: ``summary``, ``key_point``, ``label``, ``name``, ``body``..."""
    text: str
    """The field's text as the pane shows it (Markdown rendered, see
    :func:`~termbrief.core.markdown_text.shown_text`); offsets of matches refer to it."""
    breaks: tuple[int, ...] = ()
    """Offsets in :attr:`text` of the line breaks between pieces the pane draws apart
    (paragraphs, list items, table rows): no match runs across one."""
    item: str = ""
    """The anchor of the pane item showing the text when :attr:`anchor` names its whole
    section (a key point: ``key_points/2``; a source: ``sources/3``); else empty."""


_MARKDOWN_FIELDS: Final = frozenset({"summary", "context", "description", "body", "note"})
"""Fields written in Markdown (the panes and details render them); the others show literally."""


def _segment(pane: str, anchor: str, name: str, value: str, item: str = "") -> Segment:
    if name in _MARKDOWN_FIELDS:
        shown = shown_text(value)
        return Segment(pane, anchor, name, shown.text, shown.breaks, item)
    # An address is shown with every character that does not print spelled out.
    shown_value = reveal(value) if name == "url" else literal_text(value)
    return Segment(pane, anchor, name, shown_value, (), item)


def _item_segments(
    anchor: Anchor, fields: Sequence[tuple[str, object]], item: str = ""
) -> list[Segment]:
    pane, stored = anchor.pane, str(anchor)
    return [
        _segment(pane, stored, name, value, item)
        for name, value in fields
        if isinstance(value, str) and value
    ]


_SUMMARY, _KEY_POINTS = Anchor("summary"), Anchor("key_points")


def _actor_name(brief: Brief, actor_id: str) -> str:
    """How the timeline names an event's actor: its name (its id if the brief lacks it)."""
    actor = brief.actor(actor_id)
    return actor.name if actor is not None else actor_id


def _badge(name: str, value: str | None) -> str | None:
    """``confidence:low``: the badge a pane shows, found by typing it in find."""
    return f"{name}:{value}" if value else None


def build_segments(brief: Brief) -> list[Segment]:
    """Every searchable text of ``brief`` as shown, in pane order (see
    :func:`termbrief.core.search.brief_segments`)."""
    segments = [_segment(_SUMMARY.pane, str(_SUMMARY), "summary", brief.summary)]
    # Key points live in the summary pane (their anchor's pane); each is told apart by its
    # item anchor, so a match in its text or in its badge lands on that very point.
    for n, point in enumerate(brief.key_points):
        segments += _item_segments(
            _KEY_POINTS,
            [("key_point", point), ("confidence", _badge("confidence", point.confidence))],
            str(Anchor.numbered("key_points", n)),
        )
    for fig in brief.figures:
        segments += _item_segments(
            Anchor.figure(fig.id),
            [
                ("label", fig.label),
                ("value", fig.shown_value()),  # with its change, as the pane says it
                ("period", fig.period),
                ("context", fig.context),
                ("source", fig.source),
                ("confidence", _badge("confidence", fig.confidence)),
            ],
        )
    for actor in brief.actors:
        segments += _item_segments(
            Anchor.actor(actor.id),
            [
                ("name", actor.name),
                ("role", actor.role),
                ("affiliation", actor.affiliation),
                ("aliases", ", ".join(actor.aliases)),
                ("description", actor.description),
            ],
        )
    for entry in brief.commentary:
        segments += _item_segments(
            Anchor.commentary(entry.id),
            [
                ("heading", entry.heading),
                ("author", entry.author),
                ("affiliation", entry.affiliation),
                ("stance", entry.stance),
                ("confidence", _badge("confidence", entry.confidence)),
                ("body", entry.body),
            ],
        )
    for index, event in enumerate(brief.timeline):
        segments += _item_segments(
            Anchor.event(index),
            [
                ("date", event.date.text),
                ("event", event.event),
                ("actors", ", ".join(_actor_name(brief, i) for i in event.actors)),
                ("confidence", _badge("confidence", event.confidence)),
            ],
        )
    sources = Anchor("sources")
    for n, source in enumerate(brief.sources):
        segments += _item_segments(
            sources,
            [
                ("title", source.title),
                ("publisher", source.publisher),
                ("author", source.author),
                ("reliability", _badge("reliability", source.reliability)),
                ("url", source.url),
                ("note", source.note),
            ],
            str(Anchor.numbered("sources", n)),
        )
    return segments
