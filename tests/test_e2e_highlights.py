"""End to end, in a real terminal (tmux): words selected from a find match and highlighted show
in their own colour on screen (``tmux capture-pane -e``), not only as a gutter marker (issue 12)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tmux_terminal import Terminal, open_terminal
from ui_fixtures import ALPHA

pytestmark = pytest.mark.e2e

_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


@pytest.fixture
def alpha(tmp_path: Path) -> Path:
    copy = tmp_path / "briefs" / "alpha.yaml"
    copy.parent.mkdir()
    shutil.copy(ALPHA, copy)
    return copy


def backgrounds(line: str) -> tuple[str, list[str]]:
    """The characters of a captured line and the background each is drawn on (the SGR
    parameters that set it; "" for the terminal's default)."""
    text, colours, background = "", [], ""
    position = 0
    for sgr in _SGR.finditer(line):
        for char in line[position : sgr.start()]:
            text += char
            colours.append(background)
        position = sgr.end()
        params = sgr.group(1).replace(":", ";").split(";") if sgr.group(1) else ["0"]
        index = 0
        while index < len(params):
            code = params[index]
            if code in ("0", "49"):
                background = ""
            elif code == "48":
                size = 3 if params[index + 1] == "5" else 5
                background = ";".join(params[index : index + size])
                index += size - 1
            elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
                background = code
            elif code == "38":
                index += 2 if params[index + 1] == "5" else 4
            index += 1
    for char in line[position:]:
        text += char
        colours.append(background)
    return text, colours


def colour_of(line: str, words: str) -> tuple[set[str], str, str]:
    """The backgrounds of ``words`` in ``line``, of the character after them and of the
    line's first word."""
    text, colours = backgrounds(line)
    at = text.index(words)
    first = text.index("Quist")
    return set(colours[at : at + len(words)]), colours[at + len(words) + 1], colours[first]


def test_a_highlight_from_a_find_match_is_coloured_on_screen(
    terminal: Terminal, alpha: Path
) -> None:
    terminal.start([str(alpha)], 120, 40)
    terminal.wait_for_text("Quist said the pilot")
    terminal.press("1", "/")
    terminal.press("pilot would", "Enter")
    terminal.wait_for_text("1/1")
    terminal.press("m", "w", "h")
    terminal.wait_for_text("Highlighted")
    terminal.press("Escape")  # the search goes: its own marks no longer colour the words
    terminal.wait_for(lambda screen: "1/1" not in screen, "the search cleared")
    styled = terminal.styled_screen()
    line = next(line for line in styled.splitlines() if "Quist said" in _SGR.sub("", line))
    span, after, before = colour_of(line, "pilot would last")
    assert len(span) == 1, "the highlighted words share one colour"
    assert span != {before} and span != {after}, "the words stand out from their line"
