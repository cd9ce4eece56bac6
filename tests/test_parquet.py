"""Parquet output (issue 16 §2): one file or a dataset of part files, typed nested columns derived
from the record's declarations, read back to the same records by pyarrow, DuckDB, pandas, polars."""
import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extract.io import parquet as pqmod
from extract.io.parquet import (ParquetDatasetWriter, ParquetWriter, arrow_schema, read_ids, records_to_table,
                                schema_from_json, table_to_records)
from extract.io.writers import RecordWriter, output_format, output_paths, writer_for
from extract.record import Record, build_schema

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "annotations" / "pages").glob("*.txt"))[:5]


def exact(records):
    """The records as JSON text: equal only if the values, their types (1 vs 1.0) and the keys
    present (None vs absent) are the same."""
    return [json.dumps(r, ensure_ascii=False) for r in records]


@pytest.fixture(scope="module")
def real_records(extractor):
    return [extractor.extract(p.read_text("utf-8"), id=p.stem, source=str(p.relative_to(ROOT))).to_dict()
            for p in PAGES]


@pytest.fixture(scope="module")
def edge_records(real_records):
    base = real_records[1]   # the innovation page: countries, a budget, evidence of every kind
    with_text = {**base, "id": "with-text", "text": "Le budget : 400 000 dollars É.-U. 🌍"}
    empty = Record(id="empty", source="empty.txt", kind="news").to_dict()   # empty lists, null budget
    failed = Record(id="failed", source="bad.html", errors=["unreadable: not UTF-8", "warning: cut"]).to_dict()
    uni = {**base, "id": "ünï-çødé ✓ \u200f", "source": "pages/été 2024/ß.txt",
           "title": "Côte d’Ivoire : « 10 % »",
           "amounts": [], "deliverables": [{"id": None, "text": "ﬁn \x00 nul", "start": 0, "end": 5}],
           "budget": {"amount": 0.0, "currency": "XOF"}, "errors": [], "evidence": {}}
    ints = {**base, "id": "ints", "approval_year": 2021, "duration_months": 0,
            "evidence": {**base["evidence"], "approval_year": {"value": 2021, "start": 1, "end": 5, "text": "2021",
                                                               "rule": "r", "confidence": 1.0},
                         "start_date": {"value": "2021", "start": None, "end": None, "text": None, "rule": "r",
                                        "confidence": 0.5}}}
    out = [with_text, empty, failed, uni, ints]
    if "warc" in Record.__dataclass_fields__:   # issue 16: a page read from a WARC file says where it was
        out.append({**base, "id": "from-warc", "source": "https://www.iom.int/fr/x",
                    "warc": {"file": "crawl.warc.gz", "offset": 1234, "date": None, "record_id": "<urn:uuid:1>"}})
    return out


@pytest.fixture
def fresh_schema():
    """arrow_schema and the conversion plans are cached: start and end a test that changes the
    record's declarations with empty caches."""
    pqmod.arrow_schema.cache_clear()
    pqmod._record_plans.cache_clear()
    yield
    pqmod.arrow_schema.cache_clear()
    pqmod._record_plans.cache_clear()


# ---------------------------------------------------------------------------------------------
# the schema

def test_schema_has_every_record_field_in_declaration_order():
    s = arrow_schema()
    assert s.names == [f.name for f in fields(Record)]
    assert s.field("text").type == pa.string() and s.field("text").nullable
    assert s.field("id").type == pa.string() and s.field("approval_year").type == pa.int64()
    for name in ("beneficiary_countries", "non_eligible_countries", "countries_mentioned", "errors"):
        assert s.field(name).type == pa.list_(pa.string()), name
    money = pa.struct([("amount", pa.float64()), ("currency", pa.string())])
    assert s.field("budget").type == money
    amount = s.field("amounts").type.value_type
    assert [f.name for f in amount] == ["amount", "currency", "text", "start", "end"]
    assert amount.field("amount").type == pa.float64() and amount.field("start").type == pa.int64()
    assert [f.name for f in s.field("deliverables").type.value_type] == ["id", "text", "start", "end"]
    assert [f.name for f in s.field("entities").type.value_type] == ["start", "end", "label", "text"]
    ev = s.field("evidence").type
    evidence_fields = [f.name for f in fields(Record) if f.metadata["spec"].evidence]
    assert [f.name for f in ev] == evidence_fields
    item = ev.field("title").type
    assert [f.name for f in item] == ["value", "start", "end", "text", "rule", "confidence"]
    assert item.field("value").metadata == {b"encoding": b"json"} and item.field("confidence").type == pa.float64()
    assert ev.field("amounts").type == pa.list_(item)


def test_a_field_declared_in_record_py_reaches_the_parquet_schema(monkeypatch, fresh_schema):
    def with_sectors():
        schema = build_schema()
        schema["properties"]["sectors"] = {"type": "array", "items": {"type": "string"}}
        schema["properties"]["score"] = {"type": ["number", "null"]}
        return schema

    monkeypatch.setattr(pqmod, "build_schema", with_sectors)
    s = arrow_schema()
    assert s.names[-2:] == ["sectors", "score"]
    assert s.field("sectors").type == pa.list_(pa.string()) and s.field("score").type == pa.float64()
    rec = {**Record(id="a", source="a.txt").to_dict(), "sectors": ["santé", "emploi"], "score": 0.5}
    assert exact(table_to_records(records_to_table([rec]))) == exact([rec])


def test_nested_keys_absent_or_null_come_back_as_they_were(monkeypatch, fresh_schema):
    def with_origin():
        schema = build_schema()
        schema["properties"]["origin"] = {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string"}, "date": {"type": ["string", "null"]}, "size": {"type": "integer"}}}
        return schema

    monkeypatch.setattr(pqmod, "build_schema", with_origin)
    base = Record(id="a", source="a.txt").to_dict()
    recs = [{**base, "origin": {"file": "f", "date": None}},
            {**base, "origin": {"file": "f", "date": "2024", "size": 3}}, {**base, "origin": None}]
    # a key that cannot be null was absent; one that can be null was there, null
    assert exact(table_to_records(records_to_table(recs))) == exact(recs)


def test_schema_from_json_types():
    defs = {"m": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]}}
    s = schema_from_json({"properties": {"a": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/m"}]},
                                         "b": {"enum": ["x", None]}, "c": {}, "d": {"type": "boolean"}},
                          "$defs": defs})
    assert s.field("a").type == pa.struct([("x", pa.int64())])
    assert s.field("b").type == pa.string() and s.field("d").type == pa.bool_()
    assert s.field("c").type == pa.string() and s.field("c").metadata == {b"encoding": b"json"}


# ---------------------------------------------------------------------------------------------
# records <-> table

def test_round_trip_of_real_records(real_records, tmp_path):
    table = records_to_table(real_records)
    assert table.schema.equals(arrow_schema()) and table.num_rows == len(real_records)
    assert exact(table_to_records(table)) == exact(real_records)
    pq.write_table(table, tmp_path / "x.parquet", compression="zstd")
    assert exact(table_to_records(pq.read_table(tmp_path / "x.parquet"))) == exact(real_records)
    # the evidence value is JSON text; the other values are typed
    row = table.slice(1, 1).to_pylist()[0]
    assert row["evidence"]["budget"]["value"] == '{"amount": 400000.0, "currency": "USD"}'
    assert row["evidence"]["title"]["value"] is None and "title" in real_records[1]["evidence"]


def test_round_trip_of_edge_cases(edge_records, tmp_path):
    table = records_to_table(edge_records)
    back = table_to_records(table)
    assert exact(back) == exact(edge_records)
    assert back == edge_records
    assert "text" in back[0] and "text" not in back[1]
    assert back[1]["budget"] is None and back[1]["amounts"] == [] and back[2]["evidence"] == {}
    ev = back[4]["evidence"]
    assert ev["approval_year"]["value"] == 2021 and ev["start_date"]["value"] == "2021"
    path = tmp_path / "edge.parquet"
    pq.write_table(table, path)
    assert exact(table_to_records(pq.read_table(path))) == exact(edge_records)


# ---------------------------------------------------------------------------------------------
# one file

def test_single_file_is_zstd_in_row_groups_and_reads_back(real_records, tmp_path):
    out = tmp_path / "sub" / "out.parquet"
    with ParquetWriter(str(out), row_group_size=4) as w:
        assert not w.resumable and not w.streams
        for rec in real_records:
            w.write(rec)
            w.flush()
        assert not out.exists()
    assert out.exists() and not Path(str(out) + ".tmp").exists()
    meta = pq.ParquetFile(out).metadata
    assert meta.num_rows == len(real_records) and meta.num_row_groups == 3   # 4 + 4 + 2
    assert {meta.row_group(g).column(c).compression for g in range(meta.num_row_groups)
            for c in range(meta.num_columns)} == {"ZSTD"}
    assert exact(table_to_records(pq.read_table(out))) == exact(real_records)
    assert read_ids(str(out)) == {r["id"] for r in real_records}


def test_an_interrupted_single_file_leaves_nothing(real_records, tmp_path):
    out = tmp_path / "out.parquet"
    with pytest.raises(KeyboardInterrupt):
        with ParquetWriter(str(out), row_group_size=2) as w:
            for rec in real_records:
                w.write(rec)
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []
    with pytest.raises(ValueError, match="--resume"):
        ParquetWriter(str(out), resume=True)


def test_a_killed_single_file_leaves_no_out_and_an_unreadable_tmp(tmp_path):
    out = tmp_path / "out.parquet"
    code = ("import os, sys\nfrom extract.io.parquet import ParquetWriter\nfrom extract.record import Record\n"
            "w = ParquetWriter(sys.argv[1], row_group_size=2)\n"
            "for k in range(5):\n    w.write(Record(id=str(k), source='s').to_dict())\n"
            "w.flush()\nos._exit(9)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    assert not out.exists()
    tmp = Path(str(out) + ".tmp")
    assert tmp.exists() and tmp.stat().st_size > 0   # row groups written, no footer
    with pytest.raises(pa.ArrowException):
        pq.read_table(tmp)


# ---------------------------------------------------------------------------------------------
# datasets

def parts(d: Path) -> list[str]:
    return sorted(os.listdir(d))


def test_dataset_parts_and_resume(real_records, tmp_path):
    ds = tmp_path / "ds"
    first, rest = real_records[:4], real_records[4:]
    with pytest.raises(KeyboardInterrupt):
        with ParquetDatasetWriter(str(ds) + "/", part_size=2) as w:
            assert w.resumable and not w.streams and w.done == set()
            for rec in first:
                w.write(rec)
                w.flush()
            raise KeyboardInterrupt
    assert parts(ds) == ["part-00000.parquet", "part-00001.parquet"]
    (ds / ".part-00002.parquet.tmp").write_bytes(b"PAR1 cut by a kill")   # a part being written
    with ParquetDatasetWriter(str(ds), resume=True, part_size=2) as w:
        assert w.done == {r["id"] for r in first}
        assert parts(ds) == ["part-00000.parquet", "part-00001.parquet"]   # the tmp is gone
        for rec in rest:
            w.write(rec)
    assert parts(ds) == [f"part-{k:05d}.parquet" for k in range(2 + (len(rest) + 1) // 2)]
    back = table_to_records(pq.read_table(ds))
    assert exact(back) == exact(real_records)
    assert read_ids(str(ds)) == {r["id"] for r in real_records}


def test_dataset_abort_writes_the_waiting_records_as_a_part(real_records, tmp_path):
    ds = tmp_path / "ds"
    with pytest.raises(RuntimeError):
        with ParquetDatasetWriter(str(ds), part_size=100) as w:
            for rec in real_records[:3]:
                w.write(rec)
            raise RuntimeError("the run failed")
    assert parts(ds) == ["part-00000.parquet"]
    assert read_ids(str(ds)) == {r["id"] for r in real_records[:3]}


def test_a_fresh_run_replaces_the_dataset_when_it_ends(real_records, tmp_path):
    ds = tmp_path / "ds"
    with ParquetDatasetWriter(str(ds), part_size=2) as w:
        for rec in real_records[:5]:
            w.write(rec)
    assert len(parts(ds)) == 3
    (ds / "notes.txt").write_text("not ours")
    with ParquetDatasetWriter(str(ds), part_size=4) as w:
        assert w.done == set()
        for rec in real_records[5:]:
            w.write(rec)
        assert parts(ds)[-1] == "part-00003.parquet"   # the old parts are there until the run ends well
    assert parts(ds) == ["notes.txt", "part-00000.parquet", "part-00001.parquet"]
    assert exact(table_to_records(pq.read_table(ds / "part-00000.parquet"))) == exact(real_records[5:9])
    assert read_ids(str(ds)) == {r["id"] for r in real_records[5:]}


def test_an_empty_dataset_still_has_the_schema(tmp_path):
    ds = tmp_path / "ds"
    with ParquetDatasetWriter(str(ds)):
        pass
    assert parts(ds) == ["part-00000.parquet"]
    assert pq.read_table(ds).num_rows == 0 and pq.read_schema(ds / "part-00000.parquet").names == arrow_schema().names


def test_read_ids_locally_and_on_an_fsspec_filesystem(real_records, tmp_path):
    import fsspec

    for k, recs in enumerate((real_records[:2], real_records[2:3])):
        part = pqmod.PartFile(str(tmp_path / f"part-{k:05d}.parquet"))
        part.write(recs)
        part.close()
    assert read_ids(str(tmp_path)) == {r["id"] for r in real_records[:3]}
    mem = fsspec.filesystem("memory")
    for f in sorted(tmp_path.glob("*.parquet")):
        mem.put(str(f), f"/ds/{f.name}")
    assert read_ids("/ds", fs=mem) == {r["id"] for r in real_records[:3]}


# ---------------------------------------------------------------------------------------------
# other readers: DuckDB, pandas, polars

@pytest.fixture(scope="module")
def outputs(real_records, edge_records, tmp_path_factory):
    d = tmp_path_factory.mktemp("readers")
    recs = real_records + edge_records
    with ParquetWriter(str(d / "out.parquet"), row_group_size=4) as w:
        for r in recs:
            w.write(r)
    with ParquetDatasetWriter(str(d / "ds") + "/", part_size=4) as w:
        for r in recs:
            w.write(r)
    return recs, d / "out.parquet", d / "ds"


def by_id(records):
    return sorted(exact(records))


def test_duckdb_reads_the_file_and_the_dataset(outputs):
    duckdb = pytest.importorskip("duckdb")
    recs, out, ds = outputs
    for where in (str(out), f"{ds}/*.parquet"):
        table = duckdb.sql(f"SELECT * FROM read_parquet('{where}') ORDER BY id").to_arrow_table()
        assert by_id(table_to_records(table)) == by_id(recs), where


def test_pandas_reads_the_file_and_the_dataset(outputs):
    pd = pytest.importorskip("pandas")
    recs, out, ds = outputs
    for where in (out, ds):
        df = pd.read_parquet(where)
        assert list(df.columns) == arrow_schema().names
        table = pa.Table.from_pandas(df, schema=arrow_schema(), preserve_index=False)
        assert by_id(table_to_records(table)) == by_id(recs), where


def test_polars_reads_the_file_and_the_dataset(outputs):
    pl = pytest.importorskip("polars")
    recs, out, ds = outputs
    for where in (out, ds / "*.parquet"):
        df = pl.read_parquet(where)
        assert df.schema["beneficiary_countries"] == pl.List(pl.String)
        assert by_id(table_to_records(df.to_arrow())) == by_id(recs), where


def test_duckdb_total_budget_by_beneficiary_country(outputs):
    duckdb = pytest.importorskip("duckdb")
    recs, out, ds = outputs
    want: dict[str, float] = {}
    for r in recs:
        if r["budget"] and r["budget"]["currency"] == "USD":
            for iso in r["beneficiary_countries"]:
                want[iso] = want.get(iso, 0.0) + r["budget"]["amount"]
    assert want   # the seeds have budgets in USD
    for where in (str(out), f"{ds}/*.parquet"):
        got = duckdb.sql(f"""
            SELECT iso, sum(budget.amount) AS total
            FROM (SELECT unnest(beneficiary_countries) AS iso, budget FROM read_parquet('{where}')
                  WHERE budget.currency = 'USD')
            GROUP BY iso ORDER BY total DESC, iso""").fetchall()
        assert dict(got) == pytest.approx(want)
        assert [t for _, t in got] == sorted(want.values(), reverse=True)


# ---------------------------------------------------------------------------------------------
# the registry and the command line

def test_registry(tmp_path):
    assert output_format("out.parquet") == "parquet"
    assert output_format("out/", "parquet") == "parquet" and output_format(str(tmp_path), "parquet") == "parquet"
    assert output_format("out.parquet/") == "parquet"
    for bad in (("out/", None), ("out/", "jsonl"), (str(tmp_path), "csv"), ("-", "parquet")):
        with pytest.raises(ValueError):
            output_format(*bad)
    assert output_paths("x/out.parquet", "parquet") == ["x/out.parquet", "x/out.parquet.tmp"]
    assert output_paths("x/ds/", "parquet") == ["x/ds/"]
    one = writer_for(str(tmp_path / "a.parquet"))
    ds = writer_for(str(tmp_path / "ds") + "/", "parquet")
    assert isinstance(one, ParquetWriter) and isinstance(ds, ParquetDatasetWriter)
    assert isinstance(writer_for(str(tmp_path / "ds"), "parquet"), ParquetDatasetWriter)  # exists now
    assert isinstance(one, RecordWriter)
    one.abort()
    ds.commit()
    with pytest.raises(ValueError, match="--resume"):
        writer_for(str(tmp_path / "b.parquet"), resume=True)


def run(*args):
    return subprocess.run([sys.executable, "-m", "extract", "batch", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_writes_a_parquet_file(real_records, tmp_path):
    out = tmp_path / "out.parquet"
    proc = run("seeds", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    seeds = [r for r in real_records if r["source"].startswith("seeds/")]   # what the JSON Lines output has
    assert exact(table_to_records(pq.read_table(out))) == exact(seeds)
    assert os.listdir(tmp_path) == ["out.parquet"]
    refused = run("seeds", "-o", "-", "--format", "parquet")
    assert refused.returncode == 2 and "standard output" in refused.stderr
    assert run("seeds", "-o", str(out), "--resume").returncode == 2


def test_cli_writes_a_parquet_dataset(tmp_path):
    ds = tmp_path / "ds"
    proc = run("seeds", "-o", f"{ds}/", "--format", "parquet")
    assert proc.returncode == 0, proc.stderr
    assert parts(ds) == ["part-00000.parquet"]
    assert read_ids(str(ds)) == {p.stem for p in (ROOT / "seeds").glob("*.txt")}
    again = run("seeds", "-o", str(ds), "--format", "parquet", "--resume")
    assert again.returncode == 0 and "5 already in the output" in again.stderr


def test_a_part_file_is_written_in_row_groups_and_published_whole(real_records, tmp_path):
    path = tmp_path / "part-00000.parquet"
    part = pqmod.PartFile(str(path), row_group_size=4)
    for k in range(0, 10, 3):            # records come 3 at a time (as a worker gives them)
        part.write(real_records[k:k + 3])
        assert not path.exists()           # nothing a reader could see yet
    part.close()
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(k).num_rows for k in range(meta.num_row_groups)] == [4, 4, 2]
    assert exact(table_to_records(pq.read_table(path))) == exact(real_records[:10])
    dropped = pqmod.PartFile(str(tmp_path / "part-00001.parquet"))
    dropped.write(real_records[:2])
    dropped.discard()
    assert sorted(os.listdir(tmp_path)) == ["part-00000.parquet"]
