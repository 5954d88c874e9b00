"""Text from briefs and notes made safe to paste into the Markdown documents termbrief writes.

A brief is untrusted input: pasted as it is, an unclosed code fence or an ``<!--`` line in its
summary turns the rest of an export (the user's notes included) into code or a hidden comment, a
``## Notes`` line forges a heading, a ``> **Note**`` block forges a note, a newline in a title or
an address starts a new block. So:

- one-line fields go through :func:`one_line` (whitespace, newlines included, collapsed; Markdown
  escaped), addresses through :func:`link`, code through :func:`code_span`;
- Markdown fields go through :func:`contained`: headings, raw HTML and reference definitions are
  escaped, an open fence is closed, and the result is checked with markdown-it (the parser
  Textual renders with): if the text still produces a heading, HTML, a note-like quote, or
  changes how the text *after* it parses, it is written as a fenced code block instead, with a
  fence longer than any run of backticks in it, so nothing in it can end the fence.

This module imports no Textual.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["code_span", "contained", "escape_markdown", "link", "one_line"]

# Inline characters that would start emphasis, code, links or HTML; `_` only at a word edge.
_INLINE: Final = re.compile(r"([\\`*\[\]<]|(?<!\w)_|_(?!\w))")
_LINE_START: Final = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)

_FENCE_OPEN: Final = re.compile(r"^ {0,3}(`{3,}(?=[^`]*$)|~{3,})")
_ATX: Final = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_SETEXT: Final = re.compile(r"^( {0,3})([=-])(?=\2*[ \t]*$)")
_REFERENCE: Final = re.compile(r"^( {0,3})\[(?=[^\]]+\]:)")
_HTML_START: Final = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK: Final = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>|<[^\s<>@]+@[^\s<>@]+>")
_BACKTICKS: Final = re.compile(r"`+")
_URL_UNSAFE: Final = re.compile(r"[\s<>\x00-\x1f\x7f-\x9f]")
_URL: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*$")
_SENTINEL: Final = "termbrief-end-of-contained-text"
_NOTE_WORD: Final = re.compile(r"note\b")


def escape_markdown(text: str) -> str:
    """Plain brief text made safe to drop into Markdown, escaping as little as possible."""
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[-1] in ".)" else "\\" + marker


def one_line(text: str) -> str:
    """A one-line field (title, name, label...) as escaped Markdown on one line: a newline in
    it must never start a heading, a list or a quote."""
    return escape_markdown(" ".join(text.split()))


def code_span(text: str) -> str:
    """``text`` on one line as an inline code span that no backtick in it can close."""
    text = " ".join(text.split())
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def link(url: str) -> str:
    """An address as an autolink (``<https://…>``) when it is one, else as escaped text.

    Whitespace (newlines included), angle brackets and control characters are percent-encoded
    first: none of them belongs in an address, and each could end the link or the line.
    """
    encoded = _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
    return f"<{encoded}>" if _URL.match(encoded) else escape_markdown(encoded)


# --------------------------------------------------------------------------- Markdown fields


def contained(text: str) -> str:
    """Markdown ``text`` that can neither swallow, hide nor forge what follows it.

    The text is kept as Markdown wherever it is safe (emphasis, lists, quotes, links, closed
    code blocks); only headings, raw HTML and reference definitions are escaped and an open code
    fence is closed. If markdown-it still finds something that could forge or hide, the whole
    text becomes a fenced code block.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return ""
    fixed = "\n".join(_neutralised(text.split("\n")))
    return fixed if _is_contained(fixed) else fenced(text)


def fenced(text: str) -> str:
    """``text`` as a fenced code block whose fence is longer than any backtick run in it."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _neutralised(lines: list[str]) -> list[str]:
    out: list[str] = []
    fence: str | None = None  # the open fence's characters, while inside a fenced block
    previous_blank = True
    for line in lines:
        if fence is not None:
            out.append(line)
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        opener = _FENCE_OPEN.match(line)
        if opener:
            fence = opener.group(1)
            out.append(line)
            previous_blank = False
            continue
        line = _ATX.sub(r"\1\\\2", line)
        line = _REFERENCE.sub(r"\1\\[", line)
        if not previous_blank:
            line = _SETEXT.sub(r"\1\\\2", line)
        out.append(_escape_html(line))
        previous_blank = not line.strip()
    if fence is not None:
        out.append(fence)  # close what the text left open
    return out


def _escape_html(line: str) -> str:
    """``<`` that could start raw HTML (a tag, a comment) becomes ``&lt;``, except inside
    code spans and autolinks, where it is literal already."""
    keep = [match.span() for match in _AUTOLINK.finditer(line)] + _code_spans(line)

    def escape(match: re.Match[str]) -> str:
        inside = any(start <= match.start() < end for start, end in keep)
        return match.group() if inside else "&lt;"

    return _HTML_START.sub(escape, line)


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Where the inline code spans of one line are (a run of backticks up to the next run of
    the same length)."""
    spans: list[tuple[int, int]] = []
    runs = list(_BACKTICKS.finditer(line))
    index = 0
    while index < len(runs):
        width = len(runs[index].group())
        later = range(index + 1, len(runs))
        closing = next((j for j in later if len(runs[j].group()) == width), None)
        if closing is None:
            index += 1
            continue
        spans.append((runs[index].start(), runs[closing].end()))
        index = closing + 1
    return spans


@functools.cache
def _parser() -> MarkdownIt:
    # Imported here: `notes list` and the other commands that write no Markdown skip it.
    from markdown_it import MarkdownIt

    # The rules the reader renders briefs with (ui/render/markdown.py).
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _is_contained(text: str) -> bool:
    """Whether ``text``, followed by a paragraph of ours, parses with no heading, no raw HTML, no
    reference definition and no note-like quote, and leaves that paragraph a paragraph."""
    env: dict[str, object] = {}
    tokens = _parser().parse(f"{text}\n\n{_SENTINEL}\n", env)
    if env.get("references"):
        return False
    for token in _walk(tokens):
        if token.type in ("heading_open", "html_block", "html_inline"):
            return False
    if _looks_like_a_note(tokens):
        return False
    last = tokens[-3:]
    return (
        [token.type for token in last] == ["paragraph_open", "inline", "paragraph_close"]
        and last[0].level == 0
        and last[1].content == _SENTINEL
    )


def _walk(tokens: list[Token]) -> list[Token]:
    found: list[Token] = []
    for token in tokens:
        found.append(token)
        if token.children:
            found += _walk(token.children)
    return found


def _looks_like_a_note(tokens: list[Token]) -> bool:
    """A quote whose first paragraph starts in bold with "Note", like the note blocks of an
    export."""
    for index, token in enumerate(tokens[:-2]):
        if token.type != "blockquote_open" or tokens[index + 1].type != "paragraph_open":
            continue
        children = [c for c in tokens[index + 2].children or [] if c.type != "text" or c.content]
        bold = len(children) >= 2 and children[0].type == "strong_open"
        if bold and _NOTE_WORD.match(children[1].content.strip().casefold()):
            return True
    return False
