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
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True, sparse=False)  # a few thousand rows: dense is simplest for liblinear
    Xm = vec.fit_transform(X)
    if len(set(y)) < 2:  # nothing to learn: the constant answer
        return LinearModel({"bias": 10.0 if y and y[0] else -10.0})
    clf = LogisticRegression(C=C, solver="liblinear", random_state=0, fit_intercept=False, max_iter=2000,
                             class_weight="balanced")
    clf.fit(Xm, y)
    weights = {name: round(float(w), 6) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0])
               if abs(w) > 1e-6}
    return LinearModel(weights)
