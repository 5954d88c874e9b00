"""``termbrief diff OLD NEW`` and ``termbrief diff BRIEF --rev REV``: what changed, item by item.

Prints :func:`termbrief.core.diff.diff_briefs` as text (ANSI colour only when standard output is
a terminal and ``NO_COLOR`` is unset), JSON for tools or Markdown for sharing. Exit status as
``diff``: 0 same content, 1 different, 2 trouble (a broken brief prints ``path:line:col: message``
lines on standard error). ``--rev`` reads the committed version with ``git show`` (git is only
needed then). Every brief text and file name is printed with control characters escaped. No
Textual here.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Final

import msgspec

from termbrief.core.diff import BriefDiff, FieldChange, ItemChange, WordRun, diff_briefs
from termbrief.core.loader import BriefError, load_brief, load_brief_text
from termbrief.core.model import Brief, encode_hook

__all__ = ["add_subcommand", "printable", "render_json", "render_markdown", "render_text"]

CONTEXT_WORDS: Final = 6
"""Unchanged words kept on each side of a change in a word diff; the rest is elided."""

_SECTION_TITLES: Final = {
    "brief": "Brief",
    "summary": "Summary",
    "key_points": "Key points",
    "figures": "Figures",
    "actors": "Actors",
    "commentary": "Commentary",
    "timeline": "Timeline",
    "sources": "Sources",
}
_NUMBERED: Final = {"summary": "paragraph", "key_points": "key point", "sources": "source"}
"""Sections whose items have no anchor of their own: they are named by position."""
_MARKS: Final = {"added": "+", "removed": "-", "changed": "~", "moved": ">"}
_ANSI: Final = {
    "added": "32",
    "removed": "31",
    "changed": "33",
    "moved": "36",
    "insert": "32",
    "delete": "31",
    "title": "1",
    "dim": "2",
}
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_JSON_UNSAFE: Final = re.compile(r"[\x7f-\x9f]")  # JSON encoders escape only C0 controls
_MARKDOWN_EXTRA: Final = re.compile(r"([~|])")  # strikethrough and tables: not escaped by export


class _Failure(Exception):
    """A usage or git problem: printed as ``termbrief diff: message``, exit status 2."""


def add_subcommand(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``diff`` to the sub-commands of ``termbrief``."""
    parser = subparsers.add_parser(
        "diff",
        help="what changed between two versions of a brief",
        description="Compare two versions of a brief item by item: OLD NEW, BRIEF --rev REV "
        "for the version committed in git, or BRIEF --since-read for the version you last read. "
        "Exit status: 0 same content, 1 different, 2 trouble.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="BRIEF",
        help="OLD NEW, or one brief with --rev or --since-read",
    )
    parser.add_argument(
        "--rev", metavar="REV", help="compare BRIEF with its version in git at REV (e.g. HEAD)"
    )
    parser.add_argument(
        "--since-read",
        action="store_true",
        help="compare BRIEF with the version you last read in the reader",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where your notes and reading state are kept (with --since-read)",
    )
    parser.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="default: text"
    )
    parser.set_defaults(func=run)


def run(options: argparse.Namespace) -> int:
    """The ``diff`` command; returns the exit status."""
    try:
        if options.since_read:
            old, new, old_label, new_label = _load_since_read(
                options.paths, options.rev, options.data_dir
            )
        else:
            old, new, old_label, new_label = _load(options.paths, options.rev)
    except BriefError as error:
        for problem in error.problems:
            print(printable(str(problem)), file=sys.stderr)
        return 2
    except _Failure as failure:
        print(f"termbrief diff: {printable(str(failure))}", file=sys.stderr)
        return 2
    diff = diff_briefs(old, new)
    if options.format == "json":
        output = render_json(diff, old_label, new_label)
    elif options.format == "markdown":
        output = render_markdown(diff, old_label, new_label, new.title)
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        output = render_text(diff, old_label, new_label, colour=colour)
    if output:
        sys.stdout.write(output)
    return 0 if diff.is_empty else 1


def _load(paths: Sequence[Path], rev: str | None) -> tuple[Brief, Brief, str, str]:
    if rev is None:
        if len(paths) != 2:
            raise _Failure("give two briefs (OLD NEW), or one brief with --rev REV")
        return load_brief(paths[0]), load_brief(paths[1]), str(paths[0]), str(paths[1])
    if len(paths) != 1:
        raise _Failure("--rev compares one brief with its committed version")
    [path] = paths
    new = load_brief(path)
    old_label = f"{rev}:{path}"
    old = load_brief_text(_committed(path, rev), old_label, default_id=path.stem)
    return old, new, old_label, str(path)


def _load_since_read(
    paths: Sequence[Path], rev: str | None, data_dir: Path | None
) -> tuple[Brief, Brief, str, str]:
    """The version of the brief the user last read (from the notes store) and the file now."""
    if rev is not None or len(paths) != 1:
        raise _Failure("--since-read compares one brief with the version you last read")
    [path] = paths
    new = load_brief(path)
    from termbrief.core.locations import notes_db_path

    never = f"you have not read {new.id!r} in the reader yet: there is no version to compare with"
    if not notes_db_path(data_dir).exists():
        raise _Failure(never)  # nothing read, and no database to create for asking
    from termbrief.store.notes import NotesError, NotesStore

    with NotesStore.open(data_dir) as store:
        try:
            found = store.reading.last_read(new.id)
            old = store.reading.version(found.version) if found is not None else None
        except NotesError as error:
            raise _Failure(str(error)) from None
    if found is None:
        raise _Failure(never)
    if old is None:
        raise _Failure(
            f"the version of {new.id!r} you read on {found.read_at:%Y-%m-%d} is no longer stored"
        )
    label = f"{new.id} as read on {found.read_at.astimezone():%Y-%m-%d %H:%M}"
    return old, new, label, str(path)


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, timeout=60, check=False
        )
    except FileNotFoundError:
        raise _Failure("git is not installed; --rev needs it") from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise _Failure(f"cannot run git: {error}") from None


def _committed(path: Path, rev: str) -> bytes:
    """The bytes of ``path`` at git revision ``rev`` (``git show REV:./name``)."""
    if not rev or rev.startswith("-"):
        raise _Failure(f"not a git revision: {rev!r}")
    folder = path.absolute().parent
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        raise _Failure(f"{path} is not in a git work tree")
    shown = _git(folder, "show", f"{rev}:./{path.name}")
    if shown.returncode != 0:
        lines = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _Failure(f"git cannot show {rev}:{path}: {lines[-1] if lines else 'failed'}")
    return shown.stdout


def printable(text: str) -> str:
    """``text`` with every control character (newlines too) written as ``\\xNN``."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _elide(runs: Sequence[WordRun]) -> Iterator[WordRun]:
    """The runs with long unchanged stretches cut to :data:`CONTEXT_WORDS` words of context."""
    last = len(runs) - 1
    for index, run in enumerate(runs):
        words = run.text.split(" ")
        if run.kind != "equal" or len(words) <= 2 * CONTEXT_WORDS:
            yield run
            continue
        head = words[:CONTEXT_WORDS] if index > 0 else []
        tail = words[-CONTEXT_WORDS:] if index < last else []
        yield WordRun("equal", " ".join([*head, "…", *tail]))


def _field_text(change: FieldChange, style: Callable[[WordRun], str]) -> str:
    if change.number is not None:
        return printable(change.number.text)
    if change.formatting_only:
        return "(formatting or links only)"
    return " ".join(style(run) for run in _elide(change.words) if run.text)


def _where(change: ItemChange) -> str:
    """The item's anchor, or its number where the anchor names only the section."""
    noun = _NUMBERED.get(change.section)
    if noun is None:
        return change.anchor if change.anchor != "brief" else ""
    index = change.new_index if change.new_index is not None else change.old_index
    return f"{noun} {(index or 0) + 1}"


def _move(change: ItemChange) -> str:
    if not change.moved or change.old_index is None or change.new_index is None:
        return ""
    return f"moved from #{change.old_index + 1} to #{change.new_index + 1}"


def _grouped(diff: BriefDiff) -> Iterator[tuple[str, list[ItemChange]]]:
    groups: dict[str, list[ItemChange]] = {}
    for change in diff.changes:
        groups.setdefault(change.section, []).append(change)
    for section, changes in groups.items():
        yield _SECTION_TITLES[section], changes


def render_text(diff: BriefDiff, old_label: str, new_label: str, *, colour: bool) -> str:
    """The diff for a terminal; empty when there is no change (as ``diff``)."""
    if diff.is_empty:
        return ""

    def paint(text: str, key: str) -> str:
        return f"\x1b[{_ANSI[key]}m{text}\x1b[0m" if colour else text

    def word(run: WordRun) -> str:
        text = printable(run.text)
        if run.kind == "equal":
            return text
        if colour:
            return paint(text, run.kind)
        return f"[-{text}-]" if run.kind == "delete" else f"{{+{text}+}}"

    lines = [
        paint(f"--- {printable(old_label)}", "removed"),
        paint(f"+++ {printable(new_label)}", "added"),
        diff.summary(),
    ]
    for title, changes in _grouped(diff):
        lines += ["", paint(title, "title")]
        for change in changes:
            details = "  ".join(part for part in (_where(change), _move(change)) if part)
            mark = paint(_MARKS[change.kind], change.kind)
            head = f"  {mark} {printable(change.label)}"
            lines.append(head + (f"  {paint(details, 'dim')}" if details else ""))
            lines += [f"      {f.field}: {_field_text(f, word)}" for f in change.fields]
    return "\n".join(lines) + "\n"


def _escape_markdown(text: str) -> str:
    from termbrief.store.export import escape_markdown

    return _MARKDOWN_EXTRA.sub(r"\\\1", escape_markdown(printable(text)))


def render_markdown(diff: BriefDiff, old_label: str, new_label: str, title: str) -> str:
    """The diff as a Markdown document: a list per section, deletions struck through."""

    def word(run: WordRun) -> str:
        text = _escape_markdown(run.text)
        return {"equal": text, "delete": f"~~{text}~~", "insert": f"**{text}**"}[run.kind]

    lines = [
        f"# Changes to {_escape_markdown(title)}",
        "",
        f"From {_escape_markdown(old_label)} to {_escape_markdown(new_label)}: "
        f"{_escape_markdown(diff.summary())}.",
    ]
    for section_title, changes in _grouped(diff):
        lines += ["", f"## {section_title}", ""]
        for change in changes:
            details = ", ".join(part for part in (_where(change), _move(change)) if part)
            where = f" ({_escape_markdown(details)})" if details else ""
            lines.append(
                f"- **{change.kind.capitalize()}:** {_escape_markdown(change.label)}{where}"
            )
            lines += [f"  - {f.field}: {_field_text(f, word)}" for f in change.fields]
    return "\n".join(lines) + "\n"


def render_json(diff: BriefDiff, old_label: str, new_label: str) -> str:
    """The diff as a JSON document: ``{"old", "new", "equal", "summary", "changes": [...]}``."""
    document = {
        "old": old_label,
        "new": new_label,
        "equal": diff.is_empty,
        "summary": diff.summary(),
        "changes": diff.changes,
    }
    # msgspec writes a figure's .inf or .nan as null, where json.dumps would write invalid JSON.
    encoded = msgspec.json.format(msgspec.json.encode(document, enc_hook=encode_hook), indent=2)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded.decode()) + "\n"
