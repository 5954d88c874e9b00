"""Pairing the items of two versions of a list, and finding which pairs moved. No Textual.

Used by :mod:`termbrief.core.diff`; each function returns ``{old index: new index}`` or a set of
old indices, so it works on any items.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Sequence
from typing import Final, TypeVar

__all__ = ["MAX_PAIRS", "SIMILARITY", "moved", "pair_by_content", "pair_by_id"]

SIMILARITY: Final = 60.0
"""Lowest ``fuzz.ratio`` (0-100) at which two items without ids count as one item rewritten."""
MAX_PAIRS: Final = 1_000_000
"""Beyond this many unpaired old x new items, similarity pairing is skipped (added + removed)."""

_T = TypeVar("_T")
_H = TypeVar("_H", bound=Hashable)


def pair_by_id(old: Sequence[_T], new: Sequence[_T], key: Callable[[_T], str]) -> dict[int, int]:
    """Items with the same ``key``; the k-th use of a repeated key pairs with the k-th."""

    def keyed(items: Sequence[_T]) -> dict[tuple[str, int], int]:
        seen: Counter[str] = Counter()
        result = {}
        for index, item in enumerate(items):
            item_id = key(item)
            result[(item_id, seen[item_id])] = index
            seen[item_id] += 1
        return result

    new_keys = keyed(new)
    return {i: new_keys[k] for k, i in keyed(old).items() if k in new_keys}


def pair_by_content(
    old: Sequence[_H], new: Sequence[_H], text: Callable[[_H], str]
) -> dict[int, int]:
    """Equal items first, in order; then the most similar remaining pairs by ``text(item)``.

    Every remaining old x new pair is scored once (rapidfuzz, in C) and the best pairs are taken
    first; a pair scoring under :data:`SIMILARITY` is left unpaired.
    """
    waiting: defaultdict[_H, deque[int]] = defaultdict(deque)
    for j, item in enumerate(new):
        waiting[item].append(j)
    pairs: dict[int, int] = {}
    for i, item in enumerate(old):
        queue = waiting.get(item)
        if queue:
            pairs[i] = queue.popleft()
    old_left = [i for i in range(len(old)) if i not in pairs]
    taken = set(pairs.values())
    new_left = [j for j in range(len(new)) if j not in taken]
    if not old_left or not new_left or len(old_left) * len(new_left) > MAX_PAIRS:
        return pairs

    from rapidfuzz import fuzz, process

    choices = [text(new[j]) for j in new_left]
    scored = []
    for i in old_left:
        for _, score, k in process.extract(
            text(old[i]), choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None
        ):
            # Equal scores: the pair nearest in relative position wins.
            distance = abs(i / len(old) - new_left[k] / len(new))
            scored.append((-score, distance, i, new_left[k]))
    for _, _, i, j in sorted(scored):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


def moved(pairs: dict[int, int]) -> set[int]:
    """Old indices of the pairs outside a longest increasing run of new indices.

    That is the fewest items that must move to turn the old order into the new one; items only
    shifted by additions and removals keep their relative order and have not moved. Patience
    sorting: O(n log n).
    """
    olds = sorted(pairs)
    tails: list[int] = []  # tails[k]: smallest new index ending a run of length k + 1
    tail_at: list[int] = []  # the position in olds of that tail
    previous = [-1] * len(olds)
    for position, i in enumerate(olds):
        j = pairs[i]
        k = bisect_left(tails, j)
        previous[position] = tail_at[k - 1] if k else -1
        if k == len(tails):
            tails.append(j)
            tail_at.append(position)
        else:
            tails[k], tail_at[k] = j, position
    kept = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        kept.add(olds[position])
        position = previous[position]
    return set(olds) - kept
