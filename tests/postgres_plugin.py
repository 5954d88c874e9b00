"""pytest hooks for the PostgreSQL tests: the server fixture, and a loud line in the summary when
those tests did not run (a skip reason alone scrolls by unnoticed).

Registered by ``pytest_plugins`` in ``tests/conftest.py``.
"""

from __future__ import annotations

import pytest
from _pytest.terminal import TerminalReporter

from postgres_server import SKIP_REASON, _team_schema, postgres_server, team_server

__all__ = ["_team_schema", "postgres_server", "pytest_terminal_summary", "team_server"]

_MARKER = SKIP_REASON.partition(":")[0]


def _skipped_for_postgres(reporter: TerminalReporter) -> int:
    count = 0
    for report in reporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        # A skip's longrepr is (file, line, reason).
        if isinstance(longrepr, tuple) and _MARKER in str(longrepr[-1]):
            count += 1
    return count


def pytest_terminal_summary(
    terminalreporter: TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Say loudly that the PostgreSQL tests were skipped and how to run them."""
    skipped = _skipped_for_postgres(terminalreporter)
    if skipped:
        # A full rule first: on a narrow terminal the titled rule below is only "! ... !".
        terminalreporter.write_sep("!", red=True, bold=True)
        terminalreporter.write_sep("!", f"{SKIP_REASON} ({skipped} skipped)", red=True, bold=True)
