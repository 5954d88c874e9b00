"""Property-based: whatever the bytes, only BriefError ever escapes the loader."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termbrief.core.loader import BriefError, load_brief_text
from termbrief.core.model import Brief

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
    ]
)


def _load(data: bytes | str) -> None:
    try:
        brief = load_brief_text(data, "fuzz.yaml")
    except BriefError as error:
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1
            assert problem.message
    else:
        assert isinstance(brief, Brief)


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
