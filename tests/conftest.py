"""Test-wide safety: no test may touch the real home folder."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["postgres_plugin"]

USER_DIRS = (
    ("XDG_DATA_HOME", "data"),
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_STATE_HOME", "state"),
    ("TERMBRIEF_DATA_DIR", "data/termbrief"),
    ("TERMBRIEF_CONFIG_DIR", "config/termbrief"),
)
"""Every per-user folder setting (XDG's and termbrief's own overrides), and where under a
test's home it goes."""


def isolate_user_dirs(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``HOME`` and every per-user folder at ``home``; returns ``home``."""
    for variable, folder in USER_DIRS:
        monkeypatch.setenv(variable, str(home / folder))
    monkeypatch.setenv("HOME", str(home))
    # A developer's own team server must not receive the tests' notes.
    monkeypatch.delenv("TERMBRIEF_NOTES_URL", raising=False)
    return home


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point every per-user folder (XDG and termbrief's own overrides) at a temporary folder."""
    yield isolate_user_dirs(tmp_path_factory.mktemp("home"), monkeypatch)


@pytest.fixture(params=("Etc/GMT-14", "Etc/GMT+12"))
def far_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test in the time zones furthest east and west of UTC (``TZ`` + ``time.tzset``),
    where a time at the edge of the calendar overflows when shown locally; restored after."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
