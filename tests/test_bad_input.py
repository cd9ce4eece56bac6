"""Nothing lost, nothing dangerous, no surprises (issue 13): ids, hostile names and pages, safe
outputs, clean usage errors. Each test is one item of README "Bad input"."""
import csv
import gzip
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from extract.io.iati import validate
from extract.io.iati_rules import Ruleset

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Le budget total du projet s’élève à 200 000 dollars É.-U. pour Haïti et la République dominicaine."


def run(*args, timeout=120, stdin=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "extract", "batch", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, input=stdin)


def records(path):
    return [json.loads(l) for l in Path(path).read_text("utf-8").splitlines()]


def one_line_usage_error(proc):
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, proc.stderr


# ------------------------------------------------------------------------------------------------
# pages lost or overwritten

def test_pages_with_the_same_file_name_get_distinct_stable_ids(tmp_path):
    crawl = tmp_path / "crawl"
    for rel, text in [("a/index.html", "<p>Cuba</p>"), ("b/index.html", "<p>Chili</p>"), ("b/index.txt", "Pérou"),
                      ("c/page.txt", "Haïti")]:
        (crawl / rel).parent.mkdir(parents=True, exist_ok=True)
        (crawl / rel).write_text(text, "utf-8")
    out, db = tmp_path / "o.jsonl", tmp_path / "o.db"
    assert run(str(crawl), "-o", str(out)).returncode == 0
    ids = [r["id"] for r in records(out)]
    assert len(set(ids)) == 4
    assert "a/index" in ids and "c/page" in ids                   # the path under the directory named
    assert sum(i.startswith("b/index~") for i in ids) == 2        # a collision: a hash of each path beside it
    again = tmp_path / "again.jsonl"
    assert run(str(crawl), "-o", str(again)).returncode == 0
    assert [r["id"] for r in records(again)] == ids               # the same ids on a re-run
    proc = run(str(crawl), "-o", str(db))
    assert "4 pages, 4 records" in proc.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM pages").fetchone()[0] == 4
    # --resume skips exactly the pages it has, none of the others
    lines = out.read_text("utf-8").splitlines()
    Path(str(out) + ".tmp").write_text(lines[0] + "\n", "utf-8")
    out.unlink()
    proc = run(str(crawl), "-o", str(out), "--resume")
    assert "1 already in the output" in proc.stderr and sorted(r["id"] for r in records(out)) == sorted(ids)


def test_a_file_named_directly_keeps_its_stem_as_id(tmp_path):
    out = tmp_path / "o.jsonl"
    assert run("seeds/000_14ffe6853017f9cf.txt", "-o", str(out)).returncode == 0
    assert records(out)[0]["id"] == "000_14ffe6853017f9cf"


@pytest.mark.parametrize("args", [("--batch-size", "-1"), ("--batch-size", "0"), ("--workers", "0"),
                                  ("--workers", "x"), ("--max-bytes", "0"), ("--page-timeout", "-1")])
def test_bad_numbers_are_usage_errors_before_anything_is_written(tmp_path, args):
    out = tmp_path / "o.jsonl"
    out.write_text("kept\n", "utf-8")
    one_line_usage_error(run("seeds", "-o", str(out), *args))
    assert out.read_text("utf-8") == "kept\n" and not Path(str(out) + ".tmp").exists()


def test_output_naming_an_input_is_refused(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text(SENTENCE, "utf-8")
    one_line_usage_error(run(str(page), "-o", str(page), "--format", "jsonl"))
    assert page.read_text("utf-8") == SENTENCE
    one_line_usage_error(run(str(tmp_path), "-o", str(page), "--format", "jsonl"))   # found in a directory
    assert page.read_text("utf-8") == SENTENCE


def test_two_runs_on_one_output_the_second_stops_at_once(tmp_path):
    src = tmp_path / "pages"
    src.mkdir()
    pages = sorted((ROOT / "annotations" / "pages").glob("*.txt"))
    for k in range(300):
        (src / f"{k:04d}.txt").write_bytes(pages[k % len(pages)].read_bytes())
    out = tmp_path / "o.jsonl"
    first = subprocess.Popen([sys.executable, "-m", "extract", "batch", str(src), "-o", str(out), "--batch-size", "4"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not Path(str(out) + ".tmp").exists() and time.time() < deadline:
        time.sleep(0.05)
    second = run(str(src), "-o", str(out))
    one_line_usage_error(second)
    assert "another run" in second.stderr
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    ids = [r["id"] for r in records(out)]
    assert len(ids) == len(set(ids)) == 300


def test_a_directory_that_cannot_be_listed_is_an_error_not_silence(tmp_path):
    d = tmp_path / "locked"
    d.mkdir()
    (d / "p.txt").write_text(SENTENCE, "utf-8")
    out = tmp_path / "o.jsonl"
    helper = [sys.executable, str(ROOT / "tests" / "helpers" / "deny.py")]
    proc = subprocess.run([*helper, "list", str(d), "--", "batch", str(d), "-o", str(out)], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "cannot list directory" in proc.stderr and "locked" in proc.stderr
    # below a directory given: the rest is read, the locked one named
    top = tmp_path / "top"
    (top / "ok").mkdir(parents=True)
    (top / "ok" / "a.txt").write_text(SENTENCE, "utf-8")
    (top / "no").mkdir()
    (top / "no" / "b.txt").write_text(SENTENCE, "utf-8")
    proc = subprocess.run([*helper, "list", str(top / "no"), "--", "batch", str(top), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1 and "no: cannot list directory" in proc.stderr
    assert [r["id"] for r in records(out)] == ["ok/a"]


def test_a_file_in_an_unsearchable_directory_gets_an_error_record(tmp_path):
    d = tmp_path / "nox"
    d.mkdir()
    (d / "p.txt").write_text(SENTENCE, "utf-8")
    out = tmp_path / "o.jsonl"
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "helpers" / "deny.py"), "search", str(d), "--",
                           "batch", str(d / "p.txt"), "seeds/000_14ffe6853017f9cf.txt", "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    recs = records(out)
    assert "Permission denied" in recs[0]["errors"][0] and recs[1]["errors"] == []
    assert "p.txt: unreadable" in proc.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "sqlite"])
def test_file_names_of_any_bytes(tmp_path, fmt):
    d = tmp_path / "in"
    d.mkdir()
    bad = os.fsencode(str(d)) + b"/caf\xe9 \\ p.txt"
    with open(bad, "wb") as fh:
        fh.write(SENTENCE.encode("utf-8"))
    (d / "ok.txt").write_text("Chili", "utf-8")
    out = tmp_path / f"o.{ {'jsonl': 'jsonl', 'csv': 'csv', 'sqlite': 'db'}[fmt] }"
    proc = run(str(d), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "2 pages, 2 records" in proc.stderr
    if fmt == "jsonl":
        recs = records(out)
        src = next(r["source"] for r in recs if "caf" in r["source"])
        assert src.endswith("caf\\xe9 \\\\ p.txt")     # the byte escaped, the backslash doubled: lossless
        from extract.io.sources import source_bytes
        assert source_bytes(src) == bad
        again = run(str(d), "-o", str(out), "--resume")
        assert again.returncode == 0 and "2 already in the output" in again.stderr


# ------------------------------------------------------------------------------------------------
# outputs safe to open

def test_csv_cells_never_start_a_formula(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "=cmd|' C calc'!A0.txt").write_text("=HYPERLINK(\"http://evil\",\"x\")\n\n" + SENTENCE, "utf-8")
    (d / "@sum.txt").write_text("-2+3 : titre\n\n" + SENTENCE, "utf-8")
    out = tmp_path / "o.csv"
    assert run(str(d), "-o", str(out)).returncode == 0
    for path in (out, tmp_path / "o_long.csv"):
        for row in csv.reader(path.open(encoding="utf-8")):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, cell)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert any(r["title"].startswith("'=HYPERLINK") for r in rows)
    assert any(r["id"] == "'=cmd|' C calc'!A0" for r in rows)
    assert {r["budget_amount"] for r in rows} == {"200000.0"}   # numbers stay numbers


def iati_record(code="DA.0009", **kw):
    rec = {"id": "x", "source": "x", "kind": "idf_project", "title": "Titre", "project_code": code,
           "status": "active", "start_date": "2024", "end_date": "2025", "budget": {"amount": 100000.0, "currency": "USD"},
           "coverage": "national", "beneficiary_countries": ["CU"], "region": None, "description": None}
    rec.update(kw)
    return rec


def write_iati(tmp_path, recs):
    from extract.io.iati import IatiWriter

    out = tmp_path / "a.xml"
    with IatiWriter(str(out)) as w:
        for r in recs:
            w.write(r)
    return out


def test_iati_control_characters_and_duplicate_codes(tmp_path, capsys):
    recs = [iati_record(title="Titre \x01\x1b[31m\ufffe\uffff fin"),
            iati_record(title="Autre", description="Une description bien plus complète."),
            iati_record(code="DA.0010", title=None, description="d\x0b")]
    out = write_iati(tmp_path, recs)
    root = ET.parse(out).getroot()       # well-formed
    validate(str(out))
    ids = [a.findtext("iati-identifier") for a in root.findall("iati-activity")]
    assert ids == ["XM-DAC-47066-DA.0009", "XM-DAC-47066-DA.0010"]
    kept = root.find("iati-activity")
    assert kept.findtext("title/narrative") == "Autre"     # the most complete of the two
    assert "1 pages share a project code" in capsys.readouterr().err
    assert Ruleset.standard().check_file(str(out)) == []


def test_iati_over_the_corpus_passes_schema_and_ruleset(tmp_path):
    out = tmp_path / "a.xml"
    proc = run("seeds", "annotations/pages", "annotations/batch2", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    validate(str(out))
    findings = Ruleset.standard().check_file(str(out))
    assert [f for f in findings if f.severity == "error"] == [], findings[:5]
    root = ET.parse(out).getroot()
    ids = [a.findtext("iati-identifier") for a in root.findall("iati-activity")]
    assert len(ids) == len(set(ids)) > 30
    # every budget period at most a year, and the periods of an activity sum to its budget
    cuba = next(a for a in root.findall("iati-activity") if a.findtext("iati-identifier").endswith("DA.0009"))
    values = [float(b.findtext("value")) for b in cuba.findall("budget")]
    assert len(values) == 2 and abs(sum(values) - 100000.0) < 0.005
    assert all(b.get("status") == "1" for b in cuba.findall("budget"))


def test_report_escapes_what_comes_from_files(tmp_path):
    gold = tmp_path / "g.jsonl"
    text = "<script>alert('t')</script> Cuba"
    line = {"id": "p<img src=x onerror=alert(1)>", "path": "x", "text": text,
            "spans": [{"start": 29, "end": 33, "label": "COUNTRY", "iso": "CU"}],
            "record": {f: None for f in ("kind", "title", "project_code", "prima_id", "budget", "start_date",
                                         "end_date", "approval_year", "duration_months", "status", "project_type",
                                         "coverage", "region", "mission")}}
    line["record"].update(kind="news", beneficiary_countries=[], non_eligible_countries=[], countries_mentioned=["CU"],
                          amounts=[], deliverables=[])
    gold.write_text(json.dumps(line) + "\n", "utf-8")
    pred = tmp_path / "p.jsonl"
    pred.write_text(json.dumps({"id": line["id"], "kind": "<b>news</b>", "title": "<script>x()</script>",
                                "entities": [{"start": 0, "end": 8, "label": "<svg onload=alert(2)>",
                                              "text": "<script>"}]}) + "\n", "utf-8")
    proc = subprocess.run([sys.executable, "evaluate.py", "--gold", str(gold), "--split", "all", "--pred", str(pred),
                           "--report", str(tmp_path / "r")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "r" / "report.html").read_text("utf-8")
    for bad in ("<script>", "<svg onload", "<img src=x", "<b>news</b>"):
        assert bad not in page, bad
    md = (tmp_path / "r" / "report.md").read_text("utf-8")
    assert "<script>" not in md and "<svg" not in md and "<img" not in md


def test_file_names_are_escaped_on_the_terminal(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "evil\x1b]0;pwned\x07.txt").write_bytes(b"\x00\x01\x02" * 200)
    proc = run(str(d), "-o", str(tmp_path / "o.jsonl"))
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert "evil\\x1b]0;pwned\\x07.txt: not text" in proc.stderr


# ------------------------------------------------------------------------------------------------
# one page must not stall or abort a batch

@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_page_over_the_time_limit_gets_an_error_record(tmp_path, workers):
    sys.path.insert(0, str(ROOT / "bench"))
    import adversarial

    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(SENTENCE, "utf-8")
    (d / "b_slow.txt").write_text(adversarial.prose(3_000_000), "utf-8")
    (d / "c.txt").write_text("Chili", "utf-8")
    out = tmp_path / "o.jsonl"
    t0 = time.time()
    proc = run(str(d), "-o", str(out), "--page-timeout", "1", "--workers", workers, "--batch-size", "8")
    assert time.time() - t0 < 30
    assert proc.returncode == 1
    recs = records(out)
    assert [r["id"] for r in recs] == ["a", "b_slow", "c"]
    assert "timeout" in recs[1]["errors"][0] and recs[0]["errors"] == [] and recs[2]["countries_mentioned"] == ["CL"]
    assert "1 timed out" in proc.stderr


def test_fifos_and_devices_are_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    out = tmp_path / "o.jsonl"
    proc = run(str(fifo), "/dev/zero", "seeds/000_14ffe6853017f9cf.txt", "-o", str(out), timeout=60)
    assert proc.returncode == 1
    recs = records(out)
    assert "not a regular file (a FIFO)" in recs[0]["errors"][0]
    assert "not a regular file (a device)" in recs[1]["errors"][0]
    assert recs[2]["errors"] == []


def test_proc_files_are_read_within_max_bytes(tmp_path):
    out = tmp_path / "o.jsonl"
    proc = run("/proc/self/status", "-o", str(out), "--max-bytes", "100", timeout=60)
    assert "too large" in records(out)[0]["errors"][0]
    assert proc.returncode == 1


def test_a_recursive_glob_survives_a_symlink_loop(tmp_path):
    d = tmp_path / "crawl"
    (d / "a").mkdir(parents=True)
    (d / "a" / "p.txt").write_text(SENTENCE, "utf-8")
    os.symlink("..", d / "a" / "loop")
    out = tmp_path / "o.jsonl"
    proc = run(str(d) + "/**/*.txt", "-o", str(out), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in records(out)] == ["a/p"]


def test_links_leaving_the_input_directory_are_not_followed(tmp_path):
    d = tmp_path / "crawl"
    d.mkdir()
    (d / "p.txt").write_text(SENTENCE, "utf-8")
    os.symlink("/etc/passwd", d / "passwd.txt")
    os.symlink("/proc/self/environ", d / "env.txt")
    os.symlink("p.txt", d / "inside.txt")        # stays inside: followed
    out = tmp_path / "o.jsonl"
    proc = run(str(d), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    recs = records(out)
    assert sorted(r["id"] for r in recs) == ["inside", "p"]
    assert "root:" not in out.read_text("utf-8")
    assert "2 symbolic links leaving their input directory" in proc.stderr
    proc = run(str(d), "-o", str(out), "--follow-symlinks")
    assert sorted(r["id"] for r in records(out)) == ["env", "inside", "p", "passwd"]


# ------------------------------------------------------------------------------------------------
# reading what is there, and only that

def test_one_bad_byte_does_not_turn_a_utf8_page_into_latin1(tmp_path):
    page = tmp_path / "p.txt"
    page.write_bytes(("Données du Pérou et d’Haïti. " * 30).encode("utf-8") + b"\xff" + SENTENCE.encode("utf-8"))
    out = tmp_path / "o.jsonl"
    proc = run(str(page), "-o", str(out), "--keep-text")
    assert proc.returncode == 0, proc.stderr          # a warning is not an error
    rec = records(out)[0]
    assert "Données" in rec["text"] and "DonnÃ" not in rec["text"]
    assert {"PE", "HT", "DO"} <= set(rec["countries_mentioned"])
    assert rec["errors"] == ["warning: 1 invalid UTF-8 byte sequence replaced by U+FFFD"]
    assert "1 with warnings" in proc.stderr


def test_html_a_browser_does_not_show_is_not_read(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><main><h1>Projet</h1>"
                    "<p hidden>Le budget total du projet s’élève à 9 000 000 dollars É.-U.</p>"
                    "<div aria-hidden='true'>Cuba</div><div style='display : none'>Chili</div>"
                    "<template><p>Pérou</p></template><noscript>Bolivie</noscript>"
                    f"<p>{SENTENCE}</p></main></body></html>", "utf-8")
    out = tmp_path / "o.jsonl"
    assert run(str(page), "-o", str(out)).returncode == 0
    rec = records(out)[0]
    assert rec["budget"] == {"amount": 200000.0, "currency": "USD"}
    assert rec["countries_mentioned"] == ["HT", "DO"]


def test_gzipped_pages_are_read(tmp_path):
    (tmp_path / "p.txt.gz").write_bytes(gzip.compress(SENTENCE.encode("utf-8")))
    (tmp_path / "q.html.gz").write_bytes(gzip.compress(f"<html><body><p>{SENTENCE}</p></body></html>".encode()))
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(b"x" * 1000)[:20])
    out = tmp_path / "o.jsonl"
    proc = run(str(tmp_path), "-o", str(out))
    recs = {r["id"]: r for r in records(out)}
    assert recs["p"]["budget"] == {"amount": 200000.0, "currency": "USD"}
    assert recs["q"]["countries_mentioned"] == ["HT", "DO"]
    assert proc.returncode == 1 and recs["broken"]["errors"]


def test_a_gzip_bomb_stays_within_max_bytes(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 50_000_000))
    out = tmp_path / "o.jsonl"
    proc = run(str(tmp_path / "bomb.txt.gz"), "-o", str(out), "--max-bytes", "1000000", timeout=60)
    assert proc.returncode == 1 and "too large" in records(out)[0]["errors"][0]


# ------------------------------------------------------------------------------------------------
# usage

def test_csv_to_stdout_and_formats_that_cannot_stream(tmp_path):
    proc = run("seeds", "-o", "-", "--format", "csv", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 5 and rows[0]["id"].startswith("000_")
    assert not (ROOT / "-").exists() and not (ROOT / "-_long.csv").exists()
    for fmt in ("sqlite", "xml"):
        one_line_usage_error(run("seeds", "-o", "-", "--format", fmt))


def test_outputs_that_cannot_be_written_are_refused_before_the_run(tmp_path):
    (tmp_path / "adir").mkdir()
    one_line_usage_error(run("seeds", "-o", str(tmp_path / "adir")))
    (tmp_path / "afile").write_text("x")
    one_line_usage_error(run("seeds", "-o", str(tmp_path / "afile" / "o.xml")))
    one_line_usage_error(run("seeds", "-o", str(tmp_path / "adir") + "/"))


@pytest.mark.parametrize("name", ["o.json", "o", "o.txt"])
def test_unknown_output_extensions_are_refused(tmp_path, name):
    proc = run("seeds", "-o", str(tmp_path / name))
    one_line_usage_error(proc)
    assert "--format" in proc.stderr
    assert run("seeds", "-o", str(tmp_path / name), "--format", "jsonl").returncode == 0


def test_ctrl_c_stops_within_seconds_and_resume_completes(tmp_path):
    src = tmp_path / "pages"
    src.mkdir()
    pages = sorted((ROOT / "annotations" / "pages").glob("*.txt"))
    for k in range(1500):
        (src / f"{k:04d}.txt").write_bytes(pages[k % len(pages)].read_bytes())
    out = tmp_path / "o.jsonl"
    tmp = Path(str(out) + ".tmp")
    proc = subprocess.Popen([sys.executable, "-m", "extract", "batch", str(src), "-o", str(out), "--workers", "2",
                             "--batch-size", "8"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True,
                            # as a terminal delivers it, whatever the shell that started pytest ignores
                            # ("pytest &" starts it with SIGINT ignored, and a child keeps that)
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while time.time() < deadline and (not tmp.exists() or tmp.stat().st_size < 30_000):
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)       # as a terminal's Ctrl-C: the whole process group
    t0 = time.time()
    _, err = proc.communicate(timeout=20)
    assert time.time() - t0 < 5
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert tmp.exists() and not out.exists()
    done = run(str(src), "-o", str(out), "--resume", "--workers", "2")
    assert done.returncode == 0, done.stderr
    ids = [r["id"] for r in records(out)]
    assert len(ids) == len(set(ids)) == 1500
