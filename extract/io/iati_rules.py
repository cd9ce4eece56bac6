"""The IATI Standard Ruleset (extract/data/iati-2.03/rulesets/standard.json), applied to our XML.

The IATI Validator checks a file against the XML schema and then against this ruleset: a JSON
document of XPath contexts, each with named rules and their cases (the rule semantics are those
of the ruleset's JS specification, SPEC_JS.rst in IATI-Rulesets). This module reads the same JSON
and evaluates it with lxml's XPath 1.0, so a change of ruleset is a change of data.

    python -m extract.io.iati_rules OUT.xml     # every finding, one per line; exit 1 on errors

Not evaluated: cases with an ``idCondition`` (they need the IATI organisation registry, and apply
only to organisation ids it does not hold; ours, XM-DAC-47066, is IOM's registered id), the
organisation-file contexts (we write activity files), and ``dependent`` (not in the JS validator).
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

RULESET = Path(__file__).resolve().parent.parent / "data" / "iati-2.03" / "rulesets" / "standard.json"
XML_NS = {"xml": "http://www.w3.org/XML/1998/namespace"}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    context: str      # the context XPath
    where: str        # the activity's identifier


def _to_date(s: str) -> date | None:
    try:
        return date.fromisoformat(s[:10])
    except (TypeError, ValueError):
        return None


def _to_datetime(s: str) -> datetime | None:
    try:
        d = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def _texts(node, path: str) -> list[str]:
    out = node.xpath(path, namespaces=XML_NS)
    if not isinstance(out, list):
        return [str(out)]
    return [(x if isinstance(x, str) else (x.text or "")) for x in out]


def _truthy(node, expr: str) -> bool:
    r = node.xpath(expr, namespaces=XML_NS)
    if isinstance(r, list):
        return len(r) > 0
    return bool(r)


class Ruleset:
    def __init__(self, rules: dict):
        self.rules = {ctx: body for ctx, body in rules.items() if "iati-organisation" not in ctx}

    @classmethod
    @lru_cache(maxsize=1)
    def standard(cls) -> "Ruleset":
        return cls(json.loads(RULESET.read_text("utf-8")))

    # -----------------------------------------------------------------------------------------
    def check_file(self, path: str, now: datetime | None = None) -> list[Finding]:
        from lxml import etree

        tree = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
        return self.check_tree(tree.getroot(), now)

    def check_activity(self, act, now: datetime | None = None) -> list[Finding]:
        """One activity made with xml.etree: checked inside a document of its own."""
        import xml.etree.ElementTree as ET

        from lxml import etree

        root = etree.fromstring(ET.tostring(ET.Element("iati-activities", {"version": "2.03"})))
        root.append(etree.fromstring(ET.tostring(act)))
        return self.check_tree(root, now)

    def check_tree(self, root, now: datetime | None = None) -> list[Finding]:
        now = now or datetime.now(timezone.utc)
        doc = root.getroottree()
        out: list[Finding] = []
        for ctx, rules in self.rules.items():
            for node in doc.xpath(ctx, namespaces=XML_NS):
                act = node if node.tag == "iati-activity" else next(
                    (a for a in node.iterancestors() if a.tag == "iati-activity"), None)
                where = (act.findtext("iati-identifier") or "?") if act is not None else "?"
                for name, body in rules.items():
                    for case in body.get("cases", []):
                        out += self._case(name, case, node, ctx, where, now)
        return out

    # -----------------------------------------------------------------------------------------
    def _case(self, name: str, case: dict, node, ctx: str, where: str, now: datetime) -> list[Finding]:
        if "idCondition" in case:
            return []
        if case.get("condition") and not _truthy(node, case["condition"]):
            return []
        if name == "loop":
            return self._loop(case, node, ctx, where, now)
        check = getattr(self, "_" + name, None)
        if check is None:
            return []
        ok = check(case, node, now)
        if ok:
            return []
        info = case.get("ruleInfo", {})
        return [Finding(info.get("id", name), info.get("severity", "error"), info.get("message", name), ctx, where)]

    def _loop(self, case: dict, node, ctx: str, where: str, now: datetime) -> list[Finding]:
        out = []
        subs = case.get("subs") or []
        for value in sorted(set(_texts(node, case["foreach"]))):
            for name, body in case["do"].items():
                for inner in body.get("cases", []):
                    filled = {k: (_subst(v, value) if (not subs or k in subs) else v) for k, v in inner.items()}
                    out += self._case(name, filled, node, ctx, where, now)
        return out

    # the rules: each returns True when the case holds ----------------------------------------
    @staticmethod
    def _atleast_one(case, node, now):
        return any(_texts(node, p) for p in case["paths"])

    @staticmethod
    def _no_more_than_one(case, node, now):
        return sum(len(_texts(node, p)) for p in case["paths"]) <= 1

    @staticmethod
    def _only_one_of(case, node, now):
        excluded = any(_texts(node, p) for p in case.get("excluded", []))
        n = sum(len(_texts(node, p)) for p in case["paths"])
        return n == 0 if excluded else n == 1

    @staticmethod
    def _one_or_all(case, node, now):
        if _texts(node, case["one"]):
            return True
        every = {"lang": ".//narrative[not(@xml:lang)]", "currency": ".//value[not(@currency)]",
                 "sector": "transaction[not(sector)]"}.get(case["all"])
        if every is None:
            return True
        return not _texts(node, every) and (case["all"] != "sector" or bool(_texts(node, "transaction")))

    @staticmethod
    def _date_now(case, node, now):
        return all((d := _to_datetime(t)) is None or d <= now for t in _texts(node, case["date"]))

    @staticmethod
    def _date_order(case, node, now):
        def dates(path):
            if path == "NOW":
                return [now.date()]
            return [d for t in _texts(node, path) if (d := _to_date(t))]
        less, more = dates(case["less"]), dates(case["more"])
        return all(a <= b for a in less for b in more)

    @staticmethod
    def _time_limit(case, node, now):
        start = [d for t in _texts(node, case["start"]) if (d := _to_date(t))]
        end = [d for t in _texts(node, case["end"]) if (d := _to_date(t))]
        if not start or not end:
            return True
        a, b = start[0], end[0]
        try:
            limit = a.replace(year=a.year + 1)
        except ValueError:  # 29 February
            limit = date(a.year + 1, 3, 1)
        return b <= limit

    @staticmethod
    def _between_dates(case, node, now):
        d = [x for t in _texts(node, case["date"]) if (x := _to_date(t))]
        a = [x for t in _texts(node, case["start"]) if (x := _to_date(t))]
        b = [x for t in _texts(node, case["end"]) if (x := _to_date(t))]
        return not (d and a and b) or all(a[0] <= x <= b[0] for x in d)

    @staticmethod
    def _regex_matches(case, node, now):
        rx = re.compile(case["regex"])
        return all(rx.search(t) for p in case["paths"] for t in _texts(node, p))

    @staticmethod
    def _regex_no_matches(case, node, now):
        rx = re.compile(case["regex"])
        return not any(rx.search(t) for p in case["paths"] for t in _texts(node, p))

    @staticmethod
    def _startswith(case, node, now):
        prefixes = [t for p in case.get("prefix", []) for t in _texts(node, p)]
        sep = case.get("separator", "")
        return all(any(t.startswith(pre + sep) for pre in prefixes) for p in case["paths"] for t in _texts(node, p))

    @staticmethod
    def _unique(case, node, now):
        values = [t for p in case["paths"] for t in _texts(node, p)]
        return len(values) == len(set(values))

    @staticmethod
    def _if_then(case, node, now):
        return not _truthy(node, case["if"]) or _truthy(node, case["then"])

    @staticmethod
    def _sum_of(case, node):
        total = Decimal(0)
        for p in case["paths"]:
            for t in _texts(node, p):
                try:
                    total += Decimal(t)
                except InvalidOperation:
                    return None
        return total

    def _strict_sum(self, case, node, now):
        total = self._sum_of(case, node)
        values = [t for p in case["paths"] for t in _texts(node, p)]
        return not values or (total is not None and total == Decimal(str(case["sum"])))

    def _sum(self, case, node, now):
        total = self._sum_of(case, node)
        values = [t for p in case["paths"] for t in _texts(node, p)]
        return not values or (total is not None and abs(total - Decimal(str(case["sum"]))) < Decimal("0.01"))

    @staticmethod
    def _range(case, node, now):
        lo, hi = Decimal(str(case.get("min", "-Infinity"))), Decimal(str(case.get("max", "Infinity")))
        for p in case["paths"]:
            for t in _texts(node, p):
                try:
                    v = Decimal(t)
                except InvalidOperation:
                    return False
                if not lo <= v <= hi:
                    return False
        return True

    @staticmethod
    def _no_spaces(case, node, now):
        return all(t == t.strip() for p in case["paths"] for t in _texts(node, p))


def _subst(value, sub: str):
    if isinstance(value, str):
        return value.replace("$1", sub)
    if isinstance(value, list):
        return [_subst(v, sub) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    paths = argv if argv is not None else sys.argv[1:]
    errors = 0
    for path in paths:
        for f in Ruleset.standard().check_file(path):
            print(f"{path}: {f.where}: {f.severity} {f.rule}: {f.message}")
            errors += f.severity == "error"
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
