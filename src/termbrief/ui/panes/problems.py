"""What the reader shows instead of panes for an invalid file: its ``path:line:col`` problems."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from termbrief.core.library import Entry
from termbrief.ui.render.safe import clean


def problems_content(entry: Entry) -> Content:
    """Every problem of ``entry`` as literal text, one per line, under a short explanation."""
    count = len(entry.problems)
    noun = "problem" if count == 1 else "problems"
    lines = [
        Content.styled(f"This file is not a valid brief ({count} {noun}):", "bold"),
        Content(""),
    ]
    lines += [Content.styled(clean(str(problem)), "$text-error") for problem in entry.problems]
    lines += [
        Content(""),
        Content.styled("`termbrief check FILE` prints the same list.", "$text-muted"),
    ]
    return Content("\n").join(lines)


class ProblemsView(VerticalScroll, can_focus=True):
    """Scrollable list of an invalid entry's problems."""

    DEFAULT_CSS = """
    ProblemsView {
        border: round $error;
        border-title-color: $error;
        padding: 0 1;
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Static("", markup=False)

    def compose(self) -> ComposeResult:
        yield self._text

    def show_entry(self, entry: Entry) -> None:
        """Show ``entry``'s problems."""
        self.border_title = Content("Problems")
        self._text.update(problems_content(entry))
