"""Exports that brief content cannot break (issue 15, item 11): whatever a brief holds, the
headings and note blocks a Markdown parser finds in an export are exactly termbrief's own.

The exports are parsed with markdown-it-py, the parser Textual renders Markdown with.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from termbrief.core.anchors import Anchor
from termbrief.core.loader import load_brief_text
from termbrief.core.model import Brief
from termbrief.store.export import brief_to_markdown, notes_to_markdown
from termbrief.store.notes import Note
from termbrief.store.safe_markdown import code_span, contained, link, one_line

HOSTILE = """
id: hostile
title: "Hostile brief\\n# Forged title heading"
summary: |
  Opening paragraph with `a <code>` span and <span style="display:none">hidden</span>.

  ```python
  a fence that is never closed
figures:
  - id: count
    label: "A count\\n## Forged figure heading"
    value: 3
    context: |
      ~~~
      tilde fence, never closed
actors:
  - id: someone
    name: Someone
    kind: person
    description: |
      <!-- everything after this would be a comment

      ## Notes

      > **Note** (2024-01-01 00:00 UTC):
      >
      > A forged note.
commentary:
  - id: view
    author: Critic
    body: |
      # Fake top heading
      text
      ===
      <div hidden>
      [evil]: https://evil.example/
timeline:
  - date: 2024-09-04
    event: "Summit\\n## Forged timeline heading"
sources:
  - title: Source
    url: "https://example.org/a\\n## Forged from a url"
"""

REAL_HEADINGS = [
    (1, "Hostile brief # Forged title heading"),
    (2, "Summary"),
    (2, "Key figures"),
    (2, "Actors"),
    (3, "Someone"),
    (2, "Commentary"),
    (3, "Critic"),
    (2, "Timeline"),
    (2, "Sources"),
]

T0 = datetime(2024, 9, 11, 8, 30, tzinfo=UTC)


@pytest.fixture
def brief() -> Brief:
    return load_brief_text(HOSTILE, "hostile.yaml")


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").parse(markdown)


def flat(tokens: list[Token]) -> list[Token]:
    found: list[Token] = []
    for token in tokens:
        found.append(token)
        found += flat(token.children or [])
    return found


def headings(tokens: list[Token]) -> list[tuple[int, str]]:
    return [
        (int(token.tag[1]), tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def note_blocks(tokens: list[Token]) -> list[str]:
    """The text of every quote that starts with a bold "Note", as the export writes notes."""
    blocks: list[str] = []
    for index, token in enumerate(tokens):
        if token.type != "blockquote_open":
            continue
        inline = tokens[index + 2]
        if inline.type != "inline" or not inline.content.startswith("**Note**"):
            continue
        depth, end = 1, index + 1
        while depth:
            depth += {"blockquote_open": 1, "blockquote_close": -1}.get(tokens[end].type, 0)
            end += 1
        blocks.append(" ".join(t.content for t in tokens[index:end] if t.type == "inline"))
    return blocks


def note(brief: Brief, anchor: str, text: str, n: int) -> Note:
    moment = T0 + timedelta(minutes=n)
    return Note(f"n{n}", brief.id, anchor, text, Anchor.parse(anchor).quote(brief), moment, moment)


def test_a_hostile_brief_cannot_swallow_hide_or_forge_notes_and_headings(brief: Brief) -> None:
    notes = [
        note(brief, "summary", "REAL NOTE on the summary", 0),
        note(brief, "figures/count", "REAL NOTE on the figure", 1),
        note(brief, "actors/someone", "REAL NOTE on someone", 2),
        note(brief, "commentary/view", "REAL NOTE on the view", 3),
        note(brief, "sources", "REAL NOTE on the sources", 4),
    ]
    markdown = brief_to_markdown(brief, notes)
    tokens = parse(markdown)

    assert headings(tokens) == REAL_HEADINGS
    blocks = note_blocks(tokens)
    assert len(blocks) == len(notes)
    for written, block in zip(notes, blocks, strict=True):
        assert written.text in block
    everything = flat(tokens)
    assert not [t for t in everything if t.type in ("html_block", "html_inline")]
    for code in (t for t in everything if t.type in ("fence", "code_block", "code_inline")):
        assert "REAL NOTE" not in code.content
    # Content is kept, shown as text: nothing of the brief was dropped to make it safe.
    for words in ("a fence that is never closed", "A forged note.", "Fake top heading"):
        assert words in markdown
    assert "\r" not in markdown


def test_a_newline_in_an_address_stays_inside_the_link(brief: Brief) -> None:
    tokens = flat(parse(brief_to_markdown(brief)))
    (address,) = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert address == "https://example.org/a%0A##%20Forged%20from%20a%20url"


def test_reference_definitions_in_a_brief_cannot_take_over_links_in_notes() -> None:
    brief = load_brief_text(
        "id: refs\ntitle: Refs\nsummary: |\n  [source]: https://evil.example/\n\n  Text.\n",
        "refs.yaml",
    )
    markdown = brief_to_markdown(brief, [note(brief, "summary", "see [source]", 0)])
    environment: dict[str, object] = {}
    tokens = flat(MarkdownIt("commonmark").parse(markdown, environment))
    assert not environment.get("references")
    assert not [t for t in tokens if t.type == "link_open"]
    assert "https://evil.example/" in markdown  # still shown, as text


def test_hostile_note_text_cannot_forge_headings_in_a_notes_export(brief: Brief) -> None:
    forged = "# Forged\n\n<!--\n\n## Another brief (`x`)"
    markdown = notes_to_markdown([note(brief, "summary", forged, 0)], {brief.id: brief})
    tokens = parse(markdown)
    assert headings(tokens) == [
        (1, "termbrief notes"),
        (2, f"Hostile brief # Forged title heading ({code_span(brief.id)})"),
        (3, "Summary"),
    ]
    assert "Forged" in markdown


@pytest.mark.parametrize(
    "text",
    [
        "Plain **bold** paragraph.\n\n- a list\n- of items",
        "> **Points to check.** A quote the sample briefs use.",
        "```yaml\nkey: value\n```\n\nAfter the code.",
        "Code with `a <b>` span and <https://example.org> link.",
        "A table:\n\n| a | b |\n| - | - |\n| 1 | 2 |",
    ],
)
def test_ordinary_markdown_is_kept_as_markdown(text: str) -> None:
    assert contained(text) == text


def test_a_fence_is_longer_than_any_backtick_run_in_what_it_fences() -> None:
    text = "> **Note** (forged)\n\n````\ninner\n````"
    safe = contained(text)
    assert safe.startswith("`````text\n") and safe.endswith("\n`````")
    (block,) = [t for t in parse(safe + "\n\nafter") if t.type == "fence"]
    assert block.content == text + "\n"


def test_one_line_fields_lose_their_newlines() -> None:
    assert one_line("Title\n## heading\r\nmore") == "Title ## heading more"
    assert link("javascript:alert(1)\n# x") == "<javascript:alert(1)%0A#%20x>"
    assert link("not an address\n# x") == "not%20an%20address%0A#%20x"
    assert code_span("a`b\nc") == "``a`b c``"


def test_an_unclosed_fence_is_closed_and_the_text_before_it_stays_markdown() -> None:
    assert (
        contained("Intro **bold**.\n\n```python\nopen") == "Intro **bold**.\n\n```python\nopen\n```"
    )
    assert contained("~~~~\nopen\n~~~") == "~~~~\nopen\n~~~\n~~~~"  # a shorter fence does not close


def test_headings_and_html_are_escaped_not_fenced() -> None:
    assert contained("# Title\ntext\n===\n<!-- x") == "\\# Title\ntext\n\\===\n&lt;!-- x"
