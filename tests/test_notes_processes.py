"""The notes store across processes: concurrent writers, and kill -9 in the middle of saves."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from termbrief.store.notes import NotesStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from termbrief.store.notes import NotesStore

    data_dir, name, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    store = NotesStore.open(data_dir)
    assert store.read_only_reason is None, store.read_only_reason
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    n = 0
    while count < 0 or n < count:
        note = store.add(f"brief-{n % 7}", "summary", f"{name} {n} " + "x" * (n % 500), "quote")
        # The id is printed only once add() has returned, i.e. after COMMIT.
        print(n, note.id, flush=True)
        n += 1
    store.close()
    """
)


def _writer(data_dir: Path, name: str, count: int, go: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "TERMBRIEF_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir), name, str(count), str(go)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def test_two_processes_saving_500_notes_each_at_once_keep_all_1000(tmp_path: Path) -> None:
    go = tmp_path / "go"
    data = tmp_path / "data"
    NotesStore.open(data).close()  # both children find the same database
    writers = [_writer(data, name, 500, go) for name in ("left", "right")]
    go.touch()
    confirmed: dict[str, str] = {}
    for process in writers:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        for line in out.splitlines():
            _, note_id = line.split()
            confirmed[note_id] = line
    assert len(confirmed) == 1000

    with NotesStore.open(data) as store:
        stored = store.all_notes()
        assert len(stored) == 1000
        assert {n.id for n in stored} == set(confirmed)
        assert sum(n.text.startswith("left ") for n in stored) == 500
        assert sum(n.text.startswith("right ") for n in stored) == 500


def test_kill_9_during_saves_loses_no_confirmed_note(tmp_path: Path) -> None:
    go = tmp_path / "go"
    data = tmp_path / "data"
    go.touch()
    process = _writer(data, "victim", -1, go)
    assert process.stdout is not None
    confirmed: dict[str, int] = {}
    deadline = time.monotonic() + 60
    # Let it save a few hundred notes, then kill it without warning mid-stream.
    while len(confirmed) < 300 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        counter, note_id = line.split()
        confirmed[note_id] = int(counter)
    os.kill(process.pid, signal.SIGKILL)
    rest, _ = process.communicate(timeout=30)
    for line in rest.splitlines():
        parts = line.split()
        if len(parts) == 2:  # the last line may be cut by the kill; it was never confirmed
            confirmed[parts[1]] = int(parts[0])
    assert process.returncode == -signal.SIGKILL
    assert len(confirmed) >= 300

    db = data / "notes.sqlite3"
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    with NotesStore.open(data) as store:
        assert store.recovered_backup is None
        by_id = {note.id: note for note in store.all_notes()}
    for note_id, number in confirmed.items():
        assert note_id in by_id, f"confirmed note {number} was lost"
        assert by_id[note_id].text == f"victim {number} " + "x" * (number % 500)
