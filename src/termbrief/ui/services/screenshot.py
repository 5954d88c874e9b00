"""Save a picture of the screen (SVG) and say where it went, or why it could not be saved.

Textual's own "Screenshot" command saves into the user's downloads folder and, when that folder
does not exist (a server, a fresh account), only says that it failed. Here the picture goes to
the downloads folder when there is one, else to the current folder, and the notification names
the file, or the folder and the reason it could not be written.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import platformdirs
from textual.app import App

from termbrief.ui.render.safe import reveal


def screenshot_folder() -> Path:
    """Where screenshots go: the user's downloads folder if it exists, else the current one."""
    downloads = platformdirs.user_downloads_path()
    return downloads if downloads.is_dir() else Path.cwd()


def save_screenshot(app: App[Any], folder: Path | None = None) -> Path | None:
    """Save the screen as an SVG file in ``folder`` (default :func:`screenshot_folder`), never
    over an existing file; notify where it went, or why not. Returns the file, or None."""
    folder = folder if folder is not None else screenshot_folder()
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    try:
        svg = app.export_screenshot()
        for number in range(100):
            path = folder / f"termbrief_{stamp}{f'_{number}' if number else ''}.svg"
            try:
                with path.open("x", encoding="utf-8") as file:  # "x": never overwrite
                    file.write(svg)
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(f"termbrief_{stamp}_*.svg exist already")
    except OSError as error:
        app.notify(
            f"Could not save a screenshot in {reveal(str(folder))}: {error.strerror or error}",
            title="Screenshot",
            severity="error",
            markup=False,
        )
        return None
    app.notify(f"Saved a screenshot as {reveal(str(path))}", title="Screenshot", markup=False)
    return path
