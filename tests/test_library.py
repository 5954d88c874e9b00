"""A library keeps going when one file is bad, and lists briefs newest first."""

from __future__ import annotations

from pathlib import Path

from termbrief.core.library import (
    Entry,
    find_brief_files,
    load_entry,
    sample_library_path,
    sort_entries,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_library(paths: list[Path]) -> list[Entry]:
    """Every brief under ``paths``, as the library lists them."""
    return sort_entries(load_entry(path) for path in find_brief_files(paths))


def test_bad_file_does_not_stop_the_library(tmp_path: Path) -> None:
    write(tmp_path / "old.yaml", "title: Old\nsummary: S\ndate: 2020-01-01\n")
    write(tmp_path / "new.yml", "title: New\nsummary: S\ndate: 2024-01-01\n")
    write(tmp_path / "nodate.yaml", "title: Undated\nsummary: S\n")
    write(tmp_path / "deep" / "broken.yaml", "title: [\n")
    write(tmp_path / ".hidden" / "skip.yaml", "title: Hidden\nsummary: S\n")
    write(tmp_path / "readme.md", "# not a brief\n")
    entries = load_library([tmp_path])
    assert [e.title for e in entries] == ["New", "Old", "Undated", "broken.yaml"]
    broken = entries[-1]
    assert not broken.ok and broken.brief is None
    assert broken.problems[0].path == str(tmp_path / "deep" / "broken.yaml")
    assert broken.problems[0].line == 2
    assert entries[0].ok and entries[0].id == "new" and entries[0].mtime_ns > 0


def test_files_and_folders_mixed_without_duplicates(tmp_path: Path) -> None:
    one = write(tmp_path / "a.yaml", "title: A\nsummary: S\n")
    write(tmp_path / "b.yaml", "title: B\nsummary: S\n")
    assert find_brief_files([one, tmp_path]) == [tmp_path / "a.yaml", tmp_path / "b.yaml"]


def test_sample_library_has_the_three_briefs() -> None:
    entries = load_library([sample_library_path()])
    assert len(entries) >= 3
    assert all(entry.ok for entry in entries), [str(p) for e in entries for p in e.problems]


def test_brief_cache_is_keyed_by_content(tmp_path: Path) -> None:
    from termbrief.core.library import load_brief_cached

    cache = tmp_path / "cache"
    path = write(
        tmp_path / "b.yaml",
        "title: T\nsummary: S\ntimeline:\n  - {date: 2024-09, event: E}\nfigures:\n"
        "  - {label: L, value: 5}\n",
    )
    first = load_brief_cached(path, cache)
    [cached_file] = cache.glob("*.msgpack")
    second = load_brief_cached(path, cache)
    assert second == first and str(second.timeline[0].date) == "2024-09"

    # Any edit is a new key: the old cached brief is never returned for new content.
    path.write_text(path.read_text().replace("title: T", "title: U"), encoding="utf-8")
    assert load_brief_cached(path, cache).title == "U"
    assert len(list(cache.glob("*.msgpack"))) == 2

    # A damaged cache file is ignored, and invalid briefs are reported as usual.
    cached_file.write_bytes(b"garbage")
    path.write_text(
        "title: T\nsummary: S\ntimeline:\n  - {date: 2024-09, event: E}\nfigures:\n"
        "  - {label: L, value: 5}\n",
        encoding="utf-8",
    )
    assert load_brief_cached(path, cache) == first
    path.write_text("title: [\n", encoding="utf-8")
    import pytest

    from termbrief.core.loader import BriefError

    with pytest.raises(BriefError):
        load_brief_cached(path, cache)


def test_a_freshly_parsed_brief_keeps_no_utf8_copy_of_its_text(tmp_path: Path) -> None:
    # Writing the cache encodes the brief, and CPython then keeps a UTF-8 copy inside every
    # non-ASCII string it encoded: a library of 2,000 briefs would hold ~5 MB of copies.
    import sys

    from termbrief.core.library import load_brief_cached

    path = write(tmp_path / "b.yaml", "title: Zürich – Genève\nsummary: Café crème, naïve.\n")
    brief = load_brief_cached(path, tmp_path / "cache")
    for text in (brief.title, brief.summary):
        fresh = "".join(list(text))  # an equal string that was never encoded
        assert text == fresh and sys.getsizeof(text) == sys.getsizeof(fresh)
