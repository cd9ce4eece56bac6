"""evaluate.py end to end on tiny gold/prediction files (no pipeline run): tables, JSON, the CI
gate, the report files, and honest inputs (ids that do not match, missing or unusable files)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extract.evaluation import examples
from extract.evaluation.cli import main

ROOT = Path(__file__).resolve().parent.parent

TEXT = "Cuba reçoit 100 000 dollars en 2024."
GOLD = {"id": "p1", "path": "x", "text": TEXT,
        "spans": [{"start": 0, "end": 4, "label": "COUNTRY", "iso": "CU"},
                  {"start": 12, "end": 27, "label": "MONEY"}, {"start": 31, "end": 35, "label": "DATE"}],
        "record": {"kind": "news", "title": None, "project_code": None, "prima_id": None, "budget": None,
                   "start_date": None, "end_date": None, "approval_year": None, "duration_months": None,
                   "status": None, "project_type": None, "coverage": None, "region": None, "mission": None,
                   "beneficiary_countries": [], "non_eligible_countries": [], "countries_mentioned": ["CU"],
                   "amounts": [{"amount": 100000.0, "currency": "USD", "text": "100 000 dollars", "start": 12, "end": 27}],
                   "deliverables": []}}
PRED = {"id": "p1", "kind": "news", "countries_mentioned": ["CU"], "amounts": [], "deliverables": [],
        "entities": [{"start": 0, "end": 4, "label": "COUNTRY", "text": "Cuba"},
                     {"start": 31, "end": 35, "label": "DATE", "text": "2024"}]}


def run(tmp_path, *args):
    gold, pred, split = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl", tmp_path / "split.json"
    gold.write_text(json.dumps(GOLD) + "\n")
    pred.write_text(json.dumps(PRED) + "\n")
    split.write_text(json.dumps({"dev": [], "test": ["p1"]}))
    return subprocess.run([sys.executable, "evaluate.py", "--gold", str(gold), "--split-file", str(split),
                           "--pred", str(pred), *args], capture_output=True, text=True, cwd=ROOT)


def test_tables_json_and_gate(tmp_path):
    out = run(tmp_path)
    assert out.returncode == 0, out.stderr
    assert "SPANS, strict" in out.stdout and "RECORD FIELDS" in out.stdout
    js = json.loads(run(tmp_path, "--json").stdout)["systems"]["pipeline"]
    # spans: COUNTRY and DATE found, MONEY missed -> P 1, R 2/3
    assert js["ents_p"] == 1.0 and abs(js["ents_r"] - 2 / 3) < 1e-9
    # records: kind tp, countries tp, amounts fn -> micro P 1, R 2/3
    assert abs(js["record_micro_r"] - 2 / 3) < 1e-9
    assert js["support"]["pages"] == 1 and js["support"]["spans"]["MONEY"] == 1
    assert run(tmp_path, "--min-f1", "0.9").returncode == 1
    assert run(tmp_path, "--min-f1", "0.5").returncode == 0


def test_report_files(tmp_path):
    out = run(tmp_path, "--report", str(tmp_path / "rep"))
    assert out.returncode == 0, out.stderr
    md = (tmp_path / "rep" / "report.md").read_text()
    html = (tmp_path / "rep" / "report.html").read_text()
    assert "missed MONEY" in md and "\\[\\[100 000 dollars\\]\\]" in md   # Markdown syntax escaped
    assert 'data-cat="missed" data-label="MONEY"' in html
    for png in ("field_f1.png", "span_f1.png"):
        assert (tmp_path / "rep" / png).read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "rep" / "report.json").read_text())["systems"]["pipeline"]["ents_p"] == 1.0


# ---------------------------------------------------------------------------------------------
# in-process runs on the three example pages (extract/evaluation/examples.py)

@pytest.fixture
def ex(tmp_path):
    return examples.write(tmp_path / "ex")


def call(capsys, ex, *args, pred=True):
    argv = ["--gold", str(ex["gold"]), "--split-file", str(ex["split"])]
    if pred:
        argv += ["--pred", str(ex["pred"])]
    code = main([*argv, *args])
    out, err = capsys.readouterr()
    return code, out, err


def write_preds(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_json_keys_kept_and_added(capsys, ex):
    code, out, _ = call(capsys, ex, "--json")
    assert code == 0
    run_ = json.loads(out)
    s = run_["systems"]["pipeline"]
    old = {"ents_p", "ents_r", "ents_f", "ents_macro_f", "ents_per_type", "ents_lenient_p", "ents_lenient_r",
           "ents_lenient_f", "ents_lenient_macro_f", "ents_lenient_per_type", "record_micro_p", "record_micro_r",
           "record_micro_f", "record_per_field", "support"}
    assert old <= s.keys() and run_["split"] == "test"
    for key in ("ents_p_ci", "ents_f_ci", "ents_macro_f_ci", "ents_lenient_f_ci", "record_micro_f_ci",
                "ents_errors", "error_pages", "calibration"):
        assert key in s, key
    start = s["record_per_field"]["start_date"]
    assert {"p", "r", "f", "tp", "fp", "fn", "support", "p_ci", "r_ci", "f_ci", "defined", "attempted"} <= start.keys()
    # mission: no gold value, nothing predicted -> undefined, no interval
    assert s["record_per_field"]["mission"]["defined"] == {"p": False, "r": False, "f": False}
    assert s["record_per_field"]["mission"]["f_ci"] is None
    assert s["ents_errors"]["MONEY"] == {"correct": 0, "wrong_label": 0, "partial": 0, "missed": 1, "spurious": 0}
    assert s["ents_errors"]["DATE"]["spurious"] == 1
    assert [e["id"] for e in s["error_pages"]] == ["p1", "nav"]
    h = run_["header"]
    assert h["pages"] == 3 and h["split"] == "test" and len(h["gold_sha256"]) == 64
    assert h["commit"] and "--json" in h["command"] and h["command"].startswith("evaluate.py ")


def test_console_fits_100_columns(capsys, ex):
    code, out, _ = call(capsys, ex)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "n/a" in out and "95% CI" in out and "CALIBRATION" in out


def test_bootstrap_is_deterministic_with_its_seed(capsys, ex):
    a = json.loads(call(capsys, ex, "--json")[1])
    b = json.loads(call(capsys, ex, "--json")[1])
    assert a["systems"] == b["systems"] and a["bootstrap"]["resamples"] == 1000
    c = json.loads(call(capsys, ex, "--json", "--seed", "7", "--resamples", "200")[1])
    d = json.loads(call(capsys, ex, "--json", "--seed", "7", "--resamples", "200")[1])
    assert c["systems"] == d["systems"] and c["bootstrap"] == {"resamples": 200, "seed": 7, "level": 0.95,
                                                               "unit": "page"}


def test_missing_and_extra_ids_are_said(capsys, ex, tmp_path):
    recs = examples.predictions()
    pred = write_preds(tmp_path / "part.jsonl", [recs["p1"], {"id": "stranger", "entities": []}])
    code, out, err = call(capsys, ex, "--pred", str(pred), "--json", pred=False)
    assert code == 0
    assert "1 of 3 gold pages have a prediction" in err and "1 predicted id is not in the gold (stranger)" in err
    assert "scored as empty records" in err
    run_ = json.loads(out)
    cov = run_["inputs"][0]
    assert cov["missing"] == ["nav", "ok"] and cov["extra"] == ["stranger"]
    assert run_["systems"]["pipeline"]["support"]["pages"] == 3           # missing pages scored empty
    # --only-predicted scores the page that has a prediction
    code, out, err = call(capsys, ex, "--pred", str(pred), "--json", "--only-predicted", pred=False)
    assert code == 0 and json.loads(out)["systems"]["pipeline"]["support"]["pages"] == 1
    assert "scoring the 1 gold pages that have a prediction" in err
    # --strict: any mismatch exits 1, extra ids alone too
    assert call(capsys, ex, "--pred", str(pred), "--strict", pred=False)[0] == 1
    only_extra = write_preds(tmp_path / "extra.jsonl", [*recs.values(), {"id": "stranger"}])
    code, _, err = call(capsys, ex, "--pred", str(only_extra), "--strict", pred=False)
    assert code == 1 and "--strict" in err
    assert call(capsys, ex, "--strict")[0] == 0


def test_report_says_the_coverage(capsys, ex, tmp_path):
    recs = examples.predictions()
    pred = write_preds(tmp_path / "part.jsonl", [recs["p1"]])
    code, _, _ = call(capsys, ex, "--pred", str(pred), "--report", str(tmp_path / "r"), pred=False)
    assert code == 0
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert "1 of 3 gold pages have a prediction" in html
    assert "no prediction for this page" in html
    assert "1 of 3 gold pages have a prediction" in (tmp_path / "r" / "report.md").read_text("utf-8")


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "nope.jsonl", "no such file"),
    (lambda d: d, "is a directory"),
    (lambda d: (d / "t.csv").write_text("id,source,kind\np1,x,news\n") and d / "t.csv", "CSV"),
    (lambda d: (d / "t.txt").write_text("id,kind\np1,news\n") and d / "t.txt", "CSV"),
    (lambda d: (d / "bad.jsonl").write_text('{"id": "p1"}\n{"id": \n') and d / "bad.jsonl", "line 2: not JSON"),
    (lambda d: (d / "noid.jsonl").write_text('{"kind": "news"}\n') and d / "noid.jsonl", "without a string id"),
    (lambda d: (d / "bin.jsonl").write_bytes(b"\xff\xfe\x00bad") and d / "bin.jsonl", "not UTF-8"),
])
def test_unusable_pred_file_is_one_line_exit_2(capsys, ex, tmp_path, make, message):
    path = make(tmp_path)
    code, out, err = call(capsys, ex, "--pred", str(path), pred=False)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unusable_files_from_the_command_line_never_trace(tmp_path):
    ex = examples.write(tmp_path / "ex")
    for args in (["--gold", str(tmp_path / "missing.jsonl")],
                 ["--gold", str(ex["gold"]), "--split-file", str(tmp_path / "missing.json")],
                 ["--gold", str(ex["gold"]), "--split-file", str(ex["split"]), "--pred", str(tmp_path / "x.jsonl")],
                 ["--gold", str(ex["gold"]), "--split-file", str(ex["split"]), "--pred", str(ex["pred"]),
                  "--previous", str(tmp_path / "old.json")],
                 ["--gold", str(ex["gold"]), "--split-file", str(ex["split"]), "--compare", str(ex["pred"]),
                  str(tmp_path / "b.jsonl")]):
        proc = subprocess.run([sys.executable, "evaluate.py", *args], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert "no such file" in proc.stderr


def test_json_out_and_previous_run(capsys, ex, tmp_path):
    prev = tmp_path / "prev.json"
    code, out, _ = call(capsys, ex, "--json-out", str(prev))
    assert code == 0 and "RECORD FIELDS" in out
    old = json.loads(prev.read_text())
    # pretend the previous run had start_date right: the report marks it lower now
    old["systems"]["pipeline"]["record_per_field"]["start_date"]["f"] = 1.0
    prev.write_text(json.dumps(old))
    code, out, _ = call(capsys, ex, "--previous", str(prev), "--report", str(tmp_path / "r"))
    assert code == 0
    assert "lower than the previous run: start_date 0.000 (was 1.000)" in out.replace("\n  ", " ")
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert "previous run: 1.000'" in html and "class='gate prev'" in html
    # a file that is not evaluate.py's JSON is refused
    (tmp_path / "other.json").write_text("[1, 2]")
    assert call(capsys, ex, "--previous", str(tmp_path / "other.json"))[0] == 2


def test_gate_is_coloured_from_min_f1(capsys, ex, tmp_path):
    code, _, _ = call(capsys, ex, "--min-f1", "0.5", "--report", str(tmp_path / "r"))
    assert code == 0
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert "<td class='gate' title='under the CI gate 0.5'>" in html      # start_date F1 0.000
    assert call(capsys, ex, "--min-f1", "0.9")[0] == 1


def test_commit_unknown_without_git(monkeypatch):
    import subprocess as sp

    from extract.evaluation import inputs

    def no_git(*a, **k):
        raise FileNotFoundError("git")

    monkeypatch.setattr(sp, "run", no_git)
    assert inputs.git_commit() == "unknown"
