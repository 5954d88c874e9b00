"""Command palette providers: briefs, panes, figures, actors and themes, fuzzy-matched.

The app registers them by name (``termbrief.ui.app.PALETTE_PROVIDERS``; Textual's own "Theme",
"Keys", "Quit"... commands stay), so this module is imported only when the palette opens.

The providers code against :class:`LibraryHost` (``entries``, ``current``, ``open_entry``), a
protocol the app satisfies, so this module never imports ``app.py``.

Brief text is untrusted: prompts are built as ``Content`` from plain strings and highlighted
here (``Matcher.highlight`` would parse its candidate as markup), and help lines, which the
palette always parses as markup, are escaped and checked to come back unchanged, else dropped.

:func:`system_commands` adjusts Textual's own commands (``App.get_system_commands``): its
"Screenshot" is replaced by one that says where the picture went or why it could not be saved.
"""

from __future__ import annotations

import asyncio
import heapq
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Final, Protocol, runtime_checkable

import msgspec
from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import MarkupError
from textual.screen import Screen
from textual.style import Style

from termbrief.core.anchors import Anchor
from termbrief.core.library import Entry
from termbrief.core.sections import PANES
from termbrief.ui.render.safe import one_line, reveal
from termbrief.ui.services.screenshot import save_screenshot, screenshot_folder

if TYPE_CHECKING:
    from termbrief.core.library_index import LibraryIndex
    from termbrief.ui.services.finder import LibraryFinder

_YIELD_EVERY = 500  # candidates looked at between returns to the event loop: typing stays smooth
MATCHER_LIMIT: Final = 5_000
"""Above this many candidates Textual's matcher takes seconds per query (40,000 figures and
actors: minutes): item search then waits for the library index instead."""
INDEX_WAIT_S: Final = 5.0
"""How long an item search waits for the library index to be built."""
_KIND_WORDS: Final = {
    "figure": "figures/",
    "figures": "figures/",
    "fig": "figures/",
    "actor": "actors/",
    "actors": "actors/",
}


@runtime_checkable
class LibraryHost(Protocol):
    """What the providers need from the app (TermbriefApp satisfies it)."""

    @property
    def entries(self) -> Sequence[Entry]:
        """The library, as loaded."""
        ...

    @property
    def current(self) -> Entry | None:
        """The brief on screen."""
        ...

    def open_entry(self, entry: Entry, *, anchor: str | None = None) -> None:
        """Show ``entry``, focused at ``anchor`` (``figures/<id>``, a section name, ...)."""
        ...


def safe_help(text: str) -> str | None:
    """``text`` escaped for the palette's help line, or None if it cannot be shown literally."""
    text = one_line(text)
    # Textual's escape() misses tags such as "[$accent]" and "[B]"; escaping every bracket does
    # not. The round trip proves it; anything that does not survive it is not shown at all.
    escaped = text.replace("[", "\\[")
    try:
        if Content.from_markup(escaped).plain == text:
            return escaped
    except MarkupError:
        pass
    return None


def highlight(matcher: Matcher, candidate: str) -> Content:
    """``candidate`` as literal Content with the fuzzy-matched letters styled."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class Candidate(msgspec.Struct, frozen=True):
    """One thing the palette can find."""

    text: str
    """What is shown and matched, e.g. ``Figure: Officers trained — in Police cooperation``."""
    command: Callable[[], object]
    """What choosing it does."""
    help: str | None = None
    """A second, dim line (plain text; escaped when shown)."""


@runtime_checkable
class IndexHost(Protocol):
    """What an app offers for library-wide search (TermbriefApp does)."""

    @property
    def finder(self) -> LibraryFinder:
        """The library index."""
        ...

    def action_search_library(self) -> None:
        """Open the library search screen."""
        ...


def _host(provider: Provider) -> LibraryHost | None:
    app = provider.app
    return app if isinstance(app, LibraryHost) else None


def _index_host(provider: Provider) -> IndexHost | None:
    app = provider.app
    return app if isinstance(app, IndexHost) else None


def _finder(provider: Provider) -> LibraryFinder | None:
    host = _index_host(provider)
    return host.finder if host is not None else None


def brief_candidates(host: LibraryHost) -> list[Candidate]:
    """A "Brief: <title>" for every entry of the library (invalid ones too: opening shows why)."""
    found = []
    for entry in host.entries:
        if entry.ok:
            date = entry.date.isoformat() if entry.date else ""
            details = " · ".join(part for part in (date, *entry.tags) if part)
            text = f"Brief: {one_line(entry.title)}"
        else:
            problem = entry.problems[0] if entry.problems else None
            details = str(problem) if problem else "unreadable"
            text = f"Brief: ✗ {one_line(entry.path.name)} — invalid"
        found.append(Candidate(text, partial(host.open_entry, entry), details or None))
    return found


def item_candidates(host: LibraryHost) -> list[Candidate]:
    """A "Figure: …" and an "Actor: …" for every figure and actor of every brief."""
    found = []
    for entry in host.entries:
        brief = entry.brief
        if brief is None:
            continue
        title = one_line(brief.title)
        for figure in brief.figures:
            found.append(
                Candidate(
                    f"Figure: {one_line(figure.label)} — in {title}",
                    partial(host.open_entry, entry, anchor=str(Anchor.figure(figure.id))),
                    figure.value_text(),
                )
            )
        for actor in brief.actors:
            found.append(
                Candidate(
                    f"Actor: {one_line(actor.name)} — in {title}",
                    partial(host.open_entry, entry, anchor=str(Anchor.actor(actor.id))),
                    ", ".join(part for part in (actor.role, actor.affiliation) if part) or None,
                )
            )
    return found


def pane_candidates(host: LibraryHost) -> list[Candidate]:
    """A "Pane: <name>" for each pane of the brief on screen (focuses it)."""
    current = host.current
    if current is None or not current.ok:
        return []
    return [
        Candidate(
            f"Pane: {pane.title}",
            partial(host.open_entry, current, anchor=pane.key),
            f"Focus the {pane.title.lower()} pane (key {pane.number})",
        )
        for pane in PANES
    ]


class _CandidateProvider(Provider):
    """Fuzzy search over a list of candidates built once per palette opening.

    Scales to large libraries (tens of thousands of figures and actors): a regular expression
    drops candidates that do not hold the query's letters in order (the matcher's own first
    condition, at C speed), the palette's matcher scores the rest, and only the best ``LIMIT``
    become hits, so the palette never has to lay out tens of thousands of rows.
    """

    DISCOVER: ClassVar[bool] = False
    """Whether the candidates are listed before anything is typed."""
    MIN_QUERY: ClassVar[int] = 1
    """Shorter queries find nothing here (one letter matches every figure of every brief)."""
    LIMIT: ClassVar[int] = 50
    """Most hits yielded per query."""

    def __init__(self, screen: Screen[Any], match_style: Style | None = None) -> None:
        super().__init__(screen, match_style)
        self._candidates: list[Candidate] = []
        self._folded: list[str] = []
        """Each candidate's text in lower case, as the matcher compares it."""

    def candidates(self) -> Iterable[Candidate]:
        """Build the candidates (called once, when the palette opens)."""
        raise NotImplementedError

    async def startup(self) -> None:
        """Collect the candidates once, not on every keystroke."""
        self._candidates = list(self.candidates())
        self._folded = [candidate.text.lower() for candidate in self._candidates]

    async def discover(self) -> Hits:
        """List the candidates in order (only for providers that discover)."""
        if not self.DISCOVER:
            return
        for candidate in self._candidates:
            yield DiscoveryHit(
                Content(candidate.text),
                candidate.command,
                text=candidate.text,
                help=safe_help(candidate.help) if candidate.help else None,
            )

    async def search(self, query: str) -> Hits:
        """The best candidates that fuzzy-match ``query`` (Textual's palette matcher)."""
        if len(query.strip()) < self.MIN_QUERY:
            return
        matcher = self.matcher(query)
        in_order = re.compile(".*?".join(map(re.escape, query.lower())), re.DOTALL)
        scored: list[tuple[float, int]] = []
        for number, folded in enumerate(self._folded):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)  # let keystrokes in; a stale search is cancelled here
            if in_order.search(folded) is None:
                continue
            score = matcher.match(self._candidates[number].text)
            if score > 0:
                scored.append((score, number))
        best = heapq.nlargest(self.LIMIT, scored, key=lambda hit: (hit[0], -hit[1]))
        for score, number in best:
            candidate = self._candidates[number]
            yield Hit(
                score,
                highlight(matcher, candidate.text),
                candidate.command,
                text=candidate.text,
                help=safe_help(candidate.help) if candidate.help else None,
            )


class BriefCommands(_CandidateProvider):
    """Open any brief of the library."""

    DISCOVER = True

    def candidates(self) -> Iterable[Candidate]:
        host = _host(self)
        return brief_candidates(host) if host else ()


class PaneCommands(_CandidateProvider):
    """Focus any pane of the brief on screen."""

    DISCOVER = True

    def candidates(self) -> Iterable[Candidate]:
        host = _host(self)
        return pane_candidates(host) if host else ()


class ItemCommands(_CandidateProvider):
    """Open any figure or actor of any brief, at that item.

    With the app's library index (:class:`IndexHost`), names are matched by
    :meth:`LibraryIndex.search_names` (milliseconds on 2,000 briefs, where Textual's matcher takes
    seconds to minutes); a leading ``figure`` or ``actor`` keeps only that kind.
    """

    MIN_QUERY = 2

    def __init__(self, screen: Screen[Any], match_style: Style | None = None) -> None:
        super().__init__(screen, match_style)
        self._anchors: list[tuple[str, str]] = []
        """``(path, anchor)`` of each candidate, in the same order."""
        self._keyed: dict[tuple[str, str], Candidate] | None = None

    def candidates(self) -> Iterable[Candidate]:
        host = _host(self)
        if host is None:
            return ()
        self._keyed = None
        self._anchors = list(_item_anchors(host))
        return item_candidates(host)

    async def startup(self) -> None:
        """Collect the candidates, and have the app build its index if it has none yet."""
        await super().startup()
        finder = _finder(self)
        if finder is not None and not finder.fresh:
            finder.build()

    async def search(self, query: str) -> Hits:
        """The best figures and actors for ``query``: by the index when there is one."""
        index = await self._index()
        if index is None:
            async for hit in super().search(query):
                yield hit
            return
        words = query.split()
        prefix = _KIND_WORDS.get(words[0].lower()) if words else None
        name = " ".join(words[1:] if prefix else words)
        if len(name) < self.MIN_QUERY:
            return
        found = await asyncio.to_thread(index.search_names, name, self.LIMIT * 2)
        keyed = self._candidate_keys()
        matcher = self.matcher(query)
        count = 0
        for _name, entry, anchor, score in found:
            candidate = keyed.get((str(entry.path), anchor))
            if candidate is None or (prefix and not anchor.startswith(prefix)):
                continue  # a brief's title (BriefCommands lists those), or another kind
            # Ranked among the other providers' hits by the palette's own measure; a name found
            # only by typo tolerance (no such letters in order) goes after them.
            textual_score = matcher.match(candidate.text)
            yield Hit(
                textual_score if textual_score > 0 else score / 100,
                highlight(matcher, candidate.text),
                candidate.command,
                text=candidate.text,
                help=safe_help(candidate.help) if candidate.help else None,
            )
            count += 1
            if count >= self.LIMIT:
                return

    async def _index(self) -> LibraryIndex | None:
        """The app's library index when it is current, waiting for it on a large library."""
        finder = _finder(self)
        if finder is None:
            return None
        if not finder.fresh and len(self._candidates) > MATCHER_LIMIT:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + INDEX_WAIT_S
            while not finder.fresh and loop.time() < deadline:
                await asyncio.sleep(0.05)
        return finder.index if finder.fresh else None

    def _candidate_keys(self) -> dict[tuple[str, str], Candidate]:
        if self._keyed is None:
            self._keyed = {
                key: candidate
                for key, candidate in zip(self._anchors, self._candidates, strict=True)
            }
        return self._keyed


def _item_anchors(host: LibraryHost) -> Iterable[tuple[str, str]]:
    """``(path, anchor)`` of each candidate of :func:`item_candidates`, in the same order."""
    for entry in host.entries:
        brief = entry.brief
        if brief is None:
            continue
        path = str(entry.path)
        yield from ((path, str(Anchor.figure(figure.id))) for figure in brief.figures)
        yield from ((path, str(Anchor.actor(actor.id))) for actor in brief.actors)


class LibrarySearchCommands(Provider):
    """Offers "Search the library…": the ranked search over every brief and the notes."""

    TEXT: ClassVar[str] = "Search the library…"
    HELP: ClassVar[str] = "Every brief's text and your notes, ranked (ctrl+f)"

    def _command(self) -> Callable[[], object] | None:
        host = _index_host(self)
        return host.action_search_library if host is not None else None

    async def discover(self) -> Hits:
        """Listed before anything is typed."""
        command = self._command()
        if command is not None:
            yield DiscoveryHit(Content(self.TEXT), command, text=self.TEXT, help=self.HELP)

    async def search(self, query: str) -> Hits:
        """Found by typing e.g. "search" or "library"."""
        command = self._command()
        if command is None:
            return
        matcher = self.matcher(query)
        score = matcher.match(self.TEXT)
        if score > 0:
            yield Hit(score, highlight(matcher, self.TEXT), command, text=self.TEXT, help=self.HELP)


class ThemeCommands(_CandidateProvider):
    """Switch straight to a theme by name ("Theme: nord")."""

    def candidates(self) -> Iterable[Candidate]:
        app = self.app
        for name in sorted(app.available_themes):
            yield Candidate(
                f"Theme: {name}",
                partial(setattr, app, "theme", name),
                "the current theme" if name == app.theme else None,
            )


def system_commands(
    app: App[Any], textual_commands: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """Textual's system commands, with "Screenshot" made to say where it saved (or why not)."""
    for command in textual_commands:
        if command.title == "Screenshot":
            # After a moment, so that the palette is gone from the picture.
            take = partial(app.set_timer, 0.1, partial(save_screenshot, app))
            folder = reveal(str(screenshot_folder()))
            where = safe_help(f"Save an SVG picture of the screen in {folder}")
            yield SystemCommand("Screenshot", where or "Save an SVG picture of the screen", take)
        else:
            yield command
