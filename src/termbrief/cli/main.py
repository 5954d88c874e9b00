"""The command line: open briefs in the reader, check them, print the schema, notes, export.

Sub-commands that do not show the reader (``check``, ``schema``, ``notes``, ``export``) never
import Textual, so they start quickly.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from termbrief import __version__

if TYPE_CHECKING:
    from termbrief.core.settings import KeymapRules

EXAMPLES = """\
examples:
  termbrief                              open the bundled sample library
  termbrief briefs/                      open every brief under a folder
  termbrief brief.yaml                   open one brief
  termbrief --theme nord briefs/         open with a theme
  termbrief check briefs/                validate briefs (path:line:col: error: message)
  termbrief check --format json a.yaml   the same, as JSON for tools
  termbrief check --fix a.yaml           offer safe fixes (quoting a value...), ask first
  termbrief schema > brief.schema.json   the JSON Schema for editors
  termbrief notes list                   your notes (see `termbrief notes --help`)
  termbrief export brief.yaml --notes    the brief as Markdown, with your notes
  termbrief diff old.yaml new.yaml       what changed, item by item (exit 1 if anything)
  termbrief diff brief.yaml --rev HEAD   what changed since the last git commit
"""

SUBCOMMANDS = ("check", "schema", "notes", "export", "diff")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            return _run_subcommand(args)
        return _open(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="termbrief",
        description="Read policy briefs in the terminal: panes, keys, notes that are never lost.",
        epilog=EXAMPLES
        + "\nother commands: "
        + ", ".join(SUBCOMMANDS)
        + " (termbrief COMMAND --help)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="brief files or folders of briefs (default: the sample library)",
    )
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. nord, gruvbox")
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="where notes are kept (overrides the default)"
    )
    parser.add_argument(
        "--notes-url",
        metavar="URL",
        help="notes on a team server (postgresql://NAME@HOST/DATABASE) or sqlite:///FOLDER; "
        "overrides TERMBRIEF_NOTES_URL and notes_url in config.toml",
    )
    parser.add_argument("--version", action="version", version=f"termbrief {__version__}")
    return parser


def _open(args: list[str]) -> int:
    parser = _open_parser()
    options = parser.parse_args(args)
    paths: list[Path] = options.paths
    for path in paths:
        if not path.exists():
            parser.error(f"no such file or folder: {path}")
    # Importing Textual and the app creates many long-lived objects and next to no garbage:
    # the collector's passes over them are wasted start-up time. What the imports made is
    # frozen (out of the collector's sight, as termbrief.ui.app does for embedders too) and
    # collection resumes once the first frame is on screen (TermbriefApp.on_ready).
    gc.disable()
    try:
        from textual.theme import BUILTIN_THEMES

        from termbrief.core.library import sample_library_path
        from termbrief.core.settings import load_settings
        from termbrief.core.startup import plan_opening
        from termbrief.ui.app import TermbriefApp
    except BaseException:
        gc.enable()
        raise
    gc.freeze()

    if options.theme is not None and options.theme not in BUILTIN_THEMES:
        parser.error(f"unknown theme {options.theme!r}; choose one of: {', '.join(BUILTIN_THEMES)}")

    settings, warnings = load_settings(_keymap_rules)
    plan = plan_opening(paths or [sample_library_path()], settings.last_brief)
    app = TermbriefApp(
        plan,
        theme=options.theme,
        data_dir=options.data_dir,
        settings=settings,
        setting_warnings=warnings,
        notes_url=options.notes_url,
    )
    try:
        app.run()
    finally:
        gc.enable()
    return app.return_code or 0


def _run_subcommand(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="termbrief", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser(
        "check",
        help="validate brief files and folders",
        description="Validate briefs. One line per problem: path:line:col: error: message "
        "(and a `note:` line with the YAML parser's own words for a syntax error). "
        "Exit status: 0 all valid (after the fixes written, with --fix), 1 some invalid, "
        "2 usage error.",
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--max-bytes", type=int, default=None, metavar="N", help="size limit per file (5 MiB)"
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="offer safe fixes for syntax slips (quoting a value, a tab): shows a diff, asks",
    )
    check.add_argument("--yes", action="store_true", help="with --fix: write without asking")
    check.set_defaults(func=_check)

    schema = commands.add_parser("schema", help="print the JSON Schema of the brief format")
    schema.set_defaults(func=_schema)

    if args[0] in ("notes", "export"):
        import termbrief.cli.notes as notes_cli

        notes_cli.add_subcommands(commands)
    if args[0] == "diff":
        import termbrief.cli.diff as diff_cli

        diff_cli.add_subcommand(commands)

    options = parser.parse_args(args)
    result: int = options.func(options)
    return result


def _check(options: argparse.Namespace) -> int:
    from termbrief.core.library import find_brief_files, listing_problem
    from termbrief.core.loader import DEFAULT_MAX_BYTES, BriefError, Problem, load_brief

    _tolerant_output()
    missing = [path for path in options.paths if not path.exists()]
    if missing:
        for path in missing:
            shown = _one_line(str(path))
            print(f"termbrief check: no such file or folder: {shown}", file=sys.stderr)
        return 2
    files = find_brief_files(options.paths)
    if not files:
        print("termbrief check: no *.yaml or *.yml files found", file=sys.stderr)
        return 2
    max_bytes = options.max_bytes or DEFAULT_MAX_BYTES
    if (options.yes and not options.fix) or (options.fix and options.format == "json"):
        print("termbrief check: --yes goes with --fix, and --fix with text output", file=sys.stderr)
        return 2
    if options.fix:
        from termbrief.cli.check_fix import offer_fixes

        offer_fixes(files, assume_yes=options.yes, max_bytes=max_bytes, shown=_one_line)
    results: list[tuple[Path, tuple[Problem, ...]]] = []
    for path in files:
        unreadable = listing_problem(path)  # a FIFO, a device, an unreadable folder: not opened
        if unreadable is not None:
            results.append((path, (unreadable,)))
            continue
        try:
            load_brief(path, max_bytes=max_bytes)
            results.append((path, ()))
        except BriefError as error:
            results.append((path, error.problems))
    invalid = sum(1 for _, problems in results if problems)
    count = sum(len(problems) for _, problems in results)
    if options.format == "json":
        document = {
            "files": [
                {
                    "path": str(path),
                    "valid": not problems,
                    "problems": [
                        {"line": p.line, "column": p.column, "message": p.message}
                        | ({"detail": p.detail} if p.detail else {})
                        for p in problems
                    ],
                }
                for path, problems in results
            ],
            "checked": len(results),
            "invalid": invalid,
            "problems": count,
        }
        import json

        print(_json_safe(json.dumps(document, indent=2, ensure_ascii=False)))
    else:
        for path, problems in results:
            shown = _one_line(str(path))
            for problem in problems:
                message = _one_line(problem.message)
                print(f"{shown}:{problem.line}:{problem.column}: error: {message}")
                if problem.detail:  # the parser's own words, as compilers add a note
                    note = _one_line(problem.detail)
                    print(f"{shown}:{problem.line}:{problem.column}: note: {note}")
        noun = "file" if len(results) == 1 else "files"
        if invalid:
            print(
                f"checked {len(results)} {noun}: {len(results) - invalid} valid, "
                f"{invalid} invalid, {count} problem{'s' if count != 1 else ''}"
            )
        else:
            print(f"checked {len(results)} {noun}: all valid")
    return 1 if invalid else 0


# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the lone surrogates
# that stand for the bytes of a file name that is not UTF-8 (Python's surrogateescape).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""What ``json.dumps(ensure_ascii=False)`` leaves raw inside strings (it escapes C0 itself)."""
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _one_line(text: str) -> str:
    """``text`` as one line that is safe on a terminal and valid UTF-8: control characters, line
    separators and the undecodable bytes of a file name shown as backslash escapes."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _json_safe(document: str) -> str:
    """JSON with nothing a terminal acts on: what ``json.dumps`` leaves raw (C1 controls, DEL,
    line separators, surrogates of undecodable file names) as ``\\uXXXX``, which is valid JSON
    and decodes to the same strings (a Python tool gets the exact file name back)."""
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", document)


def _tolerant_output() -> None:
    """A character the output's encoding cannot show is escaped instead of ending the run."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _schema(options: argparse.Namespace) -> int:
    import json

    from termbrief.core.model import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


def _keymap_rules() -> KeymapRules:
    """The keymap rules, read from the live bindings only when the config has a ``[keymap]``
    (importing every dialog costs start-up time)."""
    from termbrief.ui.keymap import keymap_rules

    return keymap_rules()
