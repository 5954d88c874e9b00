"""Start-up: the opening plan and how it loads. Every path is forced by a fixture or a
parameter: one file, a small folder, a large folder with and without the library cache, a huge
first brief, the remembered brief, an invalid first brief."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from termbrief.core import startup
from termbrief.core.library import load_entry, save_cache
from termbrief.core.locations import library_cache_file
from termbrief.core.startup import OpeningPlan, plan_opening

LARGE_LIMIT = 4
"""Libraries larger than this count as large in these tests (EAGER_LOAD_LIMIT, lowered)."""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def brief(title: str, date: str = "2024-01-01", extra: str = "") -> str:
    return f"title: {title}\ndate: {date}\nsummary: Text of {title}.\n{extra}"


def library(folder: Path, count: int) -> list[Path]:
    """``count`` briefs, "Brief 000" to "Brief <count-1>"; the last is the newest (up to 28)."""
    return [
        write(folder / f"b{n:03}.yaml", brief(f"Brief {n:03}", f"2020-01-{1 + n % 28:02}"))
        for n in range(count)
    ]


@pytest.fixture
def large_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """Libraries of more than LARGE_LIMIT files open as large ones."""
    monkeypatch.setattr(startup, "EAGER_LOAD_LIMIT", LARGE_LIMIT)
    return LARGE_LIMIT


@pytest.fixture
def huge_briefs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every brief counts as too large to wait for."""
    monkeypatch.setattr(startup, "LARGE_BRIEF_BYTES", 10)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Holds every background load of a first brief until the event is set."""
    event = threading.Event()
    load_first = startup.load_first

    def held(plan: OpeningPlan) -> startup.FirstEntries:
        event.wait(30)
        return load_first(plan)

    monkeypatch.setattr(startup, "load_first", held)
    yield event
    event.set()


@pytest.fixture(params=["uncached", "cached"])
def cache_state(request: pytest.FixtureRequest) -> str:
    """Whether the library cache knows the library before it is opened (see ``opened``)."""
    return str(request.param)


def remember_library(files: list[Path]) -> None:
    """What a previous run left: the library cache of ``files``."""
    save_cache([load_entry(path) for path in files], library_cache_file())


# -- the plan -----------------------------------------------------------------------------------


def test_one_file_is_planned_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", brief("Alpha"))
    plan = plan_opening([path], last_brief=str(path))
    assert not plan.is_folder and not plan.eager and not plan.use_cache
    assert plan.files == (str(path),) and plan.first_path == path
    assert plan.remembered is None  # remembered briefs are for libraries
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None
    assert (
        loaded.first.loaded and loaded.first.title == "Alpha" and loaded.entries == (loaded.first,)
    )


def test_the_plan_is_frozen(tmp_path: Path) -> None:
    plan = plan_opening([write(tmp_path / "a.yaml", brief("Alpha"))])
    with pytest.raises(AttributeError):
        plan.files = ()  # type: ignore[misc]


@pytest.mark.parametrize("remembered", [None, "b001.yaml"])
def test_a_small_folder_loads_whole_before_the_first_frame(
    tmp_path: Path, remembered: str | None
) -> None:
    files = library(tmp_path / "lib", 3)
    last = str(tmp_path / "lib" / remembered) if remembered else None
    plan = plan_opening([tmp_path / "lib"], last)
    assert plan.is_folder and plan.eager and not plan.use_cache
    # Everything fits in the budget: the first brief and every other file load now.
    assert {*plan.candidates[0], *plan.early} == {str(path) for path in files}
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None
    assert [entry.title for entry in loaded.entries] == ["Brief 002", "Brief 001", "Brief 000"]
    assert all(entry.loaded for entry in loaded.entries)
    expected = files[1] if remembered else files[2]  # else the newest
    assert loaded.first.path == expected


def test_a_large_folder_shows_its_newest_brief_first(tmp_path: Path, large_limit: int) -> None:
    files = library(tmp_path / "lib", 10)
    plan = plan_opening([tmp_path / "lib"])
    assert plan.is_folder and plan.use_cache and not plan.eager and not plan.stubs
    assert plan.first_path == files[9]  # 2020-01-10, found by the date scan, nothing parsed
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None
    assert loaded.first.title == "Brief 009" and loaded.entries == (loaded.first,)


def test_the_rest_of_a_large_library_loads_after_the_first_brief(
    tmp_path: Path, large_limit: int, cache_state: str
) -> None:
    files = library(tmp_path / "lib", 8)
    if cache_state == "cached":
        remember_library(files)
    write(files[0], brief("Changed", "2030-01-01"))  # newer than all: found by the scan
    plan = plan_opening([tmp_path / "lib"])
    assert len(plan.stubs) == {"uncached": 0, "cached": 7}[cache_state]
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None
    assert loaded.first.title == "Changed" and loaded.first.path == files[0]

    stubs = startup.library_stubs(plan, loaded.entries)
    assert len(stubs) == len(plan.stubs) and not any(entry.loaded for entry in stubs)
    assert {entry.title for entry in stubs} <= {f"Brief {n:03}" for n in range(1, 8)}

    everything = startup.load_rest(plan, [*loaded.entries, *stubs])
    assert sorted(entry.path for entry in everything) == sorted(files)
    assert all(entry.loaded and entry.ok for entry in everything)
    assert everything[0].title == "Changed"  # newest first
    # The next start knows every file from the cache.
    again = plan_opening([tmp_path / "lib"])
    assert len(again.stubs) == 8 and again.first_path == files[0]


def test_the_cache_gives_stubs_only_for_unchanged_files(tmp_path: Path, large_limit: int) -> None:
    folder = tmp_path / "lib"
    files = library(folder, 6)
    bad = write(folder / "bad.yaml", "title: [\n")
    remember_library([*files, bad])
    stubs = startup.library_stubs(plan_opening([folder]), ())
    assert len(stubs) == 7 and not any(entry.loaded for entry in stubs)
    assert next(entry for entry in stubs if entry.path == bad).ok is False

    # An edit that keeps the size still changes the nanosecond mtime: never a stale title.
    write(files[0], brief("Brief 00X", "2020-01-01"))
    os.utime(files[1], ns=(1, 1))
    plan = plan_opening([folder])
    assert set(plan.stubs) == {str(path) for path in [*files[2:], bad]}
    stub = next(entry for entry in startup.library_stubs(plan, ()) if entry.path == bad)
    full = startup.load_rest(plan, [stub])
    invalid = next(entry for entry in full if entry.path == bad)
    assert invalid.loaded and invalid.problems and invalid.problems[0].path == str(bad)
    assert "Brief 00X" in {entry.title for entry in full}


def test_a_damaged_library_cache_is_ignored(tmp_path: Path, large_limit: int) -> None:
    files = library(tmp_path / "lib", 6)
    library_cache_file().parent.mkdir(parents=True, exist_ok=True)
    library_cache_file().write_bytes(b"\x00not json")
    plan = plan_opening([tmp_path / "lib"])
    assert not plan.stubs and plan.first_path == files[5]


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_remembered_brief_comes_first(tmp_path: Path, size: str) -> None:
    count = 3 if size == "small" else 10
    files = library(tmp_path / "lib", count)
    limit = startup.EAGER_LOAD_LIMIT if size == "small" else LARGE_LIMIT
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(startup, "EAGER_LOAD_LIMIT", limit)
        plan = plan_opening([tmp_path / "lib"], str(files[0].resolve()))
        assert plan.eager is (size == "small")
        loaded = startup.load_now(plan)
    assert plan.remembered == str(files[0])
    assert loaded is not None and loaded.first is not None
    assert loaded.first.title == "Brief 000"  # the oldest, but the one read last


def test_the_remembered_brief_is_found_through_a_symlink(tmp_path: Path) -> None:
    files = library(tmp_path / "real", 3)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    linked = [tmp_path / "link" / path.name for path in files]
    assert startup.remembered_path(str(files[1]), linked) == linked[1]
    assert startup.remembered_path(str(files[1]), files) == files[1]
    assert startup.remembered_path(str(tmp_path / "gone.yaml"), files) is None
    assert startup.remembered_path(None, files) is None


def test_an_invalid_newest_brief_gives_way_to_the_next_valid_one(
    tmp_path: Path, large_limit: int
) -> None:
    folder = tmp_path / "lib"
    library(folder, 4)  # 2020-01-01 to 2020-01-04
    write(folder / "x.yaml", brief("Valid", "2021-01-01"))
    broken = write(folder / "y.yaml", "title: Broken\ndate: 2022-01-01\nsummary: [\n")
    plan = plan_opening([folder])
    assert plan.first_path == broken
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None
    assert loaded.first.title == "Valid"
    assert [entry.title for entry in loaded.entries] == ["Valid", "y.yaml"]  # invalid last
    assert len(startup.load_rest(plan, loaded.entries)) == 6


def test_an_invalid_single_file_shows_its_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yaml", "title: [\n")
    loaded = startup.load_now(plan_opening([path]))
    assert loaded is not None and loaded.first is not None
    assert not loaded.first.ok and loaded.first.problems[0].path == str(path)


def test_briefs_sharing_the_newest_date_are_listed_by_title(
    tmp_path: Path, large_limit: int
) -> None:
    folder = tmp_path / "lib"
    library(folder, 3)
    write(folder / "y.yaml", brief("Zulu", "2022-01-01"))
    write(folder / "z.yaml", brief("Alpha", "2022-01-01"))
    plan = plan_opening([folder])
    assert plan.candidates[0] == (str(folder / "y.yaml"), str(folder / "z.yaml"))
    assert plan.first_path is None  # two candidates: both are loaded before the first frame
    loaded = startup.load_now(plan)
    assert loaded is not None and loaded.first is not None
    assert loaded.first.title == "Alpha"
    assert [entry.title for entry in loaded.entries] == ["Alpha", "Zulu"]


def test_an_empty_folder_opens_on_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    plan = plan_opening([tmp_path / "empty"])
    assert plan.is_folder and not plan.files and not plan.eager
    assert startup.load_now(plan) == startup.FirstEntries((), None)


# -- a huge first brief -----------------------------------------------------------------------


def test_a_huge_brief_is_loaded_in_the_background_then_from_the_cache(
    tmp_path: Path, huge_briefs: None
) -> None:
    path = write(tmp_path / "huge.yaml", brief("Huge", "2023-05-06"))
    plan = plan_opening([path])
    assert startup.load_now(plan) is None  # too large to wait for, and not in the cache
    shown = startup.placeholder(path)
    assert not shown.loaded and shown.title == "Huge" and str(shown.date) == "2023-05-06"
    loaded = startup.load_in_background(plan).result(timeout=30)
    assert loaded.first is not None and loaded.first.loaded and loaded.first.title == "Huge"
    # Loading stored it in the brief cache: the next start shows it at once.
    again = startup.load_now(plan_opening([path]))
    assert again is not None and again.first is not None and again.first.title == "Huge"


def test_a_background_load_that_fails_reports_through_its_future(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(plan: OpeningPlan) -> startup.FirstEntries:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(startup, "load_first", broken)
    future = startup.load_in_background(plan_opening([write(tmp_path / "a.yaml", brief("A"))]))
    with pytest.raises(RuntimeError, match="disk on fire"):
        future.result(timeout=30)


def test_a_process_never_waits_for_a_background_load_to_end(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", brief("Alpha"))
    code = (
        "import time; from pathlib import Path; from termbrief.core import startup; "
        "startup.load_first = lambda plan: time.sleep(60); "
        f"startup.load_in_background(startup.plan_opening([Path({str(path)!r})])); "
        "print('done')"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=50)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done" and time.monotonic() - started < 30


def test_scan_header_reads_the_start_of_a_large_file(tmp_path: Path) -> None:
    filler = "".join(f"  - label: Figure {n}\n    value: {n}\n" for n in range(20_000))
    text = (
        'id: big\ntitle: "Big \\x1b]0;evil\\x07 one"\ndate: 2025-06-30\n'
        "tags: [a, b]\nregions:\n  - North\n  - South\nsummary: S\nfigures:\n" + filler
    )
    path = write(tmp_path / "big.yaml", text)
    assert path.stat().st_size > startup.HEADER_SCAN_BYTES
    stub = startup.scan_header(path)
    assert stub is not None
    assert (stub.id, stub.date.isoformat() if stub.date else None) == ("big", "2025-06-30")
    assert stub.tags == ("a", "b") and stub.regions == ("North", "South")
    # Unvalidated: the header shows it through safe.one_line, which replaces controls.
    from termbrief.ui.panes.brief_header import header_content

    shown = header_content(startup.placeholder(path)).plain
    assert "\x1b" not in shown and "\x07" not in shown and "Big" in shown and "loading" in shown


def test_scan_header_without_a_title_gives_none(tmp_path: Path) -> None:
    assert startup.scan_header(write(tmp_path / "a.yaml", "summary: S\n")) is None
    assert startup.scan_header(write(tmp_path / "b.yaml", "title: [unclosed\n")) is None
    assert startup.scan_header(tmp_path / "missing.yaml") is None
    assert startup.placeholder(tmp_path / "b.yaml").title == "b.yaml"


def test_the_start_up_module_imports_neither_textual_nor_yaml() -> None:
    code = (
        "import sys, termbrief.core.startup; "
        "print(sorted(m for m in ('textual', 'yaml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- the app ------------------------------------------------------------------------------------


async def wait_until(pilot: object, condition: Callable[[], bool], timeout: float = 10) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        await pilot.pause(0.02)


def test_a_small_brief_is_loaded_when_the_app_is_made() -> None:
    from termbrief.ui.app import TermbriefApp
    from ui_fixtures import ALPHA

    app = TermbriefApp([ALPHA])
    assert app.current is not None and app.current.loaded and app.current.title
    assert app.entries == (app.current,)


async def test_a_huge_brief_shows_its_header_then_fills_the_panes(
    huge_briefs: None, gate: threading.Event
) -> None:
    from termbrief.ui.app import TermbriefApp
    from termbrief.ui.widgets.record_table import RecordTable
    from ui_fixtures import ALPHA, WIDE, brief_screen, screen_text

    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        placeholder = app.current
        assert placeholder is not None and not placeholder.loaded
        assert "loading" in screen_text(app) and placeholder.title in screen_text(app)
        assert brief_screen(app).query_one("#figures-table", RecordTable).row_count == 0
        gate.set()
        await wait_until(pilot, lambda: app.current is not placeholder)
        await pilot.pause()
        assert app.current is not None and app.current.loaded and app.current.ok
        assert brief_screen(app).entry is app.current
        assert brief_screen(app).query_one("#figures-table", RecordTable).row_count > 0
        assert "loading" not in screen_text(app)


async def test_quitting_does_not_wait_for_a_huge_brief(
    huge_briefs: None, gate: threading.Event
) -> None:
    from termbrief.ui.app import TermbriefApp
    from ui_fixtures import ALPHA, WIDE

    app = TermbriefApp([ALPHA])
    started = time.monotonic()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.current is not None and not app.current.loaded
    assert time.monotonic() - started < 10  # the gate holds the load for 30 s


async def test_a_large_library_opens_on_its_newest_brief_then_lists_everything(
    tmp_path: Path, large_limit: int, cache_state: str
) -> None:
    from termbrief.ui.app import TermbriefApp

    files = library(tmp_path / "lib", 6)
    if cache_state == "cached":
        remember_library(files)
    app = TermbriefApp([tmp_path / "lib"])
    assert app.current is not None and app.current.title == "Brief 005"
    assert len(app.entries) == 1  # the rest after the first frame
    async with app.run_test(size=(120, 40)) as pilot:

        def complete() -> bool:
            return len(app.entries) == 6 and all(entry.loaded for entry in app.entries)

        await wait_until(pilot, complete)
        assert sorted(entry.path for entry in app.entries) == sorted(files)
        assert all(entry.ok for entry in app.entries)
        assert app.entries[0].title == "Brief 005"  # newest first
        assert app.entries[0] is app.current  # the entry on screen is kept, not redrawn
    assert library_cache_file().exists()


@pytest.mark.parametrize("limit", [4, 64])
def test_a_fifo_named_like_a_brief_never_blocks_the_start(tmp_path: Path, limit: int) -> None:
    # The date scan of a library, the budget of a small one and the header scan of a huge brief
    # read files before the first frame: a FIFO among them must be passed over, not waited on.
    # In a child process, so a regression fails on the time limit instead of hanging the suite.
    folder = tmp_path / "lib"
    library(folder, 10)
    fifo = folder / "zz-newest.yaml"
    os.mkfifo(fifo)
    code = (
        "from pathlib import Path; from termbrief.core import startup; "
        f"startup.EAGER_LOAD_LIMIT = {limit}; "
        f"plan = startup.plan_opening([Path({str(folder)!r})]); "
        "loaded = startup.load_now(plan); "
        f"shown = startup.placeholder(Path({str(fifo)!r})); "
        "print(loaded.first.title, shown.loaded)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Brief", "009", "False"]
