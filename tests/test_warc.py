"""WARC input (issue 16 §1): which records are pages, ids from URLs, the latest capture of a URL,
damaged files, streaming, and a reviewer finding a page's bytes again from its record."""
import gzip
import json
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))
from warcs import Rec, pages_warc, write_warc  # noqa: E402

from extract.io.readers import read_page  # noqa: E402
from extract.io.sources import discover  # noqa: E402
from extract.io.warc import choose, normalise_url, page_id, read_capture, scan  # noqa: E402
from extract.record import load_schema  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def run(*args):
    return subprocess.run([sys.executable, "-m", "extract", *args], capture_output=True, text=True, cwd=ROOT)


def records(path):
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines()]


def html(text: str) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return f"<!DOCTYPE html><html><head><title>x</title></head><body><nav>Menu</nav>{body}</body></html>".encode()


SEED0 = SEEDS[0].read_text("utf-8")
SEED1 = SEEDS[1].read_text("utf-8")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """A crawl as Heritrix or wget write one: every kind of record, a page captured twice."""
    d = tmp_path_factory.mktemp("warc")
    path = d / "crawl.warc.gz"
    recs = [
        Rec("warcinfo", ""),
        Rec("request", "https://www.iom.int/fr/projet-cuba"),
        Rec("response", "https://www.iom.int/fr/projet-cuba", html("ANCIENNE VERSION\n" + SEED1),
            date="2024-01-01T10:00:00Z"),
        Rec("metadata", "https://www.iom.int/fr/projet-cuba", b"outlinks: ...", "application/warc-fields"),
        Rec("response", "https://www.iom.int/fr/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image/png"),
        Rec("response", "https://www.iom.int/fr/rapport.pdf", b"%PDF-1.4 ...", "application/pdf"),
        Rec("response", "https://www.iom.int/fr/absent", html("Page introuvable"), status="404 Not Found"),
        Rec("response", "https://www.iom.int/fr/ancien", b"", status="301 Moved Permanently",
            http_headers=[("Location", "https://www.iom.int/fr/nouveau")]),
        Rec("revisit", "https://www.iom.int/fr/projet-cuba"),
        # the same page again, later, with another form of its URL: this capture is kept
        Rec("response", "https://WWW.IOM.INT:443/fr/projet-cuba#haut", html(SEED0), date="2024-06-01T10:00:00Z"),
        Rec("response", "https://www.iom.int/fr/texte", SEED1.encode("cp1252", "replace"),
            "text/plain; charset=windows-1252"),
        Rec("response", "https://www.iom.int/fr/compresse", html(SEED1), chunked_gzip=True),
        Rec("response", "https://www.iom.int/fr/sans-type", html(SEED1), content_type=None),
        Rec("resource", "file:///local/page.html", html(SEED1), "text/html"),
        Rec("conversion", "https://www.iom.int/fr/wet", SEED1.encode(), "text/plain"),
    ]
    offsets = write_warc(path, recs)
    return path, recs, offsets


def test_pages_are_the_text_responses_resources_and_conversions(crawl):
    path, recs, offsets = crawl
    s = scan(str(path))
    assert s.problems == []
    urls = [c.url for c in s.captures]
    assert urls == ["https://www.iom.int/fr/projet-cuba", "https://WWW.IOM.INT:443/fr/projet-cuba#haut",
                    "https://www.iom.int/fr/texte", "https://www.iom.int/fr/compresse",
                    "https://www.iom.int/fr/sans-type", "file:///local/page.html", "https://www.iom.int/fr/wet"]
    assert [c.offset for c in s.captures] == [offsets[k] for k in (2, 9, 10, 11, 12, 13, 14)]
    assert s.skipped == {"warcinfo": 1, "request": 1, "metadata": 1, "response image/png": 1,
                         "response application/pdf": 1, "response HTTP 404": 1, "response HTTP 301": 1,
                         "revisit": 1}


def test_batch_over_a_warc(crawl, tmp_path):
    path, recs, offsets = crawl
    out = tmp_path / "out.jsonl"
    proc = run("batch", str(path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    got = records(out)
    schema = load_schema()
    for r in got:
        jsonschema.validate(r, schema)
    assert [r["source"] for r in got] == [
        "https://WWW.IOM.INT:443/fr/projet-cuba#haut", "https://www.iom.int/fr/texte", "https://www.iom.int/fr/compresse",
        "https://www.iom.int/fr/sans-type", "file:///local/page.html", "https://www.iom.int/fr/wet"]
    assert [r["id"] for r in got] == [page_id(r["source"]) for r in got]
    # the latest capture of the page captured twice, not the older one
    first = got[0]
    assert first["id"] == page_id("https://www.iom.int/fr/projet-cuba")
    assert first["project_code"] == "DA.0009" and first["warc"]["date"] == "2024-06-01T10:00:00Z"
    assert first["warc"] == {"file": str(path), "offset": offsets[9], "date": "2024-06-01T10:00:00Z",
                             "record_id": first["warc"]["record_id"]}
    assert first["warc"]["record_id"].startswith("<urn:uuid:")
    # the other pages: same page text through HTML, cp1252 text, chunked+gzip, no Content-Type, WET
    assert {(r["project_code"], json.dumps(r["budget"]), tuple(r["beneficiary_countries"])) for r in got[1:]} \
        == {("IS.0077", json.dumps(got[1]["budget"]), tuple(got[1]["beneficiary_countries"]))}
    assert got[1]["budget"] and got[1]["beneficiary_countries"]
    assert "1 older captures of a URL captured again left out" in proc.stderr
    assert "8 records that are not pages skipped" in proc.stderr and "1 response image/png" in proc.stderr


def test_a_reviewer_finds_the_bytes_again_from_the_record(crawl, tmp_path):
    path, recs, offsets = crawl
    out = tmp_path / "out.jsonl"
    run("batch", str(path), "-o", str(out), "--keep-text")
    rec = next(r for r in records(out) if r["source"].endswith("/texte"))
    with open(rec["warc"]["file"], "rb") as fh:
        data, charset = read_capture(fh, rec["warc"]["offset"], 10_000_000)
    assert charset == "windows-1252"
    assert data == SEED1.encode("cp1252", "replace")


def test_keep_duplicates_keeps_every_capture_with_distinct_ids(crawl, tmp_path):
    path, _, _ = crawl
    out = tmp_path / "all.jsonl"
    proc = run("batch", str(path), "-o", str(out), "--keep-duplicates")
    assert proc.returncode == 0, proc.stderr
    got = records(out)
    ids = [r["id"] for r in got]
    assert len(ids) == len(set(ids)) == 7
    base = page_id("https://www.iom.int/fr/projet-cuba")
    assert [i for i in ids if i.startswith(base)] == [f"{base}~20240101100000", f"{base}~20240601100000"]
    assert "older captures" not in proc.stderr


def test_ids_are_stable_across_runs_and_places(crawl, tmp_path):
    path, _, _ = crawl
    moved = tmp_path / "elsewhere" / "renamed.warc.gz"
    moved.parent.mkdir()
    shutil.copy(path, moved)
    a = [s.id for s in discover([str(path)]).sources]
    b = [s.id for s in discover([str(moved)]).sources]
    assert a == b and len(a) == 6
    assert normalise_url("https://www.iom.int/fr/projet-cuba") == "https://www.iom.int/fr/projet-cuba"
    assert page_id("https://www.iom.int/fr/a?y=1&x=2") == page_id("https://www.iom.int/fr/a?x=2&y=1")
    assert page_id("https://www.iom.int/fr/a") != page_id("https://www.iom.int/fr/b")


def test_the_latest_capture_across_files_wins_and_ties_go_to_the_last(tmp_path):
    a, b = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    write_warc(a, [Rec("response", "https://x.org/p", html("un"), date="2024-03-01T00:00:00Z"),
                   Rec("response", "https://x.org/q", html("q1"), date="2024-01-01T00:00:00Z")])
    write_warc(b, [Rec("response", "https://x.org/p", html("deux"), date="2024-02-01T00:00:00Z"),
                   Rec("response", "https://x.org/q", html("q2"), date="2024-01-01T00:00:00Z")])
    chosen, dropped = choose([scan(str(a)), scan(str(b))])
    assert dropped == 2
    assert [(c.warc, c.url) for c, _ in chosen] == [(str(a), "https://x.org/p"), (str(b), "https://x.org/q")]


def test_a_directory_holding_warcs_and_pages(crawl, tmp_path):
    path, _, _ = crawl
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(path, d / "crawl.warc.gz")
    shutil.copy(SEEDS[2], d / "page.txt")
    found = discover([str(d)])
    assert [s.id for s in found.sources][-1] == "page"
    assert len(found.sources) == 7 and found.warc_files == 1


def test_a_broken_record_is_reported_and_the_rest_of_the_file_read(tmp_path):
    pages = [(f"https://x.org/{k}", html(SEED0 if k % 2 else SEED1), "text/html") for k in range(6)]
    good = tmp_path / "good.warc.gz"
    offsets = pages_warc(good, pages, with_requests=False)
    data = bytearray(good.read_bytes())
    # damage the third record's gzip member (its header and first compressed bytes)
    for k in range(offsets[2] + 10, offsets[2] + 40):
        data[k] = 0x58
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(bytes(data))
    out = tmp_path / "out.jsonl"
    proc = run("batch", str(bad), "-o", str(out))
    assert proc.returncode == 1
    assert f"offset {offsets[2]}: not a WARC record" in proc.stderr
    got = records(out)
    assert [r["source"] for r in got] == [p[0] for k, p in enumerate(pages) if k != 2]
    assert all(not r["errors"] for r in got)


def test_a_broken_record_in_an_uncompressed_warc(tmp_path):
    pages = [(f"https://x.org/{k}", html(SEED1), "text/html") for k in range(4)]
    plain = tmp_path / "crawl.warc"
    offsets = pages_warc(plain, pages, gz=False, with_requests=False)
    data = plain.read_bytes()
    bad = tmp_path / "bad.warc"
    bad.write_bytes(data[:offsets[1]] + b"GARBAGE\r\n" + data[offsets[1] + 4:])
    s = scan(str(bad))
    assert [c.url for c in s.captures] == ["https://x.org/0", "https://x.org/2", "https://x.org/3"]
    assert len(s.problems) == 1 and f"offset {offsets[1]}" in s.problems[0]


def test_a_truncated_file_gives_an_error_record_for_the_cut_page(tmp_path):
    pages = [(f"https://x.org/{k}", html(SEED1), "text/html") for k in range(3)]
    full = tmp_path / "full.warc.gz"
    offsets = pages_warc(full, pages, with_requests=False)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(full.read_bytes()[:offsets[2] + (full.stat().st_size - offsets[2]) // 2])
    out = tmp_path / "out.jsonl"
    proc = run("batch", str(cut), "-o", str(out))
    assert proc.returncode == 1
    got = records(out)
    assert len(got) == 3 and not got[0]["errors"] and not got[1]["errors"]
    assert got[2]["errors"][0].startswith("unreadable: truncated WARC record at offset")
    assert got[2]["source"] == "https://x.org/2" and got[2]["warc"]["offset"] == offsets[2]


def test_a_warc_gzipped_whole_is_refused_with_the_fix(tmp_path):
    plain = tmp_path / "c.warc"
    pages_warc(plain, [(f"https://x.org/{k}", html(SEED1), "text/html") for k in range(3)], gz=False)
    whole = tmp_path / "c.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    proc = run("batch", str(whole), "-o", str(tmp_path / "o.jsonl"))
    assert proc.returncode == 1
    assert "one gzip stream" in proc.stderr and "warcio recompress" in proc.stderr


def test_a_page_over_max_bytes_is_an_error_record_not_memory(tmp_path):
    big = html(SEED1) * 200   # ~1 MB
    path = tmp_path / "big.warc.gz"
    pages_warc(path, [("https://x.org/big", big, "text/html"), ("https://x.org/ok", html(SEED1), "text/html")])
    found = discover([str(path)])
    pages = [read_page(s, max_bytes=100_000) for s in found.sources]
    assert pages[0].error.startswith("too large") and pages[1].error is None


def test_scanning_is_streaming(tmp_path):
    """A WARC much larger than the memory the scan uses: records are never held whole."""
    path = tmp_path / "large.warc.gz"
    import random

    rng = random.Random(0)
    words = SEED1.split()
    # ~8 MB per record of text that compresses like a page (~3:1), 5 records: 40 MB of payload
    blob = html("\n".join(" ".join(rng.choices(words, k=12)) for _ in range(100_000)))
    pages_warc(path, [(f"https://x.org/{k}", blob, "text/html") for k in range(5)])
    tracemalloc.start()
    s = scan(str(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(s.captures) == 5
    assert peak < 4_000_000, peak


def test_a_payload_without_a_type_that_is_plain_text_is_not_read_as_html(tmp_path):
    path = tmp_path / "plain.warc.gz"
    body = "Projet au Chili, durée 12 mois; a<b &amp; c, fin.".encode()
    write_warc(path, [Rec("response", "https://www.iom.int/fr/brut", body, content_type=None)])
    assert [c.content_type for c in scan(str(path)).captures] == ["text/plain"]
    out = tmp_path / "out.jsonl"
    proc = run("batch", str(path), "-o", str(out), "--keep-text")
    assert proc.returncode == 0, proc.stderr
    assert "a<b &amp; c, fin." in records(out)[0]["text"]
