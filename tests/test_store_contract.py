"""One behaviour suite for every notes backend, so SQLite and PostgreSQL cannot drift apart.

Each test gets ``open_reader``: it opens a store on the parametrised backend through
:func:`termbrief.store.backend.open_store`, the way the reader does; calling it twice gives two
readers of the same user's notes (two windows, two machines). The PostgreSQL case runs on the
throwaway server of ``postgres_server.py`` and is skipped loudly when PostgreSQL is missing.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from msgspec.structs import replace

from postgres_server import PostgresServer
from termbrief.core.anchors import Anchor
from termbrief.core.annotation import Target
from termbrief.store.backend import (
    NOTES_URL_VARIABLE,
    NotesBackend,
    SqliteNotes,
    describe_url,
    open_store,
    resolve_notes_url,
)
from termbrief.store.notes import Note, NotesError
from termbrief.store.outbox import Outbox
from termbrief.store.records import AuthoredNote, NoteChange

OpenReader = Callable[[], NotesBackend]


@pytest.fixture(params=["sqlite", "postgres"])
def open_reader(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenReader]:
    opened: list[NotesBackend] = []
    if request.param == "sqlite":
        url = f"sqlite://{tmp_path / 'notes'}"
    else:
        server: PostgresServer = request.getfixturevalue("team_server")
        url = server.url("alice")

    def open_reader() -> NotesBackend:
        store = open_store(url, tmp_path / f"data-{len(opened)}", author="alice")
        opened.append(store)
        return store

    yield open_reader
    for store in opened:
        store.close()


@pytest.fixture
def store(open_reader: OpenReader) -> NotesBackend:
    return open_reader()


def _same(a: Note, b: Note) -> None:
    assert (a.id, a.brief_id, a.anchor, a.text, a.quote, a.created, a.updated) == (
        b.id,
        b.brief_id,
        b.anchor,
        b.text,
        b.quote,
        b.created,
        b.updated,
    )
    assert (a.prefix, a.suffix, a.start) == (b.prefix, b.suffix, b.start)


def test_the_reader_gets_a_store_of_the_common_interface(store: NotesBackend) -> None:
    assert isinstance(store, NotesBackend)
    assert store.author == "alice"
    assert store.read_only_reason is None
    assert store.offline_reason is None
    assert store.recovered_backup is None


def test_add_then_get_returns_the_note_as_saved(store: NotesBackend) -> None:
    note = store.add("brief-a", "figures/officers", "**Check** this", "Officers: 5,000")
    assert isinstance(note, AuthoredNote)
    assert (note.brief_id, note.anchor, note.text, note.quote) == (
        "brief-a",
        "figures/officers",
        "**Check** this",
        "Officers: 5,000",
    )
    assert note.author == "alice"
    assert note.created == note.updated
    assert note.created.utcoffset() == timedelta(0)
    assert store.get(note.id) == note
    other = store.add("brief-a", "figures/officers", "again", "")
    assert other.id != note.id
    assert store.get("no-such-id") is None


def test_update_keeps_the_id_and_creation_time(store: NotesBackend) -> None:
    note = store.add("brief-a", "summary", "first", "q")
    edited = store.update(note.id, "second")
    assert (edited.id, edited.text, edited.created, edited.anchor) == (
        note.id,
        "second",
        note.created,
        "summary",
    )
    assert edited.updated >= note.updated
    assert store.get(note.id) == edited


def test_reattach_moves_the_note_with_a_fresh_quote(store: NotesBackend) -> None:
    note = store.add("brief-a", "actors/gone", "who?", "Gone Person")
    moved = store.reattach(note.id, "actors/here", "Here Person")
    assert (moved.anchor, moved.quote, moved.text) == ("actors/here", "Here Person", "who?")
    assert store.get(note.id) == moved
    with pytest.raises(ValueError):
        store.reattach(note.id, "nowhere/x", "")


WORDS = Target(Anchor("summary", "3"), "the words", "Before ", " after.", 7)
"""A note on some words of the third summary block (see core.annotation.Target)."""


def test_a_note_on_words_keeps_its_selectors_and_may_have_no_text(store: NotesBackend) -> None:
    highlight = store.add("brief-a", WORDS, "")
    assert (highlight.anchor, highlight.quote, highlight.text) == ("summary/3", "the words", "")
    assert highlight.target == WORDS
    assert store.get(highlight.id) == highlight
    assert store.notes_for("brief-a") == [highlight]
    assert store.update(highlight.id, "now a note").target == WORDS
    elsewhere = Target(Anchor.event(1), "An event.", start=0)
    moved = store.reattach(highlight.id, elsewhere)
    assert moved.target == elsewhere and moved.text == "now a note"
    assert store.get(highlight.id) == moved
    deleted = store.delete(moved.id)
    store.restore(deleted)
    restored = store.get(moved.id)
    assert restored is not None
    _same(restored, moved)
    with pytest.raises(ValueError):
        store.add("brief-a", WORDS, "x", "a quote beside a target")


def test_import_keeps_selectors(store: NotesBackend) -> None:
    notes = [
        replace(note, prefix="p ", suffix=" s", start=n) for n, note in enumerate(_exported(3))
    ]
    assert store.import_notes(notes) == 3
    for original, stored in zip(notes, store.notes_for("brief-a"), strict=True):
        _same(stored, original)


def test_delete_then_restore_brings_back_the_same_note(store: NotesBackend) -> None:
    note = store.update(store.add("brief-a", "timeline/2", "date?", "2024: event").id, "when?")
    assert note.updated != note.created
    deleted = store.delete(note.id)
    _same(deleted, note)
    assert store.get(note.id) is None
    assert store.notes_for("brief-a") == []
    store.restore(deleted)
    restored = store.get(note.id)
    assert restored is not None
    _same(restored, note)


def test_changing_a_missing_note_is_an_error(store: NotesBackend) -> None:
    with pytest.raises(NotesError):
        store.update("missing", "x")
    with pytest.raises(NotesError):
        store.delete("missing")


def test_invalid_anchor_or_brief_saves_nothing(store: NotesBackend) -> None:
    with pytest.raises(ValueError):
        store.add("brief-a", "not-a-section", "x", "")
    with pytest.raises(ValueError):
        store.add("", "summary", "x", "")
    assert store.all_notes() == []


def test_control_characters_never_reach_the_store(store: NotesBackend) -> None:
    note = store.add("brief-a", "summary", "red\x1b[31m\x9b bell\x07\r\nline", "q\x1b]0;t\x07")
    assert note.text == "red[31m bell\nline"
    assert note.quote == "q]0;t"
    assert store.update(note.id, "\x1b[2Jclear").text == "[2Jclear"
    assert store.get(note.id) == store.notes_for("brief-a")[0]


def test_notes_for_orders_by_anchor_then_time(store: NotesBackend) -> None:
    anchors = ["summary", "figures/a-b", "figures/ab", "actors/x", "actors", "figures/a-b"]
    added = [store.add("brief-a", anchor, f"note {n}", "") for n, anchor in enumerate(anchors)]
    store.add("brief-b", "summary", "elsewhere", "")
    listed = store.notes_for("brief-a")
    assert [n.anchor for n in listed] == [
        "actors",
        "actors/x",
        "figures/a-b",
        "figures/a-b",
        "figures/ab",
        "summary",
    ]
    same_anchor = [n.text for n in listed if n.anchor == "figures/a-b"]
    assert same_anchor == [added[1].text, added[5].text]


def test_all_notes_orders_briefs_in_byte_order(store: NotesBackend) -> None:
    # Byte order puts capitals first and "_" after "-"; a server sorting by its language
    # collation (the test database uses ICU en-US) would give brief_c, brief-a, Brief-Z.
    for brief_id in ("brief_c", "brief-a", "Brief-Z"):
        store.add(brief_id, "summary", brief_id, "")
    assert [n.brief_id for n in store.all_notes()] == ["Brief-Z", "brief-a", "brief_c"]


def test_counts_and_briefs_with_notes(store: NotesBackend) -> None:
    for anchor in ("summary", "summary", "figures/a"):
        store.add("brief-a", anchor, "x", "")
    store.add("brief-b", "sources", "y", "")
    assert store.counts_by_anchor("brief-a") == {"summary": 2, "figures/a": 1}
    assert store.counts_by_anchor("brief-none") == {}
    assert store.briefs_with_notes() == {"brief-a", "brief-b"}


def test_authors_by_brief_names_who_wrote_the_notes(store: NotesBackend) -> None:
    assert store.authors_by_brief() == {}
    store.add("brief-a", "summary", "x", "")
    store.add("brief-a", "sources", "y", "", visibility="private")
    store.add("brief-b", "sources", "z", "")
    assert store.authors_by_brief() == {"brief-a": {"alice"}, "brief-b": {"alice"}}


def test_drafts_stay_on_this_computer_and_the_store_reports_no_problems(
    store: NotesBackend,
) -> None:
    from termbrief.store.drafts import DraftKey

    key = DraftKey("brief-a", "summary")
    store.drafts.save(key, "half a thought")
    found = store.drafts.get(key)
    assert found is not None and found.text == "half a thought"
    assert store.problems() == []


def _exported(n: int) -> list[Note]:
    base = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    return [
        Note(
            id=f"0000000000000000000000000000000{n}",
            brief_id="brief-a",
            anchor=f"commentary/c{n}",
            text=f"imported {n}",
            quote="quoted",
            created=base + timedelta(minutes=n),
            updated=base + timedelta(minutes=n, seconds=30),
        )
        for n in range(1, 4)
    ]


def test_import_keeps_ids_times_and_anchors_and_is_idempotent(store: NotesBackend) -> None:
    notes = _exported(3)
    assert store.import_notes(notes) == 3
    assert store.import_notes(notes) == 0
    listed = store.notes_for("brief-a")
    assert len(listed) == 3
    for original, stored in zip(notes, listed, strict=True):
        _same(stored, original)


def test_import_replaces_only_with_a_newer_copy(store: NotesBackend) -> None:
    first, second, _ = _exported(3)
    store.import_notes([first, second])
    newer = replace(first, text="newer", updated=first.updated + timedelta(hours=1))
    older = replace(second, text="older", updated=second.updated - timedelta(hours=1))
    assert store.import_notes([newer, older]) == 1
    assert store.get(first.id).text == "newer"  # type: ignore[union-attr]
    assert store.get(second.id).text == second.text  # type: ignore[union-attr]


def test_an_edit_by_another_reader_changes_the_data_version(open_reader: OpenReader) -> None:
    mine, theirs = open_reader(), open_reader()
    before = mine.data_version()
    theirs.add("brief-a", "summary", "from the other window", "")
    assert mine.data_version() != before
    assert [n.text for n in mine.notes_for("brief-a")] == ["from the other window"]


def test_wait_for_changes_sees_another_readers_note_within_two_seconds(
    open_reader: OpenReader,
) -> None:
    watcher, writer = open_reader(), open_reader()
    assert watcher.wait_for_changes(0) == []  # subscribes; nothing has happened yet
    seen: list[list[NoteChange]] = []
    thread = threading.Thread(target=lambda: seen.append(watcher.wait_for_changes(5)))
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    writer.add("brief-live", "summary", "hello", "")
    thread.join(5)
    assert seen and seen[0], "no change reported"
    assert time.monotonic() - started < 2
    assert seen[0][0].brief_id in (None, "brief-live")


def test_private_visibility_is_accepted_everywhere(store: NotesBackend) -> None:
    note = store.add("brief-a", "summary", "mine", "", visibility="private")
    assert note.visibility == "private"
    assert store.set_visibility(note.id, "private").visibility == "private"
    assert store.get(note.id).visibility == "private"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- choosing the backend


def test_the_notes_url_comes_from_the_flag_then_the_environment_then_the_config() -> None:
    env = {NOTES_URL_VARIABLE: "postgresql://env@/db"}
    assert resolve_notes_url("sqlite:///flag", "postgresql://config@/db", env) == "sqlite:///flag"
    assert resolve_notes_url(None, "postgresql://config@/db", env) == "postgresql://env@/db"
    assert resolve_notes_url(None, "postgresql://config@/db", {}) == "postgresql://config@/db"
    assert resolve_notes_url("", " ", {NOTES_URL_VARIABLE: ""}) is None


def test_sqlite_urls_name_the_notes_folder(tmp_path: Path) -> None:
    for url in (f"sqlite://{tmp_path}/a", f"sqlite://{tmp_path}/a/notes.sqlite3"):
        with open_store(url, tmp_path / "unused") as store:
            assert isinstance(store, SqliteNotes)
            assert store.store.path == tmp_path / "a" / "notes.sqlite3"
    with open_store(None, tmp_path / "data") as store:
        assert isinstance(store, SqliteNotes)
        assert store.store.path == tmp_path / "data" / "notes.sqlite3"
    with pytest.raises(NotesError, match=r"named notes\.sqlite3"):
        open_store(f"sqlite://{tmp_path}/other.db", None)


def test_an_unknown_url_is_refused_without_showing_its_password(tmp_path: Path) -> None:
    with pytest.raises(NotesError) as caught:
        open_store("mysql://me:hunter2@host/db", tmp_path)
    assert "hunter2" not in str(caught.value)
    assert (
        describe_url("postgresql://me:hunter2@host:5432/db") == "postgresql://me:***@host:5432/db"
    )


def test_local_notes_are_private_and_sharing_them_is_refused(tmp_path: Path) -> None:
    with open_store(None, tmp_path) as store:
        note = store.add("brief-a", "summary", "x", "")
        assert note.visibility == "private"
        with pytest.raises(NotesError, match="private"):
            store.add("brief-a", "summary", "y", "", visibility="team")
        with pytest.raises(NotesError, match="private"):
            store.set_visibility(note.id, "team")
        assert [n.text for n in store.all_notes()] == ["x"]


def test_psycopg_is_imported_only_for_a_team_server(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; import termbrief.cli.team;"
        "from termbrief.store.backend import open_store;"
        f"open_store(None, Path({str(tmp_path)!r})).close();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'psycopg'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_a_postgresql_url_that_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NotesError, match="cannot be read"):
        open_store("postgresql://alice@/db?nonsense=1", tmp_path)


# --------------------------------------------------------------------------- selectors offline


def test_selectors_travel_through_the_outbox_while_the_server_is_down(
    team_server: PostgresServer, tmp_path: Path
) -> None:
    with open_store(team_server.url("alice"), tmp_path / "data") as alice:
        team_server.stop()
        try:
            highlight = alice.add("brief-a", WORDS, "")
            assert alice.offline_reason is not None
            assert alice.get(highlight.id) == highlight
            elsewhere = Target(Anchor.event(1), "An event.", start=0)
            moved = alice.reattach(highlight.id, elsewhere)
            assert alice.get(highlight.id) == moved
        finally:
            team_server.start()
        report = alice.flush()  # type: ignore[attr-defined]
        assert (report.sent, report.offline_reason) == (1, None)
        on_server = alice.get(highlight.id)
    assert on_server is not None and on_server.target == elsewhere and on_server.text == ""


def test_an_outbox_from_before_selectors_gets_their_columns(tmp_path: Path) -> None:
    path = tmp_path / "notes-outbox-old.sqlite3"
    connection = sqlite3.connect(path)
    connection.executescript(
        """
        CREATE TABLE pending (
            note_id TEXT PRIMARY KEY NOT NULL, sequence INTEGER NOT NULL,
            deleted INTEGER NOT NULL, base_version INTEGER, brief_id TEXT NOT NULL,
            anchor TEXT NOT NULL, text TEXT NOT NULL, quote TEXT NOT NULL,
            created TEXT NOT NULL, updated TEXT NOT NULL, author TEXT NOT NULL,
            visibility TEXT NOT NULL, version INTEGER NOT NULL, conflict_of TEXT
        ) WITHOUT ROWID;
        CREATE TABLE counter (next INTEGER NOT NULL);
        INSERT INTO pending VALUES ('n1', 1, 0, NULL, 'brief-a', 'timeline/2', 'kept',
            '2024: An event.', '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00',
            'alice', 'team', 0, NULL);
        """
    )
    connection.close()
    outbox = Outbox.open(path)
    try:
        (change,) = outbox.pending()
        assert (change.note.anchor, change.note.text, change.note.quote) == (
            "timeline/2",
            "kept",
            "2024: An event.",
        )
        assert (change.note.prefix, change.note.suffix, change.note.start) == ("", "", None)
        outbox.put(
            AuthoredNote.of(replace(change.note, start=3), author="alice"), base_version=None
        )
        assert outbox.get("n1").note.start == 3  # type: ignore[union-attr]
    finally:
        outbox.close()
