"""Render untrusted text (briefs, notes, file names, addresses, error messages) literally.

Textual parses plain ``str`` given to ``Static``, ``Label``, ``DataTable`` cells, ``OptionList``
prompts and border titles as markup: ``[@click=app.quit]x[/]`` in a brief would become a live
action, and ``x[/]`` raises ``MarkupError`` and ends the app. Every piece of brief text that reaches
a widget goes through one of these helpers, which never parse markup.

Which characters may reach the terminal is decided once, in :mod:`termbrief.core.text`: prose
goes through :func:`clean` (control characters shown as U+FFFD, bidirectional overrides as
``⟨U+202E⟩``, invisible marks dropped), addresses and file names through :func:`reveal` (every
character that does not print shown as ``⟨U+XXXX⟩``). The loader already refuses control
characters in briefs; they are cleaned again here because other text (note imports, file names,
OS error messages) reaches the screen too.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from termbrief.core.text import REPLACEMENT, clean, one_line, reveal

__all__ = [
    "REPLACEMENT",
    "address",
    "clean",
    "content",
    "one_line",
    "reveal",
    "rich_text",
    "title",
]


def content(text: str, style: str = "") -> Content:
    """A Textual ``Content`` showing ``text`` literally (never parsed as markup)."""
    return Content.styled(clean(text), style) if style else Content(clean(text))


def rich_text(text: str, style: str = "") -> Text:
    """A Rich ``Text`` showing ``text`` literally (never parsed as markup)."""
    return Text(clean(text), style=style)


def title(text: str) -> Content:
    """A single-line ``Content`` for border titles, tab labels and headers."""
    return Content(one_line(text))


def address(text: str, style: str = "") -> Content:
    """A link address or a file name as the reader must see it to trust it: one line, every
    character that does not print shown as ``⟨U+XXXX⟩`` (see :func:`reveal`)."""
    return Content.styled(reveal(text), style) if style else Content(reveal(text))
