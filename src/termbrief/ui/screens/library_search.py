"""LibrarySearchScreen: one query over every brief of the library (and the user's notes).

A modal with a field and a ranked list of hits (brief title, which field matched, a snippet with
the matched words highlighted). Typing re-searches; Enter dismisses with the chosen
:class:`~termbrief.core.library_index.Hit` so the app can open the brief at ``hit.anchor``; Escape
dismisses with None. The :class:`~termbrief.core.library_index.LibraryIndex` is built by the caller
(in a worker).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Final

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from termbrief.core.anchors import Anchor
from termbrief.core.library import complete
from termbrief.core.library_index import Hit, LibraryIndex
from termbrief.ui.render.safe import clean, one_line
from termbrief.ui.state import ReaderState

DEBOUNCE_S: Final = 0.06
"""Wait this long after a keystroke before searching, so fast typing searches once."""

_FIELDS: Final = {
    "key_point": "",
    "summary": "summary",
    "title": "title",
    "note": "your note",
}


def describe_field(hit: Hit) -> str:
    """Where the hit is, for people: ``title``, ``figure label``, ``your note on actor``..."""
    section = _noun(hit.anchor)
    if hit.field == "note":
        return f"your note on {section}" if section else "your note"
    name = _FIELDS.get(hit.field, hit.field.replace("_", " "))
    if section == "source" and hit.field == "title":
        name = "title"
    return " ".join(part for part in (section, name) if part) or hit.field


def _noun(anchor: str) -> str:
    """One item of the anchor's section in running text (``figure``, ``key point``); empty for
    the summary, which its field alone names ("summary", not "summary summary")."""
    try:
        target = Anchor.parse(anchor)
    except ValueError:  # a note's anchor from a database edited by hand
        return ""
    return "" if target.section == "summary" else target.of_section.noun


def hit_prompt(hit: Hit) -> Content:
    """Two lines: the brief's title and the matched field, then the snippet, matches highlighted.

    Everything is literal text (``Content``), never markup.
    """
    head = Content.assemble(
        (one_line(hit.entry.title), "bold"),
        ("  ·  ", "dim"),
        (describe_field(hit), "italic $text-muted"),
    )
    # Cleaned piece by piece: cleaning changes lengths (an override shows as ⟨U+202E⟩), so the
    # spans, which count in the raw snippet, must cut it before it is cleaned.
    snippet = hit.snippet
    pieces: list[Content] = []
    position = 0
    for start, end in hit.spans:
        pieces.append(Content(_snippet_piece(snippet[position:start])))
        pieces.append(Content.styled(_snippet_piece(snippet[start:end]), "bold reverse"))
        position = end
    pieces.append(Content(_snippet_piece(snippet[position:])))
    return Content.assemble(head, "\n", Content("").join(pieces))


def _snippet_piece(text: str) -> str:
    """Part of a snippet as shown: cleaned, on one line (blanks kept, unlike ``one_line``)."""
    return clean(text).replace("\n", " ")


class LibrarySearchScreen(ModalScreen[Hit | None]):
    """Search the whole library; dismisses with the chosen :class:`Hit`, or None."""

    BINDING_GROUP_TITLE = "Library search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="library_search.close"),
        Binding("down", "move(1)", "Next hit", show=False, id="library_search.next"),
        Binding("up", "move(-1)", "Previous hit", show=False, id="library_search.previous"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="library_search.page_down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="library_search.page_up"),
    ]

    DEFAULT_CSS = """
    LibrarySearchScreen {
        align: center top;
    }
    LibrarySearchScreen > #library-search-dialog {
        width: 90%;
        max-width: 120;
        height: 80%;
        margin-top: 2;
        border: thick $accent 60%;
        background: $surface;
        padding: 0 1;
    }
    LibrarySearchScreen #library-search-input {
        margin-bottom: 0;
    }
    LibrarySearchScreen #library-search-status {
        height: 1;
        color: $text-muted;
        padding: 0 1;
    }
    LibrarySearchScreen #library-search-results {
        height: 1fr;
        border: none;
    }
    """

    def __init__(self, index: LibraryIndex, query: str = "", *, limit: int = 50) -> None:
        """Search ``index``; start with ``query`` in the field; show at most ``limit`` hits."""
        super().__init__()
        self.index = index
        self.limit = limit
        self.hits: list[Hit] = []
        """The hits on screen, in the list's order."""
        self._initial = query
        self._timer: Timer | None = None
        self._searched: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="library-search-dialog"):
            yield Input(
                value=self._initial,
                placeholder="Search every brief and your notes  (tag:  region:  actor:  has:notes)",
                id="library-search-input",
            )
            yield Static("", id="library-search-status", markup=False)
            yield OptionList(id="library-search-results", markup=False)

    def on_mount(self) -> None:
        self.query_one("#library-search-dialog").border_title = "Search the library"
        self.query_one("#library-search-input", Input).focus()
        self.search_now()

    @property
    def query_text(self) -> str:
        """The query in the field."""
        return self.query_one("#library-search-input", Input).value

    def search_now(self) -> None:
        """Run the query in the field now and show the hits (the first one highlighted)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        query = self.query_text
        if query == self._searched:
            return
        self._searched = query
        self.hits = self.index.search(query, self.limit) if query.strip() else []
        results = self.query_one("#library-search-results", OptionList)
        results.clear_options()
        results.add_options([Option(hit_prompt(hit)) for hit in self.hits])
        if self.hits:
            results.highlighted = 0
        self._show_status(query)

    def _show_status(self, query: str) -> None:
        if not query.strip():
            briefs = len(self.index.entries)
            noun = "brief" if briefs == 1 else "briefs"
            text = f"{briefs:,} {noun}. Type to search; Enter opens, Esc closes."
        elif not self.hits:
            text = "No matches."
        else:
            count = f"{len(self.hits)}{'+' if len(self.hits) >= self.limit else ''}"
            noun = "hit" if len(self.hits) == 1 else "hits"
            text = f"{count} {noun}, best first. Enter opens at the match."
        self.query_one("#library-search-status", Static).update(Content(text))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self.search_now)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search_now()  # Enter right after typing must not pick a stale hit
        self._choose(self.query_one("#library-search-results", OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.hits):
            self.dismiss(self.hits[index])

    def action_move(self, delta: int) -> None:
        """Move the highlight through the hits while typing."""
        if not self.hits:
            return
        results = self.query_one("#library-search-results", OptionList)
        current = results.highlighted if results.highlighted is not None else -1
        results.highlighted = max(0, min(len(self.hits) - 1, current + delta))

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


def push_library_search(
    app: App[Any],
    index: LibraryIndex,
    state: ReaderState,
    open_entry: Callable[..., None],
) -> None:
    """Show the library search over ``index`` (unless it is already up); the hit chosen opens
    at its item with ``open_entry(entry, anchor=...)``, from the library as it is then."""
    if isinstance(app.screen, LibrarySearchScreen):
        return

    def chosen(hit: Hit | None) -> None:
        if hit is None:
            return
        # The library as it is now, not as indexed: the file may have changed since.
        entry = state.entry_at(hit.entry.path)
        if entry is None:
            app.notify(f"{hit.entry.path} is no longer in the library.", markup=False)
            return
        open_entry(complete(entry), anchor=hit.anchor)

    app.push_screen(LibrarySearchScreen(index), chosen)
