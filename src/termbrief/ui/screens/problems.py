"""Every problem of a file that live reload could not load, in a scrollable dialog.

The reload banner lists the problems that fit above the panes and names the key that opens this
dialog for the rest. Each problem is ``line:column`` and its message, wrapped under itself.
Everything shown is literal: messages quote the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from termbrief.ui.panes.reload_banner import problem_position
from termbrief.ui.render.markdown import literal
from termbrief.ui.render.safe import reveal
from termbrief.ui.screens.detail import DetailBody, DetailScreen

if TYPE_CHECKING:
    from termbrief.core.problems import Problem


def problems_table(problems: Sequence[Problem]) -> Table:
    """``line:column`` and message of each problem, the messages wrapping in their column."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style=Style(bold=True))
    table.add_column(ratio=1)
    for problem in problems:
        table.add_row(Text(problem_position(problem)), literal(problem.message))
    return table


class ProblemsScreen(DetailScreen):
    """The problems of file ``name``; Escape closes."""

    def __init__(self, name: str, problems: Sequence[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{reveal(name)}: {count} problem{'' if count == 1 else 's'}")
        self.name_shown = name
        """The file's name."""
        self.problems = tuple(problems)
        """Every problem, in file order."""

    def compose_body(self) -> ComposeResult:
        note = Text(
            f"The last good version of {reveal(self.name_shown)} stays on screen until these are "
            "fixed; `termbrief check FILE` prints the same list.",
            style=Style(dim=True),
        )
        with DetailBody(id="problems-list"):
            yield Static(Group(problems_table(self.problems), Text(), note), id="problems-text")

    def on_mount(self) -> None:
        self.query_one(DetailBody).focus()
