"""Moving between backends: ``termbrief notes export`` / ``import`` / ``list`` on the team
server (``--notes-url``, or ``notes_url`` in config.toml), on the real throwaway server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postgres_server import PostgresServer
from termbrief.cli.main import main
from termbrief.core import locations
from termbrief.store.notes import NotesStore


def test_a_sqlite_users_export_lands_on_the_team_server_with_ids_times_and_anchors(
    team_server: PostgresServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with NotesStore.open(tmp_path / "solo") as solo:
        solo.add("alpha", "actors/mara-quist", "Written alone", "Mara Quist")
        solo.add("beta", "summary", "Another", "")
    exported = tmp_path / "notes.json"
    assert main(["notes", "export", "--format", "json", "--data-dir", str(tmp_path / "solo"),
                 "-o", str(exported)]) == 0  # fmt: skip
    url = team_server.url("alice")
    team = ["--notes-url", url, "--data-dir", str(tmp_path / "team")]
    assert main(["notes", "import", str(exported), *team]) == 0
    assert main(["notes", "import", str(exported), *team]) == 0  # idempotent
    out = capsys.readouterr().out
    assert "Imported 2 new or updated notes" in out and "Imported 0 new" in out
    rows = team_server.psql(
        "SELECT id, brief_id, anchor, author, created FROM termbrief.notes ORDER BY brief_id"
    ).split("\n")
    originals = json.loads(exported.read_text())["notes"]
    assert [row.split("|")[:4] for row in rows] == [
        [note["id"], note["brief_id"], note["anchor"], "alice"] for note in originals
    ]
    assert main(["notes", "list", "alpha", *team]) == 0
    assert "Written alone" in capsys.readouterr().out


def test_config_names_the_server_and_an_import_while_it_is_away_is_refused(
    team_server: PostgresServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = locations.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'notes_url = "{team_server.url("bob")}"\n')
    with NotesStore.open(tmp_path / "solo") as solo:
        solo.add("alpha", "summary", "Kept alone", "")
    exported = tmp_path / "notes.json"
    local = f"sqlite://{tmp_path / 'solo'}"  # the flag wins over config.toml
    assert main(["notes", "export", "--format", "json", "--notes-url", local,
                 "-o", str(exported)]) == 0  # fmt: skip
    assert main(["notes", "list", "--data-dir", str(tmp_path)]) == 0  # bob's, on the server
    assert "No notes." in capsys.readouterr().out
    team_server.stop()
    try:
        assert main(["notes", "import", str(exported), "--data-dir", str(tmp_path)]) == 1
        assert "cannot import: The notes server cannot be reached" in capsys.readouterr().err
    finally:
        team_server.start()
