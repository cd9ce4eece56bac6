"""Tiny constructed gold/prediction pairs whose every figure can be worked out by hand.

Used by the evaluation tests (tests/test_report*.py, test_calibration*.py, test_compare*.py,
test_evaluate_cli.py) and handy to try the report without running the pipeline:

    python -c "from extract.evaluation.examples import write; write('/tmp/ex')"
    python evaluate.py --gold /tmp/ex/gold.jsonl --split-file /tmp/ex/split.json --pred /tmp/ex/pred.jsonl \\
        --report /tmp/ex/r

Three pages:

* ``p1`` "Cuba reçoit 100 000 dollars en 2024.": the prediction misses the MONEY span and the amount;
* ``nav`` a page with site navigation before its content ("Accueil | Actualités…"), a title, a
  budget, a start date and two countries; the prediction gets a spurious DATE, a wrong start date
  and an extra country;
* ``ok`` a page the prediction gets entirely right.
"""
from __future__ import annotations

import json
from pathlib import Path

from .gold import LIST_FIELDS, SCALAR_FIELDS


def empty_record(**values) -> dict:
    rec = {f: None for f in SCALAR_FIELDS}
    rec.update({f: [] for f in LIST_FIELDS}, amounts=[], deliverables=[])
    rec.update(values)
    return rec


def span(text: str, frag: str, label: str, n: int = 1, **extra) -> dict:
    """The n-th occurrence of frag in text as a span."""
    at = -1
    for _ in range(n):
        at = text.index(frag, at + 1)
    return {"start": at, "end": at + len(frag), "label": label, **extra}


def entity(text: str, frag: str, label: str, n: int = 1) -> dict:
    s = span(text, frag, label, n)
    return {**s, "text": frag}


P1 = "Cuba reçoit 100 000 dollars en 2024."
NAV = ("Accueil | Actualités | Contact | 2020\nRecherche\n"
       "Haïti : appui aux migrants de retour\n"
       "Le projet, doté de 50 000 USD, débute en 2023 en Haïti et au Mexique.\n")
OK = "Le Pérou accueille le projet PE.0001."


def gold_pages() -> list[dict]:
    money = span(P1, "100 000 dollars", "MONEY")
    budget = span(NAV, "50 000 USD", "BUDGET")
    return [
        {"id": "p1", "path": "x/p1.txt", "text": P1,
         "spans": [span(P1, "Cuba", "COUNTRY", iso="CU"), money, span(P1, "2024", "DATE")],
         "record": empty_record(kind="news", countries_mentioned=["CU"],
                                amounts=[{"amount": 100000.0, "currency": "USD", "text": "100 000 dollars",
                                          "start": money["start"], "end": money["end"]}])},
        {"id": "nav", "path": "x/nav.txt", "text": NAV,
         "spans": [budget, span(NAV, "2023", "DATE"), span(NAV, "Haïti", "COUNTRY", 2, iso="HT"),
                   span(NAV, "Mexique", "COUNTRY", iso="MX")],
         "record": empty_record(kind="news", title="Haïti : appui aux migrants de retour",
                                budget={"amount": 50000.0, "currency": "USD"}, start_date="2023",
                                countries_mentioned=["HT", "MX"],
                                amounts=[{"amount": 50000.0, "currency": "USD", "text": "50 000 USD",
                                          "start": budget["start"], "end": budget["end"]}])},
        {"id": "ok", "path": "x/ok.txt", "text": OK,
         "spans": [span(OK, "Pérou", "COUNTRY", iso="PE"), span(OK, "PE.0001", "PROJECT_CODE")],
         "record": empty_record(kind="news", project_code="PE.0001", countries_mentioned=["PE"])},
    ]


def proof(value, confidence: float, text=None, start=None, end=None, rule="test rule") -> dict:
    return {"value": value, "start": start, "end": end, "text": text, "rule": rule, "confidence": confidence}


def predictions(evidence: bool = False) -> dict[str, dict]:
    """The predicted records of the three pages (see the module docstring for their errors)."""
    g = {p["id"]: p for p in gold_pages()}
    p1 = {"id": "p1", **empty_record(kind="news", countries_mentioned=["CU"]),
          "entities": [entity(P1, "Cuba", "COUNTRY"), entity(P1, "2024", "DATE")]}
    nav = {"id": "nav", **empty_record(kind="news", title="Haïti : appui aux migrants de retour",
                                       budget={"amount": 50000.0, "currency": "USD"}, start_date="2020",
                                       countries_mentioned=["HT", "MX", "CU"],
                                       amounts=g["nav"]["record"]["amounts"]),
           "entities": [entity(NAV, "2020", "DATE"), entity(NAV, "50 000 USD", "BUDGET"), entity(NAV, "2023", "DATE"),
                        entity(NAV, "Haïti", "COUNTRY", 2), entity(NAV, "Mexique", "COUNTRY")]}
    ok = {"id": "ok", **g["ok"]["record"],
          "entities": [entity(OK, "Pérou", "COUNTRY"), entity(OK, "PE.0001", "PROJECT_CODE")]}
    recs = {"p1": p1, "nav": nav, "ok": ok}
    if evidence:
        for r in recs.values():
            ev = {f: proof(r.get(f), 0.95) for f in SCALAR_FIELDS}
            for f in LIST_FIELDS + ("amounts", "deliverables"):
                ev[f] = [proof(v, 0.9) for v in r.get(f, [])]
            r["evidence"] = ev
        # the wrong values are the least confident ones, as they should be
        d = span(NAV, "2020", "DATE")
        recs["nav"]["evidence"]["start_date"] = proof("2020", 0.35, "2020", d["start"], d["end"],
                                                      "first date on the page")
        recs["nav"]["evidence"]["countries_mentioned"][2] = proof("CU", 0.4, None, rule="gazetteer")
        recs["p1"]["evidence"]["amounts"] = []
    return recs


def write(directory: str | Path, evidence: bool = True) -> dict[str, Path]:
    """gold.jsonl, split.json (all three pages in "test") and pred.jsonl in directory."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    gold, split, pred = d / "gold.jsonl", d / "split.json", d / "pred.jsonl"
    gold.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold_pages()), "utf-8")
    split.write_text(json.dumps({"dev": [], "test": [g["id"] for g in gold_pages()], "dev2": [], "fresh": []}))
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in predictions(evidence).values()), "utf-8")
    return {"gold": gold, "split": split, "pred": pred}
