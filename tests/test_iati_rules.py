"""The IATI Standard Ruleset checker: for every rule that bears on what the writer produces, a
good file passes and a file broken in exactly that way fails with that rule's id."""
from datetime import datetime, timezone

import pytest
from lxml import etree

from extract.io.iati import activity
from extract.io.iati_rules import Ruleset

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


def good_activity(**kw):
    rec = {"project_code": "DA.0009", "status": "active", "start_date": "2024", "end_date": "2025",
           "title": "Titre", "description": "Description", "coverage": "national", "beneficiary_countries": ["CU"],
           "region": None, "budget": {"amount": 100000.0, "currency": "USD"}}
    rec.update(kw)
    import xml.etree.ElementTree as ET

    root = etree.fromstring(b'<iati-activities version="2.03"/>')
    root.append(etree.fromstring(ET.tostring(activity(rec, NOW))))
    return root


def ids(root):
    return sorted({f.rule for f in Ruleset.standard().check_tree(root, NOW) if f.severity == "error"})


def _set(path, attr, value):
    def f(act):
        act.find(path).set(attr, value)
    return f


def _remove(path):
    def f(act):
        for el in act.findall(path):
            el.getparent().remove(el)
    return f


def _add(xml):
    def f(act):
        el = etree.fromstring(xml)
        # keep the schema's order loosely: after the last sibling of the same name, else at the end
        same = act.findall(el.tag)
        if same:
            same[-1].addnext(el)
        else:
            act.append(el)
    return f


def _two_countries(pcts):
    def f(act):
        for el in act.findall("recipient-country"):
            act.remove(el)
        for code, p in zip(("CU", "HT"), pcts):
            act.find("activity-status").addnext(etree.fromstring(f'<recipient-country code="{code}" percentage="{p}"/>'))
    return f


# rule id -> a change that breaks it (and only it) in a good activity
BREAKS = {
    "1.1.3": lambda a: a.find("iati-identifier").__setattr__("text", "XM-DAC-47066"),
    "6.11.1": _remove("activity-date[@type='2']"),
    "6.2.2": _remove("sector"),
    "4.1.1": lambda a: a.attrib.pop("{http://www.w3.org/XML/1998/namespace}lang"),
    "7.8.1": lambda a: (a.attrib.pop("default-currency"), a.find("budget/value").attrib.pop("currency")),
    "11.1.1": _set(".", "last-updated-datetime", "2030-01-01T00:00:00+00:00"),
    "11.1.2": lambda a: (_set("activity-date[@type='2']", "type", "1")(a), _set("activity-date[@type='1']", "iso-date", "2026-01-01")(a)),
    "11.1.3": lambda a: (_set("activity-date[@type='3']", "type", "4")(a), _set("activity-date[@type='2']", "iso-date", "2026-01-01")(a)),
    "11.1.4": _set("activity-date[@type='2']", "iso-date", "2027-06-01"),
    "11.1.5": lambda a: (_set("activity-date[@type='3']", "type", "4")(a), _set("activity-date[@type='4']", "iso-date", "2026-12-31")(a)),
    "3.1.2": _two_countries(("50", "40")),
    "3.1.1": lambda a: (_two_countries(("50", "50"))(a), a.find("recipient-country").attrib.pop("percentage")),
    "3.1.4": _set("recipient-country", "percentage", "60"),
    "12.1.1": _two_countries(("150", "-50")),
    "3.7.1": _remove("recipient-country"),
    "2.1.4": _set("sector", "percentage", "80"),
    "6.10.1": lambda a: (a.find("participating-org").attrib.pop("ref"), _remove("participating-org/narrative")(a)),
    "8.6.3": _set("budget/period-end", "iso-date", "2023-06-30"),
    "7.5.3": _set("budget/period-end", "iso-date", "2025-06-30"),
    "4.3.1": lambda a: a.find("title/narrative").__setattr__("text", None),
    "4.4.1": lambda a: a.find("description/narrative").__setattr__("text", None),
}


def test_the_writer_output_is_clean():
    assert ids(good_activity()) == []
    assert ids(good_activity(beneficiary_countries=[], region="Afrique")) == []
    assert ids(good_activity(beneficiary_countries=["CU", "HT", "DO"], status="completed")) == []
    assert ids(good_activity(start_date="2027-03", end_date="2029")) == []        # a planned start, not an actual one


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_each_rule_catches_its_break(rule):
    root = good_activity()
    BREAKS[rule](root.find("iati-activity"))
    assert rule in ids(root), ids(root)


def test_an_identifier_with_forbidden_symbols_is_not_written():
    assert activity({"project_code": "DA/0009", "status": "active", "start_date": "2024"}, NOW) is None


def test_budgets_are_split_by_year_and_sum_to_the_total():
    act = good_activity(start_date="2017-03-30", end_date="2019-03-29", budget={"amount": 250000.0, "currency": "USD"})
    budgets = act.findall("iati-activity/budget")
    periods = [(b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date")) for b in budgets]
    assert periods == [("2017-03-30", "2017-12-31"), ("2018-01-01", "2018-12-31"), ("2019-01-01", "2019-03-29")]
    assert sum(float(b.findtext("value")) for b in budgets) == pytest.approx(250000.0, abs=0.001)
