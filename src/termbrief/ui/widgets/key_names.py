"""The key a binding answers to right now, for messages that name it ("press p").

A message that names a key must follow the user's keymap (``[keymap]`` in ``config.toml``), so
the key is read from the screen's live bindings by binding id, never typed into the message.
"""

from __future__ import annotations

from textual.dom import DOMNode, NoScreen


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
