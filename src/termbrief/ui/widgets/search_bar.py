"""SearchBar: the find-in-brief field that ``/`` opens, with a match counter.

The bar only edits the query and shows the count; it posts messages and its parent (the brief
screen) computes the matches with :func:`termbrief.core.search.find_in_brief`, highlights them and
steps through them. Reusable anywhere a "find" field is needed.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label


class SearchBar(Widget):
    """A one-line search field with a match counter ("2/7", "no matches"); hidden until opened."""

    BINDING_GROUP_TITLE = "Search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "close",
            "Close (search stays)",
            id="search.close",
            tooltip="Hide the bar; a search with matches stays set for n / N until Esc clears it",
        ),
        Binding("down", "step(True)", "Next match", show=False, id="search.next_match"),
        Binding("up", "step(False)", "Previous match", show=False, id="search.previous_match"),
    ]

    DEFAULT_CSS = """
    SearchBar {
        display: none;
        height: 1;
        layout: horizontal;
        background: $boost;
    }
    SearchBar.-open {
        display: block;
    }
    SearchBar > #search-prompt {
        width: auto;
        padding: 0 1;
        color: $accent;
        text-style: bold;
    }
    SearchBar > Input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0;
        background: transparent;
    }
    SearchBar > Input:focus {
        border: none;
    }
    SearchBar > #search-count {
        width: auto;
        min-width: 12;
        padding: 0 1;
        text-align: right;
        color: $text-muted;
    }
    SearchBar > #search-count.-none {
        color: $warning;
    }
    """

    class QueryChanged(Message):
        """The query was edited (posted on every keystroke; empty means "nothing to find")."""

        def __init__(self, search_bar: SearchBar, query: str) -> None:
            super().__init__()
            self.search_bar = search_bar
            self.query = query

    class Submitted(Message):
        """Enter in the field: go to the current match (and usually back to the panes)."""

        def __init__(self, search_bar: SearchBar, query: str) -> None:
            super().__init__()
            self.search_bar = search_bar
            self.query = query

    class Step(Message):
        """Down / Up in the field: step to the next (``forward``) or previous match."""

        def __init__(self, search_bar: SearchBar, forward: bool) -> None:
            super().__init__()
            self.search_bar = search_bar
            self.forward = forward

    class Closed(Message):
        """The bar was closed (Escape) and its field emptied; the parent decides whether the
        query it held stays set (the brief screen keeps one with matches for ``n`` / ``N``)."""

        def __init__(self, search_bar: SearchBar) -> None:
            super().__init__()
            self.search_bar = search_bar

    def __init__(
        self,
        placeholder: str = "Find in this brief (case-insensitive unless you type a capital)",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Build a closed bar; ``placeholder`` is shown in the empty field."""
        super().__init__(id=id, classes=classes)
        self._placeholder = placeholder
        self._count_text = ""
        self._where_text = ""

    def compose(self) -> ComposeResult:
        yield Label("/", id="search-prompt", markup=False)
        # Disabled while closed, so a hidden field never takes the focus (or the keys).
        yield Input(placeholder=self._placeholder, id="search-input", disabled=True)
        yield Label("", id="search-count", markup=False)

    @property
    def input(self) -> Input:
        """The text field."""
        return self.query_one("#search-input", Input)

    @property
    def value(self) -> str:
        """The current query."""
        return self.input.value

    @property
    def is_open(self) -> bool:
        """Whether the bar is shown."""
        return self.has_class("-open")

    def open(self, query: str | None = None) -> None:
        """Show the bar and focus the field (with ``query`` in it, if given, all selected)."""
        self.add_class("-open")
        field = self.input
        field.disabled = False
        if query is not None and query != field.value:
            from termbrief.core.search import clean_query  # the search itself, on first use

            field.value = clean_query(query)  # posts Input.Changed -> QueryChanged
        # Focus now, not after the keys already queued (focus() waits its turn): what is typed
        # right after the key that opened the bar belongs in the field, not in the panes.
        self.screen.set_focus(field)
        field.select_all()

    def close(self) -> None:
        """Hide the bar, empty the field and post :class:`Closed`."""
        if not self.is_open:
            return
        field = self.input
        with field.prevent(Input.Changed):
            field.value = ""
        self.set_count(None, 0)
        field.disabled = True
        self.remove_class("-open")
        self.post_message(self.Closed(self))

    def set_count(self, current: int | None, total: int, where: str = "") -> None:
        """Show where we are: ``current`` is 1-based (None before stepping), ``total`` matches.

        Shows ``2/7``, ``7 matches``, ``no matches``, or nothing for an empty query; ``where``
        follows the counter when the match is somewhere the panes do not show (``2/7 · in the
        figure's context``).
        """
        label = self.query_one("#search-count", Label)
        if not self.value:
            text = ""
        elif total == 0:
            text = "no matches"
        elif current is None:
            text = f"{total} match" if total == 1 else f"{total} matches"
        else:
            text = f"{current}/{total}"
        self._count_text = text
        self._where_text = where if text else ""
        label.update(Content(f"{text} · {where}" if text and where else text))
        label.set_class(bool(self.value) and total == 0, "-none")

    @property
    def count_text(self) -> str:
        """The counter as shown (for tests and screen readers)."""
        return self._count_text

    @property
    def where_text(self) -> str:
        """Where the current match is, when the panes do not show it ("" otherwise)."""
        return self._where_text

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(self, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))

    def action_close(self) -> None:
        """Close the bar (Escape)."""
        self.close()

    def action_step(self, forward: bool) -> None:
        """Ask for the next or previous match."""
        if self.value:
            self.post_message(self.Step(self, forward))
