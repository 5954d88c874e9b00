"""The actors pane (key 3): name, kind, role; Enter opens the actor's detail."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content

from termbrief.model import ACTOR_KINDS, Actor, Brief
from termbrief.widgets.markdown import Highlighter
from termbrief.widgets.pane import Pane
from termbrief.widgets.record_table import Column, Record, RecordTable

COLUMNS = (
    Column("Name", max_width=36, min_width=10),
    Column("Kind", max_width=12, min_width=6),
    Column("Role", max_width=80, flex=True, min_width=8),
)


def actor_record(actor: Actor) -> Record:
    """One table row for ``actor``."""
    role = actor.role or actor.affiliation or ""
    return Record(
        f"actors/{actor.id}",
        (actor.name, actor.kind, role),
        (actor.name.casefold(), ACTOR_KINDS.index(actor.kind), role.casefold()),
    )


class ActorsPane(Pane):
    """The brief's actors in a :class:`RecordTable` (``#actors-table``)."""

    SECTION = "actors"

    def __init__(self) -> None:
        super().__init__()
        self._table = RecordTable(COLUMNS, id="actors-table")

    def compose(self) -> ComposeResult:
        yield self._table

    def on_mount(self) -> None:
        # The footer leaves these out (it would be rebuilt on every move between panes).
        self.border_subtitle = Content("s sort · ⏎ details")

    @property
    def body(self) -> RecordTable:
        """The actors table."""
        return self._table

    def show_brief(
        self, brief: Brief, highlight: Highlighter | None = None, *, keep: bool = False
    ) -> None:
        self._table.highlighter = highlight
        self._table.set_records([actor_record(actor) for actor in brief.actors])
        self.count = len(brief.actors)

    def select_anchor(
        self, anchor: str, offset: int | None = None, text: str | None = None
    ) -> bool:
        return self._table.select_anchor(anchor)

    def current_anchor(self) -> str:
        record = self._table.current
        return record.anchor if record is not None else self.SECTION
