"""A fast path for the common, simple Markdown of briefs, so start-up needs no markdown-it.

Handles paragraphs, ``#`` headings, single-level ``-``/``*``/``+`` and ``1.`` lists, single-level
``>`` quotes, and inline ``**strong**``, ``*emphasis*``, ```code``` and ``[text](url)`` — the
subset nearly every brief uses. Whenever the text holds anything else, or anything this parser
could read differently from CommonMark (an unmatched ``*``, a ``_``, a backslash, HTML, a list
interrupting a paragraph, a loose list...), :func:`parse_lite` returns None and the caller uses
markdown-it. Tests check both parsers give the same result on every case the fast path accepts.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import msgspec

# Characters that, anywhere in the text, send it to markdown-it.
_UNSUPPORTED: Final = re.compile(
    r"[_\\<&|~!]|\*\*\*|``|^ {0,3}(?:[-*_=]\s*){3,}$|  $", re.MULTILINE
)
_HEADING: Final = re.compile(r"^(#{1,6}) +(.*?)(?: +#+)? *$")
_BULLET: Final = re.compile(r"^([-*+]) +(\S.*)$")
_ORDERED: Final = re.compile(r"^(\d{1,9})([.)]) +(\S.*)$")
_BLOCK_START: Final = re.compile(r"^ {0,3}(?:[-*+] |\d{1,9}[.)] |#|>|```)")
_INLINE: Final = re.compile(
    r"(?P<strong>\*\*(?P<strong_text>[^*`\[\]]+?)\*\*)"
    r"|(?P<em>\*(?P<em_text>[^*`\[\]]+?)\*)"
    r"|(?P<code>`(?P<code_text>[^`]+)`)"
    r"|(?P<link>\[(?P<link_text>[^*`\[\]]+)\]\((?P<url>[^()\s]+)\))"
)


class Inline(msgspec.Struct, frozen=True):
    """A run of text with one kind: ``text``, ``strong``, ``em``, ``code`` or ``link``."""

    kind: str
    text: str
    url: str = ""


class LiteBlock(msgspec.Struct, frozen=True):
    """A top-level block: ``paragraph``, ``heading``, ``bullet``, ``ordered`` or ``quote``."""

    kind: str
    lines: tuple[int, int]
    """Source lines, 0-based, end excluded (as markdown-it's ``map``)."""
    items: tuple[tuple[Inline, ...], ...]
    """The block's inline content: one entry per list item (one for the other kinds)."""
    level: int = 0
    """Heading level."""
    start: int = 1
    """First number of an ordered list."""


def _is_punct(char: str) -> bool:
    """Punctuation as markdown-it sees it (Unicode categories P* and S*)."""
    return unicodedata.category(char).startswith(("P", "S"))


def _flanks(text: str, start: int, end: int, size: int) -> bool:
    """CommonMark's flanking rules for ``*`` runs of ``size`` at ``start`` and ``end - size``."""
    before = text[start - 1] if start > 0 else " "
    after_open = text[start + size]
    before_close = text[end - size - 1]
    after = text[end] if end < len(text) else " "
    left = not after_open.isspace() and (
        not _is_punct(after_open) or before.isspace() or _is_punct(before)
    )
    right = not before_close.isspace() and (
        not _is_punct(before_close) or after.isspace() or _is_punct(after)
    )
    return left and right


def _inline(text: str) -> tuple[Inline, ...] | None:
    """Inline runs of one paragraph (lines already joined), or None if unsure."""
    runs: list[Inline] = []
    position = 0
    for match in _INLINE.finditer(text):
        plain = text[position : match.start()]
        if any(char in plain for char in "*`[]"):
            return None
        if plain:
            runs.append(Inline("text", plain))
        if match.group("strong"):
            kind, body = "strong", match.group("strong_text")
        elif match.group("em"):
            kind, body = "em", match.group("em_text")
        elif match.group("code"):
            kind, body = "code", match.group("code_text")
        else:
            kind, body = "link", match.group("link_text")
        size = 2 if kind == "strong" else 1
        if kind in ("strong", "em") and not _flanks(text, match.start(), match.end(), size):
            return None
        if kind == "code" and (body.startswith(" ") or body.endswith(" ")):
            return None
        if kind == "link" and (match.end() < len(text) and text[match.end()] in "([{"):
            return None
        runs.append(Inline(kind, body, match.group("url") or ""))
        position = match.end()
    rest = text[position:]
    if any(char in rest for char in "*`[]"):
        return None
    if rest:
        runs.append(Inline("text", rest))
    return tuple(runs)


def _join(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines)


def _paragraph_runs(lines: list[str]) -> tuple[Inline, ...] | None:
    if any(_BLOCK_START.match(line) for line in lines[1:]):
        return None  # a list, quote or heading interrupting a paragraph
    return _inline(_join(lines))


def _list_block(lines: list[str], start_line: int) -> LiteBlock | None:
    first = _BULLET.match(lines[0]) or _ORDERED.match(lines[0])
    if first is None:
        return None
    ordered = first.re is _ORDERED
    marker = first.group(2) if ordered else first.group(1)
    items: list[list[str]] = []
    for line in lines:
        found = _ORDERED.match(line) if ordered else _BULLET.match(line)
        if found and (found.group(2) if ordered else found.group(1)) == marker:
            items.append([found.group(3) if ordered else found.group(2)])
        elif items and line.startswith("  ") and not _BLOCK_START.match(line.strip() + " "):
            items[-1].append(line)
        else:
            return None
    runs = [_inline(_join(item)) for item in items]
    if any(run is None for run in runs):
        return None
    kind = "ordered" if ordered else "bullet"
    start = int(first.group(1)) if ordered else 1
    end = start_line + len(lines)
    return LiteBlock(kind, (start_line, end), tuple(r for r in runs if r is not None), 0, start)


def _block(lines: list[str], start_line: int) -> LiteBlock | None:
    end = start_line + len(lines)
    first = lines[0]
    if first.startswith((" ", "\t")):
        return None  # indented code, or indentation this parser does not model
    heading = _HEADING.match(first)
    if heading:
        if len(lines) > 1:
            return None
        runs = _inline(heading.group(2).strip())
        level = len(heading.group(1))
        return None if runs is None else LiteBlock("heading", (start_line, end), (runs,), level)
    if first.startswith(">"):
        if not all(line.startswith("> ") or line == ">" for line in lines):
            return None
        inner = [line[2:] for line in lines]
        if any(not line.strip() for line in inner) or _BLOCK_START.match(inner[0]):
            return None
        runs = _paragraph_runs(inner)
        return None if runs is None else LiteBlock("quote", (start_line, end), (runs,))
    if _BLOCK_START.match(first):
        return _list_block(lines, start_line)
    runs = _paragraph_runs(lines)
    return None if runs is None else LiteBlock("paragraph", (start_line, end), (runs,))


def parse_lite(source: str) -> list[LiteBlock] | None:
    """Blocks of ``source`` if it is within the simple subset, else None (use markdown-it)."""
    if "\t" in source or "\r" in source or _UNSUPPORTED.search(source):
        return None
    blocks: list[LiteBlock] = []
    lines = source.split("\n")
    run: list[str] = []
    start = 0
    for number, line in enumerate([*lines, ""]):
        if line.strip():
            if not run:
                start = number
            run.append(line)
            continue
        if run:
            block = _block(run, start)
            if block is None:
                return None
            if blocks and block.kind in ("bullet", "ordered") and blocks[-1].kind == block.kind:
                return None  # a loose list: markdown-it joins the two
            blocks.append(block)
            run = []
    return blocks
