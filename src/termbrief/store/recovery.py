"""The notes store's recovery ladder, at the level of files: telling a usable database from a
damaged one, moving or copying a bad one aside as a backup, and reading back what rows can still
be read from it.

Nothing here knows what a note means: rows come back as raw tuples for the store to decode.
This module imports no Textual.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Final

__all__ = [
    "copy_aside",
    "damage_of",
    "is_regular",
    "looks_like_sqlite",
    "move_aside",
    "readable",
    "remove_database",
    "salvage_rows",
]

SIDE_FILES: Final = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database; a backup takes them along."""

_SQLITE_HEADER: Final = b"SQLite format 3\x00"


def is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (following links): never a FIFO, device or folder.

    Opening a FIFO or a terminal for reading blocks until someone writes to it, and a device
    such as ``/dev/null`` reads as an empty database: neither is ever opened as one.
    """
    try:
        return path.is_file()
    except OSError:
        return False


def readable(path: Path) -> bool:
    """Whether ``path`` is a regular file this process can read."""
    if not is_regular(path):
        return False
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError:
        return False
    return True


def looks_like_sqlite(path: Path) -> bool:
    """Whether ``path`` is a readable regular file that is empty or starts with the SQLite
    header."""
    if not is_regular(path):
        return False
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError:
        return False
    return header in (b"", _SQLITE_HEADER)


def damage_of(connection: sqlite3.Connection) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong inside the database's pages; None if nothing.

    ``quick_check`` reads every page and checks the b-tree structure (it skips only the
    index-against-table comparison of ``integrity_check``), so damage in the middle of the file
    is found when the store opens instead of by whichever later query happens to touch it.
    """
    rows = connection.execute("PRAGMA quick_check(1)").fetchall()
    verdict = str(rows[0][0]) if rows else "no answer"
    return None if verdict == "ok" else verdict


def _free_backup_path(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists() or target.is_symlink():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    return target


def move_aside(path: Path) -> Path | None:
    """Rename the database and its side files to a timestamped backup; None if impossible.

    A link is renamed itself: what it points at is never touched.
    """
    target = _free_backup_path(path)
    try:
        path.rename(target)
    except OSError:
        return None
    for suffix in SIDE_FILES:
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).rename(target.with_name(target.name + suffix))
    return target


def copy_aside(path: Path) -> Path | None:
    """Copy the database and its side files to a timestamped backup; None if impossible."""
    target = _free_backup_path(path)
    try:
        shutil.copy2(path, target)
        for suffix in SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if is_regular(side):
                shutil.copy2(side, target.with_name(target.name + suffix))
    except OSError:
        return None
    return target


def remove_database(path: Path) -> bool:
    """Delete the database and its side files (after a backup); False if one stays."""
    try:
        for suffix in ("", *SIDE_FILES):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _scan(rows: sqlite3.Cursor, found: dict[object, tuple[object, ...]]) -> None:
    """Collect rows (keyed by their first column) until the cursor hits a damaged page."""
    with contextlib.suppress(sqlite3.Error):
        for row in rows:
            found.setdefault(row[0], row)


def salvage_rows(
    connection: sqlite3.Connection, table: str, columns: str, key: str
) -> list[tuple[object, ...]]:
    """Every row of ``table`` that can still be read from a damaged database (best effort).

    A scan stops at the first damaged page, so the table is read forwards and backwards by its
    key, then every key an index still lists is looked up on its own: a lookup walks from the
    root and reaches the leaves on either side of a damaged one. ``key`` must be the first of
    ``columns``; rows come back in key order.
    """
    found: dict[object, tuple[object, ...]] = {}
    for order in ("ASC", "DESC"):
        with contextlib.suppress(sqlite3.Error):
            query = f"SELECT {columns} FROM {table} ORDER BY {key} {order}"
            _scan(connection.execute(query), found)
    keys: dict[object, None] = {}
    with contextlib.suppress(sqlite3.Error):
        indexes = [str(row[1]) for row in connection.execute(f"PRAGMA index_list({table})")]
        for index in indexes:
            listed: dict[object, tuple[object, ...]] = {}
            _scan(connection.execute(f"SELECT {key} FROM {table} INDEXED BY {index}"), listed)
            keys.update(dict.fromkeys(listed))
    for missing in keys.keys() - found.keys():
        with contextlib.suppress(sqlite3.Error):
            row = connection.execute(
                f"SELECT {columns} FROM {table} WHERE {key} = ?", (missing,)
            ).fetchone()
            if row is not None:
                found[row[0]] = row
    return [found[k] for k in sorted(found, key=str)]
