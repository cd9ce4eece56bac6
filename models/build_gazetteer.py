"""Rebuild models/countries.tsv: every country name the matcher knows, mapped to ISO 3166-1 alpha-2.

Sources, in order: CLDR territory names in French and English (Babel), ISO 3166-1 names from
pycountry (name, common name, official name), then the hand-kept French variants of
country_variants.tsv (UN official short names, spellings the pages use). Names in
country_stoplist.tsv are dropped; names of country_blockers.tsv map to "-" (not a country). Only codes that are ISO 3166-1 countries (plus XK, Kosovo)
are kept: CLDR's EU, EZ, UN and numeric regions are not countries.

    python models/build_gazetteer.py    # deterministic: same bytes every run
"""
from __future__ import annotations

import csv
from pathlib import Path

import pycountry
from babel import Locale

HERE = Path(__file__).resolve().parent


def read_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (HERE / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def main() -> None:
    iso = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    stop = {r[0] for r in read_tsv("country_stoplist.tsv")}
    names: dict[str, tuple[str, str]] = {}

    def add(name: str, code: str, source: str) -> None:
        name = " ".join(name.split())
        if code in iso and name and name not in stop and name not in names:
            names[name] = (code, source)

    for lang in ("fr", "en"):
        for code, name in sorted(Locale(lang).territories.items()):
            add(name, code, f"cldr-{lang}")
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        for attr in ("name", "common_name", "official_name"):
            if hasattr(c, attr):
                add(getattr(c, attr), c.alpha_2, "iso3166")
    for row in read_tsv("country_variants.tsv"):
        add(row[0], row[1], "variant")
    # blockers: longer names holding a country name that are not countries ("San Salvador");
    # iso "-" tells the matcher to drop the mention
    iso.add("-")
    for row in read_tsv("country_blockers.tsv"):
        names.pop(" ".join(row[0].split()), None)
        add(row[0], "-", "blocker")
    with open(HERE / "countries.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["name", "iso", "source"])
        for name in sorted(names):
            w.writerow([name, *names[name]])
    print(f"{len(names)} names, {len({c for c, _ in names.values()})} codes")


if __name__ == "__main__":
    main()
