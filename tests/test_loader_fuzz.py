"""Property-based: whatever the bytes, the loader either returns a brief the cache can hold or
raises a BriefError that describes the file, never a bug of its own.

A bug of the loader comes out as :class:`LoaderBug` (still a ``BriefError``, so that a library
lists the file and carries on); here it fails the test with the original exception. The
strategies produce the structures that broke the loader before (issue 15): keys holding line
breaks, numbers beyond 64 bits, aliases of long strings, U+2028 and U+2029.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termbrief.core.loader import DEFAULT_MAX_BYTES, BriefError, LoaderBug, load_brief_text
from termbrief.core.model import Brief, decode_hook, encode_hook

SAMPLE = (
    Path(__file__).resolve().parents[1] / "briefs" / "china-police-cooperation.yaml"
).read_bytes()

YAML_PIECES = st.sampled_from(
    [
        "title: ",
        "summary: ",
        "figures:\n",
        "  - ",
        "label: ",
        "value: ",
        "actors:\n",
        "kind: ",
        "person",
        "&a ",
        "*a",
        "!!python/object:x ",
        "!foo ",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        "\n",
        "  ",
        "'",
        '"',
        "\\e",
        "\\x9b",
        "NO",
        "on",
        "12:30",
        "1.10",
        "2024-02-30",
        "2024-09",
        "~",
        "null",
        "---\n",
        "...\n",
        "#",
        "|\n",
        ">\n",
        "<<: ",
        "\t",
        "\x00",
        "\x1b",
        "\u0085",
        "\ufeff",
        "é",
        "id: ",
        "date: ",
        "timeline:\n",
        # What broke the loader, its cache or `check` before (issue 15):
        "\u2028",
        "\u2029",
        "\r",
        '"a\\nb": ',
        '"a\\rb": ',
        "? ",
        "18446744073709551616",
        "-9223372036854775809",
        "0x" + "f" * 40,
        "0b" + "1" * 70,
        "1" + ":00" * 30,
        "format: ",
        '"x"#',
        "]#",
        ",#",
        "|#",
        "%YAML 1.1#\n",
    ]
)

_CACHE_DECODER = msgspec.msgpack.Decoder(Brief, dec_hook=decode_hook)
_LINE_BREAKING = ("\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")


def _load(data: bytes | str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    try:
        brief = load_brief_text(data, "fuzz.yaml", max_bytes=max_bytes)
    except LoaderBug as bug:
        raise AssertionError(f"the loader has a bug: {bug.message}") from bug.__cause__
    except BriefError as error:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        lines = text.count("\n") + 1
        for problem in error.problems:
            assert 1 <= problem.line <= lines, f"{problem} is past the last line ({lines})"
            assert problem.column >= 1
            assert problem.message
            # One problem, one line: a key holding a line break must not forge another.
            assert not any(char in problem.message for char in _LINE_BREAKING), problem
    else:
        assert isinstance(brief, Brief)
        # Whatever loads must go through the brief cache and back (a number beyond 64 bits
        # once loaded, then crashed the cache).
        payload = msgspec.msgpack.encode(brief, enc_hook=encode_hook)
        again = _CACHE_DECODER.decode(payload)
        assert msgspec.msgpack.encode(again, enc_hook=encode_hook) == payload
        # Aliases must not make a file stand for much more than the largest file allowed.
        assert len(payload) <= 3 * max_bytes + 4096


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _load(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_PIECES, max_size=60).map("".join))
def test_yaml_shaped_text(text: str) -> None:
    _load(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(0, 3), st.binary(max_size=8)),
        min_size=1,
        max_size=5,
    )
)
def test_mutated_sample_brief(mutations: list[tuple[int, int, bytes]]) -> None:
    data = bytearray(SAMPLE)
    for position, delete, insert in mutations:
        data[position : position + delete] = insert
    _load(bytes(data))


# --- the structures that broke it ------------------------------------------------------------

_KEY_TEXT = st.text(
    st.sampled_from(["a", "b", " ", ":", "#", "-", "\n", "\r", "\u2028", "\u2029", "\t", "é"]),
    min_size=1,
    max_size=12,
)


def _double_quoted(text: str) -> str:
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(escapes.get(char, char) for char in text) + '"'


@st.composite
def multiline_keys(draw: st.DrawFn) -> str:
    """A brief with a key holding line breaks, written in each way YAML allows."""
    text = draw(_KEY_TEXT)
    style = draw(st.sampled_from(["escaped", "explicit", "block"]))
    if style == "escaped":
        entry = f"{_double_quoted(text)}: x\n"
    elif style == "explicit":
        entry = f"? {_double_quoted(text)}\n: x\n"
    else:
        body = "".join(f"  {line}\n" for line in text.split("\n"))
        entry = f"? |\n{body}: x\n"
    where = draw(st.sampled_from(["top", "figure"]))
    if where == "top":
        return f"title: T\nsummary: S\n{entry}"
    nested = "".join(f"    {line}\n" for line in entry.splitlines())
    return f"title: T\nsummary: S\nfigures:\n  - label: L\n    value: 1\n{nested}"


@st.composite
def huge_integers(draw: st.DrawFn) -> str:
    """A brief whose figure value or format is a whole number near or beyond 64 bits."""
    magnitude = draw(st.integers(2**62, 2**300))
    number = draw(st.sampled_from([magnitude, -magnitude]))
    base = draw(st.sampled_from(["decimal", "hex", "binary", "octal"]))
    sign = "-" if number < 0 else draw(st.sampled_from(["", "+"]))
    digits = {
        "decimal": str(abs(number)),
        "hex": f"0x{abs(number):x}",
        "binary": f"0b{abs(number):b}",
        "octal": f"0{abs(number):o}",
    }[base]
    if draw(st.booleans()):
        digits = digits[:3] + "_" + digits[3:]  # YAML 1.1 allows underscores
    where = draw(st.sampled_from(["value", "format"]))
    if where == "format":
        return f"format: {sign}{digits}\ntitle: T\nsummary: S\n"
    return f"title: T\nsummary: S\nfigures:\n  - label: L\n    value: {sign}{digits}\n"


_FUZZ_MAX_BYTES = 16 * 1024
"""A small size limit for the alias cases, so that each example stays cheap."""


@st.composite
def long_string_aliases(draw: st.DrawFn) -> str:
    """One long string, referenced many times through aliases."""
    length = draw(st.integers(1, 4096))
    count = draw(st.integers(1, 60))
    where = draw(st.sampled_from(["key_points", "tags", "figure labels"]))
    anchor = f"&s {'x' * length}"
    if where == "key_points":
        items = "".join("  - *s\n" for _ in range(count))
        return f"title: T\nsummary: {anchor}\nkey_points:\n{items}"
    if where == "tags":
        return f"title: T\nsummary: {anchor}\ntags: [{', '.join(['*s'] * count)}]\n"
    figures = "".join(f"  - {{id: f{i}, label: *s, value: {i}}}\n" for i in range(count))
    return f"title: T\nsummary: {anchor}\nfigures:\n{figures}"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multiline_keys())
def test_keys_with_line_breaks(text: str) -> None:
    _load(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(huge_integers())
def test_huge_integers(text: str) -> None:
    _load(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_string_aliases())
def test_aliases_of_long_strings(text: str) -> None:
    _load(text, max_bytes=_FUZZ_MAX_BYTES)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(["\u2028", "\u2029", "a", " "]), max_size=6).map("".join),
    st.sampled_from(['"', "'", ""]),
)
def test_line_separators_keep_line_numbers(separators: str, quote: str) -> None:
    # libyaml counts U+2028 and U+2029 as line breaks; problems must still name the real line.
    text = f"title: {quote}T{separators}x{quote}\nsummary: S\nsumary: x\n"
    try:
        load_brief_text(text, "fuzz.yaml")
    except LoaderBug as bug:
        raise AssertionError(f"the loader has a bug: {bug.message}") from bug.__cause__
    except BriefError as error:
        lines = {problem.line for problem in error.problems if "sumary" in problem.message}
        # Quoted, the title is valid whatever it holds; plain, a separator may end it early.
        assert lines == {3} if quote else lines <= {3}, error
        assert all(1 <= problem.line <= 3 for problem in error.problems), error
    else:
        raise AssertionError("`sumary` is an unknown key")
