"""First-look records (models/first_look): an earlier commit's records of each training batch,
made before anyone developed on it, that the confidence's ranker learns from."""
import csv
import json
import subprocess

import numpy as np
import pytest

from extract.evaluation.gold import (FIRST_LOOK_DIR, NAMED_SPLITS, ROOT, TRAINING_SPLITS, load_first_look,
                                     load_split)


def _commits():
    with open(FIRST_LOOK_DIR / "commits.tsv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_each_file_is_its_splits_pages_read_by_the_commit_that_scored_them_first():
    """Every split of commits.tsv is a training split with a file holding each of its pages once, in
    the split's order, made by the commit named; that commit is the one in the header of the score
    file that recorded the batch's first look; no file exists for a split that is not a training
    split (a blind page's record must never reach a trained artefact)."""
    splits = load_split()
    rows = _commits()
    assert len(rows) >= 16
    for row in rows:
        split, commit = row["split"], row["commit"]
        assert split in TRAINING_SPLITS
        header = json.loads((ROOT / row["first scored in"]).read_text("utf-8"))["header"]
        assert header["commit"].startswith(commit)
        lines = [json.loads(x) for x in (FIRST_LOOK_DIR / f"{split}.jsonl").read_text("utf-8").splitlines()]
        assert [x["id"] for x in lines] == splits[split]
        assert {x["commit"] for x in lines} == {header["commit"][:12]}
        for x in lines:
            assert {"kind", "length", "candidates", "best"} <= set(x["page"])
            assert "budget" in x["evidence"] and "confidence" not in x["evidence"]["budget"]
    blind = [n for n in NAMED_SPLITS if n not in TRAINING_SPLITS]
    assert not [n for n in blind if (FIRST_LOOK_DIR / f"{n}.jsonl").exists()]
    assert len(load_first_look()) == sum(len(splits[r["split"]]) for r in rows)


def test_a_page_outside_its_training_split_is_refused(tmp_path):
    splits = load_split()
    row = {"id": splits["fresh"][0], "split": "written18_dev", "commit": "x", "page": {}, "evidence": {}}
    (tmp_path / "written18_dev.jsonl").write_text(json.dumps(row) + "\n", "utf-8")
    with pytest.raises(ValueError, match="not a page of written18_dev"):
        load_first_look(("written18_dev",), tmp_path)
    # nor is a blind split read, whatever its file holds
    (tmp_path / "fresh.jsonl").write_text(json.dumps(dict(row, split="fresh")) + "\n", "utf-8")
    assert load_first_look(("written5_dev",), tmp_path) == []


def test_make_runs_the_commits_own_code(tmp_path):
    """make.py checks a commit out beside the repository and runs its pipeline: HEAD's code on two
    pages gives the records HEAD's pipeline gives in process."""
    import importlib.util

    from extract.pipeline import build_nlp

    spec = importlib.util.spec_from_file_location("first_look_make", FIRST_LOOK_DIR / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()
    path = make.make("written18_dev", "HEAD", tmp_path, limit=2)
    rows = [json.loads(x) for x in path.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == load_split()["written18_dev"][:2]
    assert {r["commit"] for r in rows} == {head[:12]}
    from extract.evaluation.gold import load_gold

    text = {g["id"]: g["text"] for g in load_gold()}
    nlp = build_nlp()
    for r in rows:
        rec = nlp(text[r["id"]])._.record.to_dict()
        for name, e in r["evidence"].items():
            assert e["value"] == rec["evidence"][name]["value"]
            assert e["rule"] == rec["evidence"][name]["rule"]
        assert r["page"]["length"] == len(text[r["id"]])
    listed = subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], check=True, capture_output=True,
                            text=True).stdout
    assert not [x for x in listed.splitlines() if x.split()[0].endswith("/wt")]   # the worktree is gone


def test_a_commit_whose_pipeline_fails_is_named_with_its_error(tmp_path, monkeypatch):
    """An old commit that cannot make a record (one older than the evidence) stops make.py with the
    commit, the split and the end of the old code's traceback, and leaves no worktree and no file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("first_look_make", FIRST_LOOK_DIR / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    monkeypatch.setattr(make, "RUNNER", "import extract.components.no_such_component")
    with pytest.raises(RuntimeError, match=r"(?s)HEAD's pipeline failed on written18_dev.*no_such_component"):
        make.make("written18_dev", "HEAD", tmp_path, limit=1)
    assert not list(tmp_path.iterdir())
    listed = subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], check=True, capture_output=True,
                            text=True).stdout
    assert not [x for x in listed.splitlines() if x.split()[0].endswith("/wt")]


def test_train_learns_from_first_look_records(tmp_path):
    """The ranker reads the first-look rows: where the old code's sums read in the middle of the page
    were wrong (and today's out-of-fold records are right there), a sum read there gets a lower
    confidence than a ranker trained without them gives it."""
    from extract.confidence import ConfidenceModel, train

    priors = ROOT / "models" / "confidence_priors.json"
    rng = np.random.default_rng(3)
    rule = "sentence cue: 'doté de'"
    page = {"kind": "news", "length": 3000, "candidates": {"money": 3}, "best": {"budget": [0.9, 0.2]}}

    def rows(wrong_between, n=600):
        out = []
        for k in range(n):
            start = int(rng.integers(0, 3000))
            wrong = wrong_between[0] <= start < wrong_between[1] and rng.random() < 0.8
            ev = {"budget": {"value": {"amount": 1.0, "currency": "USD"}, "start": start, "end": start + 5, "rule": rule}}
            gold = {"budget": {"amount": 2.0 if wrong else 1.0, "currency": "USD"}}
            out.append((f"p{k:03d}", {"evidence": ev}, gold, page))
        return out

    pages = rows((2400, 3000))
    first = rows((1000, 1800))
    batches = {pid: f"b{int(pid[1:]) % 3}" for pid, *_ in pages}
    confidence = {}
    for name, fl in (("without", ()), ("with", first)):
        out = tmp_path / name / "confidence.json"
        out.parent.mkdir()
        doc = train(pages, out, priors, batches=batches, first_look=fl, compare_first_look=True)
        assert doc["scalars"] == "ranker"
        model = ConfidenceModel.load(out)
        ev = {"budget": {"value": {"amount": 1.0, "currency": "USD"}, "start": 1400, "end": 1405, "rule": rule}}
        model.annotate(ev, page)
        confidence[name] = ev["budget"]["confidence"]
        if fl:
            assert doc["first_look"] == {"pages": 600, "scalar_values": 600,
                                         "wrong": sum(1 for _, _, g, _ in first if g["budget"]["amount"] == 2.0)}
            review = doc["review_by_batch_left_out"]
            assert review["first_look"]["wrong"] == doc["first_look"]["wrong"]
            # the held-out batches' first-look wrong values sit in the middle of the page: the
            # ranker that learnt from the other batches' first looks finds more of them
            assert review["first_look"]["ranker"] > review["first_look"]["without_first_look"]
            # the comparison is returned, not written: the file is the plain run's
            written = json.loads(out.read_text("utf-8"))["review_by_batch_left_out"]
            assert "ranker_without_first_look" not in written and set(written["first_look"]) == {"ranker", "wrong"}
        else:
            assert doc["first_look"] is None
            assert not {"first_look", "ranker_without_first_look"} & set(doc["review_by_batch_left_out"])
    assert confidence["with"] < confidence["without"] - 0.1
