"""A brief's text as editor lines, for explaining YAML syntax errors and editing past them.

Only used once a syntax error is found: nothing here runs when a file parses.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

import msgspec

__all__ = ["Doc", "LineEdit", "apply_edit", "blank", "quote_value", "reindent", "value_span"]


class LineEdit(msgspec.Struct, frozen=True):
    """A new text for one line of the file."""

    line: int
    """0-based line."""
    text: str
    """The line's new content, without its line break."""
    column: int
    """0-based column from which the line changed."""
    shift: int
    """Characters added at ``column`` (negative: removed): later columns move by this much."""
    fix: str = ""
    """When not empty: a safe, mechanical fix, described for ``termbrief check --fix``."""


KEY_LINE: Final = re.compile(
    r"^(\s*)((?:-\s+)*)([^\s#'\"\[\]{}&*!|>%@`,-][^:#]*?|-[^\s:#][^:#]*?):(\s+|$)"
)
"""``key: value`` (maybe after ``- ``): groups indent, dashes, key, the white space after ``:``."""
BLOCK_HEADER: Final = re.compile(r"(?:^|:|-)\s*[|>][1-9+-]{0,2}\s*(?:#.*)?$")
TAIL_COMMENT: Final = re.compile(r"\s+#.*$")


class Doc:
    """The text split into editor lines (``\\n`` only, whatever libyaml counts as a break)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = [line.rstrip("\r") for line in text.split("\n")]
        self.starts = [0]
        for line in text.split("\n")[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def locate(self, offset: int) -> tuple[int, int]:
        """0-based line and column of a character offset."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def offset(self, line: int, column: int) -> int:
        return self.starts[line] + column

    def is_content(self, line: int) -> bool:
        stripped = self.lines[line].strip()
        return bool(stripped) and not stripped.startswith("#")

    def indent(self, line: int) -> int:
        text = self.lines[line]
        return len(text) - len(text.lstrip(" "))

    def previous_content(self, line: int) -> int | None:
        for above in range(line - 1, -1, -1):
            if self.is_content(above):
                return above
        return None

    def key_of(self, line: int) -> str:
        """The key a line starts with, or the key of the nearest line above it that holds it."""
        found = KEY_LINE.match(self.lines[line])
        if found:
            return found.group(3).strip()
        indent = self.indent(line)
        for above in range(line - 1, -1, -1):
            if not self.is_content(above) or self.indent(above) >= indent:
                continue
            parent = KEY_LINE.match(self.lines[above])
            if parent:
                return parent.group(3).strip()
            indent = self.indent(above)
        return ""

    def levels_above(self, line: int) -> list[tuple[int, str]]:
        """The indentations of the structures still open at ``line``, deepest first: each
        with ``"items"`` (a ``- `` list) or ``"keys"`` (a mapping)."""
        levels: list[tuple[int, str]] = []
        floor = 1 << 30
        for above in range(line - 1, -1, -1):
            if not self.is_content(above):
                continue
            indent = self.indent(above)
            if indent >= floor:
                continue
            text = self.lines[above]
            item = re.match(r"(\s*)(-\s+)+", text)
            if item and KEY_LINE.match(text):
                levels.append((item.end(), "keys"))  # the mapping inside the item
            levels.append((indent, "items" if item or text.strip() == "-" else "keys"))
            floor = indent
            if indent == 0:
                break
        return levels


def quote_value(value: str) -> str:
    """``value`` as a quoted YAML scalar that reads back as exactly ``value``."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def value_span(line: str, start: int) -> tuple[int, int]:
    """Where the value starting at ``start`` ends: before a trailing `` #`` comment and spaces."""
    rest = line[start:]
    comment = TAIL_COMMENT.search(rest)
    end = start + (comment.start() if comment else len(rest.rstrip()))
    return start, end


def blank(doc: Doc, line: int) -> LineEdit:
    """Parsing goes on as if the line were empty (its problem is reported already)."""
    return LineEdit(line, "", 0, -len(doc.lines[line]))


def reindent(doc: Doc, line: int, indent: int) -> LineEdit:
    text = doc.lines[line]
    old = len(text) - len(text.lstrip(" \t"))
    return LineEdit(line, " " * indent + text[old:], 0, indent - old)


def apply_edit(text: str, edit: LineEdit) -> str:
    """``text`` with one line replaced (its line break, ``\\n`` or ``\\r\\n``, kept)."""
    lines = text.split("\n")
    old = lines[edit.line]
    lines[edit.line] = edit.text + ("\r" if old.endswith("\r") else "")
    return "\n".join(lines)
