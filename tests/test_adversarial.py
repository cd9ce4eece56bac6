"""Hostile inputs finish (a generous timeout guards against hangs) and give schema-valid records."""
import importlib.util
from pathlib import Path

import jsonschema
import pytest

from extract.record import load_schema

spec = importlib.util.spec_from_file_location("adv", Path(__file__).resolve().parent.parent / "bench" / "adversarial.py")
adv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(adv)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(adv.CASES))
def test_hostile_input_is_processed(extractor, name):
    text = adv.CASES[name]
    rec = extractor.extract(text, id="hostile")
    jsonschema.validate(rec.to_dict(), load_schema())
    for e in rec.entities:
        assert text[e["start"]:e["end"]] == e["text"]
