"""The citation lists of the detail dialogs: an item's sources, and a source's dependants.

Enter on a citation opens the source's detail
(:func:`termbrief.ui.screens.source_detail.open_citation`); Enter on an item resting on a source
closes the dialogs and puts the cursor on that item. Every text is literal.
"""

from __future__ import annotations

from rich.console import Group
from rich.style import Style
from rich.text import Text

from termbrief.core.model import Brief, Citation
from termbrief.core.references import Citing
from termbrief.ui.panes.badges import reliability_badge
from termbrief.ui.panes.pane import Jump
from termbrief.ui.render.safe import one_line
from termbrief.ui.widgets.item_list import Item

_DIM = Style(dim=True)


def citation_item(brief: Brief, citation: Citation) -> Item:
    """One line per citation: the source's title (or the id it names), its locator, its grade."""
    source = brief.source(citation.source)
    title = source.title if source is not None else f"{citation.source} (no such source)"
    line = Text(one_line(title), style=Style(bold=True))
    extras = [citation.locator or "", reliability_badge(source.reliability if source else None)]
    for extra in extras:
        if extra:
            line.append("  " + one_line(extra), _DIM)
    return Item(f"sources:{citation.source}", line)


def citing_item(citing: Citing) -> Item:
    """One entry per item resting on a source: what it is, then the item as one line."""
    head = Text(citing.what, style=_DIM)
    if citing.locator:
        head.append(f"  ({one_line(citing.locator)})", _DIM)
    return Item(citing.anchor, Group(head, Text(one_line(citing.label))))


def citing_jump(citing: Citing) -> Jump:
    """Where Enter on ``citing`` goes: the item (a key point by its text)."""
    return Jump(citing.anchor, 0 if citing.text is not None else None, citing.text)
