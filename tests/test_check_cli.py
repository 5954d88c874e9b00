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


# --- hostile input (issue 15) ----------------------------------------------------------------


def termbrief_bytes(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """Run with a strict UTF-8 stdout, as on a terminal; output kept as raw bytes."""
    return subprocess.run(
        [sys.executable, "-m", "termbrief", *map(os.fsencode, args)],
        capture_output=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONIOENCODING": "utf-8"},
        timeout=timeout,
    )


def test_item12_one_line_per_problem_whatever_the_keys_hold(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'title: T\nsummary: S\n"x\\nevil.yaml:1:1: error: forged": 1\n"a\\rb": 2\n',
        encoding="utf-8",
    )
    result = termbrief_bytes("check", bad)
    assert result.returncode == 1, result.stderr
    assert b"\r" not in result.stdout and b"\x1b" not in result.stdout
    lines = result.stdout.decode().split("\n")
    known = (
        "known keys: format, id, title, subtitle, date, tags, regions, summary, key_points, "
        "figures, actors, commentary, timeline, sources"
    )
    assert lines == [
        f"{bad}:3:1: error: `x\\nevil.yaml:1:1: error: forged`: unknown key; {known}",
        f"{bad}:4:1: error: `a\\rb`: unknown key; {known}",
        "checked 1 file: 0 valid, 1 invalid, 2 problems",
        "",
    ]


def test_item12_control_characters_in_keys_and_names_are_escapes(tmp_path: Path) -> None:
    bad = tmp_path / "evil\x1b]0;x\x07\r.yaml"
    bad.write_text('title: T\nsummary: S\n"\\e[2J\\u2028": 1\n', encoding="utf-8")
    result = termbrief_bytes("check", tmp_path)
    assert result.returncode == 1, result.stderr
    shown = f"{tmp_path}/evil\\x1b]0;x\\x07\\r.yaml"
    assert result.stdout.decode().split("\n")[:2] == [
        f"{shown}:3:1: error: control character U+001B is not allowed (it could drive the "
        "terminal); remove it",
        "checked 1 file: 0 valid, 1 invalid, 1 problem",
    ]


def test_item13_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.yaml"
    with open(raw, "wb") as file:
        file.write(b"title: T\nsumary: S\n")
    result = termbrief_bytes("check", tmp_path)
    assert result.returncode == 1 and not result.stderr, result.stderr
    assert result.stdout.decode("utf-8").split("\n")[:2] == [
        f"{tmp_path}/caf\\xe9.yaml:1:1: error: missing required key `summary`",
        f"{tmp_path}/caf\\xe9.yaml:2:1: error: `sumary`: unknown key; did you mean `summary`?",
    ]
    as_json = termbrief_bytes("check", "--format", "json", tmp_path)
    assert as_json.returncode == 1 and not as_json.stderr, as_json.stderr
    [entry] = json.loads(as_json.stdout.decode("utf-8"))["files"]
    assert os.fsencode(entry["path"]) == raw  # a tool gets the exact name back


def test_item14_a_huge_hexadecimal_format(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 0x" + "f" * 5000 + "\ntitle: T\nsummary: S\n", encoding="utf-8")
    result = termbrief("check", str(bad))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{bad}:1:9: error: number too large: `0xfffff")
    assert "internal error" not in result.stdout + result.stderr


def test_item4_check_of_a_pipe_given_as_the_file_does_not_wait() -> None:
    # /dev/stdin is a pipe here that nobody writes to or closes: reading it would wait forever.
    process = subprocess.Popen(
        [sys.executable, "-m", "termbrief", "check", "/dev/stdin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        code = process.wait(timeout=20)  # stdin stays open: communicate() would close it
        assert process.stdout is not None and process.stderr is not None
        out, err = process.stdout.read(), process.stderr.read()
    finally:
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert code == 1, err
    assert out.startswith(
        "/dev/stdin:1:1: error: not a regular file (a link to a named pipe (FIFO))"
    )


def test_item13_an_output_that_cannot_show_the_text_gets_escapes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nsummary: S\ncafé: x\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "termbrief", "check", str(bad)],
        capture_output=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONIOENCODING": "ascii"},
        timeout=60,
    )
    assert result.returncode == 1 and not result.stderr, result.stderr
    assert result.stdout.startswith(f"{bad}:3:1: error: `caf\\xe9`: unknown key".encode())
