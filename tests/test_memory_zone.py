"""A long batch does not grow spaCy's vocabularies without end (extract/extractor.py VOCAB_BUDGET),
and the memory zones that keep them in bounds change no record."""
from __future__ import annotations

import random
from pathlib import Path

from extract import Extractor
from extract.parse import ClauseParser

ROOT = Path(__file__).resolve().parent.parent
GOLD_PAGES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "annotations" / "pages").glob("*.txt")) + \
    sorted((ROOT / "annotations" / "batch2").glob("*.txt"))


def invented_pages(n: int, seed: int) -> list[str]:
    """Release-like pages, each with words and numbers no other page has (a crawl's distinct pages)."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(3, 6)))

    pages = []
    for k in range(n):
        who = word().capitalize()
        pages.append(
            f"{who}, {rng.randint(1, 28)} mars {rng.randint(1990, 2030)} – Le projet {word()} de l'OIM au Niger, "
            f"d'un montant de {rng.randint(10, 999)} {rng.randint(100, 999)} dollars, durera {rng.randint(2, 48)} mois "
            f"à compter du {rng.randint(1, 28)} juin {rng.randint(1990, 2030)}. Ce programme {word()} {word()} vise "
            f"les {word()}s de {word().capitalize()} (produit 1.{rng.randint(1, 9)}) : 1) {word()} ; 2) {word()}.\n")
    return pages


def _strings(ex: Extractor) -> tuple[int, int]:
    parser = ClauseParser.loaded()
    return len(ex.nlp.vocab.strings), len(parser.vocab.strings) if parser is not None else 0


def test_zones_change_no_record_on_the_gold_pages(extractor):
    pages = [(p.read_text(encoding="utf-8"), p.stem) for p in GOLD_PAGES]
    plain = Extractor(vocab_budget=10**12)     # never a zone
    zoned = Extractor(vocab_budget=0)          # every batch in a zone
    assert [r.to_dict() for r in zoned.pipe(pages)] == [r.to_dict() for r in plain.pipe(pages)]


def test_past_the_budget_the_vocabularies_stop_growing(extractor):
    extractor.warm()
    zoned = Extractor(vocab_budget=0, batch_size=16)
    list(zoned.pipe(invented_pages(16, seed=1)))
    before = _strings(zoned)
    for seed in range(2, 6):
        records = list(zoned.pipe(invented_pages(32, seed=seed)))
        assert all(r.amounts and r.countries_mentioned for r in records)   # the pages were read
        assert _strings(zoned) == before


def test_under_the_budget_they_grow(extractor):
    """The counterpart: without zones the same pages add their words for good (what the budget is
    for, and proof that the test above can fail)."""
    extractor.warm()
    plain = Extractor(vocab_budget=10**12, batch_size=16)
    before = _strings(plain)
    list(plain.pipe(invented_pages(32, seed=7)))
    after = _strings(plain)
    assert after[0] > before[0] + 100 and after[1] > before[1]
