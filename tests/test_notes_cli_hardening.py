"""`termbrief notes ...` on hostile imports and tampered, damaged or missing stores (issue 15,
items 6, 7, 8, 9, 10 and 12): a clear message and the right exit code, never a traceback."""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

import pytest

from termbrief.cli.notes import add_subcommands
from termbrief.core.jsonsafe import MAX_DEPTH
from termbrief.store.notes import SCHEMA_VERSION, NotesStore


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="termbrief")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a temporary folder, so ``--data-dir data`` is a relative path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def document(*notes: dict[str, str]) -> str:
    return json.dumps({"termbrief_notes": 1, "notes": list(notes)})


def note(number: int, created: str = "2024-01-01T00:00:00Z", **fields: str) -> dict[str, str]:
    return {
        "id": f"n{number}",
        "brief_id": "b",
        "anchor": "summary",
        "text": f"note {number}",
        "created": created,
        "updated": fields.pop("updated", created),
        **fields,
    }


def tamper(data_dir: Path, statement: str) -> None:
    connection = sqlite3.connect(data_dir / "notes.sqlite3")
    connection.execute(statement)
    connection.commit()
    connection.close()


# --------------------------------------------------------------------------- item 6


@pytest.mark.parametrize(
    ("created", "reason"),
    [
        ("9999-12-31T23:59:59Z", "outside 1970-9998"),
        ("0001-01-01T00:00:00Z", "outside 1970-9998"),
        ("yesterday", "not an ISO 8601 time"),
        ("2024-01-01T00:00:00", "no time zone"),
    ],
)
def test_import_refuses_a_bad_time_naming_the_note(
    cwd: Path, capsys: pytest.CaptureFixture[str], created: str, reason: str
) -> None:
    (cwd / "in.json").write_text(document(note(1), note(2), note(3, created)))
    code, out, err = run(["notes", "import", "in.json", "--data-dir", "data"], capsys)
    assert code == 1 and out == ""
    assert "note 3: created is not a valid time" in err and reason in err
    assert "Traceback" not in err
    with NotesStore.open(cwd / "data") as store:
        assert store.all_notes() == []  # nothing half-imported


def test_list_shows_tampered_times_in_any_zone(
    cwd: Path, capsys: pytest.CaptureFixture[str], far_zone: str
) -> None:
    with NotesStore.open(cwd / "data") as store:
        store.add("b", "summary", "first", "")
        store.add("b", "summary", "second", "")
    tamper(cwd / "data", "UPDATE notes SET updated = '9999-12-31T23:59:59+00:00'")
    tamper(cwd / "data", "UPDATE notes SET created = '0001-01-01T00:00:00+00:00'")
    code, out, err = run(["notes", "list", "--data-dir", "data"], capsys)
    assert code == 0, err
    assert "first" in out and "second" in out and "2 notes." in out
    assert "updated is not a valid time" in err and "created is not a valid time" in err
    for fmt in ("markdown", "json"):
        code, out, err = run(["notes", "export", "--format", fmt, "--data-dir", "data"], capsys)
        assert code == 0 and "first" in out, err


# --------------------------------------------------------------------------- item 7


def test_every_command_works_with_a_relative_data_dir_on_a_newer_database(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with NotesStore.open(cwd / "data") as store:
        store.add("b", "summary", "kept", "")
    tamper(cwd / "data", f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    code, out, err = run(["notes", "list", "b", "--data-dir", "data"], capsys)
    assert code == 0 and "kept" in out
    assert "read-only" in err and "newer termbrief" in err
    (cwd / "in.json").write_text(document(note(1)))
    code, out, err = run(["notes", "import", "in.json", "--data-dir", "data"], capsys)
    assert code == 1 and "cannot import" in err and "Traceback" not in err


# --------------------------------------------------------------------------- item 8


def test_list_recovers_a_damaged_database_once_and_says_where_the_backup_is(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with NotesStore.open(cwd / "data") as store:
        for n in range(400):
            store.add("b", "summary", f"note {n} " + "x" * 300, "")
    connection = sqlite3.connect(cwd / "data" / "notes.sqlite3")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    path = cwd / "data" / "notes.sqlite3"
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 2000] = b"\xa5" * 2000
    path.write_bytes(bytes(data))

    code, out, err = run(["notes", "list", "--data-dir", "data"], capsys)
    assert code == 0
    (backup,) = (cwd / "data").glob("notes.sqlite3.corrupt-*[0-9]")
    assert f"moved to {backup}" in err and "could still be read" in err
    assert "note 0 " in out
    code, out, err = run(["notes", "list", "--data-dir", "data"], capsys)
    assert code == 0 and err == ""  # the next run is clean


# --------------------------------------------------------------------------- item 9


def test_list_fails_loudly_when_there_is_no_store_to_read(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cwd / "blocker").write_text("a file where the data folder should be")
    for command in (["notes", "list"], ["notes", "export"]):
        code, out, err = run([*command, "--data-dir", "blocker/data"], capsys)
        assert code == 1
        assert "No notes." not in out
        assert err.startswith("termbrief: error: cannot open the notes database")


def test_binary_data_and_bad_times_are_reported_not_crashed_on(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with NotesStore.open(cwd / "data") as store:
        store.add("b", "summary", "kept", "")
    tamper(cwd / "data", "UPDATE notes SET text = x'6b657074ff', created = 'not a date'")
    code, out, err = run(["notes", "list", "--data-dir", "data"], capsys)
    assert code == 0
    assert "kept\ufffd" in out
    assert "text holds binary data" in err and "created is not a valid time" in err


# --------------------------------------------------------------------------- item 10


def test_import_of_deeply_nested_json_says_how_deep_is_too_deep(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cwd / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    code, out, err = run(["notes", "import", "deep.json", "--data-dir", "data"], capsys)
    assert code == 1 and out == ""
    assert f"nested deeper than {MAX_DEPTH} levels" in err
    assert "Traceback" not in err and "RecursionError" not in err


# --------------------------------------------------------------------------- item 12


def test_control_characters_in_a_tampered_database_never_reach_the_output(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with NotesStore.open(cwd / "data") as store:
        store.add("b", "summary", "kept", "quoted")
    tamper(
        cwd / "data",
        "UPDATE notes SET text = 'a' || char(27) || ']0;owned' || char(7) || char(13) || 'b',"
        " quote = 'q' || char(155) || '2J' || char(13), brief_id = 'b' || char(27) || '[1m'",
    )
    outputs = []
    for command in (["list"], ["export"], ["export", "--format", "json"]):
        code, out, err = run(["notes", *command, "--data-dir", "data"], capsys)
        assert code == 0, err
        outputs.append(out + err)
    for text in outputs:
        assert "\x1b" not in text and "\x9b" not in text and "\r" not in text
        assert "\x07" not in text
    assert "a]0;owned" in outputs[0]
