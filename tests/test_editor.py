"""``v`` opens the brief in ``$VISUAL``/``$EDITOR`` at the focused item; the edit shows (issue 11).

The editor is a small script that records its arguments and edits the file, as an editor would.
Pilot's terminal cannot be handed over (``App.suspend`` is not supported headless), so these tests
replace ``suspend`` with a context that does nothing; the real hand-over is tested in tmux
(``test_e2e_share.py``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from notices import record_notifications
from termbrief.ui.app import TermbriefApp
from termbrief.ui.services.editor import editor_command
from ui_fixtures import ALPHA, BROKEN, WIDE, screen_text, user_dirs, wait_for

__all__ = ["user_dirs"]

pytestmark = pytest.mark.usefixtures("user_dirs")

EDITOR_SCRIPT = """\
#!{python}
import json, pathlib, sys, termios
try:  # a terminal handed over is back in its normal (canonical, echoing) mode
    cooked = bool(termios.tcgetattr(0)[3] & termios.ICANON)
except termios.error:
    cooked = None
pathlib.Path({record!r}).write_text(json.dumps({{"argv": sys.argv[1:], "cooked": cooked}}))
target = pathlib.Path(sys.argv[-1])
text = target.read_text()
target.write_text(text.replace({old!r}, {new!r}, 1))
"""


def make_editor(folder: Path, old: str = "", new: str = "") -> tuple[Path, Path]:
    """A script that records its arguments (and whether its terminal is in its normal mode) in
    a file and replaces ``old`` by ``new`` in the file it opens; returns the script and the
    record."""
    record = folder / "argv.json"
    script = folder / "record-editor"
    source = EDITOR_SCRIPT.format(python=sys.executable, record=str(record), old=old, new=new)
    script.write_text(source, encoding="utf-8")
    script.chmod(0o755)
    return script, record


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if fragment in line)


@pytest.fixture
def alpha(tmp_path: Path) -> Path:
    copy = tmp_path / "alpha.yaml"
    shutil.copy(ALPHA, copy)
    return copy


@pytest.fixture
def no_suspend(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the editor without handing the (headless) terminal over."""
    monkeypatch.setattr(TermbriefApp, "suspend", lambda self: contextlib.nullcontext())


@pytest.mark.parametrize(
    ("keys", "fragment"),
    [
        (("1", "j"), "Unions welcomed the staff increase"),  # the second summary paragraph
        (("1", "j", "j", "j", "j"), "Forty new inspectors"),  # the second key point
        (("2", "j", "j"), "label: Budget for the pilot"),
        (("3", "j"), "name: Eastport Harbour Authority"),
        (("4", "j"), "author: Tom Berg"),
        (("5", "j", "j"), "- date: 2024-06"),
        (("6", "j"), "title: Union statement"),
    ],
)
@pytest.mark.usefixtures("no_suspend")
async def test_v_opens_the_editor_at_the_focused_item(
    alpha: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    keys: tuple[str, ...],
    fragment: str,
) -> None:
    script, record = make_editor(tmp_path)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press(*keys, "v")
        await wait_for(pilot, record.exists)
    assert json.loads(record.read_text())["argv"] == [f"+{line_of(alpha, fragment)}", str(alpha)]


@pytest.mark.usefixtures("no_suspend")
async def test_the_edit_shows_when_the_editor_closes(
    alpha: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = "title: Harbour authority expands night inspections"
    script, record = make_editor(tmp_path, old, "title: Edited while termbrief waited")
    # $VISUAL comes first, and may carry arguments.
    monkeypatch.setenv("VISUAL", f"{script} --wait")
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    app = TermbriefApp([alpha])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await wait_for(pilot, lambda: app.live_reload.running)
        await pilot.press("3", "v")
        await wait_for(pilot, lambda: "Edited while termbrief waited" in screen_text(app))
    argv = json.loads(record.read_text())["argv"]
    assert argv == ["--wait", f"+{line_of(alpha, 'id: mara-quist')}", str(alpha)]


@pytest.mark.usefixtures("no_suspend")
async def test_an_invalid_file_opens_at_its_first_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.yaml"
    shutil.copy(BROKEN, broken)
    script, record = make_editor(tmp_path)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    app = TermbriefApp([broken])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await wait_for(pilot, record.exists)
    assert json.loads(record.read_text())["argv"] == ["+6", str(broken)]


async def test_without_an_editor_or_a_terminal_to_hand_over_it_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, record = make_editor(tmp_path)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = TermbriefApp([ALPHA])
    said = record_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert said == [
            "Set $VISUAL or $EDITOR to the editor to open briefs in (for example EDITOR=nano)."
        ]
        monkeypatch.setenv("EDITOR", str(script))
        await pilot.press("v")  # Pilot's headless terminal cannot be suspended
        await pilot.pause()
        assert said[-1] == (
            "This terminal cannot be handed over to an editor (the app cannot suspend here)."
        )
    assert not record.exists()


@pytest.mark.usefixtures("no_suspend")
async def test_an_editor_that_cannot_start_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "/nonexistent/editor -x")
    app = TermbriefApp([ALPHA])
    said = record_notifications(app)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert said == ["Could not start the editor editor: No such file or directory."]
        assert app.is_running


def test_editor_command_speaks_each_editors_dialect(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    target = os.path.abspath(path)

    def command(editor: str, line: int | None = 12) -> list[str] | None:
        return editor_command(path, line, {"EDITOR": editor})

    assert command("vim") == ["vim", "+12", target]
    assert command("nano -w") == ["nano", "-w", "+12", target]
    assert command("'/opt/my editor/emacs' -nw") == ["/opt/my editor/emacs", "-nw", "+12", target]
    assert command("code --wait") == ["code", "--wait", "--goto", f"{target}:12"]
    assert command("/usr/bin/hx") == ["/usr/bin/hx", f"{target}:12"]
    assert command("vim", None) == ["vim", target]
    assert command("") is None and command("   ") is None
    assert editor_command(path, 3, {"VISUAL": "vi", "EDITOR": "nano"}) == ["vi", "+3", target]
    assert editor_command(path, 3, {}) is None
