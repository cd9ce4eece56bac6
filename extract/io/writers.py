"""Record writers: JSON Lines, CSV, SQLite (IATI XML in iati.py), one interface.

A writer is a context manager over one output (:class:`RecordWriter`): ``write(record)`` takes a
record as a dict (the JSON record), ``flush()`` makes what was written survive a kill, leaving the
``with`` block normally publishes the output, leaving it with an exception keeps what a
``--resume`` can complete (or nothing half-written). ``done`` holds the ids already in the output
(``--resume``); a writer that cannot resume says so (``resumable = False``), one that can go to
standard output says so (``streams = True``). Columns come from the record's field declarations
(extract/record.py), so a new field reaches every output.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..record import all_fields, list_fields, scalar_fields, sql_columns


class RecordWriter:
    """The interface every writer has (and the place to read what each part means)."""

    resumable = False      # can keep what a killed run wrote and complete it (--resume)
    streams = False        # can write to standard output (-o -)

    def __init__(self, path: str, resume: bool = False):
        if resume and not self.resumable:
            raise ValueError("--resume works with JSON Lines (and Parquet datasets) only")
        self.path = path
        self.done: set[str] = set()

    def write(self, rec: dict) -> None:  # pragma: no cover - every writer has its own
        raise NotImplementedError

    def flush(self) -> None:
        pass

    def commit(self) -> None:
        """The run ended well: put the output in place."""

    def abort(self) -> None:
        """The run was interrupted or failed: keep what --resume needs, publish nothing half-done."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.commit()
        else:
            self.abort()


class JsonlWriter(RecordWriter):
    """Writes OUT.tmp, renamed to OUT on close, so a finished OUT is never half-written.

    ``resume=True`` keeps the complete, valid lines already in OUT and in an OUT.tmp left by a
    killed run (a cut last line is dropped), and remembers their ids in ``done``; new records are
    appended after them.
    """

    resumable = True
    streams = True

    def __init__(self, path: str, resume: bool = False):
        super().__init__(path, resume)
        if path == "-":
            self.fh = sys.stdout
            self.tmp = None
            return
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.tmp = path + ".tmp"
        if resume:
            self._keep_existing()
            self.fh = open(self.tmp, "a", encoding="utf-8")
        else:
            self.fh = open(self.tmp, "w", encoding="utf-8")

    def _keep_existing(self) -> None:
        fresh = self.tmp + ".resume"
        with open(fresh, "w", encoding="utf-8") as out:
            for src in (self.path, self.tmp):
                if not os.path.exists(src):
                    continue
                with open(src, encoding="utf-8", errors="replace") as fh:
                    for line in fh:
                        if not line.endswith("\n"):
                            continue  # cut by a kill
                        try:
                            rid = json.loads(line)["id"]
                        except (ValueError, KeyError, TypeError):
                            continue
                        if rid not in self.done:
                            self.done.add(rid)
                            out.write(line)
        os.replace(fresh, self.tmp)

    def write(self, rec: dict) -> None:
        self.fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        self.fh.flush()

    def commit(self) -> None:
        if self.tmp is None:
            self.fh.flush()
            return
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        if self.tmp is None:
            self.fh.flush()
        else:
            self.fh.close()  # keep OUT.tmp: --resume picks it up


# ---------------------------------------------------------------------------------------------
# CSV and SQLite: the same records for spreadsheets and SQL

COUNTRY_ROLES = {"beneficiary_countries": "beneficiary", "non_eligible_countries": "non_eligible",
                 "countries_mentioned": "mentioned"}


def confidence(rec: dict, name: str):
    """The confidence of a scalar field's value (evidence), or None."""
    e = (rec.get("evidence") or {}).get(name)
    return e.get("confidence") if isinstance(e, dict) else None


def page_row(rec: dict) -> dict:
    """One flat row per page, columns in a fixed order (added ones at the end, so that readers by
    position keep working): id, source and the typed values, the budget split in two, the country
    lists joined with ';', the other lists' counts, errors; then the added fields and the confidence
    of every value (issue 15)."""
    typed = [n for n, _ in sql_columns() if n not in ("budget_amount", "budget_currency")]
    contract = [n for n in typed if n in _CONTRACT]
    row = {name: rec.get(name) for name in contract}
    budget = rec.get("budget") or {}
    row["budget_amount"] = budget.get("amount")
    row["budget_currency"] = budget.get("currency")
    for f in list_fields():
        if f.name in COUNTRY_ROLES:
            row[f.name] = ";".join(rec.get(f.name) or [])
    for f in list_fields():
        if f.name not in COUNTRY_ROLES:
            row[f"n_{f.name}"] = len(rec.get(f.name) or [])
    row["errors"] = ";".join(rec.get("errors") or [])
    for name in typed:
        if name not in _CONTRACT:
            row[name] = rec.get(name)
    for f in scalar_fields():
        row[f"{f.name}_confidence"] = confidence(rec, f.name)
    return row


_CONTRACT = {f.name for f in all_fields() if f.spec.contract}


PAGE_COLUMNS = list(page_row({"id": ""}))


def long_rows(rec: dict):
    """Long format: one row per country (with its role), sum of money and deliverable."""
    ev = rec.get("evidence") or {}

    def conf(name, pos):
        items = ev.get(name) or []
        return items[pos].get("confidence") if pos < len(items) and isinstance(items[pos], dict) else None

    for name, role in COUNTRY_ROLES.items():
        for pos, iso in enumerate(rec.get(name) or []):
            yield {"id": rec["id"], "what": f"country_{role}", "position": pos, "value": iso, "amount": None,
                   "currency": None, "text": None, "start": None, "end": None, "confidence": conf(name, pos)}
    for pos, a in enumerate(rec.get("amounts") or []):
        yield {"id": rec["id"], "what": "amount", "position": pos, "value": None, "amount": a["amount"],
               "currency": a["currency"], "text": a["text"], "start": a["start"], "end": a["end"],
               "confidence": conf("amounts", pos)}
    for pos, d in enumerate(rec.get("deliverables") or []):
        yield {"id": rec["id"], "what": "deliverable", "position": pos, "value": d["id"], "amount": None,
               "currency": None, "text": d["text"], "start": d["start"], "end": d["end"],
               "confidence": conf("deliverables", pos)}


# OWASP "CSV injection": a cell that starts with one of these is a formula in Excel, LibreOffice
# and Google Sheets. Text cells that do get a leading apostrophe (shown by spreadsheets, not run);
# numbers (int/float values) are written as numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A CSV cell that no spreadsheet runs: text starting like a formula is quoted with "'".

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-3 %"), safe_cell(-3.5), safe_cell("Cuba"), safe_cell(None)
    ("'=HYPERLINK(1)", "'-3 %", -3.5, 'Cuba', None)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: dict) -> dict:
    return {k: safe_cell(v) for k, v in row.items()}


LONG_COLUMNS = ["id", "what", "position", "value", "amount", "currency", "text", "start", "end", "confidence"]


def long_csv_path(path: str) -> str:
    return str(Path(path).with_name(Path(path).stem + "_long.csv"))


class CsvWriter(RecordWriter):
    """OUT.csv (one row per page) and OUT_long.csv (countries, amounts, deliverables), via .tmp
    files; ``-`` writes the page table to standard output (the long table needs a file)."""

    streams = True

    def __init__(self, path: str, resume: bool = False):
        import csv

        super().__init__(path, resume)
        if path == "-":
            self.fh, self.long_fh, self.long = sys.stdout, None, None
        else:
            self.long_path = long_csv_path(path)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(path + ".tmp", "w", encoding="utf-8", newline="")
            self.long_fh = open(self.long_path + ".tmp", "w", encoding="utf-8", newline="")
            self.long = csv.DictWriter(self.long_fh, fieldnames=LONG_COLUMNS)
            self.long.writeheader()
        self.rows = csv.DictWriter(self.fh, fieldnames=PAGE_COLUMNS)
        self.rows.writeheader()

    def write(self, rec: dict) -> None:
        self.rows.writerow(safe_row(page_row(rec)))
        if self.long is not None:
            self.long.writerows(safe_row(r) for r in long_rows(rec))

    def flush(self) -> None:
        self.fh.flush()
        if self.long_fh is not None:
            self.long_fh.flush()

    def commit(self) -> None:
        if self.long_fh is None:
            self.fh.flush()
            return
        self.fh.close()
        self.long_fh.close()
        os.replace(self.path + ".tmp", self.path)
        os.replace(self.long_path + ".tmp", self.long_path)

    def abort(self) -> None:
        if self.long_fh is None:
            self.fh.flush()
            return
        self.fh.close()
        self.long_fh.close()


def sql_schema() -> str:
    """The tables, from the field declarations: pages (one row per page, its typed fields), the
    lists in tables of their own, the evidence of every value."""
    cols = ", ".join(f'"{n}" {t}' for n, t in sql_columns())
    return f"""
CREATE TABLE IF NOT EXISTS pages ({cols}, errors TEXT, record TEXT);
CREATE TABLE IF NOT EXISTS countries (page_id TEXT, iso TEXT, role TEXT, position INTEGER);
CREATE TABLE IF NOT EXISTS amounts (page_id TEXT, position INTEGER, amount REAL, currency TEXT, text TEXT,
    start INTEGER, "end" INTEGER, is_budget INTEGER);
CREATE TABLE IF NOT EXISTS deliverables (page_id TEXT, position INTEGER, deliverable_id TEXT, text TEXT,
    start INTEGER, "end" INTEGER);
CREATE TABLE IF NOT EXISTS entities (page_id TEXT, start INTEGER, "end" INTEGER, label TEXT, text TEXT);
CREATE TABLE IF NOT EXISTS evidence (page_id TEXT, field TEXT, position INTEGER, value TEXT, start INTEGER,
    "end" INTEGER, text TEXT, rule TEXT, confidence REAL);
CREATE INDEX IF NOT EXISTS pages_project_code ON pages(project_code);
CREATE INDEX IF NOT EXISTS countries_iso ON countries(iso);
CREATE INDEX IF NOT EXISTS countries_page ON countries(page_id);
CREATE INDEX IF NOT EXISTS amounts_page ON amounts(page_id);
CREATE INDEX IF NOT EXISTS deliverables_page ON deliverables(page_id);
CREATE INDEX IF NOT EXISTS entities_page ON entities(page_id);
CREATE INDEX IF NOT EXISTS evidence_page ON evidence(page_id);
CREATE INDEX IF NOT EXISTS evidence_confidence ON evidence(confidence);
"""


def evidence_rows(rec: dict):
    """(field, position, value, start, end, text, rule, confidence) of every value's evidence;
    position is None for a scalar field."""
    for name, e in (rec.get("evidence") or {}).items():
        items = [(None, e)] if isinstance(e, dict) else list(enumerate(e or []))
        for pos, item in items:
            v = item.get("value")
            yield (name, pos, v if isinstance(v, str) or v is None else json.dumps(v, ensure_ascii=False),
                   item.get("start"), item.get("end"), item.get("text"), item.get("rule"), item.get("confidence"))


class SqliteWriter(RecordWriter):
    """An SQLite file: pages, countries, amounts, deliverables, entities, evidence keyed by page id.
    A re-run replaces the rows of the pages it sees (upsert by id) and keeps the others; each batch
    is one transaction. A file written by an older version gets the columns and tables it lacks."""

    resumable = True

    def __init__(self, path: str, resume: bool = False):
        import sqlite3

        super().__init__(path, resume)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(sql_schema())
        self.migrate()
        self.done = {r[0] for r in self.db.execute("SELECT id FROM pages")} if resume else set()
        self.columns = [n for n, _ in sql_columns()]

    def migrate(self) -> None:
        have = {r[1] for r in self.db.execute("PRAGMA table_info(pages)")}
        for name, sql_type in sql_columns():
            if name not in have:
                self.db.execute(f'ALTER TABLE pages ADD COLUMN "{name}" {sql_type.replace(" PRIMARY KEY", "")}')

    def write(self, rec: dict) -> None:
        pid = rec["id"]
        db = self.db
        for table in ("countries", "amounts", "deliverables", "entities", "evidence"):
            db.execute(f"DELETE FROM {table} WHERE page_id = ?", (pid,))
        row = page_row(rec)
        values = [row[c] for c in self.columns] + [json.dumps(rec.get("errors") or [], ensure_ascii=False),
                                                   json.dumps(rec, ensure_ascii=False)]
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        db.execute(f"INSERT OR REPLACE INTO pages ({quoted}, errors, record) "
                   f"VALUES ({', '.join('?' * (len(self.columns) + 2))})", values)
        for field_name, role in COUNTRY_ROLES.items():
            db.executemany("INSERT INTO countries VALUES (?, ?, ?, ?)",
                           [(pid, iso, role, k) for k, iso in enumerate(rec.get(field_name) or [])])
        budget_spans = {(e["start"], e["end"]) for e in rec.get("entities") or [] if e["label"] == "BUDGET"}
        db.executemany("INSERT INTO amounts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [(pid, k, a["amount"], a["currency"], a["text"], a["start"], a["end"],
                         int((a["start"], a["end"]) in budget_spans)) for k, a in enumerate(rec.get("amounts") or [])])
        db.executemany("INSERT INTO deliverables VALUES (?, ?, ?, ?, ?, ?)",
                       [(pid, k, d["id"], d["text"], d["start"], d["end"])
                        for k, d in enumerate(rec.get("deliverables") or [])])
        db.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
                       [(pid, e["start"], e["end"], e["label"], e["text"]) for e in rec.get("entities") or []])
        db.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [(pid, *row) for row in evidence_rows(rec)])

    def flush(self) -> None:
        self.db.commit()

    def commit(self) -> None:
        self.db.commit()
        self.db.close()

    def abort(self) -> None:
        self.db.commit()   # whole pages only (each batch is a transaction); --resume completes
        self.db.close()


def _iati(path: str, resume: bool = False, min_confidence: float | None = None):
    from .iati import IatiWriter

    return IatiWriter(path, resume=resume, min_confidence=min_confidence)


def names_directory(path: str) -> bool:
    """Does OUT name a directory (a dataset of part files): a path ending in "/", or one that is
    a directory?

    >>> names_directory("out/"), names_directory("out.parquet"), names_directory("-")
    (True, False, False)
    """
    return path != "-" and (path.endswith(("/", os.sep)) or os.path.isdir(path))


def _parquet(path: str, resume: bool = False):
    """A Parquet dataset (part files) for a directory, else one Parquet file (extract/io/parquet.py;
    imported here, not at the top: pyarrow is loaded only by the runs that write Parquet)."""
    try:
        from .parquet import ParquetDatasetWriter, ParquetWriter
    except ImportError as e:
        raise ValueError(f"the Parquet output needs pyarrow ({e}): pip install pyarrow") from None
    return (ParquetDatasetWriter if names_directory(path) else ParquetWriter)(path, resume=resume)


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter, "sqlite": SqliteWriter, "xml": _iati, "parquet": _parquet}
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".sqlite": "sqlite", ".db": "sqlite",
              ".sqlite3": "sqlite", ".xml": "xml", ".parquet": "parquet"}
STREAMABLE = ("jsonl", "csv")   # the formats that can go to standard output (-o -)
DIRECTORY_FORMATS = ("parquet",)   # the formats that can write a directory (a dataset of part files)


def output_format(path: str, fmt: str | None = None) -> str:
    """The writer's name: --format, else OUT's extension; an extension we do not know is refused
    rather than silently written as JSON Lines.

    A directory (``out/``, or one that exists) is a Parquet dataset: ``--format parquet`` (or a
    name ending in ``.parquet/``); any other format needs a file.

    >>> output_format("out/x.jsonl"), output_format("-"), output_format("x.out", "csv")
    ('jsonl', 'jsonl', 'csv')
    >>> output_format("out.parquet"), output_format("out/", "parquet")
    ('parquet', 'parquet')
    """
    if names_directory(path):
        name = fmt or EXTENSIONS.get(Path(path).suffix.lower())
        if name not in DIRECTORY_FORMATS:
            raise ValueError(f"{path}: is a directory; name a file, or pass --format parquet to write a "
                             "Parquet dataset (part files) in it")
        return name
    if fmt:
        if path == "-" and fmt not in STREAMABLE:
            raise ValueError(f"{fmt} output cannot go to standard output (-o -): name a file")
        return fmt
    if path == "-":
        return "jsonl"
    ext = Path(path).suffix.lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    known = ", ".join(sorted(EXTENSIONS))
    if ext == ".json":
        raise ValueError(f"{path}: the output is JSON Lines, one record per line, not one JSON document: "
                         "name it .jsonl, or pass --format jsonl")
    what = f"extension {ext!r}" if ext else "no extension"
    raise ValueError(f"{path}: {what} names no output format ({known}): pass --format")


def writer_for(path: str, fmt: str | None = None, resume: bool = False, min_confidence: float | None = None):
    """The writer chosen by --format, else by OUT's extension (see output_format); for Parquet, a
    dataset writer when OUT names a directory (see names_directory), a one-file writer otherwise."""
    name = output_format(path, fmt)
    if name == "xml":
        return _iati(path, resume=resume, min_confidence=min_confidence)
    if min_confidence is not None:
        raise ValueError("--min-confidence applies to the IATI XML output")
    return WRITERS[name](path, resume=resume)


def output_paths(path: str, fmt: str) -> list[str]:
    """Every file a run writes for OUT (the final files and their .tmp), for the overlap checks."""
    if path == "-":
        return []
    if fmt == "parquet" and names_directory(path):
        return [path]   # the dataset's directory: its part files are written inside it
    out = [path, path + ".tmp"]
    if fmt == "csv":
        out += [long_csv_path(path), long_csv_path(path) + ".tmp"]
    if fmt == "jsonl":
        out.append(path + ".tmp.resume")
    return out
