"""The wheel carries the sample library, so `termbrief` works outside this repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_sample_briefs_and_styles(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    [wheel] = tmp_path.glob("termbrief-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    briefs = sorted(path.name for path in (REPO / "briefs").glob("*.yaml"))
    assert briefs, "the repository has sample briefs"
    for name in briefs:
        assert f"termbrief/sample_briefs/{name}" in names
    assert "termbrief/ui/app.tcss" in names
    assert "termbrief/py.typed" in names
