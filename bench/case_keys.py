"""Case 5: keypress to frame, in-process (``run_test`` + Pilot), median.

Two keys of the reader: switching pane (``1``-``4`` on the sample brief's wide grid, and ``5``
and ``6`` which swap the grid for Timeline and Sources) and stepping to the next search match
(``n`` after a search). Each press is timed from sending the key to the first rendered frame in
which its effect holds (see ``common.key_to_frame``).

Run alone: ``python bench/case_keys.py``.
"""

from __future__ import annotations

import asyncio
import statistics
from pathlib import Path
from typing import Any

from common import (
    SAMPLE_BRIEF,
    HarnessError,
    KeyTiming,
    Row,
    guarded,
    isolate_this_process,
    key_to_frame,
    profile_key,
    quick,
)

TARGET_MS = 20.0
PANE_CASE = "5 keypress to frame: switch pane"
SEARCH_CASE = "5 keypress to frame: next search match"
SEARCH_QUERY = "China"
"""A word the sample brief uses in every pane, so ``n`` moves between panes too."""
PANE_KEYS = ("2", "3", "4", "1", "5", "6", "1")


def _section_of(app: Any) -> str | None:
    focused = app.focused
    # The pane's section, whether the pane is the focused widget or holds it.
    for node in focused.ancestors_with_self if focused is not None else ():
        section = getattr(node, "SECTION", "")
        if section:
            return str(section)
    return None


def _row(case: str, timings: list[KeyTiming], note: str = "") -> Row:
    target = f"≤ {TARGET_MS:.0f} ms"
    if not timings:
        return Row(case=case, figure="not measured", target=target, ok=False, note=note)
    median = statistics.median(t.frame_ms for t in timings)
    worst = max(t.frame_ms for t in timings)
    cpu = statistics.median(t.cpu_ms for t in timings)
    figure = f"{median:.1f} ms (max {worst:.1f}, CPU {cpu:.1f} ms, n={len(timings)})"
    row = Row(case=case, figure=figure, target=target, ok=median <= TARGET_MS)
    if note:
        row["note"] = note
    return row


async def _pane_switch(path: Path, rounds: int) -> list[Row]:
    from termbrief.core.sections import PANE_KEYS as PANE_SECTIONS
    from termbrief.ui.app import TermbriefApp

    app = TermbriefApp([path])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause(0.2)  # panes filled after the first frame, library loaded
        timings: list[KeyTiming] = []
        for _ in range(rounds):
            for key in PANE_KEYS:
                section = PANE_SECTIONS[int(key) - 1]
                timing = await key_to_frame(
                    pilot, key, lambda section=section: _section_of(app) == section
                )
                if timing is None:
                    raise HarnessError(f"key {key} did not focus the {section} pane")
                timings.append(timing)
                await pilot.pause()
        row = _row(PANE_CASE, timings)
        if not row["ok"]:
            row["profile"] = "pyinstrument, one pane switch:\n" + await profile_key(pilot, "2")
        return [row]


async def _search_step(path: Path, rounds: int) -> list[Row]:
    from termbrief.ui.app import TermbriefApp

    app = TermbriefApp([path])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bars = app.screen.query("SearchBar")
        if not bars:
            return [
                _row(
                    SEARCH_CASE,
                    [],
                    "the search bar (widgets/search_bar.py) is not wired into the brief "
                    "screen yet: nothing to step through",
                )
            ]
        bar = bars.first()
        await pilot.press("slash", *SEARCH_QUERY, "enter")
        await pilot.pause()
        timings: list[KeyTiming] = []
        for _ in range(rounds * 6):
            before = (getattr(bar, "count_text", ""), app.focused)
            timing = await key_to_frame(
                pilot,
                "n",
                lambda before=before: (getattr(bar, "count_text", ""), app.focused) != before,
            )
            if timing is None:
                return [_row(SEARCH_CASE, timings, "n did not move to another match")]
            timings.append(timing)
            await pilot.pause()
        row = _row(SEARCH_CASE, timings)
        if not row["ok"]:
            row["profile"] = "pyinstrument, one n press:\n" + await profile_key(pilot, "n")
        return [row]


def _run(coroutine: Any) -> list[Row]:
    isolate_this_process()
    if not SAMPLE_BRIEF.exists():
        raise HarnessError(f"{SAMPLE_BRIEF} does not exist")
    result: list[Row] = asyncio.run(coroutine)
    return result


def run() -> list[Row]:
    """Case 5: both rows, each measured even when the other fails."""
    rounds = 2 if quick() else 6
    return [
        *guarded(
            PANE_CASE, f"≤ {TARGET_MS:.0f} ms", lambda: _run(_pane_switch(SAMPLE_BRIEF, rounds))
        ),
        *guarded(
            SEARCH_CASE, f"≤ {TARGET_MS:.0f} ms", lambda: _run(_search_step(SAMPLE_BRIEF, rounds))
        ),
    ]


if __name__ == "__main__":
    for result_row in run():
        print({key: value for key, value in result_row.items() if key != "profile"})
