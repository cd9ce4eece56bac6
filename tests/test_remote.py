"""Inputs and outputs at URLs (issue 16 §2): a local HTTP server for http:// pages and moto's S3
server for s3:// (both started and stopped here, on 127.0.0.1; nothing reaches the network)."""
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))
from warcs import pages_warc  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "extract", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def records(text: str):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def comparable(rec: dict) -> dict:
    """A record without what says where it was read from."""
    return {k: v for k, v in rec.items() if k not in ("source", "warc")}


@pytest.fixture(scope="module")
def local_records(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "seeds.jsonl"
    proc = run("batch", "seeds", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return {r["id"]: r for r in records(out.read_text("utf-8"))}


# ---------------------------------------------------------------------------------------------
# http://

class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def http_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    for p in SEEDS:
        (root / p.name).write_bytes(p.read_bytes())
    pages_warc(root / "crawl.warc.gz", [(f"https://www.iom.int/fr/{p.stem}", p.read_bytes(), "text/plain")
                                        for p in SEEDS[:2]])
    (root / "page.html").write_text("<html><body><nav>Menu</nav><h1>Titre</h1><p>Projet au Mali, 2 000 000 USD"
                                    "</p></body></html>", "utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_pages_read_over_http(http_server, local_records, tmp_path):
    urls = [f"{http_server}/{p.name}" for p in SEEDS] + [f"{http_server}/page.html"]
    out = tmp_path / "out.jsonl"
    proc = run("batch", *urls, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    got = records(out.read_text("utf-8"))
    assert [r["source"] for r in got] == urls
    assert [r["id"] for r in got] == [p.stem for p in SEEDS] + ["page"]
    for r in got[:-1]:
        assert comparable(r) == comparable(local_records[r["id"]])
    assert got[-1]["countries_mentioned"] == ["ML"] and "Menu" not in json.dumps(got[-1]["entities"])


def test_a_missing_page_over_http_is_an_error_record(http_server, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run("batch", f"{http_server}/{SEEDS[0].name}", f"{http_server}/absent.txt", "-o", str(out))
    assert proc.returncode == 1
    got = records(out.read_text("utf-8"))
    assert not got[0]["errors"] and got[1]["errors"][0].startswith("unreadable")
    assert "absent.txt" in proc.stderr


# ---------------------------------------------------------------------------------------------
# s3:// (moto in server mode)

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    moto_server = pytest.importorskip("moto.server")
    s3fs = pytest.importorskip("s3fs")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = dict(os.environ, FSSPEC_S3_ENDPOINT_URL=f"http://127.0.0.1:{port}", AWS_ACCESS_KEY_ID="testing",
               AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    fs = s3fs.S3FileSystem(key="testing", secret="testing", endpoint_url=f"http://127.0.0.1:{port}")
    fs.mkdir("crawls")
    fs.put(str(ROOT / "seeds") + "/", "crawls/seeds/", recursive=True)
    warc = tmp_path_factory.mktemp("w") / "crawl.warc.gz"
    pages_warc(warc, [(f"https://www.iom.int/fr/{p.stem}", p.read_bytes(), "text/plain; charset=utf-8")
                      for p in SEEDS])
    fs.put(str(warc), "crawls/warc/crawl.warc.gz")
    yield fs, env
    server.stop()


def test_s3_inputs_and_a_jsonl_output_on_s3(s3, local_records):
    fs, env = s3
    proc = run("batch", "s3://crawls/seeds/", "-o", "s3://crawls/out/seeds.jsonl", env=env)
    assert proc.returncode == 0, proc.stderr
    got = records(fs.cat("crawls/out/seeds.jsonl").decode("utf-8"))
    assert [r["id"] for r in got] == [p.stem for p in SEEDS]
    assert got[0]["source"] == f"s3://crawls/seeds/{SEEDS[0].name}"
    for r in got:
        assert comparable(r) == comparable(local_records[r["id"]])
    assert not fs.exists("crawls/out/seeds.jsonl.tmp")


def test_a_warc_on_s3_read_by_ranges(s3, local_records):
    fs, env = s3
    proc = run("batch", "s3://crawls/warc/crawl.warc.gz", "-o", "s3://crawls/out/warc.jsonl", env=env)
    assert proc.returncode == 0, proc.stderr
    got = records(fs.cat("crawls/out/warc.jsonl").decode("utf-8"))
    assert [r["source"] for r in got] == [f"https://www.iom.int/fr/{p.stem}" for p in SEEDS]
    assert {r["warc"]["file"] for r in got} == {"s3://crawls/warc/crawl.warc.gz"}
    by_stem = {p.stem: r for p, r in zip(SEEDS, got)}
    for stem, r in by_stem.items():
        want = comparable(local_records[stem])
        assert {k: v for k, v in comparable(r).items() if k != "id"} == {k: v for k, v in want.items() if k != "id"}


def test_a_glob_on_s3_and_a_parquet_dataset_on_s3(s3):
    pq = pytest.importorskip("pyarrow.parquet")
    fs, env = s3
    proc = run("batch", "s3://crawls/seeds/00[0-2]*.txt", "-o", "s3://crawls/out/ds/", "--format", "parquet",
               env=env)
    assert proc.returncode == 0, proc.stderr
    parts = [f for f in fs.find("crawls/out/ds/") if f.endswith(".parquet")]
    assert parts
    ids = []
    for f in parts:
        with fs.open(f, "rb") as fh:
            ids += pq.read_table(fh, columns=["id"]).column("id").to_pylist()
    assert sorted(ids) == [p.stem for p in SEEDS[:3]]


def test_resume_on_s3_completes_an_interrupted_output(s3, local_records):
    """A run stopped after two pages left OUT.tmp on the bucket: --resume keeps them, adds the rest."""
    fs, env = s3
    first = [json.dumps(local_records[p.stem], ensure_ascii=False) for p in SEEDS[:2]]
    fs.pipe("crawls/out/resumed.jsonl.tmp", ("\n".join(first) + "\n").encode("utf-8"))
    proc = run("batch", "s3://crawls/seeds/", "-o", "s3://crawls/out/resumed.jsonl", "--resume", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "2 already in the output" in proc.stderr
    got = records(fs.cat("crawls/out/resumed.jsonl").decode("utf-8"))
    assert [r["id"] for r in got] == [p.stem for p in SEEDS]
    assert not fs.exists("crawls/out/resumed.jsonl.tmp")


def test_an_unknown_bucket_is_a_one_line_usage_error(s3):
    _, env = s3
    proc = run("batch", "s3://no-such-bucket/pages/", "-o", "/tmp/never.jsonl", env=env)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_a_dataset_written_again_on_s3_keeps_no_part_of_the_old_one(s3):
    pq = pytest.importorskip("pyarrow.parquet")
    fs, env = s3
    fs.pipe("crawls/out/again/part-00007.parquet", b"an old part this run does not write")
    proc = run("batch", "s3://crawls/seeds/00[0-1]*.txt", "-o", "s3://crawls/out/again/", "--format", "parquet",
               env=env)
    assert proc.returncode == 0, proc.stderr
    parts = [f for f in fs.find("crawls/out/again/") if f.endswith(".parquet")]
    ids = []
    for f in parts:
        with fs.open(f, "rb") as fh:
            ids += pq.read_table(fh, columns=["id"]).column("id").to_pylist()
    assert sorted(ids) == [p.stem for p in SEEDS[:2]]


def test_an_upload_that_fails_keeps_the_records_and_says_where(s3):
    _, env = s3
    proc = run("batch", "s3://crawls/seeds/000*.txt", "-o", "s3://no-such-bucket/out.jsonl", env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    line = next(ln for ln in proc.stderr.splitlines() if "could not upload" in ln)
    kept = line.rsplit("the output is kept in ", 1)[1].strip()
    try:
        assert records(Path(kept, "out.jsonl").read_text("utf-8"))[0]["id"] == SEEDS[0].stem
    finally:
        shutil.rmtree(kept, ignore_errors=True)


def test_dask_writes_its_parts_and_manifest_on_s3(s3):
    pytest.importorskip("distributed")
    pq = pytest.importorskip("pyarrow.parquet")
    fs, env = s3
    proc = run("batch", "s3://crawls/warc/crawl.warc.gz", "-o", "s3://crawls/out/dask/", "--format", "parquet",
               "--engine", "dask", "--local-workers", "1", "--partition-size", "2", env=env)
    assert proc.returncode == 0, proc.stderr
    names = sorted(f.rsplit("/", 1)[-1] for f in fs.find("crawls/out/dask/"))
    assert names == ["_manifest.json", "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    ids = []
    for f in sorted(fs.find("crawls/out/dask/")):
        if f.endswith(".parquet"):
            with fs.open(f, "rb") as fh:
                ids += pq.read_table(fh, columns=["id"]).column("id").to_pylist()
    assert len(ids) == len(set(ids)) == len(SEEDS)


def test_a_warc_from_a_server_without_range_requests_is_one_line_not_a_traceback(http_server, tmp_path):
    """Python's http.server answers no Range requests: fsspec then gives a file that cannot seek,
    and a WARC's records cannot be read again by offset."""
    out = tmp_path / "out.jsonl"
    proc = run("batch", f"{http_server}/crawl.warc.gz", f"{http_server}/{SEEDS[0].name}", "-o", str(out))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1 and "range requests" in proc.stderr
    got = records(out.read_text("utf-8"))
    assert all("range requests" in r["errors"][0] for r in got[:-1])     # each capture: its error record
    assert got[-1]["id"] == SEEDS[0].stem and got[-1]["errors"] == []     # the rest goes on


def test_an_output_url_no_installed_filesystem_can_write_is_a_usage_error(tmp_path):
    import importlib.util

    cases = [("nosuchscheme://b/out.jsonl", "nosuchscheme")]
    if importlib.util.find_spec("gcsfs") is None:   # not a dependency: gs:// is then unknown here
        cases.append(("gs://b/out.jsonl", "gcsfs"))
    for url, said in cases:
        proc = run("batch", "seeds", "-o", url)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.startswith("extract: error: -o ") and said in proc.stderr
