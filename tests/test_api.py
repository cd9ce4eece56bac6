"""The Python API: Extractor().extract / .pipe, records as dicts, the spaCy doc attributes."""
import jsonschema

from extract import Extractor, Record
from extract.record import load_schema


def test_extract_returns_a_record(extractor):
    rec = extractor.extract("Projet ID\nIS.0077\nPrima ID\nCU10P0503\n", id="p", source="mem")
    assert isinstance(rec, Record)
    d = rec.to_dict()
    assert d["id"] == "p" and d["source"] == "mem"
    assert d["project_code"] == "IS.0077" and d["prima_id"] == "CU10P0503"
    jsonschema.validate(d, load_schema())


def test_pipe_streams_in_order_and_accepts_plain_texts(extractor):
    recs = list(extractor.pipe(["Cuba et le Chili.", ("Le Maroc.", "m")]))
    assert [r.id for r in recs] == ["0", "m"]
    assert recs[0].countries_mentioned == ["CU", "CL"] and recs[1].countries_mentioned == ["MA"]


def test_model_is_loaded_once():
    assert Extractor().nlp is Extractor().nlp


def test_doc_carries_spans_and_record(extractor):
    doc = extractor.nlp("Haïti reçoit 1,5 million de dollars en mars 2017.")
    labels = [(s.label_, s.text) for s in doc.spans["iom"]]
    # the sum is a span (whether it is this one-sentence page's budget is the prose tests' matter)
    assert ("COUNTRY", "Haïti") in labels and any(t == "1,5 million de dollars" and l in ("MONEY", "BUDGET")
                                                  for l, t in labels)
    assert ("DATE", "mars 2017") in labels
    assert doc._.record.amounts[0]["amount"] == 1500000.0
    assert doc._.record.entities == sorted(doc._.record.entities, key=lambda e: (e["start"], e["end"]))


def test_empty_text_is_an_error_record(extractor):
    rec = extractor.extract("   \n", id="e")
    assert rec.errors and "empty" in rec.errors[0]
