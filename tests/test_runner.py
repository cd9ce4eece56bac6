"""The page runner's protocol with its forked worker (extract/runner.py), on a stand-in
extractor: pages come back in order, a few at a time, and a late page is still found."""
import time
from multiprocessing.connection import Connection

import pytest

from extract.io.sources import Source
from extract.record import Record
from extract.runner import PageRunner


class SlowOnCue:
    """An extractor that takes no time, except on a page whose text says HANG."""

    batch_size = 8

    def pipe(self, items, sources=None):
        for (text, id_), source in zip(items, sources):
            if "HANG" in text:
                time.sleep(30)
            yield Record(id=id_, source=source, title=text.strip())

    def extract(self, text, id=None, source=None):
        return next(self.pipe([(text, id)], [source]))


def pages(tmp_path, n, hang_at=None):
    out = []
    for k in range(n):
        p = tmp_path / f"p{k:03d}.txt"
        p.write_text("HANG" if k == hang_at else f"page {k}", encoding="utf-8")
        out.append(Source(str(p), f"p{k:03d}", p.name))
    return out


@pytest.fixture
def received(monkeypatch):
    """How many messages the parent process read from its workers (tasks go the other way)."""
    count = {"n": 0}
    recv = Connection.recv

    def counting(self):
        count["n"] += 1
        return recv(self)

    monkeypatch.setattr(Connection, "recv", counting)
    return count


def test_pages_come_back_in_order_a_few_messages_a_batch(tmp_path, received):
    sources = pages(tmp_path, 200)
    runner = PageRunner(SlowOnCue(), workers=1, batch_size=64, page_timeout=60, prepared=True)
    batches = list(runner.run(sources))
    assert [len(b) for b in batches] == [64, 64, 64, 8]
    titles = [o.record["title"] for b in batches for o in b]
    assert titles == [f"page {k}" for k in range(200)]
    assert all(not o.errors for b in batches for o in b)
    # one message per page was 200; fast pages come back with the end of their batch
    assert received["n"] <= 2 * len(batches)


def test_a_hanging_page_gets_a_timeout_the_pages_around_it_their_records(tmp_path, received):
    sources = pages(tmp_path, 20, hang_at=5)
    runner = PageRunner(SlowOnCue(), workers=2, batch_size=8, page_timeout=1, prepared=True)
    t0 = time.monotonic()
    out = [o for b in runner.run(sources) for o in b]
    assert time.monotonic() - t0 < 20
    assert [o.record["id"] for o in out] == [s.id for s in sources]
    assert out[5].failed and "timeout" in out[5].errors[0]
    assert runner.timeouts == 1
    # the pages of its batch that were done but not yet sent when the worker was killed are done again
    assert [o.record.get("title") for k, o in enumerate(out) if k != 5] == \
        [f"page {k}" for k in range(20) if k != 5]
