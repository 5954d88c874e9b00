"""Command palette providers: briefs, panes, figures, actors, themes; literal, fuzzy, wired."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Static

from notices import record_notifications
from termbrief.core.library import Entry
from termbrief.core.loader import Problem
from termbrief.core.model import Actor, Brief, Figure
from termbrief.ui import commands
from termbrief.ui.app import PALETTE_PROVIDERS
from termbrief.ui.commands import (
    LibraryHost,
    brief_candidates,
    item_candidates,
    pane_candidates,
    safe_help,
)


def make_entry(
    name: str, title: str, *, figures: Sequence[Figure] = (), actors: Sequence[Actor] = ()
) -> Entry:
    brief = Brief(
        id=name,
        title=title,
        date=datetime.date(2025, 1, 2),
        tags=("security",),
        summary="s",
        figures=tuple(figures),
        actors=tuple(actors),
    )
    return Entry(Path(f"/lib/{name}.yaml"), brief, (), 0)


POLICE = make_entry(
    "police",
    "Police cooperation",
    figures=(Figure(id="officers", label="Officers trained", value=5000, qualifier="nearly"),),
    actors=(Actor(id="wang", name="Wang Xiaohong", kind="person", role="Minister"),),
)
HOSTILE = make_entry(
    "hostile",
    "[@click=app.quit]boom[/]",
    figures=(Figure(id="bad", label="x[/] label", value="[b]y[/i]"),),
    actors=(Actor(id="evil", name="[link=https://evil.example]Evil[/link]", kind="other"),),
)
BROKEN = Entry(Path("/lib/broken.yaml"), None, (Problem("/lib/broken.yaml", 2, 1, "bad"),), 0)


class Host(App[None]):
    # The providers the reader registers, by the reader's own list.
    COMMANDS: ClassVar = App.COMMANDS | {getattr(commands, name) for name in PALETTE_PROVIDERS}

    def __init__(self, entries: list[Entry], current: Entry | None = None) -> None:
        super().__init__()
        self.entries = entries
        self.current = current
        self.opened: list[tuple[Entry, str | None]] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def open_entry(self, entry: Entry, *, anchor: str | None = None) -> None:
        self.opened.append((entry, anchor))


async def results(
    app: App[None], pilot: object, query: str, *, full: bool = False, typed: bool = True
) -> list[str]:
    """Open the palette, type ``query`` and wait for the results to settle.

    Returns the first line of each result (the prompt), or the whole text with ``full``.
    With ``typed=False`` the query is pasted into the input in one go (faster in a big app).
    """
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert CommandPalette.is_open(app)
    if typed:
        await pilot.press(*query)
    else:
        app.screen.query_one(CommandInput).value = query
    found: list[str] = []
    for _ in range(100):
        await pilot.pause(0.05)
        options = app.screen.query_one(CommandList)
        now = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        if now and now == found and "-ready" in app.screen.classes:
            break
        found = now
    return found if full else [text.split("\n")[0] for text in found]


def test_host_protocol_is_satisfied_by_a_plain_app() -> None:
    assert isinstance(Host([]), LibraryHost)
    assert not isinstance(App(), LibraryHost)


def test_candidates_texts() -> None:
    host = Host([POLICE, BROKEN], current=POLICE)
    assert [c.text for c in brief_candidates(host)] == [
        "Brief: Police cooperation",
        "Brief: ✗ broken.yaml — invalid",
    ]
    assert brief_candidates(host)[0].help == "2025-01-02 · security"
    assert brief_candidates(host)[1].help == "/lib/broken.yaml:2:1: bad"
    assert [c.text for c in item_candidates(host)] == [
        "Figure: Officers trained — in Police cooperation",
        "Actor: Wang Xiaohong — in Police cooperation",
    ]
    assert item_candidates(host)[0].help == "nearly 5,000"
    assert [c.text for c in pane_candidates(host)][:2] == ["Pane: Summary", "Pane: Key figures"]
    assert pane_candidates(Host([BROKEN], current=BROKEN)) == []
    assert pane_candidates(Host([POLICE])) == []


def test_candidate_commands_open_at_the_item() -> None:
    host = Host([POLICE], current=POLICE)
    for candidate in [*brief_candidates(host), *item_candidates(host), *pane_candidates(host)]:
        candidate.command()
    assert host.opened[:3] == [
        (POLICE, None),
        (POLICE, "figures/officers"),
        (POLICE, "actors/wang"),
    ]
    assert [anchor for _, anchor in host.opened[3:]] == [
        "summary",
        "figures",
        "actors",
        "commentary",
        "timeline",
        "sources",
    ]


def test_safe_help_escapes_or_drops() -> None:
    assert safe_help("plain") == "plain"
    for text in ("[b]y[/i]", "x[/]", "[@click=app.quit]q[/]", "a\\[b]", "[$accent]x", "[B]x"):
        escaped = safe_help(text)
        assert escaped is not None
        from textual.content import Content

        assert Content.from_markup(escaped).plain == text
    assert "\x1b" not in (safe_help("a\x1b[31mb") or "")


async def test_palette_finds_a_figure_by_fuzzy_name_and_opens_it() -> None:
    app = Host([POLICE, HOSTILE], current=POLICE)
    async with app.run_test(size=(100, 30)) as pilot:
        found = await results(app, pilot, "offtrain")
        assert found[0] == "Figure: Officers trained — in Police cooperation"
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == [(POLICE, "figures/officers")]


async def test_palette_finds_an_actor_and_a_pane() -> None:
    app = Host([POLICE], current=POLICE)
    async with app.run_test(size=(100, 30)) as pilot:
        found = await results(app, pilot, "wang")
        assert "Actor: Wang Xiaohong — in Police cooperation" in found
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == [(POLICE, "actors/wang")]
        found = await results(app, pilot, "pane key fig")
        assert found[0] == "Pane: Key figures"


async def test_palette_shows_hostile_text_literally_and_survives() -> None:
    app = Host([HOSTILE], current=HOSTILE)
    async with app.run_test(size=(100, 30)) as pilot:
        found = await results(app, pilot, "boom")
        assert "Brief: [@click=app.quit]boom[/]" in found
        await pilot.press("escape")
        found = await results(app, pilot, "label", full=True)
        assert "Figure: x[/] label — in [@click=app.quit]boom[/]\n[b]y[/i]" in found
        await pilot.press("escape")
        found = await results(app, pilot, "evil")
        assert (
            "Actor: [link=https://evil.example]Evil[/link] — in [@click=app.quit]boom[/]" in found
        )
        assert app.is_running


async def test_discovery_lists_panes_and_briefs_and_themes_are_searchable() -> None:
    app = Host([POLICE, BROKEN], current=POLICE)
    async with app.run_test(size=(100, 40)) as pilot:
        found = await results(app, pilot, "")
        assert "Pane: Summary" in found
        assert "Brief: ✗ broken.yaml — invalid" in found
        # Figures and actors only appear once something is typed.
        assert not any(text.startswith("Figure:") for text in found)
        await pilot.press("escape")
        found = await results(app, pilot, "theme nord")
        assert found[0] == "Theme: nord"
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "nord"


async def test_real_app_palette_opens_an_actor_of_another_brief() -> None:
    from termbrief.core.library import sample_library_path
    from termbrief.ui.app import TermbriefApp

    app = TermbriefApp([sample_library_path()], show_library=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        target = next(
            (e, a)
            for e in app.entries
            if e.brief is not None and e is not app.current
            for a in e.brief.actors
        )
        entry, actor = target
        found = await results(app, pilot, f"actor {actor.name}", typed=False)
        wanted = f"Actor: {actor.name} — in {entry.title}"
        assert wanted in found
        for _ in range(found.index(wanted)):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert app.current is not None and app.current.path == entry.path
        assert app.focused is not None
        assert app.query_one("#actors-table") in app.focused.ancestors_with_self


async def test_large_library_search_is_capped_and_short_item_queries_wait() -> None:
    from termbrief.ui.commands import BriefCommands, ItemCommands

    entries = [
        make_entry(
            f"b{n}",
            f"Brief {n}",
            figures=[Figure(id=f"f{k}", label=f"Officers {k}", value=k) for k in range(5)],
        )
        for n in range(400)
    ]
    app = Host(entries)
    async with app.run_test() as pilot:
        await pilot.pause()
        items = ItemCommands(app.screen)
        await items.startup()
        assert [hit async for hit in items.search("o")] == []
        hits = [hit async for hit in items.search("officers 3")]
        assert len(hits) == ItemCommands.LIMIT
        assert all(str(hit.text).startswith("Figure: Officers 3") for hit in hits)
        briefs = BriefCommands(app.screen)
        await briefs.startup()
        best = [hit async for hit in briefs.search("brief 399")]
        assert best[0].text == "Brief: Brief 399"
        discovered = [hit async for hit in briefs.discover()]
        assert len(discovered) == 400
        assert discovered[0].text == "Brief: Brief 0"


# -- Textual's system commands: each works or says why not (issue 11) --------------------------


async def test_screenshot_command_saves_and_says_where(tmp_path: Path) -> None:
    import platformdirs

    from termbrief.ui.app import TermbriefApp

    downloads = platformdirs.user_downloads_path()  # under the test's temporary home
    assert str(downloads).startswith(str(Path.home()))
    downloads.mkdir(parents=True)
    app = TermbriefApp([Path(__file__).parent / "data" / "ui" / "alpha.yaml"])
    said = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        found = await results(app, pilot, "Screenshot", full=True)
        assert any(f"Save an SVG picture of the screen in {downloads}" in hit for hit in found)
        screenshot = next(n for n, hit in enumerate(found) if hit.startswith("Screenshot"))
        for _ in range(screenshot):
            await pilot.press("down")
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if said:
                break
        [saved] = downloads.glob("termbrief_*.svg")
        assert said == [f"Saved a screenshot as {saved}"]
        assert "Harbour" in saved.read_text(encoding="utf-8")
        assert "Screenshot" not in saved.read_text(encoding="utf-8")  # the palette had gone


async def test_a_screenshot_that_cannot_be_saved_says_why(tmp_path: Path) -> None:
    from termbrief.ui.app import TermbriefApp
    from termbrief.ui.services.screenshot import save_screenshot

    app = TermbriefApp([Path(__file__).parent / "data" / "ui" / "alpha.yaml"])
    said = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        missing = tmp_path / "gone"
        assert save_screenshot(app, missing) is None
        assert said == [f"Could not save a screenshot in {missing}: No such file or directory"]
        # Never over an earlier screenshot, even within the same second.
        first = save_screenshot(app, tmp_path)
        second = save_screenshot(app, tmp_path)
        assert first is not None and second is not None and first != second
        assert sorted(tmp_path.glob("termbrief_*.svg")) == sorted([first, second])
