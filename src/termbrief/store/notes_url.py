"""Which notes store a reader uses: the notes URL, where it comes from and what it names.

Kept apart from :mod:`termbrief.store.backend` so that the reader can decide at start-up whether
notes live on a team server without importing SQLite, the stores or psycopg (a reader that never
touches notes imports none of them). This module imports only the standard library.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = [
    "NOTES_URL_VARIABLE",
    "SQLITE_FILE",
    "NotesUrlError",
    "describe_url",
    "is_team_url",
    "resolve_notes_url",
    "sqlite_folder",
]

NOTES_URL_VARIABLE: Final = "TERMBRIEF_NOTES_URL"
"""The environment variable naming the notes URL (below ``--notes-url``, above config.toml)."""

SQLITE_FILE: Final = "notes.sqlite3"
"""The name of termbrief's SQLite notes file in its folder."""

POSTGRES_SCHEMES: Final = ("postgresql", "postgres")
"""URL schemes that name a team server."""


class NotesUrlError(ValueError):
    """A notes URL termbrief cannot use; the message is fit for the user."""


def resolve_notes_url(
    cli_url: str | None,
    config_url: str | None,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The notes URL that applies: ``--notes-url``, else ``TERMBRIEF_NOTES_URL``, else
    ``notes_url`` from config.toml (read by the caller), else None (SQLite). Empty values count
    as not given."""
    env = os.environ if environ is None else environ
    for candidate in (cli_url, env.get(NOTES_URL_VARIABLE), config_url):
        if candidate and candidate.strip():
            return candidate.strip()
    return None


def is_team_url(url: str | None) -> bool:
    """Whether ``url`` names a team server (PostgreSQL)."""
    return url is not None and url.partition(":")[0].strip().lower() in POSTGRES_SCHEMES


def describe_url(url: str) -> str:
    """``url`` fit for a message: any password is replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def sqlite_folder(url: str, data_dir: Path | None) -> Path | None:
    """The folder of the SQLite notes a ``sqlite://`` URL names (``data_dir`` for none).

    Raises:
        NotesUrlError: the URL names a file other than termbrief's notes file.
    """
    rest = unquote(url[len("sqlite://") :])
    if not rest:
        return data_dir
    path = Path(rest).expanduser()
    if path.name.endswith((".sqlite3", ".sqlite", ".db")):
        if path.name != SQLITE_FILE:
            raise NotesUrlError(
                f"termbrief keeps SQLite notes in a file named {SQLITE_FILE}: give its folder "
                f"(sqlite://{path.parent}), not {path.name}."
            )
        return path.parent
    return path
