"""The batch CLI: records in input order, schema-valid, errors per page, exit statuses."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from extract.record import load_schema

ROOT = Path(__file__).resolve().parent.parent


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "extract", *args], capture_output=True, text=True,
                          cwd=ROOT, input=stdin)


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "seeds.jsonl"
    proc = run("batch", "seeds", "-o", str(out))
    return proc, out


def test_batch_seeds_writes_one_valid_record_per_page_in_order(seeds_out):
    proc, out = seeds_out
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text("utf-8").splitlines()
    ids = [json.loads(l)["id"] for l in lines]
    assert ids == sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    schema = load_schema()
    for line in lines:
        jsonschema.validate(json.loads(line), schema)
    assert "5 pages, 5 records, 0 pages with errors" in proc.stderr
    assert "pages/s" in proc.stderr


def test_schema_rejects_a_bad_record():
    bad = json.loads((ROOT / "tests" / "data" / "record_example.json").read_text("utf-8"))
    bad["start_date"] = "30/03/2017"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, load_schema())


def test_bad_pages_get_error_records_and_the_batch_goes_on(tmp_path):
    (tmp_path / "a_empty.txt").write_text("")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "c_good.txt").write_text("Le budget total du projet s’élève à 200 000 dollars E.-U.", "utf-8")
    out = tmp_path / "out.jsonl"
    proc = run("batch", str(tmp_path), "-o", str(out))
    assert proc.returncode == 1
    recs = [json.loads(l) for l in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["a_empty", "b_binary", "c_good"]
    assert "empty" in recs[0]["errors"][0]
    assert "not text" in recs[1]["errors"][0]
    assert recs[2]["errors"] == [] and recs[2]["budget"] == {"amount": 200000.0, "currency": "USD"}
    assert "a_empty.txt" in proc.stderr and "Traceback" not in proc.stderr
    for r in recs:
        jsonschema.validate(r, load_schema())


def test_stdin(tmp_path):
    out = tmp_path / "o.jsonl"
    proc = run("batch", "-", "-o", str(out), stdin="Projet ID\nDA.0009\n")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text("utf-8"))["project_code"] == "DA.0009"


@pytest.mark.parametrize("args", [("batch", "no/such/path", "-o", "x.jsonl"), ("batch", "seeds", "--bogus", "-o", "x"),
                                  ("batch", "seeds"), ("frobnicate",)])
def test_usage_errors_exit_2_with_one_line(args):
    proc = run(*args)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_console_script_writes_everything_to_a_pipe_before_it_exits():
    # the script leaves with os._exit (no interpreter teardown): stdout, block-buffered on a pipe,
    # must be flushed first or the last records are lost
    script = Path(sys.executable).parent / "extract"
    if not script.exists():
        pytest.skip("package not installed as a script in this environment")
    proc = subprocess.run([str(script), "batch", "seeds", "-o", "-"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == len(list((ROOT / "seeds").glob("*.txt")))
    assert "5 pages, 5 records" in proc.stderr
    usage = subprocess.run([str(script), "batch"], capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 2 and usage.stderr.startswith("extract: error:")


def test_workers_give_the_same_records_in_the_same_order(tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("batch", "seeds", "annotations/pages", "-o", str(one), "--batch-size", "8").returncode == 0
    assert run("batch", "seeds", "annotations/pages", "-o", str(two), "--batch-size", "8", "--workers", "2").returncode == 0
    assert one.read_text("utf-8") == two.read_text("utf-8")
