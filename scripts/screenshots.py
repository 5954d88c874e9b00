"""Regenerate ``screenshots/`` (the README images) from the sample library: ``make screenshots``.

Drives the real :class:`termbrief.ui.app.TermbriefApp` headless (``run_test``) with Pilot key presses
and saves an SVG of each main view at 120×40 and 80×24. PNGs are written too when ``cairosvg``
(and the system cairo library it wraps) can be imported, or else librsvg's ``rsvg-convert`` is
installed; otherwise the PNG step is skipped with a message. User settings and notes live in a
temporary folder, so your own never leak into the images and the images never depend on them.

Usage: ``python scripts/screenshots.py [--out DIR] [--only NAME ...]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from termbrief.ui.app import TermbriefApp

SIZES = ((120, 40), (80, 24))
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class View:
    """One screenshot: how to start the app and which keys lead to the view."""

    name: str
    """File name stem, e.g. ``grid`` -> ``grid-120x40.svg``."""
    show_library: bool | None
    """Start with the library sidebar shown (True) or hidden (False); None: as a new user
    opens the reader, the reader decides (shown on a wide terminal)."""
    keys: tuple[str, ...] = ()
    """Keys pressed after start-up, in order."""
    sizes: tuple[tuple[int, int], ...] = SIZES
    """Terminal sizes to capture."""


VIEWS = (
    # What a new user sees first: `termbrief` on the sample library, nothing remembered.
    View("first", show_library=None, sizes=((120, 40),)),
    # At 120 columns this is the 2x2 grid; at 80 the same view is the tabbed layout.
    View("grid", show_library=False, sizes=((120, 40),)),
    View("tabs", show_library=False, sizes=((80, 24),)),
    # The key figures as cards, every value and label whole, beside the library.
    View("figures", show_library=True, keys=("2",)),
    View("figure-detail", show_library=False, keys=("2", "enter")),
    View("actor-detail", show_library=False, keys=("3", "enter")),
    # b hides the sidebar, b again shows it with the keyboard in it (focused, as a reader sees it).
    View("library", show_library=True, keys=("b", "b")),
    View("help", show_library=False, keys=("question_mark",)),
)


def isolate_user_folders(root: Path) -> None:
    """Make ``root`` the home folder, with the usual XDG layout (before any setting is read).

    The images then show paths as a reader sees them (``~/.config/termbrief/config.toml``).
    """
    os.environ["HOME"] = str(root)
    for variable, folder in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        os.environ[variable] = str(root / folder)
    os.environ.pop("TERMBRIEF_CONFIG_DIR", None)
    os.environ.pop("TERMBRIEF_DATA_DIR", None)


async def settle(pilot: Pilot[None]) -> None:
    """Let mounting, Markdown and layout finish (not workers: a file watcher never ends)."""
    for _ in range(4):
        await pilot.pause(0.05)
    await pilot.app.animator.wait_until_complete()
    await pilot.pause()


async def capture(make_app: Callable[[], TermbriefApp], view: View, size: tuple[int, int]) -> str:
    """The SVG of ``view`` at ``size``."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in view.keys:
            await pilot.press(key)
            await settle(pilot)
        return app.export_screenshot(title="termbrief")


def png_writer() -> Callable[[str, Path], None] | None:
    """A function that writes an SVG as PNG, or None when no converter is available.

    cairosvg (Python, needs the system cairo) first, else librsvg's ``rsvg-convert`` command.
    """
    try:
        import cairosvg  # type: ignore[import-not-found, unused-ignore]
    except (ImportError, OSError) as error:  # OSError: the package is there, libcairo is not
        reason = f"cairosvg is not usable ({error})"
    else:

        def write_cairo(svg: str, path: Path) -> None:
            cairosvg.svg2png(bytestring=svg.encode("utf-8"), write_to=str(path))

        return write_cairo
    rsvg = shutil.which("rsvg-convert")
    if rsvg is None:
        print(f"PNG skipped: {reason} and rsvg-convert is not installed; SVGs only.")
        return None

    def write_rsvg(svg: str, path: Path) -> None:
        subprocess.run(
            [rsvg, "--format", "png", "--output", str(path)],
            input=svg.encode("utf-8"),
            check=True,
        )

    return write_rsvg


async def main_async(out: Path, only: Sequence[str]) -> int:
    """Write every selected view; returns the number of files written."""
    from termbrief.core import locations
    from termbrief.core.library import sample_library_path
    from termbrief.ui.app import TermbriefApp

    library = sample_library_path()
    data_dir = locations.data_dir()
    out.mkdir(parents=True, exist_ok=True)
    write_png = png_writer()
    written = 0
    for view in VIEWS:
        if only and view.name not in only:
            continue
        for size in view.sizes:

            def make_app(view: View = view) -> TermbriefApp:
                return TermbriefApp([library], data_dir=data_dir, show_library=view.show_library)

            svg = await capture(make_app, view, size)
            stem = f"{view.name}-{size[0]}x{size[1]}"
            svg_path = out / f"{stem}.svg"
            svg_path.write_text(svg, encoding="utf-8")
            written += 1
            print(f"wrote {svg_path}")
            if write_png is not None:
                write_png(svg, out / f"{stem}.png")
                written += 1
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=REPO / "screenshots", help="output folder")
    parser.add_argument(
        "--only",
        nargs="*",
        default=(),
        choices=[view.name for view in VIEWS],
        help="only these views",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="termbrief-screenshots-") as folder:
        isolate_user_folders(Path(folder))
        written = asyncio.run(main_async(args.out.resolve(), args.only))
    print(f"{written} files in {args.out}")
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
