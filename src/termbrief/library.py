"""A library: the brief files under the paths the user opened, valid or not.

An invalid file is kept as an :class:`Entry` with its problems, so the reader can list it and
show why it failed; it never stops the rest of the library from loading.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from termbrief.loader import BriefError, Problem, load_brief
from termbrief.model import Brief

BRIEF_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Entry:
    """One file of a library."""

    path: Path
    """The brief file."""
    brief: Brief | None
    """The loaded brief; None when the file is invalid."""
    problems: tuple[Problem, ...] = ()
    """Why the file is invalid; empty when it loaded."""
    mtime_ns: int = 0
    """Modification time when loaded, to notice edits."""

    @property
    def ok(self) -> bool:
        """True when the brief loaded."""
        return self.brief is not None

    @property
    def id(self) -> str:
        """The brief's id, or the file stem for an invalid file."""
        return self.brief.id if self.brief is not None else self.path.stem

    @property
    def title(self) -> str:
        """The brief's title, or the file name for an invalid file."""
        return self.brief.title if self.brief is not None else self.path.name

    @property
    def date(self) -> datetime.date | None:
        """The brief's "as of" date."""
        return self.brief.date if self.brief is not None else None

    @property
    def tags(self) -> tuple[str, ...]:
        """The brief's tags."""
        return self.brief.tags if self.brief is not None else ()

    @property
    def regions(self) -> tuple[str, ...]:
        """The brief's regions."""
        return self.brief.regions if self.brief is not None else ()


def find_brief_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders searched recursively for ``*.yaml`` and ``*.yml``.

    Hidden files and folders are skipped. The result is sorted and has no duplicates.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.update(
                    Path(folder, name)
                    for name in files
                    if name.endswith(BRIEF_SUFFIXES) and not name.startswith(".")
                )
        else:
            found.add(path)
    return sorted(found)


def load_entry(path: Path) -> Entry:
    """Load one file into an entry; never raises for a bad file."""
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError:
        mtime_ns = 0
    try:
        return Entry(path, load_brief(path), (), mtime_ns)
    except BriefError as error:
        return Entry(path, None, error.problems, mtime_ns)


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    """Newest first, then by title; invalid files last, by name."""

    def key(entry: Entry) -> tuple[int, int, str]:
        date = entry.date
        return (
            0 if entry.ok else 1,
            -(date.toordinal() if date else 0),
            entry.title.casefold(),
        )

    return sorted(entries, key=key)


def load_library(paths: Sequence[Path]) -> list[Entry]:
    """Every brief under ``paths``, newest first, invalid files last."""
    return sort_entries(load_entry(path) for path in find_brief_files(paths))


def sample_library_path() -> Path:
    """The bundled sample briefs: inside the package when installed from a wheel, else the
    repository's ``briefs/`` folder (editable installs)."""
    packaged = Path(__file__).with_name("sample_briefs")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "briefs"
