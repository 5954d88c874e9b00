"""Since you last read: banner, markers, the changes view, mark read, library badges (issue 14)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from termbrief.core.anchors import Anchor
from termbrief.core.annotation import Target
from termbrief.store.notes import NotesStore
from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens.changes import ChangesScreen
from termbrief.ui.widgets.item_list import ItemList
from termbrief.ui.widgets.library_list import LibraryList
from termbrief.ui.widgets.record_table import RecordTable
from ui_fixtures import ALPHA, BETA, WIDE, active_section, brief_screen, screen_text, wait_for

ORIGINAL = ALPHA.read_text(encoding="utf-8")


def revise(text: str) -> str:
    """A figure revised, an actor added, the second key point rewritten."""
    replacements = [
        ("    value: 40\n", "    value: 55\n"),
        (
            "  - Forty new inspectors will be hired.\n",
            "  - Fifty-five new inspectors will be hired.\n",
        ),
        (
            "actors:\n",
            "actors:\n  - id: lena-ortiz\n    name: Lena Ortiz\n    kind: person\n"
            "    role: Port policy analyst\n",
        ),
    ]
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    shutil.copy(ALPHA, folder / "alpha.yaml")
    shutil.copy(BETA, folder / "beta.yaml")
    return folder


def reader(paths: list[Path], data_dir: Path, read_after: float) -> TermbriefApp:
    app = TermbriefApp(paths, data_dir=data_dir)
    app.reading.read_after = read_after
    return app


def last_read(data_dir: Path, brief_id: str) -> str | None:
    with NotesStore.open(data_dir) as store:
        mark = store.reading.last_read(brief_id)
        return mark.version if mark is not None else None


def banner_text(app: TermbriefApp) -> str:
    """What the changes banner says ("" when there is none)."""
    from termbrief.ui.screens.brief_changes import ChangesBanner

    return next((banner.text for banner in brief_screen(app).query(ChangesBanner)), "")


async def open_and_read(pilot: Pilot[None], data_dir: Path) -> None:
    """Wait until the brief on screen counted as read (on screen long enough)."""
    await wait_for(pilot, lambda: last_read(data_dir, "alpha") is not None, timeout=10)


async def test_changed_since_read_banner_markers_view_and_mark_read(
    tmp_path: Path, library: Path
) -> None:
    data = tmp_path / "me"
    brief = library / "alpha.yaml"
    # First reading: unread, nothing to compare with; on screen a moment, it counts as read.
    app = reader([brief], data, read_after=0.2)
    async with app.run_test(size=WIDE) as pilot:
        await open_and_read(pilot, data)
        assert banner_text(app) == ""
        # Edited while open: live reload shows it, but the new version is not "read".
        brief.write_text(revise(ORIGINAL), encoding="utf-8")
        await wait_for(pilot, lambda: "lena-ortiz" in str(app.state.current and [
            a.id for a in app.state.current.brief.actors  # type: ignore[union-attr]
        ]), timeout=10)  # fmt: skip
        await pilot.pause(0.4)
    first = last_read(data, "alpha")

    # Reopened: the banner, the markers and the changes view, against the version read.
    app = reader([brief], data, read_after=60)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: banner_text(app) != "", timeout=10)
        text = banner_text(app)
        assert text.startswith("Changed since you read it on ")
        assert text.endswith(": 1 key point changed, 1 figure changed, 1 actor added — press c"), (
            text
        )
        await pilot.pause()
        shown = screen_text(app)
        assert text in shown
        # Drawn in the gutter where notes put their dot: ~ changed, + new.
        assert "│~55 inspectors" in shown
        assert "│+Lena Ortiz" in shown
        assert "│ ~• Fifty-five new inspectors will be hired." in shown
        figures = app.query_one("#figures-table", RecordTable)
        actors = app.query_one("#actors-table", RecordTable)
        assert figures.change_marks.glyph(figures.records, 0) == "~"
        assert figures.change_marks.glyph(figures.records, 1) == ""
        assert actors.change_marks.glyph(actors.records, 0) == "+"  # Lena Ortiz, new
        assert actors.change_marks.glyph(actors.records, 1) == ""
        summary = brief_screen(app).pane("summary")
        assert isinstance(summary, ItemList)
        marked = [summary.change_marks.glyph(summary.items, i) for i in range(len(summary.items))]
        assert marked.count("~") == 1 and marked.count("+") == 0
        assert marked.index("~") == len(marked) - 2  # the second of three key points

        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
        view = app.screen
        assert isinstance(view, ChangesScreen)
        shown = screen_text(app)
        assert "~ Key points: Fifty-five new inspectors will be hired." in shown
        assert "Forty Fifty-five" in shown  # the deleted word, struck through, then the new
        assert "~ Key figures: New inspectors to be hired" in shown
        assert "value: 40 -> 55 inspectors, +37.5%" in shown
        assert "+ Actors: Lena Ortiz" in shown
        # Enter on the figure (the second entry) jumps to it.
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ChangesScreen))
        assert active_section(app) == "figures"
        assert figures.current is not None and figures.current.anchor == "figures/new-inspectors"

        # } and { step through the changed items, wrapping around.
        await pilot.press("right_curly_bracket")
        assert active_section(app) == "summary"
        await pilot.press("right_curly_bracket")
        assert active_section(app) == "figures"
        await pilot.press("right_curly_bracket")
        assert active_section(app) == "actors"
        assert actors.current is not None and actors.current.anchor == "actors/lena-ortiz"
        await pilot.press("left_curly_bracket")
        assert active_section(app) == "figures"

        # r: read now; the banner and the markers go.
        await pilot.press("r")
        await wait_for(pilot, lambda: banner_text(app) == "")
        assert figures.change_marks.glyph(figures.records, 0) == ""
        assert "Changed since you read it" not in screen_text(app)
    assert last_read(data, "alpha") not in (None, first)

    # Read: opening it again shows nothing.
    app = reader([brief], data, read_after=60)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause(0.5)
        assert app.notes_session.store is not None
        await pilot.pause(0.3)
        assert banner_text(app) == ""
        await pilot.press("c")
        assert not isinstance(app.screen, ChangesScreen)


async def test_a_second_user_still_sees_the_brief_unread(tmp_path: Path, library: Path) -> None:
    mine, theirs = tmp_path / "me", tmp_path / "other"
    app = reader([library], mine, read_after=0.2)
    async with app.run_test(size=WIDE) as pilot:
        await open_and_read(pilot, mine)
    app = reader([library], theirs, read_after=60)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("b")
        library_list = app.query_one(LibraryList)
        await wait_for(pilot, lambda: bool(app.reading.reading.unread))
        assert app.reading.reading.unread == {"alpha", "beta"}
        assert banner_text(app) == ""
        await wait_for(pilot, lambda: "2 unread" in str(library_list.border_title))
        await pilot.pause()
        assert "│● Harbour authority" in screen_text(app)


async def test_library_badges_filters_changed_first_and_mark_all_read(
    tmp_path: Path, library: Path
) -> None:
    data = tmp_path / "me"
    with NotesStore.open(data) as store:  # read both, then alpha changed
        from termbrief.core.loader import load_brief

        store.reading.mark_all_read([load_brief(library / "alpha.yaml")])
    (library / "alpha.yaml").write_text(revise(ORIGINAL), encoding="utf-8")
    app = reader([library], data, read_after=60)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("b")
        library_list = app.query_one(LibraryList)
        await wait_for(pilot, lambda: app.reading.reading.changed == {"alpha"})
        assert app.reading.reading.unread == {"beta"}
        await wait_for(pilot, lambda: "1 unread · 1 changed" in str(library_list.border_title))
        text = screen_text(app)
        assert "│Δ Harbour authority" in text
        library_list.set_filter("is:changed")
        assert [e.id for e in library_list.visible_entries] == ["alpha"]
        library_list.set_filter("is:unread")
        assert [e.id for e in library_list.visible_entries] == ["beta"]
        library_list.set_filter("")
        order = [e.id for e in library_list.visible_entries]
        library_list.focus()
        await pilot.press("o")
        assert [e.id for e in library_list.visible_entries] == ["alpha", "beta"]
        await pilot.press("o")
        assert [e.id for e in library_list.visible_entries] == order
        await pilot.press("M")
        await wait_for(pilot, lambda: app.reading.reading.unread == frozenset())
        await wait_for(pilot, lambda: app.reading.reading.changed == frozenset())
        await wait_for(pilot, lambda: str(library_list.border_title) == "Library 2")


async def test_brief_text_in_the_changes_view_and_banner_is_literal(tmp_path: Path) -> None:
    hostile = ORIGINAL.replace(
        "    label: New inspectors to be hired\n",
        '    label: "[@click=app.quit]quit[/] [b]x[/i] \\u202eevil"\n',
    )
    brief = tmp_path / "alpha.yaml"
    brief.write_text(hostile, encoding="utf-8")
    data = tmp_path / "me"
    from termbrief.core.loader import load_brief

    with NotesStore.open(data) as store:
        store.reading.mark_read(load_brief(brief))
    brief.write_text(hostile.replace("    value: 40\n", "    value: 41\n"), encoding="utf-8")
    app = reader([brief], data, read_after=60)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: banner_text(app) != "", timeout=10)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
        await pilot.pause()
        shown = screen_text(app)
        assert "[@click=app.quit]quit[/] [b]x[/i] ⟨U+202E⟩evil" in shown
        await pilot.click("#changes-options")  # a click on the label runs no action
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_notes_whose_words_changed_are_flagged_in_the_changes_view(
    tmp_path: Path, library: Path
) -> None:
    from termbrief.core.loader import load_brief

    brief = library / "alpha.yaml"
    data = tmp_path / "me"
    with NotesStore.open(data) as store:
        store.reading.mark_read(load_brief(brief))
        words = Target(
            anchor=Anchor.numbered("key_points", 1),
            exact="Forty new inspectors",
            suffix=" will be hired.",
            start=0,
        )
        store.add("alpha", words, "Check the hiring plan")
        store.add("alpha", "actors/mara-quist", "Unchanged item, not flagged", "Mara Quist")
    brief.write_text(revise(ORIGINAL), encoding="utf-8")
    app = reader([brief], data, read_after=60)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: banner_text(app) != "", timeout=10)
        await wait_for(pilot, lambda: app.notes_session.store is not None)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen))
        await pilot.pause()
        shown = screen_text(app)
        assert "✎ Your note on" in shown and ": its words changed" in shown
        assert "Check the hiring plan" in shown
        assert "Unchanged item" not in shown
        view = app.screen
        assert isinstance(view, ChangesScreen)
        assert view.jumps[0] is not None and view.jumps[0].anchor == "key_points/2"
