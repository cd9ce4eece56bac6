"""One JSON document per run: every figure the console, report.md and report.html show.

The renderings read this document only, so a number in the HTML is the number in the JSON
(tested). Per system it holds the keys evaluate.py always wrote (spaCy Scorer names) and adds:
a 95% bootstrap interval beside every P/R/F1 (``p_ci``, ``r_ci``, ``f_ci``; ``ents_f_ci``,
``record_micro_f_ci`` …), which figures are defined (``defined``) and attempted (``attempted``),
the span error categories (``ents_errors``), the pages with errors (``error_pages``) and the
calibration figures (``calibration``).
"""
from __future__ import annotations

import numpy as np

from .bootstrap import macro_f_interval, prf_intervals
from .calibration import NO_CONFIDENCES, page_outcomes, summarise
from .scoring import CATEGORIES, PRF, Evaluation

ERROR_CATEGORIES = ("wrong_label", "partial", "missed", "spurious")


def _row(c: PRF | None) -> list[int]:
    return [c.tp, c.fp, c.fn] if c is not None else [0, 0, 0]


def page_counts(ev: Evaluation, kind: str, key: str | None = None) -> np.ndarray:
    """(pages, 3) tp/fp/fn of one label ("strict"/"lenient") or field ("fields") per page; key None:
    summed over labels or fields (the micro average's counts)."""
    table = {"strict": ev.page_strict, "lenient": ev.page_lenient, "fields": ev.page_fields}[kind]
    rows = []
    for pid in ev.page_ids:
        page = table[pid]
        if key is None:
            rows.append(np.sum([_row(c) for c in page.values()], axis=0) if page else [0, 0, 0])
        else:
            rows.append(_row(page.get(key)))
    return np.array(rows, dtype=float).reshape(len(ev.page_ids), 3)


def label_counts(ev: Evaluation, kind: str, labels: list[str]) -> np.ndarray:
    """(pages, labels, 3), for the macro average's interval."""
    table = ev.page_strict if kind == "strict" else ev.page_lenient
    return np.array([[_row(table[pid].get(lab)) for lab in labels] for pid in ev.page_ids],
                    dtype=float).reshape(len(ev.page_ids), len(labels), 3)


def _with_ci(d: dict, c: PRF, counts: np.ndarray, weights: np.ndarray, attempted: bool) -> dict:
    d = dict(d)
    d.update(prf_intervals(counts, weights) if len(counts) else {"p_ci": None, "r_ci": None, "f_ci": None})
    d["defined"] = c.defined()
    d["attempted"] = attempted
    return d


def error_pages(ev: Evaluation) -> list[dict]:
    """Pages with at least one error of an attempted kind: a span not correct (a gold span of a label
    the system does not attempt is not an error of it) or a field with FP or FN."""
    out = []
    for pid in ev.page_ids:
        cats = {k: 0 for k in ERROR_CATEGORIES}
        for lab, c in ev.page_categories[pid].items():
            for k in ERROR_CATEGORIES:
                if k == "missed" and not ev.attempts_label(lab):
                    continue
                cats[k] += c[k]
        fields = [f for f, c in ev.page_fields[pid].items() if (c.fp or c.fn) and ev.attempts_field(f)]
        if any(cats.values()) or fields:
            out.append({"id": pid, **cats, "fields": fields})
    return out


def system_summary(ev: Evaluation, weights: np.ndarray, gold_pages: list[dict] | None = None,
                   predictions: dict[str, dict] | None = None) -> dict:
    """The JSON of one system: Evaluation.to_json() plus intervals, categories, errors, calibration."""
    d = ev.to_json()
    for kind, key in (("strict", "ents_per_type"), ("lenient", "ents_lenient_per_type")):
        scores = ev.strict if kind == "strict" else ev.lenient
        d[key] = {lab: _with_ci(v, scores.per_type[lab], page_counts(ev, kind, lab), weights, ev.attempts_label(lab))
                  for lab, v in d[key].items()}
        prefix = "ents" if kind == "strict" else "ents_lenient"
        ci = prf_intervals(page_counts(ev, kind), weights) if ev.page_ids else {}
        for m in ("p", "r", "f"):
            d[f"{prefix}_{m}_ci"] = ci.get(f"{m}_ci")
        d[f"{prefix}_defined"] = scores.micro.defined()
        labels = sorted(scores.per_type)
        d[f"{prefix}_macro_f_ci"] = macro_f_interval(label_counts(ev, kind, labels), weights) if labels else None
    d["record_per_field"] = {f: _with_ci(v, ev.records.per_field[f], page_counts(ev, "fields", f), weights,
                                         ev.attempts_field(f))
                             for f, v in d["record_per_field"].items()}
    ci = prf_intervals(page_counts(ev, "fields"), weights) if ev.page_ids else {}
    for m in ("p", "r", "f"):
        d[f"record_micro_{m}_ci"] = ci.get(f"{m}_ci")
    d["record_defined"] = ev.records.micro.defined()
    d["attempted_fields"] = sorted(ev.attempted_fields) if ev.attempted_fields is not None else None
    d["attempted_labels"] = sorted(ev.attempted_labels) if ev.attempted_labels is not None else None
    d["ents_errors"] = {lab: {k: c.get(k, 0) for k in CATEGORIES} for lab, c in sorted(ev.categories.items())}
    d["error_pages"] = error_pages(ev)
    d["calibration"] = calibration_summary(gold_pages or [], predictions or {})
    return d


def calibration_summary(gold_pages: list[dict], predictions: dict[str, dict]) -> dict:
    outcomes = []
    for g in gold_pages:
        p = predictions.get(g["id"])
        if p:
            outcomes += page_outcomes(g["id"], g["record"], p)
    return summarise(outcomes) if outcomes else {"note": NO_CONFIDENCES}


def all_outcomes(gold_pages: list[dict], predictions: dict[str, dict]) -> list:
    out = []
    for g in gold_pages:
        p = predictions.get(g["id"])
        if p:
            out += page_outcomes(g["id"], g["record"], p)
    return out


# ---------------------------------------------------------------------------------------------
# how a figure is shown

def cell(d: dict, metric: str) -> str:
    """The state of one figure of a per-field/per-label dict: "value", "n/a" or "—".

    >>> cell({"attempted": False, "defined": {"f": True}}, "f"), cell({"attempted": True, "defined": {"f": False}}, "f")
    ('—', 'n/a')
    """
    if not d.get("attempted", True):
        return "—"
    if not d.get("defined", {}).get(metric, True):
        return "n/a"
    return "value"

