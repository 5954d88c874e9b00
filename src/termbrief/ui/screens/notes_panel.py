"""The notes panel of a brief: every note with its anchor, status, time and first line; under the
list, a preview of the highlighted note in full (its place, the words it quotes, its state: for a
note changed since it was written, the old words and the new).

``j``/``k``, the page keys and ``g``/``G`` move as in every list (see
:mod:`termbrief.ui.widgets.paged_option_list`). ``f`` shows only the notes in one state (attached,
moved, changed, orphaned: each press the next), ``t`` only those whose text has one ``#tag``
(each press the next tag). Enter dismisses with the anchor to jump to: where the note's words are
now;
``e`` edits, ``d`` deletes (``u`` undoes), ``r`` re-attaches a note (an orphan, typically) to
another part of the brief, chosen in the :class:`~termbrief.ui.screens.anchor_picker.AnchorPicker`.
On a team server colleagues' notes show their author in a style of their own, ``a`` shows the
notes of one author after another, and only a note's author may change it (the panel says so).
Notes whose item is gone are grouped under "Orphaned" with the quote of what they annotated;
notes whose item changed are marked "changed since noted" with the old quote.

Everything shown comes from brief files or note text, so it is rendered as ``Text``, never markup,
and cleaned by :mod:`termbrief.ui.render.safe` (no control or reordering character reaches the
terminal).
"""

from __future__ import annotations

import re
from typing import ClassVar, Final

import msgspec
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from termbrief.core.anchors import Anchor, labelled_anchors, make_quote
from termbrief.core.annotation import Note, NoteStatus, Placement, Target, reanchor
from termbrief.core.model import Brief
from termbrief.store.backend import NotesBackend
from termbrief.store.notes import NotesError
from termbrief.store.records import AuthoredNote
from termbrief.ui.render.notes import COLLEAGUE_STYLE, STATE_NAMES, ShownNote, note_card
from termbrief.ui.render.safe import one_line
from termbrief.ui.screens.anchor_picker import PANEL_CSS, AnchorPicker, dismiss_once
from termbrief.ui.screens.note_editor import NoteEditor
from termbrief.ui.widgets.paged_option_list import PagedOptionList

STATE_FILTERS: Final[tuple[NoteStatus | None, ...]] = (
    None,
    "attached",
    "moved",
    "changed",
    "orphaned",
)
"""The state filters ``f`` steps through (None: every note)."""

_TAG: Final = re.compile(r"(?<![\w#&])#([^\W_][\w-]*)")


def tags_of(text: str) -> list[str]:
    """The ``#tags`` written in a note's text, lower-cased, in order, each once."""
    return list(dict.fromkeys(tag.casefold() for tag in _TAG.findall(text)))


class _Row(msgspec.Struct):
    note: Note
    placement: Placement
    label: str
    by: str = ""
    """The author as shown: a colleague's name, "" for the reader's own notes."""
    private: bool = False
    """Whether it is one of the reader's private notes on a team server."""

    @property
    def status(self) -> NoteStatus:
        return self.placement.status


class NotesPanel(ModalScreen[str | None]):
    """Every note of one brief; dismisses with the anchor to jump to, or None."""

    DEFAULT_CSS = (
        "NotesPanel {"
        + PANEL_CSS
        + """
    & #notes-preview-box {
        height: auto;
        max-height: 45%;
        border-top: solid $foreground 30%;
    }
    }"""
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss_none", "Close", id="notes.close"),
        Binding("e", "edit", "Edit", id="notes.edit"),
        Binding("d", "delete", "Delete", id="notes.delete"),
        Binding("u", "undo", "Undo delete", id="notes.undo"),
        Binding("r", "reattach", "Re-attach", id="notes.reattach"),
        Binding("f", "filter_state", "Filter by state", id="notes.filter-state"),
        Binding("t", "filter_tag", "Filter by #tag", id="notes.filter-tag"),
        Binding("a", "next_author", "Author", id="notes.author"),
    ]

    class NotesChanged(Message):
        """Notes of a brief were edited, deleted or moved: counts and markers need a refresh."""

        def __init__(self, brief_id: str) -> None:
            super().__init__()
            self.brief_id = brief_id
            """The brief whose notes changed."""

    def __init__(self, brief: Brief, store: NotesBackend, *, highlight: str | None = None) -> None:
        """Show the notes ``store`` holds for ``brief``; the cursor starts on note ``highlight``."""
        super().__init__()
        self.brief = brief
        self.store = store
        self._first_highlight = highlight
        self._rows: dict[str, _Row] = {}
        self._deleted: list[Note] = []
        self._data_version = -1
        self._problems_told = 0
        self.state_filter: NoteStatus | None = None
        """Only notes in this state are listed (None: all)."""
        self.tag_filter: str | None = None
        """Only notes whose text has this ``#tag`` are listed (None: all)."""
        self._tags: list[str] = []
        self._author: str | None = None
        """Show only this author's notes (``a``); None: everyone's."""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"Notes · {one_line(self.brief.title)}")
            yield Static("", id="notes-filter", classes="hint")
            yield Static("", id="notes-empty", classes="hint")
            yield PagedOptionList(id="notes-options")
            with VerticalScroll(id="notes-preview-box"):
                yield Static("", id="notes-preview")
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_notes(self._first_highlight)
        self.query_one(OptionList).focus()
        # Another running instance may save notes on this brief: notice it cheaply.
        self.set_interval(2.0, self._check_other_instances)

    # ---------------------------------------------------------------- building the list

    def refresh_notes(self, highlight: str | None = None) -> None:
        """Reload the notes from the store and rebuild the list, keeping the highlight."""
        options = self.query_one(OptionList)
        if highlight is None and options.highlighted_option is not None:
            highlight = options.highlighted_option.id
        try:
            notes = self.store.notes_for(self.brief.id)
            self._data_version = self.store.data_version()
        except NotesError as error:
            self.notify(str(error), title="Cannot read notes", severity="error", markup=False)
            notes = []
        self._tell_problems()
        order = {str(anchor): n for n, (anchor, _) in enumerate(labelled_anchors(self.brief))}
        placed = reanchor(self.brief, notes)
        rows = [
            _Row(
                note,
                placement,
                placement.label(self.brief, note),
                self._by(note),
                self._private(note),
            )
            for note, placement in zip(notes, placed, strict=True)
            if self._author is None or self._author_of(note) == self._author
        ]
        rows.sort(key=lambda r: (order.get(r.note.anchor, len(order)), r.note.created))
        self._tags = sorted({tag for row in rows for tag in tags_of(row.note.text)})
        if self.tag_filter not in self._tags:
            self.tag_filter = None
        shown = [row for row in rows if self._passes(row)]
        self._rows = {row.note.id: row for row in shown}
        attached = [row for row in shown if row.status != "orphaned"]
        orphans = [row for row in shown if row.status == "orphaned"]

        content: list[Option | None] = [self._option(row) for row in attached]
        if orphans:
            if attached:
                content.append(None)
            heading = Text("Orphaned: their item is no longer in the brief", style="bold")
            content.append(Option(heading, disabled=True))
            content += [self._option(row) for row in orphans]
        options.clear_options()
        options.add_options(content)

        empty = self.query_one("#notes-empty", Static)
        empty.display = not shown
        message = "No notes on this brief yet. Press n on any pane or item to write one."
        if rows and not shown:
            message = "No note passes the filter: f and t change it."
        empty.update(Content(message))
        self._show_filter(len(shown), len(rows))
        ids = [option.id for option in options.options]
        if highlight is not None and highlight in ids:
            options.highlighted = ids.index(highlight)
        elif shown:
            options.highlighted = next(i for i, id_ in enumerate(ids) if id_ is not None)
        self._show_preview()

    def _passes(self, row: _Row) -> bool:
        if self.state_filter is not None and row.status != self.state_filter:
            return False
        return self.tag_filter is None or self.tag_filter in tags_of(row.note.text)

    def _show_filter(self, shown: int, total: int) -> None:
        line = self.query_one("#notes-filter", Static)
        parts = []
        if self.state_filter is not None:
            parts.append(STATE_NAMES[self.state_filter].partition(":")[0])
        if self.tag_filter is not None:
            parts.append("#" + self.tag_filter)
        line.display = bool(parts)
        if parts:
            line.update(Text(f"Showing {shown} of {total} notes: " + " · ".join(parts)))

    def _show_preview(self) -> None:
        """Show the highlighted note in full under the list."""
        preview = self.query_one("#notes-preview", Static)
        option = self.query_one(OptionList).highlighted_option
        row = self._rows.get(option.id or "") if option is not None else None
        self.query_one("#notes-preview-box").display = row is not None
        if row is not None:  # whose it is, as in the list
            shown = ShownNote.of(row.note, by=row.by, private=row.private)
            preview.update(note_card(shown, row.placement, row.label))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_preview()

    def _tell_problems(self) -> None:
        """Say (once for each panel) what the store repaired in the notes it read: a database
        changed by another program holds values termbrief never writes."""
        problems = self.store.problems()
        new = problems[self._problems_told :]
        if not new:
            return
        self._problems_told = len(problems)
        more = f" (and {len(new) - 1} more)" if len(new) > 1 else ""
        self.notify(
            f"Some notes hold values that are not valid; they are shown repaired: {new[0]}{more}",
            title="Notes database",
            severity="warning",
            timeout=15,
            markup=False,
        )

    @staticmethod
    def _author_of(note: Note) -> str:
        """Who wrote ``note`` ("" if the store does not say: they are all the reader's)."""
        return note.author if isinstance(note, AuthoredNote) else ""

    def _by(self, note: Note) -> str:
        author = self._author_of(note)
        return "" if not author or author == self.store.author else author

    def _private(self, note: Note) -> bool:
        return isinstance(note, AuthoredNote) and self.store.shared and note.visibility == "private"

    def _not_yours(self, note: Note) -> bool:
        """Whether ``note`` is a colleague's (then say that only its author may change it)."""
        by = self._by(note)
        if by:
            self.notify(
                f"This note is {by}'s: only its author can change or delete it.",
                title="Not your note",
                markup=False,
            )
        return bool(by)

    @staticmethod
    def _option(row: _Row) -> Option:
        note = row.note
        when = note.updated.astimezone().strftime("%Y-%m-%d %H:%M")
        prompt = Text(one_line(row.label), style="bold")
        if row.by:  # a colleague's: their name, in a style of its own
            prompt.append(f"  · {one_line(row.by)}", style=COLLEAGUE_STYLE)
        elif row.private:
            prompt.append("  · private", style="dim")
        if row.status == "changed":
            prompt.append("  · changed since noted", style="italic yellow")
        prompt.append(f"  {when}", style="dim")
        first = note.text.strip().partition("\n")[0]
        prompt.append("\n  " + one_line(make_quote(first, 100)))
        if row.status not in ("attached", "moved") and note.quote:
            was = one_line(make_quote(note.quote, 100))
            prompt.append(f"\n  was: “{was}”", style="dim italic")
        return Option(prompt, id=note.id)

    def _check_other_instances(self) -> None:
        try:
            changed = self.store.data_version() != self._data_version
        except NotesError:
            return
        if changed:
            self.refresh_notes()

    # ---------------------------------------------------------------- actions

    @property
    def highlighted_note(self) -> Note | None:
        """The note under the cursor, if any."""
        option = self.query_one(OptionList).highlighted_option
        row = self._rows.get(option.id or "") if option is not None else None
        return row.note if row is not None else None

    def _changed(self, highlight: str | None = None) -> None:
        self.refresh_notes(highlight)
        self.post_message(self.NotesChanged(self.brief.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self._rows.get(event.option.id or "")
        if row is None:
            return
        if row.status == "orphaned":
            self.notify("This note's item is gone from the brief: press r to re-attach it.")
            return
        where = row.placement.anchor
        dismiss_once(self, row.note.anchor if where is None else str(where))

    def action_filter_state(self) -> None:
        """List only the notes in the next state (attached, moved, changed, orphaned, all)."""
        following = STATE_FILTERS.index(self.state_filter) + 1
        self.state_filter = STATE_FILTERS[following % len(STATE_FILTERS)]
        self.refresh_notes()

    def action_filter_tag(self) -> None:
        """List only the notes with the next ``#tag`` of their text (then all again)."""
        if not self._tags:
            self.notify("No note has a #tag: write one (#risk) in a note to filter by it.")
            return
        choices: list[str | None] = [None, *self._tags]
        following = choices.index(self.tag_filter) + 1
        self.tag_filter = choices[following % len(choices)]
        self.refresh_notes()

    def action_dismiss_none(self) -> None:
        """Close the panel."""
        dismiss_once(self, None)

    def action_next_author(self) -> None:
        """Show the notes of the next author (alphabetically), then everyone's again."""
        try:
            notes = self.store.notes_for(self.brief.id)
        except NotesError as error:
            self.notify(str(error), title="Cannot read notes", severity="error", markup=False)
            return
        authors = sorted({self._author_of(note) for note in notes} - {""})
        later = [a for a in authors if self._author is None or a > self._author]
        self._author = later[0] if later else None
        box = self.query_one(Vertical)
        box.border_subtitle = Content(f"by {one_line(self._author)}" if self._author else "")
        self.refresh_notes()

    def action_edit(self) -> None:
        """Edit the highlighted note."""
        note = self.highlighted_note
        if note is None or self._not_yours(note):
            return
        row = self._rows[note.id]
        shared = isinstance(note, AuthoredNote) and self.store.shared
        visibility = note.visibility if isinstance(note, AuthoredNote) and shared else None

        def save(text: str) -> None:
            self.store.update(note.id, text)
            if editor.visibility is not None and editor.visibility != visibility:
                self.store.set_visibility(note.id, editor.visibility)

        def done(text: str | None) -> None:
            if text is not None:
                self._changed(note.id)

        editor = NoteEditor(row.label, note.quote, note.text, save=save, visibility=visibility)
        self.app.push_screen(editor, done)

    def action_delete(self) -> None:
        """Delete the highlighted note (``u`` brings it back)."""
        note = self.highlighted_note
        if note is None or self._not_yours(note):
            return
        try:
            deleted = self.store.delete(note.id)
        except NotesError as error:
            self.notify(str(error), title="Not deleted", severity="error", markup=False)
            return
        self._deleted.append(deleted)
        self._changed()
        self.notify("Note deleted. Press u to undo.", markup=False)

    def action_undo(self) -> None:
        """Bring back the last deleted note."""
        if not self._deleted:
            self.notify("Nothing to undo.")
            return
        note = self._deleted[-1]
        try:
            self.store.restore(note)
        except NotesError as error:
            self.notify(str(error), title="Not restored", severity="error", markup=False)
            return
        self._deleted.pop()
        self._changed(note.id)
        self.notify("Note restored.")

    def action_reattach(self) -> None:
        """Attach the highlighted note to another part of the brief."""
        note = self.highlighted_note
        if note is None or self._not_yours(note):
            return

        def picked(anchor: str | None) -> None:
            if anchor is None or anchor == note.anchor:
                return
            try:
                self.store.reattach(note.id, Target.of(self.brief, Anchor.parse(anchor)))
            except NotesError as error:
                self.notify(str(error), title="Not moved", severity="error", markup=False)
                return
            self._changed(note.id)

        self.app.push_screen(AnchorPicker(self.brief, note.anchor), picked)
