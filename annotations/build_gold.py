"""Compile the hand-written source files (annotations/source/*.json) into annotations/gold.jsonl.

The annotator chooses every string and every value by reading the page (see GUIDELINE.md);
this script only finds *where* a chosen string is, turning strings into character offsets,
and derives the three list fields that are pure functions of the spans
(countries_mentioned, amounts, deliverables).

    python annotations/build_gold.py            # write gold.jsonl
    python annotations/build_gold.py --show ID  # print one page's spans in context
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE_DIR = HERE / "source"
GOLD = HERE / "gold.jsonl"

RECORD_FIELDS = [
    "kind", "title", "project_code", "prima_id", "budget", "start_date", "end_date",
    "approval_year", "duration_months", "status", "project_type", "coverage", "region",
    "mission", "beneficiary_countries", "non_eligible_countries",
]


class SourceError(ValueError):
    pass


def read_text(path: Path) -> str:
    # Same decoding as the extractor's reader for .txt: UTF-8, BOM dropped, newlines kept as-is.
    return path.read_bytes().decode("utf-8-sig")


def whole_word_occurrences(text: str, needle: str, lo: int) -> list[int]:
    """Start offsets of `needle` in text[lo:] not glued to a letter or digit on either side.

    >>> whole_word_occurrences("Niger Nigeria Niger", "Niger", 0)
    [0, 14]
    >>> whole_word_occurrences("ChiliUruguay", "Uruguay", 0)  # camel-case run-together counts
    [5]
    """
    out = []
    start = lo
    while True:
        i = text.find(needle, start)
        if i < 0:
            return out
        j = i + len(needle)
        before = text[i - 1] if i > 0 else " "
        after = text[j] if j < len(text) else " "
        left_ok = not before.isalnum() or (before.islower() and needle[:1].isupper())
        right_ok = not after.isalnum() or (after.isupper() and needle[-1:].islower())
        if left_ok and right_ok:
            out.append(i)
        start = i + 1


def resolve(page_text: str, src: dict) -> list[dict]:
    cs = src.get("content_start")
    lo = 0
    if cs:
        lo = page_text.find(cs)
        if lo < 0:
            raise SourceError(f"content_start {cs!r} not found")
    spans = []
    for k, s in enumerate(src.get("spans", [])):
        label, needle = s["label"], s["text"]
        occ = whole_word_occurrences(page_text, needle, lo)
        if not occ:
            raise SourceError(f"span #{k} {label} {needle!r} not found in content")
        n = s.get("n", 1)
        starts = occ if n == "all" else [occ[n - 1]] if 0 < n <= len(occ) else None
        if starts is None:
            raise SourceError(f"span #{k} {label} {needle!r}: occurrence {n} of {len(occ)}")
        for st in starts:
            en = st + len(needle)
            if s.get("to"):
                t = page_text.find(s["to"], en)
                if t < 0:
                    raise SourceError(f"span #{k} {label}: end {s['to']!r} not found after {needle!r}")
                en = t + len(s["to"])
            span = {"start": st, "end": en, "label": label}
            for extra in ("iso", "amount", "currency", "id"):
                if extra in s:
                    span[extra] = s[extra]
            spans.append(span)
    spans.sort(key=lambda x: (x["start"], x["end"]))
    for a, b in zip(spans, spans[1:]):
        # two spans of one label never overlap; a DELIVERABLE may contain other labels' spans
        if b["start"] < a["end"] and a["label"] == b["label"]:
            raise SourceError(f"overlapping {a['label']} spans {page_text[a['start']:a['end']]!r} / "
                              f"{page_text[b['start']:b['end']]!r}")
    return spans


def build_line(src: dict) -> dict:
    path = ROOT / src["path"]
    text = read_text(path)
    spans = resolve(text, src)
    rec = {f: src["record"].get(f) for f in RECORD_FIELDS}
    for f in ("beneficiary_countries", "non_eligible_countries"):
        rec[f] = rec[f] or []
    countries = []
    for s in spans:
        if s["label"] == "COUNTRY" and s["iso"] not in countries:
            countries.append(s["iso"])
    rec["countries_mentioned"] = countries
    rec["amounts"] = [
        {"amount": float(s["amount"]), "currency": s["currency"], "text": text[s["start"]:s["end"]],
         "start": s["start"], "end": s["end"]}
        for s in spans if s["label"] in ("BUDGET", "MONEY")
    ]
    rec["deliverables"] = [
        {"id": s.get("id"), "text": text[s["start"]:s["end"]], "start": s["start"], "end": s["end"]}
        for s in spans if s["label"] == "DELIVERABLE"
    ]
    out_spans = []
    for s in spans:
        o = {"start": s["start"], "end": s["end"], "label": s["label"]}
        if s["label"] == "COUNTRY":
            o["iso"] = s["iso"]
        out_spans.append(o)
    return {"id": src["id"], "path": src["path"], "text": text, "spans": out_spans, "record": rec}


def load_sources() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(SOURCE_DIR.glob("*.json"))]


def show(line: dict) -> None:
    t = line["text"]
    for s in line["spans"]:
        ctx = t[max(0, s["start"] - 25):s["start"]].replace("\n", "⏎")
        after = t[s["end"]:s["end"] + 15].replace("\n", "⏎")
        print(f'{s["label"]:<13}{s["start"]:>6}-{s["end"]:<6} …{ctx}[{t[s["start"]:s["end"]]}]{after}…')
    print(json.dumps(line["record"], ensure_ascii=False, indent=1))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", metavar="ID", help="print one page's resolved spans and record")
    ap.add_argument("--out", type=Path, default=GOLD)
    args = ap.parse_args(argv)
    failures = 0
    lines = []
    for src in load_sources():
        if args.show and src["id"] != args.show:
            continue
        try:
            line = build_line(src)
        except (SourceError, KeyError, FileNotFoundError) as e:
            print(f"{src.get('id')}: {e}", file=sys.stderr)
            failures += 1
            continue
        if args.show:
            show(line)
            return 0
        lines.append(line)
    if args.show:
        print(f"no source for {args.show}", file=sys.stderr)
        return 1
    order = {p: i for i, p in enumerate(sorted(l["path"] for l in lines))}
    lines.sort(key=lambda l: order[l["path"]])
    with open(args.out, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"wrote {len(lines)} pages to {args.out}; {failures} source files failed", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
