"""The command line: open briefs in the reader, check them, print the schema, notes, export.

Sub-commands that do not show the reader (``check``, ``schema``, ``notes``, ``export``) never
import Textual, so they start quickly.
"""

from __future__ import annotations

import argparse
import gc
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
    from termbrief.cli.check import run_check  # the reader never needs it

    return run_check(options)


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
