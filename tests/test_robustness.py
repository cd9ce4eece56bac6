"""Folders nobody cleaned: encodings, HTML, bad files, size limit, globs, --keep-text, kill and --resume."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema

from extract.record import load_schema

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Le budget total du projet s’élève à 200 000 dollars É.-U. pour Haïti et la République dominicaine."


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "extract", "batch", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


def records(path):
    return [json.loads(l) for l in Path(path).read_text("utf-8").splitlines()]


def test_any_encoding_and_messy_files(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_utf8_bom.txt").write_bytes(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"))
    (d / "b_cp1252.txt").write_bytes(SENTENCE.replace("’", "'").encode("cp1252"))
    (d / "c_latin1.txt").write_bytes(SENTENCE.replace("’", "'").replace("É", "E").encode("latin-1"))
    (d / "d_utf16.txt").write_bytes(SENTENCE.encode("utf-16"))
    (d / "e_crlf_nul.txt").write_bytes(("Cuba\r\nChili\rUruguay\x00 et " + SENTENCE).encode("utf-8"))
    (d / "f_empty.txt").write_bytes(b"")
    (d / "g_blank.txt").write_bytes(b" \n\t \r\n")
    (d / "h_binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "i_page.html").write_text("<html><head><style>p{}</style><script>var x = '1951';</script></head><body>"
                                   "<nav>Qui sommes nous 1951 175 171</nav><main><h1>Titre</h1><p>" + SENTENCE +
                                   "</p></main><footer>© 2030</footer></body></html>", "utf-8")
    out = tmp_path / "out.jsonl"
    proc = run(str(d), "-o", str(out), "--keep-text")
    assert proc.returncode == 1  # some pages had errors, the others were written
    recs = {r["id"]: r for r in records(out)}
    assert len(recs) == 9
    for rid in ("a_utf8_bom", "b_cp1252", "c_latin1", "d_utf16", "e_crlf_nul", "i_page"):
        r = recs[rid]
        assert r["errors"] == [], (rid, r["errors"])
        assert r["budget"] == {"amount": 200000.0, "currency": "USD"}, rid
        assert {"HT", "DO"} <= set(r["countries_mentioned"]), rid
        for e in r["entities"]:  # --keep-text: every span checks against the text it came from
            assert r["text"][e["start"]:e["end"]] == e["text"]
    assert "\r" not in recs["e_crlf_nul"]["text"] and "\x00" not in recs["e_crlf_nul"]["text"]
    assert recs["e_crlf_nul"]["countries_mentioned"][:3] == ["CU", "CL", "UY"]
    html = recs["i_page"]
    assert "1951" not in html["text"] and "var x" not in html["text"] and "2030" not in html["text"]
    assert "empty" in recs["f_empty"]["errors"][0] and "empty" in recs["g_blank"]["errors"][0]
    assert "not text" in recs["h_binary"]["errors"][0]
    assert "h_binary.txt: not text" in proc.stderr and "Traceback" not in proc.stderr
    schema = load_schema()
    for r in recs.values():
        jsonschema.validate(r, schema)


def test_size_limit_and_globs(tmp_path):
    (tmp_path / "big.txt").write_text("Cuba " * 5000, "utf-8")
    (tmp_path / "small.txt").write_text("Chili", "utf-8")
    out = tmp_path / "o.jsonl"
    proc = run(str(tmp_path / "*.txt"), "-o", str(out), "--max-bytes", "1000")
    recs = {r["id"]: r for r in records(out)}
    assert proc.returncode == 1
    assert "too large" in recs["big"]["errors"][0] and recs["small"]["countries_mentioned"] == ["CL"]
    assert run(str(tmp_path / "*.nothing"), "-o", str(out)).returncode == 2


def test_a_killed_run_is_completed_by_resume(tmp_path):
    src = tmp_path / "pages"
    src.mkdir()
    pages = sorted((ROOT / "annotations" / "pages").glob("*.txt"))
    for k in range(600):
        p = pages[k % len(pages)]
        (src / f"{k:04d}_{p.name}").write_bytes(p.read_bytes())
    out = tmp_path / "out.jsonl"
    tmp = Path(str(out) + ".tmp")
    proc = subprocess.Popen([sys.executable, "-m", "extract", "batch", str(src), "-o", str(out), "--batch-size", "8"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and (not tmp.exists() or tmp.stat().st_size < 50_000):
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists() and tmp.exists()
    # every complete line the killed run left is a valid record
    lines = tmp.read_text("utf-8").split("\n")
    complete = [json.loads(l) for l in lines[:-1]]
    assert 0 < len(complete) < 600
    done = run(str(src), "-o", str(out), "--resume", "--batch-size", "8")
    assert done.returncode == 0, done.stderr
    assert f"{len(complete)} already in the output" in done.stderr
    ids = [r["id"] for r in records(out)]
    assert len(ids) == len(set(ids)) == 600
    assert set(ids) == {p.stem for p in src.glob("*.txt")}
    assert not tmp.exists()
