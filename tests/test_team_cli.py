"""`termbrief notes server-init` and `add-user` are reachable from the command line."""

from __future__ import annotations

import pytest

from termbrief.cli.main import main


def test_add_user_prints_quoted_sql_without_a_server(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["notes", "add-user", "postgresql://admin@/team", 'eve"; DROP TABLE x; --', "--print"]
    )
    out = capsys.readouterr().out
    assert code == 0
    # The name is one quoted identifier (its quote doubled), never SQL of its own.
    assert 'CREATE ROLE "eve""; DROP TABLE x; --" LOGIN' in out
    assert "NOBYPASSRLS" in out


def test_server_init_is_listed_in_the_notes_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["notes", "--help"])
    out = capsys.readouterr().out
    assert "server-init" in out and "add-user" in out
