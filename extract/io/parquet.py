"""Parquet output: one row per page, typed and nested columns (issue 16 §2).

``-o out.parquet`` writes one file (:class:`ParquetWriter`); ``-o out/ --format parquet`` writes a
dataset, a directory of part files that DuckDB, pandas, polars, Spark and Dask read as one table
(:class:`ParquetDatasetWriter`, resumable). Both are zstd-compressed.

The Arrow schema is not a copy of the field list: it is derived from the JSON Schema that
extract/record.py builds from the field declarations (:func:`arrow_schema`), so a field declared
there is a column here, in declaration order. Values keep their JSON types and nesting: strings,
int64 integers, doubles, ``budget`` a struct, the country lists ``list<string>``, ``amounts`` a
list of structs. The only value stored as text is an evidence item's ``value``, which the schema
leaves untyped (it is a string, a number, a sum of money or null depending on the field): it is
JSON, so that ``2020`` (an int) and ``"2020"`` (a date) come back as they went in.

>>> s = arrow_schema()
>>> s.names[:4], str(s.field("budget").type)
(['id', 'source', 'kind', 'title'], 'struct<amount: double, currency: string>')
>>> str(s.field("beneficiary_countries").type), str(s.field("approval_year").type)
('list<item: string>', 'int64')
>>> str(s.field("evidence").type.field("budget").type)
'struct<value: string, start: int64, end: int64, text: string, rule: string, confidence: double>'
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from ..record import Record, build_schema
from .writers import RecordWriter

COMPRESSION = "zstd"
# records per row group. A record is ~5 KB in the file but ~50 KB as the Python dicts waiting to be
# converted: 1,000 of them keep a writer's memory near 50 MB (10,000 took 500 MB), while a row
# group stays a few megabytes, which DuckDB, pandas and polars read as fast as larger ones here
ROW_GROUP_SIZE = 1_000
PART_SIZE = 10_000        # records per part file of a dataset
PART_NAME = "part-{:05d}.parquet"
PART_RE = re.compile(r"^part-(\d+)\.parquet$")
# a part being written (PartFile): hidden, so that no reader globbing *.parquet sees it half-done
TMP_RE = re.compile(r"^\..+\.parquet\.tmp$")
# field metadata on the columns that hold JSON text (an evidence item's value)
JSON_METADATA = {b"encoding": b"json"}


# ---------------------------------------------------------------------------------------------
# JSON Schema -> Arrow

def resolve(node: dict, defs: dict) -> dict:
    """The node a ``$ref`` (``#/$defs/name``) points to, through chains of them."""
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def non_null(node: dict, defs: dict) -> dict | None:
    """The node with its "or null" taken out (``["string", "null"]``, ``oneOf: [null, money]``,
    ``enum: [..., null]``); None when what is left has no single type (then the value is JSON).

    >>> non_null({"type": ["integer", "null"]}, {}), non_null({"enum": ["active", None]}, {})
    ({'type': 'integer'}, {'type': 'string'})
    >>> non_null({"oneOf": [{"type": "null"}, {"$ref": "#/$defs/money"}]}, {"money": {"type": "object"}})
    {'type': 'object'}
    """
    node = resolve(node, defs)
    for key in ("oneOf", "anyOf"):
        if key in node:
            branches = [b for b in node[key] if resolve(b, defs).get("type") != "null"]
            return non_null(branches[0], defs) if len(branches) == 1 else None
    if "enum" in node:
        kinds = {type(v) for v in node["enum"] if v is not None}
        scalar = {str: "string", int: "integer", float: "number", bool: "boolean"}
        return {"type": scalar[kinds.pop()]} if len(kinds) == 1 and next(iter(kinds)) in scalar else None
    t = node.get("type")
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        return {**node, "type": rest[0]} if len(rest) == 1 else None
    if t is None and "allOf" in node:
        return {**node, "type": "object"}
    return node if t is not None else None


def object_fields(node: dict, defs: dict) -> list[tuple[str, dict | None, bool]]:
    """(name, schema or None when untyped, required) of an object's properties, ``allOf`` parts
    merged, in the order a record's dicts have them: the required ones first (in their order),
    then the others."""
    props: dict[str, dict] = {}
    required: list[str] = []
    for part in [*(resolve(p, defs) for p in node.get("allOf", [])), node]:
        props.update(part.get("properties", {}))
        required += [r for r in part.get("required", []) if r not in required]
    names = required + [n for n in props if n not in required]
    return [(n, props.get(n), n in required) for n in names]


PRIMITIVES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}


def arrow_type(node: dict | None, defs: dict) -> pa.DataType:
    """The Arrow type of a JSON Schema node; a node with no single type is JSON text (string).

    >>> defs = build_schema()["$defs"]
    >>> arrow_type({"$ref": "#/$defs/countries"}, defs)
    ListType(list<item: string>)
    >>> arrow_type({"$ref": "#/$defs/amounts"}, defs).value_type
    StructType(struct<amount: double, currency: string, text: string, start: int64, end: int64>)
    """
    node = non_null(node, defs) if node is not None else None
    if node is None:
        return pa.string()
    t = node["type"]
    if t in PRIMITIVES:
        return PRIMITIVES[t]
    if t == "array":
        return pa.list_(arrow_type(node.get("items"), defs))
    if t == "object" and (node.get("properties") or node.get("allOf") or node.get("required")):
        return pa.struct([arrow_field(n, s, defs) for n, s, _ in object_fields(node, defs)])
    return pa.string()   # an object without declared properties: JSON text


def is_json_text(node: dict | None, defs: dict) -> bool:
    """Is this value stored as JSON text (no single type, or an object with no declared fields)?"""
    node = non_null(node, defs) if node is not None else None
    if node is None:
        return True
    return node["type"] == "object" and not (node.get("properties") or node.get("allOf") or node.get("required"))


def arrow_field(name: str, node: dict | None, defs: dict) -> pa.Field:
    # every column is nullable: pyarrow does not check the nulls inside a struct or a list
    # against a declared "not null", so a required flag would turn a bad record into a file that
    # fails late (or a corrupt one) instead of a record the JSON Schema check refuses
    meta = JSON_METADATA if is_json_text(node, defs) else None
    return pa.field(name, arrow_type(node, defs), nullable=True, metadata=meta)


def schema_from_json(schema: dict) -> pa.Schema:
    """The Arrow schema of a record JSON Schema (see :func:`arrow_schema`)."""
    defs = schema.get("$defs", {})
    return pa.schema([arrow_field(n, s, defs) for n, s in schema["properties"].items()])


@lru_cache(maxsize=1)
def arrow_schema() -> pa.Schema:
    """The Parquet files' schema: one column per record field, in declaration order, from the JSON
    Schema extract/record.py builds (build_schema, written to record.schema.json)."""
    return schema_from_json(build_schema())


# ---------------------------------------------------------------------------------------------
# records <-> Arrow
#
# Arrow takes the record dicts as they are except in two places, and a plan says which, from the
# same JSON Schema: a value stored as JSON text (dumped going in, loaded coming out), and the keys
# that a JSON record leaves out when they are null (an evidence entry the record does not have,
# ``text`` without --keep-text), which Arrow cannot leave out: a struct has all its fields.

Convert = Callable[[object], object]


def _plans(node: dict | None, defs: dict) -> tuple[Convert, Convert] | None:
    """(to Arrow, from Arrow) for a value of this schema node, or None where it goes as it is."""
    if is_json_text(node, defs):
        return _dump, _load
    node = non_null(node, defs)
    if node["type"] == "array":
        item = _plans(node.get("items"), defs)
        if item is None:
            return None
        enc, dec = item
        return (lambda v: None if v is None else [enc(x) for x in v],
                lambda v: None if v is None else [dec(x) for x in v])
    if node["type"] != "object":
        return None
    # a key that may be left out and cannot be null (an evidence entry) is null in Arrow only when
    # it was left out; one that may be null (warc's date) was there, null
    children = [(n, _plans(s, defs), not req and not admits_null(s, defs)) for n, s, req in object_fields(node, defs)]
    if all(p is None and not absent for _, p, absent in children):
        return None
    return _object_plans(children)


def admits_null(node: dict | None, defs: dict) -> bool:
    """Can a value of this node be null (an untyped one can)?

    >>> admits_null({"type": ["string", "null"]}, {}), admits_null({"$ref": "#/$defs/proof"}, build_schema()["$defs"])
    (True, False)
    """
    if node is None:
        return True
    node = resolve(node, defs)
    for key in ("oneOf", "anyOf"):
        if key in node:
            return any(admits_null(b, defs) for b in node[key])
    if "enum" in node:
        return None in node["enum"]
    t = node.get("type")
    if t is None:
        return "allOf" not in node and "properties" not in node
    return t == "null" or (isinstance(t, list) and "null" in t)


def _object_plans(children: list) -> tuple[Convert, Convert]:
    encoders = [(n, p[0]) for n, p, _ in children if p is not None]
    decoders = [(n, p[1]) for n, p, _ in children if p is not None]
    optional = [n for n, _, absent in children if absent]

    def enc(v):
        if v is None:
            return None
        v = dict(v)
        for n, f in encoders:
            if n in v:
                v[n] = f(v[n])
        return v

    def dec(v):
        if v is None:
            return None
        for n, f in decoders:
            v[n] = f(v[n])
        for n in optional:
            if v[n] is None:
                del v[n]
        return v

    return enc, dec


def _dump(v):
    return None if v is None else json.dumps(v, ensure_ascii=False)


def _load(s):
    return None if s is None else json.loads(s)


@lru_cache(maxsize=1)
def _record_plans() -> tuple[dict[str, tuple[Convert, Convert]], tuple[str, ...]]:
    """The columns that need converting, and the record keys left out when null: those
    Record.to_dict leaves out (``text``, ``warc``…), asked of Record itself rather than written
    here again."""
    schema = build_schema()
    defs = schema["$defs"]
    plans = {n: p for n, s in schema["properties"].items() if (p := _plans(s, defs)) is not None}
    omitted = tuple(f.name for f in fields(Record) if f.name not in Record(id="", source="").to_dict())
    return plans, omitted


def records_to_table(records: Iterable[dict]) -> pa.Table:
    """The records (JSON record dicts) as an Arrow table of :func:`arrow_schema`, one row each.

    >>> rec = Record(id="p1", source="p1.txt", errors=["empty page"]).to_dict()
    >>> t = records_to_table([rec])
    >>> t.num_rows, t.column("budget").to_pylist(), t.column("errors").to_pylist()
    (1, [None], [['empty page']])
    >>> table_to_records(t) == [rec]
    True
    """
    plans, _ = _record_plans()
    lines = []
    for rec in records:
        if plans:
            rec = dict(rec)
            for name, (enc, _) in plans.items():
                if name in rec:
                    rec[name] = enc(rec[name])
        lines.append(json.dumps(rec, ensure_ascii=False))
    schema = arrow_schema()
    if not lines:
        return schema.empty_table()
    # Arrow's JSON reader (C++) builds the columns from the JSON records, typed by the schema: ten
    # times faster than Table.from_pylist here, and it leaves pandas unimported (from_pylist
    # imports it to look for pandas objects among the values: +50 MB in every Dask worker)
    body = ("\n".join(lines) + "\n").encode("utf-8")
    table = pa_json.read_json(
        pa.BufferReader(body),
        read_options=pa_json.ReadOptions(use_threads=False, block_size=max(len(body), 1 << 20)),
        parse_options=pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error"))
    # the same columns under the schema itself (the reader drops field metadata: encoding=json)
    return pa.Table.from_arrays(table.columns, schema=schema)


def conform(table: pa.Table) -> pa.Table:
    """The table with :func:`arrow_schema`'s columns, order and types: what another reader gave
    (DuckDB, polars: large_string, string_view, large_list…), a file written before a field was
    added (its column is null)."""
    schema = arrow_schema()
    have = set(table.column_names)
    cols = [table.column(f.name) if f.name in have else pa.nulls(table.num_rows, f.type) for f in schema]
    table = pa.Table.from_arrays(cols, names=schema.names)
    return table if table.schema.equals(schema) else table.cast(schema)


def table_to_records(table: pa.Table) -> list[dict]:
    """The records of a table written by :func:`records_to_table` (or read back from its Parquet
    by any reader): the exact inverse for the records the pipeline writes."""
    plans, omitted = _record_plans()
    decoders = [(n, dec) for n, (_, dec) in plans.items()]
    out = conform(table).to_pylist()
    for rec in out:
        for name, dec in decoders:
            rec[name] = dec(rec[name])
        for name in omitted:
            if rec.get(name, 0) is None:
                del rec[name]
    return out


# ---------------------------------------------------------------------------------------------
# files and datasets

class PartFile:
    """One Parquet file on a disk, written a row group at a time (``row_group_size`` records) and
    published whole at ``close()``: a hidden ``.NAME.tmp`` renamed over PATH, so no reader globbing
    ``*.parquet`` sees half a file. ``discard()`` leaves nothing. The engines use it to write a
    partition without holding all its records (an object store's part is written locally and put
    whole: extract/engine/cluster.py ``UploadedPart``)."""

    def __init__(self, path: str, row_group_size: int = ROW_GROUP_SIZE):
        self.path = path
        self.row_group_size = row_group_size
        head, name = os.path.split(path)
        if head:
            os.makedirs(head, exist_ok=True)
        self.tmp = os.path.join(head, f".{name}.tmp")
        self.out = pq.ParquetWriter(self.tmp, arrow_schema(), compression=COMPRESSION)
        self.rows = 0
        # the rows not yet in a row group, as Arrow tables (columnar: a fraction of the memory of
        # the records as Python dicts, which a worker holding a row group of them would pay)
        self.waiting: list[pa.Table] = []
        self.n_waiting = 0

    def write(self, records: list[dict]) -> None:
        if not records:
            return
        self.waiting.append(records_to_table(records))
        self.n_waiting += len(records)
        self.rows += len(records)
        while self.n_waiting >= self.row_group_size:
            self._row_group(self.row_group_size)

    def _row_group(self, n: int) -> None:
        if self.n_waiting:
            table = pa.concat_tables(self.waiting)
            group, rest = table.slice(0, n), table.slice(n)
            self.out.write_table(group, row_group_size=group.num_rows)
            self.waiting = [rest] if rest.num_rows else []
            self.n_waiting = rest.num_rows

    def close(self) -> str:
        self._row_group(self.n_waiting)
        self.out.close()   # the footer: from here the file is readable
        os.replace(self.tmp, self.path)
        return self.path

    def discard(self) -> None:
        self.waiting, self.n_waiting = [], 0
        try:
            self.out.close()
        finally:
            _remove(self.tmp)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def data_files(path: str, fs=None) -> list[str]:
    """The Parquet files a reader of the dataset PATH sees (``PATH/*.parquet``), sorted; hidden
    (``.x``) and underscore (``_x``) files are not data, as for Spark, Dask and pyarrow. A file
    PATH is itself."""
    if fs is None:
        if not os.path.isdir(path):
            return [path]
        names = os.listdir(path)
        return [os.path.join(path, n) for n in sorted(names) if _is_data(n)]
    if not fs.isdir(path):
        return [path]
    return [p for p in sorted(fs.ls(path, detail=False)) if _is_data(p.rstrip("/").rsplit("/", 1)[-1])]


def _is_data(name: str) -> bool:
    return name.endswith(".parquet") and not name.startswith((".", "_"))


def read_ids(path: str, fs=None) -> set[str]:
    """The ids in a Parquet file or dataset directory (only the ``id`` column is read)."""
    ids: set[str] = set()
    for f in data_files(path, fs):
        ids.update(pq.read_table(f, columns=["id"], filesystem=fs).column("id").to_pylist())
    return ids


class ParquetWriter(RecordWriter):
    """One Parquet file, OUT.tmp renamed to OUT on commit.

    A Parquet file is readable only once its footer (the index of its row groups) is written, at
    the end: until commit, OUT.tmp is not a file any reader opens, and a killed run leaves OUT.tmp
    unreadable and nothing at OUT. So this writer cannot resume (a dataset can, see
    :class:`ParquetDatasetWriter`), abort removes the tmp, and ``flush()`` makes nothing survive a
    kill: it writes a row group only when ``row_group_size`` records are waiting (small row groups
    would only make the file slower to read)."""

    resumable = False
    streams = False

    def __init__(self, path: str, resume: bool = False, row_group_size: int = ROW_GROUP_SIZE):
        super().__init__(path, resume)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.tmp = path + ".tmp"
        self.row_group_size = row_group_size
        self.buffer: list[dict] = []
        self.out = pq.ParquetWriter(self.tmp, arrow_schema(), compression=COMPRESSION)

    def write(self, rec: dict) -> None:
        self.buffer.append(rec)
        if len(self.buffer) >= self.row_group_size:
            self._write_row_group()

    def _write_row_group(self) -> None:
        if self.buffer:
            self.out.write_table(records_to_table(self.buffer), row_group_size=self.row_group_size)
            self.buffer = []

    def flush(self) -> None:
        if len(self.buffer) >= self.row_group_size:
            self._write_row_group()

    def commit(self) -> None:
        self._write_row_group()
        self.out.close()   # writes the footer
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        try:
            self.out.close()
        finally:
            _remove(self.tmp)


class ParquetDatasetWriter(RecordWriter):
    """A directory of part files, ``part-00000.parquet``, ``part-00001.parquet``…, one every
    ``part_size`` records and one at the end, each written whole (:func:`write_part`): at any
    moment the directory is a readable dataset of whole records.

    ``resume=True`` keeps the parts already there, ``done`` holds their ids, new parts are numbered
    after them. Without it, the parts already there are removed when the run ends well (the new
    parts then take their numbers from 0), not before: an interrupted run leaves them (as JSON
    Lines leaves the previous OUT). ``abort`` writes the records waiting as a last part, so a
    ``--resume`` skips them; a kill loses at most the records waiting (fewer than ``part_size``).
    Hidden ``.part-*.parquet.tmp`` files left by a kill are removed."""

    resumable = True
    streams = False

    def __init__(self, path: str, resume: bool = False, part_size: int = PART_SIZE,
                 row_group_size: int = ROW_GROUP_SIZE):
        super().__init__(path, resume)
        self.dir = path.rstrip("/" + os.sep) or path
        os.makedirs(self.dir, exist_ok=True)
        for name in os.listdir(self.dir):
            if TMP_RE.match(name):
                _remove(os.path.join(self.dir, name))
        self.part_size = part_size
        self.row_group_size = row_group_size
        existing = self._parts()
        self.next = max(existing, default=-1) + 1
        self.old = [] if resume else sorted(existing)  # replaced at commit
        self.new: list[int] = []
        if resume:
            self.done = read_ids(self.dir)
        self.buffer: list[dict] = []
        self.part: PartFile | None = None   # the part being written (a hidden tmp until closed)
        self.in_part = 0

    def _parts(self) -> list[int]:
        return [int(m.group(1)) for n in os.listdir(self.dir) if (m := PART_RE.match(n))]

    def _part_path(self, k: int) -> str:
        return os.path.join(self.dir, PART_NAME.format(k))

    def _spill(self) -> None:
        """The records waiting, as a row group of the part being written."""
        if self.buffer:
            if self.part is None:
                self.part = PartFile(self._part_path(self.next), row_group_size=self.row_group_size)
            self.part.write(self.buffer)
            self.in_part += len(self.buffer)
            self.buffer = []

    def _write_part(self) -> None:
        """Close the part being written (with the records waiting): from now on it is data."""
        self._spill()
        if self.part is None:    # nothing written: an empty part (the schema)
            self.part = PartFile(self._part_path(self.next), row_group_size=self.row_group_size)
        self.part.close()
        self.part, self.in_part = None, 0
        self.new.append(self.next)
        self.next += 1

    def write(self, rec: dict) -> None:
        self.buffer.append(rec)
        if len(self.buffer) >= min(self.row_group_size, self.part_size - self.in_part):
            self._spill()
        if self.in_part >= self.part_size:
            self._write_part()

    def flush(self) -> None:
        # a part per flush (every batch of the CLI) would make many small files: parts are
        # part_size records, and what waits is written by commit or abort
        pass

    def commit(self) -> None:
        # an empty run still leaves a part: readers get the schema, `dir/*.parquet` matches a file
        if self.buffer or self.part is not None or not (self.new or self._parts_left()):
            self._write_part()
        for k in self.old:
            _remove(self._part_path(k))
        if self.old:   # the new parts take the numbers from 0 (ascending: no rename hits a part not yet moved)
            for k, n in enumerate(self.new):
                if k != n:
                    os.replace(self._part_path(n), self._part_path(k))

    def _parts_left(self) -> bool:
        return bool(set(self._parts()) - set(self.old))

    def abort(self) -> None:
        if self.buffer or self.part is not None:   # whole records: --resume skips them
            self._write_part()
