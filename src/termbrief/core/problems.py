"""What is wrong with a brief file, and where: the problems the loader and ``check`` report.

Every message is one line with control characters shown as escapes (a YAML key may hold a
newline, and could otherwise forge a ``path:line:col`` line of ``check``), at a 1-based line and
column that editors agree with.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Final

import msgspec

from termbrief.core.text import FILE_CONTROLS

if TYPE_CHECKING:  # annotations only: reporting a problem never needs PyYAML loaded
    from yaml.error import Mark
    from yaml.nodes import Node

    from termbrief.core.yaml_messages import LineEdit

__all__ = [
    "MAX_PROBLEMS",
    "BriefError",
    "Lines",
    "LoaderBug",
    "Problem",
    "Problems",
    "printable",
]

MAX_PROBLEMS: Final = 50
"""Problems reported per file; the rest are summarised in one line."""


_LONE_CR = re.compile(r"\r(?!\n)")
"""A carriage return not followed by a newline: libyaml counts it as a line break."""
_LINE_BREAK_ESCAPES: Final = {
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


class Problem(msgspec.Struct, frozen=True):
    """One problem in one file, at a 1-based line and column."""

    path: str
    """The file, as given."""
    line: int
    """1-based line."""
    column: int
    """1-based column."""
    message: str
    """What is wrong and, where possible, how to fix it."""
    detail: str = ""
    """A second line for those who want it, e.g. the YAML parser's own words for a syntax
    error that ``message`` puts in plain language; empty when there is none."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class BriefError(Exception):
    """A brief could not be loaded. Carries every problem found (up to :data:`MAX_PROBLEMS`)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        if not problems:
            raise ValueError("BriefError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0]
        self.path: str = first.path
        self.line: int = first.line
        self.column: int = first.column
        self.message: str = first.message
        super().__init__("\n".join(str(problem) for problem in self.problems))


class LoaderBug(BriefError):
    """The loader failed on a file because of a bug of its own, not a problem of the file.

    Still a :class:`BriefError` (one problem, "internal error while loading"), so callers list
    the file as broken and carry on; the original exception is the ``__cause__``.
    """


class Problems:
    """Collects problems for one file; positions come from offsets or YAML marks."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Problem] = []
        self.text = ""
        """The decoded text, once known: marks are mapped back to its lines."""
        self._lines: Lines | None = None
        self._remap: bool | None = None
        self.edits: list[LineEdit] = []
        """Lines changed so that parsing could go on after a syntax error (see
        :meth:`read_edited`): positions found in the edited text are mapped back through them."""

    def __len__(self) -> int:
        return len(self.items)

    def add(self, line: int, column: int, message: str, detail: str = "") -> None:
        self._append(self._before_edits(line, column), message, detail)

    def _append(self, position: tuple[int, int], message: str, detail: str) -> None:
        # Messages quote the file's own text, which must not reach a terminal raw or unbounded.
        line, column = position
        self.items.append(
            Problem(printable(self.path), line, column, printable(message), printable(detail))
        )

    def read_edited(self, text: str, edit: LineEdit) -> None:
        """From now on, marks and offsets are in ``text``: the text read so far with ``edit``
        applied (one line changed, the line count kept)."""
        self.edits.append(edit)
        self.text = text
        self._lines = None
        self._remap = None

    def _before_edits(self, line: int, column: int) -> tuple[int, int]:
        """A position in the edited text as a position in the file as written."""
        for edit in reversed(self.edits):
            if line == edit.line + 1 and column - 1 > edit.column:
                column = max(edit.column, column - 1 - edit.shift) + 1
        return line, column

    def at(self, node: Node, message: str) -> None:
        """A problem at a node; a second one at the same spot would only echo the first."""
        self._add_once(self.position(node.start_mark), message)

    def at_index(self, index: int, message: str, detail: str = "") -> None:
        """A problem at a character offset of the text."""
        self._add_once(self.lines.position(index), message, detail)

    def _add_once(self, position: tuple[int, int], message: str, detail: str = "") -> None:
        position = self._before_edits(*position)
        if position not in self.positions:
            self._append(position, message, detail)

    def line_of(self, node: Node) -> int:
        """The 1-based line of the file where ``node`` starts."""
        return self.position(node.start_mark)[0]

    def position(self, mark: Mark) -> tuple[int, int]:
        """A YAML mark as the file's 1-based line and column.

        libyaml also counts U+2028, U+2029 and a lone CR as line breaks; editors and this
        loader's own messages do not. Only for a text holding one of them are marks mapped
        back through their character offset (whether it does is found once, by searches in C
        that return at once for the usual ASCII or Latin-1 text).
        """
        if self._remap is None:
            text = self.text
            self._remap = (
                "\u2028" in text
                or "\u2029" in text
                or ("\r" in text and _LONE_CR.search(text) is not None)
            )
        if self._remap:
            return self.lines.position(mark.index)
        if mark.index >= len(self.text):  # libyaml puts the end of a file on a line after it
            return self.lines.position(len(self.text))
        return mark.line + 1, mark.column + 1

    @property
    def lines(self) -> Lines:
        if self._lines is None:
            self._lines = Lines(self.text)
        return self._lines

    @property
    def positions(self) -> set[tuple[int, int]]:
        return {(problem.line, problem.column) for problem in self.items}

    def full(self) -> bool:
        return len(self.items) > MAX_PROBLEMS  # one extra tells error() that it stopped early

    def error(self) -> BriefError:
        items = sorted(self.items, key=lambda p: (p.line, p.column))
        if len(items) > MAX_PROBLEMS:
            last = items[MAX_PROBLEMS - 1]
            items = [
                *items[: MAX_PROBLEMS - 1],
                Problem(self.path, last.line, last.column, "too many problems; stopped here"),
            ]
        return BriefError(items)


def printable(text: str, limit: int = 500) -> str:
    """Control characters and line breaks shown as escapes, and long text cut, for messages:
    a problem is one line (a key may hold a newline, and could forge a line of ``check``)."""
    text = FILE_CONTROLS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
    text = text.translate(_LINE_BREAK_ESCAPES)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Lines:
    """Maps character offsets to 1-based line and column, only when a problem needs it."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1
