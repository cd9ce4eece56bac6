"""Every record field is declared once (extract/record.py); the schema, the outputs' columns and
the scorer's lists are derived from the declarations and agree. Docs serialise like spaCy's own."""
import json
import sqlite3

import pytest
from spacy.tokens import Doc, DocBin

from extract.io.writers import PAGE_COLUMNS, SqliteWriter, page_row
from extract.record import (SCHEMA_PATH, Record, all_fields, build_schema, list_fields, scalar_fields,
                            sql_columns)


def test_the_committed_schema_is_the_generated_one():
    assert json.loads(SCHEMA_PATH.read_text("utf-8")) == build_schema()   # python -m extract.record rewrites it


def test_outputs_and_scorer_follow_the_declarations():
    from extract.evaluation import gold

    scalars = [f.name for f in scalar_fields()]
    lists = [f.name for f in list_fields()]
    assert list(gold.SCALAR_FIELDS) == scalars
    assert set(gold.RECORD_FIELDS) == set(scalars) | set(lists)
    row = page_row({"id": "x"})
    for name in scalars:
        assert (name in row) or name == "budget"
        assert f"{name}_confidence" in row
    assert {"budget_amount", "budget_currency"} <= set(row)
    assert list(row) == PAGE_COLUMNS
    for f in all_fields():
        if f.spec.contract:
            assert f.name in build_schema()["required"]


def test_a_new_field_reaches_every_output(monkeypatch):
    # a declaration is all it takes: the schema, the CSV row and the SQL columns see it
    import dataclasses

    from extract import record as record_mod

    Extra = dataclasses.make_dataclass("Extra", [("donor", str, record_mod.spec("scalar", {"type": ["string", "null"]},
                                                                                  sql="TEXT", scoring="exact",
                                                                                  evidence=True))],
                                       bases=(Record,))
    monkeypatch.setattr(record_mod, "Record", Extra)
    assert "donor" in build_schema()["properties"]
    assert ("donor", "TEXT") in sql_columns()
    assert [f.name for f in scalar_fields()][-1] == "donor"


def test_an_old_sqlite_file_gets_the_new_columns_and_tables(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE pages (id TEXT PRIMARY KEY, source TEXT, kind TEXT, title TEXT, project_code TEXT, prima_id TEXT,
            budget_amount REAL, budget_currency TEXT, start_date TEXT, end_date TEXT, approval_year INTEGER,
            duration_months INTEGER, status TEXT, project_type TEXT, coverage TEXT, region TEXT, mission TEXT,
            errors TEXT, record TEXT);
        INSERT INTO pages (id, kind) VALUES ('old-page', 'news');""")
    db.commit()
    db.close()
    rec = Record(id="p1", source="x", title="T", evidence={"title": {"value": "T", "start": 0, "end": 1, "text": "T",
                                                                     "rule": "first content line",
                                                                     "confidence": 0.9}}).to_dict()
    with SqliteWriter(str(path)) as w:
        w.write(rec)
    db = sqlite3.connect(path)
    cols = {r[1] for r in db.execute("PRAGMA table_info(pages)")}
    assert {n for n, _ in sql_columns()} <= cols
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 2   # the old row kept
    assert db.execute("SELECT field, rule, confidence FROM evidence").fetchall() == [("title", "first content line", 0.9)]


@pytest.fixture(scope="module")
def page():
    from pathlib import Path

    return (Path(__file__).resolve().parent.parent / "seeds" / "000_14ffe6853017f9cf.txt").read_text("utf-8")


def test_a_doc_round_trips_with_its_typed_values(extractor, page):
    doc = extractor.nlp(page)
    back = Doc(extractor.nlp.vocab).from_bytes(doc.to_bytes())
    assert isinstance(back._.record, Record) and back._.record.to_dict() == doc._.record.to_dict()
    assert back._.fields == doc._.fields
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    again = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(extractor.nlp.vocab))[0]
    assert again._.record.budget == doc._.record.budget
    assert [s._.value for s in again.spans["iom"]] == [s._.value for s in doc.spans["iom"]]


def test_nlp_pipe_in_two_processes(extractor, page):
    docs = list(extractor.nlp.pipe([page, page], n_process=2))
    assert [d._.record.project_code for d in docs] == ["DA.0009", "DA.0009"]


def test_the_factories_declare_what_they_read_and_write(extractor):
    analysis = extractor.nlp.analyze_pipes(pretty=False)
    assert all(not p for p in analysis["problems"].values())
    assert "doc._.record" in analysis["summary"]["iom_record"]["assigns"]
