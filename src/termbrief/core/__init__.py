"""The domain: briefs, the loader, the library, search. No Textual, no Rich.

Importing this package primes one regular expression for PyYAML (:func:`_prime_pyyaml`), before
any module of it imports ``yaml``.
"""

from __future__ import annotations

import re

YAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
"""``yaml.reader.Reader.NON_PRINTABLE``'s pattern, as PyYAML writes it: every code point that is
not printable, as the complement of the printable ones."""

NON_PRINTABLE_LISTED = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
"""The same set of code points, listed instead of complemented."""


def _prime_pyyaml() -> None:
    """Let ``import yaml`` find :data:`YAML_NON_PRINTABLE` already compiled.

    PyYAML compiles it when its package is imported (a class attribute of the pure-Python
    reader, which termbrief's libyaml loader never runs). Python's regex compiler builds the
    complement of tens of thousands of code points one at a time: the largest single cost of
    importing PyYAML, on every start (the figure is in ``bench/results.md``, case 1). The listed
    form compiles many times faster and matches exactly the same code points (tested over all
    of them), so it is stored in ``re``'s cache under PyYAML's pattern. A Python whose ``re``
    keeps no such cache just compiles PyYAML's pattern as usual.
    """
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict):
        cache.setdefault((str, YAML_NON_PRINTABLE, 0), re.compile(NON_PRINTABLE_LISTED))


_prime_pyyaml()
