"""Brief Markdown as the plain text a reader sees, block by block. No Textual, no Rich.

Parsed with markdown-it, the parser the reader's renderer uses, with the same preset
(CommonMark, strikethrough, tables), so the blocks are the ones the summary pane shows.

Two readings of the same walk over the parse:

- :func:`shown_text`, **the text of an item**: exactly the characters the panes draw (see
  ``ui/render/markdown.py``), cleaned as they are drawn (:func:`termbrief.core.text.clean`):
  link text without its address, soft line breaks as spaces, code and inline HTML literal,
  images as ``[image: alt]``, table rows as ``a │ b``. Find in the brief, actor mentions, the
  library search and note quotes all search and show this text, and it keeps the offsets of
  its blocks, so a match leads back to the block (pane item) that draws it.
- :func:`markdown_blocks` / :func:`markdown_text`, for the structural diff: the words, with HTML
  tags dropped and images reduced to their alt text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Final

import msgspec

from termbrief.core.text import clean

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "MARKDOWN_SYNTAX",
    "ShownBlock",
    "ShownText",
    "literal_text",
    "markdown_blocks",
    "markdown_text",
    "shown_text",
]

_NEWLINES: Final = re.compile(r"\r\n?")

MARKDOWN_SYNTAX: Final = re.compile(
    r"[*_`\[\]<>#|~\\&!]|^\s*(?:[-+]|\d+[.)])\s|^ {4}|^\s*[=-]+\s*$", re.MULTILINE
)
"""Characters or line starts that make Markdown differ from plain paragraphs. Text without any
of them is split into paragraphs directly (the renderer's fast path too): no markdown-it."""

CELL_SEPARATOR: Final = " │ "
"""Between the cells of a table row, as the renderer draws them."""


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough").enable("table")


# --------------------------------------------------------------------------- the shown text


class ShownBlock(msgspec.Struct, frozen=True):
    """One top-level block (paragraph, list, quote, table...) as the reader sees it."""

    text: str
    """Its pieces (a paragraph, each list item's paragraphs, each table row...) joined by
    ``\\n``; a piece holds a ``\\n`` itself only where the pane breaks the line too (a hard
    break, a line of code)."""
    breaks: tuple[int, ...]
    """Offsets in :attr:`text` of the ``\\n`` between two pieces: the pane draws the pieces
    apart (two list items), so no match runs across one."""
    lines: tuple[int, int]
    """Lines of the source the block came from: 0-based, end excluded."""


class ShownText(msgspec.Struct, frozen=True):
    """The text of a Markdown field as the reader sees it, and where each block is in it."""

    text: str
    """The blocks' texts separated by blank lines (``\\n\\n``)."""
    blocks: tuple[ShownBlock, ...]
    """The blocks, in order: one per item of the pane showing the field."""
    starts: tuple[int, ...]
    """Offset of each block in :attr:`text`."""

    @property
    def breaks(self) -> tuple[int, ...]:
        """Offsets in :attr:`text` that no match may cross: the blank lines between blocks and
        the line breaks between the pieces of a block."""
        found: list[int] = []
        for start, block in zip(self.starts, self.blocks, strict=True):
            if start:
                found += (start - 2, start - 1)
            found += (start + at for at in block.breaks)
        return tuple(found)

    def block_at(self, offset: int) -> int:
        """Index of the block holding character ``offset`` of :attr:`text` (a blank line
        between two blocks belongs to the first); 0 when there are none."""
        return max(0, bisect_right(self.starts, offset) - 1)


def literal_text(text: str) -> str:
    """A field the panes show literally (a label, a name, a key point), as it is drawn."""
    return clean(text)


@lru_cache(maxsize=256)
def shown_text(source: str) -> ShownText:
    """The text a reader sees of Markdown ``source`` (see the module docstring).

    Cached by value: the brief screen, the find index and the summary pane's jumps ask for
    the same fields again.
    """
    source = _NEWLINES.sub("\n", source)
    if not source.strip():
        blocks: list[ShownBlock] = []
    elif not MARKDOWN_SYNTAX.search(source):
        blocks = [ShownBlock(clean(text), (), lines) for lines, text in plain_paragraphs(source)]
    else:
        blocks = [_shown_block(pieces, lines) for lines, pieces in _walk(source, shown=True)]
    starts, offset = [], 0
    for block in blocks:
        starts.append(offset)
        offset += len(block.text) + 2
    return ShownText("\n\n".join(b.text for b in blocks), tuple(blocks), tuple(starts))


def plain_paragraphs(source: str) -> list[tuple[tuple[int, int], str]]:
    """``(lines, text)`` of each paragraph of ``source``, text without Markdown syntax: runs of
    non-blank lines, each line stripped, joined by spaces (as a soft break reads)."""
    paragraphs: list[tuple[tuple[int, int], str]] = []
    run: list[str] = []
    start = 0
    for number, line in enumerate([*source.split("\n"), ""]):
        if line.strip():
            if not run:
                start = number
            run.append(line.strip())
        elif run:
            paragraphs.append(((start, number), " ".join(run)))
            run = []
    return paragraphs


def _shown_block(pieces: Sequence[str], lines: tuple[int, int]) -> ShownBlock:
    breaks, offset = [], 0
    for piece in pieces[:-1]:
        offset += len(piece)
        breaks.append(offset)
        offset += 1
    return ShownBlock("\n".join(pieces), tuple(breaks), lines)


# --------------------------------------------------------------------------- one walk


def _walk(source: str, *, shown: bool) -> list[tuple[tuple[int, int], list[str]]]:
    """``(source lines, pieces)`` of each top-level block of ``source``.

    ``shown``: the pieces as the renderer draws them (cleaned, table rows joined); otherwise
    the diff's reading (HTML dropped, images as alt text, cells one per piece, not cleaned).
    """
    blocks: list[tuple[tuple[int, int], list[str]]] = []
    span: list[int] | None = None
    pieces: list[str] = []
    row: list[str] | None = None
    for token in _parser().parse(source):
        if token.level == 0 and token.nesting >= 0:
            span, pieces = token.map, []
        kind = token.type
        if kind == "tr_open" and shown:
            row = []
        elif kind == "tr_close" and row is not None:
            pieces.append(CELL_SEPARATOR.join(row))
            row = None
        elif kind == "inline":
            text = _inline_text(token.children or (), shown)
            (row if row is not None else pieces).append(text)
        elif kind in ("fence", "code_block", "html_block"):
            content = token.content.rstrip("\n")
            pieces.append(clean(content) if shown else content)
        if token.level == 0 and token.nesting <= 0:
            lines = (span[0], span[1]) if span else (0, 0)
            blocks.append((lines, pieces))
    return blocks


def _inline_text(children: Iterable[Token], shown: bool) -> str:
    parts = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(" " if shown else "\n")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "image":
            if shown:
                parts.append(f"[image: {child.content or child.attrs.get('alt', '')}]")
            else:
                parts.append(_inline_text(child.children or (), shown))
        elif kind == "html_inline" and shown:
            parts.append(child.content)
    text = "".join(parts)
    return clean(text) if shown else text


# --------------------------------------------------------------------------- the diff's reading


def markdown_blocks(source: str) -> list[tuple[str, str]]:
    """``(Markdown, plain text)`` of each top-level block of ``source`` (paragraph, list...).

    The plain text is the words a reader sees: markup, link targets and HTML tags dropped,
    image alt text and code kept; a block's lines and list items are separated by newlines.
    """
    source = _NEWLINES.sub("\n", source)
    lines = source.split("\n")
    blocks: list[tuple[str, str]] = []
    for (first, end), pieces in _walk(source, shown=False):
        markdown = "\n".join(lines[first:end]) if end else "\n".join(pieces)
        blocks.append((markdown.strip("\n"), "\n".join(piece for piece in pieces if piece)))
    return blocks


def markdown_text(source: str) -> str:
    """The plain text a reader sees of Markdown ``source``; blocks separated by blank lines."""
    return "\n\n".join(plain for _, plain in markdown_blocks(source))
