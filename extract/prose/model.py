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
    return fit_matrix(*Rows(X).take(range(len(X))), y, C)


def fit_matrix(names: list[str], Xm, y: list[int], C: float) -> LinearModel:
    """``fit`` on a matrix already made (``Rows.take``): ``names`` the sorted names of its columns."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:  # nothing to learn: the constant answer
        return LinearModel({"bias": 10.0 if y and y[0] else -10.0})
    clf = LogisticRegression(C=C, solver="liblinear", random_state=0, fit_intercept=False, max_iter=2000,
                             class_weight="balanced")
    clf.fit(Xm, y)
    weights = {name: round(float(w), 6) for name, w in zip(names, clf.coef_[0]) if abs(w) > 1e-6}
    return LinearModel(weights)


class Rows:
    """Numeric feature dicts as one sparse matrix, made once, so that the matrix of any subset of
    them is a slice: the cross-validation fits four C on each of five folds for each feature set,
    and making each fit's matrix anew (dense, as scikit-learn's ``DictVectorizer(sort=True,
    sparse=False)`` does) was a third of a fit's time (forty-third session: the retraining, run 39
    times by the cross-fitting, is the test suite's long pole).

    ``take(rows)`` gives the sorted names of the features those rows have (a feature given as 0.0
    included) and their CSR matrix over those columns, each row's entries in column order and no
    stored zero: liblinear reads a dense matrix the same way (its nonzero entries, in column order),
    so a model fitted on either is the same bytes (checked on the training pages before the change:
    every committed model rebuilt byte for byte; tests/test_prose.py).

    >>> X = [{"b": 1.0, "a": 0.5}, {"c": 2.0}, {"a": 0.0}]
    >>> names, m = Rows(X).take([0, 2])
    >>> names, m.toarray().tolist(), m.nnz
    (['a', 'b'], [[0.5, 1.0], [0.0, 0.0]], 2)
    """

    def __init__(self, X: list[dict[str, float]]):
        import numpy as np
        from scipy.sparse import csr_matrix

        self.names = sorted({k for row in X for k in row})
        column = {k: j for j, k in enumerate(self.names)}
        indptr = np.cumsum([0] + [len(row) for row in X])
        indices = np.fromiter((column[k] for row in X for k in row), dtype=np.int32, count=int(indptr[-1]))
        data = np.fromiter((float(v) for row in X for v in row.values()), dtype=np.float64, count=int(indptr[-1]))
        # explicit zeros kept here: they say which features a row has
        self.matrix = csr_matrix((data, indices, indptr), shape=(len(X), len(self.names)))
        self.matrix.sort_indices()

    def take(self, rows):
        import numpy as np

        sub = self.matrix[np.asarray(list(rows), dtype=np.intp)]
        cols = np.unique(sub.indices)
        sub = sub[:, cols]
        sub.eliminate_zeros()
        sub.sort_indices()
        return [self.names[j] for j in cols], sub
