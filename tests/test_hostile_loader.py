"""Hostile files against the loader, the brief cache and the readers of files (issue 15).

Each test names the numbered failure it guards. Special files (FIFOs, sockets, links to
/dev/zero) are built in the test itself; anything that used to hang or to read without end runs
under a time limit and, where it could eat memory, under a memory limit too.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest

from termbrief.cli.main import main
from termbrief.core import loader
from termbrief.core.files import FileTooLarge, NotRegularFile, read_brief_bytes, read_brief_head
from termbrief.core.library import cached_entry, load_brief_cached, load_entry
from termbrief.core.loader import BriefError, LoaderBug, load_brief, load_brief_text

NOT_REGULAR = "not a regular file"


class Hung(Exception):
    """Not an OSError (as TimeoutError is): code that reads files must not swallow it."""


@contextlib.contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a blocked open() or read() is interrupted after ``seconds``,
    and again every second after that."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hung(f"still running after {seconds} s: blocked on a special file?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def memory_headroom(extra: int = 512 * 1024 * 1024) -> Iterator[None]:
    """An unbounded read ends in MemoryError here instead of eating the machine's memory."""
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = pages * os.sysconf("SC_PAGE_SIZE") + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def problems_of(text: str, **options: int) -> list[str]:
    with pytest.raises(BriefError) as caught:
        load_brief_text(text, "b.yaml", default_id="b", **options)
    assert not isinstance(caught.value, LoaderBug), caught.value.__cause__
    return [str(problem) for problem in caught.value.problems]


# --- item 1: numbers beyond 64 bits ----------------------------------------------------------

HUGE_NUMBER_BRIEF = "title: T\nsummary: S\nfigures:\n  - label: Debt\n    value: {}\n"


@pytest.mark.parametrize(
    "number",
    [
        "18446744073709551616",
        "9223372036854775808",
        "-9223372036854775809",
        "0x" + "f" * 17,
        "0b1" + "0" * 64,
        "0" + "7" * 30,  # YAML 1.1 octal
        "1_000_000_000_000_000_000_000",
        "9" * 5000,  # past Python's limit for converting digits: used to be kept as text
    ],
)
def test_item1_numbers_beyond_64_bits_are_refused_at_their_position(number: str) -> None:
    [problem] = problems_of(HUGE_NUMBER_BRIEF.format(number))
    assert problem.startswith("b.yaml:5:12: number too large: `")
    assert problem.endswith(
        "is outside the 64-bit range a brief can hold "
        "(-9,223,372,036,854,775,808 to 9,223,372,036,854,775,807); quote it to keep it as text"
    )
    assert len(problem) < 300  # a 5,000-digit number is cut, not quoted whole


def test_item1_the_largest_numbers_still_load() -> None:
    for number in ("9223372036854775807", "-9223372036854775808", "0x7fffffffffffffff"):
        brief = load_brief_text(HUGE_NUMBER_BRIEF.format(number))
        assert brief.figures[0].value == int(number, 0)


def test_item1_a_huge_number_never_crashes_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "debt.yaml"
    path.write_text(HUGE_NUMBER_BRIEF.format("18446744073709551616"), encoding="utf-8")
    for _ in range(2):  # the second time, anything cached would be used
        entry = load_entry(path)
        assert entry.brief is None
        assert entry.problems[0].message.startswith("number too large")
    # The largest number that loads goes through the cache and back.
    path.write_text(HUGE_NUMBER_BRIEF.format("9223372036854775807"), encoding="utf-8")
    cache = tmp_path / "cache"
    first = load_brief_cached(path, cache)
    assert list(cache.glob("*.msgpack")), "the brief was not cached"
    second = load_brief_cached(path, cache)
    assert second == first and second.figures[0].value == 2**63 - 1


def test_item14_a_huge_hexadecimal_format_is_a_plain_problem() -> None:
    [problem] = problems_of("format: 0x" + "f" * 5000 + "\ntitle: T\nsummary: S\n")
    assert problem.startswith("b.yaml:1:9: number too large: `0xffffffffffffffffffffff…")
    assert "internal error" not in problem


def test_item14_a_long_base60_number_is_a_plain_problem() -> None:
    [problem] = problems_of(HUGE_NUMBER_BRIEF.format("1" + ":00" * 3000))
    assert problem.startswith("b.yaml:5:12: `value`: `1:00:00:00")
    assert "(base 60); quote it" in problem and len(problem) < 300


# --- item 2: aliases of long strings ---------------------------------------------------------


def alias_brief(length: int, count: int) -> str:
    items = "".join("  - *s\n" for _ in range(count))
    return f"title: T\nsummary: &s {'x' * length}\nkey_points:\n{items}"


def test_item2_aliases_of_a_long_string_are_refused_at_an_alias() -> None:
    text = alias_brief(200_000, 2_000)  # 206 KB that stood for 400 MB
    started = time.perf_counter()
    found = problems_of(text)
    assert time.perf_counter() - started < 2.0
    assert found == ["b.yaml:4:5: aliases expand this file to 381.7 MiB; the limit is 5.0 MiB"]


def test_item2_the_byte_budget_follows_the_size_limit() -> None:
    text = alias_brief(1000, 20)  # 20 KB once expanded
    assert load_brief_text(text).key_points[0] == "x" * 1000
    assert problems_of(text, max_bytes=16 * 1024) == [
        "b.yaml:4:5: aliases expand this file to 0.0 MiB; the limit is 0.0 MiB"
    ]


def test_item2_the_alias_is_found_inside_a_flow_list() -> None:
    text = (
        "title: T\nsummary: &s "
        + "y" * 100_000
        + "\ntags: [a,\n  *s, *s, *s]\n"
        + ("regions: [" + ", ".join(["*s"] * 60) + "]\n")
    )
    assert problems_of(text) == [
        "b.yaml:5:11: aliases expand this file to 6.1 MiB; the limit is 5.0 MiB"
    ]


# --- items 3 and 4: only regular files, never blocking, never unbounded ----------------------


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def make_dev_zero_link(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


def make_socket(path: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays
    return path


def make_folder(path: Path) -> Path:
    path.mkdir()
    return path


SPECIAL_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "fifo": (make_fifo, "a named pipe (FIFO)"),
    "dev-zero": (make_dev_zero_link, "a link to a character device"),
    "socket": (make_socket, "a socket"),
    "folder": (make_folder, "a folder"),
}


@pytest.mark.parametrize("kind", sorted(SPECIAL_FILES))
def test_item3_4_special_files_are_not_read_as_briefs(tmp_path: Path, kind: str) -> None:
    make, what = SPECIAL_FILES[kind]
    path = make(tmp_path / "brief.yaml")
    with within(10), memory_headroom():
        with pytest.raises(BriefError) as caught:
            load_brief(path)
        entry = load_entry(path)  # the reader's way, through the brief cache
        assert cached_entry(path) is None
    expected = f"{NOT_REGULAR} ({what}); only regular files are read as briefs"
    assert str(caught.value) == f"{path}:1:1: {expected}"
    assert entry.brief is None and entry.problems[0].message == expected


def test_item3_a_link_to_dev_zero_is_never_read_without_a_bound(tmp_path: Path) -> None:
    link = make_dev_zero_link(tmp_path / "zero.yaml")
    with within(10), memory_headroom(), pytest.raises(NotRegularFile):
        read_brief_bytes(link, 1024)


def test_item3_a_size_that_lies_does_not_lift_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files in /proc say they are empty; this one holds more than 64 bytes.
    link = tmp_path / "status.yaml"
    link.symlink_to("/proc/self/status")
    assert os.stat(link).st_size == 0
    read = os.read
    got: list[int] = []

    def counting_read(handle: int, size: int) -> bytes:
        data = read(handle, size)
        got.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(FileTooLarge) as caught:
        read_brief_bytes(link, 64)
    assert sum(got) == 65  # the limit and one byte more, never the rest
    monkeypatch.undo()
    assert str(caught.value) == "file is over 0.0 MiB; briefs are limited to that size"
    assert len(read_brief_bytes(link, 1024 * 1024)) > 64  # read whole when within the limit


def test_item3_4_a_quick_look_at_a_head_follows_the_same_rules(tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_bytes(b"title: T\nsummary: S\n")
    assert read_brief_head(brief, 8) == b"title: T"
    assert read_brief_head(brief, 1000) == b"title: T\nsummary: S\n"
    status = tmp_path / "status.yaml"
    status.symlink_to("/proc/self/status")  # says it is empty
    assert len(read_brief_head(status, 16)) == 16
    for special in (make_fifo(tmp_path / "pipe.yaml"), make_dev_zero_link(tmp_path / "z.yaml")):
        with within(10), memory_headroom(), pytest.raises(NotRegularFile):
            read_brief_head(special, 4096)


def test_item4_notes_list_does_not_hang_on_a_fifo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = make_fifo(tmp_path / "brief.yaml")
    with within(10):
        code = main(["notes", "list", str(fifo), "--data-dir", str(tmp_path / "data")])
    assert code == 1
    assert f"{NOT_REGULAR} (a named pipe (FIFO))" in capsys.readouterr().err


def test_item4_check_does_not_hang_on_a_fifo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.yaml").write_text("title: T\nsummary: S\n", encoding="utf-8")
    fifo = make_fifo(tmp_path / "pipe.yaml")
    with within(10):
        assert main(["check", str(tmp_path)]) == 1
        assert main(["check", str(fifo)]) == 1
    out = capsys.readouterr().out.splitlines()
    problem = f"{fifo}:1:1: error: {NOT_REGULAR} (a named pipe (FIFO)); only regular files are read as briefs"
    assert out == [
        problem,
        "checked 2 files: 1 valid, 1 invalid, 1 problem",
        problem,
        "checked 1 file: 0 valid, 1 invalid, 1 problem",
    ]


# --- item 15: U+2028 and U+2029 --------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_item15_line_separators_do_not_shift_positions(separator: str) -> None:
    text = f'title: "a{separator}b"\nsummary: S\ntags: [x, !!binary y]\n'
    assert problems_of(text) == [
        "b.yaml:3:11: the YAML tag `!!binary` is not allowed in a brief (only plain values, "
        "lists and mappings)"
    ]
    duplicate = f"title: 'x{separator}{separator}y'\nsummary: S\ntitle: again\n"
    assert problems_of(duplicate) == [
        "b.yaml:3:1: `title`: duplicate key (first defined on line 1); YAML would silently "
        "keep only the last one"
    ]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_item15_syntax_errors_after_a_separator_are_on_their_real_line(separator: str) -> None:
    text = f'title: "x{separator}"\nsummary: [a\nkey_points: x\n'
    assert problems_of(text) == [
        "b.yaml:2:10: `summary`: the `[` opened here is never closed; end it with `]` (on line "
        "2, where its items seem to end)",
        "b.yaml:3:13: `key_points` must be a list of points, not a string; write "
        "`key_points: [x]`, or one `- ` line per item",
    ]
    # libyaml even ends a plain value there: the "key" after it is on line 2, not 3.
    assert problems_of(f"title: T\nsummary: a{separator}b: c\n")[0].startswith(
        "b.yaml:2:12: `b`: unknown key"
    )


# --- item 16: what libyaml accepts and YAML forbids ------------------------------------------

COMMENT = "a comment needs a space before `#`; add one (or quote the text)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'title: "value"# invalid comment\nsummary: S\n', f"b.yaml:1:15: {COMMENT}", id="SU5Z"
        ),
        pytest.param(
            "title: 'value'#x\nsummary: S\n", f"b.yaml:1:15: {COMMENT}", id="single-quoted"
        ),
        pytest.param(
            "title: T\nsummary: S\ntags: [ a, b, c, ]#invalid\n",
            f"b.yaml:3:19: {COMMENT}",
            id="9JBA",
        ),
        pytest.param(
            "title: T\nsummary: S\ntags: [ a, b, c,#invalid\n  ]\n",
            f"b.yaml:3:17: {COMMENT}",
            id="CVW2",
        ),
        pytest.param(
            "title: T\nsummary: ># comment\n  scalar\n", f"b.yaml:2:11: {COMMENT}", id="X4QW"
        ),
        pytest.param(
            "%YAML 1.1#...\n---\ntitle: T\nsummary: S\n", f"b.yaml:1:10: {COMMENT}", id="MUS6-00"
        ),
        pytest.param(
            'title: T\nsummary: "a\nb\nc"\n',
            "b.yaml:3:1: this line of a quoted string is indented 0 spaces; it must be indented "
            "more than the key or `-` it belongs to (at least 1 space)",
            id="QB6E",
        ),
        pytest.param(
            "title: T\nsummary: S\ntags: [a,\nb,\nc]\n",
            "b.yaml:4:1: this line of a [ ] or { } collection is indented 0 spaces; it must be "
            "indented more than the key or `-` it belongs to (at least 1 space)",
            id="9C9N",
        ),
        pytest.param(
            'title: T\nsummary: "bar\n\tbaz"\n',
            "b.yaml:3:1: this line of a quoted string is indented 0 spaces (tabs do not count); "
            "it must be indented more than the key or `-` it belongs to (at least 1 space)",
            id="DK95-01",
        ),
        pytest.param(
            "title: T\nsummary: S\nkey_points:\n- [\n\tfoo,\n foo\n ]\n",
            "b.yaml:5:1: this line of a [ ] or { } collection is indented 0 spaces (tabs do not "
            "count); it must be indented more than the key or `-` it belongs to (at least 1 "
            "space)",
            id="Y79Y-003",
        ),
        pytest.param(
            'title: T\nsummary: S\nfigures:\n  - label: "Officers\n    trained"\n    value: 1\n',
            "b.yaml:5:1: this line of a quoted string is indented 4 spaces; it must be indented "
            "more than the key or `-` it belongs to (at least 5 spaces)",
            id="quoted-in-a-list-item",
        ),
        pytest.param(
            "title: T\nsummary: S\ntags: [-, -]\n",
            'b.yaml:3:8: a lone `-` is not a value in [ ] or { }; quote it: "-"',
            id="G5U8",
        ),
        pytest.param(
            "title: T\nsummary: S\ntags: [-]\n",
            'b.yaml:3:8: a lone `-` is not a value in [ ] or { }; quote it: "-"',
            id="YJV2",
        ),
        pytest.param(
            "title: T\nsummary: >\n \n  \n   \n # comment\n",
            "b.yaml:2:10: an empty line at the start of this block has 3 spaces, more than its "
            "first line of text (1); remove the extra spaces",
            id="S98Z",
        ),
    ],
)
def test_item16_invalid_yaml_that_libyaml_accepts_is_refused(text: str, expected: str) -> None:
    assert expected in problems_of(text)


def test_item16_valid_neighbours_still_load() -> None:
    text = (
        '%YAML 1.1 # a directive with a comment\n---\ntitle: "C# in practice" # a comment\n'
        "subtitle: 'x' #ok\n"
        'summary: |\n  Costs rose [sharply]#1 and "quoted"#2 in text, a,#b too.\n'
        "tags: [\"a#b\", 'c,#d', e#f, -g]   # trailing comment\n"
        "regions: [a,  # a comment after a comma\n  b]\n"
        "key_points:\n  - see http://x.example/#frag\n  - >-\n    folded\n"
        '  - "two\n    lines"\n'
        'figures:\n  - label: "A long\n      label"\n    value: 1\n'
        '  - {label: B, value: 2, unit: "u"}  # flow mapping\n'
    )
    brief = load_brief_text(text)
    assert brief.title == "C# in practice"
    assert brief.tags == ("a#b", "c,#d", "e#f", "-g")
    assert brief.figures[0].label == "A long label"


# --- bugs of the loader itself ---------------------------------------------------------------


def test_a_loader_bug_is_marked_and_the_library_carries_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, *args: object) -> object:
        return 1 / 0

    monkeypatch.setattr(loader._Constructor, "construct", broken)
    with pytest.raises(LoaderBug) as caught:
        load_brief_text("title: T\nsummary: S\n", "b.yaml")
    assert isinstance(caught.value.__cause__, ZeroDivisionError)
    assert str(caught.value) == (
        "b.yaml:1:1: internal error while loading (ZeroDivisionError: division by zero)"
    )
    path = tmp_path / "b.yaml"
    path.write_text("title: T\nsummary: S\n", encoding="utf-8")
    entry = load_entry(path)  # one file's bug must not stop a library
    assert entry.brief is None and "internal error" in entry.problems[0].message


# --- every hostile file at once --------------------------------------------------------------


def hostile_folder(folder: Path) -> dict[str, str]:
    """A library folder holding one file for each failure above; name -> start of its problem."""
    make_fifo(folder / "fifo.yaml")
    make_dev_zero_link(folder / "zero.yaml")
    make_socket(folder / "socket.yaml")
    files = {
        "huge-number.yaml": HUGE_NUMBER_BRIEF.format("18446744073709551616"),
        "hex-format.yaml": "format: 0x" + "f" * 5000 + "\ntitle: T\nsummary: S\n",
        "long-aliases.yaml": alias_brief(200_000, 2_000),
        "billion-laughs.yaml": (Path(__file__).parent / "data" / "loader" / "billion-laughs.yaml")
        .read_text(encoding="utf-8")
        .replace("summary: *i", "summary: *i\nkey_points: [*i]"),
        "newline-key.yaml": 'title: T\nsummary: S\n"x\\nforged.yaml:1:1: error: x": 1\n',
        "tight-comment.yaml": 'title: "T"# comment\nsummary: S\n',
        "separator.yaml": 'title: "a\u2028b"\nsummary: S\nsumary: x\n',
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with open(os.fsencode(folder) + b"/caf\xe9.yaml", "wb") as file:
        file.write(b"title: T\nsumary: S\n")
    (folder / "good.yaml").write_text("title: T\nsummary: S\n", encoding="utf-8")
    return {
        "fifo.yaml": f"{NOT_REGULAR} (a named pipe (FIFO))",
        "zero.yaml": f"{NOT_REGULAR} (a link to a character device)",
        "socket.yaml": f"{NOT_REGULAR} (a socket)",
        "huge-number.yaml": "number too large",
        "hex-format.yaml": "number too large",
        "long-aliases.yaml": "aliases expand this file to 381.7 MiB",
        "billion-laughs.yaml": "aliases expand this to",
        "newline-key.yaml": "`x\\nforged.yaml:1:1: error: x`: unknown key",
        "tight-comment.yaml": "a comment needs a space before `#`",
        "separator.yaml": "`sumary`: unknown key",
        os.fsdecode(b"caf\xe9.yaml"): "missing required key `summary`",
    }


def test_a_folder_of_every_hostile_file_is_checked_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = hostile_folder(tmp_path)
    started = time.perf_counter()
    with within(10), memory_headroom():
        assert main(["check", str(tmp_path)]) == 1
    assert time.perf_counter() - started < 10
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "checked 12 files: 1 valid, 11 invalid, 12 problems"
    for name, problem in expected.items():
        shown = name.replace("\udce9", "\\xe9")  # a name that is not UTF-8, as check shows it
        assert any(line.startswith(f"{tmp_path}/{shown}:") and problem in line for line in lines), (
            name,
            lines,
        )
    assert all(line.startswith(f"{tmp_path}/") for line in lines[:-1])  # nothing forged


def test_a_folder_of_every_hostile_file_opens_as_a_library(tmp_path: Path) -> None:
    expected = hostile_folder(tmp_path)
    with within(10), memory_headroom():
        entries = {path.name: load_entry(path) for path in sorted(tmp_path.iterdir())}
    assert entries.pop("good.yaml").brief is not None
    assert {name: entry.problems[0].message for name, entry in entries.items()}.keys() == (
        expected.keys()
    )
    for name, entry in entries.items():
        assert entry.brief is None and expected[name] in str(entry.problems[0]), name
