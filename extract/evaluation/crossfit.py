"""Records of the training pages made *out of fold* (cross-fitting), as new pages would get them.

A training page's record from the committed models is in-sample: the running-text models were
fitted on it. Two honest stand-ins for a page nobody has trained on:

* ``page``: five folds of the training pages, interleaved by id; each fold's pages are read by
  models trained on the other four fifths (their batch-mates included);
* ``batch``: each training batch (dev, dev2, written_dev, written2_dev, written3_dev, written5_dev, written6_dev, written7_dev, written8_dev, written9_dev, written10_dev, written11_dev, written12_dev, written13_dev, written15_dev, written16_dev, written17_dev, written18_dev, written20_dev, written21_dev) is read by
  models trained on the other batches only — a new batch's phrasings are ones the models never met,
  and this is the figure that says how a change carries to the next batch of pages (README
  "Fourteenth session").

``python -m extract train`` teaches the confidence from both (extract/cli.py train_confidence);
``python evaluate.py --split training --crossfit batch`` scores them.

>>> plan(["a", "b", "c", "d"], "page", folds=2)
[(['a', 'c'], ['b', 'd']), (['b', 'd'], ['a', 'c'])]
>>> plan(["a", "b", "c"], "batch", batches={"a": "dev", "b": "dev2", "c": "dev"})
[(['a', 'c'], ['b']), (['b'], ['a', 'c'])]
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

REGIMES = ("page", "batch")
FOLDS = 5


def plan(ids: list[str], regime: str, folds: int = FOLDS,
         batches: dict[str, str] | None = None) -> list[tuple[list[str], list[str]]]:
    """(held-out ids, training ids) of each fit, deterministic: by page, folds interleaved over the
    sorted ids; by batch, one fit per batch, in the batches' sorted order."""
    order = sorted(ids)
    if regime == "page":
        fold_of = {pid: k % folds for k, pid in enumerate(order)}
        groups = [[p for p in order if fold_of[p] == f] for f in range(folds)]
    elif regime == "batch":
        if not batches:
            raise ValueError("cross-fitting by batch needs each page's batch")
        groups = [[p for p in order if batches[p] == b] for b in sorted({batches[p] for p in order})]
    else:
        raise ValueError(f"regime {regime!r}: one of {REGIMES}")
    return [(held, [p for p in order if p not in set(held)]) for held in groups if held]


def workers() -> int:
    """How many fits run at once: IOM_TRAIN_WORKERS, else up to two of the machine's cores. Each fit
    is independent and its records are put back in ``plan``'s order, so the result is the same
    bytes with one worker or several."""
    import os

    n = os.environ.get("IOM_TRAIN_WORKERS")
    return max(1, int(n)) if n else max(1, min(2, os.cpu_count() or 1))


# the pages and settings of the fits under way, shared with forked workers (not pickled per fit)
_JOB: dict = {}


def _fit(task: tuple[str, int, list[str], list[str]]) -> list[tuple[str, str, dict, dict]]:
    """One fit: running-text models trained on ``training``, records of ``held``."""
    from ..components.confidence import page_info
    from ..pipeline import build_nlp
    from ..prose.train import train as train_prose

    regime, k, held, training = task
    by_id, data_dir, tmp, confidence = _JOB["by_id"], _JOB["data_dir"], _JOB["tmp"], _JOB["confidence"]
    fit_dir = Path(tmp) / f"{regime}{k}"
    # the first-look records are the confidence's input, not the pipeline's: no fit reads them
    shutil.copytree(data_dir, fit_dir, ignore=shutil.ignore_patterns("first_look"))
    train_prose([by_id[p] for p in training], fit_dir, fit_dir / "prose_models.json", collected=_JOB["collected"],
                not_learnt_from=_JOB["not_learnt_from"])
    nlp = build_nlp(str(fit_dir), confidence=confidence)
    out = []
    for pid in held:
        g = by_id[pid]
        doc = nlp.make_doc(g["text"])
        doc.user_data["iom_text"] = g["text"]
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        rec = doc._.record
        rec.id = pid
        out.append((regime, pid, rec.to_dict(), page_info(doc)))
    shutil.rmtree(fit_dir)
    return out


def records(pages: list[dict], data_dir: Path, regimes: tuple[str, ...] = ("page",), folds: int = FOLDS,
            batches: dict[str, str] | None = None, held_ids: set[str] | None = None,
            confidence: bool = False, collected: dict | None = None) -> list[tuple[str, str, dict, dict]]:
    """(regime, page id, record as a dict, page info) of each training page (``pages``: gold pages,
    all of them the models' training pages) read by running-text models trained without it, in
    the order of ``plan`` per regime. ``held_ids``: only these pages' records (fits that hold none
    of them are skipped). ``confidence``: the record's confidences too, from the data directory's
    confidence model (trained on these pages: not out of fold). The fits run in ``workers()``
    forked processes (the twenty-third session: 27 fits on 754 pages took 13 minutes in one).
    ``collected``: the pages' extract.prose.train.collect by id, when the caller made it; else it is
    made here, once: it reads the rules only, which every fit's copy of ``data_dir`` shares (each fit
    collecting its own training pages again was a third of a fit's time)."""
    import multiprocessing

    from ..prose.train import collect
    from .gold import not_learnt_from as gold_not_learnt_from

    by_id = {g["id"]: g for g in pages}
    tasks = []
    for regime in regimes:
        for k, (held, training) in enumerate(plan(list(by_id), regime, folds, batches)):
            if held_ids is not None:
                held = [p for p in held if p in held_ids]
            if held:
                tasks.append((regime, k, held, training))
    if collected is None and tasks:
        collected = {p.id: p for p in collect(pages, data_dir)}
    with tempfile.TemporaryDirectory(prefix="iom-crossfit-") as tmp:
        # which pages each decision's model does not learn from (extract/evaluation/gold.py), read once
        _JOB.update(by_id=by_id, data_dir=data_dir, tmp=tmp, confidence=confidence, collected=collected,
                    not_learnt_from=gold_not_learnt_from())
        try:
            n = min(workers(), len(tasks))
            if n > 1 and "fork" in multiprocessing.get_all_start_methods():
                with multiprocessing.get_context("fork").Pool(n) as pool:
                    done = pool.map(_fit, tasks, chunksize=1)
            else:
                done = [_fit(t) for t in tasks]
        finally:
            _JOB.clear()
    return [r for part in done for r in part]
