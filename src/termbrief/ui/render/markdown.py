"""Brief Markdown -> Rich renderables, one per top-level block, fast and link-safe.

Why not Textual's ``Markdown`` widget: it builds a widget per block, so a long summary would take
seconds, and it opens links on click. Here markdown-it (imported lazily, and not at all for text
with no Markdown syntax) parses the text once and each top-level block becomes a plain Rich
renderable that a virtualised list (``ItemList``) can show.

Links are never emitted as terminal hyperlinks (a terminal would open them on ctrl+click, behind
the reader's back): link text is underlined and carries a click action that asks the app to confirm
the address first (``app.confirm_link``). Every string is built with ``Text.append``, so nothing in
a brief is parsed as Rich markup.

Text is cleaned (:func:`termbrief.ui.render.safe.clean`) as it is rendered, piece by piece, not
before parsing: a link's address must reach the confirmation dialog as the brief wrote it, so that
a right-to-left override in it shows there as ``⟨U+202E⟩`` rather than being rewritten first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Final

import msgspec
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from termbrief.core.markdown_text import (
    CELL_SEPARATOR,
    MARKDOWN_SYNTAX,
    plain_paragraphs,
    shown_text,
)
from termbrief.ui.render.markdown_lite import Inline, LiteBlock, parse_lite
from termbrief.ui.render.safe import clean

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

Highlighter = Callable[[str], Sequence[tuple[int, int]]]
"""Gives the ``(start, end)`` spans of a search query in a plain string."""

HIGHLIGHT_STYLE: Final = Style(reverse=True, bold=True)
"""How search matches look inside rendered Markdown."""


class MarkdownBlock(msgspec.Struct, frozen=True):
    """One top-level block of Markdown, rendered."""

    renderable: RenderableType
    """What to show."""
    plain: str
    """The block's text without Markdown syntax (what search highlighting matches against)."""
    links: tuple[str, ...]
    """Addresses of the links in the block, in order."""
    lines: tuple[int, int] = (0, 0)
    """Lines of the source the block came from: 0-based, end excluded."""


class Prefixed:
    """A renderable with a prefix on its first line and another on every following line.

    Gives list items a hanging indent and block quotes a bar down their left side.
    """

    def __init__(self, body: RenderableType, first: Text, rest: Text | None = None) -> None:
        self.body = body
        self.first = first
        self.rest = rest if rest is not None else first

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = max(self.first.cell_len, self.rest.cell_len)
        width = max(1, options.max_width - indent)
        lines = console.render_lines(self.body, options.update(width=width), pad=False)
        new_line = Segment.line()
        for number, line in enumerate(lines):
            prefix = self.first if number == 0 else self.rest
            yield from prefix.render(console)
            if prefix.cell_len < indent:
                yield Segment(" " * (indent - prefix.cell_len))
            yield from line
            yield new_line


def line_count(renderable: RenderableType, console: Console, options: ConsoleOptions) -> int:
    """How many lines ``renderable`` takes rendered with ``options``, as
    ``Segment.split_and_crop_lines(console.render(renderable, options))`` counts them, but
    without making the lines where the shape is known: a ``Group`` adds its parts' lines, a
    :class:`Prefixed` has its body's at the narrower width, and a ``Text`` that fits on one
    line is one line. Anything else is rendered and counted.
    """
    if isinstance(renderable, Group) and not any(
        # A text not ending its line runs on into the next part: counted together below.
        isinstance(part, Text) and part.end != "\n"
        for part in renderable.renderables
    ):
        return sum(line_count(part, console, options) for part in renderable.renderables)
    if isinstance(renderable, Prefixed):
        indent = max(renderable.first.cell_len, renderable.rest.cell_len)
        width = max(1, options.max_width - indent)
        return line_count(renderable.body, console, options.update(width=width))
    if isinstance(renderable, Text) and renderable.end == "\n":
        plain = renderable.plain
        if "\n" not in plain and "\t" not in plain and renderable.cell_len <= options.max_width:
            return 1
    lines = Segment.split_and_crop_lines(
        console.render(renderable, options), options.max_width, include_new_lines=False
    )
    return sum(1 for _ in lines)


def link_style(url: str) -> Style:
    """Underlined, and clicking asks the app to confirm ``url`` before opening it."""
    return Style(underline=True) + Style.from_meta({"@click": ("app.confirm_link", (url,))})


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough").enable("table")


def render_markdown(
    source: str, highlight: Highlighter | None = None, *, fast: bool = True
) -> list[MarkdownBlock]:
    """Render Markdown ``source`` as one :class:`MarkdownBlock` per top-level block.

    Args:
        source: Untrusted Markdown from a brief.
        highlight: Marks search matches in each block's plain text, if given.
        fast: Allow the fast paths (plain paragraphs, :mod:`markdown_lite`); False always
            parses with markdown-it (tests compare the two).
    """
    if not source.strip():
        return []
    if fast and not MARKDOWN_SYNTAX.search(source):
        return _plain_paragraphs(source, highlight)
    lite = parse_lite(source) if fast else None
    if lite is not None:
        return [_lite_block(block, highlight) for block in lite]

    from markdown_it.tree import SyntaxTreeNode

    tree = SyntaxTreeNode(_parser().parse(source))
    blocks = []
    for node in tree.children:
        renderer = _Renderer(highlight)
        renderable = renderer.block(node)
        lines = (node.map[0], node.map[1]) if node.map else (0, 0)
        plain = "\n".join(renderer.plain)
        blocks.append(MarkdownBlock(renderable, plain, tuple(renderer.links), lines))
    return blocks


def _lite_text(runs: Sequence[Inline], links: list[str]) -> Text:
    text = Text()
    for run in runs:
        if run.kind == "text":
            text.append(clean(run.text))
        elif run.kind == "link":
            links.append(run.url)
            text.append(clean(run.text), style=link_style(run.url))
        else:
            text.append(clean(run.text), style=_LITE_STYLES[run.kind])
    return text


def _lite_block(block: LiteBlock, highlight: Highlighter | None) -> MarkdownBlock:
    """Render a fast-path block exactly as :class:`_Renderer` renders markdown-it's tree."""
    links: list[str] = []
    texts = [_lite_text(runs, links) for runs in block.items]
    for text in texts:
        _highlight(text, highlight)
    plain = "\n".join(text.plain for text in texts)
    renderable: RenderableType
    if block.kind == "heading":
        texts[0].stylize(Style(bold=True, underline=block.level <= 2))
        renderable = texts[0]
    elif block.kind == "quote":
        renderable = Prefixed(texts[0], Text("▌ ", style=_DIM))
    elif block.kind in ("bullet", "ordered"):
        ordered = block.kind == "ordered"
        markers = [f"{block.start + n}. " if ordered else "• " for n in range(len(texts))]
        width = max(len(marker) for marker in markers)
        renderable = Group(
            *(
                Prefixed(text, Text(marker.rjust(width), style=_DIM), Text(" " * width))
                for marker, text in zip(markers, texts, strict=True)
            )
        )
    else:
        renderable = texts[0]
    return MarkdownBlock(renderable, plain, tuple(links), block.lines)


def _plain_paragraphs(source: str, highlight: Highlighter | None) -> list[MarkdownBlock]:
    """Text without Markdown syntax: paragraphs are runs of non-blank lines."""
    blocks: list[MarkdownBlock] = []
    for lines, paragraph in plain_paragraphs(source):
        text = Text(clean(paragraph))
        _highlight(text, highlight)
        blocks.append(MarkdownBlock(text, text.plain, (), lines))
    return blocks


def block_at(blocks: Sequence[MarkdownBlock], source: str, offset: int) -> int:
    """Index in ``blocks`` (``source`` rendered) of the block holding character ``offset`` of
    the text the reader sees of ``source``, which search matches in
    (:func:`termbrief.core.markdown_text.shown_text`: its blocks are these blocks)."""
    if not blocks:
        return 0
    return min(shown_text(source).block_at(offset), len(blocks) - 1)


def markdown_group(
    source: str, highlight: Highlighter | None = None
) -> tuple[Group, tuple[str, ...]]:
    """All of ``source`` as one renderable (blocks separated by blank lines), and its links."""
    blocks = render_markdown(source, highlight)
    parts: list[RenderableType] = []
    for index, block in enumerate(blocks):
        if index:
            parts.append(Text())
        parts.append(block.renderable)
    return Group(*parts), tuple(url for block in blocks for url in block.links)


def literal(text: str, style: Style | str = "", highlight: Highlighter | None = None) -> Text:
    """``text`` as a literal Rich ``Text`` (control characters cleaned), matches marked."""
    result = Text(clean(text), style=style)
    _highlight(result, highlight)
    return result


def _highlight(text: Text, highlight: Highlighter | None) -> None:
    if highlight is not None:
        for start, end in highlight(text.plain):
            text.stylize(HIGHLIGHT_STYLE, start, end)


_INLINE_STYLES: Final = {
    "strong": Style(bold=True),
    "em": Style(italic=True),
    "s": Style(strike=True),
}
_DIM: Final = Style(dim=True)
_LITE_STYLES: Final = {
    "strong": Style(bold=True),
    "em": Style(italic=True),
    "code": Style(bold=True),
}


class _Renderer:
    """Walks one top-level block of the syntax tree; collects its plain text and links."""

    def __init__(self, highlight: Highlighter | None) -> None:
        self.highlight = highlight
        self.plain: list[str] = []
        self.links: list[str] = []

    def block(self, node: SyntaxTreeNode) -> RenderableType:
        kind = node.type
        if kind == "paragraph":
            return self.inline(node.children[0] if node.children else None)
        if kind == "heading":
            level = int(node.tag[1:]) if node.tag[1:].isdigit() else 1
            text = self.inline(node.children[0] if node.children else None)
            text.stylize(Style(bold=True, underline=level <= 2))
            return text
        if kind in ("bullet_list", "ordered_list"):
            return self.list(node)
        if kind == "blockquote":
            bar = Text("▌ ", style=_DIM)
            body = self.blocks(node.children, gap=True)
            return Prefixed(body, bar)
        if kind in ("fence", "code_block"):
            return Prefixed(self.literal(node.content.rstrip("\n")), Text("  "))
        if kind == "hr":
            return Text("─" * 20, style=_DIM)
        if kind == "table":
            return self.table(node)
        return self.literal(node.content.rstrip("\n"))

    def blocks(self, nodes: Iterable[SyntaxTreeNode], *, gap: bool) -> RenderableType:
        parts: list[RenderableType] = []
        for node in nodes:
            if parts and gap:
                parts.append(Text())
            parts.append(self.block(node))
        return parts[0] if len(parts) == 1 else Group(*parts)

    def list(self, node: SyntaxTreeNode) -> RenderableType:
        ordered = node.type == "ordered_list"
        start = int(str(node.attrs.get("start", 1))) if ordered else 1
        markers = [f"{start + n}. " if ordered else "• " for n in range(len(node.children))]
        width = max((len(marker) for marker in markers), default=2)
        items: list[RenderableType] = []
        for marker, item in zip(markers, node.children, strict=True):
            body = self.blocks(item.children, gap=False)
            items.append(Prefixed(body, Text(marker.rjust(width), style=_DIM), Text(" " * width)))
        return Group(*items)

    def table(self, node: SyntaxTreeNode) -> RenderableType:
        lines: list[RenderableType] = []
        for section in node.children:
            for row in section.children:
                text = Text()
                for index, cell in enumerate(row.children):
                    if index:
                        text.append(CELL_SEPARATOR, style=_DIM)
                    text.append_text(
                        self.inline(cell.children[0] if cell.children else None, piece=False)
                    )
                if section.type == "thead":
                    text.stylize(Style(bold=True))
                # A row is one piece of the block's text, as search sees it.
                _highlight(text, self.highlight)
                self.plain.append(text.plain)
                lines.append(text)
        return Group(*lines)

    def literal(self, value: str) -> Text:
        text = Text(clean(value))
        _highlight(text, self.highlight)
        self.plain.append(text.plain)
        return text

    def inline(self, node: SyntaxTreeNode | None, *, piece: bool = True) -> Text:
        """The text of ``node``; ``piece``: it is a piece of the block's text on its own
        (highlighted and recorded), not a table cell, whose row is."""
        text = Text()
        if node is not None:
            self._inline_children(node, text, Style())
        if piece:
            _highlight(text, self.highlight)
            self.plain.append(text.plain)
        return text

    def _inline_children(self, node: SyntaxTreeNode, text: Text, style: Style) -> None:
        for child in node.children:
            kind = child.type
            if kind == "text":
                text.append(clean(child.content), style=style or None)
            elif kind == "softbreak":
                text.append(" ", style=style or None)
            elif kind == "hardbreak":
                text.append("\n")
            elif kind == "code_inline":
                text.append(clean(child.content), style=style + Style(bold=True))
            elif kind in _INLINE_STYLES:
                self._inline_children(child, text, style + _INLINE_STYLES[kind])
            elif kind == "link":
                url = str(child.attrs.get("href", ""))
                self.links.append(url)
                self._inline_children(child, text, style + link_style(url))
            elif kind == "image":
                alt = child.content or str(child.attrs.get("alt", ""))
                text.append(f"[image: {clean(alt)}]", style=style + _DIM)
            else:
                # html_inline and anything unexpected: shown as the literal source text.
                text.append(clean(child.content), style=style or None)
