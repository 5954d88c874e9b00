"""Where colour is scarce, the lists mark their cursor and focus by more than a shade.

The custom Line API widgets (:mod:`.item_list`, :mod:`.record_table`) show the cursor row and the
focused list with background shades. Without colour (``NO_COLOR``, which Textual honours with a
monochrome filter) or with 16 colours, those shades merge; the widgets then add reverse video,
underline and a thicker gutter mark (see :func:`colour_is_scarce`).
"""

from __future__ import annotations

from textual import constants
from textual.app import App

RICH_COLOUR_SYSTEMS = frozenset({"256", "truecolor"})
"""Colour systems that show the shades the cursor and focus looks are made of."""


def colour_is_scarce(app: App[object]) -> bool:
    """Whether the terminal may not show the shades that mark the cursor and the focus: no
    colour at all (``NO_COLOR``), or 16 colours (``TEXTUAL_COLOR_SYSTEM=standard``, a terminal
    such as ``TERM=linux``). The lists then add reverse video, underline and bolder marks.

    Headless runs (tests) have no terminal to ask: there, only the settings count.
    """
    if app.no_color or constants.COLOR_SYSTEM in ("standard", "windows"):
        return True
    return not app.is_headless and app.console.color_system not in RICH_COLOUR_SYSTEMS
