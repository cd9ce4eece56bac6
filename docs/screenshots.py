"""The screenshots README shows, taken in headless Chromium (the browser tests' setup).

    python docs/screenshots.py     # docs/review.png: the review page of batch 2's records

It runs the batch over annotations/batch2 (--keep-text), writes the review page of the values
under 0.98 and photographs it.
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
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        try:
            driver.get(html.as_uri())
            driver.save_screenshot(str(ROOT / "docs" / "review.png"))
        finally:
            driver.quit()
    print("docs/review.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
