"""`termbrief diff`: the three formats, exit codes like diff(1), git revisions, safe output."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from termbrief.cli.diff import printable, render_text
from termbrief.cli.main import main
from termbrief.core.diff import diff_briefs
from termbrief.core.loader import load_brief

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "briefs" / "china-police-cooperation.yaml"


def termbrief(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termbrief", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
        timeout=60,
    )


def revise(text: str) -> str:
    """A new version of the sample: a figure revised, a key point added, a role changed."""
    replacements = [
        ("    value: 5000\n", "    value: 3000\n"),
        (
            "    role: Minister of Public Security\n",
            "    role: Former Minister of Public Security\n",
        ),
        ("key_points:\n", "key_points:\n  - A new first key point about policing.\n"),
    ]
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    shutil.copy(SAMPLE, old)
    new.write_text(revise(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    return old, new


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_format_when_piped(pair: tuple[Path, Path]) -> None:
    old, new = pair
    result = termbrief("diff", str(old), str(new))
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"--- {old}",
        f"+++ {new}",
        "1 key point added, 1 figure changed, 1 actor changed",
        "",
        "Key points",
        "  + A new first key point about policing.  key point 1",
        "",
        "Figures",
        "  ~ Foreign police and law-enforcement officers China will help train"
        "  figures/foreign-officers-to-train",
        "      value: 5,000 -> 3,000 officers, -40%",
        "",
        "Actors",
        "  ~ Wang Xiaohong  actors/wang-xiaohong",
        "      role: {+Former+} Minister of Public Security",
    ]


def test_equal_briefs_print_nothing_and_exit_0(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = pair
    assert run(str(old), str(SAMPLE), capsys=capsys) == (0, "", "")
    code, out, _ = run("--format", "json", str(old), str(SAMPLE), capsys=capsys)
    assert code == 0 and json.loads(out)["equal"] is True and json.loads(out)["changes"] == []


def test_colour_only_on_a_terminal_without_no_color(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = pair
    monkeypatch.delenv("NO_COLOR", raising=False)
    code, out, _ = run(str(old), str(new), capsys=capsys)
    assert code == 1 and "\x1b" not in out  # captured: not a terminal

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for no_color, coloured in (("", True), ("1", False)):
        monkeypatch.setenv("NO_COLOR", no_color)
        terminal = Terminal()
        monkeypatch.setattr(sys, "stdout", terminal)
        assert main(["diff", str(old), str(new)]) == 1
        text = terminal.getvalue()
        assert ("\x1b[" in text) is coloured
        if coloured:  # an inserted word is green and has no {+ +} markers
            assert "role: \x1b[32mFormer\x1b[0m Minister" in text
        else:
            assert "role: {+Former+} Minister" in text


def test_json_format(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = pair
    code, out, err = run("--format", "json", str(old), str(new), capsys=capsys)
    assert (code, err) == (1, "")
    document = json.loads(out)
    assert document["old"] == str(old) and document["new"] == str(new)
    assert document["equal"] is False
    assert document["summary"] == "1 key point added, 1 figure changed, 1 actor changed"
    added, figure, actor = document["changes"]
    assert (added["section"], added["kind"], added["new_index"], added["new_item"]) == (
        "key_points",
        "added",
        0,
        "A new first key point about policing.",
    )
    assert figure["anchor"] == "figures/foreign-officers-to-train"
    [value] = figure["fields"]
    assert (value["field"], value["old"], value["new"]) == ("value", 5000, 3000)
    assert value["number"] == {
        "old": 5000,
        "new": 3000,
        "unit": "officers",
        "difference": -2000,
        "percent": -40.0,
    }
    assert figure["new_item"]["value"] == 3000 and figure["old_item"]["value"] == 5000
    [role] = actor["fields"]
    assert role["words"] == [
        {"kind": "insert", "text": "Former"},
        {"kind": "equal", "text": "Minister of Public Security"},
    ]


def test_json_stays_valid_with_infinite_figures(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = pair
    new.write_text(
        new.read_text(encoding="utf-8").replace("value: 3000", "value: .inf"), encoding="utf-8"
    )
    code, out, _ = run("--format", "json", str(old), str(new), capsys=capsys)

    def refuse(constant: str) -> None:
        raise AssertionError(f"not JSON: {constant}")

    document = json.loads(out, parse_constant=refuse)
    [value] = document["changes"][1]["fields"]
    assert code == 1 and value["new"] is None and value["number"]["percent"] is None


def test_markdown_format(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = pair
    text = new.read_text(encoding="utf-8").replace("help in training", "in training")
    new.write_text(text, encoding="utf-8")
    code, out, _ = run("--format", "markdown", str(old), str(new), capsys=capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "# Changes to China widens its public-security co-operation"
    assert lines[2] == (
        f"From {old} to {new}: 1 paragraph rewritten, 1 key point added, 1 figure changed, "
        "1 actor changed."
    )
    assert "## Summary" in lines and "## Figures" in lines and "## Actors" in lines
    assert "- **Added:** A new first key point about policing. (key point 1)" in lines
    assert "  - value: 5,000 -> 3,000 officers, -40%" in lines
    assert "  - role: **Former** Minister of Public Security" in lines
    [paragraph] = [line for line in lines if line.startswith("  - text: ")]
    assert "promised Chinese ~~help~~ in training nearly 5,000" in paragraph
    assert paragraph.startswith("  - text: … ")  # long unchanged stretches are elided


def test_broken_brief_prints_positions_and_exits_2(pair: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = pair
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: T\nsumary: S\n", encoding="utf-8")
    result = termbrief("diff", str(old), str(broken))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{broken}:1:1: missing required key `summary`",
        f"{broken}:2:1: `sumary`: unknown key; did you mean `summary`?",
    ]
    missing = termbrief("diff", str(tmp_path / "missing.yaml"), str(old))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith(f"{tmp_path / 'missing.yaml'}:1:1: cannot read the file")


def test_usage_errors_exit_2(pair: tuple[Path, Path]) -> None:
    old, new = pair
    one = termbrief("diff", str(old))
    assert one.returncode == 2
    assert one.stderr == (
        "termbrief diff: give two briefs (OLD NEW), or one brief with --rev REV\n"
    )
    assert termbrief("diff", str(old), str(new), str(new)).returncode == 2
    assert termbrief("diff", "--rev", "HEAD", str(old), str(new)).returncode == 2
    assert termbrief("diff", "--format", "xml", str(old), str(new)).returncode == 2
    assert termbrief("diff").returncode == 2


def test_file_names_and_brief_text_never_reach_the_terminal_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "a\x1b]0;owned\x07.yaml"
    shutil.copy(SAMPLE, hostile)
    code, out, _ = run(str(hostile), str(SAMPLE), capsys=capsys)
    assert code == 0
    new = tmp_path / "b\x9b31m.yaml"
    new.write_text(revise(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    for fmt in ("text", "markdown", "json"):
        code, out, _ = run("--format", fmt, str(hostile), str(new), capsys=capsys)
        assert code == 1
        assert not any(c in out for c in "\x1b\x07\x9b"), fmt
        escaped = {"text": "\\x1b]0;owned\\x07", "markdown": r"\\x1b\]0;owned\\x07"}
        assert escaped.get(fmt, "\\u001b]0;owned\\u0007") in out, fmt
    # The loader refuses control characters, but a brief built in code is printed safely too.
    brief = load_brief(SAMPLE)
    figure = msgspec.structs.replace(brief.figures[0], label="evil\x1b[2J\nlabel", unit="\x9b")
    changed = msgspec.structs.replace(brief, figures=(figure, *brief.figures[1:]))
    text = render_text(diff_briefs(brief, changed), "a", "b", colour=True)
    assert "\x1b[2J" not in text and "\x9b" not in text and "evil\\x1b[2J label" in text
    assert printable("tab\there\u0085") == "tab\\x09here\\x85"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "briefs").mkdir(parents=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "Test Analyst")
    git(repo, "config", "user.email", "analyst@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    shutil.copy(SAMPLE, repo / "briefs" / "police.yaml")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first version")
    return repo


def test_rev_compares_with_the_committed_version(repo: Path, tmp_path: Path) -> None:
    brief = repo / "briefs" / "police.yaml"
    # Run from elsewhere, with a relative path: the git path must not depend on the cwd.
    relative = os.path.relpath(brief, tmp_path)
    assert termbrief("diff", relative, "--rev", "HEAD", cwd=tmp_path).returncode == 0
    brief.write_text(revise(brief.read_text(encoding="utf-8")), encoding="utf-8")
    result = termbrief("diff", relative, "--rev", "HEAD", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[:3] == [
        f"--- HEAD:{relative}",
        f"+++ {relative}",
        "1 key point added, 1 figure changed, 1 actor changed",
    ]
    git(repo, "commit", "-q", "-am", "revised")
    assert termbrief("diff", str(brief), "--rev", "HEAD").returncode == 0
    older = termbrief("diff", str(brief), "--rev", "HEAD~1", "--format", "json")
    assert older.returncode == 1 and json.loads(older.stdout)["old"] == f"HEAD~1:{brief}"


def test_rev_errors(repo: Path, tmp_path: Path) -> None:
    brief = repo / "briefs" / "police.yaml"
    bad = termbrief("diff", str(brief), "--rev", "no-such-rev")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith(f"termbrief diff: git cannot show no-such-rev:{brief}: ")
    new = repo / "briefs" / "new.yaml"
    shutil.copy(SAMPLE, new)  # not committed
    assert termbrief("diff", str(new), "--rev", "HEAD").returncode == 2
    dash = termbrief("diff", str(brief), "--rev=--output=x")  # would be an option of git show
    assert dash.returncode == 2
    assert dash.stderr == "termbrief diff: not a git revision: '--output=x'\n"

    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(SAMPLE, outside / "brief.yaml")
    result = termbrief("diff", str(outside / "brief.yaml"), "--rev", "HEAD")
    assert result.returncode == 2
    assert result.stderr == f"termbrief diff: {outside / 'brief.yaml'} is not in a git work tree\n"

    (repo / "briefs" / "police.yaml").write_text("title: [\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken")
    brief.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    broken = termbrief("diff", str(brief), "--rev", "HEAD")
    assert broken.returncode == 2
    assert broken.stderr.startswith(f"HEAD:{brief}:1:1: ")  # summary missing, `[` unclosed


def test_rev_without_git_installed(repo: Path) -> None:
    brief = repo / "briefs" / "police.yaml"
    result = termbrief("diff", str(brief), "--rev", "HEAD", env={"PATH": ""})
    assert result.returncode == 2
    assert result.stderr == "termbrief diff: git is not installed; --rev needs it\n"
    # Without --rev, git is never needed.
    assert termbrief("diff", str(brief), str(SAMPLE), env={"PATH": ""}).returncode == 0


def test_diff_does_not_import_textual(pair: tuple[Path, Path]) -> None:
    old, new = pair
    code = (
        "import sys\n"
        "from termbrief.cli.main import main\n"
        "code = main(['diff', sys.argv[1], sys.argv[2]])\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual imported'\n"
        "raise SystemExit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(old), str(new)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1, result.stderr


def test_help_lists_diff() -> None:
    result = termbrief("--help")
    assert "termbrief diff old.yaml new.yaml" in result.stdout
    assert "diff" in result.stdout.split("other commands:")[1]
