"""Detail of one key figure: label, value, qualifier, unit, period, context and source, then the
figure's notes in full (with their state)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from termbrief.core.annotation import Note, Placement
from termbrief.core.model import Figure
from termbrief.ui.render.markdown import literal, markdown_group
from termbrief.ui.render.notes import notes_section
from termbrief.ui.screens.detail import DetailBody, DetailScreen

_LABEL = Style(dim=True)


def facts_table(rows: list[tuple[str, str | None]]) -> Table:
    """A two-column table of the non-empty ``(label, value)`` pairs, every cell literal."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for label, value in rows:
        if value:
            table.add_row(Text(label, style=_LABEL), literal(value))
    return table


def figure_renderable(
    figure: Figure, notes: Sequence[tuple[Note, Placement]] = ()
) -> RenderableType:
    """Everything the dialog shows about ``figure``, its ``notes`` last."""
    value = literal(figure.value_text(), Style(bold=True))
    facts = facts_table(
        [
            ("Value", str(figure.value)),
            ("Qualifier", figure.qualifier),
            ("Unit", figure.unit),
            ("Period", figure.period),
            ("Source", figure.source),
        ]
    )
    parts: list[RenderableType] = [value, Text(), facts]
    if figure.context:
        context, _links = markdown_group(figure.context)
        parts += [Text(), Text("Context", style=Style(bold=True, underline=True)), context]
    parts += notes_section(notes)
    return Group(*parts)


class FigureDetailScreen(DetailScreen):
    """Shows one figure and its notes; Escape closes."""

    def __init__(self, figure: Figure, notes: Sequence[tuple[Note, Placement]] = ()) -> None:
        """The detail of ``figure``, with ``notes`` (each placed in the brief on screen)."""
        super().__init__(figure.label)
        self.figure = figure
        self.notes = tuple(notes)
        """The figure's notes, with where each is now."""

    def compose_body(self) -> ComposeResult:
        with DetailBody(id="figure-detail"):
            yield Static(figure_renderable(self.figure, self.notes), id="figure-text")

    def on_mount(self) -> None:
        self.query_one(DetailBody).focus()
