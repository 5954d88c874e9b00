"""Case 9: hostile input (issue 15) — a library of every hostile file at once, and aliases.

- **First frame of a hostile library**: a folder holding, at once, a FIFO named ``*.yaml``, a
  ``*.yaml`` link to ``/dev/zero``, a figure value beyond 64 bits, alias bombs at the edge of
  the loader's budgets (10,001 commentary entries sharing one text: the longest text it accepts,
  and one character more), invalid YAML and a file name that is not UTF-8, next to the three
  sample briefs. The reader's first frame on it (launch to
  the title on screen, as cases 1-2) is a ratio against its first frame on the sample library
  (``briefs/``), launches alternating. ``termbrief check`` on the folder must end within 10 s
  with exit 1 and count every bad file; the reader's start-up (its opening plan, what it loads
  before the first frame and what after) must show the newest sample brief first and list
  every bad file with a problem.
- **Peak memory on the worst alias brief** (measured as case 8): the largest expansion the
  loader accepts, found by asking the loader itself (a binary search on the length of the
  aliased text), shaped as the reader pays most for it (see :data:`SHORT_PARAGRAPHS`), against
  opening the sample brief. When the reader is still busy as the wait for idle ends, the figure
  is marked as a lower bound (``≥``). The note adds the long-prose alias bomb of issue 15 at the
  same budget.

Everything is built by the case in a temporary folder and removed when the run ends.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

from case_memory import _app_allocations, _peak_mb
from common import (
    ROOT,
    SAMPLE_BRIEF,
    HarnessError,
    Paired,
    Row,
    alternate,
    brief_title,
    fresh_dir,
    guarded,
    isolated_env,
    launch,
    needle,
    pyinstrument_startup,
    quick,
    runs,
    startup_seconds,
    termbrief_cmd,
)

SAMPLE_LIBRARY = ROOT / "briefs"
FRAME_CASE = "9 first frame, hostile library vs sample library"
FRAME_LIMIT = 2.0
CHECK_LIMIT_S = 10.0
CHECK_TIMEOUT_S = 60.0
"""How long ``check`` may run before the bench gives up on it (a hang is a miss, not a wait)."""
MEMORY_CASE = "9 peak memory, worst alias brief vs sample brief"
MEMORY_LIMIT = 2.0
IDLE_CAP_S = 30.0
"""``common.launch(settle=True)`` stops waiting for idle this long after the first frame."""
FIRST_FRAME_TIMEOUT_S = 120.0
"""The worst alias brief's first frame lays out thousands of paragraphs: give it time."""
ALIAS_TITLE = "Alias brief: one text referenced many times"
OLD_DATE = "2000-01-01"
"""Older than every sample brief: the hostile library still shows the newest sample first."""
COMMENTARY_ENTRIES = 10_001
"""Commentary entries, each the anchored text or an alias of it: one alias adds one node, so
this many entries sit at the loader's budget of 10,000 extra nodes."""
PROSE = "word "
"""The aliased text of the library's alias bombs: plain prose, wrapped by the panes."""
SHORT_PARAGRAPHS = "x\n\n"
"""The aliased text of the worst alias brief: one-word Markdown paragraphs. The reader's memory
grows with the lines it lays out, and this makes a line of every three bytes (of the shapes
tried — prose, list items, headings, quotes, key points, figures, actors, timeline — the most
memory per byte expanded)."""
WORST_ENTRIES = 100
"""Entries of the worst alias brief: fewer, longer texts than :data:`COMMENTARY_ENTRIES` load
faster and cost the reader as much."""


# --- building the hostile files ---------------------------------------------------------------


def _alias_brief(text: str, entries: int) -> str:
    """A valid brief whose commentary is ``entries`` entries sharing one body, ``text``: the
    first holds it under an anchor, the others are aliases of it."""
    body = json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar
    lines = [
        f"title: {json.dumps(ALIAS_TITLE)}",
        f"date: {OLD_DATE}",
        'summary: "A brief whose commentary repeats one text through YAML aliases."',
        "commentary:",
        f"  - {{author: a, body: &text {body}}}",
        *(["  - {author: a, body: *text}"] * (entries - 1)),
    ]
    return "\n".join(lines) + "\n"


def _refusal(text: str) -> str | None:
    """None if the loader accepts ``text``, else its first problem."""
    from termbrief.core.loader import BriefError, load_brief_text

    try:
        load_brief_text(text, "alias.yaml")
    except BriefError as error:
        return error.message
    return None


def _body(unit: str, length: int) -> str:
    """``unit`` repeated to ``length`` characters."""
    return (unit * (length // len(unit) + 1))[:length]


@functools.cache
def _alias_edge(unit: str, entries: int) -> int:
    """The longest body (``unit`` repeated) that an alias brief of ``entries`` entries may
    share: the loader accepts it, and refuses one character more for its alias budget. The
    loader itself is asked (a binary search), so the edge follows whatever its rule is."""
    from termbrief.core.loader import DEFAULT_MAX_BYTES

    def brief(length: int) -> str:
        return _alias_brief(_body(unit, length), entries)

    if (problem := _refusal(brief(1))) is not None:
        raise HarnessError(f"the loader refuses even a short alias brief: {problem}")
    low, high = 1, max(2, DEFAULT_MAX_BYTES // entries)  # the edge if the budget is the size limit
    while _refusal(brief(high)) is None:
        low, high = high, high * 2
        if high > 1 << 40:
            raise HarnessError("the loader accepts aliases of any length: no alias budget")
    while high - low > 1:
        middle = (low + high) // 2
        if _refusal(brief(middle)) is None:
            low = middle
        else:
            high = middle
    problem = _refusal(brief(high))
    if problem is None or "alias" not in problem:
        raise HarnessError(f"one character more is refused, but not for its aliases: {problem}")
    return low


def _invalid_brief(title: str) -> str:
    """A brief that parses but is not valid (no summary)."""
    return f"title: {json.dumps(title)}\ndate: {OLD_DATE}\n"


BAD_FILES = (
    "fifo.yaml",
    "dev-zero.yaml",
    "huge-number.yaml",
    "alias-refused.yaml",
    "invalid-yaml.yaml",
    os.fsdecode(b"name-\xff\xfe-not-utf8.yaml"),
)
"""The files of the hostile library that must be listed with a problem."""


def _hostile_library() -> Path:
    """The hostile library folder (see the module docstring), built anew."""
    folder = fresh_dir("hostile-")
    for sample in sorted(SAMPLE_LIBRARY.glob("*.yaml")):
        shutil.copy(sample, folder / sample.name)
    os.mkfifo(folder / "fifo.yaml")
    (folder / "dev-zero.yaml").symlink_to("/dev/zero")
    (folder / "huge-number.yaml").write_text(
        f'title: "Huge number"\ndate: {OLD_DATE}\nsummary: "A figure beyond 64 bits."\n'
        'figures:\n  - {label: "Too many", value: 18446744073709551616}\n',
        encoding="utf-8",
    )
    longest = _alias_edge(PROSE, COMMENTARY_ENTRIES)
    for name, length in (("alias-accepted.yaml", longest), ("alias-refused.yaml", longest + 1)):
        text = _alias_brief(_body(PROSE, length), COMMENTARY_ENTRIES)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "invalid-yaml.yaml").write_text(
        f'title: "Invalid YAML"\ndate: {OLD_DATE}\nsummary: [unclosed\n', encoding="utf-8"
    )
    (folder / BAD_FILES[-1]).write_text(_invalid_brief("Name not UTF-8"), encoding="utf-8")
    return folder


def _names(names: Iterable[str]) -> str:
    """File names for a note, the bytes of a name that is not UTF-8 as ``\\xff`` escapes."""
    return ", ".join(ascii(os.fsencode(name))[2:-1] for name in names)


# --- first frame and check --------------------------------------------------------------------


def _first_title(folder: Path) -> tuple[str, list[str], list[str]]:
    """The title the reader shows first on ``folder``, the names of the files its library
    lists with a problem once loaded, and the names of the files it leaves for after the first
    frame (the reader's own start-up steps, in this process)."""
    from termbrief.core.startup import load_now, load_rest, plan_opening

    plan = plan_opening([folder])
    first = load_now(plan)
    if first is None or first.first is None or not first.first.ok:
        raise HarnessError(f"no valid brief shown first in {folder}")
    entries = load_rest(plan, first.entries)
    before = {entry.path for entry in first.entries}
    return (
        first.first.title,
        sorted(e.path.name for e in entries if not e.ok and e.problems),
        sorted(e.path.name for e in entries if e.path not in before),
    )


def _check(folder: Path) -> tuple[bool, str]:
    """``termbrief check FOLDER``: whether it ends within the limit with exit 1 having counted
    every bad file, and what it did."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            termbrief_cmd("check", folder),
            cwd=ROOT,
            env=isolated_env(),
            capture_output=True,
            timeout=CHECK_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, f"check did not end within {CHECK_TIMEOUT_S:.0f} s"
    seconds = time.perf_counter() - start
    counted = re.search(rb"(\d+) invalid", done.stdout)
    invalid = int(counted.group(1)) if counted else 0
    text = (
        f"check: exit {done.returncode} in {seconds:.1f} s, {invalid} files invalid "
        f"(of {len(BAD_FILES)} bad)"
    )
    if done.returncode not in (0, 1):
        text += f" ({done.stderr.decode(errors='replace').strip()[-300:]!r})"
    holds = done.returncode == 1 and seconds <= CHECK_LIMIT_S and invalid == len(BAD_FILES)
    return holds, text


def _first_frame() -> list[Row]:
    folder = _hostile_library()
    title, _, _ = _first_title(SAMPLE_LIBRARY)
    paired: Paired = alternate(
        lambda: startup_seconds(termbrief_cmd(folder), title),
        lambda: startup_seconds(termbrief_cmd(SAMPLE_LIBRARY), title),
        runs(),
    )
    checked, check_text = _check(folder)
    shown, listed, later = _first_title(folder)
    missing = sorted(set(BAD_FILES) - set(listed))
    problems = []
    if shown != title:
        problems.append(f"the hostile library shows {shown!r} first, not {title!r}")
    if missing:
        problems.append(f"its library lists no problem for {_names(missing)}")
    row = Row(
        case=FRAME_CASE,
        figure=f"{paired.figure()}; {check_text}",
        target=f"≤ {FRAME_LIMIT:.2f}×; check ≤ {CHECK_LIMIT_S:.0f} s, exit 1",
        ok=paired.ratio <= FRAME_LIMIT and checked and not problems,
    )
    row["note"] = (
        f"{len(BAD_FILES)} bad files ({_names(BAD_FILES)}) next to 4 valid "
        "ones (the samples and the largest alias brief the loader accepts: "
        f"{COMMENTARY_ENTRIES:,} commentary entries sharing one text)"
        + (f"; {'; '.join(problems)}" if problems else "; each bad file is listed with a problem")
        + f". Loaded after the first frame: {_names(later) or 'nothing'}"
    )
    if paired.ratio > FRAME_LIMIT:
        row["note"] += ". " + _load_costs(folder)
        row["profile"] = pyinstrument_startup([folder], title)
    return [row]


def _load_costs(folder: Path, top: int = 3) -> str:
    """CPU time of loading each file of ``folder`` (in this process, no cache): what the first
    frame would wait for if it loaded them."""
    from termbrief.core.library import find_brief_files
    from termbrief.core.loader import BriefError, load_brief

    load_brief(SAMPLE_BRIEF)  # imports and first-use costs out of the way
    costs: list[tuple[float, str]] = []
    for path in find_brief_files([folder]):
        start = time.process_time()
        with contextlib.suppress(BriefError):
            load_brief(path)
        costs.append(((time.process_time() - start) * 1000, _names([path.name])))
    costs.sort(reverse=True)
    shown = ", ".join(f"{name} {ms:.0f} ms" for ms, name in costs[:top])
    rest = sum(ms for ms, _ in costs[top:])
    return (
        f"Loading each file (CPU, in-process): {shown}; the other "
        f"{len(costs) - top} files {rest:.0f} ms together"
    )


# --- peak memory ----------------------------------------------------------------------------


def _timed_peak(cmd: list[str], title: str) -> tuple[float, bool]:
    """Peak MB measured as case 8 does (title on screen, then idle), and whether the reader was
    still busy when the bench stopped waiting for idle: the peak is then a lower bound."""
    start = time.perf_counter()
    launched = launch(cmd, needle(title), settle=True, timeout=FIRST_FRAME_TIMEOUT_S)
    if not launched.peak_rss_kib:
        raise HarnessError(f"no peak memory for {' '.join(cmd[1:])} (it exited by itself?)")
    busy = time.perf_counter() - start - launched.seconds >= IDLE_CAP_S
    return launched.peak_rss_kib * 1024 / 1e6, busy


def _memory() -> list[Row]:
    folder = fresh_dir("alias-")
    paths: dict[str, Path] = {}
    expanded: dict[str, int] = {}
    for name, unit, entries in (
        ("worst", SHORT_PARAGRAPHS, WORST_ENTRIES),
        ("prose", PROSE, COMMENTARY_ENTRIES),
    ):
        length = _alias_edge(unit, entries)
        expanded[name] = length * entries
        paths[name] = folder / f"alias-{name}.yaml"
        paths[name].write_text(_alias_brief(_body(unit, length), entries), encoding="utf-8")
    title = brief_title(SAMPLE_BRIEF)
    sample = [_peak_mb(termbrief_cmd(SAMPLE_BRIEF), title) for _ in range(1 if quick() else 3)]
    worst_mb, capped = _timed_peak(termbrief_cmd(paths["worst"]), ALIAS_TITLE)
    prose_mb, _ = _timed_peak(termbrief_cmd(paths["prose"]), ALIAS_TITLE)
    sample_mb = statistics.median(sample)
    ratio = worst_mb / sample_mb
    bound = "≥ " if capped else ""
    row = Row(
        case=MEMORY_CASE,
        figure=f"{bound}{ratio:.2f}× ({bound}{worst_mb:.0f} MB vs {sample_mb:.1f} MB)",
        target=f"≤ {MEMORY_LIMIT:.2f}×",
        ok=ratio <= MEMORY_LIMIT,
    )
    size_kb = paths["worst"].stat().st_size / 1e3
    worst_expanded_mb = expanded["worst"] / 1e6
    row["note"] = (
        f"worst: a {size_kb:.0f} KB file, {WORST_ENTRIES} commentary entries sharing one text "
        f"of one-word paragraphs, {worst_expanded_mb:.1f} MB once expanded (one character "
        "more is refused)"
        + (
            f"; the reader was still busy {IDLE_CAP_S:.0f} s after its first frame, when the "
            "bench stops waiting for idle, so its peak was still growing"
            if capped
            else ""
        )
        + f". The long-string bomb of issue 15 at the same budget ({COMMENTARY_ENTRIES:,} "
        f"entries sharing one text of prose): {prose_mb:.0f} MB, {prose_mb / sample_mb:.2f}×."
    )
    if not row["ok"]:
        row["profile"] = _small_worst_allocations(folder)
    return [row]


def _small_worst_allocations(folder: Path) -> str:
    """Where the memory goes, on the worst shape at a small fraction of the budget (in-process,
    under tracemalloc: the whole budget would take minutes and gigabytes here)."""
    path = folder / "alias-small.yaml"
    text = SHORT_PARAGRAPHS * 2_000
    entries = 10
    path.write_text(_alias_brief(text, entries), encoding="utf-8")
    return (
        f"The worst shape at {len(text) * entries / 1e3:.0f} KB expanded ({entries} entries "
        f"sharing {len(text):,} characters):\n" + _app_allocations(path)
    )


def run() -> list[Row]:
    """Case 9; each part measured even when the other fails."""
    return [
        *guarded(FRAME_CASE, f"≤ {FRAME_LIMIT:.2f}×, check ≤ {CHECK_LIMIT_S:.0f} s", _first_frame),
        *guarded(MEMORY_CASE, f"≤ {MEMORY_LIMIT:.2f}×", _memory),
    ]
