"""One-line previews of longer text, cut between words: search snippets and mentions.

No Textual here. The text given is the text a pane shows (see
:func:`termbrief.core.segments.build_segments`), so a preview never shows Markdown syntax.
"""

from __future__ import annotations

import re
from typing import Final

import msgspec

__all__ = ["Clip", "clip", "snippet"]

_BLANKS: Final = re.compile(r"\s+")
_WORD_SLACK: Final = 16
"""How far a preview may reach back to begin at the start of a word instead of inside it."""


class Clip(msgspec.Struct, frozen=True):
    """A one-line window of a longer line, cut at word boundaries (see :func:`clip`)."""

    text: str
    """The window as shown, with ``…`` where the line goes on."""
    start: int
    """Where the kept part begins in the line."""
    end: int
    """Where the kept part ends in the line."""
    shift: int
    """Offset ``o`` of the line (``start <= o <= end``) is at ``o + shift`` in :attr:`text`."""


def clip(
    line: str,
    start: int,
    end: int,
    *,
    before: int,
    width: int,
    more_before: bool = False,
    more_after: bool = False,
) -> Clip:
    """About ``width`` characters of one-line ``line`` around ``line[start:end]``, beginning
    some ``before`` characters ahead of it, cut between words (a word longer than the window
    is cut where it must be).

    ``more_before`` / ``more_after``: ``line`` is itself a window of a longer text, so the
    ``…`` shows at that end even where nothing of ``line`` is cut.
    """
    first = max(0, min(start - before, len(line) - width))
    if first and line[first - 1] != " ":
        space = line.find(" ", first, start)
        if space >= 0:
            first = space + 1
        elif first - line.rfind(" ", 0, first) <= _WORD_SLACK:
            first = line.rfind(" ", 0, first) + 1  # no word starts before the match: back up
    last = min(len(line), max(first + width, end))
    if last < len(line) and line[last] != " ":
        space = line.rfind(" ", max(end, first + 1), last)
        if space > 0:
            last = space
    while last > end and line[last - 1] == " ":
        last -= 1
    prefix = "…" if first or more_before else ""
    suffix = "…" if last < len(line) or more_after else ""
    return Clip(prefix + line[first:last] + suffix, first, last, len(prefix) - first)


def snippet(
    text: str, start: int, end: int, *, before: int = 40, width: int = 120
) -> tuple[str, tuple[int, int]]:
    """One line of ``text`` around ``text[start:end]`` (a match in a segment's text), blanks
    folded, cut between words: the line and where the match is in it."""
    reach = 4 * width  # enough text around the match to fill the line once blanks fold
    low, high = max(0, start - reach), min(len(text), end + reach)
    head = _fold_blanks(text[low:start])
    if low:
        head = head[head.find(" ") + 1 :]  # the window began mid-word
    found = _fold_blanks(text[start:end])
    tail = _fold_blanks(text[end:high])
    if high < len(text) and " " in tail:
        tail = tail[: tail.rfind(" ")]
    line = (head + found + tail).rstrip()
    lead = len(line) - len(line.lstrip())
    line = line[lead:]
    at = max(0, len(head) - lead)
    window = clip(
        line,
        at,
        at + len(found),
        before=before,
        width=width,
        more_before=low > 0,
        more_after=high < len(text),
    )
    return window.text, (at + window.shift, at + len(found) + window.shift)


def _fold_blanks(text: str) -> str:
    return _BLANKS.sub(" ", text)
