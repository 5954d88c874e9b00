"""The header above the panes: title, subtitle, date, tags and regions of the brief on screen."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from termbrief.core.library import Entry
from termbrief.ui.render.safe import one_line, reveal


def header_content(entry: Entry | None) -> Content:
    """The header's lines for ``entry`` (an invalid entry shows its file name; one still
    loading, what is known of it so far)."""
    if entry is None:
        return Content.styled("No brief", "bold")
    brief = entry.brief
    if brief is None and entry.loaded:
        return Content.assemble(
            (reveal(entry.path.name), "bold"),
            ("  invalid brief", "bold $text-error"),
            "\n",
            (reveal(str(entry.path)), "$text-muted"),
        )
    lines = [Content.styled(one_line(entry.title), "bold $text-accent")]
    if brief is not None and brief.subtitle:
        lines.append(Content.styled(one_line(brief.subtitle), "italic"))
    facts: list[Content] = []
    if entry.date:
        facts.append(Content.styled(entry.date.isoformat(), "bold"))
    if entry.regions:
        facts.append(Content(", ".join(one_line(r) for r in entry.regions)))
    if entry.tags:
        facts.append(Content.styled(" ".join(f"#{one_line(t)}" for t in entry.tags), "$text-muted"))
    if brief is None:
        facts.append(Content.styled("loading…", "italic $text-muted"))
    if facts:
        lines.append(Content("  ·  ").join(facts))
    return Content("\n").join(lines)


class BriefHeader(Static):
    """Shows :func:`header_content` for the current entry."""

    DEFAULT_CSS = """
    BriefHeader {
        padding: 0 1;
        height: auto;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, entry: Entry | None = None, *, id: str | None = None) -> None:
        super().__init__(header_content(entry), id=id)

    def show_entry(self, entry: Entry | None) -> None:
        """Show ``entry``'s title and facts."""
        self.update(header_content(entry))
