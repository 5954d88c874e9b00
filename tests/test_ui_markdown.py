"""The Markdown renderer: safe, link-aware, and its fast paths equal to markdown-it's output."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment

from termbrief.core.loader import load_brief
from termbrief.ui.render.markdown import MarkdownBlock, block_at, render_markdown
from termbrief.ui.render.markdown_lite import parse_lite

REPO = Path(__file__).resolve().parents[1]


def rendered(blocks: list[MarkdownBlock], width: int = 40) -> list[list[tuple[str, str]]]:
    """Each block rendered: (text, style) runs, adjacent runs of one style merged."""
    console = Console(width=width, file=io.StringIO(), force_terminal=True)
    out = []
    for block in blocks:
        segments = Segment.simplify(console.render(block.renderable))
        out.append([(seg.text, str(seg.style)) for seg in segments])
    return out


def same(source: str) -> None:
    fast, full = render_markdown(source), render_markdown(source, fast=False)
    assert [b.plain for b in fast] == [b.plain for b in full]
    assert [b.links for b in fast] == [b.links for b in full]
    assert [b.lines[0] for b in fast] == [b.lines[0] for b in full]
    assert rendered(fast) == rendered(full)


LITE_CASES = [
    "One paragraph.",
    "Two lines\nof one paragraph.\n\nA second paragraph.",
    "Some **bold** and *em* and `code` and a [link](https://example.org/a).",
    "**Wang Xiaohong**\nsaid it, across a soft break.",
    "# Heading\n\nText under it.\n\n### Small heading ###",
    "- one\n- two, long enough to wrap across the forty columns of the test console\n- three",
    "1. first\n2. second\n\nafter",
    "7) seven\n8) eight",
    "> **Points to check.** A quote\n> on two lines.",
    "Text with a date 9–10 September and “quotes” and 5,000 officers.",
    'A **"quoted"** strong and *(parenthesised)* emphasis.',
    "- item\n  continued on an indented line",
]


@pytest.mark.parametrize("source", LITE_CASES)
def test_fast_path_equals_markdown_it(source: str) -> None:
    assert parse_lite(source) is not None, "this case should take the fast path"
    same(source)


FALLBACK_CASES = [
    "snake_case words",
    "a * b * c",
    "**unclosed bold",
    "Text\n- a list interrupting it",
    "- loose\n\n- list",
    "    indented code",
    "```\nfence\n```",
    "<b>html</b>",
    "an &amp; entity",
    "a\\*escaped\\*",
    "a hard  \nbreak",
    "***strong em***",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Title\n=====",
    "*a **nested** b*",
    "![image](x.png)",
    "a**b**c",
]


@pytest.mark.parametrize("source", FALLBACK_CASES)
def test_unsure_text_goes_to_markdown_it(source: str) -> None:
    # Either the fast path refuses, or (if it accepts) it must agree with markdown-it.
    if parse_lite(source) is not None:
        same(source)
    else:
        assert render_markdown(source)  # markdown-it renders it


def test_fast_path_equals_markdown_it_on_every_bundled_brief() -> None:
    files = sorted((REPO / "briefs").glob("*.yaml")) + sorted(
        (REPO / "tests/data/ui").glob("*.yaml")
    )
    checked = 0
    for path in files:
        try:
            brief = load_brief(path)
        except Exception:
            continue
        texts = [brief.summary, *(c.body for c in brief.commentary)]
        texts += [f.context for f in brief.figures if f.context]
        texts += [a.description for a in brief.actors if a.description]
        for text in texts:
            same(text)
            checked += 1
    assert checked > 0


def test_markup_in_markdown_stays_literal() -> None:
    blocks = render_markdown("Press [@click=app.quit]here[/] or x[/] or [b]a[/i].")
    assert blocks[0].plain == "Press [@click=app.quit]here[/] or x[/] or [b]a[/i]."
    text = "".join(run for line in rendered(blocks, width=200) for run, _style in line)
    assert "[@click=app.quit]here[/]" in text


def test_links_are_listed_and_never_terminal_hyperlinks() -> None:
    (block,) = render_markdown("See [the notice](https://example.org/n) now.")
    assert block.links == ("https://example.org/n",)
    console = Console(file=io.StringIO(), force_terminal=True)
    with console.capture() as capture:
        console.print(block.renderable)
    assert "\x1b]8;" not in capture.get()  # no OSC 8 hyperlink: the terminal must not open it
    assert "(https://example.org/n)" not in block.plain


def test_link_click_asks_the_app_to_confirm() -> None:
    (block,) = render_markdown("[x](https://example.org/)")
    console = Console(file=io.StringIO())
    segments = list(console.render(block.renderable))
    metas = [s.style.meta for s in segments if s.style is not None and s.style.meta]
    assert {"@click": ("app.confirm_link", ("https://example.org/",))} in metas


def test_control_characters_are_replaced() -> None:
    (block,) = render_markdown("bell\x07 escape\x1b[31m csi\x9b")
    assert "\x1b" not in block.plain and "\x9b" not in block.plain and "\x07" not in block.plain


def test_highlight_marks_matches() -> None:
    (block,) = render_markdown("Quist said **Quist** would.", lambda t: [(0, 5)])
    assert block.plain == "Quist said Quist would."
    assert any(span.start == 0 and span.end == 5 for span in block.renderable.spans)  # type: ignore[union-attr]


def test_block_at_maps_offsets_to_paragraphs() -> None:
    source = "First paragraph.\n\nSecond\nparagraph.\n\nThird."
    blocks = render_markdown(source)
    assert len(blocks) == 3
    assert block_at(blocks, source, source.index("Second")) == 1
    assert block_at(blocks, source, source.index("Third")) == 2
    assert block_at(blocks, source, 0) == 0


def test_long_summary_renders_quickly() -> None:
    import time

    source = "\n\n".join(f"Paragraph **{n}** with some *text* in it." for n in range(300))
    start = time.perf_counter()
    blocks = render_markdown(source)
    assert len(blocks) == 300
    assert time.perf_counter() - start < 1.0


def test_no_markdown_it_import_for_simple_text() -> None:
    code = (
        "import sys; from termbrief.ui.render.markdown import render_markdown;"
        "render_markdown('Some **bold** text.\\n\\n- a list');"
        "print('markdown_it' in sys.modules)"
    )
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
