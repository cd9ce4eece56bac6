"""``iom_confidence``: a calibrated confidence on every value of the record (extract/confidence.py).

Runs last: it reads the evidence ``iom_record`` wrote (``doc._.record.evidence``) and the page's
kind and candidate counts, and puts on every entry the probability that the value is right, from
models/confidence.json (built by ``python -m extract train``).
"""
from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..confidence import ConfidenceModel
from ..paths import models_dir
from .base import DataComponent, page_text
from .entities import SPANS_KEY


class ConfidenceComponent(DataComponent):
    files = ("confidence.json", "confidence_priors.json", "confidence_ranker.json")

    def load(self):
        self.model = ConfidenceModel.load(self.data_dir / "confidence.json")
        if self.model is None:
            raise FileNotFoundError(f"{self.data_dir / 'confidence.json'} is missing: run `python -m extract train`")

    def __call__(self, doc: Doc) -> Doc:
        rec = doc._.record
        if rec is None:
            return doc
        self.model.annotate(rec.evidence, page_info(doc))
        return doc


def page_info(doc: Doc) -> dict:
    """What the confidence features know of the page: its kind, its length and its competing
    candidates."""
    labels = [s.label_ for s in doc.spans.get(SPANS_KEY, [])]   # one pass: each builds a Span
    prose = doc._.prose or {}
    # the running-text models' two highest probabilities per decision: a null whose best candidate
    # came close to the threshold, or a value with a close runner-up, is where the doubt is
    probs: dict[str, list[float]] = {}
    for c in doc.user_data.get("iom_candidates") or ():
        for key, p in (c.get("rule") or {}).items():
            if key.startswith("p_"):
                probs.setdefault(key[2:], []).append(p)
    return {"kind": doc._.kind,
            "length": len(page_text(doc)),   # not doc.text: spaCy rebuilds it from the tokens
            "candidates": {"money": labels.count("MONEY") + labels.count("BUDGET"),
                           "date": labels.count("DATE"),
                           "duration": (prose.get("candidates") or {}).get("duration", 0)},
            "best": {k: sorted(v, reverse=True)[:2] for k, v in sorted(probs.items())}}


@Language.factory("iom_confidence", default_config={"data_dir": None},
                  requires=["doc._.record", "doc._.kind", "doc.spans"], assigns=["doc._.record"])
def make_confidence(nlp: Language, name: str, data_dir: str | None):
    return ConfidenceComponent(Path(data_dir) if data_dir else models_dir())
