"""Colour words of an item's text inside its rendered renderable: the selection being made
from the keyboard, and the highlights and notes saved on spans of words.

A pane renders an item (Markdown blocks, a timeline event, a source) into Rich ``Text`` pieces;
the spans are offsets in the item's text as the reader sees it
(:meth:`~termbrief.core.anchors.Anchor.content`), whose pieces are those same ``Text`` s in
order. :func:`mark_spans` finds each piece in that text and adds style spans to a copy of it:
nothing is parsed as markup, nothing is rendered again from source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Literal, NamedTuple

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual.color import Color

from termbrief.ui.render.markdown import Prefixed

__all__ = ["SCARCE_STYLES", "Span", "SpanKind", "mark_spans", "span_styles"]

SpanKind = Literal["selection", "highlight", "note"]
"""What a coloured span is: the words being selected, a highlight without text, or the words a
note with text is about."""


class Span(NamedTuple):
    """Words of an item's text to colour: ``text[start:end]``."""

    start: int
    """Where the words start."""
    end: int
    """Where they end (excluded)."""
    kind: SpanKind
    """What the words are (see :data:`SpanKind`)."""
    note_id: str = ""
    """The note whose words these are (empty for the selection)."""


SCARCE_STYLES: Final[Mapping[SpanKind, Style]] = {
    "selection": Style(reverse=True),
    "highlight": Style(underline=True),
    "note": Style(underline=True, bold=True),
}
"""The spans' looks where colour is scarce (``NO_COLOR``, few colours): no background."""


def span_styles(variables: Mapping[str, str]) -> dict[SpanKind, Style]:
    """The spans' looks in the theme whose CSS ``variables`` are given: the selection in the
    theme's selection colour, highlights in its muted warning (marker-pen) colour, words with
    a note underlined too. Colours with transparency are blended over ``$surface``."""

    def colour(name: str, fallback: str) -> Color:
        surface = Color.parse(variables.get("surface", "#000000"))
        try:
            return surface + Color.parse(variables.get(name, fallback))
        except Exception:  # a theme without the variable, or a value Textual cannot parse
            return surface + Color.parse(fallback)

    selection = colour("screen-selection-background", "#0178D47F").rich_color
    marker = colour("warning-muted", "#593E19").rich_color
    return {
        "selection": Style(bgcolor=selection),
        "highlight": Style(bgcolor=marker),
        "note": Style(bgcolor=marker, underline=True),
    }


def mark_spans(
    renderable: RenderableType,
    text: str,
    spans: Sequence[Span],
    styles: Mapping[SpanKind, Style],
) -> RenderableType:
    """``renderable`` (an item drawn from ``text``) with ``spans`` of ``text`` styled; the
    original is left as it was. Pieces not found in ``text`` (a date, a byline) stay plain."""
    if not spans:
        return renderable
    return _Marker(text, spans, styles).walk(renderable)


class _Marker:
    def __init__(self, text: str, spans: Sequence[Span], styles: Mapping[SpanKind, Style]) -> None:
        self.text = text
        # Saved spans first, the selection last: it is drawn over them.
        self.spans = sorted(spans, key=lambda span: span.kind == "selection")
        self.styles = styles
        self.position = 0

    def walk(self, renderable: RenderableType) -> RenderableType:
        if isinstance(renderable, Text):
            return self.text_piece(renderable)
        if isinstance(renderable, Group):
            parts = [self.walk(part) for part in renderable.renderables]
            return Group(*parts, fit=renderable.fit)
        if isinstance(renderable, Prefixed):
            return Prefixed(self.walk(renderable.body), renderable.first, renderable.rest)
        return renderable

    def text_piece(self, piece: Text) -> Text:
        plain = piece.plain
        if not plain:
            return piece
        at = self.text.find(plain, self.position)
        if at >= 0:  # a piece of the item's text (a paragraph, a list item)
            offset = at
            self.position = at + len(plain)
        else:
            inside = plain.find(self.text) if self.text else -1
            if inside < 0:
                return piece  # not the item's text: a date, a byline
            offset = -inside  # the whole text inside the piece (a key point after its bullet)
            self.position = len(self.text)
        marked = piece.copy()
        for span in self.spans:
            start = max(span.start - offset, 0)
            end = min(span.end - offset, len(plain))
            if start < end:
                marked.stylize(self.styles[span.kind], start, end)
        return marked
