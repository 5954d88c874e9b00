"""The user's editor (``$VISUAL``, else ``$EDITOR``), run in the terminal the app hands over.

:func:`editor_command` builds the command line that opens a file at a line, in the form the
editor understands (``+12 FILE`` for vi, nano, emacs, micro, kakoune and most others;
``--goto FILE:12`` for VS Code; ``FILE:12`` for Helix, Sublime Text and Zed). :func:`run_editor`
suspends the app (``App.suspend``: the terminal is restored for the editor and taken back after),
runs the command and says what went wrong, if anything. Live reload then shows the saved file.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from textual.app import App, SuspendNotSupported

EDITOR_VARIABLES: Final = ("VISUAL", "EDITOR")
"""Where the editor is named, in the order looked at (as git and most Unix tools do)."""
_GOTO_FLAG: Final = frozenset({"code", "code-insiders", "codium", "vscodium", "cursor"})
"""Editors that take ``--goto FILE:LINE``."""
_FILE_COLON_LINE: Final = frozenset({"hx", "helix", "subl", "sublime_text", "zed", "zeditor"})
"""Editors that take ``FILE:LINE``."""


def editor_words(environ: Mapping[str, str]) -> list[str] | None:
    """The editor command from ``$VISUAL`` or ``$EDITOR`` (which may hold arguments, quoted as
    in a shell); None when neither is set."""
    for variable in EDITOR_VARIABLES:
        value = environ.get(variable, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:  # an unbalanced quote: take it word by word
                words = value.split()
            if words:
                return words
    return None


def editor_command(
    path: Path, line: int | None, environ: Mapping[str, str] = os.environ
) -> list[str] | None:
    """The command that opens ``path`` at ``line`` (1-based; None: at the top) in the user's
    editor; None when no editor is set."""
    words = editor_words(environ)
    if words is None:
        return None
    # Absolute, so that a file named "+1" or "-x" is never read as an option.
    target = os.path.abspath(path)
    if line is None or line < 1:
        return [*words, target]
    program = Path(words[0]).name.removesuffix(".exe")
    if program in _GOTO_FLAG:
        return [*words, "--goto", f"{target}:{line}"]
    if program in _FILE_COLON_LINE:
        return [*words, f"{target}:{line}"]
    return [*words, f"+{line}", target]


def run_editor(app: App[Any], command: list[str]) -> str | None:
    """Hand the terminal to ``command`` until it exits; what went wrong, or None.

    Ctrl+C typed in the editor reaches every process of the terminal's foreground group: the
    app ignores it meanwhile (as git does), the editor decides what it means.
    """
    name = Path(command[0]).name
    failure: str | None = None
    try:
        with app.suspend():
            # Nothing may escape this block: suspend() does not take the terminal back then.
            try:
                process = subprocess.Popen(command)
            except (OSError, ValueError) as error:  # not found, not executable, a NUL
                reason = getattr(error, "strerror", None) or error
                failure = f"Could not start the editor {name}: {reason}."
            else:
                failure = _wait(process, name)
    except SuspendNotSupported:
        return "This terminal cannot be handed over to an editor (the app cannot suspend here)."
    return failure


def _wait(process: subprocess.Popen[bytes], name: str) -> str | None:
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        code = process.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return None if code == 0 else f"The editor {name} exited with status {code}."
