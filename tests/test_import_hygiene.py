"""The domain layer never imports Textual (start-up cost, and a clean separation)."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN_MODULES = [
    "termbrief.core.model",
    "termbrief.core.loader",
    "termbrief.core.library",
    "termbrief.core.locations",
    "termbrief.store.notes",
    "termbrief.core.search",
    "termbrief.core.library_filter",
    "termbrief.core.library_index",
    "termbrief.store.export",
    "termbrief.core.settings",
    "termbrief.core.watch",
    "termbrief.cli.notes",
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
