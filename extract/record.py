"""The record: one page in, one record out (the contract is ../shared/RECORD.md, kept in README)."""
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


@dataclass
class Record:
    id: str
    source: str
    kind: str = "other"
    title: str | None = None
    project_code: str | None = None
    prima_id: str | None = None
    budget: dict | None = None
    start_date: str | None = None
    end_date: str | None = None
    approval_year: int | None = None
    duration_months: int | None = None
    status: str | None = None
    project_type: str | None = None
    coverage: str | None = None
    region: str | None = None
    mission: str | None = None
    # not in RECORD.md's table (fields may be added): the page's first paragraph of prose, for
    # the IATI description and for readers of the CSV/SQLite outputs
    description: str | None = None
    beneficiary_countries: list[str] = field(default_factory=list)
    non_eligible_countries: list[str] = field(default_factory=list)
    countries_mentioned: list[str] = field(default_factory=list)
    amounts: list[dict] = field(default_factory=list)
    deliverables: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # optional: the text the offsets refer to (--keep-text)
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON record. Shallow: its lists and dicts are the record's own (dataclasses.asdict
        deep-copied every value, a tenth of the time a page took)."""
        d = {name: getattr(self, name) for name in _FIELD_NAMES}
        if d["text"] is None:
            del d["text"]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Record":
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)


_FIELD_NAMES = tuple(f.name for f in fields(Record))


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))
