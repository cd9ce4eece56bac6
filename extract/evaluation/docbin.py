"""The gold set as spaCy DocBin files, for training and for spaCy's own evaluation.

    python -m extract gold-to-spacy --out corpus/      # writes corpus/dev.spacy and corpus/test.spacy

Every gold span goes on doc.spans["sc"]; the ones that do not overlap go on doc.ents too (a
DELIVERABLE clause may contain a COUNTRY, so not all of them can). Tokens are the project's
(fr tokenizer + extract/tokenizer.py), on which every gold span is aligned (--check-gold).
"""
from __future__ import annotations

from pathlib import Path

from spacy.tokens import DocBin
from spacy.util import filter_spans

from .gold import GOLD_PATH, SPLIT_PATH, load_gold, select


def gold_to_docbin(gold_path: Path | str = GOLD_PATH, out_dir: Path | str = "corpus",
                   splits=("dev", "test"), split_path: Path | str = SPLIT_PATH) -> list[Path]:
    from .gold import _tokenizer

    nlp = _tokenizer()
    gold = load_gold(gold_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for split in splits:
        db = DocBin(store_user_data=False)
        for g in select(gold, split, split_path):
            doc = nlp(g["text"])
            spans = [doc.char_span(s["start"], s["end"], label=s["label"]) for s in g["spans"]]
            spans = [s for s in spans if s is not None]
            doc.spans["sc"] = spans
            doc.ents = filter_spans(spans)
            db.add(doc)
        path = out_dir / f"{split}.spacy"
        db.to_disk(path)
        written.append(path)
    return written
