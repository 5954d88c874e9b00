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


def _item_id(anchor: str) -> str:
    """The id in an item's anchor (``figures/<id>``), or "" when it names no item."""
    try:
        return Anchor.parse(anchor).item or ""
    except ValueError:
        return ""


def open_figure(
    screen: Screen[None],
    brief: Brief | None,
    anchor: str,
    jump: Callable[[Jump | None], None] | None = None,
    notes: Sequence[tuple[Note, Placement]] = (),
) -> None:
    """Show the detail of the figure at ``anchor`` (``figures/<id>``), with its ``notes``;
    ``jump`` gets where the reader asked to go from there (an item resting on a cited source),
    or None."""
    figure = brief.figure(_item_id(anchor)) if brief is not None else None
    if figure is not None:
        from termbrief.ui.screens.figure_detail import FigureDetailScreen

        screen.app.push_screen(FigureDetailScreen(figure, brief, notes), jump)


def open_actor(
    screen: Screen[None],
    brief: Brief | None,
    anchor: str,
    jump: Callable[[Jump | None], None],
    notes: Sequence[tuple[Note, Placement]] = (),
) -> None:
    """Show the detail of the actor at ``anchor`` (``actors/<id>``), with its ``notes``;
    ``jump`` gets where the reader asked to go from there (one of the actor's mentions), or
    None."""
    actor = brief.actor(_item_id(anchor)) if brief is not None else None
    if brief is not None and actor is not None:
        from termbrief.ui.screens.actor_detail import ActorDetailScreen

        screen.app.push_screen(ActorDetailScreen(brief, actor, notes), jump)


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
    """Enter on a row of a table pane: the detail of the figure or actor at ``anchor``."""
    if anchor.startswith("actors/"):
        open_actor(screen, brief, anchor, jump, notes)
    else:
        open_figure(screen, brief, anchor, jump, notes)


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
