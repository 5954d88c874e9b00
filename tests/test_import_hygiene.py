"""The domain layer never imports Textual (start-up cost, and a clean separation)."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN_MODULES = [
    "termbrief.model",
    "termbrief.loader",
    "termbrief.library",
    "termbrief.locations",
    "termbrief.notes",
    "termbrief.search",
    "termbrief.library_filter",
    "termbrief.library_index",
    "termbrief.export",
    "termbrief.settings",
    "termbrief.watch",
    "termbrief.notes_cli",
]


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
        "print(leaked); raise SystemExit(1 if leaked else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"{module} imports textual: {result.stdout}{result.stderr}"
