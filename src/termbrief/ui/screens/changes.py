"""The changes view (``c``): every change to a brief since you last read it, old and new.

One entry per changed item, in reading order: a sign (``+`` added, ``−`` removed, ``~``
changed, ``↕`` moved), the section and the item's name, then each changed field inline, the
words deleted struck through and the words inserted in bold (so it reads without colour too);
numbers as old -> new with the difference. Above them, your notes whose words changed or whose
item is gone (from :func:`termbrief.core.annotation.reanchor`). Enter dismisses with the place
to jump to (an added or changed item, or a note's new place); a removed item has none.

Everything shown comes from brief files or notes: rendered as ``Content`` from cleaned plain
strings (:mod:`termbrief.ui.render.safe`), never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Final

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from termbrief.core.annotation import Note, NoteStatus, reanchor
from termbrief.core.diff import FieldChange, ItemChange
from termbrief.core.model import Brief
from termbrief.core.sections import section
from termbrief.store.reading import ChangesSince
from termbrief.ui.panes.pane import Jump
from termbrief.ui.render.safe import one_line
from termbrief.ui.screens.anchor_picker import PANEL_CSS
from termbrief.ui.widgets.paged_option_list import PagedOptionList

__all__ = ["SIGNS", "ChangesScreen", "change_jump"]

SIGNS: Final = {"added": "+", "removed": "−", "changed": "~", "moved": "↕"}
"""The sign before each change in the list (the panes mark added ``+`` and changed ``~``)."""
_STYLES: Final = {
    "added": "$text-success bold",
    "removed": "$text-error strike",
    "changed": "$text-warning bold",
    "moved": "$text-accent bold",
}
_FIELD_LIMIT: Final = 400
"""Characters of a changed field shown; a field longer than this is cut (the pane has all)."""


def change_jump(change: ItemChange, brief: Brief) -> Jump | None:
    """Where the item of ``change`` is now in ``brief`` (None for a removed item or the
    header)."""
    item, index = change.new_item, change.new_index
    if change.kind == "removed" or index is None or change.section == "brief":
        return None
    if change.section == "summary" and isinstance(item, str):
        # A paragraph is its Markdown as it stands in the summary: where it starts places
        # the cursor on it.
        return Jump(change.anchor, offset=max(0, brief.summary.find(item)))
    if change.section == "key_points" and isinstance(item, str):
        return Jump(change.anchor, text=item)
    return Jump(change.anchor)


def _field_content(field: FieldChange) -> Content:
    head = Content.styled(f"    {one_line(field.field)}: ", "$text-muted")
    if field.number is not None:
        return head + Content(one_line(field.number.text))
    if field.formatting_only:
        return head + Content.styled("(formatting or links only)", "italic")
    parts: list[Content] = []
    budget = _FIELD_LIMIT
    for run in field.words:
        text = one_line(run.text)
        if not text or budget <= 0:
            continue
        if len(text) > budget:
            text = text[: budget - 1] + "…"
        budget -= len(text)
        if run.kind == "delete":
            parts.append(Content.styled(text, "$text-error strike"))
        elif run.kind == "insert":
            parts.append(Content.styled(text, "$text-success bold underline"))
        else:
            parts.append(Content(text))
    return head + Content(" ").join(parts)


def _title(change: ItemChange) -> str:
    if change.section == "brief":
        return "Header"
    return section(change.section).title


def change_prompt(change: ItemChange) -> Content:
    """The lines the list shows for ``change``: the item, then each changed field."""
    kind = change.kind
    moved = " (moved)" if change.moved and kind == "changed" else ""
    label = one_line(change.label) or "(untitled)"
    lines = [
        Content.assemble(
            (f"{SIGNS[kind]} ", _STYLES[kind]),
            (f"{_title(change)}: ", "bold"),
            (label, "strike" if kind == "removed" else ""),
            (f"  {kind}{moved}", "$text-muted"),
        )
    ]
    lines += [_field_content(field) for field in change.fields]
    return Content("\n").join(lines)


def _note_prompt(note: Note, status: NoteStatus, where: str) -> Content:
    what = "its words changed" if status == "changed" else "its item is gone"
    if status == "moved":
        what = "its words moved"
    first = one_line(note.text.strip().splitlines()[0]) if note.text.strip() else "(highlight)"
    return Content.assemble(
        ("✎ ", "$text-warning bold"),
        ("Your note on ", "bold"),
        (one_line(where), "bold"),
        (f": {what}", "$text-warning"),
        "\n",
        (f"    {first}", "$text-muted"),
    )


class ChangesScreen(ModalScreen[Jump | None]):
    """Every change since the brief was last read; dismisses with the place to jump to."""

    DEFAULT_CSS = "ChangesScreen {" + PANEL_CSS + "}"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,c", "dismiss_none", "Close", id="changes.close"),
    ]

    def __init__(self, changes: ChangesSince, notes: Sequence[Note] = ()) -> None:
        """List ``changes``; ``notes``: the reader's notes on the brief, to flag those whose
        words changed."""
        super().__init__()
        self.changes = changes
        """What changed since the brief was read."""
        self._jumps: list[Jump | None] = []
        self._notes = tuple(notes)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"Changes · {one_line(self.changes.new.title)}")
            yield Static(Content(self.changes.headline()), classes="hint")
            yield PagedOptionList(id="changes-options")
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        prompts: list[Option | None] = []
        flagged = self._flagged_notes()
        for note, status, jump in flagged:
            self._jumps.append(jump)
            where = note.label(self.changes.new)
            prompts.append(Option(_note_prompt(note, status, where), id=str(len(self._jumps) - 1)))
        if flagged:
            prompts.append(None)
        for change in self.changes.diff.changes:
            self._jumps.append(change_jump(change, self.changes.new))
            prompts.append(Option(change_prompt(change), id=str(len(self._jumps) - 1)))
        options.add_options(prompts)
        options.highlighted = 0
        options.focus()

    def _flagged_notes(self) -> list[tuple[Note, NoteStatus, Jump | None]]:
        """The notes whose anchored words changed, moved or are gone in the new version."""
        if not self._notes:
            return []
        placed = reanchor(self.changes.new, self._notes)
        before = reanchor(self.changes.old, self._notes)
        flagged = []
        for note, now, then in zip(self._notes, placed, before, strict=True):
            if now.status == then.status:
                continue  # as it was when last read: nothing new to say
            jump = Jump(str(now.anchor)) if now.anchor is not None else None
            flagged.append((note, now.status, jump))
        return flagged

    @property
    def jumps(self) -> tuple[Jump | None, ...]:
        """Where each listed entry leads, in list order (None: nowhere, e.g. removed)."""
        return tuple(self._jumps)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        jump = self._jumps[int(event.option.id or 0)]
        if jump is None:
            self.notify("That item is no longer in the brief.", markup=False)
            return
        if self.is_active:
            self.dismiss(jump)

    def action_dismiss_none(self) -> None:
        """Close without jumping."""
        if self.is_active:
            self.dismiss(None)
