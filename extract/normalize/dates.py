"""Dates and durations at the precision the page gives.

dateparser reads the date; the precision is what the mention itself contains (dateparser fills a
missing day or month with today's, so "2024" would come back as a full date): a year alone stays
"2024", a month and year "2017-03", a full date "2017-03-30". A day and month without a year has
no ISO form (None).

>>> r = DateReader.from_tsv(__import__("extract.paths", fromlist=["x"]).models_dir())
>>> [(d.text, d.iso) for d in r.finditer("du 30 mars 2017 au 29 mars 2018")]
[('30 mars 2017', '2017-03-30'), ('29 mars 2018', '2018-03-29')]
>>> [(d.text, d.iso) for d in r.finditer("opérationnel à la mi-2007. Septembre 2013 – 31 Octobre 2014")]
[('mi-2007', '2007'), ('Septembre 2013', '2013-09'), ('31 Octobre 2014', '2014-10-31')]
>>> [(d.text, d.iso) for d in r.finditer("le 1er juillet, entre 2014 et 2021, Programme 2030, 122 971 migrants, 2 000 personnes")]
[('1er juillet', None), ('2014', '2014'), ('2021', '2021')]
>>> [(d.text, d.iso) for d in r.finditer("Posted: 07/03/15 ; le 31/12/2019 ; 1/2 des cas")]
[('07/03/15', '2015-03-07'), ('31/12/2019', '2019-12-31')]
>>> [(d.text, d.iso) for d in r.finditer("Date de début : 2020-03-01 ; exercice 2010-11 ; réf. 2020-13-01")]
[('2020-03-01', '2020-03-01'), ('2010', '2010')]
>>> duration_months("24 mois"), duration_months("deux ans"), duration_months("douze mois"), duration_months("58 mois")
(24, 24, 12, 58)
>>> duration_months("un an"), duration_months("une année"), duration_months("3 ans et demi")
(12, 12, 42)
>>> [(t, m) for _, _, t, m in find_durations("D'une durée de dix-huit mois, ce projet sur trois ans, "
...                                            "au cours des deux prochaines années, un an et demi, six semaines")]
[('dix-huit mois', 18), ('trois ans', 36), ('deux prochaines années', 24), ('un an et demi', 18)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from dateparser.date import DateDataParser

from ..paths import read_tsv
from .numbers import NUMBER_WORDS, parse_words

_PARSER = DateDataParser(languages=["fr", "en"], settings={"PREFER_DAY_OF_MONTH": "first"})


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    iso: str | None


@lru_cache(maxsize=8192)
def _parse(s: str):
    return _PARSER.get_date_data(s).date_obj


class DateReader:
    def __init__(self, months: dict[str, int], name_words: list[str]):
        self.months = months
        month = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
        year = r"(?:19[4-9]\d|20[0-4]\d)"
        # every date starts with a digit or a month's first letter: checked first, it turns most
        # positions of a page down before the alternatives below are tried (case folded as theirs)
        firsts = "".join(sorted({m[0].lower() for m in months} | {"m"}))   # "m": mi-2007
        self.regex = re.compile(
            rf"""
            (?=[\d{re.escape(firsts)}])                       # a digit or a first letter
            (?<![\w.,/])(?<!\d[ \u00a0\u202f])              # not inside a number ("122 971", "2 000")
            (?:
                (?P<mi>mi-)(?P<y1>{year})                   # mi-2007
              | (?P<day>1er|[0-3]?\d)[\s\u00a0]+(?P<m2>{month})(?:[\s\u00a0]+(?P<y2>{year}))?   # 30 mars 2017 / 1er juillet
              | (?P<m3>{month})[\s\u00a0]+(?P<y3>{year})     # mars 2017
              | (?P<dd>[0-3]?\d)/(?P<mm>[01]?\d)/(?P<yy>\d{{4}}|\d{{2}})(?![\d/])   # 07/03/15 (day first)
              | (?P<iy>{year})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?![\d-])   # 2020-03-01 (ISO; "2010-11" is a span of years)
              | (?P<y4>{year})                              # 2024
            )
            (?![\w]|[ \u00a0\u202f]\d{{3}}\b|[.,]\d)         # not followed by more digits
            """,
            re.VERBOSE | re.IGNORECASE,
        )
        self.name_before = re.compile(
            r"(?:" + "|".join(re.escape(w) for w in name_words) + r")[\s\u00a0]*$", re.IGNORECASE
        )

    @classmethod
    def from_tsv(cls, data_dir: Path) -> "DateReader":
        months = {r[0]: int(r[1]) for r in read_tsv(data_dir / "dates.tsv")}
        words = [r[0] for r in read_tsv(data_dir / "year_name_words.tsv")]
        return cls(months, words)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[DateMention]:
        endpos = len(text) if endpos is None else endpos
        for m in self.regex.finditer(text, pos, endpos):
            if m.group("y4") and self.name_before.search(text, max(0, m.start() - 30), m.start()):
                continue  # "Programme 2030": a name, not a date
            if m.group("day") and not m.group("y2") and not (1 <= int(m.group("day").lower().replace("er", "")) <= 31):
                continue
            if m.group("dd") and not (1 <= int(m.group("dd")) <= 31 and 1 <= int(m.group("mm")) <= 12):
                continue
            if m.group("iy") and not (1 <= int(m.group("im")) <= 12 and 1 <= int(m.group("id")) <= 31):
                continue
            yield DateMention(m.group(), m.start(), m.end(), self.iso(m))

    def iso(self, m: re.Match) -> str | None:
        if m.group("y1"):
            return m.group("y1")
        if m.group("dd"):
            yy = m.group("yy")
            year = int(yy) if len(yy) == 4 else (2000 + int(yy) if int(yy) < 50 else 1900 + int(yy))
            return f"{year:04d}-{int(m.group('mm')):02d}-{int(m.group('dd')):02d}"
        if m.group("iy"):
            return f"{m.group('iy')}-{m.group('im')}-{m.group('id')}"
        if m.group("y4"):
            return m.group("y4")
        if m.group("m3"):
            return f"{m.group('y3')}-{self.months[m.group('m3').lower()]:02d}"
        if m.group("y2"):
            d = _parse(m.group())
            if d is not None:
                return d.strftime("%Y-%m-%d")
            return f"{m.group('y2')}-{self.months[m.group('m2').lower()]:02d}"
        return None


_NUMBER = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
# The units a length is stated in, and their months: the one list every duration pattern reads
# (here, and the cues' {n} in extract/components/prose.py). Semesters and quarters came with batches
# 26 to 28 ("pendant un semestre", "Prévu pour trois semestres", "Étalé sur quatre semestres";
# GUIDELINE §32-§34); a half-year and a length in years and months ("un an et huit mois", §33) too.
UNIT_MONTHS = {"mois": 1, "an": 12, "ans": 12, "année": 12, "années": 12, "semestre": 6, "semestres": 6,
               "trimestre": 3, "trimestres": 3}
UNIT = r"(?:mois|ans?|années?|semestres?|trimestres?)"
# "une demi-année", "d'une demi-année": six months, with no number of its own
HALF_YEAR = r"(?:une\s+)?demi-années?"
# a stated duration: a number (digits or words: "dix-huit", "vingt-quatre") and a unit, maybe an
# adjective between ("deux prochaines années"), and after it a half ("trois ans et demi") or months
# ("un an et huit mois"); or a half-year
_DURATION_MENTION = re.compile(
    rf"""(?<![\w-])
    (?:(?P<n>\d{{1,3}}(?:[.,]5)?|(?:{_NUMBER})(?:[ -](?:et[ -])?(?:{_NUMBER}))*)  # 18 / dix-huit / vingt-quatre
    \s+(?:(?P<adj>prochaine?s?|premi[eè]re?s?|derni[eè]re?s?|pleine?s?)\s+)?     # deux prochaines années
    (?P<unit>{UNIT})\b
    (?:(?P<half>\s+et\s+demie?)                                                   # trois ans et demi
      |\s+et\s+(?P<m>\d{{1,2}}|(?:{_NUMBER})(?:-(?:{_NUMBER}))*)\s+mois\b)?      # un an et huit mois
    |(?P<halfyear>{HALF_YEAR})\b)                                                # une demi-année""",
    re.IGNORECASE | re.VERBOSE)


# A duration's unit after the space that ends its number, as every duration pattern has it
# (_DURATION_MENTION here, the cues' {n} in extract/components/prose.py): a page without one has
# no duration, and most releases have none, so the slower patterns are not run over them.
UNIT_AFTER_SPACE = re.compile(rf"\s{UNIT}\b|demi-année", re.IGNORECASE)

# an adjective that states a length in years: "un programme quadriennal (2010-2013)", "projet
# triennal" (GUIDELINE.md §10); whether it is the project's is for the decisions, as for any duration
_DURATION_ADJECTIVE = re.compile(r"(?<![\w-])(?P<n>bi|tri|quadri|quinqu)enn(?:al|ale|aux|ales)\b", re.IGNORECASE)
_YEARS_OF = {"bi": 2, "tri": 3, "quadri": 4, "quinqu": 5}
DURATION_ADJECTIVE_HINT = re.compile(r"enn(?:al|ale|aux|ales)\b", re.IGNORECASE)


# the whole a length is a part of, its unit left out and the part's: "il lui reste seize mois sur
# les vingt-deux prévus", "un peu moins d'un an sur les trois qu'il doit durer" (batches 41 and 43,
# GUIDELINE §3: the whole is the project's length). The words after the number say it is a count
# of the same unit, not of sites or countries ("deux ans sur les trois sites" is no whole).
ELIDED_WHOLE_END = r"(?=\s*(?:[,.;:)]|$|prévue?s?\b|initialement\b|au\s+total\b|qu['’]|que\b|de\s+(?:son|sa|leur)\b))"
ELIDED_WHOLE = re.compile(
    rf"\s+sur\s+(?:les|ses|leurs)\s+(?P<n>\d{{1,3}}|(?:{_NUMBER})(?:-(?:{_NUMBER}))*){ELIDED_WHOLE_END}", re.IGNORECASE)


def elided_whole_months(part: str, whole: str) -> int | None:
    """The months of a whole stated without its unit, in the unit of its part.

    >>> elided_whole_months("seize mois", "vingt-deux"), elided_whole_months("un an", "trois")
    (22, 36)
    """
    unit = re.search(rf"\b{UNIT}\b", part, re.IGNORECASE)
    try:
        count = int(whole) if whole.isdigit() else parse_words(whole)
    except ValueError:
        return None
    return int(count * UNIT_MONTHS[unit.group().lower()]) if unit and count else None


def _months_of(m: re.Match) -> float | None:
    """The months a match of _DURATION_MENTION states, or None when its number does not read."""
    if m.group("halfyear"):
        return 6
    n = m.group("n").replace(",", ".")
    try:
        value = float(n) if n[0].isdigit() else parse_words(n)
        extra = 0 if not m.group("m") else (int(m.group("m")) if m.group("m").isdigit() else parse_words(m.group("m")))
    except ValueError:
        return None
    if m.group("half"):
        value += 0.5
    return value * UNIT_MONTHS[m.group("unit").lower()] + extra


def find_durations(text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int, str, int]]:
    """(start, end, text, months) of every duration in text[pos:endpos].

    >>> [d[2:] for d in find_durations("un programme quadriennal (2010-2013) de dix-huit mois")]
    [('quadriennal', 48), ('dix-huit mois', 18)]
    >>> [d[2:] for d in find_durations("Prévu pour trois semestres, il s'étalera sur un an et huit mois, puis une demi-année.")]
    [('trois semestres', 18), ('un an et huit mois', 20), ('une demi-année', 6)]
    """
    out = []
    endpos = len(text) if endpos is None else endpos
    if DURATION_ADJECTIVE_HINT.search(text, pos, endpos):
        out = [(m.start(), m.end(), m.group(), 12 * _YEARS_OF[m.group("n").lower()])
               for m in _DURATION_ADJECTIVE.finditer(text, pos, endpos)]
    if not UNIT_AFTER_SPACE.search(text, pos, endpos):
        return out
    for m in _DURATION_MENTION.finditer(text, pos, endpos):
        value = _months_of(m)
        if value is not None and value >= 1 and value == int(value):
            out.append((m.start(), m.end(), m.group(), int(value)))
            w = ELIDED_WHOLE.match(text, m.end(), endpos)
            if w and m.group("unit") and (whole := elided_whole_months(m.group(), w.group("n"))) and whole > value:
                out.append((w.start("n"), w.end("n"), w.group("n"), whole))
    return sorted(out)


# what a label's value may also hold: no space before the unit ("24mois"), weeks (no duration), English
_DURATION = re.compile(
    r"(?P<n>\d+|[a-zéèêû\-]+(?:[ -][a-zéèêû]+)?)\s*(?P<unit>mois|ans?|années?|semaines?|months?|years?)\b"
    r"(?P<half>\s+et\s+demie?)?", re.I)


def duration_months(s: str) -> int | None:
    """'24 mois' -> 24, 'deux ans' -> 24, 'trois semestres' -> 18, 'un an et huit mois' -> 20,
    'une demi-année' -> 6; None when no duration is stated (a length in weeks is none).

    >>> [duration_months(s) for s in ("24 mois", "deux ans et demi", "trois semestres", "un an et huit mois", "une demi-année", "36 months", "six semaines", "24mois")]
    [24, 30, 18, 20, 6, 36, None, 24]
    """
    m = _DURATION_MENTION.search(s)
    if m and (value := _months_of(m)) is not None:
        return int(value)
    m = _DURATION.search(s)
    if not m:
        return None
    n = m.group("n").strip()
    try:
        value = float(n) if n.isdigit() else parse_words(n)
    except ValueError:
        return None
    unit = m.group("unit").lower()
    if m.group("half"):
        value += 0.5
    if unit.startswith(("an", "année", "year")):
        value *= 12
    elif unit.startswith(("semaine", "week")):
        return None
    return int(value)
