"""Train the running-text decisions and choose, per decision, between the rules and the models.

    python -m extract train        # rebuilds models/prose_models.json (same bytes every time)

Data: the gold pages of the dev and dev2 splits (never test or fresh). Every page is run through
the pipeline with ``iom_prose`` collecting: every candidate is parsed and featurised, and the rules
decide. A candidate's label comes from the gold record: a sum is a budget when it is a gold BUDGET
span; a date is the start (end) when its value is the gold start_date (end_date); a duration is
the project's when its months are the gold duration_months.

Choice: 5-fold cross-validation by page (GroupKFold: a page's candidates are never on both sides).
For each decision, each feature set (``lexical``: words, concepts, place, rules' verdict;
``parsed``: the same plus the dependency parse of the clause) and each regularisation C, a model
is trained on four folds and decides the held-out pages; the field it fills (budget, start_date,
end_date, duration_months) is scored against the gold like evaluate.py does (a page counts once),
beside the rules' own value on the same pages, at the decision's threshold (``THRESHOLD``: read off
held-out pages, not cross-validated). The best F1 wins; a model must beat the rules to be used (a
tie keeps the rules: simpler, no parser needed). The winner is retrained on all the training
pages. The whole table is written into models/prose_models.json, and README quotes it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..components.prose import about_something_else
from .model import LinearModel, Rows, fit, fit_matrix

DECISIONS = {"budget": ("money", "budget"), "start": ("date", "start_date"), "end": ("date", "end_date"),
             "duration": ("duration", "duration_months")}
C_GRID = (0.1, 0.3, 1.0, 3.0)
FOLDS = 5
# the parse's features, and those read off it (rel: compares a page's candidates by their parse too)
PARSE_PREFIXES = ("dep:", "gov", "case:", "subj:", "anc:", "sib:", "gc:", "rel:")
# features that only the invariants read (a root noun standing in for a missing subject), never a model
INVARIANT_ONLY = ("rootsubj:", "relsubj:")


@dataclass
class PageData:
    id: str
    kind: str
    gold: dict                      # gold record values of the four fields
    rules: dict                     # the rules' values of the four fields
    parse_rules: dict               # the structural rules' values of start_date, end_date, duration_months
    label_budget: tuple | None      # (start, value) of the first budget inside a budget label, if any
    cands: list[dict] = field(default_factory=list)


def collect(gold_pages: list[dict], data_dir: Path) -> list[PageData]:
    from ..pipeline import build_nlp

    nlp = build_nlp(data_dir, prose_collect=True)
    out = []
    for g in gold_pages:
        doc = nlp.make_doc(g["text"])
        doc.user_data["iom_text"] = g["text"]
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        rec = doc._.record
        cands = doc.user_data["iom_candidates"]
        money_keys = {(c["start"], c["end"]) for c in cands if c["kind"] == "money"}
        label_budgets = sorted((s._.char_span[0], s._.value) for s in doc.spans.get("iom", [])
                               if s.label_ == "BUDGET" and s._.char_span not in money_keys)
        gold_budget_spans = {(s["start"], s["end"]) for s in g["spans"] if s["label"] == "BUDGET"}
        gr = g["record"]
        for c in cands:
            c["y"] = {
                "budget": int(c["kind"] == "money" and (c["start"], c["end"]) in gold_budget_spans),
                "start": int(c["kind"] == "date" and gr["start_date"] is not None and c["value"] == gr["start_date"]),
                "end": int(c["kind"] == "date" and gr["end_date"] is not None and c["value"] == gr["end_date"]),
                "duration": int(c["kind"] == "duration" and c["value"] == gr["duration_months"]),
            }
        pstart = next((c["value"] for c in cands if c["kind"] == "date" and c["rule"].get("parse_start")), None)
        pend = next((c["value"] for c in cands if c["kind"] == "date" and c["rule"].get("parse_end")), None)
        free = gr["kind"] in ("news", "other") and doc._.prose is not None and any(
            c["kind"] == "date" for c in cands)
        pdur = next((c["value"] for c in cands if c["kind"] == "duration" and c["rule"].get("parse_duration")), None)
        dur_free = gr["kind"] in ("news", "other") and any(c["kind"] == "duration" for c in cands)
        out.append(PageData(
            g["id"], gr["kind"],
            {"budget": gr["budget"], "start_date": gr["start_date"], "end_date": gr["end_date"],
             "duration_months": gr["duration_months"]},
            {"budget": rec.budget, "start_date": rec.start_date, "end_date": rec.end_date,
             "duration_months": rec.duration_months},
            {"start_date": pstart if free else rec.start_date, "end_date": pend if free else rec.end_date,
             "duration_months": pdur if dur_free else rec.duration_months},
            label_budgets[0] if label_budgets else None, cands))
    return out


FEATURE_SETS = ("lexical", "parsed", "structural")
WORD_PREFIXES = ("b:", "a:", "b1:", "gov_stem:")


def features_of(c: dict, feature_set: str) -> dict:
    """``lexical``: no parse; ``parsed``: everything; ``structural``: the parse, the concepts, the
    rules and the place, but no individual word (fewer features for so few examples)."""
    feats = {k: v for k, v in c["feats"].items() if not k.startswith(INVARIANT_ONLY)}
    if feature_set == "parsed":
        return feats
    if feature_set == "structural":
        return {k: v for k, v in feats.items() if not k.startswith(WORD_PREFIXES)}
    return {k: v for k, v in feats.items() if not k.startswith(PARSE_PREFIXES)}


def page_value(page: PageData, decision: str, model: LinearModel | None, feature_set: str, combine: str = "alone"):
    """The field value a model decides for a page. ``combine``: "alone", or "or" — a sum is a budget
    when the rules or the model say so; a date or duration is the model's when it finds one, else
    the rules'."""
    return decided_value(page, decision, lambda c: model.proba(features_of(c, feature_set)), model.threshold, combine)


def decided_value(page: PageData, decision: str, proba, threshold: float, combine: str = "alone"):
    """``page_value`` with the model given as ``proba``, a candidate's probability, and its
    threshold: the cross-validation computes each candidate's probability once for the
    combinations it scores (extract/components/prose.py decides the same way)."""
    kind, fld = DECISIONS[decision]
    cands = [c for c in page.cands if c["kind"] == kind]
    if decision == "budget":
        chosen = [c for c in cands if (proba(c) >= threshold
                  and not c["rule"].get("veto")) or (combine == "or" and c["rule"].get("budget"))]
        # a sum restated in another currency is decided as one with the sum before it: the first
        # (extract/components/prose.py decide)
        first = {c["start"]: c for c in cands if not c["rule"].get("veto")}
        chosen = [(f["start"], f["value"]) if (f := first.get(c["rule"].get("restates"))) else (c["start"], c["value"])
                  for c in chosen]
        pool = chosen + ([page.label_budget] if page.label_budget else [])
        return dict(min(pool, key=lambda t: t[0])[1]) if pool else None
    # "or": where the model finds nothing, a duration hanging on the project's name (the parse),
    # else what the rules decide (extract/components/prose.py decides the same way)
    fallback = None
    if combine == "or":
        attached = next((c["value"] for c in cands if c["rule"].get("attached")), None) if decision == "duration" else None
        fallback = attached or page.rules[fld]
    # a date the rules make the end is not the start, and the other way round
    other = {"start": "end", "end": "start"}.get(decision)
    cands = [c for c in cands if not c["rule"].get("veto") and not (other and c["rule"].get(other))
             and not (decision == "start" and c["rule"].get("closes"))
             and not (decision == "duration" and about_something_else(c["feats"]))]
    if not cands:
        return page.rules[fld] if not _free(page, decision) else fallback
    best = max(cands, key=proba)
    return best["value"] if proba(best) >= threshold else fallback


def _free(page: PageData, decision: str) -> bool:
    # dates and durations come from running text on news and standing pages only
    return page.kind in ("news", "other")


def same(field_name: str, a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if field_name == "budget":
        return round(a["amount"], 2) == round(b["amount"], 2) and a["currency"] == b["currency"]
    return a == b


def prf(pairs: list[tuple], field_name: str) -> dict:
    """P/R/F1 of (gold, predicted) values, one pair per page, as evaluate.py scores a scalar field."""
    tp = fp = fn = 0
    for g, p in pairs:
        if p is not None and same(field_name, g, p):
            tp += 1
            continue
        fp += p is not None
        fn += g is not None
    pr = tp / (tp + fp) if tp + fp else 1.0
    rc = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": round(pr, 4), "r": round(rc, 4),
            "f": round(2 * pr * rc / (pr + rc), 4) if pr + rc else 0.0}


def cross_validate(pages: list[PageData], decision: str) -> dict:
    from sklearn.model_selection import GroupKFold

    kind, fld = DECISIONS[decision]
    order = sorted(range(len(pages)), key=lambda k: pages[k].id)
    pages = [pages[k] for k in order]
    folds = list(GroupKFold(n_splits=FOLDS).split(pages, groups=[p.id for p in pages]))
    table = {"rules": prf([(p.gold[fld], p.rules[fld]) for p in pages], fld)}
    news = [p for p in pages if p.kind == "news"]
    table["rules"]["news"] = prf([(p.gold[fld], p.rules[fld]) for p in news], fld)
    if decision in ("start", "end", "duration"):
        for name, value in (("parse rules", lambda p: p.parse_rules[fld]),
                            ("parse rules or rules", lambda p: p.parse_rules[fld] or p.rules[fld])):
            table[name] = prf([(p.gold[fld], value(p)) for p in pages], fld)
            table[name]["news"] = prf([(p.gold[fld], value(p)) for p in news], fld)
    for fs in FEATURE_SETS:
        # each candidate's features once per feature set (not once per fold, C and threshold)
        feats = [[features_of(c, fs) for c in p.cands if c["kind"] == kind] for p in pages]
        # every candidate's row made once; a fold's training matrix is a slice of it (model.Rows)
        first = [0]
        for f in feats:
            first.append(first[-1] + len(f))
        rows = Rows([f for page_feats in feats for f in page_feats])
        fold_data = []
        for train_idx, test_idx in folds:
            matrix = rows.take([r for k in train_idx for r in range(first[k], first[k + 1])])
            y = [c["y"][decision] for k in train_idx for c in pages[k].cands if c["kind"] == kind]
            fold_data.append((matrix, y, test_idx))
        for C in C_GRID:
            pairs = {(t, comb): {} for t in (THRESHOLD[decision],) for comb in ("alone", "or")}
            for (names, Xm), y, test_idx in fold_data:
                model = fit_matrix(names, Xm, y, C)
                for k in test_idx:
                    p = pages[k]
                    if not _uses_model(p, decision):
                        for got in pairs.values():
                            got[p.id] = (p.gold[fld], p.rules[fld])
                        continue
                    # each candidate's probability once, for both combinations
                    probs = {id(c): model.proba(f) for c, f in zip((c for c in p.cands if c["kind"] == kind), feats[k])}
                    for (t, comb), got in pairs.items():
                        got[p.id] = (p.gold[fld], decided_value(p, decision, lambda c: probs[id(c)], t, comb))
            for (t, comb), got in pairs.items():
                row = prf(list(got.values()), fld)
                row["news"] = prf([got[p.id] for p in news], fld)
                table[system_name(fs, C, t, comb)] = row
    return table


# Each decision's threshold is read off held-out pages, not chosen by the cross-validation (which
# runs on the pages the rules were written from, where the rules' verdicts, features of the models,
# are near-perfect; on new pages the models score the values the rules miss too low). Thirty-eighth
# session (docs/scores/s38_decision.md): candidate 22's models on batches 43 and 45 and candidate
# 24's on batch 47, 96 pages neither code was developed on; per decision the best merit among 0.5,
# 0.4, 0.35 and 0.3, a lower threshold only when it beats every higher one by more than TIE.
# tp/fp/fn summed over the 96 pages, at 0.5 → the threshold kept:
#   budget 66/3/9 → 68/2/7 (0.4);  start 46/6/21 → 60/10/7 (0.3);  end 44/3/5 (0.5; 0.4 added 3
#   wrong);  duration 23/1/26 (0.5, against the measurement's 0.3 → 34/4/15: on test and fresh the
#   shipped code misses no duration, so a lower threshold could only add wrong ones there, and
#   issue 14 forbids a field at 1.000 going down; candidate 24 at 0.4 added one on fresh).
# Thirty-ninth session (docs/scores/s39_decision.md): the pool grew by batch 49, read by candidate 25's
# models before anyone read it (128 pages); the same rule: budget 87/4/13 at 0.5, 89/3/11 at 0.4 →
# 90/2/10 at 0.35 (merit 0.939 → 0.951); start, end and duration as before (duration's measurement
# says 0.3, 44/4/19 against 31/1/32 at 0.5; the amendment stands). Candidate 26 did not ship.
# Fortieth session (docs/scores/s40_decision.md): the pool grew by batch 51 (160 pages), flat across t
# for budget; 0.35 beats 0.4 by 0.009 in merit (0.927 against 0.918), under the rule's 0.01, so
# budget stays at 0.4; start 0.3 (merit 0.850 against 0.833 at 0.4), end 0.5, duration 0.5 (amendment).
# Forty-first session (docs/scores/s41_decision.md): the pool grew by batch 53 (192 pages); budget 0.35
# beats 0.4 by 0.007 (0.927 against 0.920), under 0.01: 0.4; start 0.3 (0.828 against 0.813); end 0.5
# (0.903); duration 0.5 (the measurement says 0.3; the amendment, and candidate 28 keeps candidate
# 25's duration model byte for byte). Candidate 28 shipped.
THRESHOLD = {"budget": 0.4, "start": 0.3, "end": 0.5, "duration": 0.5}


def system_name(fs: str, C: float, t: float, combine: str) -> str:
    return f"{fs} C={C:g} t={t:g}" + (" or rules" if combine == "or" else "")


def parse_name(name: str) -> tuple[str, float, float, str]:
    fs, rest = name.split(" C=")
    c, rest = rest.split(" t=")
    t, _, comb = rest.partition(" ")
    return fs, float(c), float(t), "or" if comb else "alone"


def _uses_model(page: PageData, decision: str) -> bool:
    if decision == "budget":
        return True
    return _free(page, decision)


def merit(row: dict) -> float:
    """What a choice is judged on: the F1 over all pages and over the news pages alone, equally
    (over all pages the label blocks, right either way, hide how the prose is read)."""
    return (row["f"] + row["news"]["f"]) / 2


# cross-validated merits this close are a tie: with 17-67 positive examples per decision, one page
# moves a figure by more than that
TIE = 0.01


def choose(table: dict) -> tuple:
    """The system with the best merit; systems within TIE of it are a tie, broken towards what is
    most careful and cheapest: the rules, then the parse rules, then a model that keeps the rules'
    finds (the first choice without this, lexical models alone, failed the invented sentences of
    tests/test_unseen_forms.py), then one without the parser (every clause a model reads is
    parsed: a parsed date model cost ~20% of the pages per second, bench/throughput.py), then the
    lower threshold, then the better merit; the stronger regularisation only breaks exact ties.
    Why the lower threshold before merit: the cross-validation runs on the pages the rules were
    written from, where the rules' verdicts (features of the models) are near-perfect; on new pages
    the rules miss about half the values, the models score the candidates the rules miss lower than
    they should, and with "or rules" a higher threshold leans on the rules (candidate 22 on 64
    pages it never developed on: 7 more values found at 0.4 than at 0.5, none more wrong). Preferring the higher threshold before merit (until the thirtieth
    session) landed on the band's lowest edge: end C=3 t=0.8, merit 0.960, over C=3 t=0.5, 0.966,
    which lost on new pages the ends it scored 0.6-0.8 (docs/scores/s29_decision.md, candidate 12);
    merit alone inside the band chose end C=3 t=0.8 at 0.9545 over C=1 t=0.5 at 0.9533, and lost
    15 of 269 true ends on 645 blind pages (docs/scores/s36_decision.md, candidate 23). A higher
    threshold is chosen only when every setting at a lower one is more than TIE below the best.
    Since the thirty-eighth session each decision's table holds its one threshold (``THRESHOLD``,
    read off held-out pages), so within a decision's table this order no longer meets two
    thresholds; it stays for any table that holds several.

    >>> row = lambda f: {"f": f, "news": {"f": f}}
    >>> choose({"rules": row(0.90), "lexical C=3 t=0.8 or rules": row(0.960),
    ...         "lexical C=3 t=0.5 or rules": row(0.966)})
    ('model', 'lexical', 3.0, 0.5, 'or')
    >>> choose({"rules": row(0.96), "lexical C=3 t=0.5 or rules": row(0.966)})
    ('rules', None, None, None, None)
    >>> choose({"lexical C=3 t=0.5 or rules": row(0.95), "lexical C=1 t=0.5 or rules": row(0.95)})
    ('model', 'lexical', 1.0, 0.5, 'or')

    Candidate 23's end table (its lexical models with the rules' finds; the 1042 training pages):

    >>> choose({"rules": row(0.80), "lexical C=3 t=0.8 or rules": row(0.9545),
    ...         "lexical C=1 t=0.5 or rules": row(0.9533), "lexical C=3 t=0.5 or rules": row(0.9492)})
    ('model', 'lexical', 1.0, 0.5, 'or')
    >>> choose({"lexical C=3 t=0.8 or rules": row(0.97), "lexical C=1 t=0.5 or rules": row(0.955)})
    ('model', 'lexical', 3.0, 0.8, 'or')
    >>> choose({"lexical C=1 t=0.5 or rules": row(0.96), "lexical C=3 t=0.4 or rules": row(0.951),
    ...         "lexical C=1 t=0.4 or rules": row(0.949)})
    ('model', 'lexical', 3.0, 0.4, 'or')
    """
    best_merit = max(round(merit(row), 9) for row in table.values())
    tied = [n for n in table if round(merit(table[n]), 9) >= best_merit - TIE]

    def preference(name: str):
        if " C=" not in name:
            return (3 if name == "rules" else 2 if name == "parse rules or rules" else 1, 0, 0, 0)
        fs, C, t, comb = parse_name(name)
        return (0, comb == "or", fs == "lexical", -t)

    def exact(name: str):
        return 0 if " C=" not in name else -parse_name(name)[1]

    best = max(tied, key=lambda n: (preference(n), round(merit(table[n]), 9), exact(n)))
    if " C=" not in best:
        return best, None, None, None, None
    fs, C, t, comb = parse_name(best)
    return "model", fs, C, t, comb


def scorer_name(table: dict) -> str | None:
    """The model without the parse with the best cross-validated merit (ties: the stronger
    regularisation, then the lower threshold), or None when the table has none."""
    names = [n for n in table if " C=" in n and parse_name(n)[0] == "lexical" and parse_name(n)[3] == "alone"]
    if not names:
        return None
    return max(names, key=lambda n: (round(merit(table[n]), 9), -parse_name(n)[1], -parse_name(n)[2]))


def train(gold_pages: list[dict], data_dir: Path, out: Path, collected: dict[str, PageData] | None = None,
          not_learnt_from: dict[str, frozenset[str]] | None = None) -> dict:
    """``collected``: the pages' ``collect`` by id, when already made. ``collect`` decides by the rules
    alone and reads no trained model, so a page's candidates are the same in every fit of the
    cross-fitting (extract/evaluation/crossfit.py collects each page once for all of its fits).
    ``not_learnt_from``: the page ids a decision's model does not learn from (default: the gold's
    ``NOT_LEARNT_FROM``, extract/evaluation/gold.py; every fit of the cross-fitting reads the same)."""
    if not_learnt_from is None:
        from ..evaluation.gold import not_learnt_from as gold_not_learnt_from
        not_learnt_from = gold_not_learnt_from()
    all_pages = [collected[g["id"]] for g in gold_pages] if collected is not None else collect(gold_pages, data_dir)
    result = {"_comment": "Built by `python -m extract train` (extract/prose/train.py) from the training gold "
                          "pages (extract/cli.py TRAIN_SPLITS): for each decision, the cross-validated F1 (5 folds by page) of the rules and of "
                          "each model, the choice, and the chosen model retrained on all those pages.",
              "pages": len(all_pages)}
    for decision, (kind, fld) in DECISIONS.items():
        skip = not_learnt_from.get(decision, frozenset())
        pages = [p for p in all_pages if p.id not in skip]
        table = cross_validate(pages, decision)
        use, fs, C, threshold, combine = choose(table)
        entry = {"use": use, "features": fs, "C": C, "threshold": threshold, "combine": combine,
                 "chosen": next(n for n in table if (use != "model" and n == use) or
                                (use == "model" and n == system_name(fs, C, threshold, combine))),
                 "cv": table,
                 "examples": sum(1 for p in pages for c in p.cands if c["kind"] == kind),
                 "positives": sum(c["y"][decision] for p in pages for c in p.cands if c["kind"] == kind),
                 "pages": len(pages)}
        X = {f: [features_of(c, f) for p in pages for c in p.cands if c["kind"] == kind] for f in FEATURE_SETS}
        y = [c["y"][decision] for p in pages for c in p.cands if c["kind"] == kind]
        if use == "model":
            model = fit(X[fs], y, C)
            model.threshold = threshold
            entry["model"] = model.to_json()
        else:
            # the rules decide; the best model without the parse still scores every candidate, so
            # that a value and a null say how close the other candidates came (the confidence reads
            # those probabilities: extract/components/confidence.py page_info), never deciding
            name = scorer_name(table)
            if name:
                _, sc_C, _, _ = parse_name(name)
                entry["scorer"] = {"system": name, "features": "lexical", "C": sc_C,
                                   "model": fit(X["lexical"], y, sc_C).to_json()}
        result[decision] = entry
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return result
