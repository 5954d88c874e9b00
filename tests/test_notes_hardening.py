"""The notes store reports, never crashes: tampered values, damaged pages, odd files, relative paths.

Each test builds the bad database itself (issue 15, items 6-9 and 12, store side).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from termbrief.store import recovery
from termbrief.store.notes import SCHEMA_VERSION, Note, NotesError, NotesStore


def tamper(data_dir: Path, *statements: str) -> None:
    """Change the database behind termbrief's back, as another program could."""
    connection = sqlite3.connect(data_dir / "notes.sqlite3")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def local_text(note: Note) -> str:
    """What the reader and ``notes list`` do with a note's time: show it in local time."""
    return (
        note.updated.astimezone().strftime("%Y-%m-%d %H:%M") + note.created.astimezone().isoformat()
    )


# --------------------------------------------------------------------------- item 6 and 9: values


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59.999999+00:00",
        "0001-01-01T00:00:00+00:00",
        "not a date",
        "2024-01-01T00:00:00",  # no time zone: not something termbrief writes
        "x'00ff'",  # a BLOB
        "12345",  # an INTEGER
    ],
)
def test_a_tampered_time_is_read_repaired_and_reported(
    tmp_path: Path, far_zone: str, value: str
) -> None:
    with NotesStore.open(tmp_path) as store:
        kept = store.add("a", "summary", "kept", "")
    literal = value if value.startswith("x'") or value.isdigit() else f"'{value}'"
    tamper(tmp_path, f"UPDATE notes SET created = {literal}, updated = {literal}")

    with NotesStore.open(tmp_path) as store:
        (note,) = store.all_notes()
        assert note.id == kept.id and note.text == "kept"
        local_text(note)  # must not overflow in any zone
        assert store.notes_for("a") == [note]
        assert store.get(kept.id) == note
        problems = store.problems()
        assert problems and all("is not a valid time" in problem for problem in problems)
        # Editing the note writes a valid time back: the next read is clean.
        store.update(kept.id, "edited")
    with NotesStore.open(tmp_path) as store:
        (note,) = store.all_notes()
        assert note.text == "edited"
        assert note.updated.year >= 2024


def test_binary_data_in_text_columns_is_read_as_text(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path) as store:
        kept = store.add("a", "summary", "kept", "")
    # Bytes that are not UTF-8 (as a BLOB and as TEXT), with an escape sequence and a raw CR.
    tamper(
        tmp_path,
        "UPDATE notes SET text = x'41ff1b5b324a0d42', quote = CAST(x'c3281b5d303b78' AS TEXT),"
        " anchor = x'73756d6d617279', brief_id = x'61'",
    )
    with NotesStore.open(tmp_path) as store:
        (note,) = store.all_notes()
        assert note.id == kept.id
        assert note.text == "A\ufffd[2J\nB"
        assert note.quote == "\ufffd(]0;x"
        assert (note.brief_id, note.anchor) == ("a", "summary")
        assert all(isinstance(value, str) for value in (note.text, note.quote, note.anchor))


def test_control_characters_already_in_the_database_never_come_out(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path) as store:
        store.add("a", "summary", "kept", "")
    tamper(
        tmp_path,
        "UPDATE notes SET text = 'one' || char(27) || ']0;owned' || char(7) || char(13) || 'two',"
        " quote = 'q' || char(155) || '2J', brief_id = 'a' || char(27),"
        " anchor = 'summary' || char(13)",
    )
    with NotesStore.open(tmp_path) as store:
        (note,) = store.all_notes()
    assert note.text == "one]0;owned\ntwo"
    assert note.quote == "q2J"
    assert note.brief_id == "a" and note.anchor == "summary\n"
    for value in (note.text, note.quote, note.brief_id, note.anchor):
        assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in value)


def test_import_refuses_times_out_of_range(tmp_path: Path) -> None:
    good = datetime(2024, 1, 1, tzinfo=UTC)
    late = Note("n2", "a", "summary", "t", "", datetime(9999, 12, 31, 23, 59, tzinfo=UTC), good)
    with NotesStore.open(tmp_path) as store:
        with pytest.raises(ValueError, match="note 2: created is not a valid time"):
            store.import_notes([Note("n1", "a", "summary", "t", "", good, good), late])
        assert store.all_notes() == []  # all or nothing
        early = Note("n1", "a", "summary", "t", "", good, datetime(1, 1, 1, tzinfo=UTC))
        with pytest.raises(ValueError, match="note 1: updated is not a valid time"):
            store.import_notes([early])


def test_a_negative_schema_version_is_recovered_keeping_the_notes(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path) as store:
        kept = store.add("a", "summary", "kept", "")
    tamper(tmp_path, "PRAGMA user_version = -3")
    with NotesStore.open(tmp_path) as store:
        assert store.read_only_reason is None
        assert store.recovered_backup is not None and store.recovered_backup.exists()
        assert store.all_notes() == [kept]
        assert store.salvaged == 1
    connection = sqlite3.connect(tmp_path / "notes.sqlite3")
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()


# --------------------------------------------------------------------------- item 7: paths


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_relative_data_dir_opens_a_database_from_a_newer_termbrief(in_tmp: Path) -> None:
    with NotesStore.open(Path("data")) as store:
        kept = store.add("a", "summary", "kept", "")
    tamper(in_tmp / "data", f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with NotesStore.open(Path("data")) as store:
        assert store.read_only_reason is not None and "newer termbrief" in store.read_only_reason
        assert store.path is not None and store.path.is_absolute()
        assert store.all_notes() == [kept]


def test_a_relative_data_dir_with_a_wal_that_is_a_folder(in_tmp: Path) -> None:
    with NotesStore.open(Path("data")) as store:
        kept = store.add("a", "summary", "kept", "")
    (in_tmp / "data" / "notes.sqlite3-wal").mkdir()
    with NotesStore.open(Path("data")) as store:
        assert store.read_only_reason is not None
        assert store.all_notes() == [kept]
        with pytest.raises(NotesError, match="read-only"):
            store.add("a", "summary", "x", "")


def test_a_relative_data_dir_whose_database_is_a_link_to_dev_null(in_tmp: Path) -> None:
    (in_tmp / "data").mkdir()
    link = in_tmp / "data" / "notes.sqlite3"
    link.symlink_to("/dev/null")
    with NotesStore.open(Path("data")) as store:
        assert store.read_only_reason is None
        backup = store.recovered_backup
        assert backup is not None and backup.is_symlink()  # the link was moved, not /dev/null
        assert store.add("a", "summary", "works", "").text == "works"
    assert Path("/dev/null").is_char_device()
    assert link.is_file() and not link.is_symlink()


def test_a_fifo_in_place_of_the_database_is_moved_aside_without_blocking(in_tmp: Path) -> None:
    (in_tmp / "data").mkdir()
    fifo = in_tmp / "data" / "notes.sqlite3"
    os.mkfifo(fifo)
    opened: list[NotesStore] = []
    # In a thread: opening a FIFO for reading blocks until a writer comes, and a failing test
    # must end, not hang the suite.
    worker = threading.Thread(target=lambda: opened.append(NotesStore.open(Path("data"))))
    worker.daemon = True
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the stuck reader go
        pytest.fail("opening the notes store blocked on a FIFO")
    with opened[0] as store:
        assert store.recovered_backup is not None
        assert store.add("a", "summary", "works", "").text == "works"


# --------------------------------------------------------------------------- item 8: damaged pages


def _write_notes(data_dir: Path, count: int) -> list[Note]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    notes = [
        Note(f"note-{n:05d}", "a", "summary", f"note {n} " + "x" * 300, "", start, start)
        for n in range(count)
    ]
    with NotesStore.open(data_dir) as store:
        store.import_notes(notes)
    # Fold the WAL into the main file so the damage below hits the pages the notes live in.
    connection = sqlite3.connect(data_dir / "notes.sqlite3")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return notes


def test_damage_inside_the_pages_is_found_at_open_and_recovered(tmp_path: Path) -> None:
    notes = _write_notes(tmp_path, 600)
    path = tmp_path / "notes.sqlite3"
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    junk = bytes(range(256)) * 8
    # Two damaged pages, a third and two thirds into the file: a scan from either end stops
    # at one of them; the notes between are reached only by looking each one up.
    for fraction in (1 / 3, 2 / 3):
        at = int(len(data) * fraction) // page_size * page_size + 1000
        data[at : at + len(junk)] = junk
    path.write_bytes(bytes(data))

    with NotesStore.open(tmp_path) as store:
        backup = store.recovered_backup
        assert backup is not None and backup.read_bytes() == bytes(data)
        assert store.read_only_reason is None
        kept = store.all_notes()
        # Best effort: the notes on undamaged pages are copied over intact.
        assert store.salvaged == len(kept) > len(notes) * 0.9
        assert all(note in notes for note in kept)
        assert store.add("a", "summary", "fresh", "").text == "fresh"
    with NotesStore.open(tmp_path) as store:  # the next open is clean
        assert store.recovered_backup is None
        assert store.salvaged == 0
        assert len(store.all_notes()) == len(kept) + 1


def test_salvage_reads_from_both_ends_when_no_index_helps(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID")
    connection.executemany(
        "INSERT INTO t VALUES (?, ?)", [(f"{n:05d}", "x" * 300) for n in range(600)]
    )
    connection.commit()
    connection.close()
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    at = len(data) // 2 // page_size * page_size + 1000
    data[at : at + 2048] = bytes(range(256)) * 8
    path.write_bytes(bytes(data))

    connection = sqlite3.connect(path)
    rows = recovery.salvage_rows(connection, "t", "k, v", "k")
    connection.close()
    assert len(rows) > 500  # a scan from one end alone stops at the middle
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
