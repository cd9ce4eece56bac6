"""Calibration figures (issue 15 §2) on examples worked out by hand."""
import json

import pytest

from extract.evaluation import examples
from extract.evaluation.calibration import (
    NO_CONFIDENCES, brier, ece, figures, has_confidences, list_rights, page_outcomes, reliability, review_curve,
    summarise,
)
from extract.evaluation.cli import main

# six values in three equal-width bins [0, 1/3), [1/3, 2/3), [2/3, 1]
CONF = [0.1, 0.2, 0.5, 0.6, 0.9, 0.95]
RIGHT = [False, True, True, False, True, True]


def test_three_bin_ece_by_hand():
    # bin 0: 0.1, 0.2 -> accuracy 1/2, mean confidence 0.15 -> gap 0.35
    # bin 1: 0.5, 0.6 -> accuracy 1/2, mean confidence 0.55 -> gap 0.05
    # bin 2: 0.9, 0.95 -> accuracy 1, mean confidence 0.925 -> gap 0.075
    # ECE = 2/6 * 0.35 + 2/6 * 0.05 + 2/6 * 0.075 = 0.475 / 3
    assert ece(CONF, RIGHT, bins=3) == pytest.approx(0.475 / 3)
    bins = reliability(CONF, RIGHT, bins=3)
    assert [b["n"] for b in bins] == [2, 2, 2]
    assert [b["accuracy"] for b in bins] == [0.5, 0.5, 1.0]
    assert [b["confidence"] for b in bins] == pytest.approx([0.15, 0.55, 0.925])


def test_unequal_bins_weigh_by_their_share():
    # 10 bins; 0.05 (wrong) alone in bin 0; 0.95, 0.95, 0.95 (two right) in bin 9
    # bin 0: gap |0 - 0.05| = 0.05, weight 1/4; bin 9: gap |2/3 - 0.95| = 0.28333, weight 3/4
    got = ece([0.05, 0.95, 0.95, 0.95], [False, True, True, False])
    assert got == pytest.approx(0.25 * 0.05 + 0.75 * (0.95 - 2 / 3))
    assert ece([], []) is None


def test_brier_by_hand():
    # (0.1-0)^2 + (0.2-1)^2 + (0.5-1)^2 + (0.6-0)^2 + (0.9-1)^2 + (0.95-1)^2
    # = 0.01 + 0.64 + 0.25 + 0.36 + 0.01 + 0.0025 = 1.2725, over 6
    assert brier(CONF, RIGHT) == pytest.approx(1.2725 / 6)
    assert brier([1.0, 0.0], [True, False]) == 0.0


def test_review_curve_by_hand():
    # least confident first: 0.1 (wrong), 0.2, 0.5, 0.6 (wrong), 0.9, 0.95; 2 wrong in all
    # 20% of 6 = 1.2 -> 2 checked: finds 1 of 2; 50% -> 3 checked: 1 of 2; 70% -> 4.2 -> 5: 2 of 2
    r = review_curve(CONF, RIGHT, ks=(20, 50, 70))
    assert r == {"20": {"checked": 2, "found": 1, "share": 0.5}, "50": {"checked": 3, "found": 1, "share": 0.5},
                 "70": {"checked": 5, "found": 2, "share": 1.0}}
    # default k = 5, 10, 20 on 20 values: 1, 2, 4 checked
    conf = [i / 20 for i in range(20)]
    right = [i not in (1, 3, 15) for i in range(20)]
    r = review_curve(conf, right)
    assert [r[k]["checked"] for k in ("5", "10", "20")] == [1, 2, 4]
    assert [r[k]["found"] for k in ("5", "10", "20")] == [0, 1, 2]
    assert r["20"]["share"] == pytest.approx(2 / 3)
    # nothing wrong: no share to give
    assert review_curve([0.5], [True])["5"]["share"] is None


def test_what_is_right_follows_the_scorer():
    usd = {"amount": 100000.0, "currency": "USD"}
    gold = examples.empty_record(budget=usd, start_date="2023", title="Un  titre", countries_mentioned=["HT", "MX"],
                                 amounts=[usd, usd], deliverables=[{"id": "1", "start": 10, "end": 50, "text": "x"}])
    proof = examples.proof
    pred = {"budget": usd, "start_date": None, "title": "Un titre", "countries_mentioned": ["HT", "CU"],
            "amounts": [usd, {"amount": 100000.001, "currency": "USD"}, usd],
            "deliverables": [{"id": None, "start": 12, "end": 50, "text": "y"}, {"id": "9", "start": 60, "end": 70}],
            "evidence": {
                "budget": proof(usd, 0.99), "start_date": proof(None, 0.6), "title": proof("Un titre", 0.9),
                "duration_months": proof(None, 0.97), "mission": {"value": None, "rule": "no cue"},   # no confidence
                "countries_mentioned": [proof("HT", 0.99), proof("CU", 0.5)],
                "amounts": [proof(usd, 0.9), proof(usd, 0.8), proof(usd, 0.7)],
                "deliverables": [proof("y", 0.8, start=12, end=50), proof("z", 0.3, start=60, end=70)]}}
    got = {(o.field, o.position): o.right for o in page_outcomes("p", gold, pred)}
    assert got == {
        ("title", None): True,                 # whitespace collapsed, as the scorer does
        ("budget", None): True,
        ("start_date", None): False,           # a null where the gold has a value: wrong
        ("duration_months", None): True,       # null = null: right
        ("countries_mentioned", 0): True, ("countries_mentioned", 1): False,
        ("amounts", 0): True, ("amounts", 1): True, ("amounts", 2): False,   # two gold amounts, used once each
        ("deliverables", 0): True,             # overlap 38/40 >= 0.5
        ("deliverables", 1): False,
    }
    assert list_rights("beneficiary_countries", [], ["CU"]) == [False]


def test_summary_groups_and_no_confidences():
    outcomes = page_outcomes("nav", examples.gold_pages()[1]["record"], examples.predictions(evidence=True)["nav"])
    s = summarise(outcomes)
    assert s["overall"]["n"] == s["scalars"]["n"] + s["lists"]["n"]
    assert s["per_field"]["start_date"] == {**figures([0.35], [False]), "n": 1}
    assert s["scalars"]["wrong"] == 1 and s["lists"]["wrong"] == 1
    assert len(s["overall"]["reliability"]) == 10
    assert summarise([]) == {"note": NO_CONFIDENCES}
    assert has_confidences([{"evidence": {"x": [{"confidence": 0.5}]}}])
    assert not has_confidences([{"id": "a"}, {"evidence": {"x": {"confidence": "high"}}}])


def test_cli_reports_calibration_or_says_there_is_none(tmp_path, capsys):
    ex = examples.write(tmp_path / "ex", evidence=True)
    argv = ["--gold", str(ex["gold"]), "--split-file", str(ex["split"])]
    assert main([*argv, "--pred", str(ex["pred"]), "--json"]) == 0
    cal = json.loads(capsys.readouterr().out)["systems"]["pipeline"]["calibration"]
    # 3 pages x 14 scalars = 42 scalar values, 1 wrong (nav's start_date at 0.35); list items: p1 CU,
    # nav HT MX CU (CU wrong) and its amount, ok PE -> 6, 1 wrong
    assert (cal["scalars"]["n"], cal["scalars"]["wrong"], cal["lists"]["n"], cal["lists"]["wrong"]) == (42, 1, 6, 1)
    # the two wrong values are the two least confident: 5% of 48 values (3 checked) finds both
    assert cal["overall"]["review"]["5"] == {"checked": 3, "found": 2, "share": 1.0}
    assert main([*argv, "--pred", str(ex["pred"])]) == 0
    out = capsys.readouterr().out
    assert "CALIBRATION (ECE" in out and "scalars" in out
    plain = examples.write(tmp_path / "plain", evidence=False)
    assert main(["--gold", str(plain["gold"]), "--split-file", str(plain["split"]), "--pred", str(plain["pred"])]) == 0
    assert "CALIBRATION: no confidences in these records" in capsys.readouterr().out
