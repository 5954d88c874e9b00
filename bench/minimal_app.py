"""The floor of every start-up benchmark: the smallest Textual app that shows a title.

``python bench/minimal_app.py TITLE`` shows a Header, one Static with TITLE, and a Footer.
termbrief cannot start faster than this on the same machine at the same moment, so start-up
figures are ratios against it, measured in the same run.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class MinimalApp(App[None]):
    """Header, one Static showing the title text, Footer."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._text, markup=False)
        yield Footer()


if __name__ == "__main__":
    MinimalApp(" ".join(sys.argv[1:]) or "termbrief").run()
