"""End to end in a real terminal (tmux): a figure's citation leads to its source, and the
source's "rests on" list leads back to the figure (tests/data/reports/red-sea-shipping.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tmux_terminal import Terminal, open_terminal

pytestmark = pytest.mark.e2e

REPORT = Path(__file__).parent / "data" / "reports" / "red-sea-shipping.yaml"
SOURCE_TITLE = "Navigating Troubled Waters"
FIGURE = "Fall in Suez Canal transits compared with their peak"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    yield from open_terminal(tmp_path)


def test_a_citation_walks_to_its_source_and_back(terminal: Terminal) -> None:
    terminal.start([str(REPORT)], 120, 40)
    terminal.wait_for_text("Red Sea attacks and low water", "Key figures", "/ Find")
    for key in ("2", "j"):  # the figures pane, then its second figure (the fall in Suez transits)
        before = terminal.styled_screen()
        terminal.press(key)
        terminal.wait_for_change(before)  # the focus or the cursor moved
    terminal.press("Enter")
    screen = terminal.wait_for_text("Sources cited (1)", "Other estimates")
    assert "−42 % vs the canal's recent peak" in screen
    terminal.press("Tab", "Enter")  # the citation list, its one citation
    screen = terminal.wait_for_text("Rests on this source (", "A (completely reliable)")
    assert SOURCE_TITLE in screen
    # The source's dependants: the figure is the second (after the first figure).
    terminal.press("j", "Enter")
    screen = terminal.wait_for(
        lambda text: "Rests on this source" not in text and "Sources cited" not in text,
        "both dialogs to close",
    )
    assert "Key figures" in screen
    terminal.press("Enter")  # the cursor is back on the figure: Enter opens it again
    screen = terminal.wait_for_text("Sources cited (1)")
    assert FIGURE in screen
