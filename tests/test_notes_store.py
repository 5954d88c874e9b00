"""The notes store: CRUD, migrations, recovery from bad databases, read-only and full disks."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from termbrief.core.anchors import Anchor, make_quote
from termbrief.core.annotation import Target, reanchor
from termbrief.core.loader import load_brief, load_brief_text
from termbrief.core.model import Brief
from termbrief.store import notes
from termbrief.store.notes import SCHEMA_VERSION, Note, NotesError, NotesStore

SAMPLE_BRIEF = Path(__file__).resolve().parents[1] / "briefs" / "china-police-cooperation.yaml"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("TERMBRIEF_DATA_DIR", str(tmp_path / "env-data"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[NotesStore]:
    opened = NotesStore.open(tmp_path / "data")
    yield opened
    opened.close()


def test_open_creates_the_database_in_the_data_dir(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path / "a" / "b") as store:
        assert store.path == tmp_path / "a" / "b" / "notes.sqlite3"
        assert store.path.is_file()
        assert store.read_only_reason is None
        assert store.recovered_backup is None
        conn = sqlite3.connect(store.path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        conn.close()


def test_open_without_argument_uses_the_environment(tmp_path: Path) -> None:
    with NotesStore.open() as store:
        assert store.path == tmp_path / "env-data" / "notes.sqlite3"


def test_add_get_update_delete_restore(store: NotesStore) -> None:
    note = store.add("brief-a", "figures/officers", "**Check** this", "Officers: 5,000")
    assert note.brief_id == "brief-a"
    assert note.anchor == "figures/officers"
    assert note.created == note.updated
    assert note.created.tzinfo is not None
    assert store.get(note.id) == note

    edited = store.update(note.id, "Checked.")
    assert edited.text == "Checked."
    assert edited.created == note.created
    assert edited.updated >= note.updated
    assert store.get(note.id) == edited

    removed = store.delete(note.id)
    assert removed == edited
    assert store.get(note.id) is None
    assert store.notes_for("brief-a") == []

    store.restore(removed)
    assert store.get(note.id) == edited


def test_listing_and_counts(store: NotesStore) -> None:
    first = store.add("a", "summary", "one", "")
    second = store.add("a", "actors/x", "two", "")
    third = store.add("a", "summary", "three", "")
    store.add("b", "timeline/2", "other brief", "")
    assert [n.id for n in store.notes_for("a")] == [second.id, first.id, third.id]
    assert store.counts_by_anchor("a") == {"summary": 2, "actors/x": 1}
    assert store.counts_by_anchor("missing") == {}
    assert store.briefs_with_notes() == {"a", "b"}
    assert len(store.all_notes()) == 4


def test_errors_for_missing_notes_and_bad_anchors(store: NotesStore) -> None:
    with pytest.raises(NotesError, match="no longer exists"):
        store.update("nope", "x")
    with pytest.raises(NotesError, match="no longer exists"):
        store.delete("nope")
    with pytest.raises(ValueError):
        store.add("a", "figures/Not An Id", "x", "")
    with pytest.raises(ValueError):
        store.add("a", "timeline/0", "x", "")
    with pytest.raises(ValueError):
        store.add("a", "appendix", "x", "")
    assert store.all_notes() == []


def test_reattach_moves_the_note_and_refreshes_the_quote(store: NotesStore) -> None:
    note = store.add("a", "actors/gone", "who?", "Gone Person")
    moved = store.reattach(note.id, "actors/wang-xiaohong", "Wang Xiaohong — Minister")
    assert (moved.anchor, moved.quote, moved.text) == (
        "actors/wang-xiaohong",
        "Wang Xiaohong — Minister",
        "who?",
    )
    assert store.get(note.id) == moved


def test_a_note_on_words_keeps_its_selectors_and_may_have_no_text(store: NotesStore) -> None:
    brief = load_brief(SAMPLE_BRIEF)
    paragraph = Anchor.numbered("summary", 2)
    text = paragraph.content(brief) or ""
    start = text.index("President Xi")
    target = Target.of(brief, paragraph, start, start + len("President Xi"))
    highlight = store.add(brief.id, target, "")  # a highlight: words marked, nothing written
    assert (highlight.anchor, highlight.quote, highlight.text) == ("summary/3", "President Xi", "")
    assert (highlight.prefix, highlight.suffix, highlight.start) == (
        target.prefix,
        target.suffix,
        start,
    )
    assert highlight.target == target
    assert store.get(highlight.id) == highlight
    assert store.update(highlight.id, "Now with a note").target == target

    whole = Target.of(brief, Anchor.event(0))
    moved = store.reattach(highlight.id, whole)
    assert moved.target == whole and moved.text == "Now with a note"
    assert store.get(highlight.id) == moved
    with pytest.raises(ValueError, match="its own quote"):
        store.add(brief.id, target, "x", "another quote")
    with pytest.raises(ValueError, match="before its text"):
        store.add(brief.id, Target(paragraph, "w", start=-1), "x")


def test_import_keeps_selectors_and_reads_notes_without_them(store: NotesStore) -> None:
    now = datetime.now(UTC)
    with_words = Note("w", "a", "summary/2", "t", "words", now, now, "before ", " after", 7)
    old_style = Note("o", "a", "timeline/2", "t", "2024-09: An event.", now, now)
    assert store.import_notes([with_words, old_style]) == 2
    assert store.get("w") == with_words
    assert store.get("o") == old_style and old_style.start is None
    with pytest.raises(ValueError):
        store.import_notes([Note("bad", "a", "summary/1", "t", "w", now, now, start=-3)])


def test_control_characters_are_stripped(store: NotesStore) -> None:
    note = store.add("a", "summary", "ok\x1b]0;pwned\x07 \x9bline\r\nnext\ttab", "q\x00uote")
    assert note.text == "ok]0;pwned line\nnext\ttab"
    assert note.quote == "quote"
    assert store.get(note.id) == note


def test_import_is_idempotent_and_keeps_newer_local_edits(store: NotesStore) -> None:
    now = datetime.now(UTC)
    incoming = [
        Note("id1", "a", "summary", "first", "q", now, now),
        Note("id2", "a", "figures/x", "second\x1b[31m", "q", now, now),
    ]
    assert store.import_notes(incoming) == 2
    assert store.import_notes(incoming) == 0
    assert store.get("id2") is not None
    assert store.get("id2").text == "second[31m"  # type: ignore[union-attr]

    store.update("id1", "edited locally")
    assert store.import_notes(incoming) == 0
    assert store.get("id1").text == "edited locally"  # type: ignore[union-attr]

    later = Note("id1", "a", "summary", "edited elsewhere", "q", now, now + timedelta(days=1))
    assert store.import_notes([later]) == 1
    assert store.get("id1") == later


def test_import_refuses_bad_anchors_as_a_whole(store: NotesStore) -> None:
    now = datetime.now(UTC)
    good = Note("g", "a", "summary", "fine", "", now, now)
    bad = Note("b", "a", "nowhere", "bad", "", now, now)
    with pytest.raises(ValueError):
        store.import_notes([good, bad])
    assert store.all_notes() == []  # one transaction: nothing half-imported


def test_data_version_changes_when_another_instance_writes(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path) as one, NotesStore.open(tmp_path) as two:
        before = one.data_version()
        assert one.data_version() == before
        note = two.add("a", "summary", "from the other instance", "")
        assert one.data_version() != before
        assert one.get(note.id) == note


# --------------------------------------------------------------------------- schema


def test_migrates_a_version_1_database_keeping_its_notes(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(notes.MIGRATIONS[0])
    conn.execute(
        "INSERT INTO notes VALUES ('old', 'a', 'summary', 'kept', 'q', "
        "'2024-01-01T00:00:00.000000+00:00', '2024-01-02T00:00:00.000000+00:00')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    with NotesStore.open(tmp_path) as store:
        assert store.read_only_reason is None
        old = store.get("old")
        assert old is not None and old.text == "kept"
        assert old.updated == datetime(2024, 1, 2, tzinfo=UTC)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    indexes = {row[1] for row in conn.execute("PRAGMA index_list(notes)")}
    assert "notes_by_brief" in indexes
    conn.close()


def _old_quote(brief: Brief, anchor: str) -> str:
    """The quote termbrief kept before selectors: a shortened line of the item's source text
    (raw Markdown), events dated, sections their items' lines."""
    name, _, item = anchor.partition("/")
    lines = {
        "figures": [
            f"{f.label}: {f.value_text()}" + (f" ({f.period})" if f.period else "")
            for f in brief.figures
        ],
        "actors": [
            f"{a.name} — {', '.join(p for p in (a.role, a.affiliation) if p)}"
            if a.role or a.affiliation
            else a.name
            for a in brief.actors
        ],
        "commentary": [
            (f"{c.author} ({c.affiliation})" if c.affiliation else c.author)
            + ": "
            + (f"{c.heading}. " if c.heading else "")
            + c.body
            for c in brief.commentary
        ],
        "timeline": [f"{e.date}: {e.event}" for e in brief.timeline],
        "key_points": list(brief.key_points),
        "sources": [s.title for s in brief.sources],
        "summary": [brief.summary],
    }[name]
    if not item:
        return make_quote("\n".join(lines))
    if name == "timeline":
        return make_quote(lines[int(item) - 1])
    ids = {"figures": brief.figures, "actors": brief.actors, "commentary": brief.commentary}
    (index,) = [n for n, thing in enumerate(ids[name]) if thing.id == item]
    return make_quote(lines[index])


def _old_anchors(brief: Brief) -> list[str]:
    """Every anchor termbrief offered before selectors, in its stored form."""
    anchors = ["summary", "key_points", "figures", "actors", "commentary", "timeline", "sources"]
    anchors += [f"figures/{f.id}" for f in brief.figures]
    anchors += [f"actors/{a.id}" for a in brief.actors]
    anchors += [f"commentary/{c.id}" for c in brief.commentary]
    anchors += [f"timeline/{n}" for n in range(1, len(brief.timeline) + 1)]
    return anchors


def _version_2_store(tmp_path: Path, brief: Brief) -> list[str]:
    """A notes database as termbrief wrote it at schema version 2, a note on every anchor of
    ``brief``; returns the anchors in note order."""
    conn = sqlite3.connect(tmp_path / "notes.sqlite3")
    for migration in notes.MIGRATIONS[:2]:
        conn.executescript(migration)
    anchors = _old_anchors(brief)
    for n, anchor in enumerate(anchors):
        conn.execute(
            "INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?)",
            (f"old-{n:03d}", brief.id, anchor, f"note {n}", _old_quote(brief, anchor),
             "2024-01-01T00:00:00.000000+00:00", "2024-01-02T00:00:00.000000+00:00"),
        )  # fmt: skip
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    return anchors


def test_notes_from_a_version_2_database_are_all_still_attached(tmp_path: Path) -> None:
    brief = load_brief(SAMPLE_BRIEF)
    anchors = _version_2_store(tmp_path, brief)
    assert any(a.startswith("timeline/") for a in anchors) and len(anchors) > 20

    with NotesStore.open(tmp_path) as store:
        assert store.read_only_reason is None
        kept = sorted(store.notes_for(brief.id), key=lambda note: note.id)
    assert [(n.anchor, n.text) for n in kept] == [(a, f"note {i}") for i, a in enumerate(anchors)]
    placements = reanchor(brief, kept)
    assert {p.status for p in placements} == {"attached"}
    for note, placement in zip(kept, placements, strict=True):
        assert str(placement.anchor) == note.anchor  # on the very place it was written
    conn = sqlite3.connect(tmp_path / "notes.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_a_quote_of_a_commentary_entry_as_shown_is_attached_too() -> None:
    # Between rendered quotes and selectors, a note on a commentary entry quoted its byline
    # and its body as shown (no Markdown): such notes are found as well.
    brief = load_brief_text(
        "id: views\ntitle: Views\nsummary: S.\ncommentary:\n  - id: view\n    author: Kumar\n"
        "    heading: Old work\n    body: The **GSI** relabels [older work](https://x.org).\n",
        "views.yaml",
    )
    now = datetime.now(UTC)
    shown = "Kumar: Old work. The GSI relabels older work."
    assert Note("n", brief.id, "commentary/view", "t", shown, now, now).status(brief) == "attached"
    raw = "Kumar: Old work. The **GSI** relabels [older work](https://x.org)."
    assert Note("n", brief.id, "commentary/view", "t", raw, now, now).status(brief) == "attached"
    other = Note("n", brief.id, "commentary/view", "t", "Kumar: Something else.", now, now)
    assert other.status(brief) == "changed"


def test_a_migrated_timeline_note_follows_its_event_when_one_is_inserted_before(
    tmp_path: Path,
) -> None:
    brief = load_brief(SAMPLE_BRIEF)
    _version_2_store(tmp_path, brief)
    text = SAMPLE_BRIEF.read_text(encoding="utf-8")
    edited = load_brief_text(
        text.replace("timeline:\n", "timeline:\n  - date: 1999\n    event: Earlier.\n", 1),
        SAMPLE_BRIEF.name,
    )
    with NotesStore.open(tmp_path) as store:
        old = [n for n in store.notes_for(brief.id) if n.anchor.startswith("timeline/")]
    for note, placement in zip(old, reanchor(edited, old), strict=True):
        number = int(note.anchor.partition("/")[2])
        assert (placement.status, placement.anchor) == ("moved", Anchor.event(number))


def test_a_database_from_a_newer_version_opens_read_only_untouched(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path) as store:
        store.add("a", "summary", "written by us", "")
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()

    with NotesStore.open(tmp_path) as store:
        assert store.read_only_reason is not None
        assert "newer termbrief" in store.read_only_reason
        assert [n.text for n in store.all_notes()] == ["written by us"]
        with pytest.raises(NotesError, match="read-only"):
            store.add("a", "summary", "x", "")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    conn.close()


# --------------------------------------------------------------------------- recovery


def test_a_corrupt_database_is_moved_aside_and_a_fresh_one_works(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    garbage = b"this is not a database " * 200
    path.write_bytes(garbage)
    (tmp_path / "notes.sqlite3-wal").write_bytes(b"stale wal")

    with NotesStore.open(tmp_path) as store:
        backup = store.recovered_backup
        assert backup is not None
        assert backup.parent == tmp_path
        assert backup.name.startswith("notes.sqlite3.corrupt-")
        assert backup.read_bytes() == garbage
        assert Path(f"{backup}-wal").read_bytes() == b"stale wal"
        assert store.read_only_reason is None
        note = store.add("a", "summary", "fresh", "")
        assert store.all_notes() == [note]


def test_a_database_with_a_damaged_schema_page_is_copied_aside(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path) as store:
        for n in range(50):
            store.add("a", "summary", f"note {n}", "")
    path = tmp_path / "notes.sqlite3"
    data = bytearray(path.read_bytes())
    data[100:1000] = b"\xff" * 900  # keep the header, wreck the schema page
    path.write_bytes(bytes(data))

    with NotesStore.open(tmp_path) as store:
        assert store.recovered_backup is not None
        assert store.recovered_backup.read_bytes() == bytes(data)
        assert store.read_only_reason is None
        assert store.all_notes() == []
        store.add("a", "summary", "fresh", "")
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_foreign_sqlite_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (something_else TEXT)")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with NotesStore.open(tmp_path) as store:
        assert store.recovered_backup is not None
        assert store.recovered_backup.exists()
        store.add("a", "summary", "works", "")


def test_a_database_path_that_is_a_folder_is_moved_aside(tmp_path: Path) -> None:
    (tmp_path / "notes.sqlite3").mkdir()
    with NotesStore.open(tmp_path) as store:
        assert store.recovered_backup is not None and store.recovered_backup.is_dir()
        store.add("a", "summary", "works", "")


def test_two_recoveries_in_the_same_second_keep_both_backups(tmp_path: Path) -> None:
    for _ in range(2):
        (tmp_path / "notes.sqlite3").write_bytes(b"garbage" * 100)
        NotesStore.open(tmp_path).close()
    assert len(list(tmp_path.glob("notes.sqlite3.corrupt-*"))) == 2


# --------------------------------------------------------------------------- unwritable and full


def test_a_data_dir_that_cannot_be_created_opens_empty_and_read_only(tmp_path: Path) -> None:
    # A path under a regular file cannot be created, even by root (CI runs as root).
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with NotesStore.open(blocker / "data") as store:
        assert store.read_only_reason is not None
        assert "notes folder" in store.read_only_reason
        assert store.all_notes() == []
        assert store.notes_for("a") == []
        with pytest.raises(NotesError, match="read-only"):
            store.add("a", "summary", "x", "")
    assert blocker.read_text() == "not a folder"


def test_an_unwritable_location_still_reads_existing_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with NotesStore.open(tmp_path) as store:
        kept = store.add("a", "summary", "kept", "")

    # Simulate a location the user may not write to (chmod does not stop root).
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with NotesStore.open(tmp_path) as store:
        assert store.read_only_reason is not None
        assert "Permission denied" in store.read_only_reason
        assert store.all_notes() == [kept]
        with pytest.raises(NotesError):
            store.add("a", "summary", "x", "")
        with pytest.raises(NotesError):
            store.delete(kept.id)
    monkeypatch.undo()
    with NotesStore.open(tmp_path) as store:
        assert store.all_notes() == [kept]


@pytest.mark.skipif(
    not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root ignores file permissions",
)
def test_a_read_only_folder_opens_for_reading(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path / "d") as store:
        kept = store.add("a", "summary", "kept", "")
    (tmp_path / "d").chmod(0o500)
    try:
        with NotesStore.open(tmp_path / "d") as store:
            assert store.all_notes() == [kept]
            with pytest.raises(NotesError):
                store.add("a", "summary", "x", "")
    finally:
        (tmp_path / "d").chmod(0o700)


def test_a_full_disk_reports_an_error_and_damages_nothing(store: NotesStore) -> None:
    kept = store.add("a", "summary", "kept", "")
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    # The database may not grow by a page: like a disk with no space left.
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(NotesError, match="full"):
        store.add("a", "summary", "x" * 100_000, "")
    assert store.all_notes() == [kept]
    assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store._conn.execute("PRAGMA max_page_count = 1000000")
    assert store.add("a", "summary", "after space was freed", "").text == "after space was freed"


def test_a_locked_database_reports_an_error_after_the_timeout(
    store: NotesStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.path is not None
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store._conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(NotesError, match="locked"):
            store.add("a", "summary", "x", "")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.all_notes() == []
