"""The drafts of notes being written, in the notes database (issue 12): store/drafts.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from termbrief.store import notes
from termbrief.store.drafts import DraftKey
from termbrief.store.notes import SCHEMA_VERSION, NotesError, NotesStore

NEW = DraftKey("alpha", "actors/mara-quist")
EDIT = DraftKey("alpha", "actors/mara-quist", "note-1")


def test_a_draft_keeps_its_exact_text_and_is_replaced_by_the_next(tmp_path: Path) -> None:
    text = "First line\n\n  indented *Markdown*\twith a tab, “quotes” and 中文\n"
    with NotesStore.open(tmp_path) as store:
        store.drafts.save(NEW, "an earlier version")
        saved = store.drafts.save(NEW, text)
        assert saved.text == text
    with NotesStore.open(tmp_path) as store:  # another run
        draft = store.drafts.get(NEW)
        assert draft is not None
        assert draft.key == NEW
        assert draft.text == text
        assert draft.updated == saved.updated
        assert [d.text for d in store.drafts.all()] == [text]


def test_drafts_are_keyed_by_brief_anchor_and_note(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path) as store:
        store.drafts.save(NEW, "a new note")
        store.drafts.save(EDIT, "an edit of note-1")
        store.drafts.save(DraftKey("alpha", "summary"), "on the summary")
        store.drafts.save(DraftKey("beta", "actors/mara-quist"), "another brief")
        assert store.drafts.get(NEW).text == "a new note"  # type: ignore[union-attr]
        assert store.drafts.get(EDIT).text == "an edit of note-1"  # type: ignore[union-attr]
        assert {d.key for d in store.drafts.for_brief("alpha")} == {
            NEW,
            EDIT,
            DraftKey("alpha", "summary"),
        }
        assert [d.text for d in store.drafts.for_brief("beta")] == ["another brief"]

        assert store.drafts.discard(EDIT) is True
        assert store.drafts.discard(EDIT) is False
        assert store.drafts.get(EDIT) is None
        assert store.drafts.get(NEW) is not None  # the new note's draft is another draft


def test_control_characters_never_come_back(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path) as store:
        store.drafts.save(NEW, "pasted\x1b]0;title\x07 text\r\nnext")
        assert store.drafts.get(NEW).text == "pasted]0;title text\nnext"  # type: ignore[union-attr]
    raw = sqlite3.connect(tmp_path / "notes.sqlite3")
    raw.execute(
        "INSERT INTO drafts (brief_id, anchor, note_id, text, updated) "
        "VALUES ('alpha', 'summary', '', 'tampered \x1b[2J', 'not a time')"
    )
    raw.commit()
    raw.close()
    with NotesStore.open(tmp_path) as store:
        tampered = store.drafts.get(DraftKey("alpha", "summary"))
        assert tampered is not None
        assert tampered.text == "tampered [2J"
        assert tampered.updated.year == 1970


def test_a_draft_needs_a_brief_and_a_valid_anchor(tmp_path: Path) -> None:
    with NotesStore.open(tmp_path) as store:
        with pytest.raises(ValueError):
            store.drafts.save(DraftKey("", "summary"), "text")
        with pytest.raises(ValueError):
            store.drafts.save(DraftKey("alpha", "no-such-section/x"), "text")
        assert store.drafts.all() == []


def test_saving_a_draft_is_not_a_change_of_notes_for_this_connection(tmp_path: Path) -> None:
    # The reader polls data_version to refresh its note counts: its own drafts, saved after
    # every pause in typing, must not look like another program's notes.
    with NotesStore.open(tmp_path) as store, NotesStore.open(tmp_path) as other:
        mine, theirs = store.data_version(), other.data_version()
        store.drafts.save(NEW, "typing")
        assert store.data_version() == mine
        assert other.data_version() != theirs


def test_a_read_only_store_refuses_drafts_with_a_notes_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    store = NotesStore.open(blocker / "data")  # cannot be created, even by root
    assert store.read_only_reason is not None
    with pytest.raises(NotesError, match="read-only"):
        store.drafts.save(NEW, "text")


def test_an_old_store_gains_the_drafts_table_and_keeps_its_notes(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path)
    for statement in notes.MIGRATIONS[:2]:
        conn.executescript(statement)
    conn.execute(
        "INSERT INTO notes VALUES ('n1', 'alpha', 'summary', 'old note', '', "
        "'2024-05-02T10:00:00+00:00', '2024-05-02T10:00:00+00:00')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with NotesStore.open(tmp_path) as store:
        assert store.recovered_backup is None
        assert [n.text for n in store.all_notes()] == ["old note"]
        store.drafts.save(NEW, "works")
        assert store.drafts.get(NEW) is not None
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_a_new_note_draft_keeps_the_words_it_is_on(tmp_path: Path) -> None:
    from termbrief.core.anchors import Anchor
    from termbrief.core.annotation import Target

    key = DraftKey("alpha", "summary/3")
    words = Target(Anchor.parse("summary/3"), "pilot would", "said the ", " last one", 10)
    with NotesStore.open(tmp_path) as store:
        store.drafts.save(key, "Which pilot?", words)
        assert store.drafts.get(key) == store.drafts.for_brief("alpha")[0]
        kept = store.drafts.get(key)
        assert kept is not None and kept.target == words
        # A draft of an existing note is on that note: no words kept with it.
        edit = DraftKey("alpha", "summary/3", "note-1")
        store.drafts.save(edit, "edited", words)
        kept_edit = store.drafts.get(edit)
        assert kept_edit is not None and kept_edit.target is None


@pytest.mark.parametrize(
    "stored", ['{"exact": 3}', "not json", '{"exact": "x", "start": -4}', '{"exact": "x", "y": 1}']
)
def test_damaged_draft_words_leave_the_draft_on_its_item(tmp_path: Path, stored: str) -> None:
    key = DraftKey("alpha", "summary/3")
    with NotesStore.open(tmp_path) as store:
        store.drafts.save(key, "text kept")
    conn = sqlite3.connect(tmp_path / "notes.sqlite3")
    with conn:
        conn.execute("UPDATE drafts SET target = ?", (stored,))
    conn.close()
    with NotesStore.open(tmp_path) as store:
        kept = store.drafts.get(key)
    assert kept is not None and kept.text == "text kept" and kept.target is None
