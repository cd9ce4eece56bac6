"""IATI activity XML 2.03: valid against the schema, one activity per page with a project code."""
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from extract.io.iati import validate

ROOT = Path(__file__).resolve().parent.parent


def test_iati_file_validates_and_maps_the_record(tmp_path):
    out = tmp_path / "activities.xml"
    proc = subprocess.run([sys.executable, "-m", "extract", "batch", "seeds", "annotations/pages", "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    validate(str(out))  # raises on any schema error
    root = ET.parse(out).getroot()
    acts = {a.findtext("iati-identifier"): a for a in root.findall("iati-activity")}
    # 35 of the 127 pages: a sheet with only "Date de fin" has no start, which an activity needs (rule 6.11.1)
    assert len(acts) > 30
    cuba = acts["XM-DAC-47066-DA.0009"]
    assert cuba.find("activity-status").get("code") == "2"
    dates = {d.get("type"): d.get("iso-date") for d in cuba.findall("activity-date")}
    assert dates == {"2": "2024-01-01", "3": "2025-12-31"}   # year-only: first / last day
    assert cuba.find("activity-scope").get("code") == "4"
    # the 100,000 USD budget over 2024-2025, one indicative budget per year (rule 7.5.3), pro rata by days
    assert [b.findtext("value") for b in cuba.findall("budget")] == ["50068.40", "49931.60"]
    regional = acts["XM-DAC-47066-PO.0160"]
    pct = [float(c.get("percentage")) for c in regional.findall("recipient-country")]
    assert len(pct) == 8 and abs(sum(pct) - 100) < 1e-9
    completed = regional.find("activity-status").get("code")
    assert completed == "3" and {d.get("type") for d in regional.findall("activity-date")} == {"2", "4"}
    assert "left out" in proc.stderr and "no start date" in proc.stderr
