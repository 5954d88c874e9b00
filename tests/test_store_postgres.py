"""Team notes on a real PostgreSQL server: setup commands, what the server enforces, live changes,
and the offline outbox. The server is the throwaway cluster of ``postgres_server.py``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from postgres_server import BIN_VARIABLE, REQUIRE_VARIABLE, PostgresServer
from termbrief.cli import team as team_cli
from termbrief.store.backend import NotesBackend, open_store
from termbrief.store.notes import NotesError
from termbrief.store.postgres import PostgresNotesStore
from termbrief.store.records import NoteChange, PendingChange
from termbrief.store.team import OfflineFirstNotes

TESTS = Path(__file__).parent


@pytest.fixture
def opened() -> Iterator[list[Any]]:
    """Stores a test opened, closed at the end whatever happens."""
    stores: list[Any] = []
    yield stores
    for store in stores:
        store.close()


def _open(opened: list[Any], server: PostgresServer, role: str, data: Path) -> OfflineFirstNotes:
    store = open_store(server.url(role), data)
    assert isinstance(store, OfflineFirstNotes)
    opened.append(store)
    return store


def _raw(opened: list[Any], server: PostgresServer, role: str) -> PostgresNotesStore:
    store = PostgresNotesStore.open(server.url(role))
    opened.append(store)
    return store


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="termbrief notes")
    team_cli.add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def _count(server: PostgresServer, where: str = "true") -> int:
    return int(server.psql(f"SELECT count(*) FROM termbrief.notes WHERE {where}"))


# --------------------------------------------------------------------------- setting up


def test_server_init_twice_is_fine(
    team_server: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli("server-init", team_server.admin_url) == 0
    assert _cli("server-init", team_server.admin_url) == 0
    assert "up to date (version 2)" in capsys.readouterr().out
    assert team_server.psql("SELECT version FROM termbrief.schema_version ORDER BY 1") == "1\n2"
    flags = team_server.psql(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'termbrief.notes'::regclass"
    )
    assert flags == "True|True"


def test_add_user_print_quotes_the_name_and_changes_nothing(
    team_server: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    name = 'eve"; DROP ROLE alice; --'
    assert _cli("add-user", team_server.admin_url, name, "--print") == 0
    out = capsys.readouterr().out
    assert 'CREATE ROLE "eve""; DROP ROLE alice; --" LOGIN' in out
    assert 'GRANT "termbrief_analyst" TO "eve""; DROP ROLE alice; --";' in out
    assert team_server.psql("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'eve%'") == "0"


def test_add_user_creates_a_plain_role_that_owns_nothing(
    team_server: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli("add-user", team_server.admin_url, "Carol O'Neil") == 0
    assert _cli("add-user", team_server.admin_url, "Carol O'Neil") == 0
    out = capsys.readouterr().out
    assert "Created the role Carol O'Neil" in out and "already existed" in out
    row = team_server.psql(
        "SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,"
        " pg_has_role(oid, 'termbrief_analyst', 'MEMBER'),"
        " (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
        " FROM pg_roles r WHERE rolname = 'Carol O''Neil'"
    )
    assert row == "True|False|False|False|False|True|0"


def test_add_user_refuses_a_role_that_bypasses_the_policies(
    team_server: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli("add-user", team_server.admin_url, "postgres") == 1
    assert "row-level security" in capsys.readouterr().err


def test_a_reader_on_a_server_without_the_schema_is_told_what_to_run(
    team_server: PostgresServer, tmp_path: Path
) -> None:
    with pytest.raises(NotesError, match="server-init"):
        open_store(team_server.url("alice", "postgres"), tmp_path)


def test_an_unknown_role_is_refused_not_taken_for_offline(
    team_server: PostgresServer, tmp_path: Path
) -> None:
    with pytest.raises(NotesError, match="refused"):
        open_store(team_server.url("mallory"), tmp_path)


# --------------------------------------------------------------------------- what the server enforces


def test_a_second_role_cannot_read_private_notes_or_change_others_even_with_raw_sql(
    team_server: PostgresServer, opened: list[Any]
) -> None:
    alice, bob = _raw(opened, team_server, "alice"), _raw(opened, team_server, "bob")
    shared = alice.add("brief-a", "summary", "for the team", "", visibility="team")
    secret = alice.add("brief-a", "figures/x", "only mine", "", visibility="private")

    assert [n.id for n in bob.notes_for("brief-a")] == [shared.id]
    assert bob.get(secret.id) is None
    assert bob.counts_by_anchor("brief-a") == {"summary": 1}
    with pytest.raises(NotesError, match="Only alice"):
        bob.update(shared.id, "defaced")
    with pytest.raises(NotesError, match="Only alice"):
        bob.delete(shared.id)

    with psycopg.connect(team_server.url("bob"), autocommit=True) as raw:
        seen = raw.execute("SELECT id FROM termbrief.notes").fetchall()
        assert seen == [(shared.id,)]
        for statement in (
            "UPDATE termbrief.notes SET text = 'defaced'",
            "UPDATE termbrief.notes SET author = 'bob'",
            "DELETE FROM termbrief.notes",
        ):
            assert raw.execute(statement).rowcount == 0, statement
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute(
                "INSERT INTO termbrief.notes (id, brief_id, anchor, text, author, version)"
                " VALUES ('forged', 'brief-a', 'summary', 'x', 'alice', 0)"
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("ALTER TABLE termbrief.notes DISABLE ROW LEVEL SECURITY")
        raw.execute("SET row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("SELECT id FROM termbrief.notes")

    assert team_server.psql("SELECT text FROM termbrief.notes ORDER BY text") == (
        "for the team\nonly mine"
    )


def test_a_colleague_cannot_smuggle_control_characters_through_raw_sql(
    team_server: PostgresServer, opened: list[Any]
) -> None:
    with psycopg.connect(team_server.url("bob"), autocommit=True) as raw:
        raw.execute(
            "INSERT INTO termbrief.notes (id, brief_id, anchor, text, quote, visibility, version)"
            " VALUES ('raw', 'brief-a', 'summary', %s, %s, 'team', 0)",
            ("title\x1b]0;owned\x07 \x9b31m", "\x1b[2J"),
        )
    alice = _raw(opened, team_server, "alice")
    (note,) = alice.notes_for("brief-a")
    assert (note.text, note.quote, note.author) == ("title]0;owned 31m", "[2J", "bob")


def test_the_server_stamps_the_version_of_every_change(
    team_server: PostgresServer, opened: list[Any]
) -> None:
    alice = _raw(opened, team_server, "alice")
    note = alice.add("brief-a", "summary", "v1", "")
    edited = alice.update(note.id, "v2")
    assert edited.version > note.version > 0
    with psycopg.connect(team_server.url("alice"), autocommit=True) as raw:
        raw.execute("UPDATE termbrief.notes SET version = 1, text = 'v3'")
    stamped = alice.get(note.id)
    assert stamped is not None and stamped.version > edited.version


# --------------------------------------------------------------------------- live changes


def _wait_in_thread(store: NotesBackend, timeout: float) -> tuple[threading.Thread, list[Any]]:
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(store.wait_for_changes(timeout)))
    thread.start()
    return thread, result


def test_a_team_note_is_announced_within_two_seconds_and_a_private_one_is_not(
    team_server: PostgresServer, opened: list[Any]
) -> None:
    alice, bob = _raw(opened, team_server, "alice"), _raw(opened, team_server, "bob")
    alice_elsewhere = _raw(opened, team_server, "alice")
    for store in (alice, bob, alice_elsewhere):
        assert store.wait_for_changes(0) == []  # subscribes

    thread, seen = _wait_in_thread(bob, 5)
    time.sleep(0.2)
    started = time.monotonic()
    note = alice.add("brief-live", "summary", "look", "", visibility="team")
    thread.join(5)
    assert time.monotonic() - started < 2
    assert seen == [[NoteChange("insert", "brief-live", note.id, "alice")]]

    secret = alice.add("brief-secret", "summary", "hush", "", visibility="private")
    assert bob.wait_for_changes(1) == []
    # The author's other window hears of it, without the brief being broadcast.
    mine = alice_elsewhere.wait_for_changes(2)
    assert NoteChange("insert", None, None, "alice") in mine
    assert all(change.note_id != secret.id for change in mine)
    assert alice.wait_for_changes(0.3) == []  # its own writes are not echoed back


# --------------------------------------------------------------------------- offline


def test_notes_written_while_the_server_is_down_arrive_once(
    team_server: PostgresServer, opened: list[Any], tmp_path: Path
) -> None:
    alice = _open(opened, team_server, "alice", tmp_path / "data")
    alice.add("brief-a", "summary", "online", "")
    team_server.stop()
    try:
        written = [alice.add("brief-a", "figures/f", f"offline {n}", "") for n in range(3)]
        assert alice.offline_reason is not None
        assert [n.text for n in alice.notes_for("brief-a")] == [
            "offline 0",
            "offline 1",
            "offline 2",
            "online",
        ]
        assert alice.flush().offline_reason is not None
    finally:
        team_server.start()
    report = alice.flush()
    assert (report.sent, report.left, report.offline_reason) == (3, 0, None)
    assert alice.offline_reason is None
    assert alice.flush().sent == 0
    assert _count(team_server) == 4
    ids = team_server.psql(
        "SELECT id FROM termbrief.notes WHERE text LIKE 'offline%' ORDER BY text"
    )
    assert ids.split("\n") == [note.id for note in written]


def test_the_outbox_outlives_the_reader(
    team_server: PostgresServer, opened: list[Any], tmp_path: Path
) -> None:
    team_server.stop()
    try:
        first = _open(opened, team_server, "alice", tmp_path / "data")
        assert first.offline_reason is not None
        note = first.add("brief-a", "summary", "written offline", "", visibility="private")
        first.close()
    finally:
        team_server.start()
    again = _open(opened, team_server, "alice", tmp_path / "data")  # sends the outbox at open
    assert again.get(note.id) is not None
    assert team_server.psql("SELECT author, visibility FROM termbrief.notes") == "alice|private"


def test_sending_the_same_change_twice_makes_one_note(
    team_server: PostgresServer, opened: list[Any], tmp_path: Path
) -> None:
    # A flush cut off after the server committed but before the outbox forgot the change.
    alice = _open(opened, team_server, "alice", tmp_path / "data")
    team_server.stop()
    try:
        note = alice.add("brief-a", "summary", "once", "")
    finally:
        team_server.start()
    server = _raw(opened, team_server, "alice")
    change = PendingChange(note, deleted=False, base_version=None, sequence=1)
    assert server.push(change) == ("sent", None)
    assert server.push(change) == ("already", None)
    assert alice.flush().already == 1
    assert _count(team_server) == 1


def test_an_offline_edit_that_lost_to_a_newer_server_edit_is_kept_as_a_conflict_copy(
    team_server: PostgresServer, opened: list[Any], tmp_path: Path
) -> None:
    laptop = _open(opened, team_server, "alice", tmp_path / "laptop")
    note = laptop.add("brief-a", "actors/pm", "original", "The PM")
    laptop.notes_for("brief-a")
    team_server.stop()
    try:
        offline_edit = laptop.update(note.id, "edited on the train")
    finally:
        team_server.start()
    desktop = _open(opened, team_server, "alice", tmp_path / "desktop")
    desktop.update(note.id, "edited at the office")

    report = laptop.flush()
    assert report.sent == 0 and len(report.conflicts) == 1
    assert laptop.flush().conflicts == []
    # The same change sent again (a flush cut off before the outbox forgot it): one copy still.
    again = PendingChange(offline_edit, deleted=False, base_version=note.version, sequence=9)
    assert _raw(opened, team_server, "alice").push(again) == ("conflict", report.conflicts[0])
    notes = {n.id: n for n in desktop.notes_for("brief-a")}
    assert notes[note.id].text == "edited at the office"
    copy = notes[report.conflicts[0]]
    assert (copy.text, copy.conflict_of, copy.anchor) == (
        "edited on the train",
        note.id,
        "actors/pm",
    )
    assert len(notes) == 2


def test_an_offline_edit_of_an_unchanged_note_is_applied(
    team_server: PostgresServer, opened: list[Any], tmp_path: Path
) -> None:
    alice = _open(opened, team_server, "alice", tmp_path / "data")
    note = alice.add("brief-a", "summary", "draft", "")
    gone = alice.add("brief-a", "sources", "to delete", "")
    team_server.stop()
    try:
        alice.update(note.id, "final")
        alice.delete(gone.id)
    finally:
        team_server.start()
    report = alice.flush()
    assert (report.sent, report.conflicts) == (2, [])
    assert team_server.psql("SELECT text FROM termbrief.notes") == "final"


def test_the_reader_hears_when_the_server_goes_and_comes_back(
    team_server: PostgresServer, opened: list[Any], tmp_path: Path
) -> None:
    alice = _open(opened, team_server, "alice", tmp_path / "data")
    assert alice.wait_for_changes(0) == []
    team_server.stop()
    try:
        assert alice.wait_for_changes(2) == [NoteChange("offline", None)]
        assert alice.offline_reason is not None
        assert alice.wait_for_changes(0.1) == []
    finally:
        team_server.start()
    assert alice.wait_for_changes(0.1) == [NoteChange("online", None)]
    assert alice.offline_reason is None


# --------------------------------------------------------------------------- nothing skips silently


def _run_one_postgres_test(**env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, BIN_VARIABLE: str(TESTS / "no-postgres-here"), **env}
    environ.pop(REQUIRE_VARIABLE, None)
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(TESTS / "test_store_contract.py"), "-k", "postgres and counts"],
        capture_output=True, text=True, cwd=TESTS.parent, env=environ, timeout=120,
    )  # fmt: skip


def test_without_postgresql_the_summary_says_so_loudly() -> None:
    result = _run_one_postgres_test()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    loud = (
        "! PostgreSQL tests did not run: install it with `apt-get install postgresql` (1 skipped)"
    )
    assert any(line.startswith(loud) for line in lines), result.stdout
    assert "!" * 40 in result.stdout


def test_without_postgresql_a_required_run_fails() -> None:
    result = _run_one_postgres_test(**{REQUIRE_VARIABLE: "1"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "PostgreSQL is required (TERMBRIEF_REQUIRE_POSTGRES=1)" in result.stdout
