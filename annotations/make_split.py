"""Draw the fixed dev/test split (run once, before any rule was tuned; the result is committed).

Seeds are dev: issue 2's extractor was written against them, so they cannot measure it.
Corpus pages are stratified by layout (how the page text is laid out, read off the text, not
by the extractor) and drawn at random with a fixed seed; test gets ceil(35%) of each stratum,
which puts more than a third of all pages in test and every layout of the corpus in it.
The only "innovation" page is seed 001, so that kind exists in dev only.

    python annotations/make_split.py   # rewrites annotations/split.json (same bytes every time)
"""
import json
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261123


def layout(text: str, name: str) -> str:
    if "Faire un don" in text:
        return "devfund_sheet"
    if name.startswith("idf"):
        return "bullet_sheet" if "\n  • " in text else "dash_sheet"
    return "news"


def main() -> None:
    strata: dict[str, list[str]] = {}
    for p in sorted((HERE / "pages").glob("*.txt")):
        strata.setdefault(layout(p.read_text("utf-8"), p.name), []).append(p.stem)
    rng = random.Random(SEED)
    dev = sorted(p.stem for p in (HERE.parent / "seeds").glob("*.txt"))
    test = []
    for name in sorted(strata):
        ids = sorted(strata[name])
        rng.shuffle(ids)
        k = math.ceil(0.35 * len(ids))
        test += ids[:k]
        dev += ids[k:]
    out = {"seed": SEED, "strata": {k: len(v) for k, v in sorted(strata.items())},
           "dev": sorted(dev), "test": sorted(test)}
    (HERE / "split.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"dev {len(dev)}  test {len(test)}")


if __name__ == "__main__":
    main()
