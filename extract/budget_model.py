"""Which sum is the project's budget: a logistic-regression classifier over a sum's context.

Rules settle the clear cases (a budget label's value, "Le budget total du projet s’élève à");
a press release's sums are harder: "a reçu 1 million de dollars de la part du Japon pour financer
un projet" is the budget, "lance un appel de 21,1 millions de dollars" and "les rapatriements de
fonds … 2,4 milliards" are not. The classifier reads the words around the sum.

Features (all pure text, no model): the accent-folded words of the sentence before the sum (up to
12), the 6 words after it, whether the sum comes in the page's first 600 characters of content, its
currency, and which budget-cue regexes of models/budget_cues.json match before it.

The trained model is a JSON file (feature -> weight, intercept): readable, diffable, the same
bytes on every rebuild, and applied with a dot product (no scikit-learn at run time).

    python -m extract train      # rebuilds models/budget_classifier.json from the dev split
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path

WORD = re.compile(r"[a-zà-ÿœ$€]+", re.IGNORECASE)


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower().replace("’", "'"))
    return "".join(c for c in s if not unicodedata.combining(c))


def sentence_before(text: str, lo: int, start: int, window: int = 200) -> str:
    a = max(lo, start - window)
    chunk = text[a:start]
    cut = max(chunk.rfind(". "), chunk.rfind("\n\n"), chunk.rfind(".\n"))
    return chunk[cut + 1:] if cut >= 0 else chunk


def features(text: str, start: int, end: int, content_start: int, currency: str, cues: dict) -> dict[str, float]:
    before = sentence_before(text, content_start, start)
    after = text[end:end + 80]
    f: dict[str, float] = {"bias": 1.0}
    for w in WORD.findall(fold(before))[-12:]:
        f[f"b:{w}"] = 1.0
    for w in WORD.findall(fold(after))[:6]:
        f[f"a:{w}"] = 1.0
    if start - content_start < 600:
        f["early"] = 1.0
    f[f"cur:{currency}"] = 1.0
    for name, rx in cues.items():
        if rx.search(before):
            f[f"cue:{name}"] = 1.0
    return f


def compile_cues(data_dir: Path) -> dict[str, re.Pattern]:
    cfg = json.loads((data_dir / "budget_cues.json").read_text("utf-8"))
    cues = {}
    for kind in ("positive", "negative"):
        for k, p in enumerate(cfg[kind]):
            cues[f"{kind}{k}"] = re.compile(p, re.IGNORECASE)
    return cues


class BudgetClassifier:
    def __init__(self, weights: dict[str, float], threshold: float = 0.5):
        self.weights = weights
        self.threshold = threshold

    @classmethod
    def load(cls, path: Path) -> "BudgetClassifier | None":
        if not path.exists():
            return None
        d = json.loads(path.read_text("utf-8"))
        return cls(d["weights"], d.get("threshold", 0.5))

    def proba(self, feats: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-z))

    def is_budget(self, feats: dict[str, float]) -> bool:
        return self.proba(feats) >= self.threshold


def training_examples(gold_pages: list[dict], nlp, cues: dict) -> tuple[list[dict], list[int]]:
    """(features, label) for every gold sum outside a budget label's value: label 1 for BUDGET."""
    X, y = [], []
    for g in gold_pages:
        doc = nlp(g["text"])  # layout only: where content starts and which values are labelled
        fields = [f for f in (doc._.fields or []) if f.name == "budget"]
        amounts = {(a["start"], a["end"]): a for a in g["record"]["amounts"]}
        for s in g["spans"]:
            if s["label"] not in ("BUDGET", "MONEY"):
                continue
            if any(f.start <= s["start"] < f.end for f in fields):
                continue  # a label's value: the rule decides
            cur = amounts[(s["start"], s["end"])]["currency"]
            X.append(features(g["text"], s["start"], s["end"], doc._.content_start, cur, cues))
            y.append(1 if s["label"] == "BUDGET" else 0)
    return X, y


def train(gold_pages: list[dict], nlp, data_dir: Path, out: Path, C: float = 1.0) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    cues = compile_cues(data_dir)
    X, y = training_examples(gold_pages, nlp, cues)
    vec = DictVectorizer(sort=True, sparse=False)  # tiny data: dense is simplest
    Xm = vec.fit_transform(X)
    clf = LogisticRegression(C=C, solver="liblinear", random_state=0, fit_intercept=False, max_iter=1000)
    clf.fit(Xm, y)
    weights = {name: round(float(w), 6) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) > 1e-6}
    model = {"_comment": "models/budget_classifier.json: built by `python -m extract train` from the dev split; "
                         "see extract/budget_model.py",
             "examples": len(y), "positives": int(sum(y)), "C": C, "threshold": 0.5,
             "weights": dict(sorted(weights.items()))}
    out.write_text(json.dumps(model, ensure_ascii=False, indent=1, sort_keys=False) + "\n", "utf-8")
    return model


def cross_validate(gold_pages: list[dict], nlp, data_dir: Path, C: float = 1.0, threshold: float = 0.5) -> dict:
    """Leave-one-page-out accuracy of the classifier on the gold sums no rule settles (dev only)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    cues = compile_cues(data_dir)
    per_page = [training_examples([g], nlp, cues) for g in gold_pages]
    tp = fp = fn = tn = 0
    for k, (Xk, yk) in enumerate(per_page):
        if not yk:
            continue
        X = [x for j, (Xj, _) in enumerate(per_page) if j != k for x in Xj]
        y = [v for j, (_, yj) in enumerate(per_page) if j != k for v in yj]
        if len(set(y)) < 2:
            continue
        vec = DictVectorizer(sort=True, sparse=False)
        clf = LogisticRegression(C=C, solver="liblinear", random_state=0, fit_intercept=False, max_iter=1000)
        clf.fit(vec.fit_transform(X), y)
        for p, gold in zip(clf.predict_proba(vec.transform(Xk))[:, 1], yk):
            pred = p >= threshold
            tp += pred and gold
            fp += pred and not gold
            fn += (not pred) and gold
            tn += (not pred) and not gold
    return {"C": C, "threshold": threshold, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "accuracy": (tp + tn) / max(tp + fp + fn + tn, 1)}
