"""The actors pane (key 3): name, kind, role; Enter opens the actor's detail.

The name always shows in full: it keeps its width longest and wraps when even that is too
narrow. When space is short the kind and the role give way first, the role down to a fair share
of the width (both cut with ``…``; the detail has them in full); then the name wraps.
"""

from __future__ import annotations

from termbrief.core.anchors import Anchor
from termbrief.core.model import ACTOR_KINDS, Actor, Brief
from termbrief.ui.panes.pane import TablePane
from termbrief.ui.widgets.record_table import Column, Record

COLUMNS = (
    Column("Name", max_width=48, min_width=16, wrap=True, priority=1),
    Column("Kind", max_width=12, min_width=7),
    Column("Role", max_width=80, flex=True, min_width=8),
)


def actor_record(actor: Actor) -> Record:
    """One table row for ``actor``."""
    role = actor.role or actor.affiliation or ""
    return Record(
        str(Anchor.actor(actor.id)),
        (actor.name, actor.kind, role),
        (actor.name.casefold(), ACTOR_KINDS.index(actor.kind), role.casefold()),
    )


class ActorsPane(TablePane):
    """The brief's actors as a :class:`RecordTable` pane (``#actors-table``)."""

    SECTION = "actors"
    COLUMNS = COLUMNS

    def records_for(self, brief: Brief) -> list[Record]:
        return [actor_record(actor) for actor in brief.actors]
