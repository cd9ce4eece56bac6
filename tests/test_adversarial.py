"""Hostile inputs finish (a generous timeout guards against hangs) and give schema-valid records;
very long pages are read in segments, so memory does not grow with the page."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from extract.extractor import SEGMENT_CHARS, merge_segment, segments
from extract.io.readers import Page, page_from_bytes
from extract.record import load_schema

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("adv", ROOT / "bench" / "adversarial.py")
adv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(adv)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", adv.SMALL)
def test_hostile_input_is_processed(extractor, name):
    text, is_html = adv.build(name)
    page = page_from_bytes(Page("h", "h", ""), text.encode("utf-8"), 20_000_000, is_html)
    rec = extractor.extract(page.text, id="hostile")
    jsonschema.validate(rec.to_dict(), load_schema())
    for e in rec.entities:
        assert page.text[e["start"]:e["end"]] == e["text"]


def test_segments_cover_the_text_at_paragraph_boundaries():
    text = adv.prose(700_000)
    parts = segments(text)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= SEGMENT_CHARS for _, p in parts) and len(parts) >= 4
    assert all(text[o - 1] == "\n" for o, _ in parts[1:])   # cut after a line, never inside a word


def test_a_long_page_gives_the_record_of_its_parts(extractor):
    # the same release three times over 600,000 characters: every sum and country of every copy,
    # at the right offsets, and the page-level fields of the first copy
    one = (ROOT / "annotations" / "pages" / "news_sri_lanka_traite_500000_dollars_etats_unis.txt").read_text("utf-8")
    body = one + "\n\n" + "Lorem ipsum dolor sit amet.\n" * (SEGMENT_CHARS // 28)
    text = body * 3
    assert len(text) > 2 * SEGMENT_CHARS
    rec = extractor.extract(text, id="long")
    short = extractor.extract(one, id="one")
    assert rec.title == short.title and rec.budget == short.budget and rec.kind == short.kind
    assert len(rec.amounts) == 3 * len(short.amounts)
    for e in rec.entities:
        assert text[e["start"]:e["end"]] == e["text"]


def test_merge_segment_shifts_offsets_and_keeps_first_found_values():
    from extract.record import Record

    a = Record(id="p", source="", budget=None, countries_mentioned=["HT"])
    b = Record(id="", source="", budget={"amount": 1.0, "currency": "USD"}, countries_mentioned=["HT", "DO"],
               entities=[{"start": 3, "end": 8, "label": "COUNTRY", "text": "Haïti"}])
    merge_segment(a, b, 100)
    assert a.budget == {"amount": 1.0, "currency": "USD"} and a.countries_mentioned == ["HT", "DO"]
    assert a.entities[0]["start"] == 103 and a.entities[0]["end"] == 108


@pytest.mark.timeout(120)
def test_memory_stays_flat_on_a_very_long_page():
    """4 MB of prose: one Doc of it held ~370 MB; in segments the whole process stays near 200 MB."""
    code = ("import sys; sys.path.insert(0, 'bench');"
            "import adversarial as a; from extract import Extractor;"
            "r = Extractor().extract(a.prose(4_000_000));"
            "print(int(a.peak_rss_mb()), len(r.entities))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    rss, n = map(int, out.split())
    assert n > 10_000
    assert rss < 260, f"peak RSS {rss} MB"
