"""Count how a phrasing behaves in the gold before a rule is written from it, on the pages a rule
may be developed on only.

    python -m extract.evaluation.scan "donner\\w*\\s+le\\s+départ"             # training + read pages
    python -m extract.evaluation.scan "a\\s+reçu" --label BUDGET --label MONEY  # the sums after it
    python -m extract.evaluation.scan "premières\\s+phases" --split written47_read

Every match prints the page id, the gold record's budget, start, end and duration, the matched
text in its context, and the gold spans (label and text) that start within ``--after`` characters
after the match. The splits scanned are the training splits and the read ones
(``READ_NOT_TRAINED``) unless named; a split that holds any page of ``never_trained`` (the blind
splits and the arbiters) is refused, because reading a blind page's text or gold while writing a
rule is what its blind score is meant to exclude (docs/scores/s39_decision.md: a whole-gold scan
printed 29 blind pages' sentences). The last line gives the counts: matches, pages, and spans by
label.
"""
from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

from .gold import GOLD_PATH, READ_NOT_TRAINED, SPLIT_PATH, SPLITS, load_gold, load_split, split_names

DEFAULT_SPLITS = ("training", *READ_NOT_TRAINED)


class BlindSplitError(ValueError):
    """A split that holds blind pages was asked for."""


def pages_to_scan(gold: list[dict], splits: tuple[str, ...], split_path: Path | str = SPLIT_PATH) -> list[dict]:
    """The gold pages of ``splits``, refusing any split that holds a page of never_trained.

    >>> from extract.evaluation.examples import gold_pages
    >>> import json, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "split.json")
    >>> _ = open(p, "w").write(json.dumps({"dev": ["p1", "nav"], "test": ["ok"]}))
    >>> [g["id"] for g in pages_to_scan(gold_pages(), ("dev",), p)]
    ['p1', 'nav']
    >>> pages_to_scan(gold_pages(), ("test",), p)
    Traceback (most recent call last):
    ...
    extract.evaluation.scan.BlindSplitError: split 'test' holds 1 page(s) no rule may be developed on (e.g. ok)
    """
    split = load_split(split_path)
    ids_of = lambda name: {i for n in split_names(name) for i in split.get(n) or []}  # noqa: E731
    blind = ids_of("never_trained")
    out, seen = [], set()
    for name in splits:
        wanted = ids_of(name)
        chosen = gold if name == "all" else [g for g in gold if g["id"] in wanted]
        hit = sorted(g["id"] for g in chosen if g["id"] in blind)
        if hit:
            raise BlindSplitError(f"split {name!r} holds {len(hit)} page(s) no rule may be developed on (e.g. {hit[0]})")
        out += [g for g in chosen if g["id"] not in seen]
        seen |= {g["id"] for g in chosen}
    return out


def scan(pages: list[dict], pattern: str, context: int = 90, after: int = 200,
         labels: tuple[str, ...] = ()) -> tuple[list[str], dict]:
    """The lines to print for every match of ``pattern`` (case-insensitive) and the counts.

    >>> from extract.evaluation.examples import gold_pages
    >>> lines, counts = scan(gold_pages(), r"reçoit", context=30, labels=("MONEY",))
    >>> print(lines[0])
    p1  budget=None start=None end=None duration=None | Cuba [reçoit] 100 000 dollars en 2024. | MONEY «100 000 dollars»
    >>> counts["matches"], counts["pages"], dict(counts["labels"])
    (1, 1, {'MONEY': 1})
    """
    rx = re.compile(pattern, re.IGNORECASE)
    lines, labelled, pages_hit, matches = [], collections.Counter(), set(), 0
    for g in pages:
        text, rec = g["text"], g["record"]
        for m in rx.finditer(text):
            matches += 1
            pages_hit.add(g["id"])
            near = [s for s in g["spans"] if m.end() <= s["start"] <= m.end() + after
                    and (not labels or s["label"] in labels)]
            labelled.update(s["label"] for s in near)
            budget = rec.get("budget")
            shown = (f"{text[max(0, m.start() - context):m.start()]}[{m.group(0)}]"
                     f"{text[m.end():m.end() + context]}").replace("\n", "⏎")
            spans = "; ".join(f"{s['label']} «{text[s['start']:s['end']]}»" for s in near).replace("\n", "⏎")
            lines.append(f"{g['id']}  budget={budget and budget.get('amount')} start={rec.get('start_date')} "
                         f"end={rec.get('end_date')} duration={rec.get('duration_months')} | {shown}"
                         + (f" | {spans}" if spans else ""))
    return lines, {"matches": matches, "pages": len(pages_hit), "labels": labelled}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extract.evaluation.scan", description=__doc__.splitlines()[0])
    ap.add_argument("pattern", help="a regular expression, matched case-insensitively in each page's text")
    ap.add_argument("--split", action="append", choices=SPLITS,
                    help=f"a split to scan (repeatable; default: {', '.join(DEFAULT_SPLITS)})")
    ap.add_argument("--label", action="append", default=[], help="show only gold spans of this label (repeatable)")
    ap.add_argument("--context", type=int, default=90, help="characters of text shown on each side of a match")
    ap.add_argument("--after", type=int, default=200, help="gold spans starting this many characters after a match")
    ap.add_argument("--gold", type=Path, default=GOLD_PATH)
    ap.add_argument("--split-file", type=Path, default=SPLIT_PATH)
    args = ap.parse_args(argv)
    try:
        re.compile(args.pattern)
    except re.error as e:
        print(f"scan: not a regular expression: {e}", file=sys.stderr)
        return 2
    try:
        pages = pages_to_scan(load_gold(args.gold), tuple(args.split or DEFAULT_SPLITS), args.split_file)
    except BlindSplitError as e:
        print(f"scan: {e}", file=sys.stderr)
        return 2
    lines, counts = scan(pages, args.pattern, args.context, args.after, tuple(args.label))
    for line in lines:
        print(line)
    by_label = ", ".join(f"{k} {v}" for k, v in sorted(counts["labels"].items())) or "no span"
    print(f"{counts['matches']} matches on {counts['pages']} of {len(pages)} pages; spans after them: {by_label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
