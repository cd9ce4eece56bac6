"""The single-machine batch engine: pages extracted in worker processes, records in input order.

The parent loads the pipeline once and forks N workers (``--workers``, 1 by default), so each
starts with the pipeline already in memory. It hands out batches of sources and gets the finished
pages back a few at a time (every ``flush_interval``, and at the end of each batch). Because the
parent only waits and writes, it can watch every page:

* a page that takes longer than ``page_timeout`` seconds gets an error record; its worker is
  killed (nothing short of that stops a regular expression or the tokenizer in C) and replaced,
  and the rest of its batch goes to the new worker;
* a worker that dies (a crash in C, the kernel's OOM killer) costs only the page it was on;
* Ctrl-C (SIGINT) reaches the parent only (workers ignore it): it kills the workers and raises
  :class:`Interrupted` within a fraction of a second, after the caller has flushed what is done.

Records come back as dicts (the JSON records), in input order, a batch at a time
(:meth:`PageRunner.run`).
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.connection import wait
from typing import Iterator

from .io.readers import DEFAULT_MAX_BYTES, Page, close_opened, origin_of, page_from_bytes, read_page
from .io.sources import STDIN, Source
from .record import Record

DEFAULT_PAGE_TIMEOUT = 60.0
POLL = 0.25  # seconds between looks at the clock while waiting for workers
FLUSH_EVERY = 0.25  # seconds a worker keeps finished pages before it sends them (flush_interval)


class Interrupted(Exception):
    """SIGINT during a run: the workers are gone, the caller keeps what was written."""


@dataclass
class Outcome:
    """One page's record (the JSON record, as a dict) and what to say about it."""

    record: dict
    source: str
    errors: list[str]

    @property
    def failed(self) -> bool:
        return any(not e.startswith("warning:") for e in self.errors)


# ---------------------------------------------------------------------------------------------
# in the worker

def read_source(source: Source, options: dict, data: bytes | None = None, opened: dict | None = None) -> Page:
    max_bytes = options.get("max_bytes", DEFAULT_MAX_BYTES)
    if data is not None:  # standard input, read by the parent
        return page_from_bytes(Page(source.id, source.name, ""), data, max_bytes, None)
    return read_page(source, max_bytes, opened)


def outcome(page: Page, rec: Record, options: dict) -> Outcome:
    rec.errors.extend(page.warnings)
    if options.get("keep_text"):
        rec.text = page.text
    rec.warc = page.origin
    return Outcome(rec.to_dict(), page.source, list(rec.errors))


def failed_page(page: Page) -> Outcome:
    """The error record of a page that could not be read."""
    errors = [page.error, *page.warnings]
    return Outcome(Record(id=page.id, source=page.source, errors=errors, warc=page.origin).to_dict(),
                   page.source, errors)


def extract_pages(extractor, items: list[tuple[Source, bytes | None]], options: dict):
    """Outcomes of a batch, in order, as they come: the readable pages go through the pipeline
    together (nlp.pipe: one batch for the parser too). An exception ends it; the caller redoes the
    pages not yet yielded one by one."""
    opened: dict = {}
    try:
        pages = [read_source(s, options, d, opened) for s, d in items]
    finally:
        close_opened(opened)
    good = [p for p in pages if not p.error]
    recs = extractor.pipe(((p.text, p.id) for p in good), sources=(p.source for p in good))
    for page in pages:
        if page.error:
            yield failed_page(page)
        else:
            yield outcome(page, next(recs), options)


def extract_page(extractor, source: Source, options: dict, data: bytes | None = None) -> Outcome:
    """Read one source and extract its record; every failure becomes an error record."""
    page = read_source(source, options, data)
    if page.error:
        return failed_page(page)
    try:
        rec = extractor.extract(page.text, id=page.id, source=page.source)
    except Exception as e:  # noqa: BLE001 - one page's bug must not sink the batch
        if options.get("debug"):
            import traceback

            traceback.print_exc()
        rec = Record(id=page.id, source=page.source, errors=[f"internal error: {type(e).__name__}: {e}"])
    return outcome(page, rec, options)


def extract_batch(extractor, items: list[tuple[Source, bytes | None]], options: dict, single: bool = False):
    """Every item's outcome, in order: the batch through the pipeline together, and if that fails
    (a bug on one page), the pages not yet done one by one, each failure its own error record.
    What a worker process runs (here and in the Dask engine)."""
    sent = 0
    if not single:
        try:
            for out in extract_pages(extractor, items, options):
                yield out
                sent += 1
        except Exception:  # noqa: BLE001 - the rest of the batch page by page
            pass
    for source, data in items[sent:]:
        yield extract_page(extractor, source, options, data)


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the parent dies (a SIGKILLed run must not leave
    workers behind, one of them maybe stuck on a hostile page)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def give_back_memory() -> None:
    """Return the heap this process has freed to the system (glibc's malloc_trim; elsewhere a no-op)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim():
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def flush_interval(page_timeout: float | None) -> float:
    """How long a worker keeps finished pages before sending them to the parent.

    One message per page had the parent wake, poll and unpickle in step with the worker, ~3 times
    a page (0.14 ms of its CPU a page, ~5% of a page's cost: a second busy process on a core a
    worker could use, bench/scale.py). The parent reads progress from these messages, so a page
    counts as late only after ``page_timeout`` with none: the interval is a small part of it.

    >>> flush_interval(None), flush_interval(60.0), flush_interval(1.0)
    (0.25, 0.25, 0.1)
    """
    return min(FLUSH_EVERY, page_timeout / 10) if page_timeout else FLUSH_EVERY


def _worker(conn, extractor, options: dict, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(0)
    every = flush_interval(options.get("page_timeout"))
    try:
        while True:
            task = conn.recv()
            if task is None:
                break
            batch_no, first, items, single = task
            waiting: list[Outcome] = []
            last = time.monotonic()
            for out in extract_batch(extractor, items, options, single):
                waiting.append(out)
                now = time.monotonic()
                if single or now - last >= every:
                    conn.send((batch_no, first, waiting, False))
                    first += len(waiting)
                    waiting, last = [], now
            conn.send((batch_no, first, waiting, True))   # the rest, and the end of the task
            # the heap a batch's Docs freed goes back to the system (glibc keeps it otherwise): over
            # 5,000 pages the worker's own memory stayed ~53 MB instead of ~67, for ~1 ms a batch
            give_back_memory()
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        # no interpreter teardown: the parent's buffers (stdout, the output file) were copied
        # into this process by fork and must not be written a second time
        os._exit(0)


# ---------------------------------------------------------------------------------------------
# in the parent

@dataclass
class _Task:
    batch_no: int
    first: int                      # sequence number of items[0] in the run
    items: list[tuple[Source, bytes | None]]
    single: bool = False            # page by page (after a timeout: to find which page it was)


class _Worker:
    def __init__(self, ctx, extractor, options):
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker, args=(child_conn, extractor, options, os.getpid()), daemon=True)
        # the child inherits SIGINT ignored from its first instruction: no KeyboardInterrupt in a
        # worker even when Ctrl-C arrives while it is being forked (only the main thread may set a
        # handler; a Dask worker forks from a task thread, and Dask handles its own signals)
        main = threading.current_thread() is threading.main_thread()
        old = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            self.proc.start()
        finally:
            if main:
                signal.signal(signal.SIGINT, old)
        child_conn.close()
        self.conn = parent_conn
        self.task: _Task | None = None
        self.done_in_task = 0
        self.since = time.monotonic()

    def give(self, task: _Task) -> None:
        self.task, self.done_in_task, self.since = task, 0, time.monotonic()
        self.conn.send((task.batch_no, task.first, task.items, task.single))

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=5)
        self.conn.close()


class PageRunner:
    """Run the extractor over sources in ``workers`` forked processes (see the module's doc)."""

    def __init__(self, extractor, workers: int = 1, batch_size: int = 64, page_timeout: float | None = None,
                 options: dict | None = None, prepared: bool = False, keep: bool = False):
        self.extractor = extractor
        self.prepared = prepared   # the extractor is warm and the heap frozen already (a Dask worker's)
        # keep the worker processes from one run() to the next (close() ends them): a Dask worker
        # runs many partitions, and a process forked anew for each would copy the pipeline's
        # memory pages again as it touches them (~20% of the per-core rate, bench/scale.py)
        self.keep = keep
        self.pool: list[_Worker] = []
        self.workers = workers
        self.batch_size = batch_size
        self.page_timeout = page_timeout
        self.options = options or {}
        self.timeouts = 0
        self.crashes = 0

    def run(self, sources: list[Source]) -> Iterator[list[Outcome]]:
        """Outcomes in input order, one list per batch (flush after each: a kill loses at most one)."""
        if not sources:
            return
        stdin_data = None
        if any(s.path == STDIN for s in sources):
            stdin_data = sys.stdin.buffer.read(self.options.get("max_bytes", DEFAULT_MAX_BYTES) + 1)
        tasks: deque[_Task] = deque()
        for b, k in enumerate(range(0, len(sources), self.batch_size)):
            items = [(s, stdin_data if s.path == STDIN else None) for s in sources[k:k + self.batch_size]]
            tasks.append(_Task(b, k, items))
        n_batches = len(tasks)
        ctx = mp.get_context("fork")
        if not self.prepared:
            if hasattr(self.extractor, "warm"):
                self.extractor.warm()
            gc.collect()
            # the objects made so far (spaCy, the pipeline) are never collected: freezing them keeps
            # the collector from touching, and so copying, their memory pages in each worker
            gc.freeze()
        for w in [w for w in self.pool if not w.proc.is_alive()]:   # a kept one that died meanwhile
            w.kill()
            self.pool.remove(w)
        pool = self.pool
        while len(pool) < min(self.workers, n_batches):
            pool.append(_Worker(ctx, self.extractor, self.options))
        results: dict[int, Outcome] = {}
        batch_left = {t.batch_no: len(t.items) for t in tasks}
        batch_first = {t.batch_no: t.first for t in tasks}
        next_batch = 0
        try:
            while next_batch < n_batches:
                for w in pool:
                    if w.task is None and tasks:
                        w.give(tasks.popleft())
                busy = [w for w in pool if w.task is not None]
                ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=POLL)
                now = time.monotonic()
                for w in list(busy):
                    if w.conn in ready or w.proc.sentinel in ready:
                        if not self._drain(w, results, batch_left):
                            pool[pool.index(w)] = self._replace(w, ctx, results, batch_left, tasks,
                                                                "internal error: the worker process died "
                                                                f"({_exit_reason(w.proc)})")
                    elif self.page_timeout and now - w.since > self.page_timeout:
                        if not self._drain(w, results, batch_left) or w.task is None \
                                or time.monotonic() - w.since <= self.page_timeout:
                            continue  # it answered meanwhile (a dead one is seen at the next wait)
                        pool[pool.index(w)] = self._replace(w, ctx, results, batch_left, tasks,
                                                            f"timeout: extraction took longer than "
                                                            f"{self.page_timeout:g} s (--page-timeout)")
                while next_batch < n_batches and batch_left[next_batch] == 0:
                    first = batch_first[next_batch]
                    n = len(sources[first:first + self.batch_size])
                    yield [results.pop(first + k) for k in range(n)]
                    next_batch += 1
        except KeyboardInterrupt:
            self._kill_all()
            raise Interrupted() from None
        except BaseException:
            self._kill_all()
            raise
        if not self.keep:
            self.close()

    def close(self) -> None:
        """End the worker processes (a kept pool's owner calls this when it is done)."""
        for w in self.pool:
            w.stop()
        self.pool.clear()

    def _kill_all(self) -> None:
        for w in self.pool:
            w.kill()
        self.pool.clear()

    def _drain(self, w: _Worker, results: dict, batch_left: dict) -> bool:
        """Take every message the worker has sent; False when it is gone."""
        try:
            while w.conn.poll():
                batch_no, first, outs, end = w.conn.recv()
                for k, out in enumerate(outs):
                    results[first + k] = out
                batch_left[batch_no] -= len(outs)
                w.done_in_task += len(outs)
                if outs:
                    w.since = time.monotonic()
                if end:
                    w.task = None
        except (EOFError, OSError):
            return False
        if w.task is not None and not w.proc.is_alive():
            return False
        return True

    def _replace(self, w: _Worker, ctx, results, batch_left, tasks: deque, why: str) -> _Worker:
        """Kill a stuck or dead worker. A batch goes through the pipeline together, so which of its
        pages is at fault is not known: the unfinished pages go back, first, to be done one by one.
        A page that fails one by one gets the error record; the rest of its batch goes on."""
        w.kill()
        task = w.task
        if task is not None and not task.single and w.done_in_task < len(task.items):
            tasks.appendleft(_Task(task.batch_no, task.first + w.done_in_task, task.items[w.done_in_task:], single=True))
            return _Worker(ctx, self.extractor, self.options)
        if task is not None and w.done_in_task < len(task.items):
            source, _ = task.items[w.done_in_task]
            seq = task.first + w.done_in_task
            rec = Record(id=source.id, source=source.name, errors=[why], warc=origin_of(source))
            results[seq] = Outcome(rec.to_dict(), source.name, [why])
            if why.startswith("timeout"):
                self.timeouts += 1
            else:
                self.crashes += 1
            batch_left[task.batch_no] -= 1
            rest = task.items[w.done_in_task + 1:]
            if rest:
                tasks.appendleft(_Task(task.batch_no, seq + 1, rest, single=True))
        return _Worker(ctx, self.extractor, self.options)


def _exit_reason(proc) -> str:
    code = proc.exitcode
    if code is None:
        return "no answer"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"
