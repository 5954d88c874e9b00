"""`termbrief diff BRIEF --since-read` and `termbrief notes gc` (issue 14)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from termbrief.cli.main import main
from termbrief.core.loader import load_brief
from termbrief.store.notes import NotesStore

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "briefs" / "china-police-cooperation.yaml"


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    path = tmp_path / "brief.yaml"
    shutil.copy(SAMPLE, path)
    return path


def read_now(path: Path, data_dir: Path) -> None:
    with NotesStore.open(data_dir) as store:
        store.reading.mark_read(load_brief(path), now=datetime(2026, 12, 2, 9, 0, tzinfo=UTC))


def test_since_read_shows_what_changed_since_the_version_read(
    brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    read_now(brief, data)
    code, out, err = run("diff", str(brief), "--since-read", "--data-dir", str(data), capsys=capsys)
    assert (code, out, err) == (0, "", "")  # unchanged since read
    brief.write_text(SAMPLE.read_text().replace("    value: 5000\n", "    value: 3000\n"))
    code, out, err = run(
        "diff", str(brief), "--since-read", "--data-dir", str(data), "--format", "json",
        capsys=capsys,
    )  # fmt: skip
    assert (code, err) == (1, "")
    document = json.loads(out)
    assert document["old"].startswith("china-police-cooperation as read on 2026-12-0")
    assert document["new"] == str(brief)
    assert document["summary"] == "1 figure changed"
    [change] = document["changes"]
    assert change["fields"][0]["number"]["old"] == 5000


def test_since_read_without_a_read_version_says_so(
    brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, out, err = run("diff", str(brief), "--since-read", "--data-dir", str(data), capsys=capsys)
    assert code == 2 and out == ""
    assert err == (
        "termbrief diff: you have not read 'china-police-cooperation' in the reader yet: "
        "there is no version to compare with\n"
    )
    assert not data.exists()  # asking created no database
    with NotesStore.open(data) as store:  # a database, but this brief never read
        store.reading.record(load_brief(brief))
    code, _, err = run("diff", str(brief), "--since-read", "--data-dir", str(data), capsys=capsys)
    assert code == 2 and "you have not read" in err


def test_since_read_usage_errors(
    brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run("diff", str(brief), str(brief), "--since-read", capsys=capsys)
    assert code == 2
    assert err == "termbrief diff: --since-read compares one brief with the version you last read\n"
    code, _, err = run("diff", str(brief), "--since-read", "--rev", "HEAD", capsys=capsys)
    assert code == 2


def test_notes_gc_prunes_to_keep(
    brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    text = SAMPLE.read_text()
    with NotesStore.open(data) as store:
        for n in range(5):
            brief.write_text(text.replace("    value: 5000\n", f"    value: {5000 + n}\n"))
            store.reading.record(load_brief(brief))
    code, out, _ = run("notes", "gc", "--keep", "2", "--data-dir", str(data), capsys=capsys)
    assert (code, out) == (0, "Removed 3 stored versions.\n")
    with NotesStore.open(data) as store:
        assert len(store.reading.versions("china-police-cooperation")) == 2
    code, out, _ = run("notes", "gc", "--data-dir", str(data), capsys=capsys)
    assert (code, out) == (0, "Removed 0 stored versions.\n")


def test_notes_gc_reads_keep_versions_from_the_config(
    brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from termbrief.core import locations

    data = tmp_path / "data"
    config = locations.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("keep_versions = 1\n")
    text = SAMPLE.read_text()
    with NotesStore.open(data) as store:
        for n in range(3):
            brief.write_text(text.replace("    value: 5000\n", f"    value: {5000 + n}\n"))
            store.reading.record(load_brief(brief))
    code, out, _ = run("notes", "gc", "--data-dir", str(data), capsys=capsys)
    assert (code, out) == (0, "Removed 2 stored versions.\n")
    config.write_text("keep_versions = 0\n")
    from termbrief.core.settings import load_settings

    settings, warnings = load_settings()
    assert settings.keep_versions is None
    assert "keep_versions must be a whole number" in warnings[0]
