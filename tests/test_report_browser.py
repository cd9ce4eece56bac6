"""report.html in a real browser: Chromium (the operating system's, /usr/bin/chromium, driven by
selenium through /usr/bin/chromedriver) renders it without a console error, the system select and
the page links work, and screenshots can be taken (docs/screenshots.py keeps the README's ones).

The report is `--compare before.jsonl after.jsonl` on the gold test split, where before.jsonl is a
copy of the gold with one error of each kind injected on a few pages and after.jsonl the same
with two of them fixed and one new (no pipeline run: fast and the same every time).
"""
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from extract.evaluation.cli import main
from extract.evaluation.gold import GOLD_PATH, LIST_FIELDS, SCALAR_FIELDS, SPLIT_PATH, load_gold, load_split

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                                reason="needs Chromium and its driver from the OS packages: /usr/bin/chromium and "
                                       "/usr/bin/chromedriver (apt-get install chromium chromium-driver)")


def proof(value, confidence, span=None, text=None, rule="label"):
    s, e = (span["start"], span["end"]) if span else (None, None)
    return {"value": value, "start": s, "end": e, "text": text, "rule": rule, "confidence": confidence}


def injected(pages: list[dict]) -> dict[str, dict]:
    """The gold records as predictions, with evidence, and one error of each kind on a few pages."""
    out = {}
    for g in pages:
        rec = json.loads(json.dumps(g["record"]))
        ents = [{**s, "text": g["text"][s["start"]:s["end"]]} for s in g["spans"]]
        out[g["id"]] = {"id": g["id"], **rec, "entities": ents}
    ids = sorted(out)
    by_label = lambda pid, lab: [e for e in out[pid]["entities"] if e["label"] == lab]  # noqa: E731
    with_label = lambda lab: [pid for pid in ids if by_label(pid, lab)]                 # noqa: E731
    changes = {}
    pid = with_label("COUNTRY")[0]                      # a missed country
    gone = by_label(pid, "COUNTRY")[-1]
    out[pid]["entities"].remove(gone)
    changes[pid] = "missed"
    pid = next(p for p in with_label("BUDGET") if p not in changes)   # a budget called MONEY
    by_label(pid, "BUDGET")[0]["label"] = "MONEY"
    changes[pid] = "wrong label"
    pid = next(p for p in with_label("DATE") if p not in changes)     # a date one word too long, a wrong start
    d = by_label(pid, "DATE")[0]
    text = next(g["text"] for g in pages if g["id"] == pid)
    if d["start"] > 3:
        d["start"] = text.rfind(" ", 0, d["start"] - 1) + 1
    out[pid]["start_date"] = "1999"
    changes[pid] = "boundary"
    pid = next(p for p in ids if p not in changes)                    # a spurious country and value
    g = next(g for g in pages if g["id"] == pid)
    at = g["text"].find("OIM")
    if at >= 0:
        out[pid]["entities"].append({"start": at, "end": at + 3, "label": "COUNTRY", "text": "OIM"})
    out[pid]["beneficiary_countries"] = out[pid]["beneficiary_countries"] + ["OM"]
    for pid, rec in out.items():
        gold = next(g["record"] for g in pages if g["id"] == pid)
        ev = {}
        for f in SCALAR_FIELDS:
            ok = json.dumps(rec[f]) == json.dumps(gold[f])
            ev[f] = proof(rec[f], 0.97 if ok else 0.42, rule="label" if ok else "first date on the page")
        for f in LIST_FIELDS:
            ev[f] = [proof(v, 0.99 if v in gold[f] else 0.55, rule="label list") for v in rec[f]]
        ev["amounts"] = [proof({"amount": a["amount"], "currency": a["currency"]}, 0.95, a, a["text"], "money cue")
                         for a in rec["amounts"]]
        ev["deliverables"] = [proof(d["text"], 0.9, d, d["text"], "numbered list") for d in rec["deliverables"]]
        rec["evidence"] = ev
    return out


def after(pages: list[dict], before: dict[str, dict]) -> dict[str, dict]:
    """before.jsonl with the start date and the missed country fixed, and a new error: a title cut."""
    out = json.loads(json.dumps(before))
    gold = {g["id"]: g for g in pages}
    for pid, rec in out.items():
        if rec["start_date"] != gold[pid]["record"]["start_date"]:
            rec["start_date"] = gold[pid]["record"]["start_date"]
            rec["evidence"]["start_date"]["value"] = rec["start_date"]
        ents = {(e["start"], e["end"], e["label"]) for e in rec["entities"]}
        for s in gold[pid]["spans"]:
            if s["label"] == "COUNTRY" and (s["start"], s["end"], "COUNTRY") not in ents:
                rec["entities"].append({**s, "text": gold[pid]["text"][s["start"]:s["end"]]})
    pid = next(p for p in sorted(out) if out[p]["title"] and len(out[p]["title"]) > 40)
    out[pid]["title"] = out[pid]["title"][:40]
    out[pid]["evidence"]["title"] = proof(out[pid]["title"], 0.6, rule="the first content line")
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    test_ids = set(load_split()["test"])
    pages = [g for g in load_gold(GOLD_PATH) if g["id"] in test_ids]
    before = injected(pages)
    for name, preds in (("before.jsonl", before), ("after.jsonl", after(pages, before))):
        (tmp / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in preds.values()), "utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp)                               # short, relative names in the report
        code = main(["--split", "test", "--gold", str(GOLD_PATH), "--split-file", str(SPLIT_PATH),
                     "--compare", "before.jsonl", "after.jsonl", "--report", "r"])
    assert code == 0
    return tmp / "r" / "report.html"


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in FLAGS + [f"--user-data-dir={profile}", "--window-size=1360,1500"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def severe(driver) -> list:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def test_report_renders_without_console_errors(report, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    assert browser.title.startswith("Evaluation report")
    assert severe(browser) == []
    panels = browser.find_elements(By.CSS_SELECTOR, "section[data-panel]")
    assert len(panels) == 2 and panels[0].is_displayed() and not panels[1].is_displayed()
    docs = tmp_path   # the README's screenshots come from docs/screenshots.py, on real pages
    browser.save_screenshot(str(docs / "report.png"))
    # the tabs switch systems (no script: radio inputs and CSS)
    browser.find_element(By.CSS_SELECTOR, "label[for='tab-s1']").click()
    assert panels[1].is_displayed() and not panels[0].is_displayed()
    browser.find_element(By.CSS_SELECTOR, "label[for='tab-s0']").click()
    assert panels[0].is_displayed()
    # a link of the pages-with-errors list leads to its page's diff view
    link = browser.find_element(By.CSS_SELECTOR, "section[data-panel='s0'] ul.pages a")
    target = link.get_attribute("href").split("#", 1)[1]
    link.click()
    heading = browser.find_element(By.ID, target)
    assert heading.is_displayed()
    card = heading.find_element(By.XPATH, "./ancestor::div[contains(@class, 'page')]")
    marks = card.find_elements(By.CSS_SELECTOR, ".m")
    assert marks and any(m.get_attribute("data-cat") != "correct" for m in marks)
    for d in card.find_elements(By.CSS_SELECTOR, "details.nav"):      # the navigation is folded
        assert d.get_attribute("open") is None
    # its error list leads to the mark inside the scrolled text
    err = card.find_element(By.CSS_SELECTOR, "ul.errs a")
    mark = browser.find_element(By.ID, err.get_attribute("href").split("#", 1)[1])
    err.click()
    assert mark.is_displayed() and mark.get_attribute("data-cat") != "correct"
    browser.execute_script("arguments[0].scrollIntoView()", heading)
    browser.save_screenshot(str(docs / "report_errors.png"))
    assert severe(browser) == []
    for png in ("report.png", "report_errors.png"):
        assert (docs / png).read_bytes()[:4] == b"\x89PNG"
