"""No input can blow up: time and peak memory against input size on hostile inputs.

    python bench/adversarial.py                 # every case at 1/4, 1/2 and full size, each run in a fresh process
    python bench/adversarial.py --case prose    # one case
    python bench/adversarial.py --out bench/results_adversarial.json

Each measurement is a fresh process that reads the input as the batch does (HTML through the
HTML reader) and extracts its record; it reports seconds and its peak RSS. Time should grow
linearly: "full/quarter" near 4. The targets of issue 13: 10 MB of prose in at most 12x the time
of 1 MB, and at most 400 MB resident.

Inputs (tests/test_adversarial.py runs the small ones under a timeout that guards against hangs):
digits and spaces; "produit 1.1" repeated; "(produit 1.1)" clauses; a 1 MB line without newline
and one without space; deeply nested parentheses; country names in a row; number words; ordinary
prose (corpus news pages, repeated) at 1 MB and 9.9 MB; 200,000 unclosed <div> (1.2 MB of HTML);
8 MB of <p>a</p>; 1 MB of country names.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000


def prose(n: int) -> str:
    """n characters of real French release prose: the corpus news pages' content, repeated."""
    parts = []
    for p in sorted((ROOT / "annotations" / "pages").glob("news_*.txt")):
        t = p.read_text("utf-8")
        parts.append(t.split("2030 AGENDA", 1)[-1])
    body = "\n\n".join(parts)
    return (body * (n // len(body) + 1))[:n]


# name -> (builder of the full-size input, is it HTML?)
CASES = {
    "digits and spaces, 1 MB": (lambda: ("1234 567 " * 111112)[:MB], False),
    "'produit 1.1 ' x 100,000": (lambda: "produit 1.1 " * 100_000, False),
    "'(produit 1.1)' clauses": (lambda: "Le projet fera ceci (produit 1.1) " * 30_000, False),
    "1 MB line, no newline": (lambda: ("Le budget du projet de la migration " * 30000)[:MB], False),
    "1 MB line, no space": (lambda: "x" * MB, False),
    "nested parentheses": (lambda: "(" * 100_000 + "Cuba" + ")" * 100_000, False),
    "10,000 country names": (lambda: "Cuba Chili Uruguay Haïti " * 2500, False),
    "number words": (lambda: "deux millions " * 70_000, False),
    "prose, 1 MB": (lambda: prose(MB), False),
    "prose, 9.9 MB": (lambda: prose(9_900_000), False),
    "country names, 1 MB": (lambda: ("Cuba Chili Uruguay Haïti Guinée-Bissau République dominicaine " * 20000)[:MB], False),
    "200,000 unclosed <div>": (lambda: "<html><body>" + "<div>x " * 200_000, True),
    "8 MB of <p>a</p>": (lambda: "<p>a</p>" * 1_000_000, True),
}
# the inputs small enough for the test-suite's hang guard
SMALL = [k for k in CASES if k not in ("prose, 9.9 MB", "8 MB of <p>a</p>")]


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux carries
    ru_maxrss over fork and exec, so a child started from a big parent reports the parent's size."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(name: str, fraction: float = 1.0) -> tuple[str, bool]:
    make, is_html = CASES[name]
    text = make()
    return text[: int(len(text) * fraction)], is_html


def run_one(name: str, fraction: float) -> dict:
    """In this process: build, read and extract one input; seconds and peak RSS."""
    from extract import Extractor
    from extract.io.readers import Page, page_from_bytes

    ex = Extractor()
    ex.extract("Cuba")  # warm: the first call builds lazily compiled expressions
    text, is_html = build(name, fraction)
    data = text.encode("utf-8")
    t0 = time.perf_counter()
    page = page_from_bytes(Page("hostile", "hostile", ""), data, 20 * MB, is_html)
    rec = ex.extract(page.text, id="hostile") if not page.error else None
    secs = time.perf_counter() - t0
    rss = peak_rss_mb()
    return {"case": name, "fraction": fraction, "bytes": len(data), "seconds": round(secs, 3),
            "peak_rss_mb": round(rss, 1), "entities": len(rec.entities) if rec else 0, "error": page.error}


def measure(name: str, fraction: float) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--one", name, str(fraction)], capture_output=True, text=True,
                          cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", action="append", help="a case name, or a word of it (repeatable)")
    ap.add_argument("--out", type=Path, help="write the measurements as JSON")
    ap.add_argument("--one", nargs=2, metavar=("CASE", "FRACTION"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one[0], float(args.one[1]))))
        return 0
    names = [k for k in CASES if not args.case or any(c.lower() in k.lower() for c in args.case)]
    rows = []
    print(f"{'input':28s} {'bytes':>10s} {'1/4 s':>8s} {'1/2 s':>8s} {'full s':>8s} {'full/quarter':>12s} {'peak RSS MB':>11s}")
    for name in names:
        runs = [measure(name, f) for f in (0.25, 0.5, 1.0)]
        rows += runs
        q, h, full = (r["seconds"] for r in runs)
        print(f"{name:28s} {runs[2]['bytes']:>10,d} {q:8.2f} {h:8.2f} {full:8.2f} {full / max(q, 1e-3):12.1f} "
              f"{max(r['peak_rss_mb'] for r in runs):11.0f}")
    if any(r["case"] == "prose, 1 MB" for r in rows) and any(r["case"] == "prose, 9.9 MB" for r in rows):
        one = next(r for r in rows if r["case"] == "prose, 1 MB" and r["fraction"] == 1.0)
        ten = next(r for r in rows if r["case"] == "prose, 9.9 MB" and r["fraction"] == 1.0)
        print(f"prose 9.9 MB / 1 MB: {ten['seconds'] / one['seconds']:.1f}x the time (target <= 12x), "
              f"peak RSS {ten['peak_rss_mb']:.0f} MB (target <= 400)")
    if args.out:
        args.out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "runs": rows}, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
