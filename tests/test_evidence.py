"""Every value comes with its evidence and a confidence (issue 15 §1, §2, §4)."""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from extract.record import list_fields, load_schema, scalar_fields

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus_records(extractor):
    pages = sorted((ROOT / "annotations" / "pages").glob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    return [(p.read_text("utf-8"), extractor.extract(p.read_text("utf-8"), id=p.stem).to_dict()) for p in pages]


def test_one_entry_per_value_with_offsets_into_the_text(corpus_records):
    schema = load_schema()
    for text, rec in corpus_records:
        jsonschema.validate(rec, schema)
        ev = rec["evidence"]
        for f in scalar_fields():
            e = ev[f.name]
            assert e["value"] == rec[f.name], (rec["id"], f.name)
            assert 0 <= e["confidence"] <= 1 and e["rule"]
            if e["start"] is not None:
                assert text[e["start"]:e["end"]] == e["text"]
        for f in list_fields():
            items = ev[f.name]
            assert len(items) == len(rec[f.name]), (rec["id"], f.name)
            for item, value in zip(items, rec[f.name]):
                assert text[item["start"]:item["end"]] == item["text"]
                if f.name in ("amounts", "deliverables"):
                    assert (item["start"], item["end"]) == (value["start"], value["end"])
                else:
                    assert item["value"] == value


def test_rules_say_what_decided(corpus_records):
    sheet = next(r for _, r in corpus_records if r["id"] == "000_14ffe6853017f9cf")
    assert sheet["evidence"]["budget"]["rule"] == "label: Budget Amount (USD)"
    assert sheet["evidence"]["start_date"]["rule"] == "label: Date de début"
    assert sheet["evidence"]["kind"]["rule"].startswith("layout: project-sheet labels")
    news = [r for _, r in corpus_records if r["kind"] == "news"]
    assert any(r["evidence"]["kind"]["rule"] == "layout: dateline" for r in news)
    assert all(r["evidence"]["duration_months"]["rule"] for r in news)


def test_label_values_are_more_certain_than_guesses_from_prose(corpus_records):
    # a project sheet's label (a label on a release or a standing page is less sure: the page may
    # hold another project's block; a clear start cue in prose, with a scorer that agrees, can be
    # surer than that). A guess is a start the start model was not all but certain of (p < 0.99 in
    # its evidence): since the thirty-eighth session's retraining the confidence ranker puts one
    # start the model gave p=1.00 ("… lancent un projet …", right) at 0.9963, above the label
    # budgets' 0.9944; every label stays above every guess and above the prose starts' median
    label = [r["evidence"]["budget"]["confidence"] for _, r in corpus_records
             if r["evidence"]["budget"]["rule"].startswith("label") and r["kind"] in ("idf_project", "innovation")]
    starts = [r["evidence"]["start_date"] for _, r in corpus_records if r["kind"] == "news" and r["start_date"] is not None]
    prose = sorted(e["confidence"] for e in starts)
    guesses = [e["confidence"] for e in starts if not re.search(r"\(p=(?:0\.99|1\.00)\)", e["rule"])]
    assert label and guesses and min(label) > max(guesses)
    assert min(label) > prose[len(prose) // 2]


def test_a_null_is_doubtful_where_a_candidate_came_close():
    """A news page that says nothing of a start date is not where a reviewer should look; one
    whose best date the model turned down at 0.4, among four dates, is. (Among more than five
    dates the training pages' nulls were all right, 3 of 3: the model says so, 0.996.) The review
    reads the order, so the order is what is asserted: how far apart the two come depends on the
    pseudo-count training chooses (with 10, chosen in the twenty-first session: 0.9989 against 1.0)."""
    from extract.confidence import ConfidenceModel

    model = ConfidenceModel.load(ROOT / "models" / "confidence.json")
    rule = "no date stated"
    quiet = {"kind": "news", "candidates": {"money": 0, "date": 0, "duration": 0}, "best": {}}
    close = {"kind": "news", "candidates": {"money": 0, "date": 4, "duration": 0}, "best": {"start": [0.4, 0.1]}}
    ev = {"start_date": {"value": None, "rule": rule}}
    model.annotate(ev, quiet)
    sure = ev["start_date"]["confidence"]
    ev = {"start_date": {"value": None, "rule": rule}}
    model.annotate(ev, close)
    assert ev["start_date"]["confidence"] < sure
    # the same evidence, the same page: the memo gives what the chain gives
    again = {"start_date": {"value": None, "rule": rule}}
    model.annotate(again, quiet)
    assert again["start_date"]["confidence"] == sure


def test_the_pseudo_count_is_the_one_that_finds_a_new_batch_s_wrong_values():
    """Two batches of 204 scalar values. "common" evidence: 100 values, 7 wrong (listed last);
    "safe": 100, all right; "rare": 4, 2 wrong, under the same field as "safe". Reviewing 10% (21
    values) of a batch left out finds the rare wrong ones only when a small pseudo-count lets the
    rare evidence's own counts (2/4) outweigh its field's (102/104): with a large one it ranks
    above the common evidence and the review reads commons. choose_strength must see that."""
    from extract.confidence import STRENGTHS, choose_strength

    rows, batches = [], {}
    for batch in ("a", "b"):
        def add(k, field, evidence, right):
            pid = f"{batch}{k}"
            batches[pid] = batch
            rows.append((pid, field, [f"{field}|{evidence}|news|value", f"{field}|news|value", f"{field}|value"],
                         right, True))
        for k in range(100):
            add(k, "budget", "common", 0 if k >= 93 else 1)
        for k in range(100):
            add(100 + k, "start_date", "safe", 1)
        for k in range(4):
            add(200 + k, "start_date", "rare", k % 2)
    unseen = {"budget|value": (93, 100), "start_date|value": (99, 100)}
    best, table = choose_strength(rows, batches, unseen, 0.95)
    assert set(table) == set(STRENGTHS) and all(v["wrong"] == 18 for v in table.values())
    assert table[min(STRENGTHS)]["found"] == 4      # both batches' rare wrong values
    assert table[max(STRENGTHS)]["found"] == 0
    assert best < max(STRENGTHS) and table[best]["found"] == 4


# the confidence artefacts rebuilt byte for byte: tests/test_prose.py
# test_train_is_deterministic_and_matches_the_committed_models (one `train` builds them all)


def test_csv_and_sqlite_carry_the_confidences(tmp_path):
    import csv
    import sqlite3

    assert subprocess.run([sys.executable, "-m", "extract", "batch", "seeds", "-o", str(tmp_path / "o.csv")],
                          cwd=ROOT).returncode == 0
    row = next(csv.DictReader((tmp_path / "o.csv").open(encoding="utf-8")))
    assert 0 < float(row["budget_confidence"]) <= 1
    assert subprocess.run([sys.executable, "-m", "extract", "batch", "seeds", "-o", str(tmp_path / "o.db")],
                          cwd=ROOT).returncode == 0
    db = sqlite3.connect(tmp_path / "o.db")
    rows = db.execute("SELECT field, rule, confidence FROM evidence WHERE page_id = '000_14ffe6853017f9cf' "
                      "AND field = 'budget'").fetchall()
    assert rows and rows[0][1] == "label: Budget Amount (USD)"


def test_iati_min_confidence_leaves_out_doubtful_values(tmp_path):
    from extract.io.iati import IatiWriter

    def rec(conf_budget, conf_start):
        ev = {"budget": {"value": None, "start": None, "end": None, "text": None, "rule": "x", "confidence": conf_budget},
              "start_date": {"value": "2024", "start": None, "end": None, "text": None, "rule": "x",
                             "confidence": conf_start}}
        return {"id": "x", "project_code": "DA.0009", "status": "active", "start_date": "2024", "end_date": "2025",
                "budget": {"amount": 100.0, "currency": "USD"}, "title": "T", "beneficiary_countries": ["CU"],
                "evidence": ev}

    out = tmp_path / "a.xml"
    with IatiWriter(str(out), min_confidence=0.9) as w:
        w.write(rec(0.5, 0.99))
    act = ET.parse(out).getroot().find("iati-activity")
    assert act is not None and act.find("budget") is None          # the doubtful budget left out
    with IatiWriter(str(out), min_confidence=0.9) as w:
        w.write(rec(0.99, 0.5))
    assert ET.parse(out).getroot().find("iati-activity") is None    # a required value left out: no activity
    proc = subprocess.run([sys.executable, "-m", "extract", "batch", "seeds", "-o", str(tmp_path / "s.xml"),
                           "--min-confidence", "0.99"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "left out" in proc.stderr
    bad = subprocess.run([sys.executable, "-m", "extract", "batch", "seeds", "-o", str(tmp_path / "s.jsonl"),
                          "--min-confidence", "0.5"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "IATI" in bad.stderr


def test_review_reads_the_page_back_from_its_source(tmp_path):
    from extract.review import doubtful

    out = tmp_path / "o.jsonl"
    assert subprocess.run([sys.executable, "-m", "extract", "batch", "annotations/batch2", "-o", str(out)],
                          cwd=ROOT).returncode == 0
    items = doubtful([json.loads(l) for l in out.read_text("utf-8").splitlines()], 0.95)
    with_text = [i for i in items if i.context]
    assert with_text and all(i.context[1] for i in with_text)
    assert [i.confidence for i in items] == sorted(i.confidence for i in items)


def test_the_ranker_walks_the_trees_as_scikit_learn_does_and_round_trips(tmp_path):
    """The scalar values' ranker is trained with scikit-learn and evaluated with NumPy from the
    arrays stored in models/: the same scores, before and after a JSON round trip."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer

    from extract.confidence import RANKER_PARAMS, Ranker, fit_ranker

    rng = np.random.default_rng(0)
    rows = []
    for k in range(400):
        f = {"budget|news|null": 1.0, "budget|best1": float(rng.random()), "budget|logc": float(rng.integers(0, 4))}
        rows.append((f"p{k // 3}", f, int(f["budget|best1"] < 0.7 or rng.random() < 0.3)))
    ranker = fit_ranker(rows)
    dv = DictVectorizer(sparse=False, sort=True)
    X = dv.fit_transform([r[1] for r in rows])
    model = HistGradientBoostingClassifier(**RANKER_PARAMS).fit(X, [r[2] for r in rows])
    assert np.allclose(ranker.scores(X), model.decision_function(X))
    again = Ranker.from_json(json.loads(json.dumps(ranker.to_json())))
    assert again.probabilities([r[1] for r in rows]) == ranker.probabilities([r[1] for r in rows])
    # a null whose best candidate the model turned down at 0.1 above one turned down at 0.9 (the
    # rows make a null wrong where a candidate came that close)
    sure, doubtful = ranker.probabilities([{"budget|news|null": 1.0, "budget|best1": 0.1},
                                           {"budget|news|null": 1.0, "budget|best1": 0.9}])
    assert sure > doubtful


def test_the_scalars_confidence_is_the_ranker_only_where_it_found_more_wrong_values():
    d = json.loads((ROOT / "models" / "confidence.json").read_text("utf-8"))
    review = d["review_by_batch_left_out"]
    assert d["scalars"] == ("ranker" if review["ranker"] > review["counts"] else "counts")
    assert (ROOT / "models" / "confidence_ranker.json").exists() == (d["scalars"] == "ranker")


def test_the_ranker_reads_where_on_the_page_a_value_was_read():
    """Two budgets read by the same cue, one in the lead and one deep in the page: the ranker sees
    their places (scalar_features), and the record-level memo does not give the second the first's
    confidence (its key holds the interval between the trees' thresholds the place falls in)."""
    import numpy as np

    from extract.confidence import ConfidenceModel, fit_ranker, scalar_features

    rule = "sentence cue: 'doté de'"
    page = {"kind": "news", "length": 3000, "candidates": {"money": 3}, "best": {"budget": [0.9, 0.2]}}
    rng = np.random.default_rng(1)
    rows = []
    for k in range(300):
        start = int(rng.integers(0, 3000))
        f = scalar_features("budget", {"value": {"amount": 1.0, "currency": "USD"}, "start": start, "rule": rule}, page)
        # in this made-up sample a sum read in the page's last third is another thing's, mostly
        rows.append((f"p{k}", f, int(start < 2000 or rng.random() < 0.2)))
    assert {"budget|pos", "budget|off"} <= set(rows[0][1])
    label = scalar_features("budget", {"value": {"amount": 1.0, "currency": "USD"}, "start": 40,
                                       "rule": "label: Budget Amount (USD)"}, page)
    assert not any(k.endswith(("|pos", "|off")) for k in label)
    model = ConfidenceModel({}, {}, 0.9, 20.0, fit_ranker(rows))
    evidence = {"budget": {"value": {"amount": 1.0, "currency": "USD"}, "start": 120, "end": 130, "rule": rule}}
    model.annotate(evidence, page)
    lead = evidence["budget"]["confidence"]
    evidence = {"budget": {"value": {"amount": 1.0, "currency": "USD"}, "start": 2800, "end": 2810, "rule": rule}}
    model.annotate(evidence, page)
    assert evidence["budget"]["confidence"] < lead
