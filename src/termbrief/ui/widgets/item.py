"""Item: one entry of an :class:`~termbrief.ui.widgets.item_list.ItemList`, held or built lazily.

An item is what a pane hands the list: where it lives in the brief (its anchor), what it shows
and the addresses of its links. It knows nothing of the list that draws it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from rich.console import RenderableType

__all__ = ["Item", "Shown"]

Shown = tuple[RenderableType, tuple[str, ...]]
"""What a lazy item builds: its renderable and the addresses of its links."""


class Item:
    """One entry of an :class:`ItemList`.

    Either holds its renderable (``Item(anchor, renderable, links)``) or builds it when the list
    draws or measures it (:meth:`lazy`): the list keeps the lines of the items in and near the
    view only, so a lazy item's Rich text lives only while it is drawn.
    """

    __slots__ = ("_build", "_links", "_renderable", "anchor", "size_key")

    def __init__(
        self,
        anchor: str,
        renderable: RenderableType,
        links: tuple[str, ...] = (),
        *,
        size_key: Hashable | None = None,
    ) -> None:
        self.anchor = anchor
        """Where the item lives in the brief (notes-style anchor)."""
        self.size_key = size_key
        """Items with equal keys take as many lines at any width (e.g. entries sharing one
        text through YAML aliases), so the list measures one of them; None: no such promise."""
        self._renderable: RenderableType = renderable
        self._links: tuple[str, ...] | None = links
        self._build: Callable[[], Shown] | None = None

    @classmethod
    def lazy(
        cls, anchor: str, build: Callable[[], Shown], *, size_key: Hashable | None = None
    ) -> Item:
        """An item that ``build`` s its renderable (and links) each time it is needed."""
        item = cls(anchor, "", size_key=size_key)
        item._build, item._links = build, None
        return item

    @property
    def renderable(self) -> RenderableType:
        """What to show (built from literal ``Text``, never markup); a lazy item builds it anew."""
        return self._renderable if self._build is None else self._build()[0]

    @property
    def links(self) -> tuple[str, ...]:
        """Addresses of the links in the item (a lazy item's, built once and kept)."""
        if self._links is None:
            assert self._build is not None
            self._links = self._build()[1]
        return self._links

    def __repr__(self) -> str:
        return f"Item({self.anchor!r}{', lazy' if self._build is not None else ''})"
