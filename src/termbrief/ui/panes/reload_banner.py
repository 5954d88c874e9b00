"""ReloadBanner: says that the brief on screen changed on disk and could not be reloaded.

Live reload keeps the last good version of a brief on screen when the file becomes invalid; this
banner, above the panes, says so, names the file (not its whole path: the header shows which
brief it is) and the number of problems, and lists as many problems as fit in a few lines, each
as ``line:column  message`` with the message's continuation lines indented under its first. The
rest are summed up as "… and 3 more — press p", the key that opens the full list. It disappears
when the file loads again. Text is literal (``Content``): problem messages may quote the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from termbrief.ui.render.safe import one_line, reveal
from termbrief.ui.widgets.key_names import key_for

if TYPE_CHECKING:  # importing the loader imports PyYAML: not at start-up (see library.py)
    from termbrief.core.problems import Problem

MIN_LINES: Final = 4
"""Lines the banner may always take (the header, a problem, the "more" line)."""
MAX_LINES: Final = 10
"""Lines the banner takes at most, however tall the terminal."""
PROBLEMS_KEY_ID: Final = "problems.show"
"""Id of the binding that opens every problem (the banner names its key)."""


def banner_height(screen_height: int) -> int:
    """Lines the banner may take on a terminal ``screen_height`` rows tall: a third of it,
    within :data:`MIN_LINES` and :data:`MAX_LINES` (the panes must stay readable)."""
    return max(MIN_LINES, min(MAX_LINES, screen_height // 3))


def problem_position(problem: Problem) -> str:
    """``line:column`` of ``problem``."""
    return f"{problem.line}:{problem.column}"


def hanging(prefix: str, text: str, width: int) -> list[Content]:
    """``prefix`` then ``text`` wrapped to ``width`` cells, every line after the first indented
    by the prefix's width (a hanging indent)."""
    indent = len(prefix)
    body = Content(text).wrap(max(8, width - indent))
    return [
        Content.assemble((prefix, "bold") if number == 0 else " " * indent, line)
        for number, line in enumerate(body or [Content("")])
    ]


class ReloadBanner(Static):
    """Hidden until :meth:`show_problems` or :meth:`show_missing`; :meth:`clear` hides it."""

    DEFAULT_CSS = """
    ReloadBanner {
        display: none;
        height: auto;
        padding: 0 1;
        background: $error 20%;
        color: $text;
        border-left: thick $error;
        text-wrap: nowrap;
    }
    ReloadBanner.-shown {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.lines: tuple[str, ...] = ()
        """What the banner says, one string per line before wrapping: the header, one line
        per problem shown, and the "more" line (empty when hidden)."""
        self.name_shown = ""
        """The file the banner speaks of (empty when hidden)."""
        self.problems: tuple[Problem, ...] = ()
        """Every problem of the file (those shown and those summed up)."""
        self.shown_count = 0
        """How many problems are listed; the others are summed up in the last line."""
        self._width = 0

    @property
    def hidden_count(self) -> int:
        """Problems not listed (the "… and N more" line)."""
        return len(self.problems) - self.shown_count

    def show_problems(self, name: str, problems: Sequence[Problem]) -> None:
        """Say that ``name`` (a file name) no longer loads, list ``problems`` as room allows,
        and that the old version stays."""
        self.name_shown = name
        self.problems = tuple(problems)
        self._width = self._available_width()
        self._lay_out()

    def show_missing(self, name: str) -> None:
        """Say that ``name`` was deleted or moved and what is shown is its last version."""
        self.name_shown = name
        self.problems = ()
        self.shown_count = 0
        text = f"✗ {reveal(name)} was deleted or moved; showing its last version."
        self._show([text], [Content.styled(text, "bold")])

    def clear(self) -> None:
        """Hide the banner."""
        self.lines = ()
        self.name_shown = ""
        self.problems = ()
        self.shown_count = 0
        self.update(Content(""))
        self.remove_class("-shown")

    # -- layout ----------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        width = self.content_region.width
        if self.problems and width > 0 and width != self._width:
            self._width = width
            self._lay_out()

    def _available_width(self) -> int:
        """Columns for text: the banner's own once laid out, else its container's."""
        if self.content_region.width > 0:
            return self.content_region.width
        parent = self.parent
        outer = parent.size.width if parent is not None and hasattr(parent, "size") else 0
        return max(20, (outer or self.app.size.width) - self.styles.gutter.width)

    def _lay_out(self) -> None:
        problems = self.problems
        width = self._width
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        header = (
            f"✗ {reveal(self.name_shown)} changed on disk: {count} {noun} "
            "(showing the last good version)"
        )
        rendered = [line.stylize("bold") for line in Content(header).wrap(width)]
        lines = [header]
        budget = banner_height(self.app.size.height) - len(rendered)
        position_width = max((len(problem_position(p)) for p in problems), default=0)
        shown = 0
        for number, problem in enumerate(problems):
            prefix = problem_position(problem).ljust(position_width) + "  "
            message = one_line(problem.message)
            wrapped = hanging(prefix, message, width)
            reserve = 1 if number + 1 < count else 0  # room for the "… and N more" line
            if len(wrapped) + reserve > budget:
                break
            rendered += wrapped
            lines.append(prefix + message)
            budget -= len(wrapped)
            shown += 1
        self.shown_count = shown
        if shown < count:
            key = key_for(self, PROBLEMS_KEY_ID, "p")
            more = f"… and {count - shown} more — press {key} to see them all"
            if not shown:
                more = f"{count} {noun} — press {key} to see them"
            rendered.append(Content.styled(more, "italic"))
            lines.append(more)
        self._show(lines, rendered)

    def _show(self, lines: list[str], rendered: list[Content]) -> None:
        self.lines = tuple(lines)
        self.update(Content("\n").join(rendered))
        self.add_class("-shown")
