"""Calibrated confidence: the probability that a record's value is right (issue 15).

Every value of a record — each scalar field, null included, and each item of a list — comes with
its evidence (extract/components/assemble.py): the text it came from and the rule that decided.
The confidence of a value is read off that evidence by a model trained on the gold set:

* categories (:func:`levels`), from the most specific to the least: the field, whether the value
  is null, the page's kind, the kind of rule that decided (a label, a layout line, a sentence cue,
  the parse, a model and its probability band, nothing found, candidates rejected), how many
  competing candidates the page had, and for a null the highest probability a running-text model
  gave a candidate it turned down (:func:`page_bands`);
* an empirical-Bayes estimate along that chain (:class:`ConfidenceModel`): the field's rate on
  pages its rules had never seen, refined by each more specific category as far as its number of
  gold values allows;
* counted on records of the training pages made out of fold (each page's record comes from
  running-text models trained without it) by ``python -m extract train`` (deterministic), stored
  in models/confidence.json as counts per category, applied without scikit-learn;
* for the scalar values, where it finds more wrong values of a training batch left out than the
  counts do, boosted trees over the same categories, the page's numbers and where on the page the
  value was read (:class:`Ranker`,
  models/confidence_ranker.json), walked with NumPy; they learn from the out-of-fold records and
  from the records each written training batch got from the code that first scored it
  (models/first_look: the rules' errors on text they were not written on).

>>> rule_key("label: Budget Amount (USD)"), rule_key("none of the 3 sums on the page is the project's budget")
('label', 'none of the N sums on the page is the project s budget')
>>> rule_key("model: the most probable start_date (p=0.82)"), rule_key("sentence cue: 'a reçu'")
('model: the most probable start_date', 'sentence cue')
>>> rule_key("rule: the project's period, a range of dates ('mars 2021 à février 2023')")
'rule: the project s period a range of dates'
>>> rule_key("rule: a period from its first month ('trente mois à partir d'avril 2020')")
'rule: a period from its first month'
>>> rule_key("range: the end of the period its start opens ('2015 à 2018')")
'range: the end of the period its start opens'"""
from __future__ import annotations

import bisect
import json
import math
import re
from pathlib import Path

import numpy as np

LIST_FIELDS = ("beneficiary_countries", "non_eligible_countries", "countries_mentioned", "amounts", "deliverables")


def rule_key(rule: str | None) -> str:
    """The kind of rule, without the page's own words (labels as written, cues, numbers)."""
    r = (rule or "none").lower()
    if r.startswith(("label:", "label list:", "sentence cue:")):
        return r.split(":", 1)[0]
    # a quotation opens after a space or a bracket and closes before one ("the project's period" is
    # not one; "('trente mois à partir d'avril 2020')" is one)
    r = re.sub(r"(?<!\w)'.*?'(?!\w)|\([^)]*\)", "", r)
    r = re.sub(r"\d+", "N", r)
    r = re.sub(r"[^\w: ]+", " ", r)
    return " ".join(r.split()).strip(": ")


# the pool of candidates a field is chosen from, and the running-text decision that chooses it
POOL = {"budget": "money", "amounts": "money", "start_date": "date", "end_date": "date", "duration_months": "duration"}
DECISION = {"budget": "budget", "start_date": "start", "end_date": "end", "duration_months": "duration"}
# bands, chosen by cross-validation by page on the training pages' out-of-fold records (README
# "Evidence and confidence"): how many candidates the page had, and how close the best rejected
# candidate came for a null
CANDIDATE_BANDS = (0, 2, 5)
REJECTED_P_BANDS = (0.1,)


def band(x: float, cuts: tuple) -> str:
    """
    >>> band(0, (0, 2, 5)), band(3, (0, 2, 5)), band(9, (0, 2, 5)), band(0.04, (0.1,))
    ('<=0', '<=5', '>5', '<=0.1')
    """
    for c in cuts:
        if x <= c:
            return f"<={c}"
    return f">{cuts[-1]}"


def page_bands(name: str, page: dict, null: bool) -> tuple[str, ...]:
    """What of the page bears on one field's value: how many candidates competed, and for a null,
    the highest probability a running-text model gave a candidate it rejected ("none" when no
    model ran). A null on a release with six dates, one of which the model put at 0.4, is where
    a reviewer should look; a null on a page with no date at all is not."""
    out = []
    pool = POOL.get(name)
    if pool:
        out.append("c" + band((page.get("candidates") or {}).get(pool, 0), CANDIDATE_BANDS))
    decision = DECISION.get(name)
    if decision and null:
        ps = (page.get("best") or {}).get(decision) or []
        out.append("best" + (band(ps[0], REJECTED_P_BANDS) if ps else "none"))
    return tuple(out)


def levels(name: str, proof: dict, page: dict) -> list[str]:
    """The evidence's categories, from the most specific to the field alone (the backoff chain):
    the page's candidates within the rule within the page's kind, the page's kind, the field. The
    kind comes before the rule because a release and a standing page fail in different ways."""
    key = rule_key(proof.get("rule"))
    null = proof.get("value") is None
    kind = page.get("kind") or "other"
    tag = "null" if null else "value"
    chain = [f"{name}|{key}|{kind}|{tag}", f"{name}|{kind}|{tag}", f"{name}|{tag}"]
    # a model's decision: how sure the model was, in three bands (its probability alone is not
    # calibrated; the counts of its band, made out of fold, are)
    p = re.search(r"\(p=([01](?:\.\d+)?)\)", proof.get("rule") or "")
    if p:
        x = float(p.group(1))
        chain.insert(0, f"{chain[0]}|p{'<0.7' if x < 0.7 else '<0.85' if x < 0.85 else '>=0.85'}")
    for b in page_bands(name, page, null):
        chain.insert(0, f"{chain[0]}|{b}")
    return chain


class ConfidenceModel:
    """How often values with this evidence were right: an empirical-Bayes estimate along the
    backoff chain of :func:`levels`. The field's rate comes from pages its rules had never seen
    (models/confidence_priors.json): the gold pages the rules were written on are right far more
    often than new pages will be, so their counts refine the field's rate per kind of evidence,
    each by as much as its number of values allows (a pseudo-count ``strength``, chosen by
    :func:`choose_strength`)."""

    def __init__(self, counts: dict[str, tuple[int, int]], unseen: dict[str, tuple[int, int]], prior: float,
                 strength: float, ranker: "Ranker | None" = None):
        self.counts, self.unseen, self.prior, self.strength = counts, unseen, prior, strength
        # the scalar values' confidence, where the ranker found more wrong values of a batch left
        # out than the counts did (train); None: the counts for every value
        self.ranker = ranker
        # a value's confidence depends only on its field, rule, page kind and nullness, and most
        # values of a page share them with values seen before ("sum of money", "country name, first
        # mention"): each is computed once
        self._memo: dict[tuple, float] = {}

    @classmethod
    def load(cls, path: Path) -> "ConfidenceModel | None":
        if not path.exists():
            return None
        d = json.loads(path.read_text("utf-8"))
        ranker = None
        if d.get("scalars") == "ranker":
            ranker = Ranker.from_json(json.loads(ranker_path(path).read_text("utf-8")))
        return cls({k: tuple(v) for k, v in d["counts"].items()}, {k: tuple(v) for k, v in d["unseen"].items()},
                   d["prior"], d["strength"], ranker)

    def estimate(self, chain: list[str]) -> float:
        """The top of the chain (field|null) starts from the rate on unseen pages (the priors); each
        more specific kind of evidence moves it by its own gold counts, weighted by their number."""
        right, total = self.unseen.get(chain[-1], (0, 0))
        p = (right + self.strength * self.prior) / (total + self.strength)
        for key in reversed(chain[:-1]):
            right, total = self.counts.get(key, (0, 0))
            p = (right + self.strength * p) / (total + self.strength)
        return p

    def confidence(self, chain: list[str]) -> float:
        return round(min(max(self.estimate(chain), 0.0), 1.0), 4)

    MEMO_SIZE = 65536

    def _of_evidence(self, name: str, rule: str | None, page: dict, null: bool) -> float:
        key = (name, rule, page.get("kind"), null, page_bands(name, page, null))
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= self.MEMO_SIZE:   # rules hold page words (labels, cues): bounded
                self._memo.clear()
            found = self._memo[key] = self.confidence(levels(name, {"rule": rule, "value": None if null else True},
                                                             page))
        return found

    def _rank_scalars(self, rec_evidence: dict, page: dict) -> None:
        """The ranker's confidence on every scalar value, the trees walked once for all those of
        the record whose evidence was not met before. Met before means the same categories and,
        for each of the page's numbers, the same interval between the trees' thresholds
        (:meth:`Ranker.intervals`): every tree then goes down the same path, so the value gets the
        same score, and a place on the page or a model's probability need not repeat to the digit."""
        todo = []
        kind = page.get("kind")
        for name, e in rec_evidence.items():
            if isinstance(e, dict):
                null = e.get("value") is None
                numbers = page_numbers(name, e, page)
                # all that scalar_features reads, without building it
                key = ("ranker", name, e.get("rule"), null, kind, page_bands(name, page, null),
                       self.ranker.intervals(numbers))
                found = self._memo.get(key)
                if found is None:
                    todo.append((e, key, scalar_features(name, e, page, numbers)))
                else:
                    e["confidence"] = found
        if todo:
            if len(self._memo) >= self.MEMO_SIZE:   # rules hold page words (labels, cues): bounded
                self._memo.clear()
            for (e, key, _), p in zip(todo, self.ranker.probabilities([f for _, _, f in todo])):
                e["confidence"] = self._memo[key] = round(p, 4)

    def annotate(self, rec_evidence: dict, page: dict) -> None:
        """Put a confidence on every value of a record's evidence, in place."""
        of_evidence = self._of_evidence
        if self.ranker is not None:
            self._rank_scalars(rec_evidence, page)
        for name, e in rec_evidence.items():
            if isinstance(e, dict):
                if self.ranker is None:
                    e["confidence"] = of_evidence(name, e.get("rule"), page, e.get("value") is None)
            else:
                for item in e:
                    item["confidence"] = of_evidence(name, item.get("rule"), page, item.get("value") is None)


# ---------------------------------------------------------------------------------------------
# the scalar values' ranker: boosted trees over the same evidence and the page's numbers

P_IN_RULE = re.compile(r"\(p=([01](?:\.\d+)?)\)")


def scalar_features(name: str, proof: dict, page: dict, numbers: dict[str, float] | None = None) -> dict[str, float]:
    """What the ranker reads of a scalar value: its categories (:func:`levels`, each a 0/1
    feature) and the page's numbers (:func:`page_numbers`; ``numbers``: already computed).

    >>> f = scalar_features("budget", {"value": None, "rule": "none of the 2 sums on the page is the project's budget"},
    ...                     {"kind": "news", "candidates": {"money": 2}, "best": {"budget": [0.41, 0.02]}})
    >>> f["budget|best1"], f["budget|best2"], round(f["budget|logc"], 3), f["budget|null"]
    (0.41, 0.02, 1.099, 1.0)
    """
    f = {k: 1.0 for k in levels(name, proof, page)}
    f.update(page_numbers(name, proof, page) if numbers is None else numbers)
    return f


def page_numbers(name: str, proof: dict, page: dict) -> dict[str, float]:
    """The numbers of a running-text value that the counts can only band: the two highest
    probabilities the field's running-text model gave, how many candidates competed (log), the
    probability of the candidate chosen, and where on the page the value was read (its offset, log,
    and its share of the page's length).

    >>> f = page_numbers("start_date", {"value": "2021-03", "start": 600, "rule": "rule: start cue 'lancé en'"},
    ...                  {"kind": "news", "length": 2000, "candidates": {"date": 4}, "best": {"start": [0.93]}})
    >>> f["start_date|pos"], round(f["start_date|off"], 2), f["start_date|best1"], f["start_date|best2"]
    (0.3, 6.4, 0.93, 0.0)
    >>> page_numbers("budget", {"value": {"amount": 1.0, "currency": "USD"}, "start": 40, "rule": "label: Budget Amount (USD)"}, {})
    {}
    """
    f: dict[str, float] = {}
    rule = proof.get("rule") or ""
    if rule.startswith("label"):
        # a label's value does not compete with the running text's sums and dates: read by its
        # categories alone (with the page's numbers, a Development Fund sheet whose description
        # names a co-funding got 0.89 for its "Budget Amount (USD)", right on every training page)
        return f
    start = proof.get("start")
    if proof.get("value") is not None and start is not None:
        # where on the page the value was read: a release says its project's sum and period in its
        # lead; one read deep in the page is more often another thing's (leaving one training batch
        # out, these two found 97 of 143 wrong values in the least-confident 10%, 84 without)
        f[f"{name}|pos"] = start / max(page.get("length") or 0, start + 1)
        f[f"{name}|off"] = math.log1p(start)
    decision, pool = DECISION.get(name), POOL.get(name)
    if decision:
        ps = (page.get("best") or {}).get(decision) or []
        f[f"{name}|best1"] = ps[0] if ps else 0.0
        f[f"{name}|best2"] = ps[1] if len(ps) > 1 else 0.0
    if pool:
        f[f"{name}|logc"] = math.log1p((page.get("candidates") or {}).get(pool, 0))
    m = P_IN_RULE.search(rule)
    if m:
        f[f"{name}|p"] = float(m.group(1))
    return f


# scikit-learn's HistGradientBoostingClassifier, small: 60 trees of at most 15 leaves (leaving one
# training batch out, 100 trees of 31 leaves found as many wrong values; fewer, deeper-limited ones
# found fewer)
RANKER_PARAMS = {"max_iter": 60, "learning_rate": 0.08, "max_leaf_nodes": 15, "random_state": 0}


class Ranker:
    """Boosted trees over :func:`scalar_features`, and a sigmoid that turns their score into a
    probability (fitted on scores made out of fold, by page). Trained with scikit-learn, stored
    as plain arrays in models/confidence.json and evaluated here with NumPy: every tree is walked
    at once, one level per step."""

    def __init__(self, names: list[str], baseline: float, trees: dict[str, list], a: float, b: float):
        self.names, self.baseline, self.a, self.b = names, baseline, a, b
        self.index = {n: k for k, n in enumerate(names)}
        self.feature = np.asarray(trees["feature"], dtype=np.int64)
        self.threshold = np.asarray(trees["threshold"], dtype=np.float64)
        self.left = np.asarray(trees["left"], dtype=np.int64)
        self.right = np.asarray(trees["right"], dtype=np.int64)
        self.leaf = np.asarray(trees["leaf"], dtype=bool)
        self.value = np.asarray(trees["value"], dtype=np.float64)
        self.roots = np.asarray(trees["roots"], dtype=np.int64)
        self.depth = int(trees["depth"])
        # per feature, the thresholds its nodes split at, sorted: two values with as many
        # thresholds below them take every tree down the same path (intervals)
        cuts: dict[int, set] = {}
        for j, t, leaf in zip(self.feature.tolist(), self.threshold.tolist(), self.leaf.tolist()):
            if not leaf:
                cuts.setdefault(j, set()).add(t)
        self._cuts = {j: sorted(ts) for j, ts in cuts.items()}

    @classmethod
    def from_sklearn(cls, model, names: list[str], a: float, b: float) -> "Ranker":
        """The trees of a fitted binary HistGradientBoostingClassifier, in one flat table."""
        cols = {k: [] for k in ("feature", "threshold", "left", "right", "leaf", "value")}
        roots, depth = [], 0
        for (predictor,) in model._predictors:
            nodes, off = predictor.nodes, len(cols["value"])
            roots.append(off)
            depth = max(depth, int(nodes["depth"].max()))
            for n in nodes:
                leaf = bool(n["is_leaf"])
                cols["feature"].append(0 if leaf else int(n["feature_idx"]))
                cols["threshold"].append(0.0 if leaf else float(n["num_threshold"]))
                cols["left"].append(0 if leaf else off + int(n["left"]))
                cols["right"].append(0 if leaf else off + int(n["right"]))
                cols["leaf"].append(leaf)
                cols["value"].append(float(n["value"]) if leaf else 0.0)
        trees = {**cols, "roots": roots, "depth": depth}
        return cls(list(names), float(np.ravel(model._baseline_prediction)[0]), trees, a, b)

    def to_json(self) -> dict:
        return {"features": self.names, "baseline": self.baseline, "sigmoid": [self.a, self.b],
                "trees": {"depth": self.depth, "roots": self.roots.tolist(), "feature": self.feature.tolist(),
                          "threshold": self.threshold.tolist(), "left": self.left.tolist(),
                          "right": self.right.tolist(), "leaf": [int(x) for x in self.leaf],
                          "value": self.value.tolist()}}

    @classmethod
    def from_json(cls, d: dict) -> "Ranker":
        return cls(d["features"], d["baseline"], d["trees"], d["sigmoid"][0], d["sigmoid"][1])

    def scores(self, X: np.ndarray) -> np.ndarray:
        """The trees' summed score of each row of X (values x features, self.names' order)."""
        rows = np.arange(X.shape[0])[:, None]
        cur = np.broadcast_to(self.roots, (X.shape[0], len(self.roots))).copy()
        for _ in range(self.depth):
            go_left = X[rows, self.feature[cur]] <= self.threshold[cur]
            cur = np.where(self.leaf[cur], cur, np.where(go_left, self.left[cur], self.right[cur]))
        return self.baseline + self.value[cur].sum(axis=1)

    def intervals(self, numbers: dict[str, float]) -> tuple:
        """For each number, which interval between its feature's thresholds it falls in (a node
        sends x left when x <= its threshold: the count of thresholds under x decides every
        comparison). Numbers the trees never split on drop out.

        >>> r = Ranker(["a", "b"], 0.0, {"feature": [0, 0, 0], "threshold": [0.5, 0, 0], "left": [1, 0, 0],
        ...            "right": [2, 0, 0], "leaf": [0, 1, 1], "value": [0, -1.0, 1.0], "roots": [0], "depth": 1}, 1.0, 0.0)
        >>> r.intervals({"a": 0.2, "b": 7.0}), r.intervals({"a": 0.5}), r.intervals({"a": 0.51})
        ((('a', 0),), (('a', 0),), (('a', 1),))
        """
        out = []
        for k, v in sorted(numbers.items()):
            cuts = self._cuts.get(self.index.get(k, -1))
            if cuts:
                out.append((k, bisect.bisect_left(cuts, v)))
        return tuple(out)

    def vector(self, feats: dict[str, float]) -> np.ndarray:
        x = np.zeros(len(self.names))
        for k, v in feats.items():
            j = self.index.get(k)
            if j is not None:   # a category no training value had: the trees never split on it
                x[j] = v
        return x

    def probabilities(self, feats: list[dict[str, float]]) -> list[float]:
        s = self.scores(np.stack([self.vector(f) for f in feats]))
        return (1.0 / (1.0 + np.exp(-(self.a * s + self.b)))).tolist()

    def probability(self, feats: dict[str, float]) -> float:
        return self.probabilities([feats])[0]


def _fit_trees(rows: list[tuple[str, dict, int]]):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer

    dv = DictVectorizer(sparse=False, sort=True)
    X = dv.fit_transform([r[1] for r in rows])
    return dv, HistGradientBoostingClassifier(**RANKER_PARAMS).fit(X, np.array([r[2] for r in rows]))


def fit_ranker(rows: list[tuple[str, dict, int]], folds: int = 5) -> Ranker:
    """``rows``: (page id, scalar_features, right). The sigmoid is fitted on scores made out of
    fold (by page), the trees then on all rows. Deterministic (fixed seed, sorted features)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    dv = DictVectorizer(sparse=False, sort=True)
    X = dv.fit_transform([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    groups = [r[0] for r in rows]
    oof = np.zeros(len(rows))
    for tr, te in GroupKFold(n_splits=folds).split(X, y, groups):
        oof[te] = HistGradientBoostingClassifier(**RANKER_PARAMS).fit(X[tr], y[tr]).decision_function(X[te])
    sig = LogisticRegression(C=1e6).fit(oof.reshape(-1, 1), y)
    model = HistGradientBoostingClassifier(**RANKER_PARAMS).fit(X, y)
    # the sigmoid to 9 decimals: lbfgs's last digits moved between two runs on one machine (1e-14,
    # the order of its floating-point sums), and the trees' bytes did not; the confidences are
    # given to 4 decimals
    ranker = Ranker.from_sklearn(model, list(dv.feature_names_), round(float(sig.coef_[0, 0]), 9),
                                 round(float(sig.intercept_[0]), 9))
    # the NumPy walk gives scikit-learn's scores
    assert np.allclose(ranker.scores(X), model.decision_function(X), atol=1e-9)
    return ranker


# ---------------------------------------------------------------------------------------------
# right or wrong: the gold decides, exactly as evaluate.py judges a value (one function for both)

def scalar_right(value, gold_value) -> bool:
    from .evaluation.calibration import scalar_right as judge

    return judge(gold_value, value)


def list_items_right(name: str, items: list, gold_items: list) -> list[bool]:
    from .evaluation.calibration import list_rights

    return list_rights(name, gold_items, items)


def examples(rec: dict, gold: dict, page: dict, with_kind: bool = False) -> list[tuple]:
    """(field, evidence categories, right) of every value of a record, against its gold record;
    ``with_kind``: and whether the value is a scalar field's (True) or a list item (False)."""
    out = []
    ev = rec.get("evidence") or {}
    for name, e in ev.items():
        if isinstance(e, dict):
            out.append((name, levels(name, e, page), int(scalar_right(e.get("value"), gold.get(name))), True))
        else:
            values = rec.get(name) or []
            right = list_items_right(name, values, gold.get(name) or [])
            for item, ok in zip(e, right):
                out.append((name, levels(name, item, page), int(ok), False))
    return out if with_kind else [t[:3] for t in out]


STRENGTH = 20.0   # pseudo-count of the prior at each level, when no batches are given to choose it
# the pseudo-counts tried; the one kept finds the most wrong values in the least-confident 10% of a
# batch of pages none of its counts came from (leave one batch out: choose_strength)
STRENGTHS = (2.0, 5.0, 10.0, 20.0, 40.0)
REVIEW_SHARE = 0.10


def _counts(rows) -> dict[str, list[int]]:
    c: dict[str, list[int]] = {}
    for _, _, chain, y in rows:
        for key in chain:
            r = c.setdefault(key, [0, 0])
            r[0] += y
            r[1] += 1
    return c


def review_found(conf: list[float], right: list[int], share: float = REVIEW_SHARE) -> int:
    """How many wrong values checking the least-confident ``share`` of them finds.

    >>> review_found([0.2, 0.9, 0.5, 0.95, 0.6], [0, 1, 0, 1, 1], share=0.4)
    2
    """
    order = sorted(range(len(conf)), key=lambda i: (conf[i], i))
    return sum(1 for i in order[:math.ceil(share * len(order) - 1e-9)] if not right[i])


def choose_strength(rows: list[tuple], batches: dict[str, str], unseen: dict, prior: float) -> tuple[float, dict]:
    """The pseudo-count under which the confidence best finds the wrong values of a batch it has
    never seen: for each batch of training pages (dev, dev2, the written batches), the counts of
    the others, the batch's scalar values (nulls included) ranked by confidence, the wrong ones
    among its least-confident 10%; summed over batches. Ties go to the larger pseudo-count (the
    more cautious). Cross-validation by page, as before, let the pages of one batch vouch for each
    other: with the pseudo-count 20 a batch left out had 41 of its 85 wrong values found, where the
    pages' own out-of-fold figure was 0.82."""
    # per batch left out: the counts of the other batches, and its scalar values
    folds = []
    for batch in sorted(set(batches.values())):
        held = [r for r in rows if batches.get(r[0]) == batch and r[4]]
        if held:
            counts = {k: tuple(v) for k, v in _counts([r[:4] for r in rows if batches.get(r[0]) != batch]).items()}
            folds.append((counts, held))
    table = {}
    for strength in STRENGTHS:
        found = wrong = 0
        for counts, held in folds:
            m = ConfidenceModel(counts, unseen, prior, strength)
            found += review_found([m.confidence(r[2]) for r in held], [r[3] for r in held])
            wrong += sum(1 for r in held if not r[3])
        table[strength] = {"found": found, "wrong": wrong}
    best = max(STRENGTHS, key=lambda st: (table[st]["found"], st))
    return best, table


def scalar_rows(pages: list[tuple[str, dict, dict, dict]]) -> list[tuple[str, dict, int]]:
    """(page id, scalar_features, right) of every scalar value of the records."""
    out = []
    for pid, rec, gold, page in pages:
        for name, e in (rec.get("evidence") or {}).items():
            if isinstance(e, dict):
                out.append((pid, scalar_features(name, e, page), int(scalar_right(e.get("value"), gold.get(name)))))
    return out


def compare_ranker(rows: list[tuple], srows: list[tuple], batches: dict[str, str], unseen: dict, prior: float,
                   strength: float, frows: list[tuple] = (), without_first_look: bool = False) -> dict:
    """Wrong scalar values found in the least-confident 10% of each batch left out, summed: by the
    counts (under ``strength``) and by a ranker trained on the other batches (their first-look rows
    ``frows`` too), and what it finds among the batch's own first-look records (a batch read by
    rules that never saw it). ``without_first_look``: also a ranker trained without the first-look
    rows, on both (a second fit per batch, ~3 s each)."""
    counts_found = wrong = 0
    found = {"ranker": 0, "without_first_look": 0}
    first = {"ranker": 0, "without_first_look": 0, "wrong": 0}

    def ranked(trees, test):
        # the ranking alone is compared: the trees' scores (the sigmoid after them keeps the order)
        dv, model = trees
        return review_found(model.decision_function(dv.transform([r[1] for r in test])).tolist(), [r[2] for r in test])

    for batch in sorted(set(batches.values())):
        held = [r for r in rows if batches.get(r[0]) == batch and r[4]]
        if not held:
            continue
        counts = {k: tuple(v) for k, v in _counts([r[:4] for r in rows if batches.get(r[0]) != batch]).items()}
        m = ConfidenceModel(counts, unseen, prior, strength)
        counts_found += review_found([m.confidence(r[2]) for r in held], [r[3] for r in held])
        wrong += sum(1 for r in held if not r[3])
        test = [r for r in srows if batches.get(r[0]) == batch]
        test_first = [r for r in frows if batches.get(r[0]) == batch]
        fits = {"ranker": _fit_trees([r for r in (*srows, *frows) if batches.get(r[0]) != batch])}
        if frows and without_first_look:
            fits["without_first_look"] = _fit_trees([r for r in srows if batches.get(r[0]) != batch])
        for name, trees in fits.items():
            found[name] += ranked(trees, test)
            if test_first:
                first[name] += ranked(trees, test_first)
        first["wrong"] += sum(1 for r in test_first if not r[2])
    out = {"counts": counts_found, "ranker": found["ranker"], "wrong": wrong}
    if frows:
        out["first_look"] = {k: v for k, v in first.items() if without_first_look or k != "without_first_look"}
        if without_first_look:
            out["ranker_without_first_look"] = found["without_first_look"]
    return out


def train(pages: list[tuple[str, dict, dict, dict]], out: Path, priors: Path, folds: int = 5,
          batches: dict[str, str] | None = None, first_look: list[tuple[str, dict, dict, dict]] = (),
          compare_first_look: bool = False) -> dict:
    """``pages``: (page id, record, gold record, page info); ``priors``: the unseen-page rates;
    ``batches``: page id -> the batch (split) it was annotated in, to choose the pseudo-count by
    leaving one batch out (STRENGTH without); ``first_look``: like ``pages``, the records an
    earlier commit made of each batch before it was developed on (models/first_look), which
    the scalar ranker learns from beside the out-of-fold records. Count, measure out of fold, write
    JSON. ``compare_first_look``: also count what a ranker trained without the first-look rows
    finds (returned, not written: the committed file is the plain run's)."""
    from sklearn.model_selection import GroupKFold

    unseen = {k: tuple(v) for k, v in json.loads(priors.read_text("utf-8"))["rates"].items()}
    rows = [(pid, name, chain, y, scalar) for pid, rec, gold, page in pages
            for name, chain, y, scalar in examples(rec, gold, page, with_kind=True)]
    y = np.array([r[3] for r in rows])
    prior = float(np.mean([r / t for r, t in unseen.values()]))
    strength, by_batch = (choose_strength(rows, batches, unseen, prior) if batches else (STRENGTH, None))
    # the scalar values: the ranker where, leaving one batch out, it finds more wrong values than
    # the counts under the pseudo-count just chosen
    srows = scalar_rows(pages)
    # the rules' own errors on new text: the out-of-fold records are read by rules written on
    # those very pages (leaving a batch out, 143 wrong scalar values in 21,112), the first-look
    # ones by rules that had never seen them (341 in 7,560). Leaving a batch out, a ranker that
    # learns from both found 109 of its 143 wrong values in the least-confident 10% where 97
    # without, 226 of the 341 of its first look where 200, and its sigmoid, fitted on both,
    # promised 0.974 to first-look values right 0.955 of the time (0.988 without) (README
    # "Evidence and confidence", twenty-fifth session)
    frows = scalar_rows(list(first_look))
    review = (compare_ranker(rows, srows, batches, unseen, prior, strength, frows, compare_first_look)
              if batches else None)
    use_ranker = bool(review) and review["ranker"] > review["counts"]
    rows = [r[:4] for r in rows]
    oof = np.zeros(len(rows))
    for tr, te in GroupKFold(n_splits=folds).split(rows, y, [r[0] for r in rows]):
        m = ConfidenceModel({k: tuple(v) for k, v in _counts([rows[k] for k in tr]).items()}, unseen, prior, strength)
        for k in te:
            oof[k] = m.confidence(rows[k][2])
    counts = _counts(rows)
    doc = {"_comment": "Built by `python -m extract train` (extract/confidence.py): how often values with each kind of "
                       "evidence were right on the training gold pages (extract/cli.py TRAIN_SPLITS), in records made "
                       "out of fold ([right, total] per category), on top of the unseen-page rates of "
                       "models/confidence_priors.json.",
           "values": int(len(y)), "wrong": int((y == 0).sum()), "prior": round(prior, 6), "strength": strength,
           "strength_by_batch_left_out": ({f"{k:g}": v for k, v in by_batch.items()} if by_batch else None),
           "out_of_fold": {"brier": round(float(np.mean((oof - y) ** 2)), 5), "ece": round(ece(oof, y), 5)},
           "scalars": "ranker" if use_ranker else "counts",
           "review_by_batch_left_out": review,
           "first_look": {"pages": len(first_look), "scalar_values": len(frows),
                          "wrong": sum(1 for r in frows if not r[2])} if first_look else None,
           "unseen": {k: list(v) for k, v in sorted(unseen.items())},
           "counts": {k: list(v) for k, v in sorted(counts.items())}}
    written = dict(doc)
    if review and compare_first_look:
        written["review_by_batch_left_out"] = {k: ({n: x for n, x in v.items() if n != "without_first_look"}
                                                   if k == "first_look" else v)
                                               for k, v in review.items() if k != "ranker_without_first_look"}
    out.write_text(json.dumps(written, ensure_ascii=False, indent=1) + "\n", "utf-8")
    if use_ranker:
        # one line per part: the trees are 1,000 nodes of arrays nobody reads line by line
        d = fit_ranker(srows + frows).to_json()
        body = "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in d.items()) + "\n}\n"
        ranker_path(out).write_text(body, "utf-8")
    elif ranker_path(out).exists():
        ranker_path(out).unlink()
    return doc


def ranker_path(confidence_json: Path) -> Path:
    """models/confidence_ranker.json beside models/confidence.json."""
    return confidence_json.with_name(confidence_json.stem + "_ranker.json")


def ece(conf, right, bins: int = 10) -> float:
    """Expected calibration error over ``bins`` equal-width bins.

    >>> round(ece([0.9, 0.9, 0.1, 0.1], [1, 1, 0, 1]), 3)
    0.25
    """
    conf, right = np.asarray(conf, dtype=float), np.asarray(right, dtype=float)
    if len(conf) == 0:
        return 0.0
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() / len(conf) * abs(right[m].mean() - conf[m].mean())
    return float(total)
