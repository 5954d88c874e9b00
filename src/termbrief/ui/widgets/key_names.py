"""The key a binding answers to right now, for messages that name it ("press p").

A message that names a key must follow the user's keymap (``[keymap]`` in ``config.toml``), so
the key is read from the screen's live bindings by binding id, never typed into the message.
"""

from __future__ import annotations

from textual.dom import DOMNode, NoScreen
from textual.keys import KEY_DISPLAY_ALIASES


def key_for(node: DOMNode, binding_id: str, default: str) -> str:
    """How the key of the binding ``binding_id`` active on ``node``'s screen is shown (``p``,
    ``ctrl+f``); ``default`` when no active binding has that id (or ``node`` is not mounted)."""
    try:
        bindings = node.screen.active_bindings
    except NoScreen:
        return default
    for active in bindings.values():
        if active.binding.id == binding_id:
            return node.app.get_key_display(active.binding)
    return default


# The characters of the named keys termbrief binds, written out: Textual finds a key's character
# by looking its name up in the Unicode name database, which brings pages of that database into
# memory at start-up for every key in the footer (bench case 8, peak memory). Keys Textual shows
# by a fixed alias (esc, ⏎, arrows...) come from its own table, KEY_DISPLAY_ALIASES.
# tests/test_key_names.py checks every entry against Textual's own answer.
KEY_DISPLAY: dict[str, str] = {
    "home": "home",
    "end": "end",
    "tab": "tab",
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "full_stop": ".",
    "comma": ",",
    "plus_sign": "+",
    "number_sign": "#",
    "exclamation_mark": "!",
    "less_than_sign": "<",
    "greater_than_sign": ">",
}


def key_display(key: str) -> str | None:
    """How a key without modifiers is shown (``slash`` -> ``/``, ``n`` -> ``n``), or None when
    only Textual knows."""
    if len(key) == 1 and key.isprintable() and not key.isspace():
        return key
    return KEY_DISPLAY_ALIASES.get(key) or KEY_DISPLAY.get(key)
