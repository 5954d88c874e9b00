"""A throwaway PostgreSQL cluster for the team-notes tests, one per test session.

PostgreSQL refuses to run as root and our machines run as root, so the cluster runs as the
``postgres`` system user (``runuser``) when we are root, and as ourselves otherwise. It listens on
a Unix socket in a temporary folder only (no TCP), under a free port number, and is removed at the
end of the session.

Without the PostgreSQL binaries (or psycopg) the tests that need the server are skipped with
:data:`SKIP_REASON`, which ``postgres_plugin`` repeats loudly in pytest's summary; with
``TERMBRIEF_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) they fail instead, so CI cannot pass
without running them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

SKIP_REASON = "PostgreSQL tests did not run: install it with `apt-get install postgresql`"
"""The skip reason; ``postgres_plugin`` looks for its first words to print the summary line."""

REQUIRE_VARIABLE = "TERMBRIEF_REQUIRE_POSTGRES"
"""When this environment variable is ``1``, a missing server fails the tests instead of skipping."""

BIN_VARIABLE = "TERMBRIEF_POSTGRES_BIN"
"""Overrides where ``initdb`` and ``pg_ctl`` are looked for (a test points it at an empty folder)."""

DATABASE = "termbrief_test"
ADMIN = "postgres"
_START_TIMEOUT_S = "60"


def _binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (the newest installed version), if any."""
    override = os.environ.get(BIN_VARIABLE)
    if override:
        return Path(override) if (Path(override) / "initdb").exists() else None
    versions = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    versions.sort(key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0)
    if versions:
        return versions[-1]
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _missing(reason: str) -> None:
    """Skip (loudly) or, when the server is required, fail."""
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"PostgreSQL is required ({REQUIRE_VARIABLE}=1) but {reason}", pytrace=False)
    pytest.skip(f"{SKIP_REASON} ({reason})")


def _free_port() -> int:
    # The port only names the socket file here (no TCP), but a free one keeps clear of any
    # server a developer runs in the same folder tree.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A running throwaway cluster: its socket folder, port and the URLs to reach it."""

    bin_dir: Path
    """Where ``initdb``, ``pg_ctl`` and ``postgres`` are."""
    base: Path
    """The temporary folder: the socket, ``data/`` and ``log``."""
    port: int
    """The port number in the socket's name."""

    @property
    def data(self) -> Path:
        return self.base / "data"

    def url(self, user: str = ADMIN, database: str = DATABASE) -> str:
        """A libpq URL for ``user`` over the Unix socket."""
        return (
            f"postgresql://{quote(user, safe='')}@/{database}"
            f"?host={quote(str(self.base), safe='')}&port={self.port}"
        )

    @property
    def admin_url(self) -> str:
        """The superuser's URL on the test database."""
        return self.url(ADMIN)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-k {self.base} -p {self.port} -c listen_addresses='' -c fsync=off"
        result = self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "log"),
            "-w", "-t", _START_TIMEOUT_S, "start", check=False,
        )  # fmt: skip
        if result.returncode != 0:
            log = (self.base / "log").read_text(errors="replace")[-2000:]
            pytest.fail(f"PostgreSQL did not start: {result.stderr}\n{log}", pytrace=False)

    def stop(self) -> None:
        """Stop the server (fast: open connections are cut, as when a server goes away)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def psql(self, statement: str, *, user: str = ADMIN, database: str = DATABASE) -> str:
        """Run one SQL statement as ``user`` (autocommit) and return its rows as text lines."""
        import psycopg

        with psycopg.connect(self.url(user, database), autocommit=True) as connection:
            cursor = connection.execute(statement.encode())
            rows = cursor.fetchall() if cursor.description else []
        return "\n".join("|".join(str(value) for value in row) for row in rows)


def _start_cluster() -> Iterator[PostgresServer]:
    bin_dir = _binaries()
    if bin_dir is None:
        _missing(
            "initdb was not found in /usr/lib/postgresql/*/bin, on PATH or in $" + BIN_VARIABLE
        )
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed (pip install -e '.[team]')")
        return
    # A short path: a Unix socket's path is limited to about 100 bytes.
    base = Path(tempfile.mkdtemp(prefix="termbrief-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres")
    server = PostgresServer(bin_dir=bin_dir, base=base, port=_free_port())
    try:
        initdb = server._run(
            "initdb", "-D", str(server.data), "-A", "trust", "-U", ADMIN,
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", check=False,
        )  # fmt: skip
        if initdb.returncode != 0:
            pytest.fail(f"initdb failed: {initdb.stderr}", pytrace=False)
        server.start()
        # An ICU collation, as servers commonly have, so a query that sorts by the database's
        # collation instead of byte order shows up in the tests (the cluster itself is C).
        try:
            server.psql(
                f"CREATE DATABASE {DATABASE} TEMPLATE template0 LOCALE_PROVIDER icu "
                "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'",
                database="postgres",
            )
        except Exception:  # a server built without ICU
            server.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
        yield server
    finally:
        server.stop()
        with contextlib.suppress(OSError):
            shutil.rmtree(base)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A running throwaway PostgreSQL cluster with an empty database ``termbrief_test``.

    Skips loudly (or fails, with ``TERMBRIEF_REQUIRE_POSTGRES=1``) when PostgreSQL is missing.
    """
    yield from _start_cluster()


ANALYSTS = ("alice", "bob")
"""The analysts' roles :func:`team_server` creates."""


@pytest.fixture(scope="session")
def _team_schema(postgres_server: PostgresServer) -> PostgresServer:
    from termbrief.store import postgres_admin

    postgres_admin.server_init(postgres_server.admin_url)
    for name in ANALYSTS:
        postgres_admin.add_user(postgres_server.admin_url, name)
    return postgres_server


@pytest.fixture
def team_server(_team_schema: PostgresServer) -> PostgresServer:
    """The test server set up for team notes (``server-init``, roles alice and bob), running and
    without notes at the start of each test."""
    server = _team_schema
    if not (server.data / "postmaster.pid").exists():
        server.start()  # a test that stopped it failed before starting it again
    server.psql("TRUNCATE termbrief.notes")
    return server
