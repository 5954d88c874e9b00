"""The published JSON Schema (docs/brief.schema.json) and the checker agree: every brief the
checker accepts, the schema accepts; every rule JSON Schema can state, both refuse; the rules
across items (citations, relations, unique ids) are the checker's alone.

The schema is read as an editor's YAML language server reads a brief: YAML 1.2, where a date is
a string.
"""

from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from termbrief.core.loader import BriefError, load_brief_text
from termbrief.core.model import json_schema

REPO = Path(__file__).parents[1]
SCHEMA = json.loads((REPO / "docs" / "brief.schema.json").read_text(encoding="utf-8"))
VALID = [
    *sorted((REPO / "briefs").glob("*.yaml")),
    REPO / "tests" / "data" / "reports" / "red-sea-shipping.yaml",
    REPO / "tests" / "data" / "format" / "additions.yaml",
    *sorted((REPO / "tests" / "data" / "ui").glob("*.yaml")),
]


def as_editors_read_it(value: Any) -> Any:
    """YAML 1.1 values as a YAML 1.2 reader sees them: dates stay text."""
    if isinstance(value, dict):
        return {key: as_editors_read_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editors_read_it(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def schema_errors(text: str) -> list[str]:
    document = as_editors_read_it(yaml.safe_load(text))
    return [error.message for error in Draft7Validator(SCHEMA).iter_errors(document)]


def checker_accepts(text: str) -> bool:
    try:
        load_brief_text(text, "b.yaml")
    except BriefError:
        return False
    return True


def test_the_committed_schema_is_the_models() -> None:
    assert json.loads(json.dumps(json_schema())) == SCHEMA
    Draft7Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_every_brief_the_checker_accepts_the_schema_accepts(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if not checker_accepts(text):
        pytest.skip("not a valid brief (a fixture of problems)")
    assert schema_errors(text) == []


HEAD = "title: T\nsummary: S\n"
BOTH_REFUSE = {
    "format 2": "format: 2\n",
    "unknown key": "confidence: high\n",
    "confidence word": "figures:\n  - {label: L, value: 1, confidence: sure}\n",
    "reliability grade": "sources:\n  - {title: S, reliability: G}\n",
    "relation kind": "actors:\n  - {id: a, name: A, kind: person, relations: [{to: b, kind: likes}]}\n"
    "  - {id: b, name: B, kind: person}\n",
    "actor kind": "actors:\n  - {name: A, kind: Person}\n",
    "half a range": "figures:\n  - {label: L, value: {low: 1}}\n",
    "citation id": "figures:\n  - {label: L, value: 1, cites: [Bad_Id]}\n"
    "sources:\n  - {id: bad-id, title: S}\n",
    "citation without source": "figures:\n  - {label: L, value: 1, cites: [{locator: p. 4}]}\n",
    "date form": "timeline:\n  - {date: '2024-9', event: E}\n",
    "ongoing alone": "timeline:\n  - {date: ongoing, event: E}\n",
    "empty key point": "key_points:\n  - {text: ''}\n",
    "view without author": "commentary:\n  - {body: B}\n",
    "empty author": "commentary:\n  - {author: '', body: B}\n",
    "change amount": "figures:\n  - {label: L, value: 1, change: {amount: much}}\n",
    "quote flag": "commentary:\n  - {author: A, body: B, quote: maybe}\n",
    "timeline actor id": "timeline:\n  - {date: 2024, event: E, actors: [Not An Id]}\n",
}
ONLY_THE_CHECKER = {
    "dangling citation": "figures:\n  - {label: L, value: 1, cites: [nowhere]}\n",
    "relation to nobody": "actors:\n  - {name: A, kind: person, relations: [{to: b, kind: funds}]}\n",
    "duplicate source ids": "sources:\n  - {id: s, title: A}\n  - {id: s, title: B}\n",
    "reversed range": "figures:\n  - {label: L, value: {low: 2, high: 1}}\n",
    "reversed dates": "timeline:\n  - {date: 2024-09-06/2024-09-04, event: E}\n",
    "impossible date": "timeline:\n  - {date: '2024-02-30', event: E}\n",
    "direction against sign": "figures:\n  - {label: L, value: 1, change: {amount: -1, direction: up}}\n",
}
ASSESSMENT = "commentary:\n  - {kind: assessment, body: The writer's own.}\n"


@pytest.mark.parametrize("body", BOTH_REFUSE.values(), ids=BOTH_REFUSE.keys())
def test_what_json_schema_can_say_both_refuse(body: str) -> None:
    text = HEAD + textwrap.dedent(body)
    assert not checker_accepts(text)
    assert schema_errors(text) != []


@pytest.mark.parametrize("body", ONLY_THE_CHECKER.values(), ids=ONLY_THE_CHECKER.keys())
def test_rules_across_items_are_the_checkers_alone(body: str) -> None:
    text = HEAD + textwrap.dedent(body)
    assert not checker_accepts(text)
    assert schema_errors(text) == []  # beyond JSON Schema: the schema stays permissive


def test_an_assessment_may_go_unsigned_in_both() -> None:
    assert checker_accepts(HEAD + ASSESSMENT)
    assert schema_errors(HEAD + ASSESSMENT) == []
