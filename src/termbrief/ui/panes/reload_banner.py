"""ReloadBanner: says that the brief on screen changed on disk and could not be reloaded.

Live reload keeps the last good version of a brief on screen when the file becomes invalid; this
banner, above the panes, says so and lists the file's problems as ``path:line:col: message``, so
the reader can fix them. It disappears when the file loads again. Text is literal (``Content``):
problem messages may quote the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from textual.content import Content
from textual.widgets import Static

from termbrief.ui.render.safe import one_line, reveal

if TYPE_CHECKING:  # importing the loader imports PyYAML: not at start-up (see library.py)
    from termbrief.core.loader import Problem

MAX_PROBLEMS: Final = 5
"""Problems listed; more are summed up in one line."""


class ReloadBanner(Static):
    """Hidden until :meth:`show_problems` or :meth:`show_missing`; :meth:`clear` hides it."""

    DEFAULT_CSS = """
    ReloadBanner {
        display: none;
        height: auto;
        max-height: 9;
        padding: 0 1;
        background: $error 20%;
        color: $text;
        border-left: thick $error;
    }
    ReloadBanner.-shown {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.lines: tuple[str, ...] = ()
        """What the banner says, one string per line (empty when hidden)."""

    def show_problems(self, name: str, problems: Sequence[Problem]) -> None:
        """Say that ``name`` no longer loads, list ``problems``, and that the old version stays."""
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        lines = [
            f"✗ {reveal(name)} changed on disk and has {count} {noun}; "
            "showing the last good version until it is fixed:"
        ]
        lines += [f"  {one_line(str(problem))}" for problem in problems[:MAX_PROBLEMS]]
        if count > MAX_PROBLEMS:
            lines.append(f"  … and {count - MAX_PROBLEMS} more (termbrief check shows them all)")
        self._show(lines)

    def show_missing(self, name: str) -> None:
        """Say that ``name`` was deleted or moved and what is shown is its last version."""
        self._show([f"✗ {reveal(name)} was deleted or moved; showing its last version."])

    def clear(self) -> None:
        """Hide the banner."""
        self.lines = ()
        self.update(Content(""))
        self.remove_class("-shown")

    def _show(self, lines: list[str]) -> None:
        self.lines = tuple(lines)
        head, *rest = lines
        text = Content.assemble((head, "bold"), *(Content("\n" + line) for line in rest))
        self.update(text)
        self.add_class("-shown")
