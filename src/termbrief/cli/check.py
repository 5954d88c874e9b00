"""``termbrief check``: validate briefs, one line per problem (``path:line:col: error: message``)
or JSON, with nothing a terminal would act on; ``--fix`` offers safe fixes (:mod:`.check_fix`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

__all__ = ["run_check"]


def run_check(options: argparse.Namespace) -> int:
    """``termbrief check``: one line per problem (or JSON), the exit status of the command."""
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
