"""Scaling benchmark (issue 16 §4): one crawl, the local engine and the Dask engine.

    python bench/scale.py                 # 20,000 pages, writes bench/results_scale.json
    python bench/scale.py --pages 4000    # a quicker look

Workload: the project's real pages (seeds/, annotations/pages/, annotations/batch2/: 327
different pages) repeated under distinct URLs to --pages responses, packed as a crawler writes
them (WARC.gz, one gzip member per record, a request record before each response), in files of
--per-file responses. The pipeline keeps nothing from one page to the next, so a repeated page
costs what it cost the first time.

Runs, each one command in a fresh process (model loading, cluster start and the WARC scan count):

* local, 1 worker:     extract batch CRAWL/ -o out.jsonl --workers 1
* local, 2 workers:    the same with --workers 2 (what two busy cores give on this hardware)
* dask, 1 worker:      extract batch CRAWL/ -o out/ --format parquet --engine dask --local-workers 1
* dask, 2 workers:     the same with --local-workers 2 (these two alternate, --rounds times)
* the two Dask runs again with --page-timeout 0 (no forked process guarding the pages)

Each gives pages/s over its whole wall time, and the per-core rate (pages over the seconds the
workers spent in their partitions, for Dask). Scaling efficiency = pages/s at 2 workers / (2 x
pages/s at 1 worker), Dask against Dask, taken within each round; the median round is the figure
(the machine's speed drifts between runs). Peak RSS per worker: the largest resident set of each
worker process, sampled every 0.2 s (psutil) over the run; the Dask figure is the worker process
(the nanny, the scheduler and the client live in the command's own process, reported apart).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "helpers"))


def corpus() -> list[tuple[str, bytes]]:
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "annotations" / "pages").glob("*.txt")) \
        + sorted((ROOT / "annotations" / "batch2").glob("*.txt"))
    return [(p.stem, p.read_bytes()) for p in files]


def build_crawl(out_dir: Path, n_pages: int, per_file: int) -> dict:
    from warcs import pages_warc

    pages = corpus()
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    k = 0
    files = 0
    while k < n_pages:
        batch = []
        for j in range(k, min(n_pages, k + per_file)):
            stem, body = pages[j % len(pages)]
            batch.append((f"https://www.iom.int/fr/crawl/{j // len(pages)}/{stem}", body,
                          "text/plain; charset=utf-8"))
        pages_warc(out_dir / f"crawl-{files:05d}.warc.gz", batch)
        files += 1
        k += len(batch)
    size = sum(p.stat().st_size for p in out_dir.glob("*.warc.gz"))
    return {"pages": n_pages, "distinct_pages": len(pages), "files": files, "bytes_gz": size,
            "seconds_to_build": round(time.perf_counter() - t0, 1)}


class Sampler:
    """Peak RSS of every process under a command, sampled while it runs."""

    def __init__(self, proc: subprocess.Popen):
        self.root = psutil.Process(proc.pid)
        self.peak: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self.role: dict[int, str] = {}
        self.tree_peak = 0          # largest PSS of one worker with the processes it forked
        self.last_pss = 0.0

    def sample(self) -> None:
        try:
            procs = [self.root] + self.root.children(recursive=True)
        except psutil.Error:
            return
        for p in procs:
            try:
                rss = p.memory_info().rss
                times = p.cpu_times()
                self.cpu[p.pid] = times.user + times.system
                if p.pid not in self.role:
                    cmd = " ".join(p.cmdline())
                    self.role[p.pid] = ("main" if p.pid == self.root.pid else "tracker" if "resource_tracker" in cmd
                                        else "worker")
            except psutil.Error:
                continue
            self.peak[p.pid] = max(self.peak.get(p.pid, 0), rss)
        # A worker forks a child to run its pages (the --page-timeout guard): the two share most of
        # their memory, so RSS counts it twice. PSS (each shared page divided among the processes
        # that map it) summed over a worker and its children is what the worker costs the machine.
        # Reading smaps is slow: once a second.
        if time.monotonic() - self.last_pss >= 1.0:
            self.last_pss = time.monotonic()
            try:
                tops = [c for c in self.root.children() if self.role.get(c.pid) == "worker"]
            except psutil.Error:
                tops = []
            for top in tops:
                total = 0
                try:
                    for q in [top] + top.children(recursive=True):
                        total += q.memory_full_info().pss
                except psutil.Error:
                    continue
                self.tree_peak = max(self.tree_peak, total)

    def summary(self) -> dict:
        workers = [v for pid, v in self.peak.items() if self.role.get(pid) == "worker"]
        main = [v for pid, v in self.peak.items() if self.role.get(pid) == "main"]
        mb = 1024 * 1024
        cpu = {role: round(sum(v for pid, v in self.cpu.items() if self.role.get(pid) == role), 1)
               for role in ("main", "worker")}
        return {"peak_rss_mb_per_worker": round(max(workers) / mb, 1) if workers else None,
                "worker_processes_seen": len(workers),
                "peak_rss_mb_main_process": round(max(main) / mb, 1) if main else None,
                "peak_pss_mb_per_worker_with_its_children": round(self.tree_peak / mb, 1) if self.tree_peak else None,
                # CPU seconds (user + system, last sample): where the machine's two cores went
                "cpu_seconds_main_process": cpu["main"], "cpu_seconds_workers": cpu["worker"]}


def run(label: str, args: list[str], n_pages: int, out: Path) -> dict:
    cmd = [sys.executable, "-m", "extract", "batch", *args, "--no-progress"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc)
    while proc.poll() is None:
        sampler.sample()
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    err = proc.stderr.read()
    if proc.returncode != 0:
        raise SystemExit(f"{label}: exit {proc.returncode}\n{err}")
    result = {"run": label, "command": " ".join(cmd[2:]), "pages": n_pages, "wall_seconds": round(wall, 2),
              "pages_per_s": round(n_pages / wall, 1), **sampler.summary()}
    manifest = out / "_manifest.json" if out.is_dir() else None
    if manifest is not None and manifest.exists():
        parts = json.loads(manifest.read_text())["partitions"].values()
        busy = sum(p["seconds"] for p in parts)
        result["worker_seconds_in_partitions"] = round(busy, 1)
        result["per_core_pages_per_s"] = round(sum(p["pages"] for p in parts) / busy, 1)
    result["summary_line"] = next((line for line in err.splitlines() if " pages/s" in line), "")
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=20000)
    ap.add_argument("--per-file", type=int, default=5000, help="responses per WARC file")
    ap.add_argument("--partition-size", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=3, help="alternating Dask 1- and 2-worker runs (median ratio)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results_scale.json"))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="scale-"))
    try:
        crawl = build_crawl(tmp / "crawl", args.pages, args.per_file)
        print(json.dumps({"crawl": crawl}), flush=True)
        part = ["--partition-size", str(args.partition_size)]
        crawl_dir = str(tmp / "crawl")

        def dask(label: str, workers: int, name: str, *extra: str) -> dict:
            return run(label, [crawl_dir, "-o", f"{tmp / name}/", "--format", "parquet", "--engine", "dask",
                               "--local-workers", str(workers), *part, *extra], args.pages, tmp / name)

        runs = [
            run("local, 1 worker", [crawl_dir, "-o", str(tmp / "local.jsonl"), "--workers", "1"],
                args.pages, tmp / "local.jsonl"),
            # the machine's own scaling, no Dask: what two busy cores give on this hardware
            run("local, 2 workers", [crawl_dir, "-o", str(tmp / "local2.jsonl"), "--workers", "2"],
                args.pages, tmp / "local2.jsonl"),
        ]
        # The efficiency is a ratio of two runs, and this shared machine's speed moves by 10-20%
        # from one minute to the next (one run each gave 0.805 and 0.895 on the same code): the
        # 1- and 2-worker runs alternate, --rounds times, each round's ratio taken within the round,
        # and the median round is the figure.
        rounds = []
        for k in range(args.rounds):
            one = dask(f"dask, 1 worker (round {k + 1})", 1, f"dask1-{k}")
            two = dask(f"dask, 2 workers (round {k + 1})", 2, f"dask2-{k}")
            runs += [one, two]
            rounds.append(round(two["pages_per_s"] / (2 * one["pages_per_s"]), 3))
        # the same without the --page-timeout guard (pages in the worker's own thread): what the
        # guard's forked process costs
        one_u = dask("dask, 1 worker, --page-timeout 0", 1, "dask1u", "--page-timeout", "0")
        two_u = dask("dask, 2 workers, --page-timeout 0", 2, "dask2u", "--page-timeout", "0")
        runs += [one_u, two_u]
        median = statistics.median_high(rounds)
        dask_one = [r for r in runs if r["run"].startswith("dask, 1 worker (")]
        dask_runs = [r for r in runs if r["run"].startswith("dask")]
        result = {
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "crawl": crawl,
            "runs": runs,
            "scaling_efficiency_dask_2_workers": median,
            "scaling_efficiency_dask_2_workers_rounds": rounds,
            "dask_1_worker_over_local_1_worker": round(
                statistics.median_high(r["pages_per_s"] for r in dask_one) / runs[0]["pages_per_s"], 3),
            "scaling_efficiency_local_2_workers": round(runs[1]["pages_per_s"] / (2 * runs[0]["pages_per_s"]), 3),
            "scaling_efficiency_dask_2_workers_without_guard": round(two_u["pages_per_s"] / (2 * one_u["pages_per_s"]), 3),
            "peak_rss_mb_per_dask_worker": max(r["peak_rss_mb_per_worker"] for r in dask_runs),
            "peak_pss_mb_per_dask_worker_with_its_children": max(
                r["peak_pss_mb_per_worker_with_its_children"] or 0 for r in dask_runs),
            "targets": {"scaling_efficiency": ">= 0.85", "peak_rss_mb_per_worker": "<= 250"},
        }
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps({k: result[k] for k in ("scaling_efficiency_dask_2_workers",
                                                 "scaling_efficiency_dask_2_workers_rounds",
                                                 "dask_1_worker_over_local_1_worker",
                                                 "scaling_efficiency_local_2_workers",
                                                 "scaling_efficiency_dask_2_workers_without_guard")}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
