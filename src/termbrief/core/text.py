"""One policy for the characters of untrusted text: briefs, notes, file names, addresses.

No Textual, no Rich: the loader, the notes store, the exports, the CLI and the reader's
``ui.render.safe`` all apply these rules. Four kinds of characters need one:

* **Control characters** (C0 except tab and line feed, DEL, C1: ESC starts escape sequences and
  0x9b is a one-byte CSI) never reach the terminal. Shown text has each one replaced by U+FFFD,
  so tampering stays visible (:func:`clean`); stored text (notes, imports, queries) drops them
  after turning CR and CRLF line ends into LF (:func:`strip_controls`); the loader refuses them
  in a brief, where CR is allowed only as part of a line end (:data:`FILE_CONTROLS`); messages
  and command output write them as escapes such as ``\\x1b`` (:func:`escaped`).
* **Reordering controls**, the bidirectional embeddings, overrides and isolates (U+202A-202E,
  U+2066-2069), can make text read in another order than it is stored: after an RLO,
  ``moc.elpmaxe`` shows as ``example.com``. Wherever they are, they are shown as ``⟨U+202E⟩``.
* **Invisible marks**: the bidirectional marks (U+200E, U+200F, U+061C) and the zero-width
  characters (U+200B-200D, U+2060, U+FEFF). In brief and note text they are neutralised:
  dropped from what is shown, except a zero-width joiner between emoji (👩‍💻) and a joiner or
  non-joiner inside Arabic-script, Indic or Mongolian words, where they are part of the writing.
* **Addresses and names the reader is asked to trust** (link addresses, the link dialogs, file
  names and paths) show every character that does not print, the invisible marks and joiners
  included, as ``⟨U+200D⟩`` (:func:`reveal`): what the reader checks is exactly what is used.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "CONTROLS",
    "FILE_CONTROLS",
    "REPLACEMENT",
    "clean",
    "code_point",
    "escaped",
    "one_line",
    "reveal",
    "shorten",
    "strip_controls",
]

_CONTROL_CHARS: Final = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_REORDERING: Final = frozenset(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))
"""Bidirectional embeddings, overrides and isolates: U+202A-202E, U+2066-2069."""
_INVISIBLE: Final = frozenset(map(chr, (0x061C, *range(0x200B, 0x2010), 0x2060, 0xFEFF)))
"""Bidirectional marks (U+200E, U+200F, U+061C) and zero-width characters (U+200B-200D,
U+2060, U+FEFF)."""

CONTROLS: Final = re.compile(f"[{_CONTROL_CHARS}]")
"""Control characters that never reach the terminal: C0 except tab and line feed, DEL, C1."""
FILE_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
""":data:`CONTROLS` as a brief file may not hold them: CR is allowed there (CRLF line ends)."""
REPLACEMENT: Final = "\ufffd"
"""What a control character becomes in shown text, so that tampering stays visible."""

_SHOWN: Final = re.compile(f"[{_CONTROL_CHARS}{''.join(sorted(_REORDERING | _INVISIBLE))}]")
_LINE_BREAKS: Final = re.compile(r"\s*[\n\u2028\u2029]\s*")
_ZWNJ, _ZWJ = "\u200c", "\u200d"
_BACKSLASH_ESCAPES: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# Scripts whose words are written with zero-width (non-)joiners: Arabic, Syriac, Thaana, N'Ko and
# their supplements; the Indic scripts from Devanagari to Sinhala; Mongolian; Arabic forms.
_JOINING_SCRIPTS: Final = ((0x0600, 0x08FF), (0x0900, 0x0DFF), (0x1800, 0x18AF), (0xFB50, 0xFEFC))
# Emoji and what may end one inside a ZWJ sequence (VS16, keycap, skin tones, tag characters).
_EMOJI: Final = (
    (0x2300, 0x23FF),
    (0x2600, 0x27BF),
    (0x2B00, 0x2BFF),
    (0xFE0F, 0xFE0F),
    (0x20E3, 0x20E3),
    (0x1F000, 0x1FAFF),
    (0xE0020, 0xE007F),
)


def code_point(char: str) -> str:
    """``char`` written so it can be seen: ``⟨U+202E⟩``."""
    return f"⟨U+{ord(char):04X}⟩"


def _within(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def _is_writing_joiner(text: str, start: int) -> bool:
    """Whether the joiner at ``text[start]`` belongs to the writing (emoji, joining scripts)."""
    char = text[start]
    if char not in (_ZWJ, _ZWNJ) or start == 0 or start + 1 >= len(text):
        return False
    before, after = text[start - 1], text[start + 1]
    # Between marks that are themselves dropped or shown (U+061C lies in the Arabic block) the
    # joiner joins nothing: cleaning the result again must not change it.
    if before in _INVISIBLE or after in _INVISIBLE or before in _REORDERING or after in _REORDERING:
        return False
    if char == _ZWJ and _within(before, _EMOJI) and _within(after, _EMOJI):
        return True
    return _within(before, _JOINING_SCRIPTS) and _within(after, _JOINING_SCRIPTS)


def _shown_as(match: re.Match[str]) -> str:
    char = match.group()
    if char in _REORDERING:
        return code_point(char)
    if char in _INVISIBLE:
        return char if _is_writing_joiner(match.string, match.start()) else ""
    return REPLACEMENT


def clean(text: str) -> str:
    """``text`` as it may be shown: the rules of the module docstring for brief and note text.

    Control characters but tab and newline become U+FFFD, reordering controls ``⟨U+202E⟩``;
    invisible marks are dropped unless they join emoji or the letters of a joining script.
    """
    if _SHOWN.search(text) is None:  # nearly every string: one C-speed scan, no copy
        return text
    return _SHOWN.sub(_shown_as, text)


def one_line(text: str) -> str:
    """:func:`clean`, with line breaks (and the blanks around them) folded into single spaces."""
    return _LINE_BREAKS.sub(" ", clean(text)).strip()


def reveal(text: str) -> str:
    """``text`` on one line with every character that does not print written as ``⟨U+XXXX⟩``.

    For addresses, file names and anything else the reader is asked to trust: control
    characters, line breaks, bidirectional controls, zero-width characters (joiners included)
    and spaces other than U+0020 all show. What the reader checks is exactly what is used.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else code_point(char) for char in text)


def escaped(text: str) -> str:
    """``text`` as one line of terminal output (messages, ``check``, ``notes list``).

    Control characters are written as escapes (``\\n``, ``\\r``, ``\\t``, ``\\x1b``); every other
    character that does not print as ``⟨U+202E⟩``.
    """
    if text.isprintable():
        return text
    return "".join(
        char
        if char.isprintable()
        else _BACKSLASH_ESCAPES.get(char)
        or (f"\\x{ord(char):02x}" if ord(char) < 0xA0 else code_point(char))
        for char in text
    )


def strip_controls(text: str) -> str:
    """``text`` to store: CR and CRLF line ends made LF, other controls but tab dropped.

    Notes, imported notes and queries can come from a paste or a file; control characters
    must never be kept. Bidirectional and zero-width characters are kept as written (they may
    be meant) and handled when shown (:func:`clean`).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROLS.sub("", text)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, blanks collapsed, cut at a word to at most ``limit`` characters
    ending in ``…``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"
