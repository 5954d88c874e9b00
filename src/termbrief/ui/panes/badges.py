"""Compact badges for confidence, reliability and citations, shared by the panes and details.

A badge's text is also what find looks for (``confidence:low``, ``reliability:B``: see
:func:`termbrief.core.segments.build_segments`), so typing it in find walks every item that
wears it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text

from termbrief.core.model import RELIABILITY
from termbrief.ui.render.markdown import Highlighter, literal

_BADGE = Style(dim=True)
_LOW = Style(color="yellow")
_GAP = "  "


def confidence_badge(confidence: str | None) -> str:
    """``confidence:low`` (empty without a confidence)."""
    return f"confidence:{confidence}" if confidence else ""


def reliability_badge(grade: str | None) -> str:
    """``reliability:B`` (empty without a grade)."""
    return f"reliability:{grade}" if grade else ""


def reliability_words(grade: str) -> str:
    """``B (usually reliable)``."""
    return f"{grade} ({RELIABILITY.get(grade, '?')})"


def cited_badge(count: int) -> str:
    """``cites 2`` (empty when nothing is cited): how many sources an item rests on."""
    return f"cites {count}" if count else ""


def badges_line(badges: Iterable[str], highlight: Highlighter | None = None) -> Text:
    """The non-empty ``badges`` on one line, dim; a low confidence stands out."""
    line = Text()
    for badge in badges:
        if not badge:
            continue
        if line:
            line.append(_GAP)
        style = _LOW if badge == "confidence:low" else _BADGE
        line.append_text(literal(badge, style, highlight))
    return line
