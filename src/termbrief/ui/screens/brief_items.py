"""What Enter on an item of the brief screen opens: a figure's or an actor's detail, or a link.

The dialogs are imported when first opened, never for the first frame. A link is never opened
from here: the app is asked (:class:`~termbrief.ui.messages.LinkRequested`, see
:func:`termbrief.ui.screens.links.open_links`), and confirms it with the reader first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.screen import Screen

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief
from termbrief.ui.panes.pane import Jump

if TYPE_CHECKING:
    from termbrief.core.annotation import Note, Placement


def open_links(screen: Screen[None], links: Sequence[str]) -> None:
    """Ask the app to open the item's link; with several, let the reader pick one first
    (:func:`termbrief.ui.screens.links.open_links`, which the source detail uses too)."""
    from termbrief.ui.screens.links import open_links as offer_links

    offer_links(screen, links)


def open_record(
    screen: Screen[None],
    brief: Brief | None,
    anchor: str,
    jump: Callable[[Jump | None], None],
    notes: Sequence[tuple[Note, Placement]] = (),
) -> None:
    """Enter on a row of a table pane: the detail of the figure (``figures/<id>``) or the actor
    (``actors/<id>``) at ``anchor``, with its ``notes``; ``jump`` gets where the reader asked to
    go from there (an item resting on a cited source, one of the actor's mentions), or None."""
    try:
        place = Anchor.parse(anchor)
    except ValueError:
        return
    if brief is None or place.item is None:
        return
    if place.section == "actors":
        actor = brief.actor(place.item)
        if actor is not None:
            from termbrief.ui.screens.actor_detail import ActorDetailScreen

            screen.app.push_screen(ActorDetailScreen(brief, actor, notes), jump)
        return
    figure = brief.figure(place.item)
    if figure is not None:
        from termbrief.ui.screens.figure_detail import FigureDetailScreen

        screen.app.push_screen(FigureDetailScreen(figure, brief, notes), jump)


def open_list_item(
    screen: Screen[None],
    brief: Brief | None,
    list_id: str | None,
    anchor: str,
    links: Sequence[str],
    jump: Callable[[Jump | None], None],
) -> None:
    """Enter on an item of a list pane: a source's detail (in the Sources pane), else the
    item's link."""
    if list_id == "sources-list" and brief is not None:
        from termbrief.ui.screens.source_detail import open_source

        open_source(screen, brief, anchor, jump)  # `o` there opens its link
        return
    open_links(screen, links)
