"""Case 4: ``termbrief check`` on a ~2 MB brief vs a bare libyaml parse, whole processes.

Both sides start a fresh interpreter, so the ratio includes everything ``check`` adds: its
imports, validation, the position bookkeeping for error messages and the report. Every item of
the brief cites a source (and some actors relate to others), so the ratio also covers resolving
every citation and relation (issue 13).
"""

from __future__ import annotations

import sys

from common import (
    HarnessError,
    Row,
    alternate,
    big_brief,
    fresh_dir,
    guarded,
    import_ms,
    importtime,
    pyinstrument_process,
    runs,
    termbrief_cmd,
    time_process,
)

CASE = "4 termbrief check, 2 MB brief"
LIMIT = 1.5
BARE_PARSE = "import yaml,sys; yaml.load(open(sys.argv[1],'rb'), Loader=yaml.CSafeLoader)"


def _measure() -> list[Row]:
    path, _ = big_brief()
    size_mb = path.stat().st_size / 1e6
    check = termbrief_cmd("check", path)
    bare = [sys.executable, "-c", BARE_PARSE, str(path)]
    time_process(check)  # exits 0: the generated brief is valid
    # A check that accepts anything would be fast and meaningless: it must refuse a bad brief.
    bad = fresh_dir("check-") / "bad.yaml"
    bad.write_text("title: no summary\n", encoding="utf-8")
    time_process(termbrief_cmd("check", bad), expect=1)
    paired = alternate(lambda: time_process(check), lambda: time_process(bare), runs())
    row = Row(
        case=CASE,
        figure=f"{paired.figure()}, {size_mb:.1f} MB",
        target=f"≤ {LIMIT:.2f}×",
        ok=paired.ratio <= LIMIT,
    )
    if not row["ok"]:
        cli_ms, yaml_ms = import_ms("termbrief.cli.main"), import_ms("yaml")
        extra = (paired.median_a - paired.median_b) * 1000
        row["note"] = (
            f"{extra:.0f} ms over the bare parse; importing termbrief.cli.main costs "
            f"{cli_ms:.0f} ms vs {yaml_ms:.0f} ms for yaml, the rest is checking (profile below)"
        )
        row["profile"] = (
            importtime("termbrief.cli.main") + "\n\n" + pyinstrument_process(["check", path])
        )
    return [row]


def run() -> list[Row]:
    """Case 4."""
    try:
        import termbrief.cli.main  # noqa: F401  (fail early with a clear message)
    except ImportError as error:
        raise HarnessError(f"termbrief.cli.main does not import: {error}") from error
    return guarded(CASE, f"≤ {LIMIT:.2f}×", _measure)
