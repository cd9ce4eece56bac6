"""evaluate.py --compare A.jsonl B.jsonl and the paired bootstrap behind it."""
import json

import numpy as np
import pytest

from extract.evaluation import examples
from extract.evaluation.bootstrap import paired_test, prf_intervals, resample_weights
from extract.evaluation.cli import main


def write(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    ex = examples.write(tmp_path / "ex")
    before = examples.predictions()
    after = json.loads(json.dumps(before))
    nav = next(g for g in examples.gold_pages() if g["id"] == "nav")
    after["nav"]["start_date"] = "2023"                      # fixed
    after["nav"]["countries_mentioned"] = ["HT", "MX"]       # fixed
    after["nav"]["entities"] = [e for e in after["nav"]["entities"] if e["text"] != "2020"]
    after["ok"]["project_code"] = "PE.0002"                  # broken
    assert nav["record"]["start_date"] == "2023"
    a = write(tmp_path / "before.jsonl", before.values())
    b = write(tmp_path / "after.jsonl", after.values())
    return ex, a, b


def run(capsys, ex, *args):
    code = main(["--gold", str(ex["gold"]), "--split-file", str(ex["split"]), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_two_files(files, capsys, tmp_path):
    ex, a, b = files
    code, out, _ = run(capsys, ex, "--compare", str(a), str(b), "--json")
    assert code == 0
    c = json.loads(out)["compare"]
    assert c["a"] == f"A: {a}" and c["b"] == f"B: {b}" and c["pages"] == 3
    sd = c["per_field"]["start_date"]
    assert (sd["f_a"], sd["f_b"], sd["delta"]) == (0.0, 1.0, 1.0)
    assert 0 < sd["p_value"] <= 1 and sd["delta_ci"][1] == 1.0
    assert c["per_field"]["kind"]["delta"] == 0.0 and c["per_field"]["kind"]["p_value"] == 1.0
    assert c["per_field"]["mission"]["delta"] is None          # nothing to find, nothing predicted: n/a
    changed = {p["id"]: p for p in c["changed_pages"]}
    assert set(changed) == {"nav", "ok"}
    fields = {f["field"]: f for f in changed["nav"]["fields"]}
    assert fields["start_date"] == {"field": "start_date", "a": "2020", "b": "2023", "gold": "2023", "verdict": "fixed"}
    assert fields["countries_mentioned"]["removed"] == ["CU"] and fields["countries_mentioned"]["added"] == []
    assert changed["nav"]["spans"]["removed"][0][2:] == ["DATE", "2020"]
    assert changed["ok"]["fields"][0]["verdict"] == "broken"
    # the console says it in 100 columns; the report has the section and both systems
    code, out, _ = run(capsys, ex, "--compare", str(a), str(b), "--report", str(tmp_path / "r"))
    assert code == 0 and "COMPARE" in out and "pages whose records changed: 2" in out
    assert "start_date [fixed]: \"2020\" -> \"2023\"" in out
    assert max(map(len, out.splitlines())) <= 100
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert "<h2 id='compare'>Compare</h2>" in html and "2 pages whose records changed" in html
    assert html.count("<label class='tab'") == 2


def test_compare_identical_files(files, capsys, tmp_path):
    ex, a, _ = files
    code, out, _ = run(capsys, ex, "--compare", str(a), str(a), "--json", "--min-f1", "0.5")
    c = json.loads(out)["compare"]
    assert code == 0 and c["changed_pages"] == []
    assert all(t["delta"] in (0.0, None) for t in c["per_field"].values())
    assert c["record_micro"]["p_value"] == 1.0


def test_perfect_system_says_no_errors(capsys, tmp_path):
    ex = examples.write(tmp_path / "ex")
    perfect = [{"id": g["id"], **g["record"], "entities": g["spans"]} for g in examples.gold_pages()]
    b = write(tmp_path / "gold_copy.jsonl", perfect)
    code, _, _ = run(capsys, ex, "--compare", str(ex["pred"]), str(b), "--report", str(tmp_path / "r"))
    assert code == 0
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    b_panel = html.split("<section data-panel='s1'")[1]
    assert b_panel.count("<p class='ok'>No errors.</p>") == 2     # pages list and errors section


def test_paired_bootstrap_is_deterministic_and_detects_a_clear_change():
    w = resample_weights(30, 1000, seed=5)
    assert (w == resample_weights(30, 1000, seed=5)).all() and not (w == resample_weights(30, 1000, seed=6)).all()
    a = np.array([[1, 0, 0]] * 15 + [[0, 1, 1]] * 15)     # right on half the pages
    b = np.array([[1, 0, 0]] * 30)                        # right everywhere
    t = paired_test(a, b, w)
    assert t["delta"] == pytest.approx(0.5) and t["p_value"] < 0.01
    assert t == paired_test(a, b, resample_weights(30, 1000, seed=5))
    one = np.array([[1, 0, 0]] * 29 + [[0, 1, 1]])        # one page differs: no evidence of a change
    assert paired_test(b, one, w)["p_value"] > 0.2
    ci = prf_intervals(a, w)
    assert ci["p_ci"][0] < 0.5 < ci["p_ci"][1]


def test_interval_by_hand():
    # two pages, one right (tp 1) and one wrong (fp 1, fn 1); a resample draws the right one k times,
    # k = 0, 1, 2 with probabilities 1/4, 1/2, 1/4, and F1 = 2k / (2k + 2(2 - k)) = k / 2
    w = resample_weights(2, 4000, seed=1)
    pages = np.array([[1, 0, 0], [0, 1, 1]])
    k = w[:, 0]
    assert abs((k == 1).mean() - 0.5) < 0.03
    assert prf_intervals(pages, w)["f_ci"] == [0.0, 1.0]
    assert prf_intervals(pages[:1], resample_weights(1, 10))["f_ci"] == [1.0, 1.0]
