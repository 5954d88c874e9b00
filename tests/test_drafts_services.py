"""The draft services without a screen (issue 12): SIGTERM / SIGHUP handling and flushing the
drafts of open editors (ui/services/drafts.py)."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from termbrief.store.drafts import DraftKey
from termbrief.store.notes import NotesStore
from termbrief.ui.services.drafts import ExitSignals, OpenDrafts

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


class Flushed:
    """Stands in for the open drafts: records flushes."""

    def __init__(self) -> None:
        self.count = 0

    def flush(self) -> None:
        self.count += 1


@pytest.fixture
def restore_signals() -> Iterator[None]:
    saved = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


async def test_exit_signals_save_drafts_then_do_what_they_did_before(
    restore_signals: None,
) -> None:
    calls: list[int] = []

    def earlier_handler(number: int, frame: FrameType | None) -> None:
        calls.append(number)

    signal.signal(signal.SIGHUP, earlier_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    drafts = Flushed()
    quits: list[int] = []
    exits = ExitSignals(drafts, quits.append)  # type: ignore[arg-type]
    exits.install()
    assert exits.installed

    os.kill(os.getpid(), signal.SIGHUP)
    for _ in range(100):
        if calls:
            break
        await asyncio.sleep(0.01)
    assert drafts.count == 1  # saved first...
    assert calls == [signal.SIGHUP]  # ...then the earlier handler ran
    assert not exits.installed  # and is back in charge of both signals
    assert signal.getsignal(signal.SIGHUP) is earlier_handler

    exits.install()
    os.kill(os.getpid(), signal.SIGTERM)
    for _ in range(100):
        if quits:
            break
        await asyncio.sleep(0.01)
    assert drafts.count == 2
    assert quits == [signal.SIGTERM]  # the default (end) becomes a clean quit
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_flush_keeps_only_open_editors_and_never_raises(tmp_path: Path) -> None:
    class Source:
        def __init__(self) -> None:
            self.store = NotesStore.open(tmp_path)

        def open_now(self, *, create: bool) -> NotesStore:
            return self.store

    source = Source()
    drafts = OpenDrafts(source)
    typing = drafts.keeper("alpha", "summary")
    typing.follow(lambda: "still typing")
    closed = drafts.keeper("alpha", "figures")
    closed.follow(lambda: "saved already")
    closed.release()
    broken = drafts.keeper("", "summary")  # no brief id: the store refuses it
    broken.follow(lambda: "refused")
    assert drafts.writing
    drafts.flush()
    assert [(d.key.anchor, d.text) for d in source.store.drafts.all()] == [
        ("summary", "still typing")
    ]
    assert drafts.written_this_run(DraftKey("alpha", "figures"))
    assert not drafts.written_this_run(DraftKey("beta", "figures"))
    source.store.close()
