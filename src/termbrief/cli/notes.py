"""``termbrief notes list|export|import`` and ``termbrief export``: notes out of the app.

``cli.py`` calls :func:`add_subcommands` with its sub-parsers; each command's parser carries
``func(args) -> int``. Errors print ``termbrief: error: ...`` on stderr and return 1, never a
traceback. This module imports no Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from termbrief.cli import team
from termbrief.core.anchors import labelled_anchors, make_quote
from termbrief.core.annotation import Note, Placement, reanchor
from termbrief.core.library import BRIEF_SUFFIXES, find_brief_files, sample_library_path
from termbrief.core.loader import BriefError, load_brief
from termbrief.core.model import Brief
from termbrief.core.text import clean, one_line
from termbrief.store.backend import NotesBackend, SqliteNotes, local_author, open_store
from termbrief.store.export import (
    brief_to_markdown,
    notes_from_json,
    notes_to_json,
    notes_to_markdown,
)
from termbrief.store.notes import NotesError, NotesStore
from termbrief.store.notes_url import NotesUrlError, resolve_notes_url, sqlite_folder
from termbrief.store.w3c import looks_like_w3c, notes_from_w3c, notes_to_w3c

__all__ = ["BriefNotFound", "add_subcommands", "resolve_brief"]

Handler = Callable[[argparse.Namespace], int]


class BriefNotFound(Exception):
    """No brief file or id matches what the user typed."""


def add_subcommands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``notes`` (with ``list``, ``export``, ``import``) and ``export`` to ``subparsers``."""
    notes = subparsers.add_parser(
        "notes",
        help="list, export and import your notes",
        description="Your notes, outside the reader. BRIEF is a brief file or a brief id.",
    )
    commands = notes.add_subparsers(dest="notes_command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list notes (of one brief, or all)")
    _brief_argument(listing, required=False)
    listing.add_argument(
        "--full", action="store_true", help="print each note's whole text, not its first line"
    )
    _data_dir_argument(listing)
    listing.set_defaults(func=_guarded(_list))

    export = commands.add_parser(
        "export",
        help="write notes as Markdown, JSON or W3C Web Annotations",
        description="Write notes as Markdown (to read), termbrief's JSON, or W3C Web "
        "Annotation JSON-LD (one AnnotationCollection; other annotation tools read it). JSON "
        "and W3C exports can be imported again.",
    )
    _brief_argument(export, required=False)
    export.add_argument(
        "--format",
        choices=("markdown", "json", "w3c"),
        default="markdown",
        help="default: markdown",
    )
    _output_argument(export)
    _data_dir_argument(export)
    export.set_defaults(func=_guarded(_export_notes))

    importing = commands.add_parser(
        "import",
        help="import notes from a JSON or W3C export",
        description="Import notes from a file written by `termbrief notes export --format "
        "json` or `--format w3c` (use - for standard input). Importing the same file twice "
        "changes nothing; a note edited here since the export is kept.",
    )
    importing.add_argument("file", metavar="FILE", help="the export, or - for stdin")
    _data_dir_argument(importing)
    importing.set_defaults(func=_guarded(_import))
    pruning = commands.add_parser(
        "gc",
        help="prune the versions of briefs kept for 'changed since you read it'",
        description="Keep at most N versions of each brief you have seen (the one you last "
        "read always stays); default N: keep_versions in config.toml, else prune only "
        "versions that can no longer be read.",
    )
    pruning.add_argument("--keep", type=int, metavar="N", help="versions kept per brief")
    _data_dir_argument(pruning)
    pruning.set_defaults(func=_guarded(_gc))
    team.add_subcommands(commands)  # server-init, add-user: team notes on PostgreSQL

    brief = subparsers.add_parser(
        "export",
        help="write a brief as Markdown",
        description="Write a whole brief as Markdown; with --notes, each of your notes "
        "appears under what it annotates.",
    )
    _brief_argument(brief, required=True)
    brief.add_argument("--notes", action="store_true", help="include your notes")
    _output_argument(brief)
    _data_dir_argument(brief)
    brief.set_defaults(func=_guarded(_export_brief))


def _brief_argument(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "brief",
        nargs=None if required else "?",
        metavar="BRIEF",
        help="a brief file, or a brief id (looked up in the current folder and the samples)"
        + ("" if required else "; default: every brief"),
    )


def _output_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout"
    )


def _data_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="where notes are kept (overrides the default)"
    )
    parser.add_argument(
        "--notes-url",
        metavar="URL",
        help="notes on a team server (postgresql://NAME@HOST/DATABASE) or sqlite:///FOLDER; "
        "overrides TERMBRIEF_NOTES_URL and notes_url in config.toml",
    )


def _guarded(handler: Handler) -> Handler:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            _error(f"{where}{error.strerror or error}")
        except (NotesError, BriefNotFound, UnicodeDecodeError) as error:
            _error(str(error) or type(error).__name__)
        except BriefError as error:
            _error(f"cannot read the brief:\n{error}")
        return 1

    run.__doc__ = handler.__doc__
    return run


def _error(message: str) -> None:
    print(f"termbrief: error: {message}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"termbrief: warning: {message}", file=sys.stderr)


# --------------------------------------------------------------------------- finding briefs


def _search_folders() -> list[Path]:
    return [Path.cwd(), sample_library_path()]


def _candidates(folder: Path, recursive: bool) -> list[Path]:
    if recursive:
        return find_brief_files([folder])
    with contextlib.suppress(OSError):
        return sorted(p for p in folder.iterdir() if p.suffix in BRIEF_SUFFIXES and p.is_file())
    return []


def _folder_briefs(folder: Path, recursive: bool) -> Iterable[Brief]:
    for path in _candidates(folder, recursive):
        with contextlib.suppress(BriefError):
            yield load_brief(path)


def resolve_brief(spec: str) -> Brief:
    """The brief a user means by ``spec``: a file path, or an id found in the current folder
    (not recursively) or the sample library.

    Raises:
        BriefError: ``spec`` is a file that does not load.
        BriefNotFound: nothing matches.
    """
    path = Path(spec)
    if path.is_file() or spec.endswith(BRIEF_SUFFIXES) or os.sep in spec:
        if not path.exists():
            raise BriefNotFound(f"no such file: {spec}")
        return load_brief(path)
    for folder, recursive in zip(_search_folders(), (False, True), strict=True):
        paths = _candidates(folder, recursive)
        # The id defaults to the file stem: try those files first, then the rest.
        for candidate in sorted(paths, key=lambda p: p.stem != spec):
            with contextlib.suppress(BriefError):
                brief = load_brief(candidate)
                if brief.id == spec:
                    return brief
    raise BriefNotFound(
        f"no brief with id `{spec}` in the current folder or the sample library; "
        "give the brief's file path instead"
    )


def _known_briefs() -> dict[str, Brief]:
    briefs: dict[str, Brief] = {}
    for folder, recursive in zip(reversed(_search_folders()), (True, False), strict=True):
        for brief in _folder_briefs(folder, recursive):
            briefs[brief.id] = brief  # the current folder wins over the samples
    return briefs


def _selected(store: NotesBackend, spec: str | None) -> tuple[list[Note], dict[str, Brief]]:
    """The notes the user asked for and the briefs to label them with."""
    if spec is None:
        every: list[Note] = list(store.all_notes())
        return every, _known_briefs()
    try:
        brief = resolve_brief(spec)
    except BriefNotFound:
        # Notes outlive their brief file: a bare id still lists the notes kept for it.
        notes: list[Note] = list(store.notes_for(spec))
        if not notes:
            raise
        return notes, {}
    found: list[Note] = list(store.notes_for(brief.id))
    return found, {brief.id: brief}


def _open_store(args: argparse.Namespace, *, to_write: str | None = None) -> NotesBackend:
    """The user's notes store (the notes URL's: ``--notes-url``, ``TERMBRIEF_NOTES_URL``,
    ``notes_url`` in config.toml, else SQLite), after telling them on stderr what happened to
    it at open.

    Raises:
        NotesError: there is no store to read (it could be neither opened nor created: an
            empty listing would pass for "no notes"), or the store is read-only (or its
            server away) and the command, named by ``to_write``, must write.
    """
    from termbrief.core.settings import load_settings

    settings, _warnings = load_settings()  # the reader shows config problems; not repeated here
    url = resolve_notes_url(args.notes_url, settings.notes_url)
    if url is not None and not url.lower().startswith("sqlite:"):
        team = open_store(url, args.data_dir, default_visibility=settings.note_visibility or "team")
        if team.offline_reason is not None:
            if to_write is not None:
                team.close()
                raise NotesError(f"cannot {to_write}: {team.offline_reason}")
            _warn(f"{team.offline_reason}; only notes waiting on this computer are shown")
        return team
    try:
        folder = args.data_dir if url is None else sqlite_folder(url, args.data_dir)
    except NotesUrlError as error:
        raise NotesError(str(error)) from None
    return SqliteNotes(_open_local(folder, to_write), local_author(settings.user_name))


def _open_local(folder: Path | None, to_write: str | None) -> NotesStore:
    """The SQLite store in ``folder`` (None: the data folder), after the warnings it needs."""
    store = NotesStore.open(folder)
    if store.recovered_backup is not None:
        kept = ""
        if store.salvaged:
            kept = f"; {store.salvaged} notes could still be read from it and were kept"
        _warn(
            f"the notes database was damaged; it was moved to {store.recovered_backup} and a "
            f"fresh one started{kept}"
        )
    if store.read_only_reason is not None:
        if to_write is not None or store.path is None:
            store.close()
            failed = f"cannot {to_write}" if to_write else "cannot open the notes database"
            raise NotesError(f"{failed}: {store.read_only_reason}")
        _warn(f"notes are read-only: {store.read_only_reason}")
    return store


def _report_problems(store: NotesBackend) -> None:
    """Warn about values in the database that no termbrief writes (the notes came out repaired)."""
    for problem in store.problems():
        _warn(problem)


def _write(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` atomically (a temporary file, then rename)."""
    if output is None:
        sys.stdout.write(text)
        return
    folder = output.parent if str(output.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# --------------------------------------------------------------------------- commands


_MARKERS = {"attached": "", "moved": "[moved] ", "changed": "[changed] ", "orphaned": "[orphaned] "}


def _list(args: argparse.Namespace) -> int:
    """``notes list [--full] [BRIEF]``."""
    with _open_store(args) as store:
        notes, briefs = _selected(store, args.brief)
        _report_problems(store)
    if not notes:
        print("No notes.")
        return 0
    by_brief: dict[str, list[Note]] = {}
    for note in notes:
        by_brief.setdefault(note.brief_id, []).append(note)
    for brief_id, group in sorted(by_brief.items()):
        brief = briefs.get(brief_id)
        print(f"{brief_id} — {one_line(brief.title)}" if brief else f"{brief_id} (brief not found)")
        for note, where in _in_reading_order(group, brief):
            print(_listed(note, where, brief, full=args.full))
        print()
    count = len(notes)
    print(f"{count} note{'s' if count != 1 else ''}.")
    return 0


def _in_reading_order(
    notes: list[Note], brief: Brief | None
) -> list[tuple[Note, Placement | None]]:
    """``notes`` with where each is now in ``brief``, in reading order (as written without it)."""
    if brief is None:
        return [(note, None) for note in sorted(notes, key=lambda n: (n.anchor, n.created))]
    order = {anchor: n for n, (anchor, _) in enumerate(labelled_anchors(brief))}
    placed: list[tuple[Note, Placement | None]] = list(
        zip(notes, reanchor(brief, notes), strict=True)
    )

    def position(pair: tuple[Note, Placement | None]) -> tuple[int, str, datetime]:
        note, where = pair
        at = order.get(where.anchor, len(order)) if where and where.anchor else len(order)
        return (at, note.anchor, note.created)

    return sorted(placed, key=position)


def _listed(note: Note, where: Placement | None, brief: Brief | None, *, full: bool) -> str:
    """One note of ``notes list``: when, its state, where it is, and its text (or first line)."""
    if brief is None or where is None:
        label, marker = note.anchor, ""
    else:
        label = where.label(brief, note)
        marker = _MARKERS[where.status]
    when = note.updated.astimezone().strftime("%Y-%m-%d %H:%M")
    head = f"  {when}  {marker}{make_quote(label, 50)}"
    if where is not None and where.target is not None and where.target.is_span:
        head += f" “{make_quote(where.new, 60)}”"
    text = note.text.strip()
    if not text:
        return clean(f"{head}: (highlight)")
    if not full:
        return clean(f"{head}: {make_quote(text.partition(chr(10))[0], 60)}")
    # Every line of the note, indented under its heading.
    body = "\n".join(f"      {line}".rstrip() for line in text.split("\n"))
    return clean(f"{head}:\n{body}")


def _export_notes(args: argparse.Namespace) -> int:
    """``notes export [--format markdown|json|w3c] [--output FILE] [BRIEF]``."""
    with _open_store(args) as store:
        notes, briefs = _selected(store, args.brief)
        _report_problems(store)
    if args.format == "json":
        text = notes_to_json(notes)
    elif args.format == "w3c":
        text = notes_to_w3c(notes)
    else:
        text = notes_to_markdown(notes, briefs)
    _write(text, args.output)
    if args.output is not None:
        print(f"Wrote {len(notes)} notes to {args.output}.", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    """``notes import FILE``."""
    name: str = args.file
    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    try:
        notes = notes_from_w3c(data) if looks_like_w3c(data) else notes_from_json(data)
    except NotesError as error:
        raise NotesError(f"{name}: {error}") from None
    with _open_store(args, to_write="import") as store:
        try:
            changed = store.import_notes(notes)
        except ValueError as error:  # notes_from_json checks the same rules; kept as a net
            raise NotesError(f"{name}: {error}") from None
    unchanged = len(notes) - changed
    print(f"Imported {changed} new or updated notes from {name} ({unchanged} already up to date).")
    return 0


def _gc(args: argparse.Namespace) -> int:
    """``termbrief notes gc``: prune the stored versions of briefs."""
    keep = args.keep
    if keep is None:
        from termbrief.core.settings import load_settings

        keep = load_settings()[0].keep_versions
    if keep is not None and keep < 1:
        _error("--keep must be at least 1")
        return 2
    with _open_store(args, to_write="prune versions") as store:
        removed = store.reading.gc(keep)
    print(f"Removed {removed} stored version{'' if removed == 1 else 's'}.")
    return 0


def _export_brief(args: argparse.Namespace) -> int:
    """``export BRIEF [--notes] [--output FILE]``."""
    brief = resolve_brief(args.brief)
    notes: list[Note] | None = None
    if args.notes:
        with _open_store(args) as store:
            notes = list(store.notes_for(brief.id))
            _report_problems(store)
    _write(brief_to_markdown(brief, notes), args.output)
    return 0
