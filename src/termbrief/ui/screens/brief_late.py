"""What the first frame of a valid brief does not show: the find bar, mounted right after it (a
``/`` must open it at once), and, when first needed, the Timeline and Sources panes, the reload
banner and the problems view (a reader who never opens them never pays their memory)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from termbrief.core.library import Entry
    from termbrief.ui.panes.reload_banner import ReloadBanner
    from termbrief.ui.screens.brief_panes import PaneDeck
    from termbrief.ui.screens.find import FindSession
    from termbrief.ui.services.reload import ReloadNews


class LateParts:
    """Mounts the brief screen's late parts: the find bar (:meth:`mount_find_bar`), then the
    rest (:meth:`mount`), each once."""

    def __init__(self, screen: Screen[None], find: FindSession) -> None:
        self._screen = screen
        self._find = find
        self._mounting: list[AwaitMount] = []
        self.mounted = False
        """Whether :meth:`mount` has run."""

    def mount_find_bar(self) -> None:
        """Mount the find bar (once)."""
        if self._find.bar is not None:
            return
        from termbrief.ui.widgets.search_bar import SearchBar

        self._find.bar = SearchBar(id="search-bar")
        self._mounting.append(self._screen.query_one("#main").mount(self._find.bar))

    def mount(self, panes: PaneDeck) -> None:
        """Mount the late parts (once); the panes learn of the two new ones."""
        if self.mounted:
            return
        self.mounted = True
        self.mount_find_bar()
        from termbrief.ui.panes.problems import ProblemsView
        from termbrief.ui.panes.reload_banner import ReloadBanner
        from termbrief.ui.panes.sources import SourcesPane
        from termbrief.ui.panes.timeline import TimelinePane

        main = self._screen.query_one("#main")
        main.mount(ReloadBanner(id="reload-banner"), after="#brief-header")
        main.mount(TimelinePane(), SourcesPane(), after="#grid")
        self._mounting.append(main.mount(ProblemsView(id="problems")))
        panes.late_panes_mounted()

    async def wait(self) -> None:
        """Wait until what :meth:`mount` and :meth:`mount_find_bar` mounted is mounted."""
        for mounting in self._mounting:
            await mounting

    def show_reload_news(self, news: ReloadNews) -> Entry | None:
        """Put live reload's news about the file on screen in the banner (the late parts must
        be mounted); returns the file's new version, to show, if it has one."""
        banner = self.reload_banner
        if news.fresh is not None:
            banner.clear()
            return news.fresh
        if news.missing:
            banner.show_missing(news.name)
        else:
            banner.show_problems(news.name, news.problems)
        return None

    @property
    def reload_banner(self) -> ReloadBanner:
        """The reload banner (the late parts must be mounted)."""
        from termbrief.ui.panes.reload_banner import ReloadBanner

        return self._screen.query_one("#reload-banner", ReloadBanner)
