"""Settings: config (TOML, user-edited) + state (JSON, app-written), merged, never crashing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from termbrief.core import locations
from termbrief.core.settings import KeymapRules, Settings, load_settings, save_state


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("TERMBRIEF_CONFIG_DIR", str(folder))
    return folder


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_nothing_on_disk_gives_defaults_without_warnings() -> None:
    settings, warnings = load_settings()
    assert settings == Settings()
    assert warnings == []


def test_xdg_config_home_is_used_without_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TERMBRIEF_CONFIG_DIR")
    write_config(tmp_path / "xdg" / "termbrief", 'theme = "dracula"\n')
    settings, warnings = load_settings()
    assert (settings.theme, warnings) == ("dracula", [])


def test_config_theme_and_keymap(config_dir: Path) -> None:
    write_config(
        config_dir,
        'theme = "nord"\n\n[keymap]\n"pane.summary" = "f1, 1"\napp_quit = "ctrl+q"\n',
    )
    settings, warnings = load_settings()
    assert warnings == []
    assert settings.theme == "nord"
    assert settings.keymap == {"pane.summary": "f1,1", "app_quit": "ctrl+q"}


def test_bad_keymap_value_is_reported_with_position_and_skipped(config_dir: Path) -> None:
    path = write_config(
        config_dir, '[keymap]\n"pane.figures" = "2"\n"pane.summary" = 1\n"x" = "a b"\n'
    )
    settings, warnings = load_settings()
    assert settings.keymap == {"pane.figures": "2"}
    assert len(warnings) == 2
    assert warnings[0].startswith(f"{path}:3:1: keymap value for 'pane.summary' must be a string")
    assert warnings[0].endswith("using the default keys")
    assert warnings[1].startswith(f"{path}:4:1: keymap value 'a b'")


def test_keymap_not_a_table(config_dir: Path) -> None:
    path = write_config(config_dir, 'keymap = "oops"\n')
    settings, warnings = load_settings()
    assert settings.keymap == {}
    assert warnings[0].startswith(f"{path}:1:1: keymap must be a table")


def test_broken_toml_gives_position_and_defaults(config_dir: Path) -> None:
    path = write_config(config_dir, 'theme = "nord"\n\ntheme = = 3\n')
    settings, warnings = load_settings()
    assert settings == Settings()
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path}:3:")
    assert warnings[0].endswith("using default settings")


def test_wrong_types_and_unknown_keys_are_reported(config_dir: Path) -> None:
    write_config(config_dir, 'theme = 3\nshow_library = "yes"\ncolour = "red"\n')
    settings, warnings = load_settings()
    assert settings == Settings()
    assert any(":1:1: theme must be a name" in w for w in warnings)
    assert any(":2:1: show_library must be true or false" in w for w in warnings)
    assert any(":3:1: unknown setting 'colour'" in w for w in warnings)


def test_control_characters_in_messages_are_escaped(config_dir: Path) -> None:
    write_config(config_dir, '"\\u001b]0;pwned\\u0007" = 1\n')
    _, warnings = load_settings()
    assert len(warnings) == 1
    assert "\x1b" not in warnings[0] and "\x07" not in warnings[0]
    assert "\\x1b" in warnings[0]


def test_non_utf8_config(config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_bytes(b'theme = "\xff"\n')
    settings, warnings = load_settings()
    assert settings == Settings()
    assert "not UTF-8" in warnings[0]


def test_unreadable_config_is_a_warning(config_dir: Path) -> None:
    # A folder where the file should be: reading fails with an OSError on every platform/user.
    (config_dir / "config.toml").mkdir(parents=True)
    settings, warnings = load_settings()
    assert settings == Settings()
    assert len(warnings) == 1 and "cannot read" in warnings[0]


def test_state_round_trip(config_dir: Path) -> None:
    assert save_state(Settings(theme="gruvbox", show_library=False, last_brief="/b/x.yaml")) is None
    settings, warnings = load_settings()
    assert warnings == []
    assert (settings.theme, settings.show_library, settings.last_brief) == (
        "gruvbox",
        False,
        "/b/x.yaml",
    )
    data = json.loads(locations.state_file().read_text())
    assert data["version"] == 1
    assert "keymap" not in data
    # No temporary files left behind.
    assert sorted(p.name for p in config_dir.iterdir()) == ["state.json"]


def test_state_beats_config_then_an_edited_config_wins_again(config_dir: Path) -> None:
    write_config(config_dir, 'theme = "nord"\n')
    assert load_settings()[0].theme == "nord"
    save_state(Settings(theme="dracula"))
    assert load_settings()[0].theme == "dracula"
    # The user edits the config after choosing in the app: their edit is not silently ignored.
    write_config(config_dir, 'theme = "monokai"\n')
    assert load_settings()[0].theme == "monokai"


def test_cli_beats_state_and_config(config_dir: Path) -> None:
    write_config(config_dir, 'theme = "nord"\nshow_library = true\n')
    save_state(Settings(theme="dracula", show_library=True))
    settings, _ = load_settings()
    merged = settings.override(theme="textual-light", show_library=False)
    assert (merged.theme, merged.show_library) == ("textual-light", False)
    untouched = settings.override()
    assert (untouched.theme, untouched.show_library) == ("dracula", True)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "state.json:1:2: not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"theme": 5, "show_library": "no", "last_brief": []}', "theme has the wrong type"),
        # Nested past Python's recursion limit: refused with a message, never a RecursionError.
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 64 levels"),
    ],
)
def test_broken_state_gives_defaults(config_dir: Path, text: str, fragment: str) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "state.json").write_text(text)
    settings, warnings = load_settings()
    assert settings == Settings()
    assert any(fragment in w for w in warnings), warnings


def test_save_replaces_atomically_and_keeps_old_state_on_failure(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_state(Settings(theme="nord"))

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", broken_replace)
        message = save_state(Settings(theme="dracula"))
    assert message is not None and "No space left on device" in message
    assert json.loads(locations.state_file().read_text())["theme"] == "nord"
    assert sorted(p.name for p in config_dir.iterdir()) == ["state.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_unwritable_config_dir_returns_a_message(config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    config_dir.chmod(0o500)
    try:
        message = save_state(Settings(theme="nord"))
    finally:
        config_dir.chmod(0o700)
    assert message is not None
    assert str(locations.state_file()) in message and "Permission denied" in message


def test_config_dir_that_is_a_file_returns_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("TERMBRIEF_CONFIG_DIR", str(blocker / "termbrief"))
    message = save_state(Settings(theme="nord"))
    assert message is not None and message.startswith("could not save settings")


def test_settings_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = "import sys, termbrief.core.settings; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# -- the keymap checked against the app's bindings (termbrief.ui.keymap) --------------------------


def checked_settings() -> tuple[Settings, list[str]]:
    from termbrief.ui.keymap import keymap_rules

    return load_settings(keymap_rules)


def test_an_unknown_keymap_id_is_ignored_naming_the_nearest(config_dir: Path) -> None:
    path = write_config(
        config_dir, '[keymap]\n"pane.sumary" = "f1"\n"quit" = "ctrl+q"\n"pane.summary" = "f1,1"\n'
    )
    settings, warnings = checked_settings()
    assert settings.keymap == {"pane.summary": "f1,1"}
    assert warnings == [
        f"{path}:2:1: unknown keymap id 'pane.sumary' (did you mean 'pane.summary'?); ignored",
        f"{path}:3:1: unknown keymap id 'quit' (did you mean 'app.quit'?); ignored",
    ]


def test_a_key_name_no_key_has_is_ignored(config_dir: Path) -> None:
    path = write_config(
        config_dir, '[keymap]\n"pane.figures" = "f99, 2"\n"app.help" = "esc"\n"app.quit" = "q"\n'
    )
    settings, warnings = checked_settings()
    assert settings.keymap == {"pane.figures": "2", "app.quit": "q"}
    assert warnings == [
        f"{path}:2:1: keymap key 'f99' for 'pane.figures' is not a key name (examples: \"x\", "
        '"question_mark", "ctrl+s", "f2", "escape"); ignored',
        f"{path}:3:1: keymap key 'esc' for 'app.help' is not a key name (examples: \"x\", "
        '"question_mark", "ctrl+s", "f2", "escape"); using the default keys',
    ]


@pytest.mark.parametrize(
    ("binding_id", "keys", "kept"),
    [
        ("note.save", "n, ctrl+s", "ctrl+s"),  # priority: would take "n" from the editor
        ("note.cancel", "a", None),
        ("app.command_palette", "space", None),  # priority too, everywhere
        ("search.close", "x,escape", "escape"),  # the find bar: "x" is typed into its field
        ("library.filter.clear", "question_mark", None),  # the library filter's own field
    ],
)
def test_a_typing_key_for_a_text_field_binding_is_refused(
    config_dir: Path, binding_id: str, keys: str, kept: str | None
) -> None:
    write_config(config_dir, f'[keymap]\n"{binding_id}" = "{keys}"\n')
    settings, warnings = checked_settings()
    assert settings.keymap == ({binding_id: kept} if kept else {})
    [warning] = warnings
    assert f"for '{binding_id}' is refused: that binding is active while you type" in warning
    assert warning.endswith("; ignored" if kept else "; using the default keys")


def test_letters_stay_free_for_bindings_a_text_field_does_not_see(config_dir: Path) -> None:
    write_config(
        config_dir,
        '[keymap]\n"note.add" = "a"\n"pane.summary" = "question_mark,f1"\n"note.save" = "f2"\n',
    )
    settings, warnings = checked_settings()
    assert warnings == []
    assert settings.keymap == {
        "note.add": "a",
        "pane.summary": "question_mark,f1",
        "note.save": "f2",
    }


def test_the_bindings_are_read_only_when_there_is_a_keymap(config_dir: Path) -> None:
    def unwanted() -> KeymapRules:
        raise AssertionError("the app's bindings were collected for a config without a keymap")

    write_config(config_dir, 'theme = "nord"\n')
    assert load_settings(unwanted) == (Settings(theme="nord"), [])


def test_keymap_rules_come_from_the_live_bindings() -> None:
    from termbrief.ui.keymap import keymap_rules

    rules = keymap_rules()
    # From the app, the brief screen (and its mixins), widgets, and lazily imported dialogs.
    for binding_id in ("app.quit", "pane.summary", "search.next", "library.search", "cursor.down"):
        assert binding_id in rules.known_ids
    for binding_id in ("note.save", "note.cancel", "notes.close", "link.open", "detail.close"):
        assert binding_id in rules.known_ids
    assert {"note.save", "note.cancel", "app.command_palette", "search.close"} <= rules.field_ids
    assert not {"note.add", "pane.summary", "notes.close", "cursor.down"} & rules.field_ids


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("a", "typing"),
        ("N", "typing"),
        ("?", "typing"),
        ("question_mark", "typing"),
        ("space", "typing"),
        ("comma", "typing"),
        ("left_square_bracket", "typing"),
        ("ctrl+s", "command"),
        ("ctrl+shift+up", "command"),
        ("f2", "command"),
        ("escape", "command"),
        ("shift+tab", "command"),
        ("ctrl+question_mark", "command"),
        ("f99", "unknown"),
        ("esc", "unknown"),
        ("Ctrl+S", "unknown"),
        ("ctrl+ctrl+a", "unknown"),
        ("ctrl+?", "unknown"),
        ("latin_small_letter_a", "unknown"),
        ("ctrl+", "unknown"),
    ],
)
def test_key_kinds(key: str, kind: str) -> None:
    from termbrief.ui.keymap import key_kind

    assert key_kind(key) == kind


def test_key_names_agree_with_textual() -> None:
    # key_kind names a character's key as Textual does for a one-character binding.
    from textual.binding import Binding

    from termbrief.ui.keymap import key_kind

    for code in range(0x21, 0x7F):
        character = chr(code)
        if character == ",":
            continue  # a binding's key list separator: Textual cannot bind it alone
        [binding] = Binding.make_bindings([Binding(character, "")])
        assert key_kind(binding.key) == "typing", (character, binding.key)


async def test_typing_banana_in_a_note_with_letters_bound_to_save_and_cancel(
    config_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app reads its settings with the keymap rules, so "n" and "a" bound to the note
    # editor's save and cancel are refused and stay typeable.
    from textual.widgets import TextArea

    from termbrief.ui.app import TermbriefApp
    from termbrief.ui.screens.note_editor import NoteEditor
    from ui_fixtures import ALPHA, WIDE

    monkeypatch.setenv("TERMBRIEF_DATA_DIR", str(tmp_path / "notes"))
    write_config(config_dir, '[keymap]\n"note.save" = "n,ctrl+s"\n"note.cancel" = "a,escape"\n')
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("2", "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"banana")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "banana"
        refused = [
            warning.split(": ", 1)[1].split(" is refused")[0] for warning in app.setting_warnings
        ]
        assert refused == ["keymap key 'n' for 'note.save'", "keymap key 'a' for 'note.cancel'"]
