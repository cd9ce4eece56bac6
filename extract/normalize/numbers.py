"""French (and English) numbers as pages write them.

>>> parse_number("400 000")
400000.0
>>> parse_number("400\\u202f000")     # narrow no-break space
400000.0
>>> parse_number("100000.00")
100000.0
>>> parse_number("2,4")
2.4
>>> parse_number("150,000")          # English grouping on the Development Fund site
150000.0
>>> parse_number("200.000")          # French dot grouping
200000.0
>>> parse_number("528\\n000")         # a hard line break inside the number
528000.0
>>> parse_number("1’500’000")        # Swiss grouping
1500000.0
>>> parse_amount("2,4 milliards")
2400000000.0
>>> parse_amount("1,5 million")
1500000.0
>>> parse_amount("deux millions")
2000000.0
>>> parse_amount("cinq cent mille")
500000.0
"""
from __future__ import annotations

import re
from functools import lru_cache

from text_to_num import text2num

# every space a page puts between digit groups: plain, no-break, narrow no-break, thin, newline,
# and the apostrophe of Swiss grouping ("1'500'000 CHF")
GROUP_SPACES = " \u00a0\u202f\u2009\n\r\t'’"

# the written-out numbers pages use, for every reader that looks for a number in words (sums,
# durations); text2num reads their combinations ("dix-huit", "cinq cent mille")
NUMBER_WORDS = (
    "zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "vingt trente quarante cinquante soixante cent cents"
).split()

MULTIPLIERS = {
    "mille": 1e3, "milliers": 1e3, "millier": 1e3, "thousand": 1e3,
    "million": 1e6, "millions": 1e6,
    "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9,
    "k": 1e3, "m": 1e6, "mio": 1e6, "md": 1e9, "mds": 1e9, "mrd": 1e9,
}


# the multipliers a number in words may hold before more words ("un million quatre cent mille")
INNER_MULTIPLIERS = ("million", "millions", "milliard", "milliards", "mille")


def parse_number(s: str) -> float:
    """A numeral with French or English grouping and decimals -> float (ValueError if none)."""
    t = "".join(ch for ch in s.strip() if ch not in GROUP_SPACES)
    if not t or not re.fullmatch(r"\d[\d.,]*", t):
        raise ValueError(f"not a number: {s!r}")
    if "," in t and "." in t:
        # the separator that comes last is the decimal one: 1.234,56 / 1,234.56
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        grp = "." if dec == "," else ","
        return float(t.replace(grp, "").replace(dec, "."))
    for sep in (",", "."):
        if sep in t:
            parts = t.split(sep)
            # 150,000 / 1.500.000: every group after the first has exactly three digits -> grouping,
            # unless it is a single separator with two or fewer decimals (100000.00, 2,4)
            if len(parts) > 2 or (len(parts[-1]) == 3 and len(parts[0]) <= 3):
                if all(len(p) == 3 for p in parts[1:]):
                    return float("".join(parts))
            if len(parts) == 2:
                return float(parts[0] + "." + parts[1])
            raise ValueError(f"not a number: {s!r}")
    return float(t)


@lru_cache(maxsize=4096)
def parse_words(s: str) -> float:
    """Written-out French numbers ('deux', 'cinq cent mille') via text2num."""
    return float(text2num(" ".join(s.lower().replace("-", " ").split()), "fr"))


def parse_amount(s: str) -> float:
    """Numeral or words, with an optional multiplier word: '2,4 milliards', 'deux millions'."""
    words = s.split()
    mult = 1.0
    if words and words[-1].lower().rstrip(".") in MULTIPLIERS and re.search(r"\d", s):
        mult = MULTIPLIERS[words[-1].lower().rstrip(".")]
        s = " ".join(words[:-1])
    if re.search(r"\d", s):
        return parse_number(s) * mult
    return parse_words(s) * mult
