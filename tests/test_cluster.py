"""The Dask engine (issue 16 §3): the same records as the local engine, part files and a manifest,
--resume, a running scheduler, and a worker killed mid-run costing nothing."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))
from warcs import pages_warc  # noqa: E402

pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PAGES = sorted((ROOT / "annotations" / "pages").glob("*.txt"))


def run(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "extract", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


def lines(path):
    return Path(path).read_text("utf-8").splitlines()


@pytest.fixture(scope="module")
def small_warc(tmp_path_factory):
    path = tmp_path_factory.mktemp("w") / "crawl.warc.gz"
    pages_warc(path, [(f"https://www.iom.int/fr/{p.stem}", p.read_bytes(), "text/plain") for p in PAGES[:12]])
    return path


def test_dask_gives_the_local_engines_records_line_for_line(small_warc, tmp_path):
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    a = run("batch", "seeds", str(small_warc), "-o", str(local))
    b = run("batch", "seeds", str(small_warc), "-o", str(dask), "--engine", "dask", "--local-workers", "2",
            "--partition-size", "4")
    assert a.returncode == 0 and b.returncode == 0, b.stderr
    assert lines(local) == lines(dask)
    assert len(lines(dask)) == 17
    assert "dask: 5 partitions (0 done before), 2 workers" in b.stderr
    assert not (tmp_path / "dask.jsonl.parts").exists()   # the parts are gone once OUT is whole


def test_dask_resume_completes_the_out_tmp_an_interrupted_run_left(small_warc, tmp_path):
    full, out = tmp_path / "full.jsonl", tmp_path / "out.jsonl"
    assert run("batch", "seeds", str(small_warc), "-o", str(full)).returncode == 0
    (tmp_path / "out.jsonl.tmp").write_text("\n".join(lines(full)[:3]) + "\n" + lines(full)[3][:40], "utf-8")
    proc = run("batch", "seeds", str(small_warc), "-o", str(out), "--engine", "dask", "--local-workers", "1",
               "--resume")
    assert proc.returncode == 0, proc.stderr
    assert "3 already in the output" in proc.stderr
    assert sorted(lines(out)) == sorted(lines(full)) and not (tmp_path / "out.jsonl.tmp").exists()


def test_a_parquet_dataset_with_a_manifest_and_resume(small_warc, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "ds"
    args = ["batch", "seeds", str(small_warc), "-o", f"{out}/", "--format", "parquet", "--engine", "dask",
            "--local-workers", "1", "--partition-size", "5"]
    first = run(*args)
    assert first.returncode == 0, first.stderr
    parts = sorted(out.glob("part-*.parquet"))
    assert [p.name for p in parts] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet",
                                       "part-00003.parquet"]
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["partitions_total"] == 4 and sorted(manifest["partitions"]) == ["0", "1", "2", "3"]
    ids = [i for p in parts for i in pq.read_table(p, columns=["id"]).column("id").to_pylist()]
    assert len(ids) == len(set(ids)) == 17
    # everything done: --resume does nothing and rewrites nothing
    stamps = {p.name: p.stat().st_mtime_ns for p in parts}
    again = run(*args, "--resume")
    assert again.returncode == 0, again.stderr
    assert "4 done before" in again.stderr and "17 already in the output" in again.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")} == stamps
    # a run stopped before partition 2 was written: only it is done again
    del manifest["partitions"]["2"]
    (out / "_manifest.json").write_text(json.dumps(manifest))
    (out / "part-00002.parquet").unlink()
    third = run(*args, "--resume")
    assert third.returncode == 0, third.stderr
    assert "3 done before" in third.stderr
    assert (out / "part-00002.parquet").exists()
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet") if p.name != "part-00002.parquet"} \
        == {k: v for k, v in stamps.items() if k != "part-00002.parquet"}
    ids = [i for p in sorted(out.glob("part-*.parquet")) for i in pq.read_table(p, columns=["id"]).column("id").to_pylist()]
    assert len(ids) == len(set(ids)) == 17


def test_a_running_scheduler(small_warc, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        out = tmp_path / "out.jsonl"
        proc = run("batch", str(small_warc), "-o", str(out), "--engine", "dask", "--scheduler",
                   cluster.scheduler_address)
        assert proc.returncode == 0, proc.stderr
        assert len(lines(out)) == 12 and "1 workers" in proc.stderr
        # workers started with Dask's defaults are daemonic: they may not fork, and the run says so
        assert "--page-timeout was not enforced in 1 partitions" in proc.stderr


def test_a_page_over_the_time_limit_gets_an_error_record_on_a_worker_too(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import adversarial

    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("Le projet couvre le Chili.", "utf-8")
    (d / "b_slow.txt").write_text(adversarial.prose(3_000_000), "utf-8")
    (d / "c.txt").write_text("Chili", "utf-8")
    out = tmp_path / "o.jsonl"
    t0 = time.time()
    proc = run("batch", str(d), "-o", str(out), "--engine", "dask", "--local-workers", "1", "--page-timeout", "1",
               "--batch-size", "8")
    assert time.time() - t0 < 60
    assert proc.returncode == 1, proc.stderr
    recs = [json.loads(line) for line in lines(out)]
    assert [r["id"] for r in recs] == ["a", "b_slow", "c"]
    assert "timeout" in recs[1]["errors"][0] and recs[0]["errors"] == [] and recs[2]["countries_mentioned"] == ["CL"]
    assert "1 timed out" in proc.stderr and "not enforced" not in proc.stderr


def test_a_partition_that_fails_is_said_and_the_others_go_on(tmp_path, monkeypatch):
    """A part that cannot be written (a store refusing it, say) fails its task; the run reports that
    partition, with its pages, and finishes the others. The cluster runs in this process, so the
    store's refusal can be staged with monkeypatch."""
    from distributed import LocalCluster

    from extract.engine import cluster as cl
    from extract.engine.partitions import plan
    from extract.io.sources import discover

    real = cl.open_part

    def refusing(path, ext):
        if path.endswith("part-00001.jsonl"):
            raise PermissionError("Access Denied")
        return real(path, ext)

    monkeypatch.setattr(cl, "open_part", refusing)
    parts = plan(discover([str(p) for p in SEEDS]).sources, 2)
    seen = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as lc, \
            cl.DaskEngine(scheduler=lc.scheduler_address) as engine:
        run = engine.run(parts, str(tmp_path) + "/", "jsonl", {}, resume=False, on_result=seen.append)
    assert [r["number"] for r in run.failed] == [1]
    assert sorted(r["number"] for r in run.results) == [0, 2]
    err = next(r for r in seen if r["number"] == 1)["errors"][0]
    assert "partition 1 (2 pages from" in err and "PermissionError: Access Denied" in err and "--resume" in err
    assert sorted(p.name for p in tmp_path.glob("part-*")) == ["part-00000.jsonl", "part-00002.jsonl"]
    manifest = json.loads((tmp_path / "_manifest.json").read_text())
    assert sorted(manifest["partitions"]) == ["0", "2"]     # --resume will run partition 1


def test_usage_errors(tmp_path):
    for args, said in ((["--scheduler", "tcp://127.0.0.1:1"], "goes with --engine dask"),
                       (["--engine", "dask", "--workers", "2"], "--local-workers"),
                       (["--engine", "dask", "--scheduler", "tcp://x:1", "--local-workers", "2"], "not both")):
        proc = run("batch", "seeds", "-o", str(tmp_path / "o.jsonl"), *args)
        assert proc.returncode == 2 and said in proc.stderr, proc.stderr
    proc = run("batch", "seeds", "-o", "-", "--engine", "dask")
    assert proc.returncode == 2 and "name an output" in proc.stderr


def _worker_processes(root_pid: int) -> list:
    """The Dask worker processes under the CLI (spawned by its nannies, which live in the CLI's
    process), not the resource tracker, nor the processes a worker forks to run its pages in."""
    out = []
    for p in psutil.Process(root_pid).children(recursive=False):
        try:
            cmd = " ".join(p.cmdline())
        except psutil.Error:
            continue
        if "spawn_main" in cmd or "multiprocessing.forkserver" in cmd:
            out.append(p)
    return out


def test_a_worker_killed_mid_run_loses_no_page_and_doubles_none(tmp_path):
    """LocalCluster, 2 worker processes; one is SIGKILLed once partitions are being written; the
    scheduler gives its work to the other (and to the worker the nanny restarts): every page once."""
    pages = []
    for rep in range(12):
        for p in PAGES:
            pages.append((f"https://www.iom.int/fr/{rep}/{p.stem}", p.read_bytes(), "text/plain"))
    warc = tmp_path / "big.warc.gz"
    pages_warc(warc, pages, with_requests=False)
    out = tmp_path / "out.jsonl"
    parts = tmp_path / "out.jsonl.parts"
    proc = subprocess.Popen([sys.executable, "-m", "extract", "batch", str(warc), "-o", str(out), "--engine", "dask",
                             "--local-workers", "2", "--partition-size", "40"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if parts.is_dir() and any(parts.glob("part-*.jsonl")):
                workers = _worker_processes(proc.pid)
                if len(workers) == 2:
                    killed = workers[0].pid
                    os.kill(killed, signal.SIGKILL)
                    break
            time.sleep(0.05)
        _, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert killed is not None, "the run ended before a worker could be killed"
    assert proc.returncode == 0, err
    written = [json.loads(line)["id"] for line in lines(out)]
    assert len(written) == len(pages)                 # 0 missing
    assert len(set(written)) == len(written)          # 0 duplicates
    assert not psutil.pid_exists(killed) or psutil.Process(killed).status() == psutil.STATUS_ZOMBIE
    # the worker was killed while it had a partition: the scheduler ran that partition again
    assert "started again after their worker was lost" in err, err


def test_an_interrupted_run_leaves_the_old_dataset_whole_and_resume_replaces_it(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "ds"
    first = run("batch", "seeds", "-o", f"{out}/", "--format", "parquet", "--engine", "dask", "--local-workers", "1")
    assert first.returncode == 0, first.stderr

    def ids():
        return sorted(i for f in sorted(out.glob("part-*.parquet"))
                      for i in pq.read_table(f, columns=["id"]).column("id").to_pylist())

    old = ids()
    assert old == sorted(p.stem for p in SEEDS)
    pages = [(f"https://www.iom.int/fr/{rep}/{p.stem}", p.read_bytes(), "text/plain")
             for rep in range(6) for p in PAGES]
    warc = tmp_path / "big.warc.gz"
    pages_warc(warc, pages, with_requests=False)
    args = [sys.executable, "-m", "extract", "batch", str(warc), "-o", f"{out}/", "--format", "parquet",
            "--engine", "dask", "--local-workers", "1", "--partition-size", "40"]
    # Ctrl-C as a terminal delivers it: a shell that starts pytest in the background ("… &") starts it
    # with SIGINT ignored, and a child keeps that (Python then installs no KeyboardInterrupt handler)
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and not any((out / "_run").glob("part-*.parquet")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert ids() == old                                   # readers still see the old dataset, whole
    assert any((out / "_run").glob("part-*.parquet"))     # the new parts wait
    done = run(*args[3:], "--resume")
    assert done.returncode == 0, done.stderr
    new = ids()
    assert len(new) == len(set(new)) == len(pages) and not set(new) & set(old)
    assert not (out / "_run").exists() and (out / "_manifest.json").exists()


def _tasks_held(dask_scheduler=None):
    return (sum(1 for ts in dask_scheduler.tasks.values() if ts.state == "memory"), len(dask_scheduler.tasks))


def test_partitions_go_to_the_cluster_a_window_at_a_time_and_are_let_go(tmp_path, monkeypatch):
    """A task holds its partition's sources on the scheduler while it waits, and on the worker
    too once finished, while the client holds its future: over a crawl, memory without end. The
    engine submits a window of partitions (two per worker thread) and lets each go once its result
    is read (here after every result; a few at a time in a real run)."""
    from extract.engine import cluster
    from extract.engine.partitions import plan
    from extract.io.sources import discover

    monkeypatch.setattr(cluster, "MANIFEST_EVERY", 0.0)
    partitions = plan(discover([str(p) for p in SEEDS + PAGES[:3]]).sources, 1)
    held = []
    with cluster.DaskEngine(local_workers=1) as engine:
        assert engine.window() == 2
        run = engine.run(partitions, str(tmp_path / "parts") + "/", "jsonl", {"page_timeout": None}, False,
                         lambda result: held.append(engine.client.run_on_scheduler(_tasks_held)))
    assert sorted(r["number"] for r in run.results) == list(range(8)) and run.redone == 0
    assert sorted(p.stem for p in (tmp_path / "parts").glob("part-*.jsonl")) == [f"part-{k:05d}" for k in range(8)]
    assert len(held) == 8
    in_memory, known = zip(*held)
    assert max(in_memory) <= 3 and max(known) <= 4, held   # all 8 before
