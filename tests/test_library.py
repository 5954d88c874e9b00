"""A library keeps going when one file is bad, and lists briefs newest first."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from termbrief.core.library import (
    Entry,
    find_brief_files,
    load_entry,
    sample_library_path,
    sort_entries,
)
from termbrief.core.model import Brief


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
    assert broken.problems[0].line == 1  # the `[` never closed, and the missing summary
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


def test_one_file_that_crashes_the_loader_is_quarantined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever one file does to the parser (here: a bug raising RuntimeError, with a control
    # character in its message), the two other briefs load and it is listed with its problem.
    from termbrief.core import loader
    from termbrief.core.library import list_brief_files, load_entry, sort_entries

    real_load = loader.load_brief_text

    def crash_on_b(text: str | bytes, path: str = "<string>", **options: Any) -> Brief:
        if path.endswith("b.yaml"):
            raise RuntimeError("parser bug\x1b[2J at line 1")
        return real_load(text, path, **options)

    monkeypatch.setattr(loader, "load_brief_text", crash_on_b)
    for name in ("a", "b", "c"):
        write(tmp_path / f"{name}.yaml", f"title: {name.upper()}\nsummary: S\n")
    entries = sort_entries(load_entry(Path(name)) for name in list_brief_files([tmp_path]))
    assert [(e.title, e.ok) for e in entries] == [("A", True), ("C", True), ("b.yaml", False)]
    [problem] = entries[-1].problems
    assert problem.path == str(tmp_path / "b.yaml") and (problem.line, problem.column) == (1, 1)
    assert problem.message == (
        "termbrief could not read this file: RuntimeError: parser bug\\x1b[2J at line 1"
    )


def test_a_brief_the_cache_cannot_hold_still_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The brief cache only saves time: a brief it cannot encode (say, a number too large for
    # msgpack) is returned as parsed, every time, and nothing is cached for it.
    import msgspec

    from termbrief.core.library import load_brief_cached, load_entry

    def refuse(*_args: object, **_options: object) -> bytes:
        raise OverflowError("can't serialize ints > 2**64")

    monkeypatch.setattr(msgspec.msgpack, "encode", refuse)
    path = write(tmp_path / "b.yaml", "title: Big\nsummary: S\n")
    cache = tmp_path / "cache"
    assert load_brief_cached(path, cache).title == "Big"
    assert load_brief_cached(path, cache).title == "Big"
    assert not list(cache.glob("*.msgpack"))
    assert load_entry(path).ok


def test_sort_survives_entries_without_a_real_date(tmp_path: Path) -> None:
    from termbrief.core.library import Entry, Stub, sort_entries

    odd = Stub(0, 0, True, "odd", "Odd", date="2024-01-01")  # type: ignore[arg-type]
    dated = Stub(0, 0, True, "new", "New", date=datetime.date(2024, 1, 1))
    entries = [
        Entry(tmp_path / "o.yaml", None, (), 0, odd),
        Entry(tmp_path / "n.yaml", None, (), 0, dated),
    ]
    assert [e.title for e in sort_entries(entries)] == ["New", "Odd"]


async def test_the_reader_opens_a_library_with_a_file_that_crashes_the_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from termbrief.core import loader
    from termbrief.ui.app import TermbriefApp

    real_load = loader.load_brief_text

    def crash_on_b(text: str | bytes, path: str = "<string>", **options: Any) -> Brief:
        if path.endswith("b.yaml"):
            raise MemoryError("the parser ran out of memory")
        return real_load(text, path, **options)

    monkeypatch.setattr(loader, "load_brief_text", crash_on_b)
    write(tmp_path / "a.yaml", "title: A\nsummary: S\ndate: 2024-02-01\n")
    write(tmp_path / "b.yaml", "title: B\nsummary: S\ndate: 2024-03-01\n")
    write(tmp_path / "c.yaml", "title: C\nsummary: S\ndate: 2024-01-01\n")
    app = TermbriefApp([tmp_path])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert [(e.title, e.ok) for e in app.entries] == [
            ("A", True),
            ("C", True),
            ("b.yaml", False),
        ]
        assert app.current is not None and app.current.title == "A"
        assert "MemoryError" in app.entries[-1].problems[0].message
