"""The record: one page in, one record out (the contract is ../shared/RECORD.md, kept in README).

Every field is declared once, here, with what the rest of the code needs to know about it
(:class:`Spec`): whether it is a value or a list, its JSON Schema, its SQL column, how evaluate.py
scores it, whether it carries evidence. The JSON Schema (record.schema.json), the CSV and SQLite
columns and the scorer's field lists are derived from these declarations (tested to agree), so a
new field is one line below.

>>> [f.name for f in scalar_fields()][:4], [f.name for f in list_fields()][:2]
(['kind', 'title', 'project_code', 'prima_id'], ['beneficiary_countries', 'non_eligible_countries'])
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("record.schema.json")

SPAN_LABELS = ("BUDGET", "MONEY", "DATE", "COUNTRY", "PROJECT_CODE", "PRIMA_ID", "DELIVERABLE")
KINDS = ("idf_project", "innovation", "news", "other")
STATUSES = ("active", "completed")
COVERAGES = ("national", "regional", "multi_regional", "global")

_TEXT = {"type": ["string", "null"], "minLength": 1}
_DATE = {"$ref": "#/$defs/date"}
_COUNTRIES = {"$ref": "#/$defs/countries"}


@dataclass(frozen=True)
class Spec:
    """What a record field is.

    role: "meta" (id, source, errors…), "scalar" (one value or null) or "list" (a list of values);
    schema: its JSON Schema; sql: the SQL type of its column in the ``pages`` table (None: not a
    column there); scoring: how evaluate.py compares it ("exact", "money", "set", "amounts",
    "deliverables"; None: not scored); contract: one of RECORD.md's fields (required in the schema);
    evidence: the record's ``evidence`` object has an entry for it."""

    role: str
    schema: dict
    sql: str | None = None
    scoring: str | None = None
    contract: bool = True
    evidence: bool = False


def spec(role: str, schema: dict, **kw) -> Any:
    return field(metadata={"spec": Spec(role, schema, **kw)}, **_default(role, schema))


def _default(role: str, schema: dict) -> dict:
    if role == "list" or schema.get("type") == "array" or schema.get("$ref", "").endswith(("amounts", "deliverables",
                                                                                          "entities", "countries")):
        return {"default_factory": list}
    return {"default": None}


@dataclass
class Record:
    """One page's record (field declarations: see :class:`Spec`); it may sit on a Doc
    (``doc._.record``) and serialise with it (extract/components/serialize.py registers it)."""

    id: str = spec("meta", {"type": "string"}, sql="TEXT PRIMARY KEY")
    source: str = spec("meta", {"type": "string"}, sql="TEXT")
    kind: str = field(default="other", metadata={"spec": Spec("scalar", {"enum": list(KINDS)}, "TEXT", "exact",
                                                               evidence=True)})
    title: str | None = spec("scalar", _TEXT, sql="TEXT", scoring="exact", evidence=True)
    project_code: str | None = spec("scalar", _TEXT, sql="TEXT", scoring="exact", evidence=True)
    prima_id: str | None = spec("scalar", _TEXT, sql="TEXT", scoring="exact", evidence=True)
    budget: dict | None = spec("scalar", {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/money"}]},
                               scoring="money", evidence=True)
    start_date: str | None = spec("scalar", _DATE, sql="TEXT", scoring="exact", evidence=True)
    end_date: str | None = spec("scalar", _DATE, sql="TEXT", scoring="exact", evidence=True)
    approval_year: int | None = spec("scalar", {"type": ["integer", "null"]}, sql="INTEGER", scoring="exact",
                                     evidence=True)
    duration_months: int | None = spec("scalar", {"type": ["integer", "null"], "minimum": 0}, sql="INTEGER",
                                       scoring="exact", evidence=True)
    status: str | None = spec("scalar", {"enum": [*STATUSES, None]}, sql="TEXT", scoring="exact", evidence=True)
    project_type: str | None = spec("scalar", _TEXT, sql="TEXT", scoring="exact", evidence=True)
    coverage: str | None = spec("scalar", {"enum": [*COVERAGES, None]}, sql="TEXT", scoring="exact", evidence=True)
    region: str | None = spec("scalar", _TEXT, sql="TEXT", scoring="exact", evidence=True)
    mission: str | None = spec("scalar", _TEXT, sql="TEXT", scoring="exact", evidence=True)
    # not in RECORD.md's table (fields may be added): the page's first paragraph of prose, for
    # the IATI description and for readers of the CSV/SQLite outputs
    description: str | None = spec("meta", {**_TEXT, "description": "first paragraph of prose (added field)"},
                                   sql="TEXT", contract=False)
    beneficiary_countries: list[str] = spec("list", _COUNTRIES, scoring="set", evidence=True)
    non_eligible_countries: list[str] = spec("list", _COUNTRIES, scoring="set", evidence=True)
    countries_mentioned: list[str] = spec("list", _COUNTRIES, scoring="set", evidence=True)
    amounts: list[dict] = spec("list", {"$ref": "#/$defs/amounts"}, scoring="amounts", evidence=True)
    deliverables: list[dict] = spec("list", {"$ref": "#/$defs/deliverables"}, scoring="deliverables", evidence=True)
    entities: list[dict] = spec("meta", {"$ref": "#/$defs/entities"})
    errors: list[str] = spec("meta", {"type": "array", "items": {"type": "string", "minLength": 1}})
    # added (issue 15): for every field, the text it came from, the rule that decided, a confidence
    evidence: dict = field(default_factory=dict, metadata={"spec": Spec(
        "meta", {"$ref": "#/$defs/evidence"}, contract=False)})
    # optional: the text the offsets refer to (--keep-text)
    text: str | None = spec("meta", {"type": "string", "description": "the text the offsets refer to (--keep-text)"},
                            contract=False)
    # added (issue 16), only for a page read from a WARC file (``source`` is then its URL): where its
    # bytes are, so a reviewer can find them again
    warc: dict | None = spec("meta", {
        "type": "object", "description": "a page from a WARC file: the file, the record's offset, its WARC-Date "
                                        "and WARC-Record-ID (absent for other pages)",
        "properties": {"file": {"type": "string"}, "offset": {"type": "integer", "minimum": 0},
                       "date": {"type": ["string", "null"]}, "record_id": {"type": ["string", "null"]}},
        "required": ["file", "offset"], "additionalProperties": False}, contract=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON record. Shallow: its lists and dicts are the record's own (dataclasses.asdict
        deep-copied every value, a tenth of the time a page took)."""
        d = {name: getattr(self, name) for name in _FIELD_NAMES}
        if d["text"] is None:
            del d["text"]
        if d["warc"] is None:
            del d["warc"]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Record":
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)


_FIELD_NAMES = tuple(f.name for f in fields(Record))


@dataclass(frozen=True)
class FieldInfo:
    name: str
    spec: Spec


def all_fields() -> list[FieldInfo]:
    return [FieldInfo(f.name, f.metadata["spec"]) for f in fields(Record)]


def scalar_fields() -> list[FieldInfo]:
    """The record's values (one value or null), in record order: what evidence and the scorer cover."""
    return [f for f in all_fields() if f.spec.role == "scalar"]


def list_fields() -> list[FieldInfo]:
    return [f for f in all_fields() if f.spec.role == "list"]


def sql_columns() -> list[tuple[str, str]]:
    """The ``pages`` table's columns: the typed fields, the budget split in two."""
    cols = []
    for f in all_fields():
        if f.name == "budget":
            cols += [("budget_amount", "REAL"), ("budget_currency", "TEXT")]
        elif f.spec.sql:
            cols.append((f.name, f.spec.sql))
    return cols


_DEFS = {
    "offset": {"type": "integer", "minimum": 0},
    "date": {"type": ["string", "null"], "pattern": "^\\d{4}(-\\d{2}(-\\d{2})?)?$"},
    "countries": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
    "money": {
        "type": "object",
        "required": ["amount", "currency"],
        "properties": {"amount": {"type": "number", "minimum": 0}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}},
    },
    "amounts": {"type": "array", "items": {
        "allOf": [{"$ref": "#/$defs/money"}], "type": "object", "required": ["amount", "currency", "text", "start", "end"],
        "properties": {"text": {"type": "string", "minLength": 1}, "start": {"$ref": "#/$defs/offset"},
                       "end": {"$ref": "#/$defs/offset"}}}},
    "deliverables": {"type": "array", "items": {
        "type": "object", "required": ["id", "text", "start", "end"],
        "properties": {"id": {"type": ["string", "null"]}, "text": {"type": "string", "minLength": 1},
                       "start": {"$ref": "#/$defs/offset"}, "end": {"$ref": "#/$defs/offset"}}}},
    "entities": {"type": "array", "items": {
        "type": "object", "required": ["start", "end", "label", "text"],
        "properties": {"start": {"$ref": "#/$defs/offset"}, "end": {"$ref": "#/$defs/offset"},
                       "label": {"enum": list(SPAN_LABELS)}, "text": {"type": "string", "minLength": 1}}}},
    "proof": {
        "type": "object",
        "description": "Where a value came from and how sure it is: the text (offsets into the page text, as "
                       "the entities'), the rule that decided, in words, and the calibrated probability that the "
                       "value is right (for a null: that there is nothing to find).",
        "required": ["value", "start", "end", "text", "rule", "confidence"],
        "properties": {"start": {"type": ["integer", "null"], "minimum": 0},
                       "end": {"type": ["integer", "null"], "minimum": 0},
                       "text": {"type": ["string", "null"]}, "rule": {"type": "string", "minLength": 1},
                       "confidence": {"type": "number", "minimum": 0, "maximum": 1}}},
}


def build_schema() -> dict:
    """The JSON Schema of a record, from the field declarations (extract/record.schema.json)."""
    props, required = {}, []
    for f in all_fields():
        props[f.name] = f.spec.schema
        if f.spec.contract:
            required.append(f.name)
    evidence_props = {}
    for f in all_fields():
        if f.spec.evidence:
            one = {"$ref": "#/$defs/proof"}
            evidence_props[f.name] = {"type": "array", "items": one} if f.spec.role == "list" else one
    defs = dict(_DEFS)
    defs["evidence"] = {"type": "object", "description": "evidence and confidence of every value (issue 15)",
                        "properties": evidence_props, "additionalProperties": False}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/iom-extract/record.schema.json",
        "title": "iom-extract record",
        "description": "One page in, one record out: the contract of RECORD.md (generated by extract/record.py).",
        "type": "object",
        "required": required,
        "properties": props,
        "$defs": defs,
    }


def write_schema(path: Path = SCHEMA_PATH) -> None:
    path.write_text(json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n", "utf-8")


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


if __name__ == "__main__":   # python -m extract.record: rewrite record.schema.json
    write_schema()
