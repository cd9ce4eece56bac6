"""Scoring on tiny hand-made gold/prediction pairs; every expected figure is worked out by hand."""
import pytest

from extract.evaluation.scoring import (
    PRF, amount_counts, deliverable_counts, evaluate, scalar_counts, set_counts, span_counts,
)


def S(start, end, label):
    return {"start": start, "end": end, "label": label}


def test_strict_spans_need_same_offsets_and_label():
    gold = [S(0, 4, "COUNTRY"), S(10, 14, "DATE"), S(20, 30, "MONEY")]
    pred = [S(0, 4, "COUNTRY"), S(10, 15, "DATE"), S(20, 30, "BUDGET")]
    c = span_counts(gold, pred)
    # COUNTRY: exact hit. DATE: wrong end -> 1 FP + 1 FN. MONEY vs BUDGET: label differs -> FN + FP.
    assert (c["COUNTRY"].tp, c["COUNTRY"].fp, c["COUNTRY"].fn) == (1, 0, 0)
    assert (c["DATE"].tp, c["DATE"].fp, c["DATE"].fn) == (0, 1, 1)
    assert (c["MONEY"].fn, c["BUDGET"].fp) == (1, 1)


def test_lenient_spans_match_overlaps_one_to_one():
    gold = [S(10, 14, "DATE"), S(20, 30, "DATE")]
    pred = [S(10, 15, "DATE"), S(11, 13, "DATE"), S(40, 44, "DATE")]
    c = span_counts(gold, pred, lenient=True)["DATE"]
    # (10,15) takes gold (10,14); (11,13) overlaps only that gold span, already used -> FP;
    # (40,44) overlaps nothing -> FP; gold (20,30) unmatched -> FN.
    assert (c.tp, c.fp, c.fn) == (1, 2, 1)
    assert c.p == pytest.approx(1 / 3) and c.r == pytest.approx(1 / 2)
    assert c.f == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))  # 0.4


def test_micro_and_macro_averages():
    gold_pages = [{"id": "a", "text": "", "spans": [S(0, 4, "COUNTRY"), S(5, 9, "COUNTRY"), S(10, 14, "DATE")],
                   "record": {}}]
    preds = {"a": {"entities": [S(0, 4, "COUNTRY"), S(10, 14, "DATE"), S(20, 24, "DATE")]}}
    ev = evaluate(gold_pages, preds)
    # COUNTRY: tp1 fn1 -> P1 R.5 F.667; DATE: tp1 fp1 -> P.5 R1 F.667; micro tp2 fp1 fn1 -> P=R=F=2/3
    assert ev.strict.micro.f == pytest.approx(2 / 3)
    assert ev.strict.macro_f == pytest.approx(2 / 3)
    assert ev.to_json()["ents_per_type"]["COUNTRY"]["r"] == pytest.approx(0.5)


def test_scalar_wrong_value_is_both_fp_and_fn():
    c = scalar_counts("2024", "2025")
    assert (c.tp, c.fp, c.fn) == (0, 1, 1)
    assert (scalar_counts("2024", None).fn, scalar_counts(None, "2024").fp) == (1, 1)
    # whitespace is collapsed; budgets compare (amount to the cent, currency)
    assert scalar_counts("Cuba :  Renforcement", "Cuba : Renforcement").tp == 1
    assert scalar_counts({"amount": 100000.0, "currency": "USD"}, {"amount": 100000.001, "currency": "USD"}).tp == 1
    assert scalar_counts({"amount": 1.0, "currency": "USD"}, {"amount": 1.0, "currency": "EUR"}).fp == 1


def test_both_null_counts_nothing_and_scores_one():
    c = scalar_counts(None, None)
    assert (c.tp, c.fp, c.fn) == (0, 0, 0)
    assert (c.p, c.r, c.f) == (1.0, 1.0, 1.0)
    # but a prediction with nothing to find scores 0 precision
    assert PRF(fp=1).p == 0.0 and PRF(fn=1).r == 0.0


def test_country_lists_are_sets():
    c = set_counts(["BO", "CL", "UY"], ["UY", "CL", "AR"])
    assert (c.tp, c.fp, c.fn) == (2, 1, 1)


def test_amounts_are_a_multiset():
    gold = [{"amount": 100000.0, "currency": "USD"}, {"amount": 100000.0, "currency": "USD"},
            {"amount": 2.4e9, "currency": "USD"}]
    pred = [{"amount": 100000.0, "currency": "USD"}, {"amount": 2.4e9, "currency": "EUR"}]
    c = amount_counts(gold, pred)
    # one of the two 100000 USD found; 2.4e9 EUR is wrong currency -> FP, gold 2.4e9 USD -> FN
    assert (c.tp, c.fp, c.fn) == (1, 1, 2)


def test_deliverables_match_by_id_then_by_overlap():
    gold = [{"id": "1.1", "start": 0, "end": 100}, {"id": None, "start": 200, "end": 300},
            {"id": None, "start": 400, "end": 500}]
    pred = [{"id": "1.1", "start": 50, "end": 60},     # same id: a match whatever the overlap
            {"id": None, "start": 210, "end": 300},    # overlap 90/100 = 0.9 -> match
            {"id": None, "start": 400, "end": 440}]    # overlap 40/100 = 0.4 < 0.5 -> no match
    c = deliverable_counts(gold, pred)
    assert (c.tp, c.fp, c.fn) == (2, 1, 1)


def test_missing_prediction_scores_as_empty_record():
    gold_pages = [{"id": "a", "text": "x", "spans": [S(0, 1, "DATE")],
                   "record": {"start_date": "2024", "countries_mentioned": ["CU"], "amounts": [], "deliverables": []}}]
    ev = evaluate(gold_pages, {})
    assert ev.records.per_field["start_date"].fn == 1
    assert ev.records.per_field["countries_mentioned"].fn == 1
    assert ev.strict.per_type["DATE"].fn == 1


# ---------------------------------------------------------------------------------------------
# error categories (SemEval-2013 / nervaluate): they decompose the strict counts

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.evaluation.scoring import span_categories

spans = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from(["DATE", "MONEY", "BUDGET"]))
                 .map(lambda t: S(t[0], t[0] + t[1], t[2])), max_size=8)


@settings(max_examples=200, deadline=None)
@given(spans, spans)
def test_categories_decompose_the_strict_counts(gold, pred):
    counts, marks = span_categories(gold, pred)
    strict = span_counts(gold, pred)
    for lab in {s["label"] for s in gold + pred}:
        c = counts.get(lab, dict.fromkeys(("correct", "wrong_label", "partial", "missed", "spurious"), 0))
        assert c["correct"] == strict[lab].tp
        assert c["wrong_label"] + c["partial"] + c["missed"] == strict[lab].fn
        assert c["correct"] + c["wrong_label"] + c["partial"] + c["missed"] == sum(g["label"] == lab for g in gold)
    # every predicted span is correct, a wrong label, one side of a boundary pair, or spurious
    n_pred = sum(c["correct"] + c["wrong_label"] + c["partial"] + c["spurious"] for c in counts.values())
    assert n_pred == len(pred)
    assert len(marks) == len(gold) + len(pred) - sum(c["correct"] + c["wrong_label"] for c in counts.values())


def test_categories_by_hand():
    gold = [S(0, 10, "DATE"), S(20, 30, "MONEY"), S(40, 50, "MONEY")]
    pred = [S(2, 10, "DATE"), S(20, 30, "BUDGET"), S(40, 50, "MONEY"), S(60, 62, "DATE")]
    counts, _ = span_categories(gold, pred)
    assert counts["DATE"] == {"correct": 0, "wrong_label": 0, "partial": 1, "missed": 0, "spurious": 1}
    assert counts["MONEY"] == {"correct": 1, "wrong_label": 1, "partial": 0, "missed": 0, "spurious": 0}
    # an overlap across labels with other boundaries is missed + spurious, not a wrong label
    counts, _ = span_categories([S(0, 40, "DELIVERABLE")], [S(5, 9, "COUNTRY")])
    assert counts["DELIVERABLE"]["missed"] == 1 and counts["COUNTRY"]["spurious"] == 1
