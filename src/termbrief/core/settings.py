"""What termbrief remembers per user: theme, keymap, library visibility, last brief.

Two files, both in :func:`termbrief.core.locations.config_dir`:

- ``config.toml`` is edited by the user and only read here::

      theme = "nord"
      notes_url = "postgresql://alice@db.example.org/termbrief"   # team notes (optional)

      [user]
      name = "Alice Martin"      # the author of notes kept on this computer
      visibility = "private"     # new team notes: "team" (the default) or "private"

      [keymap]
      "pane.summary" = "f1,1"

- ``state.json`` is written by the app (atomically) and holds what the user last chose in the app:
  the theme, whether the library sidebar is shown, the last brief opened.

Precedence is CLI flag > state > config, with one refinement so that editing the config is never
silently ignored: the state remembers which config theme it overrode, and when the config's theme
has changed since, the config wins again.

Nothing here raises for a broken, unreadable or missing file: :func:`load_settings` returns the
defaults plus human-readable warnings (``path:line:col: message``) for the app to show. This module
imports no Textual.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import msgspec
import msgspec.structs

from termbrief.core import locations

STATE_VERSION = 1
"""Version of the ``state.json`` layout."""

_CONFIG_KEYS = ("theme", "show_library", "keymap", "keep_versions", "notes_url", "user")
_USER_KEYS = ("name", "visibility")
_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_KEY = re.compile(r"^[^\s,]+$")


class Settings(msgspec.Struct):
    """The merged settings for one run of the app."""

    theme: str | None = None
    """Name of the Textual theme, or None for the app's default."""
    show_library: bool | None = None
    """Whether the library sidebar is shown; None lets the app decide (folder: yes, file: no)."""
    last_brief: str | None = None
    """Path of the brief opened last, as a string."""
    keymap: dict[str, str] = msgspec.field(default_factory=dict)
    """Binding id -> comma-separated keys, e.g. ``{"pane.summary": "f1,1"}``; for App.set_keymap."""
    inline_notes: bool = False
    """Whether notes show in full under the items they annotate (the reader's ``i``)."""
    keep_versions: int | None = None
    """How many versions of each brief the reading history keeps (the one last read always
    stays); None keeps all. ``keep_versions = 20`` in config.toml."""
    notes_url: str | None = None
    """``notes_url`` from config.toml: where notes are kept (a team server); None: this computer.
    ``--notes-url`` and ``TERMBRIEF_NOTES_URL`` take precedence (see
    :func:`termbrief.store.backend.resolve_notes_url`)."""
    user_name: str | None = None
    """``[user] name``: the author of notes kept on this computer; None: the login name."""
    note_visibility: Literal["private", "team"] | None = None
    """``[user] visibility``: who may read a new note on a team server; None: the team."""

    def override(self, *, theme: str | None = None, show_library: bool | None = None) -> Settings:
        """A copy with command-line values applied; None means "not given on the command line"."""
        changes: dict[str, Any] = {}
        if theme is not None:
            changes["theme"] = theme
        if show_library is not None:
            changes["show_library"] = show_library
        return msgspec.structs.replace(self, **changes)


KeyKind = Literal["typing", "command", "unknown"]
"""What a key name is: a key that types a character in a text field (``a``, ``question_mark``,
``space``), another key (``ctrl+s``, ``f2``, ``escape``), or no key the terminal can send."""


class KeymapRules(msgspec.Struct, frozen=True):
    """What a ``[keymap]`` may bind, as the UI declares it (this module imports no Textual:
    ``termbrief.ui.keymap`` collects these from the app's bindings)."""

    known_ids: frozenset[str]
    """Every binding id the app declares."""
    field_ids: frozenset[str]
    """Ids of the bindings that are active while a text field has focus. A key that types a
    character, bound to one of them, would either be taken from the field (it could no longer
    be typed: "banana" saved as "nn") or be typed into it and never reach the binding."""
    key_kind: Callable[[str], KeyKind]
    """What a key name (one of a comma-separated list) is."""


class _Warnings(list[str]):
    """Warnings collected while reading one file, prefixed with its path."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def add(self, message: str, line: int | None = None, column: int = 1) -> None:
        where = f"{self.path}:{line}:{column}" if line else str(self.path)
        self.append(f"{where}: {message}")


def _show(value: object) -> str:
    """A user-supplied value quoted for a message; repr escapes control characters."""
    return repr(value)


def _read_text(path: Path, warnings: _Warnings) -> str | None:
    """The file's text, or None when it is missing (silently) or unreadable (with a warning)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        warnings.add(f"cannot read ({error.strerror or error}); using defaults")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        warnings.add(f"not UTF-8 text (byte {error.start}); using defaults")
        return None


def _line_of(text: str, key: str) -> int | None:
    """Best-effort line number of ``key = ...`` in TOML text (tomllib gives no value positions)."""
    pattern = re.compile(r"""^\s*["']?""" + re.escape(key) + r"""["']?\s*=""")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def _parse_config(text: str, warnings: _Warnings) -> dict[str, Any]:
    """The parsed config text; {} when broken."""
    import tomllib  # only when there is a config file: most start-ups have none to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.match(message)
        if match:
            warnings.add(
                f"{match['msg']}; using default settings", int(match["line"]), int(match["col"])
            )
        else:
            warnings.add(f"{message}; using default settings")
        return {}


def _parse_keymap(
    raw: object, text: str, warnings: _Warnings, rules: Callable[[], KeymapRules] | None = None
) -> dict[str, str]:
    if not isinstance(raw, dict):
        warnings.add(
            "keymap must be a table ([keymap]) of binding ids to keys; using the default keys",
            _line_of(text, "keymap"),
        )
        return {}
    keymap: dict[str, str] = {}
    known = rules() if rules is not None and raw else None  # the app's bindings, once
    for binding_id, keys in raw.items():
        line = _line_of(text, binding_id)
        if not isinstance(keys, str):
            warnings.add(
                f"keymap value for {_show(binding_id)} must be a string of keys such as "
                f'"f1,1"; using the default keys',
                line,
            )
            continue
        parts = [part.strip() for part in keys.split(",")]
        if not parts or not all(_KEY.match(part) and part.isprintable() for part in parts):
            warnings.add(
                f"keymap value {_show(keys)} for {_show(binding_id)} is not a comma-separated list "
                "of keys; using the default keys",
                line,
            )
            continue
        if known is not None:
            if binding_id not in known.known_ids:
                warnings.add(
                    f"unknown keymap id {_show(binding_id)}"
                    f"{_nearest(binding_id, known.known_ids)}; ignored",
                    line,
                )
                continue
            parts = _usable_keys(binding_id, parts, known, warnings, line)
            if not parts:
                continue
        keymap[binding_id] = ",".join(parts)
    return keymap


def _nearest(binding_id: str, known_ids: frozenset[str]) -> str:
    """`` (did you mean 'pane.summary'?)`` for the known id closest to ``binding_id``."""
    from rapidfuzz import fuzz, process  # only for a config with a typo in it

    found = process.extractOne(binding_id, sorted(known_ids), scorer=fuzz.WRatio)
    return f" (did you mean {_show(found[0])}?)" if found is not None else ""


def _usable_keys(
    binding_id: str, keys: list[str], rules: KeymapRules, warnings: _Warnings, line: int | None
) -> list[str]:
    """``keys`` without those that cannot work for ``binding_id``, each with a warning."""
    usable: list[str] = []
    refused: list[str] = []
    for key in keys:
        kind = rules.key_kind(key)
        if kind == "unknown":
            refused.append(
                f"keymap key {_show(key)} for {_show(binding_id)} is not a key name "
                '(examples: "x", "question_mark", "ctrl+s", "f2", "escape")'
            )
        elif kind == "typing" and binding_id in rules.field_ids:
            refused.append(
                f"keymap key {_show(key)} for {_show(binding_id)} is refused: that binding is "
                f"active while you type in a text field, where {_show(key)} must type itself"
            )
        else:
            usable.append(key)
    for message in refused:
        warnings.add(f"{message}; {'ignored' if usable else 'using the default keys'}", line)
    return usable


def _option(
    table: dict[str, Any],
    key: str,
    valid: Callable[[Any], bool],
    problem: str,
    text: str,
    warnings: _Warnings,
) -> Any:
    """``table[key]`` when ``valid``; None when it is absent, or wrong (``problem`` is then
    reported at its line and the default kept)."""
    value = table.get(key)
    if value is None or valid(value):
        return value
    warnings.add(problem, _line_of(text, key))
    return None


def _a_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _config_settings(
    path: Path, warnings: _Warnings, keymap_rules: Callable[[], KeymapRules] | None = None
) -> Settings:
    text = _read_text(path, warnings) or ""
    data = _parse_config(text, warnings) if text else {}
    settings = Settings()
    for key in data:
        if key not in _CONFIG_KEYS:
            warnings.add(f"unknown setting {_show(key)}; ignored", _line_of(text, key))
    theme = _option(
        data, "theme", _a_name, 'theme must be a name such as "nord"; ignored', text, warnings
    )
    if theme is not None:
        settings.theme = theme.strip()
    show_library = _option(
        data,
        "show_library",
        lambda value: isinstance(value, bool),
        "show_library must be true or false; ignored",
        text,
        warnings,
    )
    if show_library is not None:
        settings.show_library = show_library
    if "keymap" in data:
        settings.keymap = _parse_keymap(data["keymap"], text, warnings, keymap_rules)
    keep = _option(
        data,
        "keep_versions",
        lambda value: isinstance(value, int) and not isinstance(value, bool) and value >= 1,
        "keep_versions must be a whole number of at least 1; keeping all versions",
        text,
        warnings,
    )
    if keep is not None:
        settings.keep_versions = keep
    notes_url = _option(
        data,
        "notes_url",
        lambda value: isinstance(value, str),
        'notes_url must be a text such as "postgresql://me@host/db"; ignored',
        text,
        warnings,
    )
    if notes_url is not None:
        settings.notes_url = notes_url.strip() or None
    if "user" in data:
        _user_settings(settings, data["user"], text, warnings)
    return settings


def _user_settings(settings: Settings, user: object, text: str, warnings: _Warnings) -> None:
    """``[user]``: the local author's name and the default visibility of team notes."""
    if not isinstance(user, dict):
        warnings.add("user must be a table ([user]); ignored", _line_of(text, "user"))
        return
    for key in user:
        if key not in _USER_KEYS:
            warnings.add(f"unknown setting user.{_show(key)}; ignored", _line_of(text, key))
    name = _option(
        user, "name", _a_name, 'user.name must be a name such as "Alice"; ignored', text, warnings
    )
    if name is not None:
        settings.user_name = name.strip()
    visibility = _option(
        user,
        "visibility",
        lambda value: value in ("private", "team"),
        'user.visibility must be "private" or "team"; ignored',
        text,
        warnings,
    )
    if visibility is not None:
        settings.note_visibility = visibility


def _read_state(path: Path, warnings: _Warnings) -> dict[str, Any]:
    text = _read_text(path, warnings)
    if text is None:
        return {}
    import json  # only when there is a state file to read

    from termbrief.core.jsonsafe import load_json

    try:
        data = load_json(text)
    except json.JSONDecodeError as error:
        warnings.add(f"not valid JSON ({error.msg}); starting afresh", error.lineno, error.colno)
        return {}
    if not isinstance(data, dict):
        warnings.add("expected a JSON object; starting afresh")
        return {}
    return data


def _optional(data: dict[str, Any], key: str, kind: type, warnings: _Warnings) -> Any:
    value = data.get(key)
    if value is None or isinstance(value, kind):
        return value
    warnings.add(f"{key} has the wrong type ({type(value).__name__}); ignored")
    return None


def load_settings(
    keymap_rules: Callable[[], KeymapRules] | None = None,
) -> tuple[Settings, list[str]]:
    """Read the config and state files and merge them (state over config).

    With ``keymap_rules`` (``termbrief.ui.keymap.keymap_rules``; called only when the config
    has a keymap), keymap entries are checked against the app's bindings: an unknown id is
    ignored with a warning naming the nearest known one, a key that is no key name is ignored,
    and so is a key that types a character bound to an action active while a text field has
    focus. Without it, any id and key pass (this module cannot know the app's bindings).

    Returns:
        The settings, and warnings such as
        ``".../config.toml:3:1: keymap value for 'pane.summary' must be a string ...; using the
        default keys"``. Never raises for file problems: anything broken is reported and skipped.
        Apply command-line flags afterwards with :meth:`Settings.override`.
    """
    config_warnings = _Warnings(locations.config_file())
    config = _config_settings(config_warnings.path, config_warnings, keymap_rules)
    state_warnings = _Warnings(locations.state_file())
    state = _read_state(state_warnings.path, state_warnings)

    settings = msgspec.structs.replace(config)
    state_theme = _optional(state, "theme", str, state_warnings)
    # The state's theme wins only while the config's theme is the one it overrode.
    if state_theme and state.get("config_theme") == config.theme:
        settings.theme = state_theme
    show_library = _optional(state, "show_library", bool, state_warnings)
    if show_library is not None:
        settings.show_library = show_library
    settings.last_brief = _optional(state, "last_brief", str, state_warnings)
    settings.inline_notes = bool(_optional(state, "inline_notes", bool, state_warnings))
    return settings, [*config_warnings, *state_warnings]


def save_state(settings: Settings) -> str | None:
    """Remember theme, library visibility and last brief in the state file, atomically.

    Writes a temporary file in the same folder, fsyncs it and renames it over the old one, so a
    crash leaves either the old or the new state, never half of one. The keymap is not written:
    it belongs to the user's config file.

    Returns:
        None on success, else a message for the user (e.g. the config folder is read-only). Never
        raises for file-system problems, so a failed save cannot end the app.
    """
    path = locations.state_file()
    config_theme = _config_settings(locations.config_file(), _Warnings(Path())).theme
    data = {
        "version": STATE_VERSION,
        "theme": settings.theme,
        "config_theme": config_theme,
        "show_library": settings.show_library,
        "last_brief": settings.last_brief,
        "inline_notes": settings.inline_notes,
    }
    import json
    import tempfile

    payload = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    temp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=".state-", suffix=".tmp", delete=False
        ) as handle:
            temp_name = handle.name
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
        temp_name = None
    except OSError as error:
        return f"could not save settings to {path}: {error.strerror or error}"
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return None
