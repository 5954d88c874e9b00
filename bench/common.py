"""Shared machinery of the benchmarks: pty start-up timing, alternation, data sets, settings.

Start-up is measured as a whole process in a real pseudo-terminal (120x40, TERM=xterm-256color),
from just before ``fork`` until the awaited text is on screen: the output is read continuously,
escape sequences are removed, and the remaining text is searched. Every process gets fresh,
empty user folders (data, config, state, cache, home), so no run sees another run's state and
nothing touches the real home folder.

Settings for case modules (they are plain ``run()`` functions) travel in the environment:
``TERMBRIEF_BENCH_QUICK=1`` (fewer repetitions) and ``TERMBRIEF_BENCH_RUNS=N``; read them
with :func:`runs` and :func:`quick`.
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import fcntl
import functools
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NotRequired, TypedDict

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
"""The repository root (start-up commands run from here)."""
SAMPLE_BRIEF = ROOT / "briefs" / "china-police-cooperation.yaml"
MINIMAL_APP = BENCH_DIR / "minimal_app.py"
SIZE = (120, 40)
"""Terminal size (columns, rows) for every start-up run."""
NEEDLE_CHARS = 40
"""Characters of a title awaited on screen: long enough to be unambiguous, short enough to
fit on one line of a 120-column header without being cut."""
FRAME_MS = 1000 / 60
"""One frame at 60 Hz, the budget of a cursor move."""

# CSI, OSC, DCS/SOS/PM/APC strings, then any other two- or three-byte escape.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x1b]*\x1b\\"
    r"|\x1b[ -/]*[0-~]"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class HarnessError(RuntimeError):
    """The benchmark could not measure (the program failed, or never showed what we wait for)."""


class Row(TypedDict):
    """One line of the results table, as every ``case_*.run()`` returns them."""

    case: str
    """Starts with the case number of issue 6: ``"1 start-up, sample brief"``."""
    figure: str
    target: str
    ok: bool
    """Whether the target holds."""
    note: NotRequired[str]
    """Short: where the time goes when the target misses."""
    profile: NotRequired[str]
    """Long: a profile (importtime, pyinstrument) for the results file."""
    error: NotRequired[bool]
    """The case could not be measured (the harness or the program failed)."""


def error_row(case: str, target: str, error: BaseException) -> Row:
    """A row for a case that could not be measured, with the error in its note."""
    import traceback

    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    place = f" (at {Path(where.filename).name}:{where.lineno})" if where else ""
    return Row(
        case=case,
        figure="not measured",
        target=target,
        ok=False,
        note=f"{type(error).__name__}: {error}{place}",
        error=True,
    )


def guarded(case: str, target: str, measure: Callable[[], list[Row]]) -> list[Row]:
    """``measure()``, or one error row if it raises: one case failing never hides the others."""
    try:
        return measure()
    except Exception as error:
        return [error_row(case, target, error)]


def quick() -> bool:
    """Whether ``--quick`` was given (smoke test: fewer repetitions, numbers not meaningful)."""
    return os.environ.get("TERMBRIEF_BENCH_QUICK") == "1"


def runs(full: int = 10) -> int:
    """Repetitions per side: ``--runs N`` if given, 3 with ``--quick``, else ``full``."""
    if value := os.environ.get("TERMBRIEF_BENCH_RUNS"):
        return max(1, int(value))
    return 3 if quick() else full


# --- temporary data ------------------------------------------------------------------------


@functools.cache
def workdir() -> Path:
    """A temporary folder for this bench process, removed at exit."""
    path = Path(tempfile.mkdtemp(prefix="termbrief-bench-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def fresh_dir(prefix: str) -> Path:
    """A new empty folder under :func:`workdir`."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=workdir()))


@functools.cache
def library(n: int = 2000) -> tuple[Path, str]:
    """The generated library folder of ``n`` briefs and the title of the one opened first."""
    from generate import generate_library

    lib = generate_library(workdir() / f"library-{n}", n)
    return lib.folder, lib.first_title


@functools.cache
def huge_brief() -> tuple[Path, str]:
    """The generated huge brief and its title."""
    from generate import generate_huge_brief

    path = workdir() / "huge.yaml"
    return path, generate_huge_brief(path)


@functools.cache
def big_brief() -> tuple[Path, str]:
    """The generated ~2 MB brief and its title."""
    from generate import generate_big_brief

    path = workdir() / "big.yaml"
    return path, generate_big_brief(path)


def brief_title(path: Path) -> str:
    """A brief's title as termbrief loads it (its own loader when present, else plain YAML)."""
    try:
        from termbrief.core.loader import load_brief
    except ImportError:
        import yaml

        with path.open("rb") as file:
            return str(yaml.load(file, Loader=yaml.CSafeLoader)["title"])
    return load_brief(path).title


def needle(title: str) -> str:
    """What to wait for on screen for this title."""
    return title[:NEEDLE_CHARS].rstrip()


# --- environment ---------------------------------------------------------------------------


def isolated_env(base: Path | None = None) -> dict[str, str]:
    """Environment for one child: fresh user folders, fixed terminal, no inherited Textual or
    Python settings that would change behaviour (devtools, debug, colour)."""
    home = base if base is not None else fresh_dir("home-")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "PYTHON", "XDG_", "TERMBRIEF_", "NO_COLOR", "FORCE_"))
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        TERMBRIEF_DATA_DIR=str(home / "data" / "termbrief"),
        TERMBRIEF_CONFIG_DIR=str(home / "config" / "termbrief"),
        TERMBRIEF_CACHE_DIR=str(home / "cache" / "termbrief"),
        TERM="xterm-256color",
        COLUMNS=str(SIZE[0]),
        LINES=str(SIZE[1]),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    return env


def isolate_this_process() -> None:
    """Point this process's user folders at a temporary home (for in-process app runs)."""
    os.environ.update(
        {k: v for k, v in isolated_env().items() if k.startswith(("XDG_", "TERMBRIEF_", "HOME"))}
    )


# --- pty launches --------------------------------------------------------------------------


@dataclass(frozen=True)
class Launch:
    """One start-up in a pseudo-terminal."""

    seconds: float
    """From just before fork until the awaited text was on screen."""
    peak_rss_kib: int
    """Peak resident memory of the program (``VmHWM``, read just before it is ended; 0 when
    it had already exited). Not ``ru_maxrss``: Linux keeps in it the pre-exec peak, that is,
    the size of the forked copy of the bench process."""


def strip_terminal(text: str) -> str:
    """Text with every escape sequence and control character removed (what reads on screen,
    concatenated)."""
    return _CONTROL.sub("", _ESCAPE.sub("", text))


class _Screen:
    """Decodes pty output incrementally and keeps the visible text."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self.text = ""

    def feed(self, data: bytes) -> None:
        raw = self._pending + self._decoder.decode(data)
        cut = raw.rfind("\x1b")
        # Hold back a trailing escape sequence that may continue in the next read.
        if cut != -1 and not _complete(raw, cut):
            raw, self._pending = raw[:cut], raw[cut:]
        else:
            self._pending = ""
        self.text += strip_terminal(raw)


def _complete(text: str, start: int) -> bool:
    """Whether the escape sequence at ``start`` is whole (not cut off by the end of a read)."""
    match = _ESCAPE.match(text, start)
    if match is None:
        return False
    # "ESC [" alone also matches the two-byte form; it is the start of a CSI or string.
    return not (match.end() - start == 2 and text[start + 1] in "[]PX^_")


def _peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def launch(
    cmd: Sequence[str],
    wait_for: str,
    *,
    timeout: float = 60.0,
    settle: bool = False,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    on_found: Callable[[int], object] | None = None,
) -> Launch:
    """Start ``cmd`` in a 120x40 pty, wait until ``wait_for`` is on screen, then end it.

    With ``settle``, keep it running after that until it is idle (under 5% CPU over a second,
    at most 30 s), so the peak memory includes work done after the first frame (a library
    loading in a worker). ``on_found(master_fd)`` may act on the terminal instead of the
    default SIGTERM (used to quit cleanly under a profiler).

    Raises:
        HarnessError: the text never appeared (message has the end of the screen text).
    """
    env = env if env is not None else isolated_env()
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child: size the terminal before exec so the first frame has the right size
        try:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
            os.chdir(cwd)
            os.execve(cmd[0], list(cmd), env)
        finally:
            os._exit(127)
    screen = _Screen()
    found_at: float | None = None
    try:
        found_at = _read_until(fd, screen, wait_for, start + timeout)
        if found_at is None:
            elapsed = time.perf_counter() - start
            why = "the program ended" if elapsed < timeout else "timed out"
            tail = " ".join(screen.text[-600:].split())
            raise HarnessError(
                f"{wait_for!r} not on screen ({why} after {elapsed:.1f} s): "
                f"{' '.join(cmd[1:])}; screen text ends: {tail!r}"
            )
        if settle:
            _wait_idle(fd, pid, screen, time.perf_counter() + 30.0)
        peak = _peak_kib(pid)
        if on_found is not None:
            on_found(fd)
    finally:
        _end(pid, fd, screen, graceful=on_found is not None and found_at is not None)
    return Launch(found_at - start, peak)


def _read(fd: int, screen: _Screen, wait: float) -> bool:
    """Read what is there within ``wait`` seconds; False once the child has closed the pty."""
    ready, _, _ = select.select([fd], [], [], max(0.0, wait))
    if not ready:
        return True
    try:
        data = os.read(fd, 1 << 16)
    except OSError:  # EIO: the child side is closed
        return False
    if not data:
        return False
    screen.feed(data)
    return True


def _read_until(fd: int, screen: _Screen, wait_for: str, deadline: float) -> float | None:
    searched = 0
    while (now := time.perf_counter()) < deadline:
        if not _read(fd, screen, deadline - now):
            return None
        if wait_for in screen.text[max(0, searched - len(wait_for)) :]:
            return time.perf_counter()
        searched = len(screen.text)
    return None


def _wait_idle(fd: int, pid: int, screen: _Screen, deadline: float) -> None:
    window: list[tuple[float, float]] = []
    while (now := time.perf_counter()) < deadline:
        end = now + 0.1
        while time.perf_counter() < end:
            if not _read(fd, screen, end - time.perf_counter()):
                return
        window.append((time.perf_counter(), _cpu_seconds(pid)))
        window = [w for w in window if w[0] >= window[-1][0] - 1.0]
        span = window[-1][0] - window[0][0]
        if span >= 0.9 and window[-1][1] - window[0][1] < 0.05 * span:
            return


def _end(pid: int, fd: int, screen: _Screen, *, graceful: bool) -> None:
    """End the child and reap it.

    pty.fork made the child a session leader, so signalling its group reaches anything it
    started. The pty is drained meanwhile so the child never blocks writing its last output.
    """
    deadline = time.perf_counter() + (20.0 if graceful else 0.0)
    pending = [signal.SIGTERM, signal.SIGKILL]
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() >= deadline and pending:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, pending.pop(0))
            deadline = time.perf_counter() + 3.0
        if not _read(fd, screen, 0.05):
            time.sleep(0.01)
    os.close(fd)


# --- comparisons ---------------------------------------------------------------------------


@dataclass
class Paired:
    """Alternating measurements of A (the subject) and B (the floor)."""

    a: list[float] = field(default_factory=list)
    b: list[float] = field(default_factory=list)

    @property
    def median_a(self) -> float:
        return statistics.median(self.a)

    @property
    def median_b(self) -> float:
        return statistics.median(self.b)

    @property
    def ratio(self) -> float:
        """Median of A over median of B."""
        return self.median_a / self.median_b

    def figure(self, unit: str = "ms", scale: float = 1000.0) -> str:
        """``1.12× (612 ms vs 546 ms, n=10)``."""
        return (
            f"{self.ratio:.2f}× ({self.median_a * scale:.0f} {unit} vs "
            f"{self.median_b * scale:.0f} {unit}, n={len(self.a)})"
        )


def alternate(
    measure_a: Callable[[], float],
    measure_b: Callable[[], float],
    n: int,
    *,
    warmup: int = 1,
) -> Paired:
    """Run A, B, A, B, ... ``n`` times each after ``warmup`` discarded pairs (page cache, .pyc)."""
    for _ in range(warmup):
        measure_a()
        measure_b()
    paired = Paired()
    for _ in range(n):
        paired.a.append(measure_a())
        paired.b.append(measure_b())
    return paired


def time_process(cmd: Sequence[str], *, expect: int = 0, cwd: Path = ROOT) -> float:
    """Seconds a whole process takes (output discarded); its exit status must be ``expect``."""
    env = isolated_env()
    start = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode != expect:
        raise HarnessError(
            f"{' '.join(cmd[1:])} exited {done.returncode}, expected {expect}: "
            f"{done.stderr.decode(errors='replace')[-500:]}"
        )
    return seconds


def termbrief_cmd(*args: str | Path) -> list[str]:
    """The ``termbrief`` command as a user runs it: the console script installed next to the
    interpreter running the bench (its shebang is that interpreter); ``python -m termbrief``
    where there is no such script. (``-m`` alone costs ~4 ms more: runpy and importlib.util.)"""
    script = Path(sys.executable).with_name("termbrief")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), *map(str, args)]
    return [sys.executable, "-m", "termbrief", *map(str, args)]


def minimal_cmd(title: str) -> list[str]:
    """The floor: the minimal Textual app showing ``title``."""
    return [sys.executable, str(MINIMAL_APP), title]


def startup_seconds(cmd: Sequence[str], title: str, env: dict[str, str] | None = None) -> float:
    """Seconds from launch until ``title`` (its first characters) is on screen; with no
    ``env``, in fresh user folders (a first start: no settings, no cache)."""
    return launch(cmd, needle(title), env=env).seconds


# --- in-process key timing ----------------------------------------------------------------


@dataclass(frozen=True)
class KeyTiming:
    """One key press inside ``App.run_test``."""

    frame_ms: float
    """From sending the key until the first frame rendered with the expected state."""
    cpu_ms: float
    """Process CPU time meanwhile: the work done, without Pilot's idle waits."""


async def key_to_frame(
    pilot: Any, key: str, done: Callable[[], bool], timeout: float = 5.0
) -> KeyTiming | None:
    """Press ``key`` and time it until a frame is rendered in which ``done()`` holds.

    Wall-clock time around ``pilot.press`` would measure Pilot, not the app: it sleeps at
    least 2x20 ms per press waiting for idle. Instead the app's ``post_display_hook`` (called
    after every screen update, headless included: the compositor renders, only the write to
    the terminal is skipped) stamps the first frame after the key in which ``done()`` is true.
    That includes the wait for Textual's screen update timer (up to 1/60 s), as in a real
    terminal. Returns None when ``done()`` never held within ``timeout``.
    """
    app = pilot.app
    frames: list[float] = []

    def stamp() -> None:
        if not frames and done():
            frames.append(time.perf_counter())

    app.post_display_hook = stamp
    try:
        cpu = time.process_time()
        start = time.perf_counter()
        await pilot.press(key)
        while not frames and time.perf_counter() - start < timeout:
            await pilot.pause()
        cpu_ms = (time.process_time() - cpu) * 1000
    finally:
        del app.post_display_hook  # back to the class's no-op
    if not frames:
        return None
    return KeyTiming((frames[0] - start) * 1000, cpu_ms)


async def profile_key(pilot: Any, key: str, lines: int = 45) -> str:
    """pyinstrument text profile of one key press and the frame after it (in-process)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "pyinstrument not installed (pip install -e '.[bench]')"
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    await pilot.press(key)
    await pilot.pause()
    profiler.stop()
    text: str = profiler.output_text(color=False, unicode=True, show_all=False)
    return _trim(text, lines)


# --- profiles for targets that miss --------------------------------------------------------


def _import_rows(module: str) -> list[tuple[int, int, str]]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        cwd=ROOT,
        env=isolated_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise HarnessError(f"import {module} failed: {done.stderr.strip().splitlines()[-1:]}")
    rows: list[tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((int(parts[0]), int(parts[1]), parts[2].rstrip()))
    return rows


def import_ms(module: str, tries: int = 3) -> float:
    """Milliseconds to import ``module`` (and everything it imports) in a fresh interpreter;
    the best of ``tries``, since one import on a busy machine is noisy."""
    return min(
        sum(c for _, c, name in _import_rows(module) if not name.startswith("  ")) / 1000
        for _ in range(tries)
    )


def importtime(module: str, top: int = 10) -> str:
    """``python -X importtime -c 'import MODULE'``: total and the slowest ``top`` imports."""
    rows = _import_rows(module)
    total = sum(c for _, c, name in rows if not name.startswith("  "))
    lines = [f"python -X importtime -c 'import {module}': {total / 1000:.0f} ms in all"]
    lines.append("cumulative ms  self ms  module")
    for self_us, cumulative, name in sorted(rows, key=lambda r: -r[1])[:top]:
        lines.append(f"{cumulative / 1000:13.1f}  {self_us / 1000:7.1f}  {name.strip()}")
    return "\n".join(lines)


def startup_diagnosis(
    args: Sequence[str | Path],
    title: str,
    paired: Paired,
    target: Sequence[str] = ("-m", "termbrief"),
    env: dict[str, str] | None = None,
) -> tuple[str, str]:
    """A short note and a profile for a start-up that misses its target.

    The note compares the import cost of the app with Textual's own (the floor pays the
    latter); the profile has the slowest imports and a pyinstrument run up to the title.
    """
    extra = (paired.median_a - paired.median_b) * 1000
    try:
        app_ms, textual_ms = import_ms("termbrief.ui.app"), import_ms("textual.app")
        note = (
            f"{extra:.0f} ms over the floor; importing termbrief.ui.app costs "
            f"{app_ms - textual_ms:.0f} ms more than textual.app ({app_ms:.0f} vs "
            f"{textual_ms:.0f} ms), the rest is loading and building the screen (profile below)"
        )
        imports = importtime("termbrief.ui.app")
    except HarnessError as error:
        note, imports = f"{extra:.0f} ms over the floor", str(error)
    return note, imports + "\n\n" + pyinstrument_startup(args, title, target, env=env)


_PYINSTRUMENT = (
    sys.executable,
    "-m",
    "pyinstrument",
    "--renderer=text",
    "--no-color",
    "--unicode",
    "--show=*/termbrief/*",
)


def _trim(text: str, lines: int) -> str:
    kept = [line for line in text.splitlines() if line.strip()]
    more = f"\n... ({len(kept) - lines} more lines)" if len(kept) > lines else ""
    return "\n".join(kept[:lines]) + more


def pyinstrument_startup(
    args: Sequence[str | Path],
    title: str,
    target: Sequence[str] = ("-m", "termbrief"),
    lines: int = 70,
    env: dict[str, str] | None = None,
) -> str:
    """pyinstrument text profile of ``python -m termbrief ARGS`` (or another ``target``) in a
    pty, from launch until ``title`` is on screen and the app has quit (ctrl+q)."""
    out = fresh_dir("profile-") / "profile.txt"
    cmd = [*_PYINSTRUMENT, f"--outfile={out}", *target, *map(str, args)]
    try:
        launch(cmd, needle(title), env=env, on_found=lambda fd: os.write(fd, b"\x11"))
    except HarnessError as error:
        return f"profile failed: {error}"
    if not out.exists():
        return "profile failed: pyinstrument wrote nothing (the app did not quit on ctrl+q)"
    return _trim(out.read_text(errors="replace"), lines)


def pyinstrument_process(args: Sequence[str | Path], lines: int = 40) -> str:
    """pyinstrument text profile of ``python -m termbrief ARGS`` run to completion."""
    out = fresh_dir("profile-") / "profile.txt"
    subprocess.run(
        [*_PYINSTRUMENT, f"--outfile={out}", "-m", "termbrief", *map(str, args)],
        cwd=ROOT,
        env=isolated_env(),
        capture_output=True,
        check=False,
    )
    if not out.exists():
        return "profile failed: pyinstrument wrote nothing"
    return _trim(out.read_text(errors="replace"), lines)
