"""`termbrief notes list|export|import` and `termbrief export`, in-process and as a real command."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from termbrief.cli.notes import add_subcommands
from termbrief.core.anchors import Anchor
from termbrief.core.annotation import Target
from termbrief.core.loader import load_brief
from termbrief.store.notes import NotesStore

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "briefs" / "china-police-cooperation.yaml"

BRIEF = """\
id: local-brief
title: A local brief
summary: Local summary.
actors:
  - id: someone
    name: Someone
    kind: person
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="termbrief")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir with notes on a sample brief and on a brief in the current folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "local.yaml").write_text(BRIEF, encoding="utf-8")
    sample = load_brief(SAMPLE)
    local = load_brief(tmp_path / "local.yaml")
    folder = tmp_path / "data"
    with NotesStore.open(folder) as store:
        wang = "actors/wang-xiaohong"
        store.add(sample.id, wang, "Check his title", Anchor.parse(wang).quote(sample))
        store.add(
            sample.id, "summary", "Good summary\nsecond line", Anchor.parse("summary").quote(sample)
        )
        store.add(
            local.id, "actors/someone", "Who is this?", Anchor.parse("actors/someone").quote(local)
        )
        store.add(local.id, "actors/removed", "Orphan", "Removed Person")
    return folder


def test_list_all_notes(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["notes", "list", "--data-dir", str(data)], capsys)
    assert code == 0, err
    assert "china-police-cooperation — China widens its public-security co-operation" in out
    assert "local-brief — A local brief" in out
    assert "Actor: Wang Xiaohong: Check his title" in out
    assert "Summary: Good summary" in out and "second line" not in out
    assert "[orphaned] Actor: removed (no longer in the brief): Orphan" in out
    assert out.index("Summary: Good") < out.index("Actor: Wang")  # reading order
    assert out.rstrip().endswith("4 notes.")


def test_list_full_prints_whole_notes_and_highlights_their_words(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = load_brief(SAMPLE)
    paragraph = Anchor.numbered("summary", 2)
    text = paragraph.content(sample) or ""
    start = text.index("President Xi Jinping")
    with NotesStore.open(data) as store:
        target = Target.of(sample, paragraph, start, start + len("President Xi Jinping"))
        store.add(sample.id, target, "")
        store.add(sample.id, target, "First line\n\n  indented \x1b[31mthird\nlast")
    code, out, err = run(["notes", "list", sample.id, "--full", "--data-dir", str(data)], capsys)
    assert code == 0, err
    assert "Good summary\n      second line" in out  # every line, under its heading
    assert "      First line\n\n        indented [31mthird\n      last" in out
    assert "“President Xi Jinping”: (highlight)" in out
    assert "\x1b" not in out
    code, out, _ = run(["notes", "list", sample.id, "--data-dir", str(data)], capsys)
    assert "second line" not in out and "last" not in out  # first lines only
    assert "“President Xi Jinping”: First line" in out


def test_list_one_brief_by_id_or_path(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for spec in ("local-brief", "local.yaml"):
        code, out, _ = run(["notes", "list", spec, "--data-dir", str(data)], capsys)
        assert code == 0
        assert "Who is this?" in out and "Check his title" not in out
        assert out.rstrip().endswith("2 notes.")


def test_list_by_id_of_a_brief_whose_file_is_gone(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "local.yaml").unlink()
    code, out, _ = run(["notes", "list", "local-brief", "--data-dir", str(data)], capsys)
    assert code == 0
    assert "local-brief (brief not found)" in out
    assert "actors/someone: Who is this?" in out


def test_list_of_an_unknown_brief_is_an_error(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["notes", "list", "no-such-brief", "--data-dir", str(data)], capsys)
    assert code == 1
    assert err.startswith("termbrief: error: no brief with id `no-such-brief`")
    assert "Traceback" not in err


def test_export_json_then_import_elsewhere_twice(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "notes.json"
    code, _, err = run(
        ["notes", "export", "--format", "json", "-o", str(target), "--data-dir", str(data)], capsys
    )
    assert code == 0, err
    assert len(json.loads(target.read_text())["notes"]) == 4

    other = tmp_path / "other-data"
    code, out, _ = run(["notes", "import", str(target), "--data-dir", str(other)], capsys)
    assert code == 0
    assert "Imported 4 new or updated notes" in out
    code, out, _ = run(["notes", "import", str(target), "--data-dir", str(other)], capsys)
    assert "Imported 0 new or updated notes" in out and "4 already up to date" in out
    with NotesStore.open(data) as a, NotesStore.open(other) as b:
        assert a.all_notes() == b.all_notes()


def test_export_markdown_of_one_brief(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["notes", "export", "local-brief", "--data-dir", str(data)], capsys)
    assert code == 0
    assert out.startswith("# termbrief notes")
    assert "## A local brief (`local-brief`)" in out
    assert "Who is this?" in out and "Check his title" not in out


def test_import_of_a_bad_file_reports_where(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"termbrief_notes": 1, "notes": [{"id": 3}]}')
    code, _, err = run(["notes", "import", str(bad), "--data-dir", str(data)], capsys)
    assert code == 1
    assert err.startswith(f"termbrief: error: {bad}: invalid notes file")
    code, _, err = run(["notes", "import", str(tmp_path / "missing.json")], capsys)
    assert code == 1
    assert "missing.json: No such file or directory" in err


def test_import_into_an_unwritable_location_fails_cleanly(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "n.json"
    argv = ["notes", "export", "--format", "json", "-o", str(exported), "--data-dir", str(data)]
    run(argv, capsys)
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = run(["notes", "import", str(exported), "--data-dir", str(blocker / "d")], capsys)
    assert code == 1
    assert err.startswith("termbrief: error: cannot import:")


def test_export_brief_with_notes(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out" / "brief.md"
    output.parent.mkdir()
    code, _, _ = run(
        ["export", "local-brief", "--notes", "-o", str(output), "--data-dir", str(data)], capsys
    )
    assert code == 0
    md = output.read_text(encoding="utf-8")
    assert md.startswith("# A local brief")
    assert md.index("### Someone") < md.index("Who is this?") < md.index("## Orphaned notes")
    assert list(output.parent.iterdir()) == [output]  # no temporary file left behind

    code, out, _ = run(["export", str(SAMPLE), "--data-dir", str(data)], capsys)
    assert code == 0 and "**Note**" not in out
    assert out.startswith("# China widens")


def test_export_of_a_broken_brief_prints_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.yaml").write_text("title: [unclosed\n")
    code, out, err = run(["export", "broken.yaml"], capsys)
    assert code == 1 and out == ""
    assert err.startswith("termbrief: error: cannot read the brief:\nbroken.yaml:")


def test_every_command_accepts_data_dir() -> None:
    parser = argparse.ArgumentParser(prog="termbrief")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    for argv in (["notes", "list"], ["notes", "export"], ["notes", "import", "f"], ["export", "b"]):
        args = parser.parse_args([*argv, "--data-dir", "/x"])
        assert args.data_dir == Path("/x")
        assert callable(args.func)


def test_the_real_command(data: Path, tmp_path: Path) -> None:
    env = {**os.environ, "TERMBRIEF_DATA_DIR": str(data)}

    def termbrief(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "termbrief", *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )

    listed = termbrief("notes", "list")
    assert listed.returncode == 0, listed.stderr
    assert "4 notes." in listed.stdout
    exported = termbrief("export", "local-brief", "--notes")
    assert exported.returncode == 0
    assert "Who is this?" in exported.stdout
    failed = termbrief("notes", "import", "nope.json")
    assert failed.returncode == 1
    assert failed.stderr.startswith("termbrief: error:")
    assert "Traceback" not in failed.stderr
