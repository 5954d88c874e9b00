"""What the first frame of a valid brief does not show, mounted right after it: the Timeline and
Sources panes, the reload banner, the find bar and the problems view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from termbrief.ui.panes.reload_banner import ReloadBanner
    from termbrief.ui.screens.brief_panes import PaneDeck
    from termbrief.ui.screens.find import FindSession


class LateParts:
    """Mounts the brief screen's late parts once, on the first call of :meth:`mount`."""

    def __init__(self, screen: Screen[None], find: FindSession) -> None:
        self._screen = screen
        self._find = find
        self._mounting: AwaitMount | None = None
        self.mounted = False
        """Whether :meth:`mount` has run."""

    def mount(self, panes: PaneDeck) -> None:
        """Mount the late parts (once); the panes learn of the two new ones."""
        if self.mounted:
            return
        self.mounted = True
        # Imported here: nothing of these is on the first frame of a valid brief (the find bar
        # alone, an Input, costs start-up time: CSS, mount and layout).
        from termbrief.ui.panes.problems import ProblemsView
        from termbrief.ui.panes.reload_banner import ReloadBanner
        from termbrief.ui.panes.sources import SourcesPane
        from termbrief.ui.panes.timeline import TimelinePane
        from termbrief.ui.widgets.search_bar import SearchBar

        main = self._screen.query_one("#main")
        main.mount(ReloadBanner(id="reload-banner"), after="#brief-header")
        main.mount(TimelinePane(), SourcesPane(), after="#grid")
        self._find.bar = SearchBar(id="search-bar")
        self._mounting = main.mount(self._find.bar, ProblemsView(id="problems"))
        panes.late_panes_mounted()

    async def wait(self) -> None:
        """Wait until what :meth:`mount` mounted is mounted."""
        if self._mounting is not None:
            await self._mounting

    @property
    def reload_banner(self) -> ReloadBanner:
        """The reload banner (the late parts must be mounted)."""
        from termbrief.ui.panes.reload_banner import ReloadBanner

        return self._screen.query_one("#reload-banner", ReloadBanner)
