"""core.text: the one policy for control, bidirectional and zero-width characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from termbrief.core import text
from termbrief.ui.render import safe

RLO, LRI, PDI, LRM, RLM, ALM = "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c"
ZWSP, ZWNJ, ZWJ, WJ, BOM = "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"
REORDERING = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
INVISIBLE = [LRM, RLM, ALM, ZWSP, ZWNJ, ZWJ, WJ, BOM]
WOMAN_TECHNOLOGIST = "\U0001f469" + ZWJ + "\U0001f4bb"
RAINBOW_FLAG = "\U0001f3f3\ufe0f" + ZWJ + "\U0001f308"
PERSIAN = "می" + ZWNJ + "خواهم"  # "I want": the non-joiner is part of the spelling
SPOOFED = "https://evil.example/" + RLO + "moc.elpmaxe-doog"

HOSTILE_CHARS = st.text(
    alphabet=st.sampled_from(
        [
            *("a", " ", "\n", "\t", "\r", "\x1b", "\x9b", "\x7f", "\u2028", "ی", "\U0001f469"),
            *REORDERING,
            *INVISIBLE,
        ]
    ),
    max_size=40,
)


def test_reordering_controls_are_shown_in_brief_text() -> None:
    assert text.clean(SPOOFED) == "https://evil.example/⟨U+202E⟩moc.elpmaxe-doog"
    for char in REORDERING:
        assert text.clean(f"a{char}b") == f"a⟨U+{ord(char):04X}⟩b"


def test_invisible_marks_are_dropped_from_brief_text() -> None:
    for char in INVISIBLE:
        assert text.clean(f"Pana{char}ma") == "Panama", hex(ord(char))
    assert text.clean(BOM + "title") == "title"


def test_joiners_that_belong_to_the_writing_stay() -> None:
    assert text.clean(WOMAN_TECHNOLOGIST) == WOMAN_TECHNOLOGIST
    assert text.clean(RAINBOW_FLAG) == RAINBOW_FLAG
    assert text.clean(PERSIAN) == PERSIAN
    # A joiner at either end, or between Latin letters, is not writing: it goes.
    assert text.clean(ZWJ + "\U0001f469") == "\U0001f469"
    assert text.clean("\U0001f469" + ZWJ) == "\U0001f469"
    assert text.clean("a" + ZWJ + "b") == "ab"
    assert text.clean("a" + ZWNJ + "b") == "ab"


def test_control_characters_become_the_replacement_character() -> None:
    assert (
        text.clean("a\x1b]0;t\x07b\x9bc\x7fd\re\tf\ng")
        == "a\ufffd]0;t\ufffdb\ufffdc\ufffdd\ufffde\tf\ng"
    )
    assert text.clean("plain text") == "plain text"


def test_one_line_folds_every_line_break() -> None:
    assert text.one_line("  two\n   lines \n") == "two lines"
    assert text.one_line("a\u2028b\u2029c") == "a b c"
    assert text.one_line("x" + RLO + "y\nz") == "x⟨U+202E⟩y z"


def test_reveal_shows_every_character_that_does_not_print() -> None:
    assert text.reveal("https://example.org/a b") == "https://example.org/a b"
    assert text.reveal(SPOOFED) == "https://evil.example/⟨U+202E⟩moc.elpmaxe-doog"
    for char in [*REORDERING, *INVISIBLE]:
        assert text.reveal(f"a{char}b") == f"a⟨U+{ord(char):04X}⟩b"
    # Joiners too (an address has no emoji to join), line breaks, controls, odd spaces.
    assert text.reveal(WOMAN_TECHNOLOGIST) == "\U0001f469⟨U+200D⟩\U0001f4bb"
    assert text.reveal("a\nb\x1bc\u00a0d") == "a⟨U+000A⟩b⟨U+001B⟩c⟨U+00A0⟩d"
    # A file name that is not UTF-8 arrives with surrogate escapes: shown, never written raw.
    assert text.reveal(b"caf\xe9.yaml".decode("utf-8", "surrogateescape")) == "caf⟨U+DCE9⟩.yaml"


def test_escaped_writes_one_line_of_terminal_output() -> None:
    assert text.escaped("ok: fine") == "ok: fine"
    assert text.escaped("a\nb\rc\td\x1be\x9bf") == "a\\nb\\rc\\td\\x1be\\x9bf"
    assert text.escaped("x" + RLO + "y" + ZWSP) == "x⟨U+202E⟩y⟨U+200B⟩"


def test_strip_controls_keeps_line_ends_and_drops_the_rest() -> None:
    assert text.strip_controls("a\r\nb\rc\x1b[31md\x00\te") == "a\nb\nc[31md\te"
    # Bidirectional and zero-width characters are kept as written; showing them is clean's job.
    assert text.strip_controls(RLO + ZWSP) == RLO + ZWSP


def test_shorten_cuts_at_a_word() -> None:
    assert text.shorten("  a\n\n b\tc ", 10) == "a b c"
    cut = text.shorten("word " * 40, 30)
    assert len(cut) <= 30 and cut.endswith("word…")


def test_safe_uses_the_policy() -> None:
    assert safe.clean is text.clean and safe.one_line is text.one_line
    assert safe.address(SPOOFED).plain == text.reveal(SPOOFED)
    assert safe.content(SPOOFED).plain == text.clean(SPOOFED)
    assert safe.rich_text(WOMAN_TECHNOLOGIST).plain == WOMAN_TECHNOLOGIST


@given(HOSTILE_CHARS)
def test_nothing_dangerous_survives_and_cleaning_twice_changes_nothing(sample: str) -> None:
    dangerous = set(REORDERING) | {"\x1b", "\x9b", "\x7f", "\r"}
    for shown in (text.clean(sample), text.one_line(sample)):
        assert not dangerous & set(shown)
        assert text.clean(shown) == shown
    for shown in (text.reveal(sample), text.escaped(sample)):
        assert shown.isprintable()
    assert "\n" not in text.one_line(sample)
    stored = text.strip_controls(sample)
    assert not {"\x1b", "\x9b", "\x7f", "\r"} & set(stored)
    assert text.strip_controls(stored) == stored
