"""What a change of the code does to the records, value by value, on the pages a rule may be
developed on only.

    python -m extract.evaluation.changes main                        # this checkout against main
    python -m extract.evaluation.changes 2f50558 --field duration_months
    python -m extract.evaluation.changes main --split written49_read --split training

A candidate's blind score says how much it moves; this says what it moves, before that score, where
reading is allowed: it runs ``BASE``'s pipeline (its rules, models and gazetteers, checked out in a
temporary git worktree and run in a subprocess: extract/evaluation/at_commit.py) and this
checkout's pipeline on the training and read pages (or the splits named; a split holding any page of
``never_trained`` is refused, as by the scanner), and prints every scalar value that differs with
the gold value beside it, each judged:

- ``fixed``: wrong before, right now;
- ``broken``: right before, wrong now;
- ``added where gold has none``: no value before, one now, and the gold has none (the kind of change
  that turned down candidates 19, 24, 26 and 27 on fresh's duration);
- ``still wrong``: wrong before and now.

The last lines count them per field. The fortieth session made this check by hand for candidate 27's
durations (docs/scores/s40_decision.md); the same count is one command now.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

from .at_commit import error_tail, run_at_commit
from .gold import GOLD_PATH, ROOT, SPLIT_PATH, SPLITS, load_gold
from .scan import DEFAULT_SPLITS, BlindSplitError, pages_to_scan
from .scoring import _norm   # the scorer's own comparison: a sum to the cent, a title's spaces collapsed

# the record's scalar fields a running-text or layout decision sets (RECORD.md)
FIELDS = ("kind", "title", "budget", "start_date", "end_date", "duration_months", "project_code",
          "approval_year", "status")

# run inside the base commit's worktree (its own ``extract`` package first on the path): page ids and
# texts as JSON on stdin, one JSON line per page out. Only names every commit since the record has:
# build_nlp and doc._.record.to_dict()
RUNNER = r'''
import json, sys
sys.path.insert(0, ".")
from extract.pipeline import build_nlp
nlp = build_nlp()
fields = sys.argv[1].split(",")
for pid, text in json.load(sys.stdin):
    doc = nlp.make_doc(text)
    doc.user_data["iom_text"] = text
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    rec = doc._.record.to_dict()
    print(json.dumps({"id": pid, **{f: rec.get(f) for f in fields}}, ensure_ascii=False))
'''


def judge(gold, before, after) -> str | None:
    """How a value moved, or None when it did not.

    >>> judge(None, None, 6)
    'added where gold has none'
    >>> judge(18, None, 18), judge(18, 18, 6), judge(18, 6, 24)
    ('fixed', 'broken', 'still wrong')
    >>> judge(None, {"amount": 2e6, "currency": "USD"}, None), judge("news", "news", "news")
    ('fixed', None)
    """
    g, b, a = (_norm(v) for v in (gold, before, after))
    if a == b:
        return None
    if a == g:
        return "fixed"
    if b == g:   # right before: a value where the gold has none, or a right one lost or changed
        return "added where gold has none" if g is None else "broken"
    return "still wrong"


def base_records(commit: str, pages: list[dict], fields: tuple[str, ...] = FIELDS,
                 root: Path = ROOT) -> dict[str, dict]:
    """``commit``'s records of ``pages`` (its own code, models and gazetteers), by id."""
    _, run = run_at_commit(commit, RUNNER, json.dumps([(g["id"], g["text"]) for g in pages], ensure_ascii=False),
                           (",".join(fields),), root)
    if run.returncode:
        raise RuntimeError(f"{commit}'s pipeline failed (exit {run.returncode}):\n{error_tail(run)}")
    rows = {r["id"]: r for r in (json.loads(x) for x in run.stdout.splitlines() if x.startswith("{"))}
    if set(rows) != {g["id"] for g in pages}:
        raise RuntimeError(f"{commit} gave {len(rows)} records for {len(pages)} pages")
    return rows


def head_records(pages: list[dict], fields: tuple[str, ...] = FIELDS) -> dict[str, dict]:
    """This checkout's records of ``pages``, by id."""
    from .cli import predict_pipeline

    return {i: {f: r.get(f) for f in fields} for i, r in predict_pipeline(pages).items()}


def changes(pages: list[dict], before: dict[str, dict], after: dict[str, dict],
            fields: tuple[str, ...] = FIELDS) -> tuple[list[tuple], dict]:
    """Every value that moved, (id, field, gold, before, after, judgement), and the counts by field.

    >>> pages = [{"id": "p", "record": {"duration_months": None, "kind": "news"}}]
    >>> rows, counts = changes(pages, {"p": {"duration_months": None, "kind": "news"}},
    ...                        {"p": {"duration_months": 6, "kind": "news"}}, ("duration_months", "kind"))
    >>> rows, dict(counts["duration_months"])
    ([('p', 'duration_months', None, None, 6, 'added where gold has none')], {'added where gold has none': 1})
    """
    rows, counts = [], collections.defaultdict(collections.Counter)
    for g in pages:
        for f in fields:
            gold = g["record"].get(f)
            b, a = before[g["id"]].get(f), after[g["id"]].get(f)
            verdict = judge(gold, b, a)
            if verdict:
                rows.append((g["id"], f, gold, b, a, verdict))
                counts[f][verdict] += 1
    return rows, counts


def _show(field: str, value) -> str:
    v = _norm(value)
    return "—" if v is None else (f"{v[0]:,.2f} {v[1]}" if field == "budget" else str(v))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extract.evaluation.changes", description=__doc__.splitlines()[0])
    ap.add_argument("base", help="the commit (or branch) whose records this checkout's are compared with")
    ap.add_argument("--split", action="append", choices=SPLITS,
                    help=f"a split to compare on (repeatable; default: {', '.join(DEFAULT_SPLITS)})")
    ap.add_argument("--field", action="append", choices=FIELDS, help="a field to compare (repeatable; default: all)")
    ap.add_argument("--gold", type=Path, default=GOLD_PATH)
    ap.add_argument("--split-file", type=Path, default=SPLIT_PATH)
    args = ap.parse_args(argv)
    fields = tuple(args.field or FIELDS)
    try:
        pages = pages_to_scan(load_gold(args.gold), tuple(args.split or DEFAULT_SPLITS), args.split_file)
        before = base_records(args.base, pages, fields)
    except (BlindSplitError, ValueError) as e:
        print(f"changes: {e}", file=sys.stderr)
        return 2
    after = head_records(pages, fields)
    rows, counts = changes(pages, before, after, fields)
    for pid, f, gold, b, a, verdict in rows:
        print(f"{pid}  {f}: gold {_show(f, gold)} | {args.base} {_show(f, b)} → now {_show(f, a)}  [{verdict}]")
    print(f"{len(pages)} pages, {len(rows)} values moved")
    for f in fields:
        if counts[f]:
            print(f"  {f}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts[f].items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
