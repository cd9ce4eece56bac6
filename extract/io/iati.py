"""IATI activity XML 2.03: one <iati-activity> per page that has a project code.

Mapping (documented choices in README "Outputs"):

* iati-identifier ``XM-DAC-47066-<project_code>``: 47066 is IOM's OECD DAC channel code, so
  XM-DAC-47066 its IATI organisation identifier; reporting-org and participating-org (role 4,
  implementing) are IOM, organisation type 40 (multilateral);
* title and description narratives in ``xml:lang="fr"`` (a page without a title gets its project
  code as title; the description is the record's ``description``, else the title);
* activity-status: active -> 2 (Implementation), completed -> 3 (Finalisation: the page says the
  work is done, not that the accounts are closed);
* activity-date: start -> actual start (2); end -> actual end (4) for a completed project, planned
  end (3) otherwise. A year-only date becomes its first day for a start and its last day for an
  end ("2024" -> 2024-01-01 / 2024-12-31); a year and month likewise;
* activity-scope: national 4, regional 2, multi_regional 3 (multi-national), global 1;
* recipient-country per beneficiary, equal shares summing to 100;
* budget (original, indicative) from start to end with the USD value, value-date = period start,
  when the page gives the budget in USD and both dates.

A page with a project code but no status or no date cannot be a valid activity (both elements
are required by the schema): it is left out, and counted in ``left_out``.
"""
from __future__ import annotations

import calendar
import json
import os
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

IOM_REF = "XM-DAC-47066"
IOM_NAME = "Organisation internationale pour les migrations (OIM)"
MULTILATERAL = "40"
STATUS = {"active": "2", "completed": "3"}
SCOPE = {"global": "1", "regional": "2", "multi_regional": "3", "national": "4"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = Path(__file__).resolve().parent.parent / "data" / "iati-2.03" / "iati-activities-schema.xsd"


def iso_day(date: str, end: bool) -> str:
    """'2024' -> 2024-01-01 (start) / 2024-12-31 (end); '2017-03' -> 2017-03-01 / 2017-03-31.

    >>> iso_day("2024", end=True), iso_day("2016-02", end=True), iso_day("2017-03-30", end=False)
    ('2024-12-31', '2016-02-29', '2017-03-30')
    """
    parts = date.split("-")
    if len(parts) == 3:
        return date
    year = int(parts[0])
    if len(parts) == 2:
        month = int(parts[1])
        day = calendar.monthrange(year, month)[1] if end else 1
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-12-31" if end else f"{year:04d}-01-01"


def shares(n: int) -> list[str]:
    """n equal percentages with two decimals that sum to exactly 100.

    >>> shares(3), shares(1)
    (['33.33', '33.33', '33.34'], ['100'])
    """
    if n == 1:
        return ["100"]
    base = [round(100 / n, 2)] * n
    base[-1] = round(100 - sum(base[:-1]), 2)
    return [f"{x:.2f}" for x in base]


def _narrative(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    n = ET.SubElement(el, "narrative", {XML_LANG: "fr"})
    n.text = text
    return el


def activity(rec: dict, now: str) -> ET.Element | None:
    code = rec.get("project_code")
    status = STATUS.get(rec.get("status") or "")
    start, end = rec.get("start_date"), rec.get("end_date")
    if not code or not status or not (start or end):
        return None
    act = ET.Element("iati-activity", {"last-updated-datetime": now, XML_LANG: "fr", "default-currency": "USD"})
    ET.SubElement(act, "iati-identifier").text = f"{IOM_REF}-{code}"
    org = ET.SubElement(act, "reporting-org", {"ref": IOM_REF, "type": MULTILATERAL})
    ET.SubElement(org, "narrative").text = IOM_NAME
    title = rec.get("title") or code
    _narrative(act, "title", title)
    _narrative(act, "description", rec.get("description") or title, type="1")
    part = ET.SubElement(act, "participating-org", {"ref": IOM_REF, "role": "4", "type": MULTILATERAL})
    ET.SubElement(part, "narrative").text = IOM_NAME
    ET.SubElement(act, "activity-status", {"code": status})
    if start:
        ET.SubElement(act, "activity-date", {"type": "2", "iso-date": iso_day(start, end=False)})
    if end:
        ET.SubElement(act, "activity-date", {"type": "4" if status == "3" else "3", "iso-date": iso_day(end, end=True)})
    if rec.get("coverage") in SCOPE:
        ET.SubElement(act, "activity-scope", {"code": SCOPE[rec["coverage"]]})
    countries = rec.get("beneficiary_countries") or []
    for iso, pct in zip(countries, shares(len(countries)) if countries else []):
        ET.SubElement(act, "recipient-country", {"code": iso, "percentage": pct})
    budget = rec.get("budget")
    if budget and budget.get("currency") == "USD" and start and end:
        b = ET.SubElement(act, "budget", {"type": "1", "status": "1"})
        ET.SubElement(b, "period-start", {"iso-date": iso_day(start, end=False)})
        ET.SubElement(b, "period-end", {"iso-date": iso_day(end, end=True)})
        v = ET.SubElement(b, "value", {"currency": "USD", "value-date": iso_day(start, end=False)})
        v.text = f"{budget['amount']:.2f}"
    return act


class IatiWriter:
    """Collects activities and writes OUT.xml (via OUT.xml.tmp) when the run ends."""

    def __init__(self, path: str, resume: bool = False):
        if resume:
            raise ValueError("--resume works with JSON Lines output only")
        self.path = path
        self.done: set[str] = set()
        self.now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        self.root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": self.now})
        self.activities = 0
        self.left_out = 0

    def write_line(self, line: str, flush: bool = True) -> None:
        act = activity(json.loads(line), self.now)
        if act is None:
            self.left_out += 1
        else:
            self.root.append(act)
            self.activities += 1

    def flush(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is not None:
            return
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        ET.indent(self.root)
        ET.ElementTree(self.root).write(self.path + ".tmp", encoding="utf-8", xml_declaration=True)
        os.replace(self.path + ".tmp", self.path)
        print(f"IATI: {self.activities} activities; {self.left_out} pages left out (no project code, status or date)",
              file=sys.stderr)


def validate(path: str) -> None:
    """Raise if the file does not validate against iati-activities-schema.xsd (xmlschema)."""
    import xmlschema

    xmlschema.XMLSchema(str(SCHEMA)).validate(path)
