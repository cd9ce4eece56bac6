"""Bootstrap over pages: confidence intervals for P/R/F1 and a paired test between two systems.

Why pages: errors come in pages (one odd layout breaks every field of that page), so the unit a
new sample of data brings is a page, not a span. A resample draws n pages with replacement from
the n scored pages; a figure is recomputed from the summed counts of the pages drawn. The 95%
interval is the 2.5th-97.5th percentile of the resampled figures (the percentile bootstrap,
Efron & Tibshirani 1993, ch. 13). One matrix of resampling weights is drawn per run from the
seed and used for every figure and every system, so the intervals of two systems on the same
pages are paired and the same seed gives the same bytes.

Figures are computed here with an undefined value (NaN) where the denominator is empty (no
prediction: P; nothing to find: R; neither: F1), and a resample where a figure is undefined is left
out of its percentiles. F1 is 2TP / (2TP + FP + FN), which is the harmonic mean of P and R when both
are defined and 0 when only one is.
"""
from __future__ import annotations

import warnings

import numpy as np

RESAMPLES = 1000
SEED = 20261203
LEVEL = 0.95


def resample_weights(n_pages: int, resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """(resamples, n_pages) matrix: how many times each page is drawn in each resample.

    >>> w = resample_weights(4, 3, seed=1)
    >>> w.shape, w.sum(axis=1).tolist()
    ((3, 4), [4, 4, 4])
    >>> bool((resample_weights(4, 3, seed=1) == w).all())
    True
    """
    rng = np.random.default_rng(seed)
    if n_pages == 0:
        return np.zeros((resamples, 0), dtype=np.int64)
    draws = rng.integers(0, n_pages, size=(resamples, n_pages))
    weights = np.zeros((resamples, n_pages), dtype=np.int64)
    np.add.at(weights, (np.arange(resamples)[:, None], draws), 1)
    return weights


def prf(tp, fp, fn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P, R, F1 of count arrays, NaN where undefined.

    >>> [float(x) for x in prf(np.array(3.0), np.array(1.0), np.array(0.0))]
    [0.75, 1.0, 0.8571428571428571]
    >>> [bool(np.isnan(x)) for x in prf(np.array(0.0), np.array(0.0), np.array(2.0))]
    [True, False, False]
    """
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        r = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    return p, r, f


def interval(values: np.ndarray, level: float = LEVEL) -> list[float] | None:
    """The percentile interval of the defined values; None when no resample defines the figure.

    >>> [round(x, 9) for x in interval(np.arange(101.0))]
    [2.5, 97.5]
    >>> interval(np.array([np.nan, np.nan])) is None
    True
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return None
    a = (1 - level) / 2 * 100
    lo, hi = np.percentile(v, [a, 100 - a])
    return [float(lo), float(hi)]


def resampled_counts(page_counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Counts summed over each resample: (resamples, ...) from (pages, ...) per-page counts."""
    pc = np.asarray(page_counts, dtype=float)
    return np.tensordot(weights.astype(float), pc, axes=(1, 0))


def prf_intervals(page_counts: np.ndarray, weights: np.ndarray, level: float = LEVEL) -> dict:
    """95% intervals of P, R, F1 from per-page (tp, fp, fn) rows.

    >>> pages = np.array([[1, 0, 0]] * 10)            # every page right: no spread at all
    >>> prf_intervals(pages, resample_weights(10, 50))
    {'p_ci': [1.0, 1.0], 'r_ci': [1.0, 1.0], 'f_ci': [1.0, 1.0]}
    """
    c = resampled_counts(page_counts, weights)
    if c.ndim == 1:
        c = c[:, None]
    p, r, f = prf(c[:, 0], c[:, 1], c[:, 2])
    return {"p_ci": interval(p, level), "r_ci": interval(r, level), "f_ci": interval(f, level)}


def macro_f_interval(page_counts: np.ndarray, weights: np.ndarray, level: float = LEVEL) -> list[float] | None:
    """Interval of the mean per-label F1 from (pages, labels, 3) counts (labels undefined in a
    resample are left out of its mean)."""
    c = resampled_counts(page_counts, weights)          # (resamples, labels, 3)
    if c.size == 0:
        return None
    _, _, f = prf(c[..., 0], c[..., 1], c[..., 2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)    # a resample with no label defined
        means = np.nanmean(f, axis=1)
    return interval(means, level)


def paired_test(page_counts_a: np.ndarray, page_counts_b: np.ndarray, weights: np.ndarray) -> dict:
    """F1 of B minus F1 of A, with a two-sided paired-bootstrap p-value.

    Both systems are resampled with the same pages. Under the null hypothesis (no difference) the
    resampled deltas, shifted by the observed delta, would spread around 0; the p-value is the
    share of resamples at least as far from the observed delta as the delta is from 0,
    (1 + #{|d_b - d| >= |d|}) / (1 + B) (the shift method: Efron & Tibshirani 1993 §16.4,
    Berg-Kirkpatrick et al. 2012 for NLP). Identical systems give p = 1.

    >>> a = np.array([[1, 0, 0]] * 20)
    >>> paired_test(a, a, resample_weights(20, 99))
    {'f_a': 1.0, 'f_b': 1.0, 'delta': 0.0, 'delta_ci': [0.0, 0.0], 'p_value': 1.0}
    """
    a = np.asarray(page_counts_a, dtype=float).sum(axis=0)
    b = np.asarray(page_counts_b, dtype=float).sum(axis=0)
    fa, fb = float(prf(*a)[2]), float(prf(*b)[2])
    ca, cb = resampled_counts(page_counts_a, weights), resampled_counts(page_counts_b, weights)
    da = prf(ca[:, 0], ca[:, 1], ca[:, 2])[2]
    db = prf(cb[:, 0], cb[:, 1], cb[:, 2])[2]
    deltas = db - da
    deltas = deltas[~np.isnan(deltas)]
    if np.isnan(fa) or np.isnan(fb) or deltas.size == 0:
        return {"f_a": _num(fa), "f_b": _num(fb), "delta": None, "delta_ci": None, "p_value": None}
    d = fb - fa
    extreme = int(np.sum(np.abs(deltas - d) >= abs(d) - 1e-12))
    return {"f_a": fa, "f_b": fb, "delta": d, "delta_ci": interval(deltas),
            "p_value": (1 + extreme) / (1 + deltas.size)}


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)
