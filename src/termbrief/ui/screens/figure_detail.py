"""Detail of one key figure: value, change, label, period, confidence, competing estimates,
context, the sources it cites (Enter on one opens the source's detail), then the figure's notes
in full (with their state)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from termbrief.core.annotation import Note, Placement
from termbrief.core.model import Brief, Estimate, Figure, value_text
from termbrief.ui.panes.badges import badges_line, cited_badge, confidence_badge
from termbrief.ui.render.markdown import literal, markdown_group
from termbrief.ui.render.notes import notes_section
from termbrief.ui.screens.detail import DetailBody, DetailScreen, facts_table
from termbrief.ui.widgets.item_list import ItemList

_LABEL = Style(dim=True)
# facts_table lives in detail.py now; still importable from here.
__all__ = ["FigureDetailScreen", "facts_table", "figure_renderable"]
_HEADING = Style(bold=True, underline=True)


def _estimate_line(estimate: Estimate, figure: Figure) -> Text:
    line = literal(estimate.value_text(figure.unit), Style(bold=True))
    for part in (estimate.by, estimate.as_of.text if estimate.as_of else None, estimate.note):
        if part:
            line.append("  ·  ", _LABEL)
            line.append_text(literal(part))
    badges = badges_line((confidence_badge(estimate.confidence), cited_badge(len(estimate.cites))))
    if badges:
        line.append("  ")
        line.append_text(badges)
    return line


def figure_renderable(
    figure: Figure, notes: Sequence[tuple[Note, Placement]] = ()
) -> RenderableType:
    """Everything the dialog shows about ``figure`` but its citations (a list of their own),
    its ``notes`` last."""
    value = literal(figure.value_text(), Style(bold=True))
    change = figure.change
    facts = facts_table(
        [
            ("Value", value_text(figure.value, None, None)),
            ("Change", change.text(figure.unit) if change is not None else None),
            ("Qualifier", figure.qualifier),
            ("Unit", figure.unit),
            ("Period", figure.period),
            ("As of", figure.as_of.words if figure.as_of else None),
            ("Confidence", figure.confidence),
            ("Source", figure.source),
        ]
    )
    parts: list[RenderableType] = [value, Text(), facts]
    if figure.estimates:
        parts += [Text(), Text("Other estimates", style=_HEADING)]
        parts += [_estimate_line(estimate, figure) for estimate in figure.estimates]
    if figure.context:
        context, _links = markdown_group(figure.context)
        parts += [Text(), Text("Context", style=_HEADING), context]
    parts += notes_section(notes)
    return Group(*parts)


class FigureDetailScreen(DetailScreen):
    """Shows one figure and its notes; Enter on a cited source opens it, Escape closes."""

    DEFAULT_CSS = """
    FigureDetailScreen #cited-title { margin-top: 1; text-style: bold; }
    FigureDetailScreen #cited { height: auto; max-height: 8; border: none; padding: 0; }
    """

    def __init__(
        self,
        figure: Figure,
        brief: Brief | None = None,
        notes: Sequence[tuple[Note, Placement]] = (),
    ) -> None:
        """The detail of ``figure`` in ``brief`` (for its citations), with ``notes`` (each
        placed in the brief on screen)."""
        super().__init__(figure.label)
        self.figure = figure
        self.brief = brief
        self.notes = tuple(notes)
        """The figure's notes, with where each is now."""
        self._citations = figure.citations if brief is not None else ()

    def compose_body(self) -> ComposeResult:
        with DetailBody(id="figure-detail"):
            yield Static(figure_renderable(self.figure, self.notes), id="figure-text")
        if self._citations:
            with Vertical(id="cited-box"):
                count = len(self._citations)
                yield Static(Content(f"Sources cited ({count})"), id="cited-title")
                yield ItemList(id="cited")

    def on_mount(self) -> None:
        if self._citations and self.brief is not None:
            from termbrief.ui.screens.citations import citation_item

            cited = self.query_one("#cited", ItemList)
            cited.set_items([citation_item(self.brief, c) for c in self._citations])
        self.query_one(DetailBody).focus()

    @on(ItemList.Activated, "#cited")
    def _open_source(self, event: ItemList.Activated) -> None:
        event.stop()
        index = event.item_list.highlighted
        if index is not None and self.brief is not None:
            from termbrief.ui.screens.source_detail import open_citation

            open_citation(self, self.brief, self._citations[index])
