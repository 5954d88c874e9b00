"""The rules a user's ``[keymap]`` is checked against, read from the app's own bindings.

:mod:`termbrief.core.settings` checks the keymap but imports no Textual; this module gives it
:class:`~termbrief.core.settings.KeymapRules`: every binding id the app declares (``Binding(...,
id=...)`` in the ``BINDINGS`` of the app, its screens, dialogs and widgets), the ids of the
bindings that are active while a text field has focus, and what a key name is.

A binding is active while a text field has focus when it has ``priority=True`` (Textual checks
those before the focused widget sees the key: bound to a letter, the letter can no longer be
typed) unless its screen lets typing through (``STEP_ASIDE_FOR_TYPING``: its ``check_action``
turns it off in a text field), when it belongs to a text field itself (``Input``, ``TextArea``),
or when it belongs to a widget whose one focusable part is a text field
(:data:`TEXT_FIELD_HOSTS`, the find bar). For
the last two, a key that types a character goes into the field and never reaches the binding.

Usage (the app, when it reads the settings)::

    settings, warnings = load_settings(keymap_rules)
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import unicodedata
from collections.abc import Iterator

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, REPLACED_KEYS, Keys, key_to_character
from textual.widgets import Input, TextArea

import termbrief.ui
from termbrief.core.settings import KeyKind, KeymapRules
from termbrief.ui.widgets.search_bar import SearchBar

__all__ = ["TEXT_FIELD_HOSTS", "key_kind", "keymap_rules"]

TEXT_FIELD_HOSTS: tuple[type[DOMNode], ...] = (SearchBar,)
"""Widgets whose bindings only work while their text field has focus (it is the one part of
them that takes the focus)."""

MODIFIERS = frozenset({"shift", "ctrl", "alt", "meta", "super", "hyper"})
"""The modifiers Textual names in key events (``ctrl+shift+up``)."""

_NAMED_KEYS = frozenset(
    key.value for key in Keys if "+" not in key.value and key.value.isidentifier()
)
"""Keys with a name of their own: ``escape``, ``enter``, ``f1``, ``pageup``..."""


@functools.cache
def keymap_rules() -> KeymapRules:
    """The rules for the running termbrief: every module of ``termbrief.ui`` is imported (to
    see every dialog's bindings, including those imported lazily), so call it only when there
    is a keymap to check (``load_settings`` does)."""
    known: set[str] = set()
    field: set[str] = set()
    for owner, binding in _declared_bindings():
        if binding.id is None:
            continue
        known.add(binding.id)
        action = binding.action.partition("(")[0]
        steps_aside = action in getattr(owner, "STEP_ASIDE_FOR_TYPING", frozenset())
        if (binding.priority and not steps_aside) or issubclass(
            owner, (Input, TextArea, *TEXT_FIELD_HOSTS)
        ):
            field.add(binding.id)
    return KeymapRules(frozenset(known), frozenset(field), key_kind)


def _declared_bindings() -> Iterator[tuple[type[DOMNode], Binding]]:
    """Every binding declared by a termbrief class, with the DOM class it is active in."""
    for module in pkgutil.walk_packages(termbrief.ui.__path__, f"{termbrief.ui.__name__}."):
        importlib.import_module(module.name)
    pending: list[type[DOMNode]] = [DOMNode]
    seen: set[type[DOMNode]] = set()
    while pending:
        node_class = pending.pop()
        if node_class in seen:
            continue
        seen.add(node_class)
        pending.extend(node_class.__subclasses__())
        if not node_class.__module__.startswith("termbrief."):
            continue
        # Mixins (the app's services, the brief screen's keys) declare bindings too.
        for klass in node_class.__mro__:
            declared = klass.__dict__.get("BINDINGS", ())
            for binding in Binding.make_bindings(declared):
                yield node_class, binding


def key_kind(key: str) -> KeyKind:
    """What ``key`` (one key of a keymap value, as Textual names keys) is.

    ``"typing"``: it types a character into a text field (``a``, ``?``, ``question_mark``,
    ``space``); ``"command"``: another key the terminal sends (``ctrl+s``, ``f2``, ``escape``,
    ``shift+tab``); ``"unknown"``: no key event ever has that name (``f99``, ``Ctrl+S``,
    ``esc``, ``latin_small_letter_a``), so a binding to it would never fire.
    """
    if len(key) == 1:  # set_keymap names a lone character's key itself ("?" -> question_mark)
        return "typing" if key.isprintable() and not key.isspace() else "unknown"
    *modifiers, base = key.split("+")
    if not base or len(set(modifiers)) != len(modifiers) or not MODIFIERS.issuperset(modifiers):
        return "unknown"
    if _types_a_character(base):
        return "command" if modifiers else "typing"
    return "command" if base in _NAMED_KEYS else "unknown"


def _types_a_character(base: str) -> bool:
    """Whether Textual names the key of a printable character ``base`` (``a``,
    ``question_mark``, ``space``; not ``latin_small_letter_a``, which is named ``a``)."""
    if len(base) == 1:
        character: str | None = base
    else:
        character = key_to_character(REPLACED_KEYS.get(base, base))
    if character is None or len(character) != 1 or not character.isprintable():
        return False
    return _key_of(character) == base


@functools.cache
def _key_of(character: str) -> str:
    """Textual's name for the key that types the printable ``character`` (``?`` ->
    ``question_mark``, ``,`` -> ``comma``): its rule for a one-character binding or keymap key
    (a test holds the two together)."""
    if character.isalnum():
        return character
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:  # no name in the Unicode database
        return character
    return KEY_NAME_REPLACEMENTS.get(name, name)
