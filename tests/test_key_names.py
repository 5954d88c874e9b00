"""termbrief shows keys as Textual does, without Textual's Unicode name look-ups."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.binding import Binding
from textual.keys import KEY_DISPLAY_ALIASES

from termbrief.ui.app import TermbriefApp
from termbrief.ui.widgets.key_names import KEY_DISPLAY, key_display

KEYS = [
    *KEY_DISPLAY,
    *KEY_DISPLAY_ALIASES,
    "n",
    "N",
    "1",
    "ctrl+f",
    "ctrl+slash",
    "shift+tab",
    "ctrl+u",
    "f1",
    "insert",
]


@pytest.mark.parametrize("key", KEYS)
def test_keys_look_as_textual_shows_them(key: str) -> None:
    binding = Binding(key, "noop")
    assert TermbriefApp().get_key_display(binding) == App().get_key_display(binding)


def test_a_key_display_given_by_the_binding_wins() -> None:
    assert TermbriefApp().get_key_display(Binding("slash", "noop", key_display="÷")) == "÷"


def test_unknown_names_are_left_to_textual() -> None:
    assert key_display("f1") is None
    assert key_display("slash") == "/"
    assert key_display(" ") is None
