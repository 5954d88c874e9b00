"""Case 10: team notes on a PostgreSQL server over a Unix socket (issue 16).

The case starts its own throwaway cluster, as the tests do (``initdb`` and ``pg_ctl`` from
``/usr/lib/postgresql/*/bin``, run as the ``postgres`` user when we are root; fsync left on, as a
real server has it), runs ``termbrief notes server-init``'s schema, creates 20 analysts' roles
and loads 100,000 notes from case 7's generator (the same briefs, anchors and texts), each
analyst importing their fifth of them, one in five private. Then, through the store the reader
uses (:class:`~termbrief.store.team.OfflineFirstNotes`, opened by ``open_store``), medians of:

- **open a brief's notes**: case 7's ``open_brief_notes`` (counts, notes, re-anchoring and
  labels) as one analyst, who reads their own notes and the team's (about 85 per brief);
- **save one note**: ``add`` of a team note (one committed transaction on the server);
- **a note seen by another reader**: from the start of one analyst's ``add`` until another
  analyst's change-watching call (``wait_for_changes``, LISTEN/NOTIFY) returns it;
- **the outbox sends 1,000 offline notes**: the server stopped, 1,000 notes written (they go to
  the outbox), the server started again: ``flush`` (reconnect and send), timed once.

Run alone: ``python bench/case_team.py`` prints the rows.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from case_notes import BRIEFS, SEED, generate_notes, make_brief, open_brief_notes

CASE = "10. Team notes (PostgreSQL)"
AUTHORS = 20
OPEN_TARGET_MS = 20.0
SAVE_TARGET_MS = 10.0
SEEN_TARGET_S = 2.0
OUTBOX_TARGET_S = 2.0
OUTBOX_NOTES = 1_000
_ADMIN = "postgres"
_DATABASE = "termbrief_bench"


def _quick() -> bool:
    try:
        from common import quick
    except ImportError:  # run from elsewhere than bench/run.py
        return False
    return bool(quick())


class Cluster:
    """A throwaway PostgreSQL cluster listening only on a Unix socket in its folder."""

    def __init__(self) -> None:
        binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        found = binaries[-1].parent if binaries else None
        if found is None and shutil.which("initdb"):
            found = Path(str(shutil.which("initdb"))).parent
        if found is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = found
        # A short path: a Unix socket's path is limited to about 100 bytes.
        self.base = Path(tempfile.mkdtemp(prefix="tb-bench-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.base, user="postgres")
        self.port = 54000 + os.getpid() % 1000

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, capture_output=True, text=True, check=True, timeout=180)

    def url(self, user: str, database: str = _DATABASE) -> str:
        host = quote(str(self.base), safe="")
        return f"postgresql://{quote(user, safe='')}@/{database}?host={host}&port={self.port}"

    def init(self) -> None:
        self._run("initdb", "-D", str(self.base / "data"), "-A", "trust", "-U", _ADMIN,
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.start()
        import psycopg

        with psycopg.connect(self.url(_ADMIN, "postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {_DATABASE}".encode())

    def start(self) -> None:
        options = f"-k {self.base} -p {self.port} -c listen_addresses=''"
        self._run("pg_ctl", "-D", str(self.base / "data"), "-o", options,
                  "-l", str(self.base / "log"), "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    """A running cluster with the team schema and the analysts' roles; removed at the end."""
    from termbrief.store import postgres_admin

    server = Cluster()
    try:
        server.init()
        admin = server.url(_ADMIN)
        postgres_admin.server_init(admin)
        for n in range(AUTHORS):
            postgres_admin.add_user(admin, _analyst(n))
        yield server
    finally:
        server.remove()


def _analyst(n: int) -> str:
    return f"analyst{n:02d}"


def load(server: Cluster, notes: list[Any]) -> float:
    """Each analyst imports their share of ``notes`` (one in five private); seconds taken."""
    from termbrief.store.postgres import PostgresNotesStore
    from termbrief.store.records import AuthoredNote

    started = time.perf_counter()
    for n in range(AUTHORS):
        share = [
            AuthoredNote.of(note, author=_analyst(n), visibility="team" if k % 5 else "private")
            for k, note in enumerate(notes[n::AUTHORS])
        ]
        with PostgresNotesStore.open(server.url(_analyst(n))) as store:
            assert store.import_notes(share) == len(share)
    return time.perf_counter() - started


def seen_by_another(writer: Any, watcher: Any, brief_id: str, k: int) -> float:
    """Seconds from the start of ``writer.add`` until ``watcher`` is told of the note."""
    watcher.wait_for_changes(0)  # subscribed before the note is written
    told = threading.Event()
    seen_at: list[float] = []

    def watch() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            changes = watcher.wait_for_changes(0.5)
            if any(change.brief_id == brief_id for change in changes):
                seen_at.append(time.perf_counter())
                break
        told.set()

    thread = threading.Thread(target=watch)
    thread.start()
    time.sleep(0.05)  # the watcher is waiting, as a reader's worker always is
    started = time.perf_counter()
    writer.add(brief_id, "summary", f"Seen by the team {k}", "", visibility="team")
    told.wait(15)
    thread.join()
    if not seen_at:
        raise RuntimeError("the other reader was never told of the note")
    return seen_at[0] - started


def measure() -> dict[str, Any]:
    """Build the fixture and time the four operations."""
    from termbrief.core.anchors import Anchor
    from termbrief.core.annotation import Target
    from termbrief.store.backend import open_store

    rng = random.Random(SEED)
    briefs = [make_brief(n) for n in range(BRIEFS)]
    notes = generate_notes(briefs, rng)
    repetitions = 20 if _quick() else 200
    with cluster() as server:
        loaded = load(server, notes)
        data = Path(tempfile.mkdtemp(prefix="tb-bench-team-"))
        try:
            reader = open_store(server.url(_analyst(0)), data / "a")
            other = open_store(server.url(_analyst(1)), data / "b")
            try:
                sample = rng.sample(briefs, repetitions)
                open_ms, sizes = [], []
                for brief in sample:
                    started = time.perf_counter()
                    sizes.append(open_brief_notes(reader, brief))  # type: ignore[arg-type]
                    open_ms.append((time.perf_counter() - started) * 1000)
                save_ms = []
                for k, brief in enumerate(sample):
                    target = Target.of(brief, Anchor.figure("figure-3"))
                    started = time.perf_counter()
                    reader.add(brief.id, target, f"Saved note {k}")
                    save_ms.append((time.perf_counter() - started) * 1000)
                seen_s = [
                    seen_by_another(reader, other, sample[k].id, k)
                    for k in range(5 if _quick() else 20)
                ]
                server.stop()
                try:
                    for k in range(OUTBOX_NOTES):
                        reader.add(sample[k % len(sample)].id, "summary", f"Offline {k}", "")
                    assert reader.offline_reason is not None, "the server was still reachable"
                finally:
                    server.start()
                started = time.perf_counter()
                report = reader.flush()  # type: ignore[attr-defined]
                outbox_s = time.perf_counter() - started
                assert (report.sent, report.left) == (OUTBOX_NOTES, 0), report
            finally:
                reader.close()
                other.close()
        finally:
            shutil.rmtree(data, ignore_errors=True)
    return {
        "loaded_s": loaded,
        "open_ms": open_ms,
        "notes_per_brief": statistics.median(sizes),
        "save_ms": save_ms,
        "seen_s": seen_s,
        "outbox_s": outbox_s,
    }


def run() -> list[dict[str, object]]:
    """The case-10 rows for the benchmark table."""
    return rows(measure())


def rows(result: dict[str, Any]) -> list[dict[str, object]]:
    """Table rows from :func:`measure`'s figures."""
    open_ms = statistics.median(result["open_ms"])
    save_ms = statistics.median(result["save_ms"])
    seen_s = statistics.median(result["seen_s"])
    worst_seen_s = max(result["seen_s"])
    outbox_s = result["outbox_s"]
    per_brief = result["notes_per_brief"]
    return [
        {
            "case": f"{CASE}: open a brief's notes",
            "figure": f"{open_ms:.1f} ms (median, {per_brief:.0f} notes readable of 100,000 "
            f"by {AUTHORS} authors)",
            "target": f"<= {OPEN_TARGET_MS:.0f} ms",
            "ok": open_ms <= OPEN_TARGET_MS,
        },
        {
            "case": f"{CASE}: save one note",
            "figure": f"{save_ms:.1f} ms (median, committed on the server)",
            "target": f"<= {SAVE_TARGET_MS:.0f} ms",
            "ok": save_ms <= SAVE_TARGET_MS,
        },
        {
            "case": f"{CASE}: a note seen by another reader",
            "figure": f"{seen_s * 1000:.0f} ms (median; worst {worst_seen_s * 1000:.0f} ms)",
            "target": f"<= {SEEN_TARGET_S:.0f} s",
            "ok": worst_seen_s <= SEEN_TARGET_S,
        },
        {
            "case": f"{CASE}: the outbox sends 1,000 offline notes",
            "figure": f"{outbox_s:.2f} s (reconnect included)",
            "target": f"<= {OUTBOX_TARGET_S:.0f} s",
            "ok": outbox_s <= OUTBOX_TARGET_S,
        },
    ]


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    result = measure()
    for row in rows(result):
        print(f"{row['case']}: {row['figure']} (target {row['target']}, ok={row['ok']})")
    print(f"loaded 100,000 notes in {result['loaded_s']:.1f} s")
