"""`termbrief check --fix`: safe fixes shown as a diff, written only when asked, atomically; and
the parser's own words as a `note:` line and a JSON `detail`."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from termbrief.cli.check_fix import offer_fixes

BROKEN = "title: Red Sea: the crisis\nsummary: S\nfigures:\n  - label: Share\n    value: 12\n    unit: %\n"
FIXED = 'title: "Red Sea: the crisis"\nsummary: S\nfigures:\n  - label: Share\n    value: 12\n    unit: "%"\n'


def termbrief(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termbrief", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=60,
    )


def test_check_prints_the_parser_words_as_a_note(tmp_path: Path) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text(BROKEN, encoding="utf-8")
    lines = termbrief("check", str(brief)).stdout.splitlines()
    assert lines[0].startswith(f"{brief}:1:8: error: `title`: this value holds a colon")
    assert lines[1] == (
        f"{brief}:1:8: note: YAML parser: mapping values are not allowed in this context"
    )
    assert lines[-1] == "checked 1 file: 0 valid, 1 invalid, 2 problems"


def test_json_carries_the_detail(tmp_path: Path) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text(BROKEN, encoding="utf-8")
    document = json.loads(termbrief("check", "--format", "json", str(brief)).stdout)
    first = document["files"][0]["problems"][0]
    assert first["detail"] == "YAML parser: mapping values are not allowed in this context"


def test_fix_yes_writes_the_fixes_atomically_and_checks_again(tmp_path: Path) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text(BROKEN, encoding="utf-8")
    brief.chmod(0o640)
    result = termbrief("check", "--fix", "--yes", str(brief))
    assert result.returncode == 0, result.stdout + result.stderr
    assert brief.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(brief.stat().st_mode) == 0o640
    assert sorted(path.name for path in tmp_path.iterdir()) == ["b.yaml"]  # no temporary left
    out = result.stdout
    assert '-title: Red Sea: the crisis\n+title: "Red Sea: the crisis"\n' in out
    assert "line 1: quote the value of `title`" in out and f"{brief}: fixes written" in out
    assert out.rstrip().endswith("checked 1 file: all valid")


def test_fix_without_a_terminal_shows_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text(BROKEN, encoding="utf-8")
    result = termbrief("check", "--fix", str(brief), stdin="y\n")
    assert result.returncode == 1
    assert brief.read_text(encoding="utf-8") == BROKEN
    assert '+    unit: "%"' in result.stdout
    assert "not written (no terminal to ask" in result.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_fix_asks_and_writes_only_on_yes(tmp_path: Path) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text(BROKEN, encoding="utf-8")
    options = {"assume_yes": False, "max_bytes": 1 << 20, "shown": str}
    assert offer_fixes([brief], stdin=_Terminal("n\n"), **options) == set()  # type: ignore[arg-type]
    assert brief.read_text(encoding="utf-8") == BROKEN
    assert offer_fixes([brief], stdin=_Terminal("y\n"), **options) == {brief}  # type: ignore[arg-type]
    assert brief.read_text(encoding="utf-8") == FIXED


def test_a_file_without_fixes_is_left_alone(tmp_path: Path) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text("title: T\nsumary: S\n", encoding="utf-8")
    result = termbrief("check", "--fix", "--yes", str(brief))
    assert result.returncode == 1 and "available" not in result.stdout
    assert brief.read_text(encoding="utf-8") == "title: T\nsumary: S\n"


def test_fix_usage_errors_exit_2(tmp_path: Path) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text(BROKEN, encoding="utf-8")
    assert termbrief("check", "--yes", str(brief)).returncode == 2
    assert termbrief("check", "--fix", "--format", "json", str(brief)).returncode == 2
    assert brief.read_text(encoding="utf-8") == BROKEN
