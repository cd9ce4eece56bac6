"""The review page (issue 15 §3), in a real browser: Chromium from the operating system's packages
driven by selenium. It loads without a console error, its rows are sorted, a filter hides rows,
accept / correct produce the expected JSON Lines (the download itself included)."""
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, DRIVER = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver") or "/usr/bin/chromedriver"


def evidence(value, conf, rule, start=None, end=None, text=None):
    return {"value": value, "start": start, "end": end, "text": text, "rule": rule, "confidence": conf}


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    d = tmp_path_factory.mktemp("review")
    page = ("L'OIM aide <les> migrants\nNiamey - Le Japon a alloué 50 dollars par migrant. "
            "Le projet a débuté en mars 2019 au Niger.")
    s = page.index("50 dollars")
    t = page.index("mars 2019")
    recs = [
        {"id": "p<1>", "kind": "news", "source": "x", "text": page,
         "evidence": {"budget": evidence({"amount": 50.0, "currency": "USD"}, 0.41, "sentence cue: 'a alloué'", s,
                                         s + 10, "50 dollars"),
                      "start_date": evidence("2019-03", 0.62, "parse: the date hangs on a word that starts the project",
                                             t, t + 9, "mars 2019"),
                      "title": evidence("L'OIM aide <les> migrants", 0.97, "the first content line", 0, 25),
                      "countries_mentioned": [evidence("NE", 0.55, "country name, first mention")]}},
        {"id": "p2", "kind": "other", "source": "y",
         "evidence": {"kind": evidence("other", 0.5, "layout: free text with no release evidence"),
                      "duration_months": evidence(None, 0.8, "no duration stated")}},
    ]
    path = d / "out.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
    html = d / "review.html"
    proc = subprocess.run([sys.executable, "-m", "extract", "review", str(path), "-o", str(html), "--below", "0.9"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "5 values under 0.9" in proc.stderr
    return html, d


def test_everything_from_the_data_is_escaped(records):
    html, _ = records
    page = html.read_text("utf-8")
    assert "<les>" not in page and "&lt;les&gt;" in page and "p&lt;1&gt;" in page


@pytest.fixture(scope="module")
def browser(records, tmp_path_factory):
    if not Path(CHROMIUM).exists() or not Path(DRIVER).exists():
        pytest.skip("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={tmp_path_factory.mktemp('chrome')}", "--window-size=1400,900"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.get(records[0].as_uri())
    yield driver, downloads
    driver.quit()


def test_the_page_loads_sorted_and_without_console_errors(browser, tmp_path):
    driver, _ = browser
    from selenium.webdriver.common.by import By

    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    confs = [float(tr.get_attribute("data-confidence")) for tr in driver.find_elements(By.CSS_SELECTOR, "tr.item")]
    assert confs == sorted(confs) and len(confs) == 5
    driver.save_screenshot(str(tmp_path / "review.png"))   # docs/review.png: docs/screenshots.py, on real pages
    assert (tmp_path / "review.png").read_bytes()[:4] == b"\x89PNG"


def test_filters_hide_rows(browser):
    driver, _ = browser
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, "kind")).select_by_value("other")
    visible = [tr for tr in driver.find_elements(By.CSS_SELECTOR, "tr.item") if tr.is_displayed()]
    assert {tr.get_attribute("data-id") for tr in visible} == {"p2"}
    assert driver.find_element(By.ID, "shown").text == "2"
    Select(driver.find_element(By.ID, "kind")).select_by_value("")
    Select(driver.find_element(By.ID, "field")).select_by_value("budget")
    visible = [tr for tr in driver.find_elements(By.CSS_SELECTOR, "tr.item") if tr.is_displayed()]
    assert [tr.get_attribute("data-field") for tr in visible] == ["budget"]
    Select(driver.find_element(By.ID, "field")).select_by_value("")


def test_accept_and_correct_give_the_expected_jsonl(browser):
    driver, downloads = browser
    from selenium.webdriver.common.by import By

    rows = {tr.get_attribute("data-field"): tr for tr in driver.find_elements(By.CSS_SELECTOR, "tr.item")}
    rows["budget"].find_element(By.CSS_SELECTOR, "input.fix").send_keys("null")
    rows["budget"].find_element(By.CSS_SELECTOR, "button.correct").click()
    rows["start_date"].find_element(By.CSS_SELECTOR, "button.accept").click()
    rows["countries_mentioned"].find_element(By.CSS_SELECTOR, "input.fix").send_keys("NG")
    rows["countries_mentioned"].find_element(By.CSS_SELECTOR, "button.correct").click()
    driver.find_element(By.ID, "download").click()
    target = downloads / "corrections.jsonl"
    for _ in range(50):
        if target.exists() and target.stat().st_size:
            break
        time.sleep(0.1)
    got = [json.loads(l) for l in target.read_text("utf-8").splitlines()]
    by_field = {c["field"]: c for c in got}
    assert by_field["budget"] == {"id": "p<1>", "field": "budget", "position": None,
                                  "old": {"amount": 50.0, "currency": "USD"}, "new": None, "action": "correct"}
    assert by_field["start_date"]["action"] == "accept" and by_field["start_date"]["new"] == "2019-03"
    assert by_field["countries_mentioned"] == {"id": "p<1>", "field": "countries_mentioned", "position": 0,
                                               "old": "NE", "new": "NG", "action": "correct"}
    from extract.review import read_corrections

    assert read_corrections(target) == got
