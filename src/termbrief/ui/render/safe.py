"""Render untrusted text (briefs, notes, file names, error messages) literally.

Textual parses plain ``str`` given to ``Static``, ``Label``, ``DataTable`` cells, ``OptionList``
prompts and border titles as markup: ``[@click=app.quit]x[/]`` in a brief would become a live
action, and ``x[/]`` raises ``MarkupError`` and ends the app. Every piece of brief text that reaches
a widget goes through one of these helpers, which never parse markup.

The loader already refuses control characters in briefs; :func:`clean` strips them again because
other text (note imports, file names, OS error messages) reaches the screen too, and ESC or a C1
control would reach the terminal through ``Text`` and ``Content`` alike.
"""

from __future__ import annotations

import re
from typing import Final

from rich.text import Text
from textual.content import Content

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls except tab and newline, DEL, and C1 controls (0x9b is a one-byte CSI)."""
_LINE_BREAKS: Final = re.compile(r"\s*\n\s*")
REPLACEMENT: Final = "\ufffd"
"""What a stripped control character becomes, so that tampering stays visible."""


def clean(text: str) -> str:
    """``text`` with every control character except tab and newline replaced by U+FFFD."""
    return _CONTROL.sub(REPLACEMENT, text)


def one_line(text: str) -> str:
    """:func:`clean`, with line breaks (and the blanks around them) folded into single spaces."""
    return _LINE_BREAKS.sub(" ", clean(text)).strip()


def content(text: str, style: str = "") -> Content:
    """A Textual ``Content`` showing ``text`` literally (never parsed as markup)."""
    return Content.styled(clean(text), style) if style else Content(clean(text))


def rich_text(text: str, style: str = "") -> Text:
    """A Rich ``Text`` showing ``text`` literally (never parsed as markup)."""
    return Text(clean(text), style=style)


def title(text: str) -> Content:
    """A single-line ``Content`` for border titles, tab labels and headers."""
    return Content(one_line(text))
