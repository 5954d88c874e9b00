"""A library keeps going when one file is bad, and lists briefs newest first."""

from __future__ import annotations

from pathlib import Path

from termbrief.library import find_brief_files, load_library, sample_library_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


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
