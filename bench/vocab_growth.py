"""Memory over a long run of distinct pages: spaCy's vocabularies with and without the budget.

    python bench/vocab_growth.py                 # 10,000 pages, writes bench/results_vocab.json
    python bench/vocab_growth.py --pages 3000    # a quicker look

spaCy adds every word form it has not met to the Vocab and the StringStore and keeps it for the
life of the process. bench/scale.py repeats the project's 327 real pages, so it never shows this:
after the first round no word is new. A crawl's pages are distinct. Workload here: the real pages
(seeds/, annotations/pages/, annotations/batch2/) made distinct as a crawl's are: every digit
drawn anew (dates, sums, phone numbers, references) and a paragraph of 30 invented words added
(names, typos, words of other languages). Seeded: the same pages every run.

Two runs, each in a fresh process, over the same pages: ``Extractor()`` (the default
VOCAB_BUDGET: past it each batch runs in a spaCy memory zone) and ``Extractor(vocab_budget=∞)``
(no zone, the behaviour before). Each reports its resident set and the strings in the page
pipeline's and the clause parser's vocabularies every 1,000 pages, its pages/s, and a hash of its
records (the zones must change none).
"""
from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = r"""
import hashlib, json, random, re, sys, time
sys.path.insert(0, sys.argv[1])
from extract import Extractor
from extract.parse import ClauseParser
texts, n, budget = json.load(open(sys.argv[2], encoding="utf-8")), int(sys.argv[3]), sys.argv[4]
rng = random.Random(20261204)
LETTERS = "abcdefghijklmnopqrstuvwxyz"

def distinct(t):
    t = re.sub(r"\d", lambda m: str(rng.randrange(10)), t)
    words = " ".join("".join(rng.choice(LETTERS) for _ in range(rng.randrange(5, 11))) for _ in range(30))
    return t + "\n\n" + words + "\n"

def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)

ex = Extractor() if budget == "default" else Extractor(vocab_budget=10**12)
ex.warm()
h = hashlib.sha256()
marks = []
t0 = time.perf_counter()
step = 1000
for k in range(0, n, step):
    pages = [(distinct(texts[(k + j) % len(texts)]), str(k + j)) for j in range(min(step, n - k))]
    for rec in ex.pipe(pages):
        h.update(json.dumps(rec.to_dict(), sort_keys=True).encode())
    parser = ClauseParser.loaded()
    marks.append({"pages": k + len(pages), "rss_mb": rss_mb(), "strings": len(ex.nlp.vocab.strings),
                  "parser_strings": len(parser.vocab.strings) if parser is not None else 0})
secs = time.perf_counter() - t0
print(json.dumps({"budget": ex.vocab_budget, "pages": n, "seconds": round(secs, 2),
                  "pages_per_s": round(n / secs, 1), "marks": marks, "records_sha256": h.hexdigest()}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results_vocab.json"))
    args = ap.parse_args()
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "annotations" / "pages").glob("*.txt")) \
        + sorted((ROOT / "annotations" / "batch2").glob("*.txt"))
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps([p.read_text(encoding="utf-8") for p in files]), encoding="utf-8")
        runs = {}
        for budget in ("default", "none"):
            out = subprocess.run([sys.executable, "-c", RUN, str(ROOT), str(texts_file), str(args.pages), budget],
                                 capture_output=True, text=True, check=True)
            runs[budget] = json.loads(out.stdout.strip().splitlines()[-1])
            last = runs[budget]["marks"][-1]
            print(f"{budget:8} {runs[budget]['pages_per_s']:7.1f} pages/s  RSS {runs[budget]['marks'][0]['rss_mb']} -> "
                  f"{last['rss_mb']} MB  strings {last['strings']}, parser {last['parser_strings']}", flush=True)
    result = {"machine": {"python": platform.python_version(), "platform": platform.platform()},
              "pages": args.pages, "distinct_sources": len(files),
              "with_budget": runs["default"], "without_budget": runs["none"],
              "same_records": runs["default"]["records_sha256"] == runs["none"]["records_sha256"]}
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"same records: {result['same_records']}")


if __name__ == "__main__":
    main()
