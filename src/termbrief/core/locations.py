"""Every per-user path termbrief uses, in one place.

platformdirs gives the XDG folders on Linux (so ``XDG_DATA_HOME`` / ``XDG_CONFIG_HOME`` are
respected); ``TERMBRIEF_DATA_DIR`` and ``TERMBRIEF_CONFIG_DIR`` override them, and the
``--data-dir`` option overrides the data folder for one run. Nothing here creates folders:
callers create what they write to, so a read-only location never stops the app from opening.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "termbrief"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Folder for user data (the notes database).

    Order: the explicit ``override`` (``--data-dir``), ``TERMBRIEF_DATA_DIR``, then the
    platform's user data folder (``$XDG_DATA_HOME/termbrief`` on Linux).
    """
    if override:
        return Path(override).expanduser()
    env = os.environ.get("TERMBRIEF_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Folder for settings and the user keymap (``$XDG_CONFIG_HOME/termbrief`` on Linux)."""
    env = os.environ.get("TERMBRIEF_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Folder for caches that can be rebuilt at any time (``$XDG_CACHE_HOME/termbrief``)."""
    env = os.environ.get("TERMBRIEF_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def notes_db_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The notes database file."""
    return data_dir(override) / "notes.sqlite3"


def config_file() -> Path:
    """The user-edited configuration file (TOML): theme, keymap."""
    return config_dir() / "config.toml"


def state_file() -> Path:
    """What the app remembers between runs (JSON, written atomically by the app)."""
    return config_dir() / "state.json"


def library_cache_file() -> Path:
    """List details of briefs seen before, so a large library opens quickly."""
    return cache_dir() / "library.json"
