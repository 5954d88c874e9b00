"""Case 8: peak memory of start-up, against the minimal app and between the two data sets.

Each process runs in a pty until the title is on screen and then until it is idle (work done
after the first frame, such as loading the library in a worker, counts); its peak resident
set (``VmHWM``) is read just before it is ended. MB here are 10^6 bytes.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tracemalloc
from pathlib import Path

from common import (
    ROOT,
    SAMPLE_BRIEF,
    HarnessError,
    Row,
    brief_title,
    guarded,
    isolate_this_process,
    isolated_env,
    launch,
    library,
    minimal_cmd,
    needle,
    quick,
    termbrief_cmd,
)

RATIO_LIMIT = 1.3
LIBRARY_LIMIT_MB = 60.0


def _peak_mb(cmd: list[str], title: str) -> float:
    peak = launch(cmd, needle(title), settle=True).peak_rss_kib
    if not peak:
        raise HarnessError(f"no peak memory for {' '.join(cmd[1:])} (it exited by itself?)")
    return peak * 1024 / 1e6


def _import_mb(module: str) -> float:
    # VmHWM, not ru_maxrss, which can include the pre-exec size of the (forked) bench process.
    code = (
        f"import {module}; print(next(line.split()[1] for line in "
        "open('/proc/self/status') if line.startswith('VmHWM:')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=isolated_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip()) * 1024 / 1e6


def _short(where: tracemalloc.Traceback) -> str:
    """A traceback's place without the long site-packages or repository prefix."""
    text = str(where)
    for marker in ("site-packages/", f"{ROOT}/"):
        text = text.split(marker, 1)[-1]
    return text.removesuffix(":0")


def _library_allocations(folder: Path, top: int = 10) -> str:
    """What holds memory after loading the whole library (tracemalloc, by line)."""
    from termbrief.core.library import find_brief_files, load_entry, sort_entries

    tracemalloc.start()
    entries = sort_entries(load_entry(path) for path in find_brief_files([folder]))
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    stats = snapshot.statistics("lineno")
    total = sum(stat.size for stat in stats) / 1e6
    lines = [f"tracemalloc after loading the library ({len(entries)} entries): {total:.1f} MB held"]
    lines += [f"{stat.size / 1e6:8.1f} MB  {_short(stat.traceback)}" for stat in stats[:top]]
    return "\n".join(lines)


def _app_allocations(path: Path, top: int = 12) -> str:
    """What the app allocates to show one brief (in-process, headless, after its imports)."""
    from termbrief.ui.app import TermbriefApp

    async def show() -> tracemalloc.Snapshot:
        app = TermbriefApp([path])
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await asyncio.sleep(0.5)
            await pilot.pause()
            return tracemalloc.take_snapshot()

    isolate_this_process()
    tracemalloc.start()
    try:
        snapshot = asyncio.run(show())
    finally:
        tracemalloc.stop()
    stats = snapshot.statistics("filename")
    total = sum(stat.size for stat in stats) / 1e6
    lines = [f"tracemalloc, app showing {path.name} (headless, imports excluded): {total:.1f} MB"]
    lines += [f"{stat.size / 1e6:8.2f} MB  {_short(stat.traceback)}" for stat in stats[:top]]
    return "\n".join(lines)


def _measure() -> list[Row]:
    if not SAMPLE_BRIEF.exists():
        raise HarnessError(f"{SAMPLE_BRIEF} does not exist yet")
    title = brief_title(SAMPLE_BRIEF)
    folder, library_title = library()
    launch(termbrief_cmd(SAMPLE_BRIEF), needle(title))  # warm-up: .pyc files written
    floor: list[float] = []
    one: list[float] = []
    many: list[float] = []
    for _ in range(1 if quick() else 3):
        floor.append(_peak_mb(minimal_cmd(title), title))
        one.append(_peak_mb(termbrief_cmd(SAMPLE_BRIEF), title))
        many.append(_peak_mb(termbrief_cmd(folder), library_title))
    floor_mb, one_mb, many_mb = map(statistics.median, (floor, one, many))
    ratio = one_mb / floor_mb
    ratio_row = Row(
        case="8 peak memory, sample brief vs floor",
        figure=f"{ratio:.2f}× ({one_mb:.1f} MB vs {floor_mb:.1f} MB, n={len(one)})",
        target=f"≤ {RATIO_LIMIT:.2f}×",
        ok=ratio <= RATIO_LIMIT,
    )
    if not ratio_row["ok"]:
        app_mb, textual_mb = _import_mb("termbrief.ui.app"), _import_mb("textual.app")
        ratio_row["note"] = (
            f"importing termbrief.ui.app alone peaks at {app_mb:.1f} MB vs {textual_mb:.1f} MB "
            "for textual.app; the rest is the brief's screen (allocations below)"
        )
        ratio_row["profile"] = _app_allocations(SAMPLE_BRIEF)
    extra = many_mb - one_mb
    library_row = Row(
        case="8 peak memory, 2,000-brief library over sample brief",
        figure=f"+{extra:.1f} MB ({many_mb:.1f} MB vs {one_mb:.1f} MB, n={len(many)})",
        target=f"≤ +{LIBRARY_LIMIT_MB:.0f} MB",
        ok=extra <= LIBRARY_LIMIT_MB,
    )
    if not library_row["ok"]:
        yaml_mb = sum(p.stat().st_size for p in folder.rglob("*.yaml")) / 1e6
        library_row["note"] = (
            f"the library is {yaml_mb:.1f} MB of YAML; what stays in memory after loading it "
            "is in the profile"
        )
        library_row["profile"] = _library_allocations(folder)
    return [ratio_row, library_row]


def run() -> list[Row]:
    """Case 8."""
    return guarded("8 peak memory", f"≤ {RATIO_LIMIT}×, ≤ +{LIBRARY_LIMIT_MB:.0f} MB", _measure)
