"""A logistic regression over named sparse features, stored as readable JSON and applied with a
dot product (scikit-learn only when training).

>>> m = LinearModel({"bias": -1.0, "gov:fund_verb": 3.0}, threshold=0.5)
>>> round(m.proba({"bias": 1.0, "gov:fund_verb": 1.0}), 3), m.decide({"bias": 1.0})
(0.881, False)
"""
from __future__ import annotations

import math


class LinearModel:
    def __init__(self, weights: dict[str, float], threshold: float = 0.5):
        self.weights = weights
        self.threshold = threshold

    def score(self, feats: dict[str, float]) -> float:
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in feats.items())

    def proba(self, feats: dict[str, float]) -> float:
        z = self.score(feats)
        if z < -35:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def decide(self, feats: dict[str, float]) -> bool:
        return self.proba(feats) >= self.threshold

    def to_json(self) -> dict:
        return {"threshold": self.threshold, "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_json(cls, d: dict) -> "LinearModel":
        return cls(d["weights"], d.get("threshold", 0.5))


def fit(X: list[dict], y: list[int], C: float) -> LinearModel:
    """Deterministic: sorted features, liblinear, fixed seed; weights rounded to 6 decimals."""
    from sklearn.linear_model import LogisticRegression

    names, Xm = dense(X)
    if len(set(y)) < 2:  # nothing to learn: the constant answer
        return LinearModel({"bias": 10.0 if y and y[0] else -10.0})
    clf = LogisticRegression(C=C, solver="liblinear", random_state=0, fit_intercept=False, max_iter=2000,
                             class_weight="balanced")
    clf.fit(Xm, y)
    weights = {name: round(float(w), 6) for name, w in zip(names, clf.coef_[0]) if abs(w) > 1e-6}
    return LinearModel(weights)


def dense(X: list[dict[str, float]]):
    """The feature names, sorted, and the dense matrix of ``X`` over them: what scikit-learn's
    ``DictVectorizer(sort=True, sparse=False)`` makes of numeric features (a few thousand rows:
    dense is simplest for liblinear), built with numpy's indexing instead of a loop per value
    (the cross-validation fits 240 models: the vectorizer was a third of ``python -m extract train``'s
    time).

    >>> names, m = dense([{"b": 1.0, "a": 0.5}, {"c": 2.0}])
    >>> names, m.tolist()
    (['a', 'b', 'c'], [[0.5, 1.0, 0.0], [0.0, 0.0, 2.0]])
    """
    import numpy as np

    names = sorted({k for row in X for k in row})
    column = {k: j for j, k in enumerate(names)}
    rows = [i for i, row in enumerate(X) for _ in row]
    cols = [column[k] for row in X for k in row]
    m = np.zeros((len(X), len(names)), dtype=np.float64)
    m[rows, cols] = [float(v) for row in X for v in row.values()]
    return names, m
