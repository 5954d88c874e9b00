"""Pilot tests of drafts in the reader (issue 12): autosave while typing, Escape's three answers,
ctrl+q asking, and the restore / discard offer when a brief with a draft is opened.

Every test keeps the notes database in its own folder (``TERMBRIEF_DATA_DIR`` in tmp_path).
Signals are in test_drafts_services.py; real processes in a real terminal in
test_drafts_processes.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from termbrief.store.drafts import DraftKey
from termbrief.store.notes import NotesStore
from termbrief.ui.app import TermbriefApp
from termbrief.ui.screens import note_editor
from termbrief.ui.screens.brief import BriefScreen
from termbrief.ui.screens.confirm import ConfirmScreen
from termbrief.ui.screens.draft_dialogs import CloseNoteScreen, DraftOfferScreen
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.services.drafts import DRAFT_DELAY
from ui_fixtures import ALPHA, WIDE, wait_for

MARA = DraftKey("alpha", "actors/mara-quist")
"""The draft of a new note on the first actor of alpha.yaml (key 3 focuses it)."""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The notes folder of these tests (the app finds it through TERMBRIEF_DATA_DIR)."""
    folder = tmp_path / "notes-data"
    monkeypatch.setenv("TERMBRIEF_DATA_DIR", str(folder))
    return folder


def stored_draft(data_dir: Path, key: DraftKey = MARA) -> str | None:
    """The draft's text as another connection reads it from disk (None: no draft)."""
    if not (data_dir / "notes.sqlite3").exists():
        return None
    with NotesStore.open(data_dir) as store:
        draft = store.drafts.get(key)
    return None if draft is None else draft.text


def leave_draft(data_dir: Path, text: str, key: DraftKey = MARA) -> None:
    """A draft as an earlier run leaves it."""
    with NotesStore.open(data_dir) as store:
        store.drafts.save(key, text)


async def started(app: TermbriefApp, pilot: Pilot[None]) -> None:
    """Wait until the notes session has started (and opened an existing database)."""
    session = app.notes_session
    await wait_for(
        pilot,
        lambda: (
            session.started
            and (session.store is not None or not session.path.exists())
            and len(app.screen_stack) >= 1
        ),
    )
    await pilot.pause()


async def open_editor(pilot: Pilot[None], *keys: str) -> NoteEditor:
    """Press 3 then n (a new note on Mara Quist), type ``keys``."""
    await pilot.press("3", "n")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, NoteEditor)
    await pilot.press(*keys)
    return editor


async def offered(app: TermbriefApp, pilot: Pilot[None]) -> DraftOfferScreen:
    """Wait for the offer of a draft."""
    await wait_for(pilot, lambda: isinstance(app.screen, DraftOfferScreen))
    await pilot.pause()
    offer = app.screen
    assert isinstance(offer, DraftOfferScreen)
    return offer


def rendered(app: TermbriefApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


# -- autosave --------------------------------------------------------------------------------------


async def test_the_draft_is_saved_a_moment_after_typing_pauses(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        await open_editor(pilot, *"Check the", "enter", *"budget")
        await pilot.pause()
        assert stored_draft(data_dir) is None  # not while typing
        waited = await wait_for(pilot, lambda: stored_draft(data_dir) is not None)
        assert waited >= DRAFT_DELAY / 2
        assert stored_draft(data_dir) == "Check the\nbudget"

        # More typing replaces it; saving the note deletes it.
        await pilot.press(*" again")
        await wait_for(pilot, lambda: stored_draft(data_dir) == "Check the\nbudget again")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert stored_draft(data_dir) is None
        with NotesStore.open(data_dir) as store:
            assert [n.text for n in store.notes_for("alpha")] == ["Check the\nbudget again"]


async def test_an_edit_keeps_its_own_draft_and_comes_back_in_the_editor(data_dir: Path) -> None:
    with NotesStore.open(data_dir) as store:
        note = store.add("alpha", MARA.anchor, "Saved text", "")
    edit = DraftKey("alpha", MARA.anchor, note.id)
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        await pilot.press("3", "e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*" and more")
        await wait_for(pilot, lambda: stored_draft(data_dir, edit) == "Saved text and more")
        assert stored_draft(data_dir, MARA) is None  # not the draft of a new note
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CloseNoteScreen)
        await pilot.press("k")  # keep the draft
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)

        # e again: the editor starts from the draft, not from the saved note.
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.text == "Saved text and more"
        assert editor.restored_draft
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stored_draft(data_dir, edit) is None
        with NotesStore.open(data_dir) as store:
            assert store.get(note.id).text == "Saved text and more"  # type: ignore[union-attr]


# -- Escape ----------------------------------------------------------------------------------------


async def test_escape_asks_discard_keep_draft_or_keep_editing(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        editor = await open_editor(pilot, *"Half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CloseNoteScreen)
        await pilot.press("enter")  # the focused button: keep editing
        await pilot.pause()
        assert app.screen is editor and editor.text == "Half a thought"

        # Keep draft: the editor closes, the draft is on disk, n brings it back.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert stored_draft(data_dir) == "Half a thought"
        await pilot.press("n")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, NoteEditor) and again.text == "Half a thought"

        # Discard, deliberately: the draft goes too.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert stored_draft(data_dir) is None


async def test_clearing_the_text_and_leaving_deletes_the_draft(data_dir: Path) -> None:
    leave_draft(data_dir, "old words")
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await offered(app, pilot)
        await pilot.press("escape")  # later: n brings it back anyway
        await pilot.pause()
        editor = await open_editor(pilot)
        assert editor.text == "old words"
        await pilot.press(*["backspace"] * len("old words"))
        await pilot.pause()
        assert editor.text == ""
        await pilot.press("escape")  # nothing left to lose: closes at once
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert stored_draft(data_dir) is None


# -- ctrl+q ----------------------------------------------------------------------------------------


@pytest.fixture
def no_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    """No autosave within the test: what is kept was kept on the way out."""
    monkeypatch.setattr(note_editor, "DRAFT_DELAY", 600.0)


async def test_ctrl_q_with_unsaved_text_asks_and_keeps_the_draft(
    data_dir: Path, no_autosave: None
) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        editor = await open_editor(pilot, *"Do not lose me")
        await pilot.press("ctrl+q")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Quit anyway?" in question.question
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert app.screen is editor and app.is_running

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert stored_draft(data_dir) is None
        await pilot.press("y")  # quit anyway
        await pilot.pause()
        assert not app.is_running
    assert stored_draft(data_dir) == "Do not lose me"


async def test_ctrl_q_twice_quits(data_dir: Path, no_autosave: None) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        await open_editor(pilot, *"Leaving")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert stored_draft(data_dir) == "Leaving"  # kept on the way out


async def test_ctrl_q_without_unsaved_text_quits_at_once(data_dir: Path) -> None:
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        await open_editor(pilot)  # opened, nothing typed
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_a_crash_keeps_the_draft(data_dir: Path, no_autosave: None) -> None:
    def crash() -> None:
        raise RuntimeError("a bug somewhere in the reader")

    app = TermbriefApp([ALPHA])
    with pytest.raises(RuntimeError, match="a bug somewhere"):
        async with app.run_test(size=WIDE) as pilot:
            await started(app, pilot)
            await open_editor(pilot, *"Typed before the bug")
            await pilot.pause()
            assert stored_draft(data_dir) is None
            app.call_later(crash)
            await pilot.pause(0.5)
    assert stored_draft(data_dir) == "Typed before the bug"


# -- the offer at start ----------------------------------------------------------------------------


async def test_a_draft_left_by_an_earlier_run_is_offered_and_restored(data_dir: Path) -> None:
    text = "Written before the crash\nsecond line"
    leave_draft(data_dir, text)
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        offer = await offered(app, pilot)
        assert "You have an unsaved note on Actor: Mara Quist" in rendered(app, "#draft-question")
        assert rendered(app, "#draft-preview") == text
        assert offer.focused is not None and offer.focused.id == "draft-restore"
        await pilot.press("r")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.text == text
        assert editor.target_label == "Actor: Mara Quist"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        with NotesStore.open(data_dir) as store:
            [note] = store.notes_for("alpha")
            assert (note.anchor, note.text) == (MARA.anchor, text)
        assert stored_draft(data_dir) is None
        assert "1 note" in str(app.brief_screen.pane("actors").border_title)


async def test_an_offered_draft_can_be_discarded(data_dir: Path) -> None:
    leave_draft(data_dir, "Not worth keeping")
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await offered(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert stored_draft(data_dir) is None
        with NotesStore.open(data_dir) as store:
            assert store.notes_for("alpha") == []


async def test_later_keeps_the_draft_and_does_not_ask_again_this_run(data_dir: Path) -> None:
    leave_draft(data_dir, "Think about it")
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await offered(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        app.brief_screen.refresh_notes()  # what every save, poll and reload does
        await pilot.pause(0.1)
        assert isinstance(app.screen, BriefScreen)
        assert stored_draft(data_dir) == "Think about it"


async def test_several_drafts_are_offered_one_after_another(data_dir: Path) -> None:
    leave_draft(data_dir, "On the actor")
    leave_draft(data_dir, "On the summary", DraftKey("alpha", "summary"))
    leave_draft(data_dir, "Another brief's", DraftKey("beta", "summary"))
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await offered(app, pilot)
        assert rendered(app, "#draft-preview") == "On the actor"  # the oldest first
        await pilot.press("d")
        await pilot.pause()
        await offered(app, pilot)
        assert rendered(app, "#draft-preview") == "On the summary"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)  # beta's draft waits for beta
        assert stored_draft(data_dir, DraftKey("beta", "summary")) == "Another brief's"


async def test_a_draft_of_an_edit_restores_onto_its_note(data_dir: Path) -> None:
    with NotesStore.open(data_dir) as store:
        note = store.add("alpha", MARA.anchor, "Saved", "")
        store.drafts.save(DraftKey("alpha", MARA.anchor, note.id), "Saved, then edited")
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await offered(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert (editor.original_text, editor.text) == ("Saved", "Saved, then edited")
        await pilot.press("ctrl+s")
        await pilot.pause()
    with NotesStore.open(data_dir) as store:
        assert [(n.id, n.text) for n in store.notes_for("alpha")] == [
            (note.id, "Saved, then edited")
        ]
        assert store.drafts.all() == []


async def test_the_offer_shows_hostile_text_literally(data_dir: Path) -> None:
    text = "[@click=app.quit]gotcha[/] [b]x[/i] \x1b]0;title\x07"
    leave_draft(data_dir, text)
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await offered(app, pilot)
        preview = rendered(app, "#draft-preview")
        assert "[@click=app.quit]gotcha[/] [b]x[/i]" in preview
        assert "\x1b" not in preview and "\x07" not in preview
        assert app.is_running


def test_draft_dialog_bindings_have_ids_and_descriptions() -> None:
    for screen in (CloseNoteScreen, DraftOfferScreen):
        for binding in screen.BINDINGS:
            assert not isinstance(binding, tuple)
            assert binding.id and binding.description, (screen, binding)


# -- drafts of notes on selected words -------------------------------------------------------------


async def test_a_draft_on_selected_words_comes_back_on_those_words(data_dir: Path) -> None:
    third = DraftKey("alpha", "summary/3")
    at = "Quist said the pilot would last one year.".index("pilot")  # summary paragraph 3
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await started(app, pilot)
        # Words picked from a find match, grown by a word: "pilot would".
        await pilot.press("slash", *"pilot", "enter")
        await pilot.pause()
        await pilot.press("m", "w", "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Which pilot?")
        await wait_for(pilot, lambda: stored_draft(data_dir, third) == "Which pilot?")
    with NotesStore.open(data_dir) as store:
        draft = store.drafts.get(third)
    assert draft is not None and draft.target is not None
    assert (draft.target.exact, draft.target.start) == ("pilot would", at)

    # The next run offers it; restored and saved, the note is on those words, not the paragraph.
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await offered(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.text == "Which pilot?"
        await pilot.press("ctrl+s")
        await pilot.pause()
    with NotesStore.open(data_dir) as store:
        [note] = store.notes_for("alpha")
        assert store.drafts.get(third) is None
    assert note.target is not None
    assert (str(note.target.anchor), note.target.exact, note.target.start) == (
        "summary/3",
        "pilot would",
        at,
    )


async def test_a_restored_draft_on_a_whole_item_quotes_it_as_a_new_note_does(
    data_dir: Path,
) -> None:
    leave_draft(data_dir, "On the actor")
    app = TermbriefApp([ALPHA])
    async with app.run_test(size=WIDE) as pilot:
        await offered(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    with NotesStore.open(data_dir) as store:
        [note] = store.notes_for("alpha")
    # A selector with its position, as `n` on the item makes: re-anchoring finds it exactly.
    assert note.target is not None and note.target.start == 0
    assert str(note.target.anchor) == MARA.anchor
