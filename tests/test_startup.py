"""Start-up loading (performance helper): the first brief parsed in a helper process, huge
briefs shown from their header first, large libraries from the library cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from termbrief.core import preload, startup
from termbrief.core.library import load_entry, save_cache, stub_entries
from termbrief.core.locations import library_cache_file


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def brief(title: str, date: str = "2024-01-01", extra: str = "") -> str:
    return f"title: {title}\ndate: {date}\nsummary: Text of {title}.\n{extra}"


def run_python(code: str, tmp_path: Path) -> str:
    """Run ``code`` in a fresh interpreter with its cache under ``tmp_path``; its output."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


# -- preload ------------------------------------------------------------------------------------


def test_a_brief_loads_in_a_helper_process_and_is_cached(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", brief("Alpha", extra="tags: [x, y]\n"))
    pending = preload.start_loading(path)
    entry = pending.result()
    assert entry.ok and entry.loaded and entry.title == "Alpha" and entry.tags == ("x", "y")
    assert entry == load_entry(path)
    # The helper stored it in the brief cache: the next start decodes it at once, no process.
    again = preload.start_loading(path)
    assert again.done and again.result().title == "Alpha"


def test_an_invalid_brief_reports_its_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yaml", "title: [\n")
    entry = preload.start_loading(path).result()
    assert not entry.ok and entry.problems and entry.problems[0].path == str(path)


def test_without_fork_the_brief_loads_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preload, "can_fork", lambda: False)
    path = write(tmp_path / "a.yaml", brief("Alpha"))
    pending = preload.start_loading(path)
    assert not pending.done
    assert pending.result().title == "Alpha"


def test_a_helper_process_is_reaped_when_cancelled(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", brief("Alpha"))
    pending = preload.start_loading(path)
    pid = pending._pid
    pending.cancel()
    if pid:  # forked: the child is gone (reaped, not a zombie)
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    assert pending.result().brief is None  # still answers, without loading it here


def test_the_parent_never_imports_yaml_for_a_cached_or_forked_brief(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", brief("Alpha"))
    code = (
        "import sys; from pathlib import Path; from termbrief.core.preload import start_loading; "
        f"entry = start_loading(Path({str(path)!r})).result(); "
        "print(entry.title, 'yaml' in sys.modules)"
    )
    expected = "Alpha False" if sys.platform.startswith("linux") else "Alpha True"
    assert run_python(code, tmp_path) == expected


def test_scan_header_reads_the_start_of_a_large_file(tmp_path: Path) -> None:
    filler = "".join(f"  - label: Figure {n}\n    value: {n}\n" for n in range(20_000))
    text = (
        'id: big\ntitle: "Big \\x1b]0;evil\\x07 one"\ndate: 2025-06-30\n'
        "tags: [a, b]\nregions:\n  - North\n  - South\nsummary: S\nfigures:\n" + filler
    )
    path = write(tmp_path / "big.yaml", text)
    assert path.stat().st_size > preload.HEADER_SCAN_BYTES
    stub = preload.scan_header(path)
    assert stub is not None
    assert (stub.id, stub.date.isoformat() if stub.date else None) == ("big", "2025-06-30")
    assert stub.tags == ("a", "b") and stub.regions == ("North", "South")
    # Unvalidated: the header shows it through safe.one_line, which replaces controls.
    from termbrief.ui.panes.brief_header import header_content

    shown = header_content(startup.placeholder(path, stub)).plain
    assert "\x1b" not in shown and "\x07" not in shown and "Big" in shown and "loading" in shown


def test_scan_header_without_a_title_gives_none(tmp_path: Path) -> None:
    assert preload.scan_header(write(tmp_path / "a.yaml", "summary: S\n")) is None
    assert preload.scan_header(write(tmp_path / "b.yaml", "title: [unclosed\n")) is None
    assert preload.scan_header(tmp_path / "missing.yaml") is None


# -- startup ------------------------------------------------------------------------------------


def test_a_small_file_is_waited_for_a_large_one_shown_from_its_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = write(tmp_path / "small.yaml", brief("Small"))
    opening = startup.open_paths([small])
    assert not opening.is_folder and opening.first is not None
    if opening.loading is not None:  # not cached yet: a placeholder until resolved
        assert opening.wait and not opening.first.loaded
    [entry] = startup.resolve(opening)
    assert entry.loaded and entry.title == "Small"

    monkeypatch.setattr(startup, "LARGE_BRIEF_BYTES", 10)
    large = write(tmp_path / "large.yaml", brief("Large", "2023-05-06"))
    opening = startup.open_paths([large])
    assert opening.loading is not None and not opening.wait
    assert opening.first is not None and not opening.first.loaded
    assert opening.first.title == "Large" and str(opening.first.date) == "2023-05-06"
    assert startup.resolve(opening)[0].title == "Large"


def library(folder: Path, count: int) -> list[Path]:
    return [
        write(folder / f"b{n:03}.yaml", brief(f"Brief {n:03}", f"2020-01-{1 + n % 28:02}"))
        for n in range(count)
    ]


def test_a_large_folder_shows_the_newest_brief_and_loads_the_rest_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "EAGER_LOAD_LIMIT", 4)
    files = library(tmp_path / "lib", 10)
    opening = startup.open_paths([tmp_path / "lib"])
    assert opening.is_folder and opening.use_cache and opening.library is not None
    [first] = startup.resolve(opening)
    assert first.title == "Brief 009"  # 2020-01-10, the newest
    stubs, unread = opening.library.build([first.path])
    assert not stubs and sorted(unread) == sorted(set(files) - {first.path})


def test_an_invalid_newest_brief_gives_way_to_the_next_valid_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "EAGER_LOAD_LIMIT", 2)
    folder = tmp_path / "lib"
    write(folder / "a.yaml", brief("Older", "2020-01-01"))
    write(folder / "b.yaml", brief("Valid", "2021-01-01"))
    write(folder / "c.yaml", "title: Broken\ndate: 2022-01-01\nsummary: [\n")
    opening = startup.open_paths([folder])
    loaded = startup.resolve(opening)
    assert [e.title for e in loaded] == ["Valid", "c.yaml"]
    assert opening.library is not None
    _, unread = opening.library.build(entry.path for entry in loaded)
    assert [p.name for p in unread] == ["a.yaml"]


def test_briefs_sharing_the_newest_date_are_listed_by_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "EAGER_LOAD_LIMIT", 2)
    folder = tmp_path / "lib"
    write(folder / "a.yaml", brief("Zulu", "2022-01-01"))
    write(folder / "b.yaml", brief("Alpha", "2022-01-01"))
    write(folder / "c.yaml", brief("Old", "2020-01-01"))
    opening = startup.open_paths([folder])
    assert opening.first is not None and opening.first.title == "Alpha"
    assert opening.loading is None and opening.library is not None
    _, unread = opening.library.build(entry.path for entry in opening.entries)
    assert [p.name for p in unread] == ["c.yaml"]


def test_a_library_opened_again_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "EAGER_LOAD_LIMIT", 4)
    folder = tmp_path / "lib"
    files = library(folder, 8)
    save_cache([load_entry(path) for path in files], library_cache_file())
    stubs, uncached = stub_entries(files, library_cache_file())
    assert len(stubs) == 8 and not uncached and not any(s.loaded for s in stubs)

    write(files[0], brief("Changed", "2030-01-01"))  # newer than all: found by the scan
    opening = startup.open_paths([folder])
    assert opening.library is not None and len(opening.library.stubs) == 7
    [first] = startup.resolve(opening)
    assert first.title == "Changed" and first.path == files[0]
    stubs, unread = opening.library.build([first.path])
    assert len(stubs) == 7 and not unread and not any(entry.loaded for entry in stubs)
    assert {entry.title for entry in stubs} == {f"Brief {n:03}" for n in range(1, 8)}


def test_the_remembered_brief_is_found_through_a_symlink(tmp_path: Path) -> None:
    files = library(tmp_path / "real", 3)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    linked = [tmp_path / "link" / path.name for path in files]
    assert startup.remembered_path(str(files[1]), linked) == linked[1]
    assert startup.remembered_path(str(files[1]), files) == files[1]
    assert startup.remembered_path(str(tmp_path / "gone.yaml"), files) is None
    assert startup.remembered_path(None, files) is None


def test_prefetch_hands_its_work_to_the_app(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", brief("Alpha"))
    startup.prefetch([path])
    opening = startup.open_paths([path])
    assert startup.open_paths([path]) is not opening  # taken once
    assert startup.resolve(opening)[0].title == "Alpha"


def test_prefetch_chooses_the_newest_of_a_large_library_in_a_helper_process(
    tmp_path: Path,
) -> None:
    # In a fresh interpreter: prefetch forks only while the process has a single thread.
    folder = tmp_path / "lib"
    library(folder, 10)
    code = (
        "import sys; from pathlib import Path; from termbrief.core import startup; "
        "startup.EAGER_LOAD_LIMIT = 4; "
        f"startup.prefetch([Path({str(folder)!r})]); "
        "startup._newest = None; "  # the parent must not scan: the helper did
        f"opening = startup.open_paths([Path({str(folder)!r})]); "
        "[first] = startup.resolve(opening); "
        "print(first.title, opening.library is not None, 'yaml' in sys.modules)"
    )
    expected = "Brief 009 True False" if sys.platform.startswith("linux") else "Brief 009 True"
    assert run_python(code, tmp_path).startswith(expected)


def test_a_failed_chooser_leaves_the_choice_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "EAGER_LOAD_LIMIT", 4)
    monkeypatch.setattr(preload, "can_fork", lambda: True)
    files = library(tmp_path / "lib", 10)
    names = [str(path) for path in files]
    # A child that dies before sending anything, as a crashed chooser would.
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os._exit(1)
    read_fd, write_fd = os.pipe()
    os.close(write_fd)
    opening = startup._open_chosen(names, pid, read_fd)
    [first] = startup.resolve(opening)
    assert first.title == "Brief 009"
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # reaped


def test_briefs_sharing_the_newest_date_are_chosen_in_the_helper_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "EAGER_LOAD_LIMIT", 2)
    monkeypatch.setattr(preload, "can_fork", lambda: True)
    folder = tmp_path / "lib"
    write(folder / "a.yaml", brief("Zulu", "2022-01-01"))
    write(folder / "b.yaml", brief("Alpha", "2022-01-01"))
    write(folder / "c.yaml", brief("Old", "2020-01-01"))
    startup.prefetch([folder])
    opening = startup.open_paths([folder])
    assert opening.first is not None and opening.first.title == "Alpha"
    assert opening.loading is None and opening.library is not None
    assert [entry.title for entry in opening.entries] == ["Alpha", "Zulu"]


# -- the app ------------------------------------------------------------------------------------


async def test_a_huge_brief_shows_its_header_then_fills_the_panes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from termbrief.ui.app import TermbriefApp
    from termbrief.ui.widgets.record_table import RecordTable
    from ui_fixtures import ALPHA, WIDE, screen_text

    monkeypatch.setattr(startup, "LARGE_BRIEF_BYTES", 10)
    monkeypatch.setattr(preload, "can_fork", lambda: False)  # deterministic: loads in a thread
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        assert app.current is not None
        shown = app.current.loaded
        for _ in range(200):
            if app.current.loaded:
                break
            await pilot.pause(0.02)
        assert app.current.loaded and app.current.ok
        await pilot.pause()
        assert app.brief_screen.entry is app.current
        assert app.screen.query_one("#figures-table", RecordTable).row_count > 0
        assert "loading" not in screen_text(app)
        assert not shown or app.current.title in screen_text(app)


@pytest.mark.parametrize("module", ["termbrief.core.startup", "termbrief.core.preload"])
def test_start_up_modules_import_neither_textual_nor_yaml(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "print(sorted(m for m in ('textual', 'yaml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_large_brief_loads_in_a_fresh_interpreter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preload, "LARGE_BRIEF_BYTES", 10)
    path = write(tmp_path / "a.yaml", brief("Alpha"))
    pending = preload.start_loading(path)
    if os.name == "posix":
        assert pending._process is not None
    entry = pending.result()
    assert entry.ok and entry.title == "Alpha"
    assert pending._process is None  # reaped


def test_cancel_ends_a_wait_in_another_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    monkeypatch.setattr(preload, "LARGE_BRIEF_BYTES", 10)
    path = write(tmp_path / "a.yaml", brief("Alpha"))
    pending = preload.start_loading(path)
    results = []
    waiter = threading.Thread(target=lambda: results.append(pending.result()))
    waiter.start()
    time.sleep(0.01)
    started = time.monotonic()
    pending.cancel()
    waiter.join(10)
    assert not waiter.is_alive() and time.monotonic() - started < 5
    assert len(results) == 1 and results[0].path == path


async def test_a_large_library_opens_on_its_newest_brief_then_lists_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from termbrief.ui.app import TermbriefApp

    monkeypatch.setattr(startup, "EAGER_LOAD_LIMIT", 3)
    files = library(tmp_path / "lib", 6)
    for run in ("first", "again"):  # the second run starts from the library cache
        app = TermbriefApp([tmp_path / "lib"])
        async with app.run_test(size=(120, 40)) as pilot:
            assert app.current is not None and app.current.title == "Brief 005"
            for _ in range(250):
                if len(app.entries) == 6 and all(entry.loaded for entry in app.entries):
                    break
                await pilot.pause(0.02)
            assert sorted(entry.path for entry in app.entries) == sorted(files), run
            assert all(entry.loaded and entry.ok for entry in app.entries), run
            assert app.entries[0].title == "Brief 005"  # newest first
        assert library_cache_file().exists()
