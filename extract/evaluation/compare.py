"""`evaluate.py --compare A.jsonl B.jsonl`: what changed between two runs on the same pages.

What a maintainer reads before shipping a change: per field the F1 of A and of B, the delta with a
paired-bootstrap p-value (both runs resampled with the same pages: bootstrap.paired_test), and
every page whose record changed, with the fields that changed (A's value, B's value, the gold
value) and whether the change fixed or broke that field on that page.
"""
from __future__ import annotations

import numpy as np

from .bootstrap import paired_test
from .gold import LIST_FIELDS, RECORD_FIELDS
from .scoring import Evaluation, _norm
from .summary import page_counts


def scored_view(name: str, value):
    """A field's value as the scorer sees it (so a change the scorer ignores is no change).

    >>> scored_view("countries_mentioned", ["MX", "CU"]), scored_view("title", " a  b ")
    (['CU', 'MX'], 'a b')
    >>> scored_view("amounts", [{"amount": 5, "currency": "USD", "text": "5 $", "start": 0, "end": 3}])
    [[5.0, 'USD']]
    """
    if name in LIST_FIELDS:
        return sorted(value or [])
    if name == "amounts":
        return sorted([round(float(a["amount"]), 2), a.get("currency")] for a in value or [])
    if name == "deliverables":
        return sorted([d.get("id"), d.get("start"), d.get("end"), d.get("text")] for d in value or [])
    v = _norm(value)
    return list(v) if isinstance(v, tuple) else v


def _errors(ev: Evaluation, pid: str, f: str) -> int:
    c = ev.page_fields[pid][f]
    return c.fp + c.fn


def changed_pages(gold_pages: list[dict], preds_a: dict, preds_b: dict, ev_a: Evaluation,
                  ev_b: Evaluation) -> list[dict]:
    """Pages whose scored record or spans differ between A and B, each with its diff."""
    out = []
    for g in gold_pages:
        pid = g["id"]
        a, b = preds_a.get(pid, {}), preds_b.get(pid, {})
        fields = []
        for f in RECORD_FIELDS:
            va, vb = scored_view(f, a.get(f)), scored_view(f, b.get(f))
            if va == vb:
                continue
            ea, eb = _errors(ev_a, pid, f), _errors(ev_b, pid, f)
            verdict = "fixed" if eb < ea and eb == 0 else "better" if eb < ea else "broken" if ea == 0 < eb \
                else "worse" if eb > ea else "changed"
            item = {"field": f, "a": va, "b": vb, "gold": scored_view(f, g["record"].get(f)), "verdict": verdict}
            if isinstance(va, list) and isinstance(vb, list):
                item["removed"] = [x for x in va if x not in vb]
                item["added"] = [x for x in vb if x not in va]
            fields.append(item)
        sa = {(e["start"], e["end"], e["label"]) for e in a.get("entities", [])}
        sb = {(e["start"], e["end"], e["label"]) for e in b.get("entities", [])}
        text = g["text"]
        spans = {"removed": [[s, e, lab, text[s:e]] for s, e, lab in sorted(sa - sb)],
                 "added": [[s, e, lab, text[s:e]] for s, e, lab in sorted(sb - sa)]}
        if fields or spans["removed"] or spans["added"]:
            out.append({"id": pid, "fields": fields, "spans": spans})
    return out


def compare(gold_pages: list[dict], preds_a: dict, preds_b: dict, ev_a: Evaluation, ev_b: Evaluation,
            weights: np.ndarray, names: tuple[str, str]) -> dict:
    """Per field, the record micro average and the strict span micro average: F1 of A, of B, the
    delta, its 95% interval and p-value; then the changed pages."""
    fields = {}
    for f in RECORD_FIELDS:
        t = paired_test(page_counts(ev_a, "fields", f), page_counts(ev_b, "fields", f), weights)
        t["support"] = ev_a.records.per_field[f].support
        fields[f] = t
    labels = sorted(set(ev_a.strict.per_type) | set(ev_b.strict.per_type))
    return {
        "a": names[0], "b": names[1], "pages": len(gold_pages),
        "record_micro": paired_test(page_counts(ev_a, "fields"), page_counts(ev_b, "fields"), weights),
        "ents_micro": paired_test(page_counts(ev_a, "strict"), page_counts(ev_b, "strict"), weights),
        "per_field": fields,
        "ents_per_type": {lab: paired_test(page_counts(ev_a, "strict", lab), page_counts(ev_b, "strict", lab), weights)
                          for lab in labels},
        "changed_pages": changed_pages(gold_pages, preds_a, preds_b, ev_a, ev_b),
    }
