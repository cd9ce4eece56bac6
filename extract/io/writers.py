"""Record writers. JSONL: one record per line, UTF-8, written to OUT.tmp and renamed to OUT at the end."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..record import Record


class JsonlWriter:
    """Writes OUT.tmp, renamed to OUT on close, so a finished OUT is never half-written.

    ``resume=True`` keeps the complete, valid lines already in OUT and in an OUT.tmp left by a
    killed run (a cut last line is dropped), and remembers their ids in ``done``; new records are
    appended after them.
    """

    def __init__(self, path: str, resume: bool = False):
        self.path = path
        self.done: set[str] = set()
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

    def write(self, rec: Record) -> None:
        self.write_line(rec.to_json())

    def write_line(self, line: str, flush: bool = True) -> None:
        """One JSON record and its newline; flushed, a killed run leaves only whole lines before it."""
        self.fh.write(line + "\n")
        if flush:
            self.fh.flush()

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        if self.tmp is None:
            self.fh.flush()
            return
        self.fh.close()
        os.replace(self.tmp, self.path)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.close()
        elif self.tmp is not None:
            self.fh.close()  # keep OUT.tmp: --resume picks it up


# ---------------------------------------------------------------------------------------------
# CSV and SQLite: the same records for spreadsheets and SQL. Both take record dicts.

SCALARS = ("id", "source", "kind", "title", "project_code", "prima_id", "start_date", "end_date", "approval_year",
           "duration_months", "status", "project_type", "coverage", "region", "mission")
LISTS = ("beneficiary_countries", "non_eligible_countries", "countries_mentioned")
COUNTRY_ROLES = {"beneficiary_countries": "beneficiary", "non_eligible_countries": "non_eligible",
                 "countries_mentioned": "mentioned"}


def page_row(rec: dict) -> dict:
    """One flat row per page: scalars, the budget split in two, lists joined with ';'."""
    row = {k: rec.get(k) for k in SCALARS}
    budget = rec.get("budget") or {}
    row["budget_amount"] = budget.get("amount")
    row["budget_currency"] = budget.get("currency")
    for k in LISTS:
        row[k] = ";".join(rec.get(k) or [])
    row["n_amounts"] = len(rec.get("amounts") or [])
    row["n_deliverables"] = len(rec.get("deliverables") or [])
    row["errors"] = ";".join(rec.get("errors") or [])
    return row


def long_rows(rec: dict):
    """Long format: one row per country (with its role), sum of money and deliverable."""
    for field, role in COUNTRY_ROLES.items():
        for pos, iso in enumerate(rec.get(field) or []):
            yield {"id": rec["id"], "what": f"country_{role}", "position": pos, "value": iso, "amount": None,
                   "currency": None, "text": None, "start": None, "end": None}
    for pos, a in enumerate(rec.get("amounts") or []):
        yield {"id": rec["id"], "what": "amount", "position": pos, "value": None, "amount": a["amount"],
               "currency": a["currency"], "text": a["text"], "start": a["start"], "end": a["end"]}
    for pos, d in enumerate(rec.get("deliverables") or []):
        yield {"id": rec["id"], "what": "deliverable", "position": pos, "value": d["id"], "amount": None,
               "currency": None, "text": d["text"], "start": d["start"], "end": d["end"]}


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


LONG_COLUMNS = ["id", "what", "position", "value", "amount", "currency", "text", "start", "end"]


class CsvWriter:
    """OUT.csv (one row per page) and OUT_long.csv (countries, amounts, deliverables), via .tmp
    files; ``-`` writes the page table to standard output (the long table needs a file)."""

    def __init__(self, path: str, resume: bool = False):
        import csv

        if resume:
            raise ValueError("--resume works with JSON Lines output only")
        self.done: set[str] = set()
        self.path = path
        columns = list(page_row({"id": ""}))
        if path == "-":
            self.fh, self.long_fh, self.long = sys.stdout, None, None
        else:
            self.long_path = long_csv_path(path)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(path + ".tmp", "w", encoding="utf-8", newline="")
            self.long_fh = open(self.long_path + ".tmp", "w", encoding="utf-8", newline="")
            self.long = csv.DictWriter(self.long_fh, fieldnames=LONG_COLUMNS)
            self.long.writeheader()
        self.rows = csv.DictWriter(self.fh, fieldnames=columns)
        self.rows.writeheader()

    def write_line(self, line: str, flush: bool = True) -> None:
        rec = json.loads(line)
        self.rows.writerow(safe_row(page_row(rec)))
        if self.long is not None:
            self.long.writerows(safe_row(r) for r in long_rows(rec))

    def flush(self) -> None:
        self.fh.flush()
        if self.long_fh is not None:
            self.long_fh.flush()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if self.long_fh is None:
            self.fh.flush()
            return
        self.fh.close()
        self.long_fh.close()
        if exc_type is None:
            os.replace(self.path + ".tmp", self.path)
            os.replace(self.long_path + ".tmp", self.long_path)


def long_csv_path(path: str) -> str:
    return str(Path(path).with_name(Path(path).stem + "_long.csv"))


SQL_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    id TEXT PRIMARY KEY, source TEXT, kind TEXT, title TEXT, project_code TEXT, prima_id TEXT,
    budget_amount REAL, budget_currency TEXT, start_date TEXT, end_date TEXT, approval_year INTEGER,
    duration_months INTEGER, status TEXT, project_type TEXT, coverage TEXT, region TEXT, mission TEXT,
    errors TEXT, record TEXT);
CREATE TABLE IF NOT EXISTS countries (page_id TEXT, iso TEXT, role TEXT, position INTEGER);
CREATE TABLE IF NOT EXISTS amounts (page_id TEXT, position INTEGER, amount REAL, currency TEXT, text TEXT,
    start INTEGER, "end" INTEGER, is_budget INTEGER);
CREATE TABLE IF NOT EXISTS deliverables (page_id TEXT, position INTEGER, deliverable_id TEXT, text TEXT,
    start INTEGER, "end" INTEGER);
CREATE TABLE IF NOT EXISTS entities (page_id TEXT, start INTEGER, "end" INTEGER, label TEXT, text TEXT);
CREATE INDEX IF NOT EXISTS pages_project_code ON pages(project_code);
CREATE INDEX IF NOT EXISTS countries_iso ON countries(iso);
CREATE INDEX IF NOT EXISTS countries_page ON countries(page_id);
CREATE INDEX IF NOT EXISTS amounts_page ON amounts(page_id);
CREATE INDEX IF NOT EXISTS deliverables_page ON deliverables(page_id);
CREATE INDEX IF NOT EXISTS entities_page ON entities(page_id);
"""


class SqliteWriter:
    """An SQLite file: pages, countries, amounts, deliverables, entities keyed by page id. A re-run
    replaces the rows of the pages it sees (upsert by id) and keeps the others; each batch is one
    transaction."""

    def __init__(self, path: str, resume: bool = False):
        import sqlite3

        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript(SQL_SCHEMA)
        self.done: set[str] = {r[0] for r in self.db.execute("SELECT id FROM pages")} if resume else set()

    def write_line(self, line: str, flush: bool = True) -> None:
        rec = json.loads(line)
        pid = rec["id"]
        db = self.db
        for table in ("countries", "amounts", "deliverables", "entities"):
            db.execute(f"DELETE FROM {table} WHERE page_id = ?", (pid,))
        row = page_row(rec)
        cols = ["id", "source", "kind", "title", "project_code", "prima_id", "budget_amount", "budget_currency",
                "start_date", "end_date", "approval_year", "duration_months", "status", "project_type", "coverage",
                "region", "mission"]
        values = [row[c] for c in cols] + [json.dumps(rec.get("errors") or [], ensure_ascii=False), line]
        db.execute(f"INSERT OR REPLACE INTO pages ({', '.join(cols)}, errors, record) "
                   f"VALUES ({', '.join('?' * (len(cols) + 2))})", values)
        for field, role in COUNTRY_ROLES.items():
            db.executemany("INSERT INTO countries VALUES (?, ?, ?, ?)",
                           [(pid, iso, role, k) for k, iso in enumerate(rec.get(field) or [])])
        budget_spans = {(e["start"], e["end"]) for e in rec.get("entities") or [] if e["label"] == "BUDGET"}
        db.executemany("INSERT INTO amounts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [(pid, k, a["amount"], a["currency"], a["text"], a["start"], a["end"],
                         int((a["start"], a["end"]) in budget_spans)) for k, a in enumerate(rec.get("amounts") or [])])
        db.executemany("INSERT INTO deliverables VALUES (?, ?, ?, ?, ?, ?)",
                       [(pid, k, d["id"], d["text"], d["start"], d["end"])
                        for k, d in enumerate(rec.get("deliverables") or [])])
        db.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
                       [(pid, e["start"], e["end"], e["label"], e["text"]) for e in rec.get("entities") or []])

    def flush(self) -> None:
        self.db.commit()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        self.db.commit()
        self.db.close()


def _iati(path: str, resume: bool = False):
    from .iati import IatiWriter

    return IatiWriter(path, resume=resume)


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter, "sqlite": SqliteWriter, "xml": _iati}
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".sqlite": "sqlite", ".db": "sqlite",
              ".sqlite3": "sqlite", ".xml": "xml"}
STREAMABLE = ("jsonl", "csv")   # the formats that can go to standard output (-o -)


def output_format(path: str, fmt: str | None = None) -> str:
    """The writer's name: --format, else OUT's extension; an extension we do not know is refused
    rather than silently written as JSON Lines.

    >>> output_format("out/x.jsonl"), output_format("-"), output_format("x.out", "csv")
    ('jsonl', 'jsonl', 'csv')
    """
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


def writer_for(path: str, fmt: str | None = None, resume: bool = False):
    """The writer chosen by --format, else by OUT's extension (see output_format)."""
    return WRITERS[output_format(path, fmt)](path, resume=resume)


def output_paths(path: str, fmt: str) -> list[str]:
    """Every file a run writes for OUT (the final files and their .tmp), for the overlap checks."""
    if path == "-":
        return []
    out = [path, path + ".tmp"]
    if fmt == "csv":
        out += [long_csv_path(path), long_csv_path(path) + ".tmp"]
    if fmt == "jsonl":
        out.append(path + ".tmp.resume")
    return out
