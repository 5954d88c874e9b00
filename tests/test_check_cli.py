"""`termbrief check` and `termbrief schema`, run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from termbrief.core.model import json_schema

REPO = Path(__file__).resolve().parents[1]


def termbrief(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termbrief", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=60,
    )


def test_sample_library_is_valid() -> None:
    result = termbrief("check", str(REPO / "briefs"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().startswith("checked ")
    assert result.stdout.strip().endswith("all valid")


def test_invalid_files_in_compiler_format(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text("title: T\nsummary: S\n", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "bad.yml").write_text("title: T\nsumary: S\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a brief", encoding="utf-8")
    result = termbrief("check", str(tmp_path))
    bad = sub / "bad.yml"
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{bad}:1:1: error: missing required key `summary`",
        f"{bad}:2:1: error: `sumary`: unknown key; did you mean `summary`?",
        "checked 2 files: 1 valid, 1 invalid, 2 problems",
    ]


def test_json_format(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: NO\nsummary: S\n", encoding="utf-8")
    result = termbrief("check", "--format", "json", str(bad))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["checked"] == 1 and document["invalid"] == 1
    [entry] = document["files"]
    assert entry["path"] == str(bad) and entry["valid"] is False
    assert entry["problems"][0]["line"] == 1 and entry["problems"][0]["column"] == 8


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert termbrief("check").returncode == 2
    assert termbrief("check", str(tmp_path / "missing.yaml")).returncode == 2
    assert termbrief("check", str(tmp_path)).returncode == 2  # a folder without briefs
    assert termbrief("check", "--format", "xml", str(tmp_path)).returncode == 2


def test_check_does_not_import_textual(tmp_path: Path) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text("title: T\nsummary: S\n", encoding="utf-8")
    code = (
        "import sys, runpy; sys.argv = ['termbrief', 'check', sys.argv[1]]\n"
        "from termbrief.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual imported'\n"
        "raise SystemExit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(brief)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_committed_schema_matches_the_model() -> None:
    committed = json.loads((REPO / "docs" / "brief.schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(json_schema())), (
        "the schema changed: run termbrief schema > docs/brief.schema.json"
    )


def test_schema_command_prints_the_schema() -> None:
    result = termbrief("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads(json.dumps(json_schema()))


def test_version_and_help() -> None:
    assert termbrief("--version").stdout.startswith("termbrief ")
    help_text = termbrief("--help").stdout
    assert "examples:" in help_text and "termbrief check briefs/" in help_text
