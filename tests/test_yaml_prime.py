"""termbrief.core primes PyYAML's non-printable regex with an equivalent that compiles faster."""

from __future__ import annotations

import re
import subprocess
import sys

from termbrief.core import NON_PRINTABLE_LISTED, YAML_NON_PRINTABLE


def test_the_listed_pattern_matches_exactly_what_pyyamls_pattern_matches() -> None:
    # Wrapped in a group: a different cache key, so PyYAML's own pattern is compiled here.
    pyyaml = re.compile(f"(?:{YAML_NON_PRINTABLE})")
    listed = re.compile(NON_PRINTABLE_LISTED)
    every_code_point = "".join(map(chr, range(sys.maxunicode + 1)))
    found = [match.start() for match in pyyaml.finditer(every_code_point)]
    assert found == [match.start() for match in listed.finditer(every_code_point)]
    assert 0x00 in found and 0xD800 in found and 0xFFFF in found and 0x09 not in found


def test_pyyaml_imported_after_termbrief_core_uses_the_primed_pattern() -> None:
    # A fresh interpreter: this one imported PyYAML long ago. If PyYAML changes its pattern,
    # the prime no longer applies and this fails: update YAML_NON_PRINTABLE.
    code = (
        "import termbrief.core, yaml.reader\n"
        "print(yaml.reader.Reader.NON_PRINTABLE.pattern == termbrief.core.NON_PRINTABLE_LISTED)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "True"
