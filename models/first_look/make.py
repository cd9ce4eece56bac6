"""First-look records: what the shipped code of an earlier commit made of a batch it had never seen.

Every written batch of the training splits was scored once, before anyone developed on it, by the
code of the day (README, each session's table: "scored before and after"). Those records are the
only ones this project has of its *rules* on new text: a training page read today is read by
rules written on it, and its record is right far more often than a new page's will be (leaving a
batch out, 143 wrong scalar values in 21,112; the same batches at their first look, 341 in 7,560).
The confidence's ranker learns from them which evidence fails on text nobody tuned on
(extract/confidence.py; README "Evidence and confidence").

One command rebuilds every file from commits.tsv (each split, the commit whose code scored it
first, and the score file that records it: the commit in its header), or one split from a commit:

    python models/first_look/make.py --all
    python models/first_look/make.py written18_dev ad404035

It checks the commit out in a temporary git worktree, runs *that* commit's pipeline (its rules, its
models, its gazetteers) in a subprocess on the split's pages (their text from today's
annotations/gold.jsonl), and writes models/first_look/<split>.jsonl: per page the scalar
fields' evidence as the old code gave it (value, offsets, rule; no confidence) and what the
confidence reads of the page (kind, length, candidate counts, the running-text models' best
probabilities). Gold is not stored here: ``python -m extract train`` judges each value against
today's gold, so a gold correction reaches these rows too.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# run inside the old commit's worktree (its own ``extract`` package first on the path); reads the
# page ids and texts as JSON on stdin, writes one JSON line per page. Only names every first-look
# commit has: build_nlp, SPANS_KEY, doc._.record.to_dict(), doc._.kind, doc._.prose.
RUNNER = r'''
import json, sys
sys.path.insert(0, ".")
from extract.pipeline import build_nlp
from extract.components.entities import SPANS_KEY

def page_info(doc, text):
    # extract/components/confidence.py page_info of today, read off the old code's Doc
    labels = [s.label_ for s in doc.spans.get(SPANS_KEY, [])]
    prose = doc._.prose or {}
    probs = {}
    for c in doc.user_data.get("iom_candidates") or ():
        for key, p in (c.get("rule") or {}).items():
            if key.startswith("p_"):
                probs.setdefault(key[2:], []).append(p)
    return {"kind": doc._.kind, "length": len(text),
            "candidates": {"money": labels.count("MONEY") + labels.count("BUDGET"),
                           "date": labels.count("DATE"),
                           "duration": (prose.get("candidates") or {}).get("duration", 0)},
            "best": {k: sorted(v, reverse=True)[:2] for k, v in sorted(probs.items())}}

nlp = build_nlp()
for pid, text in json.load(sys.stdin):
    doc = nlp.make_doc(text)
    doc.user_data["iom_text"] = text
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    ev = {}
    for name, e in (doc._.record.to_dict().get("evidence") or {}).items():
        if isinstance(e, dict):   # the scalar fields; lists are not ranked
            ev[name] = {k: e.get(k) for k in ("value", "start", "end", "rule")}
    print(json.dumps({"id": pid, "page": page_info(doc, text), "evidence": ev}, ensure_ascii=False))
'''


def commits(path: Path = HERE / "commits.tsv") -> list[tuple[str, str]]:
    """(split, commit) of commits.tsv, in its order."""
    lines = path.read_text("utf-8").splitlines()[1:]
    return [tuple(line.split("\t")[:2]) for line in lines if line.strip()]


def make(split: str, commit: str, out_dir: Path = HERE, limit: int | None = None) -> Path:
    """Write out_dir/<split>.jsonl from ``commit``'s code (``limit``: its first pages only)."""
    sys.path.insert(0, str(ROOT))
    from extract.evaluation.at_commit import error_tail, run_at_commit
    from extract.evaluation.gold import load_gold, load_split

    ids = load_split()[split][:limit]
    text = {g["id"]: g["text"] for g in load_gold()}
    full, run = run_at_commit(commit, RUNNER, json.dumps([(pid, text[pid]) for pid in ids], ensure_ascii=False))
    if run.returncode:
        # a commit older than the evidence (2026-12-03) has no record.evidence: say so, with the
        # end of the old code's own traceback
        raise RuntimeError(f"{commit}'s pipeline failed on {split} (exit {run.returncode}):\n{error_tail(run)}")
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    if [r["id"] for r in rows] != ids:
        raise RuntimeError(f"{commit} gave {len(rows)} records for the {len(ids)} pages of {split}")
    path = out_dir / f"{split}.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({"id": r["id"], "split": split, "commit": full[:12], **{k: r[k] for k in ("page", "evidence")}},
                                ensure_ascii=False, sort_keys=True) + "\n")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("split", nargs="?", help="a training split of annotations/split.json")
    ap.add_argument("commit", nargs="?", help="the commit whose code scored the split first")
    ap.add_argument("--all", action="store_true", help="every split of commits.tsv")
    args = ap.parse_args(argv)
    if args.all == bool(args.split and args.commit):
        ap.error("give a split and a commit, or --all")
    for split, commit in (commits() if args.all else [(args.split, args.commit)]):
        print(make(split, commit), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
