"""The team settings in config.toml: ``notes_url`` and the ``[user]`` table."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbrief.core.settings import Settings, load_settings


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("TERMBRIEF_CONFIG_DIR", str(folder))
    return folder


def test_notes_url_and_the_user_table_are_read(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text(
        'notes_url = " postgresql://alice@db/team "\n\n[user]\nname = "Alice M"\n'
        'visibility = "private"\n'
    )
    settings, warnings = load_settings()
    assert warnings == []
    assert settings.notes_url == "postgresql://alice@db/team"
    assert settings.user_name == "Alice M"
    assert settings.note_visibility == "private"


def test_wrong_team_settings_are_reported_with_their_line_and_ignored(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text(
        'notes_url = 5\n[user]\nname = ""\nvisibility = "everyone"\ncolour = "red"\n'
    )
    settings, warnings = load_settings()
    assert settings == Settings()
    assert any(":1:1: notes_url must be a text" in w for w in warnings), warnings
    assert any(":3:1: user.name must be a name" in w for w in warnings), warnings
    assert any(':4:1: user.visibility must be "private" or "team"' in w for w in warnings)
    assert any(":5:1: unknown setting user.'colour'" in w for w in warnings), warnings


def test_a_user_that_is_not_a_table_is_reported(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text('user = "alice"\n')
    settings, warnings = load_settings()
    assert settings.user_name is None
    assert any(":1:1: user must be a table" in w for w in warnings), warnings
