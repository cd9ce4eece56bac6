"""IATI activity XML 2.03: one <iati-activity> per project code, valid against the schema and the
IATI Standard Ruleset (extract/io/iati_rules.py checks every file before it is put in place).

Mapping (documented choices in README "Outputs"):

* iati-identifier ``XM-DAC-47066-<project_code>``: 47066 is IOM's OECD DAC channel code, so
  XM-DAC-47066 its IATI organisation identifier; reporting-org and participating-org (role 4,
  implementing) are IOM, organisation type 40 (multilateral). Two pages with the same project
  code are one activity: the most complete record is written (ties: the later page), the others
  are counted;
* title and description narratives in ``xml:lang="fr"`` (a page without a title gets its project
  code as title; the description is the record's ``description``, else the title);
* activity-status: active -> 2 (Implementation), completed -> 3 (Finalisation: the page says the
  work is done, not that the accounts are closed);
* activity-date: the start is an actual start (2), or a planned start (1) when it lies in the
  future; the end is an actual end (4) for a completed project whose end has passed, a planned end
  (3) otherwise; an end before the start is left out. A year-only date becomes its first day for a
  start and its last day for an end ("2024" -> 2024-01-01 / 2024-12-31); a year and month likewise.
  A page with no start date cannot be an activity (rule 6.11.1) and is left out, counted;
* activity-scope: national 4, regional 2, multi_regional 3 (multi-national), global 1;
* recipient-country per beneficiary, equal shares summing to 100; with no beneficiary list, a
  recipient-region from the IDF region (DAC region codes, vocabulary 1), else 998 "Developing
  countries, unspecified" (rule 3.7.1 wants one or the other);
* sector 15190 (DAC 5-digit, "Facilitation of orderly, safe, regular and responsible migration and
  mobility"), the Development Fund's purpose (rule 6.2.2 wants a sector);
* budget: the total in USD split over the calendar years of the project, pro rata by days, each
  period at most a year (rule 7.5.3), type 1 (original) and status 1 (indicative: the split is
  ours, the page gives only the total); value-date = period start.

Every text and attribute is stripped of the characters XML 1.0 forbids, and the file is parsed
back (well-formed, schema-shaped, ruleset-clean) before it replaces OUT.
"""
from __future__ import annotations

import calendar
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .writers import RecordWriter

IOM_REF = "XM-DAC-47066"
IOM_NAME = "Organisation internationale pour les migrations (OIM)"
MULTILATERAL = "40"
MIGRATION_SECTOR = "15190"
STATUS = {"active": "2", "completed": "3"}
SCOPE = {"global": "1", "regional": "2", "multi_regional": "3", "national": "4"}
# IDF regions (as the sheets write them, French and English) -> DAC region codes (Region codelist)
REGIONS = {"afrique": "298", "africa": "298", "amerique latine et caraibes": "498",
           "latin america and the caribbean": "498", "europe": "89", "moyen-orient": "589", "middle east": "589",
           "asie et oceanie": "798", "asia and oceania": "798", "monde": "998", "global": "998"}
UNSPECIFIED_REGION = "998"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = Path(__file__).resolve().parent.parent / "data" / "iati-2.03" / "iati-activities-schema.xsd"
# what XML 1.0 allows: #x9 #xA #xD [#x20-#xD7FF] [#xE000-#xFFFD] [#x10000-#x10FFFF]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(s: str) -> str:
    """Text XML 1.0 can hold: control characters, lone surrogates, U+FFFE/U+FFFF removed.

    >>> xml_text("Titre\\x01 \\x1b[31mrouge\\ufffe\\uffff")
    'Titre [31mrouge'
    """
    return _NOT_XML.sub("", s)


def iso_day(date_: str, end: bool) -> str:
    """'2024' -> 2024-01-01 (start) / 2024-12-31 (end); '2017-03' -> 2017-03-01 / 2017-03-31.

    >>> iso_day("2024", end=True), iso_day("2016-02", end=True), iso_day("2017-03-30", end=False)
    ('2024-12-31', '2016-02-29', '2017-03-30')
    """
    parts = date_.split("-")
    if len(parts) == 3:
        return date_
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


def yearly_budget(amount: float, start: date, end: date) -> list[tuple[date, date, Decimal]]:
    """The total split over calendar years, pro rata by days, cents summing to the total.

    >>> [(str(a), str(b), str(v)) for a, b, v in yearly_budget(100000.0, date(2024, 1, 1), date(2025, 12, 31))]
    [('2024-01-01', '2024-12-31', '50068.40'), ('2025-01-01', '2025-12-31', '49931.60')]
    >>> yearly_budget(5000.0, date(2017, 3, 30), date(2017, 9, 30))[0][2]
    Decimal('5000.00')
    """
    total = Decimal(str(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    periods = []
    y = start.year
    while y <= end.year:
        a = max(start, date(y, 1, 1))
        b = min(end, date(y, 12, 31))
        periods.append((a, b))
        y += 1
    days = [(b - a).days + 1 for a, b in periods]
    whole = sum(days)
    out, given = [], Decimal("0")
    for k, ((a, b), d) in enumerate(zip(periods, days)):
        v = total - given if k == len(periods) - 1 else (total * d / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)
        given += v
        out.append((a, b, v))
    return out


def _sub(parent: ET.Element, tag: str, attrs: dict | None = None, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in (attrs or {}).items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _narrative(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    el = _sub(parent, tag, attrs)
    _sub(el, "narrative", {XML_LANG: "fr"}, text)
    return el


def _fold(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFD", s.lower())
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).split())


def identifier(code: str) -> str | None:
    """The activity identifier, or None when the code cannot make one (rule 1.3.13's symbols,
    spaces, or nothing left once cleaned)."""
    code = xml_text(code).strip()
    if not code or re.search(r"[/&|?\s]", code):
        return None
    return f"{IOM_REF}-{code}"


def why_left_out(rec: dict) -> str | None:
    if not rec.get("project_code"):
        return "no project code"
    if identifier(rec["project_code"]) is None:
        return "a project code that cannot be an identifier"
    if not STATUS.get(rec.get("status") or ""):
        return "no status"
    if not rec.get("start_date"):
        return "no start date"
    return None


def activity(rec: dict, now: datetime) -> ET.Element | None:
    if why_left_out(rec):
        return None
    today = now.date()
    code = rec["project_code"]
    status = STATUS[rec["status"]]
    start = date.fromisoformat(iso_day(rec["start_date"], end=False))
    end = date.fromisoformat(iso_day(rec["end_date"], end=True)) if rec.get("end_date") else None
    if end is not None and end < start:
        end = None
    act = ET.Element("iati-activity", {"last-updated-datetime": now.isoformat(), XML_LANG: "fr",
                                       "default-currency": "USD"})
    _sub(act, "iati-identifier", text=identifier(code))
    org = _sub(act, "reporting-org", {"ref": IOM_REF, "type": MULTILATERAL})
    _sub(org, "narrative", text=IOM_NAME)
    title = xml_text(rec.get("title") or "").strip() or code
    _narrative(act, "title", title)
    description = xml_text(rec.get("description") or "").strip() or title
    _narrative(act, "description", description, type="1")
    part = _sub(act, "participating-org", {"ref": IOM_REF, "role": "4", "type": MULTILATERAL})
    _sub(part, "narrative", text=IOM_NAME)
    _sub(act, "activity-status", {"code": status})
    _sub(act, "activity-date", {"type": "1" if start > today else "2", "iso-date": start.isoformat()})
    if end is not None:
        actual_end = status == "3" and end <= today
        _sub(act, "activity-date", {"type": "4" if actual_end else "3", "iso-date": end.isoformat()})
    if rec.get("coverage") in SCOPE:
        _sub(act, "activity-scope", {"code": SCOPE[rec["coverage"]]})
    countries = [c for c in rec.get("beneficiary_countries") or [] if re.fullmatch(r"[A-Z]{2}", c)]
    countries = list(dict.fromkeys(countries))
    if countries:
        for iso, pct in zip(countries, shares(len(countries))):
            _sub(act, "recipient-country", {"code": iso, "percentage": pct})
    else:
        region = REGIONS.get(_fold(rec.get("region") or ""), UNSPECIFIED_REGION)
        _sub(act, "recipient-region", {"code": region, "vocabulary": "1", "percentage": "100"})
    _sub(act, "sector", {"code": MIGRATION_SECTOR, "vocabulary": "1"})
    budget = rec.get("budget")
    if budget and budget.get("currency") == "USD" and end is not None and budget.get("amount", 0) > 0:
        for a, b, value in yearly_budget(budget["amount"], start, end):
            el = _sub(act, "budget", {"type": "1", "status": "1"})
            _sub(el, "period-start", {"iso-date": a.isoformat()})
            _sub(el, "period-end", {"iso-date": b.isoformat()})
            _sub(el, "value", {"currency": "USD", "value-date": a.isoformat()}, f"{value:.2f}")
    return act


def completeness(rec: dict) -> int:
    """How much of an activity a record can fill: the tie-break between pages of one code."""
    return sum(bool(rec.get(k)) for k in ("title", "description", "start_date", "end_date", "budget", "coverage",
                                           "beneficiary_countries", "region", "status"))


def below(rec: dict, name: str, threshold: float | None) -> bool:
    """Is this value's confidence (evidence) under the threshold (--min-confidence)?"""
    if threshold is None:
        return False
    e = (rec.get("evidence") or {}).get(name)
    c = e.get("confidence") if isinstance(e, dict) else None
    return c is not None and c < threshold


def trusted(rec: dict, threshold: float | None) -> dict:
    """The record with every scalar value under the confidence threshold left out (None), and the
    beneficiary countries under it dropped."""
    if threshold is None:
        return rec
    out = dict(rec)
    for name in ("project_code", "status", "start_date", "end_date", "title", "budget", "coverage", "region"):
        if below(rec, name, threshold):
            out[name] = None
    items = (rec.get("evidence") or {}).get("beneficiary_countries") or []
    if items and len(items) == len(rec.get("beneficiary_countries") or []):
        out["beneficiary_countries"] = [c for c, e in zip(rec["beneficiary_countries"], items)
                                        if e.get("confidence") is None or e["confidence"] >= threshold]
    return out


class IatiWriter(RecordWriter):
    """Collects one activity per identifier and writes OUT.xml (via OUT.xml.tmp) at the end of the
    run, after checking the file parses and passes the IATI Standard Ruleset. ``min_confidence``:
    values whose confidence is under it are left out (a required one: the activity is left out)."""

    def __init__(self, path: str, resume: bool = False, min_confidence: float | None = None):
        super().__init__(path, resume)
        self.min_confidence = min_confidence
        self.now = datetime.now(timezone.utc).replace(microsecond=0)
        self.best: dict[str, tuple[int, int, dict]] = {}   # identifier -> (completeness, order, record)
        self.pages_per_id: dict[str, int] = {}
        self.left_out: dict[str, int] = {}
        self.order = 0

    def write(self, rec: dict) -> None:
        self.order += 1
        rec = trusted(rec, self.min_confidence)
        why = why_left_out(rec)
        if why:
            self.left_out[why] = self.left_out.get(why, 0) + 1
            return
        ident = identifier(rec["project_code"])
        self.pages_per_id[ident] = self.pages_per_id.get(ident, 0) + 1
        key = (completeness(rec), self.order)
        if ident not in self.best or key >= self.best[ident][:2]:
            # keep only the fields an activity uses: thousands of pages, one small dict each
            keep = {k: rec.get(k) for k in ("project_code", "status", "start_date", "end_date", "title", "description",
                                            "coverage", "beneficiary_countries", "region", "budget")}
            self.best[ident] = (*key, keep)

    def commit(self) -> None:
        from .iati_rules import Ruleset

        root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": self.now.isoformat()})
        rules = Ruleset.standard()
        rejected = 0
        for ident in sorted(self.best, key=lambda i: self.best[i][1]):
            act = activity(self.best[ident][2], self.now)
            errors = [f for f in rules.check_activity(act, now=self.now) if f.severity == "error"]
            if errors:  # never expected (tests); a page is left out rather than an invalid file written
                rejected += 1
                print(f"IATI: {ident} left out: rule {errors[0].rule} {errors[0].message}", file=sys.stderr)
                continue
            root.append(act)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        ET.indent(root)
        tmp = self.path + ".tmp"
        ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
        check_well_formed(tmp)
        os.replace(tmp, self.path)
        dups = {i: n for i, n in self.pages_per_id.items() if n > 1}
        left = ", ".join(f"{n} {why}" for why, n in sorted(self.left_out.items()))
        msg = f"IATI: {len(root)} activities; {sum(self.left_out.values()) + rejected} pages left out"
        msg += f" ({left})" if left else ""
        if dups:
            msg += (f"; {sum(dups.values()) - len(dups)} pages share a project code with another page "
                    f"(one activity each, the most complete record kept: {', '.join(sorted(dups)[:5])}"
                    f"{' …' if len(dups) > 5 else ''})")
        print(msg, file=sys.stderr)


class NotWellFormed(ValueError):
    pass


def check_well_formed(path: str) -> None:
    """Parse the file back with a strict parser; raise NotWellFormed (the file is not renamed)."""
    from lxml import etree

    try:
        etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as e:
        raise NotWellFormed(f"{path}: not well-formed XML: {e}") from None


def validate(path: str) -> None:
    """Raise if the file does not validate against iati-activities-schema.xsd (xmlschema)."""
    import xmlschema

    xmlschema.XMLSchema(str(SCHEMA)).validate(path)
