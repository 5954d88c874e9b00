"""``make bench``: run every ``bench/case_*.py``, print one table, write ``bench/results.md``.

Each case module has ``run() -> list[Row]`` (see ``common.Row``). A module that raises is
reported as a row that says so, never skipped. The exit status is 0 when every case was
measured, whether or not its target holds (this is a report), and 1 when any case could not
be measured.

    python bench/run.py                   # everything; writes bench/results.md
    python bench/run.py --only startup    # one module (case_startup.py)
    python bench/run.py --quick           # smoke test: 3 repetitions, numbers not meaningful
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import importlib.metadata
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from common import ROOT, Row, error_row, isolate_this_process  # noqa: E402

FIRST_CASE = {
    "startup": 1,
    "check": 4,
    "keys": 5,
    "search": 6,
    "notes": 7,
    "memory": 8,
    "hostile": 9,
    "team": 10,
    "changes": 14,
}
"""The case modules (1-8 from issue 6, 9 from issue 15, 10 from issue 16, 14 from issue 14) and
the first case number each reports."""
ORDER = tuple(FIRST_CASE)
"""Modules in case order; others follow alphabetically."""
RESULTS = BENCH_DIR / "results.md"
BUDGET_SECONDS = 300


def modules(only: str | None) -> list[str]:
    """Names of the case modules to run (``startup`` for ``case_startup.py``), in case order.

    Every module in ``ORDER`` is listed even when its file is missing, so that a case nobody
    wrote yet shows up as an error instead of silently not being in the table.
    """
    found = sorted(p.stem.removeprefix("case_") for p in BENCH_DIR.glob("case_*.py"))
    ordered = [*ORDER, *(n for n in found if n not in ORDER)]
    if only is not None:
        only = only.removeprefix("case_").removesuffix(".py")
        if only not in found:
            raise SystemExit(f"no bench/case_{only}.py (have: {', '.join(found)})")
        return [only]
    return ordered


def _case_number(row: Row) -> int:
    match = re.match(r"\s*(\d+)", row["case"])
    return int(match.group(1)) if match else 99


def _valid(row: object) -> bool:
    if not isinstance(row, dict):
        return False
    types = {"case": str, "figure": str, "target": str, "ok": bool}
    return all(isinstance(row.get(key), kind) for key, kind in types.items())


def run_module(name: str) -> list[Row]:
    """Import ``case_<name>`` and run it; any failure becomes an error row."""
    try:
        if not (BENCH_DIR / f"case_{name}.py").exists():
            raise FileNotFoundError(f"bench/case_{name}.py does not exist yet")
        module = importlib.import_module(f"case_{name}")
        rows = module.run()
        if not isinstance(rows, list) or not rows or not all(_valid(r) for r in rows):
            raise TypeError(f"run() must return a non-empty list of rows, got {rows!r:.300}")
        return rows
    except Exception as error:
        return [error_row(f"{FIRST_CASE.get(name, '?')} case_{name}.py", "-", error)]


def machine() -> list[tuple[str, str]]:
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    try:
        import yaml

        libyaml = "with libyaml" if hasattr(yaml, "CSafeLoader") else "WITHOUT libyaml"
        yaml_version = f"{yaml.__version__} ({libyaml})"
    except ImportError:
        yaml_version = "missing"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        ("date", datetime.datetime.now().astimezone().isoformat(timespec="seconds")),
        ("cpus (nproc)", f"{len(os.sched_getaffinity(0))} ({cpu})"),
        ("load average at start", load),
        ("os", platform.platform()),
        ("python", f"{platform.python_version()} ({sys.executable})"),
        ("textual", _version("textual")),
        ("pyyaml", yaml_version),
        ("termbrief", f"{_version('termbrief')} at commit {commit}"),
    ]


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _holds(row: Row) -> str:
    if row.get("error"):
        return "ERROR"
    return "yes" if row["ok"] else "NO"


def table(rows: list[Row]) -> str:
    """The plain-text table printed on the terminal."""
    header = ("case", "figure", "target", "holds?")
    lines = [header, *((r["case"], r["figure"], r["target"], _holds(r)) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in out)


def markdown(rows: list[Row], info: list[tuple[str, str]], seconds: float, argv: str) -> str:
    """The results file."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    parts = [
        "# termbrief benchmarks",
        "",
        f"Written by `python bench/run.py{argv}` in {seconds:.0f} s. Start-up figures are ratios",
        "against a minimal Textual app (`bench/minimal_app.py`) started the same way in the same",
        "run, alternating, median of each side (see `bench/README.md`).",
        "",
        *(f"- {key}: {value}" for key, value in info),
        "",
        "| case | figure | target | holds? |",
        "| --- | --- | --- | --- |",
        *(
            f"| {cell(r['case'])} | {cell(r['figure'])} | {cell(r['target'])} | {_holds(r)} |"
            for r in rows
        ),
    ]
    noted = [r for r in rows if r.get("note") or r.get("profile")]
    if noted:
        parts += ["", "## Notes"]
    for row in noted:
        parts += ["", f"### {row['case']}: {row['figure']} ({_holds(row)})", ""]
        if row.get("note"):
            parts.append(row["note"])
        if row.get("profile"):
            parts += ["", "```text", row["profile"], "```"]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", metavar="NAME", help="run one module, e.g. startup")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke test)")
    parser.add_argument("--runs", type=int, metavar="N", help="repetitions per side")
    parser.add_argument(
        "--output",
        type=Path,
        help="results file (default: bench/results.md for a full run, none otherwise)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        os.environ["TERMBRIEF_BENCH_QUICK"] = "1"
    if args.runs:
        os.environ["TERMBRIEF_BENCH_RUNS"] = str(args.runs)
    isolate_this_process()
    info = machine()
    started = time.perf_counter()
    rows: list[Row] = []
    for name in modules(args.only):
        print(f"case_{name} ...", end=" ", file=sys.stderr, flush=True)
        module_start = time.perf_counter()
        rows += run_module(name)
        print(f"{time.perf_counter() - module_start:.1f} s", file=sys.stderr, flush=True)
    rows.sort(key=_case_number)
    seconds = time.perf_counter() - started
    print(table(rows))
    for row in rows:
        if row.get("note"):
            print(f"  {row['case']}: {row['note']}")
    print(f"\n{seconds:.0f} s in all", end="")
    print(f" (over the {BUDGET_SECONDS} s budget)" if seconds > BUDGET_SECONDS else "")
    output = args.output or (RESULTS if not (args.only or args.quick) else None)
    if output is not None:
        shown = "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
        output.write_text(markdown(rows, info, seconds, shown), encoding="utf-8")
        print(f"written to {output}")
    for row in rows:
        if row.get("error"):
            print(f"error: {row['case']}: {row.get('note', '')}", file=sys.stderr)
    return 1 if any(row.get("error") for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
