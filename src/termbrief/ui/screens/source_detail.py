"""Detail of one source: its facts, and what in the brief rests on it (each a jump).

Opened by Enter on a source in the sources pane (:func:`open_source`) or on a citation in an
item's detail (:func:`open_citation`); ``o`` there offers to open the source's link.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from termbrief.core.anchors import Anchor
from termbrief.core.model import Brief, Citation, Source
from termbrief.core.references import resting_on
from termbrief.ui.panes.badges import reliability_words
from termbrief.ui.panes.pane import Jump
from termbrief.ui.panes.sources import OPEN_LINK_ID
from termbrief.ui.render.markdown import link_style, literal, markdown_group
from termbrief.ui.render.safe import reveal
from termbrief.ui.screens.citations import citing_item, citing_jump
from termbrief.ui.screens.detail import DetailBody, DetailScreen, facts_table
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.key_names import key_for


def source_links(source: Source) -> tuple[str, ...]:
    """The addresses of ``source``: its ``url``, then the links of its note, each once."""
    links = [source.url] if source.url else []
    if source.note:
        _note, note_links = markdown_group(source.note)
        links += note_links
    return tuple(dict.fromkeys(links))


def source_renderable(source: Source) -> RenderableType:
    """The facts and note of ``source``; its address with every unprintable character shown."""
    facts = facts_table(
        [
            ("Publisher", source.publisher),
            ("Author", source.author),
            ("Published", source.published.words if source.published else None),
            ("Kind", source.kind),
            ("Reliability", reliability_words(source.reliability) if source.reliability else None),
            ("Cited as", source.id),
        ]
    )
    parts: list[RenderableType] = [facts]
    if source.url:
        parts += [Text(), literal(reveal(source.url), link_style(source.url))]
    if source.note:
        note, _links = markdown_group(source.note)
        parts += [Text(), note]
    return Group(*parts)


class SourceDetailScreen(DetailScreen):
    """Shows one source and what rests on it; Enter on an item jumps to it, ``o`` offers to
    open the source's link, Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_link", "Open the source's link", id=OPEN_LINK_ID),
    ]

    DEFAULT_CSS = """
    SourceDetailScreen #source-detail { height: auto; max-height: 45%; }
    SourceDetailScreen #resting-title { margin-top: 1; text-style: bold; }
    SourceDetailScreen #resting { height: 1fr; border: none; padding: 0; }
    """

    def __init__(self, brief: Brief, source: Source) -> None:
        super().__init__(source.title)
        self.brief = brief
        self.source = source
        self._resting = resting_on(brief, source.id) if source.id else []
        self.links = source_links(source)
        """The source's addresses (``o`` opens one, after the reader confirms it)."""

    def compose_body(self) -> ComposeResult:
        with DetailBody(id="source-detail"):
            yield Static(source_renderable(self.source), id="source-text")
        count = len(self._resting)
        title = f"Rests on this source ({count})" if count else "Nothing in the brief cites it"
        with Vertical(id="resting-box"):
            yield Static(Content(title), id="resting-title")
            yield ItemList(id="resting")

    def on_mount(self) -> None:
        if self.links:
            frame = self.query_one("#detail-frame")
            frame.border_subtitle = Content(
                f"{key_for(self, OPEN_LINK_ID, 'o')} opens the link · Esc closes"
            )
        resting = self.query_one("#resting", ItemList)
        resting.set_items([citing_item(citing) for citing in self._resting])
        if self._resting:
            resting.focus()
        else:
            self.query_one(DetailBody).focus()

    @on(ItemList.Activated, "#resting")
    def _jump(self, event: ItemList.Activated) -> None:
        event.stop()
        index = event.item_list.highlighted
        if index is not None:
            self.dismiss(citing_jump(self._resting[index]))

    def action_open_link(self) -> None:
        """Offer to open the source's link (several: pick one first)."""
        from termbrief.ui.screens.links import open_links

        open_links(self, self.links)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_link":
            return bool(self.links)
        return True


def source_at(brief: Brief, anchor: str) -> Source | None:
    """The source at ``anchor`` (``sources/<n>``, counting from 1), if there is one."""
    try:
        number = Anchor.parse(anchor).item
    except ValueError:
        return None
    if number is None or not number.isdigit() or not 0 < int(number) <= len(brief.sources):
        return None
    return brief.sources[int(number) - 1]


def open_source(
    screen: Screen[None], brief: Brief, anchor: str, jump: Callable[[Jump | None], None]
) -> None:
    """Show the detail of the source at ``anchor`` over ``screen``; ``jump`` gets where the
    reader asked to go from there (an item resting on the source), or None."""
    source = source_at(brief, anchor)
    if source is not None:
        screen.app.push_screen(SourceDetailScreen(brief, source), jump)


def open_citation(screen: ModalScreen[Jump | None], brief: Brief, citation: Citation) -> None:
    """Show the cited source's detail over ``screen``; a jump chosen there closes ``screen``
    with it too, so the brief screen goes there."""
    source = brief.source(citation.source)
    if source is None:
        return

    def then(jump: Jump | None) -> None:
        if jump is not None:
            screen.dismiss(jump)

    screen.app.push_screen(SourceDetailScreen(brief, source), then)
