"""``termbrief check --fix``: offer the safe, mechanical fixes for syntax slips, never silently.

For each file with fixes, the fixes are listed and shown as a unified diff; the file is written
only after a "y" on the terminal, or with ``--yes``. Writing is atomic (a temporary file in the
same folder, flushed to disk, renamed over the original, its permissions kept), and refused if
the file changed since it was read. The file is then checked again and what remains is printed.
"""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from termbrief.core.files import read_brief_bytes
from termbrief.core.problems import printable
from termbrief.core.yaml_lines import LineEdit
from termbrief.core.yaml_recovery import apply_fixes, syntax_fixes

__all__ = ["offer_fixes"]


def offer_fixes(
    files: list[Path],
    *,
    assume_yes: bool,
    max_bytes: int,
    shown: Callable[[str], str],
    stdin: TextIO | None = None,
) -> set[Path]:
    """Offer the fixes for ``files`` (the invalid ones); returns the files that were written.

    ``shown`` makes a file name safe to print (the check command's own escaping).
    """
    stdin = sys.stdin if stdin is None else stdin
    written: set[Path] = set()
    for path in files:
        try:
            original = read_brief_bytes(str(path), max_bytes)
            text = original.decode("utf-8-sig")
        except (OSError, ValueError):
            continue  # check has already said why this file cannot be read
        fixes = syntax_fixes(text)
        if not fixes:
            continue
        name = shown(str(path))
        fixed = apply_fixes(text, fixes)
        _show(name, text, fixed, fixes)
        if not assume_yes and not _confirmed(name, len(fixes), stdin):
            continue
        if _write(path, original, fixed, name):
            written.add(path)
    return written


def _show(name: str, text: str, fixed: str, fixes: list[LineEdit]) -> None:
    count = len(fixes)
    print(f"{name}: {count} fix{'es' if count != 1 else ''} available:")
    for fix in fixes:
        print(f"  line {fix.line + 1}: {printable(fix.fix)}")
    diff = difflib.unified_diff(
        text.splitlines(keepends=True),
        fixed.splitlines(keepends=True),
        fromfile=f"{name} (now)",
        tofile=f"{name} (fixed)",
    )
    for line in diff:
        # A brief's own text: shown with control characters escaped, one diff line per line.
        print(line[0] + printable(line[1:].rstrip("\r\n"), limit=10_000))


def _confirmed(name: str, count: int, stdin: TextIO) -> bool:
    if not stdin.isatty():
        print(
            f"{name}: not written (no terminal to ask; run `termbrief check --fix --yes` to "
            "write the fixes)",
            file=sys.stderr,
        )
        return False
    print(f"apply {'this fix' if count == 1 else 'these fixes'} to {name}? [y/N] ", end="")
    sys.stdout.flush()
    answer = stdin.readline().strip().lower()
    if answer in ("y", "yes"):
        return True
    print(f"{name}: not written")
    return False


def _write(path: Path, original: bytes, fixed: str, name: str) -> bool:
    """Atomically replace ``path`` with ``fixed``, unless it changed since it was read."""
    try:
        if path.read_bytes() != original:
            print(f"{name}: changed while you were deciding; not written", file=sys.stderr)
            return False
        data = fixed.encode("utf-8")
        if original.startswith(b"\xef\xbb\xbf"):
            data = b"\xef\xbb\xbf" + data  # the byte order mark the file had
        mode = path.stat().st_mode & 0o7777
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        print(f"{name}: not written: {error.strerror or error}", file=sys.stderr)
        return False
    print(f"{name}: fixes written")
    return True
