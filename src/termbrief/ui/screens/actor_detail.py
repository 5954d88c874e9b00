"""Detail of one actor: role, affiliation, aliases, description, its notes in full (with their
state), and every mention in the brief.

Each mention is a jump: Enter closes the dialog and puts the cursor on the mentioning item.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from termbrief.core.anchors import Anchor
from termbrief.core.annotation import Note, Placement
from termbrief.core.model import Actor, Brief
from termbrief.core.references import Link, links_of
from termbrief.ui.panes.pane import Jump
from termbrief.ui.render.markdown import HIGHLIGHT_STYLE, markdown_group
from termbrief.ui.render.notes import notes_section
from termbrief.ui.render.safe import clean, one_line
from termbrief.ui.screens.detail import DetailBody, DetailScreen, facts_table
from termbrief.ui.widgets.item_list import Item, ItemList

SNIPPET_CONTEXT = 60
"""Characters shown on each side of a mention, about."""


def actor_renderable(actor: Actor, notes: Sequence[tuple[Note, Placement]] = ()) -> RenderableType:
    """The facts and description of ``actor``, then its ``notes``."""
    facts = facts_table(
        [
            ("Kind", actor.kind),
            ("Role", actor.role),
            ("Affiliation", actor.affiliation),
            ("Also called", ", ".join(actor.aliases)),
        ]
    )
    parts: list[RenderableType] = [facts]
    if actor.description:
        description, _links = markdown_group(actor.description)
        parts += [Text(), description]
    parts += notes_section(notes)
    return Group(*parts)


def snippet(text: str, start: int, end: int) -> Text:
    """One line of ``text`` (a segment's text, as shown) around ``text[start:end]``, cut
    between words, the match highlighted."""
    from termbrief.core.snippets import snippet as around

    width = 2 * SNIPPET_CONTEXT + end - start
    line, (first, last) = around(text, start, end, before=SNIPPET_CONTEXT, width=width)
    result = Text.assemble(
        clean(line[:first]), (clean(line[first:last]), HIGHLIGHT_STYLE), clean(line[last:])
    )
    result.highlight_regex("^…|…$", Style(dim=True))
    return result


def mention_items(brief: Brief, actor: Actor) -> list[tuple[Item, Jump]]:
    """An item and a jump for every place ``brief`` names ``actor``."""
    from termbrief.core.anchors import Anchor
    from termbrief.core.search import find_mentions

    result = []
    for match in find_mentions(brief, actor):
        segment = match.segment
        where = Anchor.parse(segment.anchor).label(brief)
        label = Text(one_line(where), style=Style(bold=True))
        if segment.field not in ("summary", "key_point"):
            label.append(f"  ({segment.field})", style=Style(dim=True))
        renderable = Group(label, snippet(segment.text, match.start, match.end))
        jump = Jump(segment.anchor, match.start, segment.text)
        result.append((Item(segment.anchor, renderable), jump))
    return result


def relation_item(actor: Actor, link: Link) -> Item:
    """``Jan Hoffmann → member-of → UNCTAD``, then when and a note, dim."""
    line = Text(one_line(link.text(actor)))
    relation = link.relation
    for extra in (f"since {relation.since.text}" if relation.since else None, relation.note):
        if extra:
            line.append(f"  ·  {one_line(extra)}", style=Style(dim=True))
    other = link.other.id if link.other is not None else relation.to
    return Item(str(Anchor.actor(other)), line)


class ActorDetailScreen(DetailScreen):
    """Shows one actor, its relations both ways, its sources and its mentions; Enter on a
    relation or a mention jumps to it, on a source opens the source; Escape closes."""

    DEFAULT_CSS = """
    ActorDetailScreen #actor-detail { height: auto; max-height: 45%; }
    ActorDetailScreen #mentions-title { margin-top: 1; text-style: bold; }
    ActorDetailScreen #mentions { height: 1fr; border: none; padding: 0; }
    ActorDetailScreen .actor-links-title { margin-top: 1; text-style: bold; }
    ActorDetailScreen .actor-links { height: auto; max-height: 6; border: none; padding: 0; }
    """

    def __init__(
        self, brief: Brief, actor: Actor, notes: Sequence[tuple[Note, Placement]] = ()
    ) -> None:
        """The detail of ``actor`` in ``brief``, with ``notes`` (each placed in ``brief``)."""
        super().__init__(actor.name)
        self.brief = brief
        self.actor = actor
        self.notes = tuple(notes)
        """The actor's notes, with where each is now."""
        self._mentions = mention_items(brief, actor)
        self._links = links_of(brief, actor)
        self._citations = actor.citations

    def compose_body(self) -> ComposeResult:
        with DetailBody(id="actor-detail"):
            yield Static(actor_renderable(self.actor, self.notes), id="actor-text")
        if self._links:
            title = f"Relations ({len(self._links)})"
            yield Static(Content(title), id="relations-title", classes="actor-links-title")
            yield ItemList(id="relations", classes="actor-links")
        if self._citations:
            title = f"Sources cited ({len(self._citations)})"
            yield Static(Content(title), id="cited-title", classes="actor-links-title")
            yield ItemList(id="cited", classes="actor-links")
        count = len(self._mentions)
        title = f"Mentions in this brief ({count})" if count else "Not mentioned elsewhere"
        with Vertical(id="mentions-box"):
            yield Static(Content(title), id="mentions-title")
            yield ItemList(id="mentions")

    def on_mount(self) -> None:
        if self._links:
            relations = self.query_one("#relations", ItemList)
            relations.set_items([relation_item(self.actor, link) for link in self._links])
        if self._citations:
            from termbrief.ui.screens.citations import citation_item

            cited = self.query_one("#cited", ItemList)
            cited.set_items([citation_item(self.brief, c) for c in self._citations])
        mentions = self.query_one("#mentions", ItemList)
        mentions.set_items([item for item, _jump in self._mentions])
        if self._mentions:
            mentions.focus()
        else:
            self.query_one(DetailBody).focus()

    @on(ItemList.Activated, "#relations")
    def _jump_to_relation(self, event: ItemList.Activated) -> None:
        event.stop()
        if event.item_list.highlighted is not None:
            self.dismiss(Jump(event.item.anchor))

    @on(ItemList.Activated, "#cited")
    def _open_source(self, event: ItemList.Activated) -> None:
        event.stop()
        index = event.item_list.highlighted
        if index is not None:
            from termbrief.ui.screens.source_detail import open_citation

            open_citation(self, self.brief, self._citations[index])

    @on(ItemList.Activated, "#mentions")
    def _jump(self, event: ItemList.Activated) -> None:
        event.stop()
        index = event.item_list.highlighted
        if index is not None:
            self.dismiss(self._mentions[index][1])
