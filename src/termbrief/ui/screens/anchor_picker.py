"""The "attach to…" picker: choose the part of a brief (a section or an item) a note goes on.

A brief has dozens of parts, so the picker filters as you type. The list has the keyboard first,
so ``j``/``k``, the page keys and ``g``/``G`` move in it as in every list; ``/`` goes to the filter
box above it, where every key but ``/`` types. In the box, Enter attaches to the highlighted part,
Down goes back to the list and Escape clears the filter and goes back to the list (a second
Escape closes the picker). A part shows when its label holds every word typed, in any case; a
section shows with its matching items, for context.

Also the frame the notes dialogs share (:data:`PANEL_CSS`) and :func:`dismiss_once`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from termbrief.core.anchors import Anchor, labelled_anchors
from termbrief.core.model import Brief
from termbrief.ui.render.safe import one_line
from termbrief.ui.widgets.paged_option_list import PagedOptionList

PANEL_CSS = """
    align: center middle;
    & > Vertical {
        width: 90%;
        max-width: 120;
        height: 85%;
        padding: 0 1;
        border: thick $primary 70%;
        background: $surface;
    }
    & OptionList {
        height: 1fr;
        border: none;
    }
    & .hint {
        color: $text-muted;
        height: auto;
    }
    & Footer {
        background: $surface;
    }
"""
"""The frame of the notes dialogs (the notes panel, the picker), inside a ``{...}`` rule."""


def dismiss_once(screen: ModalScreen[str | None], result: str | None) -> None:
    """Dismiss ``screen`` with ``result`` only while it is the screen on top.

    Keys typed while a dialog is busy (building a list of thousands of notes) arrive together:
    Enter (choose) and Escape (close) are then both handled after the first has dismissed the
    dialog, and a second dismiss would pop whatever lies below it, or raise ScreenStackError
    when nothing does. A late key for a dialog covered by another (the editor) is ignored too.
    """
    if screen.is_active:
        screen.dismiss(result)


def matching_parts(parts: list[tuple[Anchor, str]], query: str) -> list[tuple[Anchor, str, bool]]:
    """The ``(anchor, label)`` parts whose label holds every word of ``query`` (any case), in
    order, each with whether it matched itself; a section shows when any of its items match."""
    words = query.casefold().split()
    if not words:
        return [(anchor, label, True) for anchor, label in parts]
    shown: list[tuple[Anchor, str, bool]] = []
    section: tuple[Anchor, str] | None = None
    section_shown = False
    for anchor, label in parts:
        hit = all(word in one_line(label).casefold() for word in words)
        if anchor.item is None:
            section, section_shown = (anchor, label), hit
            if hit:
                shown.append((anchor, label, True))
        elif hit:
            if section is not None and not section_shown:
                shown.append((*section, False))
                section_shown = True
            shown.append((anchor, label, True))
    return shown


class _FilterBox(Input):
    """The picker's filter; Down goes back to the list, Escape clears and goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave(True)", "Clear filter", id="anchor_picker.filter.clear"),
        Binding("down", "leave(False)", "To the list", show=False, id="anchor_picker.filter.done"),
    ]

    def action_leave(self, clear: bool) -> None:
        """Back to the list, clearing the filter with ``clear``."""
        if clear:
            self.value = ""
        # At once (focus() waits for the queue): the keys typed next go to the list.
        self.screen.set_focus(self.screen.query_one(OptionList))


class AnchorPicker(ModalScreen[str | None]):
    """Choose a part of the brief (a section or an item) to attach a note to."""

    DEFAULT_CSS = "AnchorPicker {" + PANEL_CSS + "} AnchorPicker Input { margin-bottom: 1; }"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="anchor_picker.cancel"),
        # A priority binding runs as the key arrives, before the keys typed after it are
        # handed to the focused widget (the list): "/board" typed at once filters by "board".
        # The price: the filter cannot hold a "/".
        Binding("slash", "filter", "Filter", id="anchor_picker.filter", priority=True),
    ]

    def __init__(self, brief: Brief, current: str | None = None) -> None:
        """List every anchor of ``brief``; ``current`` (an anchor's stored form) is highlighted
        first. Dismisses with the chosen anchor's stored form."""
        super().__init__()
        self.brief = brief
        self.current = current
        self._parts = labelled_anchors(brief)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Attach the note to…"
            yield _FilterBox(placeholder="press / to filter, e.g. an actor's name", id="filter")
            yield PagedOptionList(id="anchor-options")
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        self._show("")
        options.focus()
        if self.current is not None:
            try:
                options.highlighted = options.get_option_index(self.current)
            except OptionDoesNotExist:  # the current anchor is gone (an orphan): start at the top
                options.highlighted = 0

    def _show(self, query: str) -> None:
        """List the parts that match ``query``, the first that matched itself highlighted."""
        options = self.query_one(OptionList)
        parts = matching_parts(self._parts, query)
        options.clear_options()
        options.add_options(
            # Items indented under their section.
            Option(Text(("    " if anchor.item else "") + one_line(label)), id=str(anchor))
            for anchor, label, _hit in parts
        )
        if not parts:
            options.add_option(Option(Text("Nothing matches the filter."), disabled=True))
            return
        options.highlighted = next(n for n, (_anchor, _label, hit) in enumerate(parts) if hit)

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    @on(Input.Submitted, "#filter")
    def _choose_highlighted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id is not None:
            dismiss_once(self, option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        dismiss_once(self, event.option.id)

    def action_filter(self) -> None:
        """Type in the filter box."""
        # At once: focus() would wait for the keys already queued, and send them to the list.
        self.set_focus(self.query_one(Input))

    def action_dismiss_none(self) -> None:
        """Close without choosing."""
        dismiss_once(self, None)
