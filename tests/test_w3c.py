"""W3C Web Annotation export and import (store.w3c, `termbrief notes export --format w3c`,
`termbrief notes import`): the model's required fields, and a round trip without loss."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from termbrief.cli.notes import add_subcommands
from termbrief.core.anchors import Anchor
from termbrief.core.annotation import Note, Target
from termbrief.core.loader import load_brief
from termbrief.store.notes import NotesError, NotesStore
from termbrief.store.w3c import ANCHORS, CONTEXT, notes_from_w3c, notes_to_w3c

SAMPLE = Path(__file__).resolve().parents[1] / "briefs" / "china-police-cooperation.yaml"
T0 = datetime(2024, 9, 11, 8, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("TERMBRIEF_DATA_DIR", str(tmp_path / "env-data"))


def varied_notes() -> list[Note]:
    """A highlight, a note on words, on a whole item, on a section, one written before
    selectors, one with a non-UUID id and text in several scripts and lines."""
    brief = load_brief(SAMPLE)
    paragraph = Anchor.numbered("summary", 2)
    text = paragraph.content(brief) or ""
    start = text.index("President Xi Jinping")
    words = Target.of(brief, paragraph, start, start + len("President Xi Jinping"))
    event = Target.of(brief, Anchor.event(3))
    later = T0 + timedelta(hours=2)

    def on(note_id: str, target: Target, body: str, updated: datetime = T0) -> Note:
        return Note(note_id, brief.id, str(target.anchor), body, target.exact, T0, updated,
                    target.prefix, target.suffix, target.start)  # fmt: skip

    return [
        on("0" * 31 + "1", words, ""),
        on("0" * 31 + "2", words, "Who **else** was there?\n\nA second paragraph.", later),
        on("0" * 31 + "3", event, "On the summit"),
        on("0" * 31 + "4", Target(Anchor("sources")), "On all sources"),
        Note("legacy-note.1", brief.id, "timeline/2", "é ✓ 中文", "2022: An event.", T0, T0),
    ]


def annotations(document: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = document["first"]["items"]
    return items


def test_the_export_has_the_models_required_fields() -> None:
    document = json.loads(notes_to_w3c(varied_notes()))
    assert document["@context"] == CONTEXT == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert document["total"] == 5
    assert document["first"]["type"] == "AnnotationPage"
    for annotation in annotations(document):
        assert annotation["type"] == "Annotation"
        assert annotation["id"].startswith(("urn:uuid:", "urn:termbrief:note:"))
        assert annotation["target"]["source"] == "urn:termbrief:brief:china-police-cooperation"
        selectors = annotation["target"]["selector"]
        assert selectors and all("type" in selector for selector in selectors)
        (place,) = [s for s in selectors if s["type"] == "FragmentSelector"]
        assert place["conformsTo"] == ANCHORS and Anchor.is_valid(place["value"])
        assert annotation["created"].endswith("Z") and annotation["modified"].endswith("Z")
    highlight, words, event, section, legacy = annotations(document)
    # A highlight has no body; a note's body is its Markdown.
    assert highlight["motivation"] == "highlighting" and "body" not in highlight
    assert words["motivation"] == "commenting"
    assert words["body"] == {
        "type": "TextualBody",
        "value": "Who **else** was there?\n\nA second paragraph.",
        "format": "text/markdown",
    }
    # Words: a TextQuoteSelector, and the place refined by the words' position in its text.
    quote, place = words["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "President Xi Jinping"
    assert quote["prefix"] and quote["suffix"]
    refined = place["refinedBy"]
    assert refined["type"] == "TextPositionSelector"
    assert refined["end"] - refined["start"] == len(quote["exact"])
    assert place["value"] == "summary/3"
    # A whole item quotes all its text; a section has its place alone; an old note its quote.
    assert event["target"]["selector"][1]["refinedBy"]["start"] == 0
    assert section["target"]["selector"] == [
        {"type": "FragmentSelector", "conformsTo": ANCHORS, "value": "sources"}
    ]
    assert "refinedBy" not in legacy["target"]["selector"][1]
    assert legacy["id"] == "urn:termbrief:note:legacy-note.1"


def test_export_import_into_an_empty_store_export_gives_identical_json(tmp_path: Path) -> None:
    notes = varied_notes()
    with NotesStore.open(tmp_path / "one") as store:
        assert store.import_notes(notes) == len(notes)
        first = notes_to_w3c(store.all_notes())
    with NotesStore.open(tmp_path / "two") as empty:
        assert empty.import_notes(notes_from_w3c(first)) == len(notes)
        second = notes_to_w3c(empty.all_notes())
        assert sorted(empty.all_notes(), key=lambda n: n.id) == sorted(notes, key=lambda n: n.id)
    assert second == first
    assert notes_to_w3c([]) == notes_to_w3c([])  # no time of export in it


def test_the_commands_export_and_import_w3c(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*argv: str) -> str:
        parser = argparse.ArgumentParser(prog="termbrief")
        add_subcommands(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(list(argv))
        assert args.func(args) == 0, capsys.readouterr().err
        return capsys.readouterr().out

    with NotesStore.open(tmp_path / "one") as store:
        store.import_notes(varied_notes())
    exported = tmp_path / "notes.jsonld"
    run(
        "notes",
        "export",
        "--format",
        "w3c",
        "-o",
        str(exported),
        "--data-dir",
        str(tmp_path / "one"),
    )
    assert "Imported 5 new" in run(
        "notes", "import", str(exported), "--data-dir", str(tmp_path / "two")
    )
    again = run("notes", "export", "--format", "w3c", "--data-dir", str(tmp_path / "two"))
    assert again == exported.read_text(encoding="utf-8")


def valid() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(notes_to_w3c(varied_notes()[1:2]))
    return document


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(type="Something"), "$"),
        (lambda d: d["first"]["items"][0].update(type="Note"), "$.first.items[0]"),
        (
            lambda d: d["first"]["items"][0]["target"].update(source="https://example.org/a"),
            "$.first.items[0].target.source",
        ),
        (
            lambda d: d["first"]["items"][0]["target"]["selector"].pop(),
            "$.first.items[0].target.selector",
        ),
        (
            lambda d: d["first"]["items"][0]["target"]["selector"][1].update(value="nowhere/x"),
            "$.first.items[0].target.selector",
        ),
        (
            lambda d: d["first"]["items"][0]["target"]["selector"][1]["refinedBy"].update(start=-1),
            "refinedBy.start",
        ),
        (lambda d: d["first"]["items"][0].update(created="yesterday"), "created"),
        (lambda d: d["first"]["items"][0].update(id="urn:termbrief:note:a b"), ".id"),
        (lambda d: d["first"]["items"][0]["body"].update(value=5), "body.value"),
    ],
)
def test_what_cannot_be_read_is_refused_with_where(change: Any, where: str) -> None:
    document = valid()
    change(document)
    with pytest.raises(NotesError, match="invalid W3C annotations") as raised:
        notes_from_w3c(json.dumps(document))
    assert where in str(raised.value)


def test_reading_cleans_text_and_accepts_a_page_or_one_annotation() -> None:
    document = valid()
    annotation = annotations(document)[0]
    annotation["body"]["value"] = "safe\u001b]0;title\u0007 text"
    (note,) = notes_from_w3c(json.dumps(annotation))
    assert note.text == "safe]0;title text"
    page = {"type": "AnnotationPage", "items": [annotation]}
    assert notes_from_w3c(json.dumps(page)) == [note]
    assert notes_from_w3c(json.dumps({"type": "AnnotationCollection", "total": 0})) == []
    with pytest.raises(NotesError, match="not valid JSON"):
        notes_from_w3c("{")
