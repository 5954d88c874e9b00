"""Fixed-seed generators of valid briefs for the benchmarks.

Everything is written as YAML text directly (much faster than ``yaml.dump``), with every string
scalar written by ``json.dumps``: a JSON string is a valid YAML double-quoted string, so no text
can change meaning (``NO``, ``12:30``, ``#``, ``: ``) or break the document. Output goes to a
temporary folder chosen by the caller and is never committed.

Run ``python bench/generate.py FOLDER`` to write the three data sets for a look by hand.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

SEED = 20240910
"""Every generator derives its random stream from this, so runs are comparable."""

ACTOR_KINDS = (
    "person",
    "government",
    "organisation",
    "company",
    "group",
    "country",
    "forum",
    "other",
)
"""Mirror of ``core.model.ACTOR_KINDS`` (kept here so the generator runs without the app)."""

# Word lists as text (split below) to keep them readable.
_WORD_TEXT = """
security cooperation police training ministry forum agreement officers partner countries
regional framework capacity building exchange programme delegation summit initiative
strategy investment infrastructure border maritime cyber counter terrorism intelligence
sharing equipment donation academy curriculum doctrine governance stability development
law enforcement public order surveillance technology network platform bilateral
multilateral commitment announcement pledge plan action implementation review analysis
influence model export norms standards legitimacy sovereignty interference concern risk
observers critics supporters government officials private companies contractors guards
port railway corridor mining energy telecommunications projects workers nationals
protection evacuation crisis response joint patrols exercises visits memoranda
understanding year decade period growth expansion scale scope reach presence footprint
budget funding loans grants scholarships seminars workshops courses graduates experts
"""
_PLACE_TEXT = """
Africa, Pacific, Central Asia, Southeast Asia, Latin America, Middle East, Europe,
Kenya, Nigeria, Ethiopia, Solomon Islands, Fiji, Kazakhstan, Tajikistan, Pakistan,
Cambodia, Laos, Serbia, Brazil, Côte d'Ivoire, São Tomé and Príncipe, Zürich
"""
_FIRST_TEXT = "Wang Li Zhang Amina Kwame Maria Ivan Fatima Chen Sipho Ana Omar Lena Raj Yuki"
_LAST_TEXT = "Xiaohong Mensah Okafor Haddad Petrov Silva Nguyen Dube Karimov Moreau Tanaka"
_WORDS = tuple(_WORD_TEXT.split())
_PLACES = tuple(p.strip() for p in _PLACE_TEXT.replace("\n", " ").split(",") if p.strip())
_FIRST = tuple(_FIRST_TEXT.split())
_LAST = tuple(_LAST_TEXT.split())
_ORGS = (
    "Ministry of Public Security",
    "African Union Commission",
    "Pacific Islands Forum",
    "Shanghai Cooperation Organisation",
    "Global Security Initiative Secretariat",
    "Frontier Services Group",
    "DeWe Security",
    "China Overseas Security Group",
    "National Police Academy",
    "Interior Ministry",
)
_QUALIFIERS = ("nearly", "about", "over", "up to", "at least", None, None, None)
_UNITS = ("officers", "countries", "projects", "US dollars", "per cent", "people", None)
_STANCES = ("cautionary", "supportive", "sceptical", "neutral", None)


@dataclass(frozen=True)
class Library:
    """A generated library folder and the brief termbrief should open first."""

    folder: Path
    paths: tuple[Path, ...]
    first_path: Path
    """The newest brief (unique newest date): first in the library's sort order."""
    first_title: str
    """Its title, what the start-up benchmark waits for on screen."""


def _q(text: str) -> str:
    """A YAML double-quoted scalar that means exactly ``text``."""
    return json.dumps(text, ensure_ascii=False)


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-") or "x"


class _Writer:
    """Random text and brief sections from one seeded stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(self.rng.randint(low, high)))

    def sentence(self) -> str:
        text = self.words(8, 22)
        if self.rng.random() < 0.3:
            text += f" in {self.rng.choice(_PLACES)}"
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low: int = 3, high: int = 6) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(low, high))]
        if self.rng.random() < 0.3:
            i = self.rng.randrange(len(sentences))
            sentences[i] = f"**{sentences[i][:-1]}**."
        return " ".join(sentences)

    def markdown(self, paragraphs: int) -> str:
        blocks: list[str] = []
        for i in range(paragraphs):
            if i and i % 25 == 0:
                blocks.append(f"## {self.words(2, 5).capitalize()}")
            if i % 10 == 7:
                blocks.append("\n".join(f"- {self.sentence()}" for _ in range(3)))
            else:
                blocks.append(self.paragraph())
        return "\n\n".join(blocks)

    def title(self, minimum: int = 45) -> str:
        text = self.words(5, 9).capitalize()
        while len(text) < minimum:
            text += " " + self.rng.choice(_WORDS)
        return f"{text}: {self.words(2, 4)}"

    def date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def figure(self, i: int) -> str:
        label = self.words(3, 7).capitalize()
        value: str
        if self.rng.random() < 0.15:
            year = self.rng.randint(2015, 2030)
            value = _q(f"{year}-{year + self.rng.randint(1, 5)}")
        elif self.rng.random() < 0.2:
            value = f"{self.rng.uniform(0, 100):.1f}"
        else:
            value = str(self.rng.randint(1, 5_000_000))
        lines = [f"  - id: {_q(f'{_slug(label)}-{i}')}", f"    label: {_q(label)}"]
        lines.append(f"    value: {value}")
        qualifier = self.rng.choice(_QUALIFIERS)
        if qualifier:
            lines.append(f"    qualifier: {_q(qualifier)}")
        unit = self.rng.choice(_UNITS)
        if unit:
            lines.append(f"    unit: {_q(unit)}")
        if self.rng.random() < 0.5:
            lines.append(f"    period: {_q(self.words(2, 4))}")
        if self.rng.random() < 0.25:
            lines.append(f"    context: {_q(self.paragraph(1, 2))}")
        if self.rng.random() < 0.4:
            lines.append(f"    source: {_q(self.rng.choice(_ORGS))}")
        return "\n".join(lines)

    def actor(self, i: int) -> str:
        kind = self.rng.choice(ACTOR_KINDS)
        if kind == "person":
            name = f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"
        elif kind == "country":
            name = self.rng.choice(_PLACES)
        else:
            name = self.rng.choice(_ORGS)
        lines = [
            f"  - id: {_q(f'{_slug(name)}-{i}')}",
            f"    name: {_q(name)}",
            f"    kind: {kind}",
            f"    role: {_q(self.words(2, 6))}",
        ]
        if self.rng.random() < 0.5:
            lines.append(f"    affiliation: {_q(self.rng.choice(_ORGS))}")
        if self.rng.random() < 0.5:
            lines.append(f"    description: {_q(self.paragraph(1, 3))}")
        if self.rng.random() < 0.3:
            lines.append(f"    aliases: [{_q(name.split()[-1] + ' ' + str(i))}]")
        return "\n".join(lines)

    def commentary(self, i: int, paragraphs: int) -> str:
        lines = [
            f"  - id: {_q(f'view-{i}')}",
            f"    author: {_q(f'{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}')}",
            f"    affiliation: {_q(self.rng.choice(_ORGS))}",
            f"    heading: {_q(self.words(3, 7).capitalize())}",
            f"    body: {_q(self.markdown(paragraphs))}",
        ]
        stance = self.rng.choice(_STANCES)
        if stance:
            lines.append(f"    stance: {_q(stance)}")
        return "\n".join(lines)

    def event(self) -> str:
        when = self.date(datetime.date(2000, 1, 1), datetime.date(2025, 6, 1)).isoformat()
        if self.rng.random() < 0.2:
            when = when[:7]
        return f"  - date: {when}\n    event: {_q(self.sentence())}"

    def source(self) -> str:
        return "\n".join(
            (
                f"  - title: {_q(self.title(20))}",
                f"    publisher: {_q(self.rng.choice(_ORGS))}",
                f"    url: {_q(f'https://example.org/{self.rng.randrange(10**8)}')}",
                f"    published: {self.date(datetime.date(2015, 1, 1), datetime.date(2025, 6, 1))}",
                f"    kind: {_q(self.rng.choice(('opinion', 'report', 'news')))}",
            )
        )

    def header(self, brief_id: str, title: str, date: datetime.date, summary: str) -> list[str]:
        tags = ", ".join(_q(self.rng.choice(_WORDS)) for _ in range(self.rng.randint(1, 4)))
        regions = ", ".join(_q(self.rng.choice(_PLACES)) for _ in range(self.rng.randint(1, 3)))
        points = [f"  - {_q(self.sentence())}" for _ in range(self.rng.randint(3, 6))]
        return [
            "format: 1",
            f"id: {_q(brief_id)}",
            f"title: {_q(title)}",
            f"subtitle: {_q(self.words(4, 10).capitalize())}",
            f"date: {date.isoformat()}",
            f"tags: [{tags}]",
            f"regions: [{regions}]",
            f"summary: {_q(summary)}",
            "key_points:",
            *points,
        ]


def _section(name: str, items: list[str]) -> Iterator[str]:
    if items:
        yield f"{name}:"
        yield from items


def _assemble(head: list[str], sections: dict[str, list[str]]) -> str:
    lines = list(head)
    for name, items in sections.items():
        lines.extend(_section(name, items))
    return "\n".join(lines) + "\n"


def _brief(
    w: _Writer,
    brief_id: str,
    title: str,
    date: datetime.date,
    *,
    paragraphs: int,
    figures: int,
    actors: int,
    commentary: int,
    events: int,
    sources: int,
) -> str:
    head = w.header(brief_id, title, date, w.markdown(paragraphs))
    return _assemble(
        head,
        {
            "figures": [w.figure(i) for i in range(figures)],
            "actors": [w.actor(i) for i in range(actors)],
            "commentary": [w.commentary(i, w.rng.randint(1, 4)) for i in range(commentary)],
            "timeline": [w.event() for _ in range(events)],
            "sources": [w.source() for _ in range(sources)],
        },
    )


def generate_library(folder: Path, n: int = 2000, seed: int = SEED) -> Library:
    """Write ``n`` typical briefs (5-20 KB, ~12 KB each) into ``folder``, 100 per sub-folder.

    Exactly one brief has the newest date, so which one a reader opens first is unambiguous.
    """
    w = _Writer(seed)
    folder.mkdir(parents=True, exist_ok=True)
    newest = w.rng.randrange(n)
    paths: list[Path] = []
    first: tuple[Path, str] | None = None
    for i in range(n):
        title = w.title()
        if i == newest:
            date = datetime.date(2025, 6, 30)
        else:
            date = w.date(datetime.date(2015, 1, 1), datetime.date(2025, 6, 29))
        brief_id = f"{_slug(title, 30)}-{i}"
        sub = folder / f"batch-{i // 100:02d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"{brief_id}.yaml"
        text = _brief(
            w,
            brief_id,
            title,
            date,
            paragraphs=w.rng.randint(2, 6),
            figures=w.rng.randint(3, 15),
            actors=w.rng.randint(2, 10),
            commentary=w.rng.randint(0, 3),
            events=w.rng.randint(2, 8),
            sources=w.rng.randint(1, 3),
        )
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        if i == newest:
            first = (path, title)
    assert first is not None
    return Library(folder, tuple(paths), first[0], first[1])


_BIG_SOURCES: Final = 10


def _citations(w: _Writer, *, confidence: bool = True) -> str:
    """``cites`` lines for an item: one or two sources, some with a page, sometimes a confidence."""
    cites = [f"source-{w.rng.randrange(_BIG_SOURCES)}" for _ in range(w.rng.randint(1, 2))]
    if w.rng.random() < 0.3:
        cites[0] = f"{{source: {cites[0]}, locator: p. {w.rng.randint(1, 300)}}}"
    text = f"\n    cites: [{', '.join(cites)}]"
    if confidence and w.rng.random() < 0.3:
        text += f"\n    confidence: {w.rng.choice(('low', 'moderate', 'high'))}"
    return text


def _cited_point(line: str, w: _Writer) -> str:
    """A key point written as a string, rewritten as a mapping citing a source."""
    return f"  - text: {line[4:]}" + _citations(w)


def generate_huge_brief(path: Path, seed: int = SEED + 1) -> str:
    """Write one huge brief (10,000 figures, 2,000 actors, 300 summary paragraphs, 50 views).

    Returns its title.
    """
    w = _Writer(seed)
    title = w.title()
    text = _brief(
        w,
        "huge-brief",
        title,
        datetime.date(2025, 6, 30),
        paragraphs=300,
        figures=10_000,
        actors=2_000,
        commentary=50,
        events=200,
        sources=20,
    )
    path.write_text(text, encoding="utf-8")
    return title


def generate_big_brief(path: Path, target_bytes: int = 2_000_000, seed: int = SEED + 2) -> str:
    """Write one valid brief of about ``target_bytes`` (within a few KB); returns its title.

    Its shape is a scaled-up ordinary brief: one actor per 5 figures, one view per 50, one
    timeline event per 20.
    """
    w = _Writer(seed)
    title = w.title()
    head = w.header("big-brief", title, datetime.date(2025, 6, 30), w.markdown(40))
    # Every item cites a source (issue 13): the checker resolves each citation.
    head = [_cited_point(line, w) if line.startswith("  - ") else line for line in head]
    sources = [
        w.source().replace("  - title:", f"  - id: source-{k}\n    title:", 1)
        for k in range(_BIG_SOURCES)
    ]
    sections: dict[str, list[str]] = {
        "figures": [],
        "actors": [],
        "commentary": [],
        "timeline": [],
        "sources": sources,
    }
    size = sum(len(s.encode()) + 1 for s in head) + sum(
        len(s.encode()) + 1 for s in sections["sources"]
    )
    i = 0
    while size < target_bytes:
        new = [("figures", w.figure(i) + _citations(w))]
        if i % 5 == 0:
            relation = ""
            if i >= 5 and w.rng.random() < 0.5:  # to an actor written before this one
                other = sections["actors"][w.rng.randrange(len(sections["actors"]))]
                to = other.split("\n", 1)[0].removeprefix("  - id: ").strip('"')
                relation = f"\n    relations:\n      - {{to: {to}, kind: member-of}}"
            new.append(("actors", w.actor(i) + relation + _citations(w, confidence=False)))
        if i % 50 == 0:
            new.append(("commentary", w.commentary(i, 3) + _citations(w)))
        if i % 20 == 0:
            new.append(("timeline", w.event() + _citations(w)))
        for name, item in new:
            sections[name].append(item)
            size += len(item.encode()) + 1
        i += 1
    path.write_text(_assemble(head, sections), encoding="utf-8")
    return title


def main(argv: list[str]) -> int:
    """Write the three data sets into the folder given on the command line."""
    if len(argv) != 1:
        print("usage: python bench/generate.py FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    library = generate_library(folder / "library")
    print(f"library: {len(library.paths)} briefs, first: {library.first_title!r}")
    print(f"huge: {generate_huge_brief(folder / 'huge.yaml')!r}")
    print(f"big: {generate_big_brief(folder / 'big.yaml')!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
