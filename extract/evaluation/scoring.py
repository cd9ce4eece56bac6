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
otherwise an empty denominator gives 0 (the JSON keeps these figures; the report shows such a
cell as "n/a", see :func:`defined`). Names follow spaCy's Scorer where they fit:
``ents_p``, ``ents_r``, ``ents_f``, ``ents_per_type``.

Span errors are also sorted into the categories of SemEval-2013 task 9.1 / nervaluate
(:func:`span_categories`): correct, wrong label, boundary only (partial), missed, spurious.
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

    def defined(self) -> dict[str, bool]:
        """Which of P, R, F1 have a non-empty denominator. P and R of a field with nothing to find
        and nothing predicted are 1.0 by convention; the report says "n/a" there instead, because
        a 1.000 for a field the gold never fills (mission) reads as a success.

        >>> PRF().defined(), PRF(fn=2).defined()["p"], PRF(fp=1).defined()["f"]
        ({'p': False, 'r': False, 'f': False}, False, True)
        """
        return {"p": self.tp + self.fp > 0, "r": self.tp + self.fn > 0, "f": self.tp + self.fp + self.fn > 0}


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
# span error categories (SemEval-2013 task 9.1, as nervaluate counts them)

CATEGORIES = ("correct", "wrong_label", "partial", "missed", "spurious")


def span_categories(gold_spans, pred_spans) -> tuple[dict[str, dict[str, int]], list[dict]]:
    """Sort one page's spans into the five categories, and say where each is.

    Pairs are made one to one, in this order: same start, end and label (correct); same start and
    end, another label (wrong_label); same label, overlapping, other boundaries (partial: boundary
    only), the largest overlap first; the gold spans left are missed, the predicted ones spurious.
    A span that overlaps one of another label with other boundaries is counted missed + spurious
    (nervaluate's "type" scheme would call it incorrect; here a DELIVERABLE contains COUNTRY spans
    by design, so an overlap across labels is no evidence of a confusion). Counts go under the gold
    span's label (spurious: the predicted one's), so per label
    correct + wrong_label + partial + missed = gold spans, and
    correct = the strict TP, strict FN = wrong_label + partial + missed.

    Returns ``(counts, marks)``: counts[label][category], and one mark per span to draw
    (start, end, label, cat; wrong_label also pred_label; partial has side "gold" or "pred").

    >>> c, m = span_categories([S(0, 4, "DATE"), S(10, 20, "MONEY")], [S(0, 5, "DATE"), S(10, 20, "BUDGET")])
    >>> c["DATE"]["partial"], c["MONEY"]["wrong_label"], [x["cat"] for x in m]
    (1, 1, ['partial', 'partial', 'wrong_label'])
    """
    gold, pred = _spans(gold_spans), _spans(pred_spans)
    free_g, free_p = list(range(len(gold))), list(range(len(pred)))
    counts: dict[str, dict[str, int]] = {}
    marks: list[dict] = []

    def bump(label: str, cat: str) -> None:
        counts.setdefault(label, dict.fromkeys(CATEGORIES, 0))[cat] += 1

    def pair(test) -> list[tuple[int, int]]:
        out = []
        for i in list(free_g):
            j = next((j for j in free_p if test(gold[i], pred[j])), None)
            if j is not None:
                out.append((i, j))
                free_g.remove(i)
                free_p.remove(j)
        return out

    for i, j in pair(lambda g, p: g == p):
        bump(gold[i][2], "correct")
        marks.append({"start": gold[i][0], "end": gold[i][1], "label": gold[i][2], "cat": "correct"})
    for i, j in pair(lambda g, p: g[:2] == p[:2]):
        bump(gold[i][2], "wrong_label")
        marks.append({"start": gold[i][0], "end": gold[i][1], "label": gold[i][2], "cat": "wrong_label",
                      "pred_label": pred[j][2]})
    overlaps = sorted(((min(g[1], p[1]) - max(g[0], p[0]), i, j) for i in free_g for j in free_p
                       for g, p in [(gold[i], pred[j])] if g[2] == p[2] and g[0] < p[1] and p[0] < g[1]),
                      key=lambda t: (-t[0], t[1], t[2]))
    for _, i, j in overlaps:
        if i in free_g and j in free_p:
            free_g.remove(i)
            free_p.remove(j)
            bump(gold[i][2], "partial")
            for side, (s, e, lab) in (("gold", gold[i]), ("pred", pred[j])):
                marks.append({"start": s, "end": e, "label": lab, "cat": "partial", "side": side})
    for i in free_g:
        bump(gold[i][2], "missed")
        marks.append({"start": gold[i][0], "end": gold[i][1], "label": gold[i][2], "cat": "missed"})
    for j in free_p:
        bump(pred[j][2], "spurious")
        marks.append({"start": pred[j][0], "end": pred[j][1], "label": pred[j][2], "cat": "spurious"})
    marks.sort(key=lambda m: (m["start"], -m["end"], m["cat"]))
    return counts, marks


def S(start: int, end: int, label: str) -> dict:
    """A span (for doctests and tests)."""
    return {"start": start, "end": end, "label": label}


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
    """Scores of one system on a list of gold pages, plus per-page details for the report and the
    bootstrap (which resamples pages, so it needs every page's own counts).

    ``attempted_fields`` / ``attempted_labels``: what the system tries to fill (None: everything).
    A field it does not attempt is still scored (its gold values count as missed in the micro
    average, as before), but the report shows "—" rather than a 0.000 that reads as failure."""
    strict: SpanScores = field(default_factory=SpanScores)
    lenient: SpanScores = field(default_factory=SpanScores)
    records: RecordScores = field(default_factory=RecordScores)
    pages: int = 0
    page_ids: list[str] = field(default_factory=list)
    page_fields: dict[str, dict[str, PRF]] = field(default_factory=dict)
    page_strict: dict[str, dict[str, PRF]] = field(default_factory=dict)
    page_lenient: dict[str, dict[str, PRF]] = field(default_factory=dict)
    page_categories: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    page_marks: dict[str, list[dict]] = field(default_factory=dict)
    categories: dict[str, dict[str, int]] = field(default_factory=dict)
    attempted_fields: frozenset[str] | None = None
    attempted_labels: frozenset[str] | None = None

    def attempts_field(self, name: str) -> bool:
        return self.attempted_fields is None or name in self.attempted_fields

    def attempts_label(self, label: str) -> bool:
        return self.attempted_labels is None or label in self.attempted_labels

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
            "ents_errors": {k: dict(v) for k, v in sorted(self.categories.items())},
        }


def evaluate(gold_pages: list[dict], predictions: dict[str, dict], *,
             attempted_fields=None, attempted_labels=None) -> Evaluation:
    """Score predicted records (by page id) against gold pages; a missing prediction scores empty."""
    ev = Evaluation(attempted_fields=None if attempted_fields is None else frozenset(attempted_fields),
                    attempted_labels=None if attempted_labels is None else frozenset(attempted_labels))
    for g in gold_pages:
        pid = g["id"]
        pred = predictions.get(pid, {})
        ents = pred.get("entities", [])
        ev.page_strict[pid] = span_counts(g["spans"], ents)
        ev.page_lenient[pid] = span_counts(g["spans"], ents, lenient=True)
        ev.strict.add(ev.page_strict[pid])
        ev.lenient.add(ev.page_lenient[pid])
        ev.page_fields[pid] = ev.records.add_page(g["record"], pred)
        cats, marks = span_categories(g["spans"], ents)
        ev.page_categories[pid], ev.page_marks[pid] = cats, marks
        for lab, c in cats.items():
            tot = ev.categories.setdefault(lab, dict.fromkeys(CATEGORIES, 0))
            for k, v in c.items():
                tot[k] += v
        ev.page_ids.append(pid)
        ev.pages += 1
    # labels with gold support but never predicted still appear (with zero recall)
    for g in gold_pages:
        for s in g["spans"]:
            ev.strict.per_type.setdefault(s["label"], PRF())
            ev.lenient.per_type.setdefault(s["label"], PRF())
    for lab in ev.strict.per_type:
        ev.categories.setdefault(lab, dict.fromkeys(CATEGORIES, 0))
    return ev
