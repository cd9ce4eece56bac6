"""Layouts drift: the same sheet rendered another way must give the same record.

Each dev-split project sheet of the gold set is rewritten by one transformation that keeps its
content (another label/value layout, upper-case or English labels, a colon after the label,
other number spacing, CRLF line ends) and its record, offsets aside, must not change. Pages of
the test split are left out: they stay unseen.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPLIT = json.loads((ROOT / "annotations" / "split.json").read_text("utf-8"))
GOLD = [json.loads(line) for line in (ROOT / "annotations" / "gold.jsonl").read_text("utf-8").splitlines()]
SHEETS = [g for g in GOLD if g["id"] in set(SPLIT["dev"]) and g["record"]["kind"] in ("idf_project", "innovation")]

FIELDS = ("kind", "title", "project_code", "prima_id", "budget", "start_date", "end_date", "approval_year",
          "duration_months", "status", "project_type", "coverage", "region", "mission",
          "beneficiary_countries", "non_eligible_countries", "countries_mentioned")


def essence(record: dict) -> dict:
    """The record without offsets (a rewrite moves text around)."""
    out = {k: record[k] for k in FIELDS}
    out["amounts"] = [(a["amount"], a["currency"]) for a in record["amounts"]]
    out["deliverables"] = [(d["id"], " ".join(d["text"].split())) for d in record["deliverables"]]
    return out


DASH = re.compile(r"^-\n([^\n]+)\n([^\n]*)$", re.M)           # "-\nLabel\nValue"
BULLET = re.compile(r"^  • ([^\n]+)\n    ([^\n]*)$", re.M)     # "  • Label\n    Value"


def relabel(text: str, row) -> str:
    """Rewrite every label/value pair of either sheet layout with row(label, value)."""
    return BULLET.sub(lambda m: row(m.group(1), m.group(2)), DASH.sub(lambda m: row(m.group(1), m.group(2)), text))


ENGLISH = {"Date de début": "Start Date", "Date de fin": "End Date", "Statut du projet": "Project Status",
           "Type de projet": "Project Type", "Couverture": "Coverage", "Projet ID": "Project ID"}

REWRITES = {
    "bullets": lambda t: DASH.sub(lambda m: f"  • {m.group(1)}\n    {m.group(2)}", t),
    "dashes": lambda t: BULLET.sub(lambda m: f"-\n{m.group(1)}\n{m.group(2)}", t),
    "label: value": lambda t: relabel(t, lambda lab, val: f"{lab} : {val}"),
    "| table | row |": lambda t: relabel(t, lambda lab, val: f"| {lab} | {val} |"),
    "tab-separated cells": lambda t: relabel(t, lambda lab, val: f"{lab}\t{val}"),
    "padded cells": lambda t: relabel(t, lambda lab, val: f"{lab}      {val}"),
    "upper-case labels": lambda t: relabel(t, lambda lab, val: f"-\n{lab.upper()}\n{val}"),
    "colon after the label": lambda t: relabel(t, lambda lab, val: f"-\n{lab} :\n{val}"),
    "plural drift": lambda t: t.replace("Etat(s) membre(s) beneficiaires", "Etats membres beneficiaires"),
    "English labels": lambda t: relabel(t, lambda lab, val: f"-\n{ENGLISH.get(lab, lab)}\n{val}"),
    "no-break thousands": lambda t: re.sub(r"(?<=\d) (?=\d{3}\b)", "\u00a0", t),
    "CRLF": lambda t: t.replace("\n", "\r\n"),
}


@pytest.fixture(scope="module")
def originals(extractor):
    return {g["id"]: essence(extractor.extract(g["text"], id=g["id"]).to_dict()) for g in SHEETS}


def test_there_are_sheets_to_rewrite():
    assert len(SHEETS) >= 30


@pytest.mark.parametrize("name", sorted(REWRITES))
def test_a_rewritten_sheet_gives_the_same_record(name, extractor, originals):
    rewrite = REWRITES[name]
    changed = 0
    differences = []
    for g in SHEETS:
        text = rewrite(g["text"])
        if text == g["text"]:
            continue
        changed += 1
        got = essence(extractor.extract(text, id=g["id"]).to_dict())
        want = originals[g["id"]]
        if got != want:
            differences.append((g["id"], {k: (want[k], got[k]) for k in want if want[k] != got[k]}))
    assert changed > 0, f"{name} rewrote no page"
    assert not differences, f"{name}: {len(differences)}/{changed} pages differ, e.g. {differences[:2]}"
