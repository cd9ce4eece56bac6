"""evaluate.py end to end on a tiny gold/prediction pair (no pipeline run)."""
import json
import subprocess
import sys
from pathlib import Path

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
    assert "displacy" in html.lower() or "spans" in html
    assert (tmp_path / "rep" / "field_f1.png").read_bytes()[:4] == b"\x89PNG"
