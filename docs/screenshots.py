"""The screenshots README shows, taken in headless Chromium (the browser tests' setup).

    python docs/screenshots.py     # docs/review.png, docs/report.png, docs/report_errors.png

docs/review.png: the review page of batch 2's records (the batch over annotations/batch2 with
--keep-text, the values under 0.98); docs/report.png and docs/report_errors.png: evaluate.py's
report of the pipeline on the test split, its top and one page's diff view.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as tmp:
        out, html = Path(tmp) / "b2.jsonl", Path(tmp) / "review.html"
        subprocess.run([sys.executable, "-m", "extract", "batch", "annotations/batch2", "-o", str(out), "--keep-text",
                        "--no-progress"], cwd=ROOT, check=True)
        subprocess.run([sys.executable, "-m", "extract", "review", str(out), "-o", str(html), "--below", "0.98"],
                       cwd=ROOT, check=True)
        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", f"--user-data-dir={tmp}/chrome", "--window-size=1400,1000"):
            opts.add_argument(flag)
        report = Path(tmp) / "report"
        subprocess.run([sys.executable, "evaluate.py", "--split", "test", "--rules-only", "--baseline", "--report",
                        str(report)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        try:
            driver.get(html.as_uri())
            driver.save_screenshot(str(ROOT / "docs" / "review.png"))
            driver.get((report / "report.html").as_uri())
            driver.save_screenshot(str(ROOT / "docs" / "report.png"))
            from selenium.webdriver.common.by import By

            links = driver.find_elements(By.CSS_SELECTOR, "section[data-panel='s0'] ul.pages a")
            if links:
                links[0].click()
            driver.save_screenshot(str(ROOT / "docs" / "report_errors.png"))
        finally:
            driver.quit()
    print("docs/review.png docs/report.png docs/report_errors.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
