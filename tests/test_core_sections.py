"""core.sections: the one table of sections and panes, and who reads it; the vocabulary modules
import neither Textual nor Rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from termbrief.core import sections
from termbrief.core.anchors import Anchor
from termbrief.core.library import Entry
from termbrief.core.model import Brief
from termbrief.core.search import PANES as SEARCH_PANES
from termbrief.ui.commands import pane_candidates
from termbrief.ui.panes.pane import pane_id, pane_number
from termbrief.ui.panes.pane_bar import bar_content

VOCABULARY = ["termbrief.core.sections", "termbrief.core.anchors", "termbrief.core.text"]


@pytest.mark.parametrize("module", VOCABULARY)
def test_vocabulary_module_imports_neither_textual_nor_rich(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
        "print(leaked); raise SystemExit(1 if leaked else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"{module} imports: {result.stdout}{result.stderr}"


def test_the_table() -> None:
    keys = [s.key for s in sections.SECTIONS]
    assert keys == [
        "summary",
        "key_points",
        "figures",
        "actors",
        "commentary",
        "timeline",
        "sources",
    ]
    assert tuple(keys) == sections.SECTION_KEYS
    # Every field of the format that holds a section is in the table (and only those).
    assert set(keys) <= set(Brief.__struct_fields__)
    # Panes are numbered 1, 2, ... in reading order; key points live in the summary pane.
    assert [p.number for p in sections.PANES] == list(range(1, len(sections.PANES) + 1))
    assert tuple(k for k in keys if k != "key_points") == sections.PANE_KEYS
    assert sections.pane_of("key_points") == sections.section("summary")
    assert sections.section("key_points").number == 1
    assert [s.key for s in sections.SECTIONS if s.kind == "table"] == ["figures", "actors"]
    with pytest.raises(KeyError):
        sections.section("nowhere")


def test_panes_read_the_table() -> None:
    assert SEARCH_PANES == sections.PANE_KEYS
    assert pane_id("figures") == "figures-table"
    assert pane_id("key_points") == "summary-list"
    assert pane_number("key_points") == 1
    assert pane_number("sources") == 6
    assert bar_content("figures").plain.split() == [
        word for p in sections.PANES for word in (str(p.number), *p.title.split())
    ]


class _Host:
    """The little of the app the palette's pane commands need."""

    def __init__(self) -> None:
        brief = Brief(title="T", summary="S")
        self.current = Entry(Path("/lib/t.yaml"), brief)
        self.opened: list[str | None] = []

    def open_entry(self, entry: Entry, *, anchor: str | None = None) -> None:
        self.opened.append(anchor)


def test_the_palette_reads_the_table() -> None:
    host = _Host()
    candidates = pane_candidates(host)
    assert [c.text for c in candidates] == [f"Pane: {p.title}" for p in sections.PANES]
    assert candidates[1].help == "Focus the key figures pane (key 2)"
    for candidate in candidates:
        candidate.command()
    assert host.opened == [str(Anchor(p.key)) for p in sections.PANES]
