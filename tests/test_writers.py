"""Writers chosen by extension or --format: CSV (+ long format) and SQLite (upsert by id)."""
import csv
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", "extract", "batch", *args], capture_output=True, text=True, cwd=ROOT)


def test_csv_rows_and_long_format(tmp_path):
    out = tmp_path / "seeds.csv"
    assert run("seeds", "-o", str(out)).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    innovation = next(r for r in rows if r["kind"] == "innovation")
    assert innovation["beneficiary_countries"] == "AR;BO;BR;CO;EC;PY;PE"
    assert innovation["non_eligible_countries"] == "CL;UY" and innovation["budget_amount"] == "400000.0"
    long = list(csv.DictReader((tmp_path / "seeds_long.csv").open(encoding="utf-8")))
    assert {r["what"] for r in long} == {"country_beneficiary", "country_non_eligible", "country_mentioned",
                                         "amount", "deliverable"}
    assert any(r["what"] == "amount" and r["text"] == "2,4 milliards de dollars É.-U." for r in long)


def test_sqlite_upserts_by_id(tmp_path):
    db_path = tmp_path / "records.db"
    assert run("seeds", "annotations/pages", "-o", str(db_path)).returncode == 0
    assert run("seeds", "-o", str(db_path)).returncode == 0  # a re-run replaces, never duplicates
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 127
    dup = db.execute("SELECT count(*) FROM (SELECT page_id, role, position FROM countries "
                     "GROUP BY page_id, role, position HAVING count(*) > 1)").fetchone()[0]
    assert dup == 0
    idx = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"pages_project_code", "countries_iso"} <= idx
    cuba = db.execute("SELECT p.budget_amount FROM pages p JOIN countries c ON c.page_id = p.id "
                      "WHERE c.iso = 'CU' AND c.role = 'beneficiary'").fetchall()
    assert (100000.0,) in cuba
    budgets = db.execute("SELECT count(*) FROM amounts WHERE is_budget = 1 AND page_id = '004_eb3b73a0fae2549d'")
    assert budgets.fetchone()[0] == 2


def test_format_flag_and_resume_only_for_jsonl(tmp_path):
    out = tmp_path / "records.out"
    assert run("seeds", "-o", str(out), "--format", "csv").returncode == 0
    assert out.read_text("utf-8").startswith("id,source,kind")
    proc = run("seeds", "-o", str(tmp_path / "x.csv"), "--resume")
    assert proc.returncode == 2 and "JSON Lines" in proc.stderr
