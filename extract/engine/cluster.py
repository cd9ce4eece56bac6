"""The Dask engine: ``extract batch … --engine dask --scheduler tcp://HOST:8786`` (a cluster the
data team runs) or ``--engine dask --local-workers N`` (a LocalCluster on this machine).

Work flows one way: the client lists the inputs (the WARC files are scanned on the workers, one
task per file), cuts the pages into partitions (partitions.py), and submits one task per
partition, a window at a time (two per worker thread), letting each go once it has ended. Each
worker loads the pipeline once (:class:`ExtractorPlugin`, a Dask worker plugin: a worker the
cluster adds or restarts loads it too), extracts its partition's pages, and writes the records as
one part file, whole (a temporary name renamed on a disk; one PUT on an object store). The client
records each finished partition in the manifest; ``--resume`` skips them.

A worker lost mid-run (a crash, a node taken back, SIGKILL) loses only its running partitions:
the scheduler gives them to the other workers. A partition redone writes the same part file
again, whole, so the output holds every page exactly once (tests/test_cluster.py kills a worker
to check it).

The workers must reach the inputs and the output: on a real cluster that means a shared file
system or URLs (``s3://…``, see io/remote.py), not paths on the client's disk.
"""
from __future__ import annotations

import gc
import itertools
import json
import logging
import multiprocessing as mp
import os
import threading
import time
from dataclasses import dataclass, field

from ..io import remote
from .partitions import Partition, part_exists, read_manifest, write_manifest

PLUGIN = "iom-extract"
# the environment of the workers a LocalCluster starts (a real cluster's workers want the same:
# README "Scaling out"). Arrow's default allocator (mimalloc) keeps the memory of a partition's
# tables once they are freed; the C library's gives it back at the malloc_trim after each
# partition (runner.give_back_memory): over 20,000 pages a worker with its forked process peaked at
# 243-249 MB (PSS) instead of 256-268, at the same speed (bench/scale.py). Set before the worker
# starts: Arrow chooses its allocator once, at its first allocation.
WORKER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system"}
MANIFEST_EVERY = 2.0   # seconds: the manifest is rewritten at most this often (and at the end)
WINDOW_PER_THREAD = 2  # partitions submitted at a time per worker thread (DaskEngine.window)


try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - dask is a dependency; a clear error if it is missing
    WorkerPlugin = object


class ExtractorPlugin(WorkerPlugin):
    """Loads the pipeline once per worker process, before its first task."""

    name = PLUGIN

    def __init__(self, data_dir: str | None = None):
        self.data_dir = data_dir
        self.extractor = None
        self.runners: dict = {}   # thread -> (options, a PageRunner whose forked process outlives a partition)

    def setup(self, worker):
        from ..extractor import Extractor

        self.extractor = Extractor(self.data_dir) if self.data_dir else Extractor()
        if hasattr(self.extractor, "warm"):
            self.extractor.warm()
        # the pipeline's objects live as long as the worker: the collector need not walk them at
        # every collection (as the local engine does before forking; ~+20% pages/s in process)
        gc.collect()
        gc.freeze()

    def runner(self, options: dict):
        """The page runner of this worker for these options: one forked process, kept from one
        partition to the next (a run with other options, e.g. --keep-text, gets its own)."""
        from ..runner import PageRunner

        # one per task thread (a worker started with --nthreads 2 runs two partitions at once)
        thread = threading.get_ident()
        key = json.dumps(options, sort_keys=True, default=str)
        current = self.runners.get(thread)
        if current is None or current[0] != key:
            if current is not None:   # this thread's runner for an earlier run's options
                current[1].close()
            self.runners[thread] = (key, PageRunner(self.extractor, workers=1,
                                                    batch_size=options.get("batch_size", 64),
                                                    page_timeout=options.get("page_timeout"), options=options,
                                                    prepared=True, keep=True))
        return self.runners[thread][1]

    def teardown(self, worker):
        for _, r in self.runners.values():
            r.close()
        self.runners = {}


def _plugin() -> ExtractorPlugin:
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN)
    if plugin is None or plugin.extractor is None:  # registered after this worker started its task
        plugin = ExtractorPlugin()
        plugin.setup(None)
        get_worker().plugins[PLUGIN] = plugin
    return plugin


# ---------------------------------------------------------------------------------------------
# on a worker

ROWS_AT_ONCE = 100   # records a worker holds before writing them to its part (memory: see bench/scale.py)


class JsonlPart:
    """One JSON Lines part file on a disk, written as records come and published whole at
    ``close()`` (a hidden tmp renamed over the part's name)."""

    def __init__(self, path: str):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        self.final = path
        self.tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
        self.fh = open(self.tmp, "wb")

    def write(self, records: list[dict]) -> None:
        self.fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8"))

    def close(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.final)

    def discard(self) -> None:
        try:
            self.fh.close()
        finally:
            if os.path.exists(self.tmp):
                os.unlink(self.tmp)


class UploadedPart:
    """A part for an object store: written to a local temporary file, put at its URL by
    ``close()`` (one PUT: the object appears whole or not at all). ``discard()`` leaves nothing
    there — a file opened on the store itself would be uploaded by its finaliser even when dropped."""

    def __init__(self, url: str, ext: str):
        import tempfile

        self.fs, self.inner = remote.filesystem(url)
        self.stage = tempfile.mkdtemp(prefix="extract-part-")
        self.local = os.path.join(self.stage, url.rsplit("/", 1)[-1])
        self.part = _local_part(self.local, ext)

    def write(self, records: list[dict]) -> None:
        self.part.write(records)

    def close(self) -> None:
        import shutil

        try:
            self.part.close()
            self.fs.put(self.local, self.inner)
        finally:
            shutil.rmtree(self.stage, ignore_errors=True)

    def discard(self) -> None:
        import shutil

        try:
            self.part.discard()
        finally:
            shutil.rmtree(self.stage, ignore_errors=True)


def _local_part(path: str, ext: str):
    if ext == "parquet":
        from ..io.parquet import PartFile

        return PartFile(path)
    return JsonlPart(path)


def open_part(path: str, ext: str):
    """A part file being written: ``write(records)``, ``close()`` publishes it, ``discard()``."""
    lp = remote.local_path(path)
    return _local_part(lp, ext) if lp is not None else UploadedPart(path, ext)


def read_jsonl_part(path: str) -> list[dict]:
    lp = remote.local_path(path)
    if lp is not None:
        with open(lp, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    fs, inner = remote.filesystem(path)
    with fs.open(inner, "rb") as fh:
        # split on newlines only: str.splitlines() would also cut at U+2028, U+2029 and U+0085,
        # which JSON written with ensure_ascii=False leaves in strings
        return [json.loads(line) for line in fh.read().decode("utf-8").split("\n") if line.strip()]


def run_partition(part: Partition, parts_dir: str, ext: str, options: dict) -> dict:
    """Extract one partition's pages and write its part file; what the client needs to know back."""
    from ..io.sources import printable
    from ..runner import extract_batch, give_back_memory

    plugin = _plugin()
    extractor = plugin.extractor
    t0 = time.perf_counter()
    name = part.file(ext)
    out = open_part(remote.join(parts_dir, name), ext)
    pages = warnings = 0
    failed: list[str] = []
    waiting: list[dict] = []
    timeout = options.get("page_timeout")
    # --page-timeout as in the local engine: the pages run in a process forked from this worker,
    # killed when one of them takes too long (a thread cannot be stopped). A daemonic worker may
    # not have children (Python's multiprocessing): there the pages run in this thread, unguarded,
    # and the client is told.
    guarded = bool(timeout) and not mp.current_process().daemon
    runner = plugin.runner(options) if guarded else None
    timeouts_before = runner.timeouts if runner is not None else 0
    if runner is not None:
        outcomes = (o for batch in runner.run(list(part.sources)) for o in batch)
    else:   # in this thread, a batch at a time (what is read of a partition stays that of a batch)
        size = options.get("batch_size", 64)
        outcomes = (o for k in range(0, len(part.sources), size)
                    for o in extract_batch(extractor, [(s, None) for s in part.sources[k:k + size]], options))
    try:
        for o in outcomes:
            pages += 1
            waiting.append(o.record)
            if o.failed:
                failed.append(f"{printable(o.source)}: {'; '.join(o.errors)}")
            elif o.errors:
                warnings += 1
            if len(waiting) >= ROWS_AT_ONCE:
                out.write(waiting)
                waiting = []
        out.write(waiting)
        out.close()
    except BaseException:
        out.discard()
        raise
    finally:
        waiting = []
        # the memory a partition freed goes back to the system (glibc keeps freed heap otherwise):
        # a worker's resident size stays that of one partition, not of the largest it ever held
        give_back_memory()
    return {"number": part.number, "key": part.key, "file": name, "pages": pages,
            "errors": failed, "warnings": warnings, "timeouts": runner.timeouts - timeouts_before if runner is not None else 0,
            "unguarded": bool(timeout) and runner is None,
            "seconds": round(time.perf_counter() - t0, 3), "pid": os.getpid(), "peak_rss_mb": _peak_rss_mb()}


def _peak_rss_mb() -> float | None:
    """The worker process's peak resident set so far (Linux VmHWM), for the manifest and the bench."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _suspicious(keys: list[str], dask_scheduler=None) -> int:
    tasks = dask_scheduler.tasks
    return sum(1 for k in keys if k in tasks and tasks[k].suspicious)


# ---------------------------------------------------------------------------------------------
# on the client

@dataclass
class ClusterRun:
    """What a run did: the results of the partitions done now, those skipped as done before."""

    results: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    redone: int = 0     # partitions started again because the worker running them was lost
    failed: list[dict] = field(default_factory=list)   # partitions that raised: no part written


def failed_partition(part: Partition, error: BaseException) -> dict:
    """The result of a partition whose task raised: no part file, one error line naming its pages."""
    from ..io.sources import printable

    first = part.sources[0].name if part.sources else ""
    why = f"{type(error).__name__}: {error}".strip().rstrip(":")
    return {"number": part.number, "key": part.key, "file": None, "pages": 0, "failed_pages": len(part.sources),
            "errors": [f"partition {part.number} ({len(part.sources)} pages from {printable(first)}) not written: "
                       f"{printable(why)} (--resume runs it again)"],
            "warnings": 0, "timeouts": 0, "unguarded": False}


class DaskEngine:
    """A Dask client, to a scheduler or to a LocalCluster it starts (and stops)."""

    def __init__(self, scheduler: str | None = None, local_workers: int | None = None, data_dir: str | None = None):
        self.scheduler = scheduler
        self.local_workers = local_workers
        self.data_dir = data_dir
        self.cluster = None
        self.client = None

    def __enter__(self):
        from distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler, timeout="30s")
        else:
            import dask

            # Dask's statistical profiler samples each running task's stack every 10 ms and keeps
            # the samples: with pages of a few milliseconds it took ~20% of a worker's time and its
            # memory grew ~2 MB per 1,000 pages (bench/scale.py). The workers of a cluster one
            # starts oneself want the same setting (README "Scaling out").
            dask.config.set({"distributed.worker.profile.enabled": False,
                             # a worker that may fork: --page-timeout runs pages in a child process
                             "distributed.worker.daemon": False})
            # one thread per worker process: the pipeline holds the GIL, so threads would not add
            # speed, and a process per core is what --local-workers counts
            self.cluster = LocalCluster(n_workers=self.local_workers or os.cpu_count() or 1, threads_per_worker=1,
                                        processes=True, dashboard_address=None, silence_logs=logging.ERROR,
                                        env=WORKER_ENV)
            self.client = Client(self.cluster)
        self.client.register_plugin(ExtractorPlugin(self.data_dir))
        return self

    def __exit__(self, *exc):
        try:
            if self.client is not None:
                self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def map(self, fn, items):
        """``map`` on the cluster, results in order (discover() scans WARC files with it)."""
        items = list(items)
        if not items:
            return []
        return self.client.gather(self.client.map(fn, items, pure=False))

    def _redone(self, keys: list[str]) -> int:
        """How many of these tasks were running on a worker that died (the scheduler counts them
        as 'suspicious' and runs them again elsewhere)."""
        try:
            return self.client.run_on_scheduler(_suspicious, keys=keys)
        except Exception:  # noqa: BLE001 - a count for the summary, never a reason to fail the run
            return 0

    def run(self, partitions: list[Partition], parts_dir: str, ext: str, options: dict, resume: bool,
            on_result=None) -> ClusterRun:
        """Every partition not already finished (``resume``: listed in the manifest with the same
        key, its part file present) extracted on the cluster; ``on_result(result)`` as each ends."""
        from distributed import as_completed

        done = read_manifest(parts_dir) if resume else {}
        out = ClusterRun()
        todo = []
        for p in partitions:
            entry = done.get(p.number)
            if entry and entry.get("key") == p.key and part_exists(parts_dir, entry.get("file", "")):
                out.skipped.append(entry)
            else:
                done.pop(p.number, None)
                todo.append(p)
        if not resume:
            write_manifest(parts_dir, {}, len(partitions))
        # Partitions are handed to the scheduler a window at a time (two per worker thread, the
        # window re-read as workers come and go), not all at once: a task waiting on the scheduler
        # holds its partition's sources, so a crawl submitted whole would hold every page's there.
        pending = iter(todo)
        live: dict = {}   # key -> future, submitted and not yet let go
        by_key: dict = {}

        def submit(n: int) -> list:
            new = []
            for p in itertools.islice(pending, max(n, 0)):
                f = self.client.submit(run_partition, p, parts_dir, ext, options, pure=False,
                                       key=f"extract-part-{p.number:05d}-{p.key}")
                live[f.key] = f
                by_key[f.key] = p
                new.append(f)
            return new

        window = self.window()
        running = as_completed(submit(window))
        in_flight = len(live)
        last = time.monotonic()
        # A finished task stays in the worker's and the scheduler's memory, its arguments (the
        # partition's sources) included, for as long as this client holds its future: ~0.2 MB a
        # partition, without end over a crawl (the worker grew ~9 MB over 20,000 pages,
        # bench/scale.py). Each future is let go once its result is read and whether it was
        # redone (a count only the scheduler keeps) has been asked, a few at a time.
        settled: list = []

        def settle() -> None:
            if settled:
                out.redone += self._redone([f.key for f in settled])
                for f in settled:
                    f.release()
                    live.pop(f.key, None)
                    by_key.pop(f.key, None)
                settled.clear()

        try:
            for fut in running:
                settled.append(fut)
                in_flight -= 1
                for f in submit(window - in_flight):
                    running.add(f)
                    in_flight += 1
                try:
                    result = fut.result()
                except Exception as e:  # noqa: BLE001 - one partition lost (a page that killed its
                    # workers again and again, a store refusing the part): said, the run goes on
                    result = failed_partition(by_key[fut.key], e)
                    out.failed.append(result)
                    if on_result is not None:
                        on_result(result)
                    continue
                done[result["number"]] = {k: result[k] for k in ("key", "file", "pages", "seconds", "pid", "peak_rss_mb")} | {
                    "errors": len(result["errors"])}
                out.results.append(result)
                if on_result is not None:
                    on_result(result)
                if time.monotonic() - last > MANIFEST_EVERY:
                    write_manifest(parts_dir, done, len(partitions))
                    settle()
                    window = self.window()
                    last = time.monotonic()
            settle()
        finally:
            # interrupted or not, the manifest lists every partition whose part is written
            write_manifest(parts_dir, done, len(partitions))
            for f in live.values():
                if not f.done():
                    f.cancel()
        return out

    def window(self) -> int:
        """How many partitions to keep submitted: two per worker thread (one running, one ready
        when it ends), at least two."""
        try:
            threads = sum(self.client.nthreads().values())
        except Exception:  # noqa: BLE001 - a count to size the window, never a reason to fail the run
            threads = 1
        return max(2, WINDOW_PER_THREAD * threads)
