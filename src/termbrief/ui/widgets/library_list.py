"""The library sidebar: every brief of the library, newest first, with a filter box on top.

Each brief shows its title and, dimmed, its date and tags; an invalid file shows
``✗ file-name — invalid`` and its first problem. The list is an ``OptionList`` (virtualised,
so thousands of briefs stay fast) whose prompts are ``Content`` built from plain strings: brief
titles and file names are untrusted and are never read as markup.

The filter box's placeholder is a hint (what ``/`` does, then what can be typed); a line under the
box names filters it does not know (``foo:bar``), and an empty result points to the library
search (ctrl+f), which reads every brief's whole text.

The widget only posts messages (:class:`LibraryList.EntryHighlighted`,
:class:`LibraryList.EntryChosen`); what to do with them is the screen's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import ClassVar, Self

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from termbrief.core.library import Entry
from termbrief.core.library_filter import (
    changed_first,
    filter_entries,
    filter_problem,
    parse_filter,
)
from termbrief.core.reading_sets import ReadingSets
from termbrief.ui.render.safe import one_line, reveal
from termbrief.ui.widgets.key_names import key_for

FILTER_HINT = "press / to filter (tag: actor: …)"
"""The filter box's placeholder while it is not being typed in (the sidebar is narrow)."""
FILTER_TYPING_HINT = "words tag: region: actor: has:notes is:unread is:changed"
"""The placeholder while the box has the keyboard: what may be typed."""
_FILTER_TOOLTIP = (
    "Filter the library: words (found in titles, tags, regions, actors, summaries and key "
    "points), tag:…, region:…, actor:…, has:notes, is:unread, is:changed"
)
BADGES = {"unread": "●", "changed": "Δ"}
"""Before a brief's title: never read (``●``), or changed since you read it (``Δ``)."""
NO_MATCH = "No brief matches the filter"
"""First line of what the list shows when the filter lets nothing through."""


def entry_prompt(entry: Entry, status: str = "") -> Content:
    """The two lines the list shows for ``entry``, as literal text; ``status`` (``unread`` or
    ``changed``) puts its badge before the title."""
    if not entry.ok:
        problem = entry.problems[0] if entry.problems else None
        detail = f"{problem.line}:{problem.column}: {problem.message}" if problem else "unreadable"
        return Content.assemble(
            (f"✗ {reveal(entry.path.name)} — invalid", "$text-error bold"),
            "\n",
            (one_line(detail), "$foreground-muted"),
        )
    date = entry.date.isoformat() if entry.date else "no date"
    meta = " · ".join([date, *(one_line(tag) for tag in entry.tags)])
    badge = f"{BADGES[status]} " if status in BADGES else ""
    return Content.assemble(
        (badge, "$text-accent bold"),
        (one_line(entry.title), "bold"),
        "\n",
        (meta, "$foreground-muted"),
    )


class _FilterInput(Input):
    """The filter box; Escape clears it and returns to the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave(True)", "Clear filter", id="library.filter.clear"),
        Binding("down", "leave(False)", "To the list", show=False, id="library.filter.done"),
    ]

    def on_focus(self) -> None:
        self.placeholder = FILTER_TYPING_HINT

    def on_blur(self) -> None:
        self.placeholder = FILTER_HINT

    def action_leave(self, clear: bool) -> None:
        if clear:
            self.value = ""
        parent = self.parent
        if isinstance(parent, LibraryList):
            parent.focus()


class _EntryOptions(OptionList):
    """The list itself, with vim-style keys next to the arrows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open brief", id="library.open"),
        Binding("j", "cursor_down", "Next brief", show=False, id="library.down"),
        Binding("k", "cursor_up", "Previous brief", show=False, id="library.up"),
        Binding("g", "first", "First brief", show=False, id="library.first"),
        Binding("G", "last", "Last brief", show=False, id="library.last"),
    ]


class LibraryList(Vertical):
    """The library sidebar over a sequence of :class:`~termbrief.core.library.Entry`.

    Entries are shown in the order given (the library sorts them newest first, invalid last).
    """

    BINDING_GROUP_TITLE = "Library"

    # Compact children: the sidebar usually sits in a bordered container of its own.
    DEFAULT_CSS = """
    LibraryList {
        height: 1fr;
    }
    LibraryList > Input {
        margin: 0 0 1 0;
        & > .input--placeholder { text-style: italic; }
    }
    LibraryList > #library-filter-hint {
        display: none;
        color: $text-warning;
        margin: 0 0 1 0;
    }
    /* The hint takes the blank line under the box. */
    LibraryList.-hinted {
        & > #library-filter-hint { display: block; }
        & > Input { margin: 0; }
    }
    LibraryList > OptionList {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter library", id="library.filter"),
        Binding("M", "mark_all_read", "Mark all read", id="library.mark_all_read", show=False),
        Binding("o", "changed_first", "Changed first", id="library.changed_first", show=False),
    ]

    class MarkAllRead(Message):
        """The reader asked to mark every listed brief read (``M``)."""

        def __init__(self, library_list: LibraryList, entries: Sequence[Entry]) -> None:
            super().__init__()
            self.library_list = library_list
            """The list that sent the message."""
            self.entries = tuple(entries)
            """The entries listed (those the filter lets through)."""

        @property
        def control(self) -> LibraryList:
            """The list that sent the message (for ``@on``)."""
            return self.library_list

    class EntryHighlighted(Message):
        """The cursor moved to ``entry`` (by key or mouse; not by :meth:`set_entries`)."""

        def __init__(self, library_list: LibraryList, entry: Entry) -> None:
            super().__init__()
            self.library_list = library_list
            """The list that sent the message."""
            self.entry = entry
            """The highlighted entry."""

        @property
        def control(self) -> LibraryList:
            """The list that sent the message (for ``@on``)."""
            return self.library_list

    class EntryChosen(Message):
        """The user chose ``entry`` (Enter or click): open it, or show its problems."""

        def __init__(self, library_list: LibraryList, entry: Entry) -> None:
            super().__init__()
            self.library_list = library_list
            """The list that sent the message."""
            self.entry = entry
            """The chosen entry."""

        @property
        def control(self) -> LibraryList:
            """The list that sent the message (for ``@on``)."""
            return self.library_list

    def __init__(
        self,
        entries: Sequence[Entry] = (),
        *,
        briefs_with_notes: AbstractSet[str] = frozenset(),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create the list.

        Args:
            entries: The library, in display order.
            briefs_with_notes: Ids of briefs that have notes, for the ``has:notes`` filter.
        """
        super().__init__(name=name, id=id, classes=classes)
        self._entries: tuple[Entry, ...] = tuple(entries)
        self._visible: list[Entry] = []
        self._briefs_with_notes: AbstractSet[str] = briefs_with_notes
        self._filter_text = ""
        self._hint = ""
        self._reading = ReadingSets()
        self.changed_first = False
        """Whether briefs changed since read are listed first (then unread, then the rest)."""

    def compose(self) -> ComposeResult:
        filter_input = _FilterInput(placeholder=FILTER_HINT, id="library-filter", compact=True)
        filter_input.tooltip = _FILTER_TOOLTIP
        yield filter_input
        yield Static("", id="library-filter-hint", markup=False)
        yield _EntryOptions(id="library-options", compact=True)

    def on_mount(self) -> None:
        self._refresh_options(keep=None)

    # ------------------------------------------------------------------ public API

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry of the library, filtered or not."""
        return self._entries

    @property
    def visible_entries(self) -> tuple[Entry, ...]:
        """The entries the filter lets through, in display order."""
        return tuple(self._visible)

    @property
    def highlighted_entry(self) -> Entry | None:
        """The entry under the cursor."""
        if not self.is_mounted:
            return None
        index = self._options.highlighted
        if index is None or index >= len(self._visible):
            return None
        return self._visible[index]

    @property
    def filter_text(self) -> str:
        """The current filter query."""
        return self._filter_text

    @property
    def filter_hint(self) -> str:
        """What the line under the filter box says (empty when hidden): the filters of the query
        that are not filters (``unknown filter `foo:`; use tag:, …``)."""
        return self._hint

    def set_entries(self, entries: Sequence[Entry], keep_selection: bool = True) -> None:
        """Replace the library (live reload), re-applying the current filter.

        With ``keep_selection`` the cursor stays on the same file (by path) when it is still
        listed, else on the same row. No :class:`EntryHighlighted` is posted for that move.
        """
        keep = self._keep_target() if keep_selection else None
        self._entries = tuple(entries)
        if self.is_mounted:
            self._refresh_options(keep)

    def set_briefs_with_notes(self, brief_ids: AbstractSet[str]) -> None:
        """Tell the list which briefs have notes (for ``has:notes``); refilters if needed."""
        self._briefs_with_notes = brief_ids
        if self.is_mounted and parse_filter(self._filter_text).has_notes:
            self._refresh_options(self._keep_target())

    def set_reading(self, reading: ReadingSets) -> None:
        """Tell the list which briefs are unread or changed since read (badges, ``is:``)."""
        if reading == self._reading:
            return
        self._reading = reading
        if self.is_mounted:
            self._refresh_options(self._keep_target())

    def action_mark_all_read(self) -> None:
        """Mark every listed brief read (the filter chooses which)."""
        self.post_message(self.MarkAllRead(self, self._visible))

    def action_changed_first(self) -> None:
        """List briefs changed since read first, then unread ones; again: the usual order."""
        self.changed_first = not self.changed_first
        if self.is_mounted:
            self._refresh_options(self._keep_target())

    def set_filter(self, query: str) -> None:
        """Filter the list as if ``query`` was typed in the filter box."""
        self.query_one(_FilterInput).value = query
        self._apply_filter(query)

    def select_path(self, path: Path) -> bool:
        """Put the cursor on the entry for ``path`` (e.g. the brief on screen), silently.

        Returns:
            False when that file is not listed (unknown, or hidden by the filter).
        """
        for index, entry in enumerate(self._visible):
            if entry.path == path:
                self._highlight(index)
                return True
        return False

    def entry_after(self, entry: Entry | None, step: int) -> Entry | None:
        """The listed entry ``step`` rows after (or before, if negative) ``entry``, no wrapping.

        For "next / previous brief" keys that follow what the user sees. With ``entry`` not
        listed, the first (step > 0) or last (step < 0) listed entry.
        """
        if not self._visible:
            return None
        paths = [e.path for e in self._visible]
        if entry is None or entry.path not in paths:
            return self._visible[0] if step > 0 else self._visible[-1]
        index = paths.index(entry.path) + step
        return self._visible[index] if 0 <= index < len(self._visible) else None

    def focus(self, scroll_visible: bool = True) -> Self:
        """Focus the list (not the filter box)."""
        self._options.focus(scroll_visible)
        return self

    def action_filter(self) -> None:
        """Focus the filter box."""
        self.query_one(_FilterInput).focus()

    # ------------------------------------------------------------------ internals

    @property
    def _options(self) -> _EntryOptions:
        return self.query_one(_EntryOptions)

    def _keep_target(self) -> tuple[Path, int] | None:
        entry = self.highlighted_entry
        index = self._options.highlighted if self.is_mounted else None
        return (entry.path, index or 0) if entry is not None else None

    def _highlight(self, index: int | None) -> None:
        options = self._options
        # A programmatic move is not the user's: no EntryHighlighted for it.
        with self.prevent(OptionList.OptionHighlighted):
            options.highlighted = index
        if index is not None:
            options.scroll_to_highlight()

    def _refresh_options(self, keep: tuple[Path, int] | None) -> None:
        flt = parse_filter(self._filter_text)
        reading = self._reading
        self._visible = filter_entries(self._entries, flt, self._briefs_with_notes, reading)
        if self.changed_first:
            self._visible = changed_first(self._visible, reading)
        self._show_hint(filter_problem(flt) or "")
        options = self._options
        with self.prevent(OptionList.OptionHighlighted):
            if self._visible:
                options.set_options(
                    entry_prompt(entry, self._status(entry.id)) for entry in self._visible
                )
            else:
                options.set_options([Option(self._empty_message(), disabled=True)])
        total, shown = len(self._entries), len(self._visible)
        title = f"Library {shown}/{total}" if shown != total else f"Library {total}"
        counts = [(len(reading.unread), "unread"), (len(reading.changed), "changed")]
        self.border_title = " · ".join([title, *(f"{n} {what}" for n, what in counts if n)])
        if not self._visible:
            return
        index = 0
        if keep is not None:
            paths = [entry.path for entry in self._visible]
            index = paths.index(keep[0]) if keep[0] in paths else min(keep[1], len(paths) - 1)
        self._highlight(index)

    def _status(self, brief_id: str) -> str:
        if brief_id in self._reading.changed:
            return "changed"
        return "unread" if brief_id in self._reading.unread else ""

    def _empty_message(self) -> Content:
        if not self._entries:
            return Content("No briefs")
        # The filter reads the list's details, the actors and the summary; the library search
        # reads everything (figures, commentary, timeline, sources, notes).
        search = key_for(self, "library.search", "ctrl+f")
        return Content.assemble(
            NO_MATCH, "\n", (f"{search}: search inside every brief", "$text-muted")
        )

    def _show_hint(self, hint: str) -> None:
        if hint == self._hint:
            return
        self._hint = hint
        label = self.query_one("#library-filter-hint", Static)
        label.update(Content(hint))
        self.set_class(bool(hint), "-hinted")

    def _apply_filter(self, query: str) -> None:
        if query == self._filter_text:
            return
        keep = self._keep_target()
        self._filter_text = query
        self._refresh_options(keep)

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply_filter(event.value)

    @on(Input.Submitted, "#library-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus()

    @on(OptionList.OptionHighlighted, "#library-options")
    def _option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_index < len(self._visible):
            self.post_message(self.EntryHighlighted(self, self._visible[event.option_index]))

    @on(OptionList.OptionSelected, "#library-options")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._visible):
            self.post_message(self.EntryChosen(self, self._visible[event.option_index]))
