"""Reading state and brief versions in the notes database (issue 14): store/reading.py."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest

from termbrief.core.loader import load_brief
from termbrief.core.model import Brief, Figure
from termbrief.store import notes
from termbrief.store.notes import SCHEMA_VERSION, NotesError, NotesStore
from termbrief.store.reading import reading_status, version_id

DATA = Path(__file__).parent / "data"
T0 = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def alpha() -> Brief:
    return load_brief(DATA / "ui" / "alpha.yaml")


def edited(brief: Brief, n: int) -> Brief:
    """``brief`` with its first figure's value set to ``n`` (a new version)."""
    first = msgspec.structs.replace(brief.figures[0], value=n)
    return msgspec.structs.replace(brief, figures=(first, *brief.figures[1:]))


def test_unread_then_read_then_changed_and_the_version_read_comes_back(
    tmp_path: Path, alpha: Brief
) -> None:
    with NotesStore.open(tmp_path) as store:
        assert store.reading.last_read("alpha") is None
        assert reading_status(version_id(alpha), None) == "unread"
        mark = store.reading.mark_read(alpha, now=T0)
        assert mark.read_at == T0
        assert mark.version == version_id(alpha)
        assert store.reading.since_read(alpha) is None
    with NotesStore.open(tmp_path) as store:  # another run
        new = edited(alpha, 30)
        mark = store.reading.last_read("alpha")
        assert mark is not None and mark.read_at == T0
        assert reading_status(version_id(new), mark) == "changed"
        assert reading_status(version_id(alpha), mark) == "read"
        found = store.reading.since_read(new)
        assert found is not None
        assert found[0] == mark
        assert found[1] == alpha  # the version read, exactly
        assert store.reading.marks() == {"alpha": mark}


def test_a_version_is_stored_once_however_often_it_is_seen(tmp_path: Path, alpha: Brief) -> None:
    with NotesStore.open(tmp_path) as store:
        first = store.reading.record(alpha, now=T0)
        again = store.reading.record(alpha, now=T0 + timedelta(days=1))
        assert first == again
        store.reading.mark_read(alpha)
        [kept] = store.reading.versions("alpha")
        assert kept.first_seen == T0
        assert kept.last_seen > T0
        assert 0 < kept.stored < kept.size  # compressed


def test_layout_of_the_file_is_not_a_new_version(tmp_path: Path) -> None:
    source = (DATA / "ui" / "alpha.yaml").read_text()
    (tmp_path / "a.yaml").write_text(source)
    relaid = source.replace("tags: [ports, inspections]", "tags:\n  - ports\n  - inspections")
    assert relaid != source
    (tmp_path / "b.yaml").write_text("# a new comment\n" + relaid)
    a, b = load_brief(tmp_path / "a.yaml"), load_brief(tmp_path / "b.yaml")
    assert version_id(a) == version_id(b)
    assert version_id(a) != version_id(edited(a, 41))


def test_later_versions_are_deltas_and_all_read_back(tmp_path: Path, alpha: Brief) -> None:
    with NotesStore.open(tmp_path) as store:
        briefs = [edited(alpha, n) for n in range(20)]
        ids = [store.reading.record(b, now=T0 + timedelta(minutes=i)) for i, b in enumerate(briefs)]
        stored = {v.version: v for v in store.reading.versions("alpha")}
        assert len(stored) == 20
        whole = stored[ids[0]].stored
        # Compressed against the first, a one-number edit costs a small part of a whole version.
        assert all(stored[i].stored < whole / 3 for i in ids[1:])
        assert [store.reading.version(i) for i in ids] == briefs


def test_keep_caps_the_history_but_never_drops_the_version_read(
    tmp_path: Path, alpha: Brief
) -> None:
    with NotesStore.open(tmp_path) as store:
        read = store.reading.mark_read(alpha, now=T0)
        ids = [
            store.reading.record(edited(alpha, n), keep=3, now=T0 + timedelta(minutes=n))
            for n in range(1, 8)
        ]
        left = [v.version for v in store.reading.versions("alpha")]
        assert left == [ids[-1], ids[-2], read.version]
        # The newest ones were compressed against a base that is gone: still readable.
        assert store.reading.version(ids[-1]) == edited(alpha, 7)
        assert store.reading.version(read.version) == alpha


def test_gc_prunes_every_brief_to_keep(tmp_path: Path, alpha: Brief) -> None:
    beta = msgspec.structs.replace(alpha, id="beta")
    with NotesStore.open(tmp_path) as store:
        for n in range(6):
            store.reading.record(edited(alpha, n), now=T0 + timedelta(minutes=n))
            store.reading.record(edited(beta, n), now=T0 + timedelta(minutes=n))
        assert store.reading.gc() == 0  # nothing to prune without a cap
        assert store.reading.gc(keep=2) == 8
        assert len(store.reading.versions("alpha")) == 2
        assert [store.reading.version(v.version) for v in store.reading.versions("beta")] == [
            edited(beta, 5),
            edited(beta, 4),
        ]
        with pytest.raises(ValueError):
            store.reading.gc(keep=0)


def test_mark_all_read(tmp_path: Path, alpha: Brief) -> None:
    beta = msgspec.structs.replace(alpha, id="beta")
    with NotesStore.open(tmp_path) as store:
        marks = store.reading.mark_all_read([alpha, beta], now=T0)
        assert [m.brief_id for m in marks] == ["alpha", "beta"]
        assert set(store.reading.marks()) == {"alpha", "beta"}
        assert store.reading.last_read("beta") == marks[1]


def test_each_user_has_their_own_reading_state(tmp_path: Path, alpha: Brief) -> None:
    with NotesStore.open(tmp_path / "me") as mine:
        mine.reading.mark_read(alpha)
    with NotesStore.open(tmp_path / "other") as theirs:
        assert theirs.reading.last_read("alpha") is None


def test_a_read_only_store_refuses_with_a_notes_error(tmp_path: Path, alpha: Brief) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    store = NotesStore.open(blocker / "data")
    assert store.read_only_reason is not None
    with pytest.raises(NotesError, match="read-only"):
        store.reading.mark_read(alpha)
    assert store.reading.last_read("alpha") is None  # reading still works


def test_a_full_disk_reports_an_error_and_keeps_the_state(tmp_path: Path, alpha: Brief) -> None:
    with NotesStore.open(tmp_path) as store:
        store.reading.mark_read(alpha, now=T0)
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")
        huge = msgspec.structs.replace(
            alpha,
            figures=tuple(
                Figure(label=f"figure {i} {'x' * (i % 97)}", value=i, id=f"f{i}")
                for i in range(3000)
            ),
        )
        with pytest.raises(NotesError, match="full"):
            store.reading.mark_read(huge)
        mark = store.reading.last_read("alpha")
        assert mark is not None and mark.read_at == T0


def test_an_old_database_gains_the_tables_and_keeps_its_notes(tmp_path: Path, alpha: Brief) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path)
    for statement in notes.MIGRATIONS[:4]:
        conn.executescript(statement)
    conn.execute(
        "INSERT INTO notes (id, brief_id, anchor, text, quote, created, updated) VALUES "
        "('n1', 'alpha', 'summary', 'old note', '', "
        "'2024-05-02T10:00:00+00:00', '2024-05-02T10:00:00+00:00')"
    )
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with NotesStore.open(tmp_path) as store:
        assert [n.text for n in store.all_notes()] == ["old note"]
        store.reading.mark_read(alpha)
        assert store.reading.last_read("alpha") is not None
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    conn.close()


def test_tampered_rows_read_as_nothing_not_a_crash(tmp_path: Path, alpha: Brief) -> None:
    with NotesStore.open(tmp_path) as store:
        version = store.reading.mark_read(alpha).version
    raw = sqlite3.connect(tmp_path / "notes.sqlite3")
    raw.execute("UPDATE brief_versions SET data = x'00ff00'")
    raw.execute("UPDATE reading SET read_at = 'not a time', brief_id = 'alpha\x1b[2J'")
    raw.commit()
    raw.close()
    with NotesStore.open(tmp_path) as store:
        assert store.reading.version(version) is None
        [mark] = store.reading.marks().values()
        assert mark.brief_id == "alpha[2J"
        assert mark.read_at == notes.EARLIEST
