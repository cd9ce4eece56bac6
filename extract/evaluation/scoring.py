"""Precision, recall and F1 at span level and record level.

Span level (the predicted record's ``entities`` against the gold ``spans``):

* strict: a predicted span counts when a gold span has the same start, end and label;
* lenient: a predicted span and a gold span of the same label that share at least one character
  are matched one to one, greedily in text order (each gold span matched at most once);
* per label P/R/F1, micro average (counts summed over labels) and macro average (mean of the
  per-label F1 over labels with gold or predicted support).

Record level, per RECORD.md field, counts summed over pages:

* scalars (kind, title, project_code, …): strings compared with whitespace collapsed, the budget as
  (amount rounded to cents, currency). Both set and equal: TP. Predicted and different: FP, and
  also FN when gold is set. Gold set and nothing predicted: FN. Both null: nothing;
* country lists as sets; ``amounts`` as a multiset of (amount rounded to cents, currency);
* ``deliverables`` matched one to one: first by equal ids (both non-null), then the remaining pairs
  by character overlap |a ∩ b| / max(|a|, |b|) ≥ 0.5, best ratio first;
* micro average over all fields: the counts of every field summed.

P = TP/(TP+FP), R = TP/(TP+FN). With nothing predicted and nothing to find, P = R = F1 = 1;
otherwise an empty denominator gives 0. Names follow spaCy's Scorer where they fit:
``ents_p``, ``ents_r``, ``ents_f``, ``ents_per_type``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .gold import LIST_FIELDS, RECORD_FIELDS, SCALAR_FIELDS


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "PRF") -> "PRF":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def p(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def r(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f(self) -> float:
        p, r = self.p, self.r
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def as_dict(self) -> dict:
        return {"p": self.p, "r": self.r, "f": self.f, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "support": self.support}


# ---------------------------------------------------------------------------------------------
# spans

def _spans(items) -> list[tuple[int, int, str]]:
    return sorted((s["start"], s["end"], s["label"]) for s in items)


def span_counts(gold_spans, pred_spans, lenient: bool = False) -> dict[str, PRF]:
    """Per-label counts for one page."""
    gold, pred = _spans(gold_spans), _spans(pred_spans)
    labels = {g[2] for g in gold} | {p[2] for p in pred}
    out = {lab: PRF() for lab in labels}
    if not lenient:
        gs, ps = Counter(gold), Counter(pred)
        for lab in labels:
            tp = sum(min(gs[k], ps[k]) for k in gs if k[2] == lab)
            out[lab].tp = tp
            out[lab].fp = sum(v for k, v in ps.items() if k[2] == lab) - tp
            out[lab].fn = sum(v for k, v in gs.items() if k[2] == lab) - tp
        return out
    used = [False] * len(gold)
    for ps, pe, pl in pred:
        hit = next((i for i, (gs_, ge, gl) in enumerate(gold)
                    if not used[i] and gl == pl and gs_ < pe and ps < ge), None)
        if hit is None:
            out[pl].fp += 1
        else:
            used[hit] = True
            out[pl].tp += 1
    for i, (_, _, gl) in enumerate(gold):
        if not used[i]:
            out[gl].fn += 1
    return out


@dataclass
class SpanScores:
    per_type: dict[str, PRF] = field(default_factory=dict)

    def add(self, counts: dict[str, PRF]) -> None:
        for lab, c in counts.items():
            self.per_type.setdefault(lab, PRF()).add(c)

    @property
    def micro(self) -> PRF:
        total = PRF()
        for c in self.per_type.values():
            total.add(c)
        return total

    @property
    def macro_f(self) -> float:
        fs = [c.f for c in self.per_type.values()]
        return sum(fs) / len(fs) if fs else 1.0


# ---------------------------------------------------------------------------------------------
# records

def _norm(value):
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict) and "amount" in value:
        return (round(float(value["amount"]), 2), value.get("currency"))
    return value


def scalar_counts(gold, pred) -> PRF:
    g, p = _norm(gold), _norm(pred)
    c = PRF()
    if g is not None and p is not None and g == p:
        c.tp = 1
    else:
        if p is not None:
            c.fp = 1
        if g is not None:
            c.fn = 1
    return c


def set_counts(gold, pred) -> PRF:
    g, p = set(gold or []), set(pred or [])
    return PRF(tp=len(g & p), fp=len(p - g), fn=len(g - p))


def amount_counts(gold, pred) -> PRF:
    key = lambda a: (round(float(a["amount"]), 2), a["currency"])  # noqa: E731
    g, p = Counter(map(key, gold or [])), Counter(map(key, pred or []))
    tp = sum((g & p).values())
    return PRF(tp=tp, fp=sum(p.values()) - tp, fn=sum(g.values()) - tp)


def _overlap(a: dict, b: dict) -> float:
    inter = min(a["end"], b["end"]) - max(a["start"], b["start"])
    longest = max(a["end"] - a["start"], b["end"] - b["start"])
    return max(inter, 0) / longest if longest > 0 else 0.0


def deliverable_pairs(gold, pred) -> list[tuple[int, int]]:
    """One-to-one matching: equal ids first, then character overlap >= 0.5, best first."""
    pairs: list[tuple[int, int]] = []
    free_g, free_p = set(range(len(gold))), set(range(len(pred)))
    for i, g in enumerate(gold):
        if g.get("id") is None:
            continue
        j = next((j for j in sorted(free_p) if pred[j].get("id") == g["id"]), None)
        if j is not None:
            pairs.append((i, j))
            free_g.discard(i)
            free_p.discard(j)
    cands = sorted(((_overlap(gold[i], pred[j]), i, j) for i in free_g for j in free_p), reverse=True)
    for ratio, i, j in cands:
        if ratio >= 0.5 and i in free_g and j in free_p:
            pairs.append((i, j))
            free_g.discard(i)
            free_p.discard(j)
    return pairs


def deliverable_counts(gold, pred) -> PRF:
    gold, pred = gold or [], pred or []
    tp = len(deliverable_pairs(gold, pred))
    return PRF(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)


def field_counts(name: str, gold, pred) -> PRF:
    if name in SCALAR_FIELDS:
        return scalar_counts(gold, pred)
    if name in LIST_FIELDS:
        return set_counts(gold, pred)
    if name == "amounts":
        return amount_counts(gold, pred)
    if name == "deliverables":
        return deliverable_counts(gold, pred)
    raise KeyError(name)


@dataclass
class RecordScores:
    per_field: dict[str, PRF] = field(default_factory=lambda: {f: PRF() for f in RECORD_FIELDS})

    def add_page(self, gold_record: dict, pred_record: dict) -> dict[str, PRF]:
        page = {}
        for f in RECORD_FIELDS:
            c = field_counts(f, gold_record.get(f), pred_record.get(f))
            self.per_field[f].add(c)
            page[f] = c
        return page

    @property
    def micro(self) -> PRF:
        total = PRF()
        for c in self.per_field.values():
            total.add(c)
        return total


# ---------------------------------------------------------------------------------------------
# a whole system

@dataclass
class Evaluation:
    """Scores of one system on a list of gold pages, plus per-page details for the report."""
    strict: SpanScores = field(default_factory=SpanScores)
    lenient: SpanScores = field(default_factory=SpanScores)
    records: RecordScores = field(default_factory=RecordScores)
    pages: int = 0
    page_fields: dict[str, dict[str, PRF]] = field(default_factory=dict)

    def to_json(self) -> dict:
        s, l, r = self.strict, self.lenient, self.records
        return {
            "ents_p": s.micro.p, "ents_r": s.micro.r, "ents_f": s.micro.f, "ents_macro_f": s.macro_f,
            "ents_per_type": {k: v.as_dict() for k, v in sorted(s.per_type.items())},
            "ents_lenient_p": l.micro.p, "ents_lenient_r": l.micro.r, "ents_lenient_f": l.micro.f,
            "ents_lenient_macro_f": l.macro_f,
            "ents_lenient_per_type": {k: v.as_dict() for k, v in sorted(l.per_type.items())},
            "record_micro_p": r.micro.p, "record_micro_r": r.micro.r, "record_micro_f": r.micro.f,
            "record_per_field": {k: v.as_dict() for k, v in r.per_field.items()},
            "support": {
                "pages": self.pages,
                "spans": {k: v.support for k, v in sorted(s.per_type.items())},
                "fields": {k: v.support for k, v in r.per_field.items()},
            },
        }


def evaluate(gold_pages: list[dict], predictions: dict[str, dict]) -> Evaluation:
    """Score predicted records (by page id) against gold pages; a missing prediction scores empty."""
    ev = Evaluation()
    for g in gold_pages:
        pred = predictions.get(g["id"], {})
        ents = pred.get("entities", [])
        ev.strict.add(span_counts(g["spans"], ents))
        ev.lenient.add(span_counts(g["spans"], ents, lenient=True))
        ev.page_fields[g["id"]] = ev.records.add_page(g["record"], pred)
        ev.pages += 1
    # labels with gold support but never predicted still appear (with zero recall)
    for g in gold_pages:
        for s in g["spans"]:
            ev.strict.per_type.setdefault(s["label"], PRF())
            ev.lenient.per_type.setdefault(s["label"], PRF())
    return ev
