"""Brief Markdown as the plain text a reader sees, block by block. No Textual, no Rich.

Parsed with markdown-it, the parser the reader's renderer uses, with the same preset
(CommonMark, strikethrough, tables), so the blocks are the ones the summary pane shows. Only
imported when some Markdown must be read as text (the structural diff).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["markdown_blocks", "markdown_text"]

_NEWLINES: Final = re.compile(r"\r\n?")


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough").enable("table")


def markdown_blocks(source: str) -> list[tuple[str, str]]:
    """``(Markdown, plain text)`` of each top-level block of ``source`` (paragraph, list...).

    The plain text is what a reader sees: markup, link targets and HTML tags dropped, image alt
    text and code kept; a block's lines and list items are separated by newlines.
    """
    source = _NEWLINES.sub("\n", source)
    lines = source.split("\n")
    blocks: list[tuple[str, str]] = []
    span: list[int] | None = None
    parts: list[str] = []
    for token in _parser().parse(source):
        if token.level == 0 and token.nesting >= 0:
            span, parts = token.map, []
        if token.type == "inline":
            parts.append(_inline_text(token.children or ()))
        elif token.type in ("fence", "code_block", "html_block"):
            parts.append(token.content.rstrip("\n"))
        if token.level == 0 and token.nesting <= 0:
            markdown = "\n".join(lines[span[0] : span[1]]) if span else "\n".join(parts)
            blocks.append((markdown.strip("\n"), "\n".join(part for part in parts if part)))
    return blocks


def _inline_text(children: Iterable[object]) -> str:
    parts = []
    for child in children:
        kind = getattr(child, "type", "")
        if kind in ("text", "code_inline"):
            parts.append(getattr(child, "content", ""))
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(_inline_text(getattr(child, "children", None) or ()))
    return "".join(parts)


def markdown_text(source: str) -> str:
    """The plain text a reader sees of Markdown ``source``; blocks separated by blank lines."""
    return "\n\n".join(plain for _, plain in markdown_blocks(source))
