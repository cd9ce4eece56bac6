"""Is a record's confidence a probability? Calibration figures for evaluate.py (issue 15 §2).

Records may carry ``evidence``: for each scalar field one entry ``{value, start, end, text, rule,
confidence}`` (a null too: its confidence is that there is nothing to find), and for each list
field one entry per item, in the list's order. Each (value, confidence) is checked against the
gold record the way the record scorer compares that field:

* a scalar is right when it equals the gold value after the scorer's normalisation (whitespace
  collapsed; budgets as (amount to the cent, currency)), null = null included;
* a country code is right when it is in the gold list; an amount when its (amount, currency) is in
  the gold multiset (each gold amount used once, in list order); a deliverable when the scorer's
  one-to-one matching pairs it with a gold deliverable.

From those (confidence, right) pairs, per field, for the scalars, the list items and overall:

* ECE, expected calibration error: the values are put in 10 equal-width bins of confidence
  ([0, .1), [.1, .2) … [.9, 1]); ECE = sum over bins of (share of the values in the bin) x
  |accuracy in the bin - mean confidence in the bin|. 0 is perfect; 0.03 means the stated
  confidence is off by 3 points on average (Guo et al. 2017, "On calibration of modern neural
  networks", after Naeini et al. 2015);
* Brier score: the mean of (confidence - 1{right})^2 (Brier 1950): calibration and sharpness
  together, 0 is perfect, 0.25 is what always saying 0.5 scores;
* the reliability diagram: accuracy against mean confidence per bin;
* the review curve: a reviewer checks the k% least-confident values (k = 5, 10, 20; rounded up to
  whole values; ties kept in record order); the share of all wrong values among those checked.
  It says what the confidence is for: "checking 10% of the values finds 75% of the errors".

Only values the system output are covered (a scalar null is an output; a list item never output
has no confidence: the recall figures count those). Every function here is pure.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .gold import LIST_FIELDS, SCALAR_FIELDS
from .scoring import _norm, deliverable_pairs

BINS = 10
REVIEW_KS = (5, 10, 20)
NO_CONFIDENCES = "no confidences in these records"


@dataclass(frozen=True)
class Outcome:
    """One value a system output, its confidence, and whether the gold agrees."""
    page: str
    field: str
    position: int | None      # index in the list; None for a scalar
    value: object
    confidence: float
    right: bool
    text: str | None = None
    rule: str | None = None


def _confidence(entry) -> float | None:
    if not isinstance(entry, dict):
        return None
    c = entry.get("confidence")
    if isinstance(c, bool) or not isinstance(c, (int, float)) or not 0 <= c <= 1:
        return None
    return float(c)


def _money_key(v) -> tuple | None:
    if isinstance(v, dict) and "amount" in v:
        try:
            return (round(float(v["amount"]), 2), v.get("currency"))
        except (TypeError, ValueError):
            return None
    return None


def scalar_right(gold, pred) -> bool:
    """Right as the scorer sees it, null = null included.

    >>> scalar_right(None, None), scalar_right("2024", None), scalar_right("a  b", "a b")
    (True, False, True)
    >>> scalar_right({"amount": 1.0, "currency": "USD"}, {"amount": 1.004, "currency": "USD"})
    True
    """
    return _norm(gold) == _norm(pred)


def list_rights(field: str, gold_list, pred_items: list) -> list[bool]:
    """Right or wrong for each predicted item of a list field, in order.

    >>> list_rights("countries_mentioned", ["CU", "MX"], ["MX", "AR"])
    [True, False]
    >>> usd = {"amount": 5.0, "currency": "USD"}
    >>> list_rights("amounts", [usd], [usd, usd])          # one gold amount, used once
    [True, False]
    """
    gold_list = gold_list or []
    if field in LIST_FIELDS:
        g = set(gold_list)
        return [p in g for p in pred_items]
    if field == "amounts":
        left = Counter(_money_key(a) for a in gold_list)
        out = []
        for p in pred_items:
            k = _money_key(p)
            ok = k is not None and left[k] > 0
            if ok:
                left[k] -= 1
            out.append(ok)
        return out
    if field == "deliverables":
        usable = [p if isinstance(p, dict) and "start" in p and "end" in p else {"id": None, "start": 0, "end": 0}
                  for p in pred_items]
        matched = {j for _, j in deliverable_pairs(gold_list, usable)}
        return [j in matched for j in range(len(pred_items))]
    raise KeyError(field)


def _list_item(field: str, entry: dict, record_item):
    """The value an evidence entry of a list field stands for: the record's item at the same
    position when there is one (the evidence list follows the record's order), else its value
    (with the entry's offsets, for deliverables)."""
    if record_item is not None:
        return record_item
    v = entry.get("value")
    if field == "deliverables" and not isinstance(v, dict):
        return {"id": None, "start": entry.get("start") or 0, "end": entry.get("end") or 0}
    return v


def page_outcomes(page_id: str, gold_record: dict, pred_record: dict) -> list[Outcome]:
    """Every value with a confidence in one predicted record, judged against the gold record."""
    evidence = pred_record.get("evidence")
    if not isinstance(evidence, dict):
        return []
    out: list[Outcome] = []
    for f in SCALAR_FIELDS:
        entry = evidence.get(f)
        c = _confidence(entry)
        if c is None:
            continue
        value = entry["value"] if "value" in entry else pred_record.get(f)
        out.append(Outcome(page_id, f, None, value, c, scalar_right(gold_record.get(f), value),
                           entry.get("text"), entry.get("rule")))
    for f in LIST_FIELDS + ("amounts", "deliverables"):
        entries = evidence.get(f)
        if not isinstance(entries, list):
            continue
        rec_list = pred_record.get(f) if isinstance(pred_record.get(f), list) else []
        kept = [(k, e, _confidence(e)) for k, e in enumerate(entries)]
        kept = [(k, e, c) for k, e, c in kept if c is not None]
        items = [_list_item(f, e, rec_list[k] if k < len(rec_list) and len(rec_list) == len(entries) else None)
                 for k, e, _ in kept]
        rights = list_rights(f, gold_record.get(f), items)
        for (k, e, c), item, ok in zip(kept, items, rights):
            out.append(Outcome(page_id, f, k, e.get("value", item), c, ok, e.get("text"), e.get("rule")))
    return out


def has_confidences(records) -> bool:
    """Does any record carry an evidence entry with a confidence?"""
    for r in records:
        ev = r.get("evidence") if isinstance(r, dict) else None
        if isinstance(ev, dict):
            for entry in ev.values():
                entries = entry if isinstance(entry, list) else [entry]
                if any(_confidence(e) is not None for e in entries):
                    return True
    return False


# ---------------------------------------------------------------------------------------------
# the figures (pure functions of confidences and rights)

def bin_of(confidence: float, bins: int = BINS) -> int:
    """Equal-width bin of a confidence; 1.0 goes in the last bin; the 1e-9 keeps 0.3 (which is
    0.29999… in binary after some arithmetic) in the bin its decimal writing says.

    >>> [bin_of(x) for x in (0.0, 0.05, 0.1, 0.3, 0.99, 1.0)]
    [0, 0, 1, 3, 9, 9]
    """
    return min(int(math.floor(confidence * bins + 1e-9)), bins - 1)


def reliability(confidences, rights, bins: int = BINS) -> list[dict]:
    """Per bin: its bounds, how many values, their mean confidence and their accuracy (None
    for an empty bin)."""
    n = [0] * bins
    conf = [0.0] * bins
    ok = [0] * bins
    for c, r in zip(confidences, rights):
        b = bin_of(c, bins)
        n[b] += 1
        conf[b] += c
        ok[b] += bool(r)
    return [{"lo": b / bins, "hi": (b + 1) / bins, "n": n[b],
             "confidence": conf[b] / n[b] if n[b] else None,
             "accuracy": ok[b] / n[b] if n[b] else None} for b in range(bins)]


def ece(confidences, rights, bins: int = BINS) -> float | None:
    """Expected calibration error over equal-width bins (None without values).

    >>> ece([0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9], [True] * 9 + [False])
    0.0
    """
    total = len(confidences)
    if total == 0:
        return None
    err = sum(b["n"] / total * abs(b["accuracy"] - b["confidence"])
              for b in reliability(confidences, rights, bins) if b["n"])
    return round(err, 12)


def brier(confidences, rights) -> float | None:
    """Mean squared difference between confidence and the outcome (1 right, 0 wrong).

    >>> brier([1.0, 0.5], [True, False])
    0.125
    """
    if not confidences:
        return None
    return sum((c - float(bool(r))) ** 2 for c, r in zip(confidences, rights)) / len(confidences)


def review_curve(confidences, rights, ks=REVIEW_KS) -> dict[str, dict]:
    """For each k: the ceil(k% of n) least-confident values checked, how many wrong ones that finds,
    and their share of all wrong values (None when nothing is wrong).

    >>> review_curve([0.2, 0.9, 0.5, 0.95], [False, True, False, True], ks=(25, 50))
    {'25': {'checked': 1, 'found': 1, 'share': 0.5}, '50': {'checked': 2, 'found': 2, 'share': 1.0}}
    """
    order = sorted(range(len(confidences)), key=lambda i: (confidences[i], i))
    wrong = sum(1 for r in rights if not r)
    out = {}
    for k in ks:
        m = math.ceil(k * len(order) / 100 - 1e-9)
        found = sum(1 for i in order[:m] if not rights[i])
        out[str(k)] = {"checked": m, "found": found, "share": found / wrong if wrong else None}
    return out


def figures(confidences, rights, bins: int = BINS, ks=REVIEW_KS, with_bins: bool = False) -> dict:
    """Every calibration figure of one group of values."""
    n = len(confidences)
    out = {"n": n, "wrong": sum(1 for r in rights if not r),
           "accuracy": sum(1 for r in rights if r) / n if n else None,
           "mean_confidence": sum(confidences) / n if n else None,
           "ece": ece(confidences, rights, bins), "brier": brier(confidences, rights),
           "review": review_curve(confidences, rights, ks)}
    if with_bins:
        out["reliability"] = reliability(confidences, rights, bins)
    return out


def summarise(outcomes: list[Outcome], bins: int = BINS, ks=REVIEW_KS) -> dict:
    """Overall, scalars, list items and per field (fields without values left out)."""
    if not outcomes:
        return {"note": NO_CONFIDENCES}

    def group(items: list[Outcome], with_bins: bool = False) -> dict:
        return figures([o.confidence for o in items], [o.right for o in items], bins, ks, with_bins)

    scalars = [o for o in outcomes if o.position is None]
    lists = [o for o in outcomes if o.position is not None]
    per_field = {}
    for f in SCALAR_FIELDS + LIST_FIELDS + ("amounts", "deliverables"):
        items = [o for o in outcomes if o.field == f]
        if items:
            per_field[f] = group(items)
    return {"bins": bins, "review_ks": list(ks), "overall": group(outcomes, True),
            "scalars": group(scalars, True), "lists": group(lists, True), "per_field": per_field}


def least_confident_wrong(outcomes: list[Outcome], limit: int = 10) -> list[Outcome]:
    """The wrong values a reviewer would reach first (for the report)."""
    return sorted((o for o in outcomes if not o.right), key=lambda o: (o.confidence, o.page, o.field))[:limit]
