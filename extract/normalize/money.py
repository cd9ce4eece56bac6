"""Sums of money as French pages write them -> (amount, ISO 4217 currency).

The currency words come from models/currencies.tsv. price-parser reads the numeral when it is a
plain one; it does not know French multipliers ("2,4 milliards" is 2.4 to it) nor "É.-U.", so the
multiplier and the currency are read here and only the digits go to it.

>>> m = MoneyReader.from_tsv(__import__("extract.paths", fromlist=["x"]).models_dir() / "currencies.tsv")
>>> [(x.text, x.amount, x.currency) for x in m.finditer("quelque 2,4 milliards de dollars É.-U. sous")]
[('2,4 milliards de dollars É.-U.', 2400000000.0, 'USD')]
>>> [(x.text, x.amount) for x in m.finditer("s’élève à 100 000 dollars E.-U")]
[('100 000 dollars E.-U', 100000.0)]
>>> [(x.text, x.amount, x.currency) for x in m.finditer("Budget : 200.000 USD (Régional)")]
[('200.000 USD', 200000.0, 'USD')]
>>> [(x.text, x.amount, x.currency) for x in m.finditer("un don de deux millions d’euros et US$ 1,5 million")]
[('deux millions d’euros', 2000000.0, 'EUR'), ('US$ 1,5 million', 1500000.0, 'USD')]
>>> [x.text for x in m.finditer("d'une valeur de 528\\n000 dollars américains,")]
['528\\n000 dollars américains']
>>> [x.text for x in m.finditer("plus de 700,000 personnes en 2017")]
[]
>>> [(x.text, x.amount) for x in m.finditer("un million et demi de dollars, deux milliards et demi d'euros")]
[('un million et demi de dollars', 1500000.0), ("deux milliards et demi d'euros", 2500000000.0)]
>>> [x.amount for x in m.finditer("a donné 2,088 millions de dollars, 1.125 milliard d'euros, 8,2 millions d'euros")]
[2088000.0, 1125000000.0, 8200000.0]
>>> [(x.text, x.currency) for x in m.finditer("50 000 TK, 2 000 NGN, 300 nairas nigérians ; le TOP 2019 et SOS 2020")]
[('50 000 TK', 'BDT'), ('2 000 NGN', 'NGN'), ('300 nairas nigérians', 'NGN')]
>>> [x.text for x in m.finditer("qui propose un cadre, deux cadres et 200 000 $É.-U.")]
['200 000 $É.-U.']
>>> [(x.text, x.amount) for x in m.finditer("USD 1.2m, 1,5 M€ et 3 Mds de dollars, sur 5 m de long")]
[('USD 1.2m', 1200000.0), ('1,5 M€', 1500000.0), ('3 Mds de dollars', 3000000000.0)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from price_parser import Price

from ..paths import read_tsv
from .numbers import INNER_MULTIPLIERS, MULTIPLIERS, NUMBER_WORDS, parse_amount, parse_words
from .text import caseless, caseless_word, fold, trie_regex


@dataclass(frozen=True)
class MoneyMention:
    text: str
    start: int
    end: int
    amount: float
    currency: str
    share: bool = False   # a part of the sum before it, written without a currency (MoneyReader.shares)


# The sum pattern is matched without re.IGNORECASE, its words written in any case instead
# (normalize/text.caseless: the same matches, a quarter less time over a page); each alternation
# keeps the order it had under IGNORECASE, longest escaped form first, so the same alternative wins.

def _alternation(words) -> str:
    ordered = sorted(((re.escape(w).replace(r"\ ", r"\s+"), w) for w in words), key=lambda p: len(p[0]), reverse=True)
    return "|".join(caseless_word(w) for _, w in ordered)


# either apostrophe, as pages type them ("200 pa'anga" and CLDR's "pa’anga": batch 59)
APOSTROPHE = "['’]"


def _trie_key(ch: str) -> str:
    if ch in "'’":
        return APOSTROPHE
    return r"\s+" if ch == " " else re.escape(ch)


def _trie_render(key: str) -> str:
    """A trie key of _trie_key (an escaped character, a run of spaces or either apostrophe) in any case."""
    return key if key in (r"\s+", APOSTROPHE) else caseless(key[-1])


def _currency_trie(words) -> str:
    """The currency forms as one trie (hundreds of them, tried after every number on the page);
    compared in lower case, as the regex ignores case, so "Euro" and "euros" share a branch."""
    return trie_regex(sorted({w.lower() for w in words}), _trie_key, _trie_render)


class MoneyReader:
    def __init__(self, currencies: list[tuple[str, str, str]]):
        # later rows win: the hand table comes after the generated one
        self.by_key = {self._key(s): iso for s, iso, _ in currencies}
        # ISO codes of models/currency_codes.tsv match in upper case only, on either side
        self.codes = {s for s, _, where in currencies if where == "code"}
        # any three capitals, checked against the table after the match (finditer): the pattern
        # stays as small as before the 150 codes came in
        cased = "[A-Z]{3}" if self.codes else "(?!)"
        suffix = _currency_trie([s for s, _, where in currencies if where in ("suffix", "both")]) + "|" + cased
        prefix = _currency_trie([s for s, _, where in currencies if where in ("prefix", "both")]) + "|" + cased
        self.bare_codes = self.codes - {s for s, _, where in currencies if where != "code"}
        # the abbreviations ("1,2 M USD", "USD 1.2m", "5 k€") count only because a currency is
        # required next to them: "5 m" alone is five metres
        mult = _alternation(sorted(MULTIPLIERS))
        words = _alternation(NUMBER_WORDS)
        # a multiplier inside a number in words, more words after it: "Un million quatre cent mille"
        inner = _alternation(INNER_MULTIPLIERS)
        et, demi, e, de, d = (caseless_word(w) for w in ("et", "demi", "e", "de", "d"))
        self.regex = re.compile(
            rf"""
            (?<![\w.,])                                      # not inside another number or word
            (?:(?P<pre>{prefix})[\s\u00a0\u202f]?)?          # US$ 1,5 million / $2 000 / USD 400,000
            (?P<num>
                \d{{1,3}}(?:[ \u00a0\u202f\u2009\n.,'’]\d{{3}})+(?:[.,]\d{{1,2}})?(?!\d)   # 400 000 / 150,000 / 528\n000 / 1'500'000
              | \d+(?:[.,]\d+)?                                                         # 100000.00 / 2,4
              | (?:(?:{words}|(?:{inner})(?=[\s-]+(?:{words})\b))(?:[\s-]+(?:{et}[\s-]+)?)?)+(?={mult}|\s)   # deux / cinq cent / un million quatre cent
            )
            (?:[\s\u00a0\u202f]*(?P<mult>{mult})\b(?P<half>\s+{et}\s+{demi}{e}?)?)?   # milliards / millions / mille / million et demi
            (?:
              [\s\u00a0\u202f]*(?:(?:{de}|{d}['’])\s*)?            # "de dollars", "d’euros"
              (?P<suf>{suffix})                               # dollars É.-U. / USD / euros
              (?:(?<!\w)|(?!\w))                              # a currency word ends there ("un cadre" is no CAD)
            )?
            """,
            re.VERBOSE,
        )

    @staticmethod
    def _key(s: str) -> str:
        return fold(s)

    @classmethod
    def from_tsv(cls, path: Path) -> "MoneyReader":
        """The hand table at `path` (models/currencies.tsv), after the generated currency_codes.tsv
        beside it when there is one."""
        rows = []
        for p in (path.parent / "currency_codes.tsv", path):
            if p.exists():
                rows += [(r[0], r[1], r[2] if len(r) > 2 else "suffix") for r in read_tsv(p)]
        return cls(rows)

    def currency(self, surface: str) -> str | None:
        return self.by_key.get(self._key(surface))

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[MoneyMention]:
        """Every sum of money in ``text[pos:endpos]``, each once: a part can be reached both from the
        sum before it and from the one after it ("à hauteur de 6 millions et … de 1,4 million
        d’euros", after a total in euros); the first reading is kept."""
        seen: set[int] = set()
        for mention in self._mentions(text, pos, endpos):
            if mention.start not in seen:
                seen.add(mention.start)
                yield mention

    def _mentions(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[MoneyMention]:
        endpos = len(text) if endpos is None else endpos
        last = None   # (end, currency) of the last sum with a currency of its own
        anchor = None   # (end, currency) of the last such sum in millions that restates no other
        for m in self.regex.finditer(text, pos, endpos):
            pre, suf = (g if g is None or self.currency(g) else None for g in (m.group("pre"), m.group("suf")))
            cur_text = suf or pre
            if not cur_text:
                # a bare number is not a sum of money, unless a donor gives it after a sum in millions
                given = self.given_bare(text, m, pos, anchor)
                if given is not None:
                    yield given
                    yield from self.shares(text, given.end, endpos, given.currency, given.start)
                continue
            num = m.group("num").strip()
            if pre in self.bare_codes and not m.group("mult") and re.fullmatch(r"(?:19|20)\d\d", num):
                continue  # "SOS 2020", "TOP 2019": a code word before a year
            if pre in self.bare_codes and not m.group("mult") and m.end("pre") == m.start("num") and len(num) <= 2:
                continue  # "COP27", "COP29": a conference's number glued to its name, no sum
            if not num or (not re.search(r"\d", num) and not m.group("mult") and not m.group("suf")):
                continue
            amount = self.amount(num, m.group("mult"))
            if amount is None:
                continue
            if m.group("half"):  # "un million et demi": half a multiplier more
                amount += 0.5 * MULTIPLIERS[m.group("mult").lower()]
            start, end = m.start(), m.end()
            if m.group("suf") and suf is None:  # three capitals after the sum that are no currency
                end = max(m.end(g) for g in ("num", "mult", "half") if m.group(g))
            if pre is None:  # no prefix, or three capitals that are no currency ("ONG 5 millions de dollars")
                start = m.start("num")
            currency = self.currency(cur_text) or "USD"
            if pre is None:
                first = self.range_start(text, start, pos, m.group("num"), m.group("mult"))
                if first is None:
                    first = self.share_before(text, start, pos, m.group("mult"))
                if first is not None:
                    yield MoneyMention(text[first[0]:first[1]], first[0], first[1], first[2], currency)
            # a currency that ends a sentence: "dollars." keeps no dot, "É.-U." keeps its own
            yield MoneyMention(text[start:end], start, end, amount, currency)
            # a sum restated with "soit" has the parts of the sum it restates, in that sum's currency
            # ("La facture du projet, 2,6 millions d’euros, soit près de 13 millions de ringgits, se
            # divise entre l’Union européenne, qui en règle 2 millions, et …", batch 59)
            restated = last is not None and self._SOIT.fullmatch(text, last[0], start) is not None
            yield from self.shares(text, end, endpos, last[1] if restated else currency, start)
            last = (end, currency)
            if m.group("mult") and not restated and not self._RESTATED.search(text, max(0, start - 30), start):
                anchor = (end, currency)
            whole = self._SHARE_OF.match(text, end, endpos)
            if whole is not None and (total := self.amount(whole.group("num"), whole.group("mult"))) is not None:
                yield MoneyMention(text[whole.start("num"):whole.end("mult")], whole.start("num"), whole.end("mult"),
                                   total, currency, True)

    # whom a part comes from, after it: "5 millions viennent de l’Allemagne, 1,8 million des Pays-Bas",
    # "vient pour 6 millions de l’Allemagne et pour 3,8 millions de la Belgique" (batches 53 and 55):
    # "de" with an article, then a capital. A part's own noun has no article ("1,7 million de
    # Vénézuéliens"). On the training and read pages (1,266; python -m extract.evaluation.scan) a
    # bare multiplier before "de l’ / de la / du / des" and a donor's name: 4 of 4 sums of money
    DONOR = r"\s*(?:de\s+l['’]\s*|de\s+la\s+|du\s+|des\s+)[A-ZÉÈ]"
    # a noun of its own after a number, not a donor: "5 millions de personnes" is no sum
    OWN_NOUN = r"(?!" + DONOR + r")\s*(?:de|d['’]|du|des)\b"
    # no noun of its own after a part, but a donor
    NO_OWN_NOUN = r"(?!" + OWN_NOUN + r")"

    # the parts of a sum, written without their currency: "6,5 millions d’euros, dont 5 millions
    # apportés par l’Union européenne et 1,5 million par la coopération belge" (batch 8). "dont"
    # after the sum, no other number between but a year (the parts are of the nearest quantity before
    # them: not "5,4 millions de Vénézuéliens, dont 1,7 million"; "l’appel de 86 millions de dollars
    # lancé en 2024, dont seuls 21 millions avaient été reçus", batch 17); each part has a multiplier and no noun of
    # its own ("dont 1,4 million d’entre elles" is people); further parts follow after "," or "et"
    _SHARE = re.compile(
        r"""(?=[^.;!?]{0,100}?\bdont\s)                              # within 100 characters,
            (?:[^\d.;!?]|(?<!\d)(?:19|20)\d\d(?!\d))*?\bdont\s+      # no number but a year: the sum's parts
            (?:seul(?:e|s|es)?\s+|seulement\s+)?                   # dont seuls 21 millions (received so far)
            (?:(?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s+(?P<mult>millions?|milliards?)\b  # 5 millions / 1,5 million
               """ + NO_OWN_NOUN + r"""                              # no noun of its own but a donor
             |(?P<grouped>\d{1,3}(?:[ \u00a0\u202f]\d{3})+)           # 800 000: digits in groups, then
               (?=\s+(?:apporté|versé|financé|fourni|donné|accordé|alloué)e?s?\b))  # given (batch 61)
        """, re.VERBOSE)
    _SHARE_NEXT = re.compile(
        r"""[^\d.;!?]{0,80}?(?:,|\bet)\s+                             # , / et
            (?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s+(?P<mult>millions?|milliards?)\b
            """ + NO_OWN_NOUN + r"""
        """, re.VERBOSE)

    # parts named one after the other with no "dont": "11 millions de dollars pour les abris, 6
    # millions pour l’aide aux migrants et 4,5 millions pour les sites", "2,3 millions de dollars
    # pour l’OIM et 1,7 million pour la FAO" (batch 12): a part says whom or what it goes to, or
    # the year it is paid in ("versée en deux tranches : 2,5 millions d’euros en 2015 et 1,5 million
    # en 2016", batch 22); "à hauteur de" may stand before it ("4,2 millions de dollars, financé à
    # hauteur de 3 millions par l’Union européenne et de 1,2 million par le Japon", batch 22)
    _SHARE_LISTED = re.compile(
        r"""(?:[^\d.;!?)]|(?<!\d)(?:19|20)\d\d(?!\d)){0,80}?             # no number but a year; no ")"
                                                                        # (a sum restated in brackets has no parts)
            (?:,|\bet|\bpuis)                                          # , / et / puis
            (?:\s+[^\d.;!?,]{0,40}?\bà\s+hauteur)?\s+(?:de\s+|d['’]\s*)?  # financé à hauteur de / et de
            (?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s+(?P<mult>millions?|milliards?)\b
            (?=\s+(?:pour|par|apportée?s?|versée?s?|destinée?s?|allouée?s?)\b   # what or whom it goes to
               |\s+en\s+(?:19|20)\d\d\b)                                # or when it is paid
        """, re.VERBOSE)

    # the whole a sum is part of, right after it, without its currency: "l’OIM a reçu à ce jour 9,5
    # millions de dollars sur les 21 millions qu’elle a demandés" (batch 14); or the part of it
    # received: "qui sollicite 674 millions de dollars, n’avait reçu que 41 millions" (batch 15)
    _SHARE_OF = re.compile(
        r"""(?:\s+sur\s+(?:les\s+|un\s+total\s+de\s+)?             # sur les / sur un total de
              |\s*,?\s+n['’]\s*(?:a|ont|avait|avaient)\s+(?:reçu|obtenu|mobilisé)\s+que\s+)  # , n’avait reçu que
            (?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s+(?P<mult>millions?|milliards?)\b  # 21 millions
            (?!\s*(?:de|d['’]|du|des)\b)                             # no noun of its own
        """, re.VERBOSE)

    # a first part named before the sum that carries the currency, each with whom it comes from:
    # "financé par la Belgique à hauteur de 6 millions et par le Luxembourg à hauteur de 1,4 million
    # d’euros" (batch 14): the bare number, its multiplier, "et", then no number before the sum
    _SHARE_BEFORE = re.compile(
        r"""(?:^|(?<=\s))(?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s+(?P<mult>millions?|milliards?)   # 6 millions
            \s+et\s+[^\d.;!?]{1,80}$                                   # et par le Luxembourg à hauteur de
        """, re.VERBOSE)

    def share_before(self, text: str, second: int, lo: int, mult2: str | None):
        """(start, end, amount) of a part named before the sum starting at ``second``, or None.

        >>> r = MoneyReader([("euros", "EUR", "suffix"), ("dollars", "USD", "suffix")])
        >>> t = "financé par la Belgique à hauteur de 6 millions et par le Luxembourg à hauteur de 1,4 million d’euros"
        >>> [(m.text, m.amount, m.currency) for m in r.finditer(t)]
        [('6 millions', 6000000.0, 'EUR'), ('1,4 million d’euros', 1400000.0, 'EUR')]
        >>> t = "l’OIM a reçu à ce jour 9,5 millions de dollars sur les 21 millions qu’elle a demandés"
        >>> [(m.text, m.amount, m.currency) for m in r.finditer(t)]
        [('9,5 millions de dollars', 9500000.0, 'USD'), ('21 millions', 21000000.0, 'USD')]
        >>> t = "Le plan, qui sollicite 674 millions de dollars, n’avait reçu que 41 millions en février"
        >>> [(m.text, m.currency) for m in r.finditer(t)]
        [('674 millions de dollars', 'USD'), ('41 millions', 'USD')]
        >>> [m.text for m in r.finditer("5,4 millions de personnes et 1,2 million de dollars")]
        ['1,2 million de dollars']
        """
        if not mult2:
            return None
        m = self._SHARE_BEFORE.search(text, max(lo, second - 120), second)
        if m is None:
            return None
        amount = self.amount(m.group("num"), m.group("mult"))
        return None if amount is None else (m.start("num"), m.end("mult"), amount)

    # any other part in the sum's sentence, however it is introduced: "proviennent de l’Union
    # européenne, pour 6 millions, et de la Suède, pour 3,5 millions", "réunis par l’Union
    # européenne (6,5 millions) et les Pays-Bas (2,5 millions)", "sera versé en deux phases : 1,2
    # million … et 1,8 million" (batch 23). A number with a multiplier and no noun or currency of its
    # own, with no other number but a year since the sum or the part before it: on the 818 training
    # pages, every such number after a sum in its sentence is a sum of money in gold (50 of 50). Not
    # after a sum restated in brackets: the parts are of the sum it restates, in that one's currency
    _SHARE_IN_SENTENCE = re.compile(
        r"""(?:(?!\n\s*\n)[^\d.;!?$€£¥₹₦₩₪₫₱₽₺₴₸₡₲₵₭]|(?<!\d)(?:19|20)\d\d(?!\d)){0,250}?  # no number but a
                                                                        # year, no currency sign, one sentence
            (?<![\d,.])(?<![A-Z]{3})(?<![A-Z]{3}\s)                   # no currency code before it
            (?:(?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s+(?P<mult>millions?|milliards?)\b  # 6 millions / 1,2 million
               """ + NO_OWN_NOUN + r"""(?!\s*[A-Z]{3}\b|\s*[€$£¥₹₦])  # no noun (but a donor) or currency of its own
             |(?P<grouped>\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?![ \u00a0\u202f]?\d)  # 400 000: digits in groups,
               (?=\s*(?:[,;.)]|et\b|en\b|à\b|au\b|pour\b|par\b|restants?\b|$  # then when, whom, or the rest,
                     |(?:re|pro)?vien(?:t|nent)\b)))                     # or where it comes from (batch 65)
        """, re.VERBOSE)
    _RESTATED = re.compile(r"\(\s*(?:soit|environ|about|approx\.?|~)?\s*$")
    _SOIT = re.compile(r"\s*,?\s*soit(?:\s+(?:près\s+de|environ|quelque|plus\s+de|moins\s+de|un\s+peu\s+plus\s+de))?\s*")

    def shares(self, text: str, pos: int, endpos: int, currency: str, start: int | None = None) -> Iterator[MoneyMention]:
        """The parts of the sum [``start``, ``pos``), in its currency (GUIDELINE §8.1 C).

        >>> r = MoneyReader([("euros", "EUR", "suffix")])
        >>> t = "D’un montant de 6,5 millions d’euros, dont 5 millions apportés par l’UE et 1,5 million par la Belgique."
        >>> [(m.text, m.amount, m.currency) for m in r.finditer(t)]
        [('6,5 millions d’euros', 6500000.0, 'EUR'), ('5 millions', 5000000.0, 'EUR'), ('1,5 million', 1500000.0, 'EUR')]
        >>> t = "Un appel de 40 millions d’euros pour 5,4 millions de personnes, dont 1,7 million en Colombie."
        >>> [m.text for m in r.finditer(t)]
        ['40 millions d’euros']
        >>> [m.text for m in MoneyReader([("COP", "COP", "code")]).finditer("Lors de la COP27, puis COP 5 000")]
        ['COP 5 000']
        >>> t = "l’appel de 86 millions de dollars lancé en 2024, dont seuls 21 millions avaient été reçus"
        >>> [(m.text, m.amount, m.currency) for m in MoneyReader([("dollars", "USD", "suffix")]).finditer(t)]
        [('86 millions de dollars', 86000000.0, 'USD'), ('21 millions', 21000000.0, 'USD')]
        >>> t = "Le plan prévoit 11 millions d’euros pour les abris, 6 millions pour l’aide aux migrants et 4,5 millions pour les sites."
        >>> [(m.text, m.currency) for m in r.finditer(t)]
        [('11 millions d’euros', 'EUR'), ('6 millions', 'EUR'), ('4,5 millions', 'EUR')]
        >>> t = "La contribution sera versée en deux tranches : 2,5 millions d’euros en 2015 et 1,5 million en 2016."
        >>> [(m.text, m.currency) for m in r.finditer(t)]
        [('2,5 millions d’euros', 'EUR'), ('1,5 million', 'EUR')]
        >>> t = "Un projet de 4,2 millions d’euros, financé à hauteur de 3 millions par l’UE et de 1,2 million par le Japon."
        >>> [(m.text, m.amount) for m in r.finditer(t)]
        [('4,2 millions d’euros', 4200000.0), ('3 millions', 3000000.0), ('1,2 million', 1200000.0)]
        >>> [m.text for m in r.finditer("Un appel de 40 millions d’euros, et 3 millions de personnes en 2016.")]
        ['40 millions d’euros']
        >>> t = "D’un coût de 1,8 milliard de francs suisses (2 millions d’euros), il est financé à hauteur de 1,5 milliard par l’État."
        >>> [m.text for m in MoneyReader([("euros", "EUR", "suffix"), ("francs suisses", "CHF", "suffix")]).finditer(t)]
        ['1,8 milliard de francs suisses', '2 millions d’euros']
        >>> t = "Le projet, 2,6 millions d’euros, soit près de 13 millions de ringgits, se divise entre l’UE, qui en règle 2 millions, et les Pays-Bas."
        >>> [(m.text, m.currency) for m in MoneyReader([("euros", "EUR", "suffix"), ("ringgits", "MYR", "suffix")]).finditer(t)]
        [('2,6 millions d’euros', 'EUR'), ('13 millions de ringgits', 'MYR'), ('2 millions', 'EUR')]
        >>> [(m.text, m.amount) for m in r.finditer("L’Irlande et les Pays-Bas, pour 1,25 million d’euros, dont 800 000 apportés par Dublin.")]
        [('1,25 million d’euros', 1250000.0), ('800 000', 800000.0)]
        >>> [m.text for m in r.finditer("Un don de 1,2 million d’euros, dont 800 000 personnes profiteront.")]
        ['1,2 million d’euros']
        >>> t = "9 millions d’euros réunis par l’Union européenne (6,5 millions) et les Pays-Bas (2,5 millions)."
        >>> [(m.text, m.currency) for m in r.finditer(t)]
        [('9 millions d’euros', 'EUR'), ('6,5 millions', 'EUR'), ('2,5 millions', 'EUR')]

        A part followed by whom it comes from, "de" with an article and a name (batches 53 and 55);
        not a part's own noun:

        >>> t = "Elle s’appuie sur 6,8 millions d’euros : 5 millions viennent de l’Allemagne, 1,8 million des Pays-Bas."
        >>> [(m.text, m.amount) for m in r.finditer(t)]
        [('6,8 millions d’euros', 6800000.0), ('5 millions', 5000000.0), ('1,8 million', 1800000.0)]
        >>> [m.text for m in r.finditer("Un appel de 40 millions d’euros, dont 1,7 million de Vénézuéliens.")]
        ['40 millions d’euros']

        Parts in digit groups with no multiplier, said with when or what is left (batch 51):

        >>> d = MoneyReader([("dollars", "USD", "suffix")])
        >>> t = "Tokyo versera la somme en trois fois : 500 000 dollars cette année, 400 000 en 2026 et les 300 000 restants en 2027."
        >>> [(m.text, m.amount) for m in d.finditer(t)]
        [('500 000 dollars', 500000.0), ('400 000', 400000.0), ('300 000', 300000.0)]
        >>> [m.text for m in d.finditer("Le don de 500 000 dollars aidera 12 000 familles et 3 000 enfants.")]
        ['500 000 dollars']
        """
        m = self._SHARE.match(text, pos, endpos)
        nxt = self._SHARE_NEXT
        if m is None:   # no "dont": parts listed with what each goes to
            m, nxt = self._SHARE_LISTED.match(text, pos, endpos), self._SHARE_LISTED
        if m is None and start is not None and not self._RESTATED.search(text, max(0, start - 30), start) \
                and self._SHARE_OF.match(text, pos, endpos) is None:   # "sur les 21 millions": the whole, below
            m, nxt = self._SHARE_IN_SENTENCE.match(text, pos, endpos), self._SHARE_IN_SENTENCE
        while m is not None:
            if m.groupdict().get("grouped"):   # "400 000 en 2026 et les 300 000 restants"
                a, b = m.start("grouped"), m.end("grouped")
                amount = self.amount(m.group("grouped"), None)
            else:
                a, b = m.start("num"), m.end("mult")
                amount = self.amount(m.group("num"), m.group("mult"))
            if amount is None:
                return
            yield MoneyMention(text[a:b], a, b, amount, currency, True)
            m = nxt.match(text, m.end(), endpos)

    # a part given by a donor in a sentence of its own, without the currency of the sum it is part
    # of: "… un budget total de 2,1 millions de dollars É.-U. L’AECID en apporte 1,5 million", "La
    # Norvège en apporte à elle seule 1,7 million." (batch 63), "La préfecture apporte 120 millions,
    # la Fondation Hokuriku le reste" (batch 63), "après en avoir consacré 4 millions à la deuxième
    # phase". A verb of giving, then a number with a multiplier and no noun or currency of its own:
    # on the training and read pages (1,394; python -m extract.evaluation.scan), 20 of 20 such
    # numbers are sums of money in gold, each in the currency of the last sum in millions before it
    _GIVEN_BEFORE = re.compile(
        r"""\b(?:(?:a|ont|avait|avaient|aura|auront)\s+)?               # (a) apporté
            (?:apport|vers|donn|fourni|financ|règl|pai|pay|met|mis|ajout|consacr|débloqu|accord|allou
              |octroi|assur|couvr|engag|offr)\w*\s+                       # apporte / en règle / fournit
            (?:(?:à\s+(?:elle|lui)\s+seule?|seule?s?|pour\s+sa\s+part|de\s+son\s+côté|au\s+total
              |environ|près\s+de|quelque|plus\s+de|encore|aussi|également)\s+)?$   # à elle seule
        """, re.IGNORECASE | re.VERBOSE)
    # … or a verb of coming from or going to after it: "2,8 millions en reviennent à la Micronésie",
    # "3 millions viennent de Copenhague" (batch 65; on the training and read pages, 1,426, such a
    # number is a gold sum 9 times of 9)
    _GIVEN_AFTER = re.compile(r"\s+(?:en\s+|y\s+)?(?:re|pro)?vien(?:t|nent|dront)\b")
    _GIVEN_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?")
    _OWN_NOUN_OR_CURRENCY = re.compile(OWN_NOUN + r"|\s*[A-Z]{3}\b|\s*[€$£¥]")

    def given_bare(self, text: str, m: re.Match, lo: int, anchor: tuple[int, str] | None) -> MoneyMention | None:
        """The bare number of match ``m`` as a part given by a donor, in the currency of ``anchor``
        (the last sum in millions before it, at most 1,500 characters back), or None.

        >>> r = MoneyReader([("euros", "EUR", "suffix"), ("dollars", "USD", "suffix")])
        >>> t = "Le projet coûte 1,9 million d'euros. La Norvège en apporte à elle seule 1,7 million. Berlin apporte 5 millions, La Haye 1,4 million."
        >>> [(x.text, x.currency) for x in r.finditer(t)]
        [("1,9 million d'euros", 'EUR'), ('1,7 million', 'EUR'), ('5 millions', 'EUR'), ('1,4 million', 'EUR')]
        >>> [x.text for x in r.finditer("Un don de 2 millions de dollars. Il apporte 3 millions de doses et verse 2 millions.")]
        ['2 millions de dollars', '2 millions']
        >>> [x.text for x in r.finditer("Le Japon apporte 2 millions. Le coût : 3 millions de dollars.")]
        ['3 millions de dollars']
        >>> [(x.text, x.currency) for x in r.finditer("Un plan de 12 millions d'euros. 2,8 millions en reviennent à Palau.")]
        [("12 millions d'euros", 'EUR'), ('2,8 millions', 'EUR')]
        >>> [(x.text, x.currency) for x in r.finditer("L'OIM a rassemblé 980 000 dollars : 700 000 viennent de Washington.")]
        [('980 000 dollars', 'USD'), ('700 000', 'USD')]
        """
        if anchor is None or not m.group("mult") or m.group("pre") or m.group("half") \
                or not self._GIVEN_NUMBER.fullmatch(m.group("num").strip()) or m.start() - anchor[0] > 1500:
            return None
        start, end = m.start("num"), m.end("mult")
        if self._OWN_NOUN_OR_CURRENCY.match(text, end) or not (
                self._GIVEN_BEFORE.search(text, max(lo, start - 80), start) or self._GIVEN_AFTER.match(text, end)):
            return None
        amount = self.amount(m.group("num"), m.group("mult"))
        return None if amount is None else MoneyMention(text[start:end], start, end, amount, anchor[1], True)

    # the first end of a range whose second end is a sum: "de 30 000 à 50 000 euros", "entre 20
    # et 50 dollars", "de 5 à 15 millions de francs CFA" (GUIDELINE.md §8.1 C): the number, with its
    # own multiplier if it has one, right after "de"/"entre" and right before "à"/"et"
    _RANGE_START = re.compile(
        r"""(?:^|(?<=[\s(]))(?:de|entre)\s+                         # de / entre
            (?P<num>\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+(?:[.,]\d+)?)   # 30 000 / 5 / 2,5
            (?:[\s\u00a0\u202f]+(?P<mult>millions?|milliards?|mille))?   # its own multiplier
            \s+(?:à|et)\s+$                                          # then the second end
        """, re.IGNORECASE | re.VERBOSE)

    def range_start(self, text: str, second: int, lo: int, num2: str, mult2: str | None):
        """(start, end, amount) of the first end of a range whose second end starts at ``second``,
        or None. The first end shares the second's multiplier when it has none of its own and is
        the smaller number without it (ranges go up: "de 5 à 15 millions" is 5 million; "entre
        200 000 et 1 million" is 200 000).

        >>> r = MoneyReader([("euros", "EUR", "suffix"), ("dollars", "USD", "suffix")])
        >>> t = "une dette de 30 000 à 50 000 euros"
        >>> [(m.text, m.amount) for m in r.finditer(t)]
        [('30 000', 30000.0), ('50 000 euros', 50000.0)]
        >>> t = "entre 200 000 et 1 million de dollars ; de 5 à 15 millions d'euros"
        >>> [(m.text, m.amount, m.currency) for m in r.finditer(t)]
        [('200 000', 200000.0, 'USD'), ('1 million de dollars', 1000000.0, 'USD'), ('5', 5000000.0, 'EUR'), ("15 millions d'euros", 15000000.0, 'EUR')]
        """
        m = self._RANGE_START.search(text, max(lo, second - 40), second)
        if m is None:
            return None
        own = m.group("mult")
        first = self.amount(m.group("num"), own)
        if first is None:
            return None
        if not own and mult2:
            alone, other = self.amount(m.group("num"), None), self.amount(num2.strip(), None)
            if alone is not None and other is not None and alone < other:
                first = round(alone * MULTIPLIERS[mult2.lower()], 2)
        return m.start("num"), m.end("mult") if own else m.end("num"), first

    @staticmethod
    def amount(num: str, mult: str | None) -> float | None:
        """The value of a sum's number and multiplier.

        >>> MoneyReader.amount("Un million quatre cent", "mille"), MoneyReader.amount("deux", "millions")
        (1400000.0, 2000000.0)
        """
        if mult and not re.search(r"\d", num) and any(w in INNER_MULTIPLIERS for w in num.lower().replace("-", " ").split()):
            try:   # the multiplier is the number's last word: "un million quatre cent mille"
                return round(parse_words(f"{num} {mult}"), 2)
            except ValueError:
                return None
        try:
            value = parse_amount(num if re.search(r"\d", num) else num)
        except ValueError:
            try:
                value = parse_words(num)
            except ValueError:
                return None
        if mult and re.fullmatch(r"\d{1,3}[.,]\d+", num.strip()):
            # before a multiplier a single separator is a decimal one: "2,088 millions" is 2.088 million
            value = float(num.strip().replace(",", "."))
        plain = re.fullmatch(r"\d+(?:([.,])\d{1,2})?", num.strip())
        if plain:
            # an unambiguous numeral ("100000.00", "2,4"): price-parser reads it
            p = Price.fromstring(num.strip(), decimal_separator=plain.group(1) or ".")
            if p.amount_float is not None:
                value = p.amount_float
        if mult:
            value *= MULTIPLIERS[mult.lower()]
        # to the cent: 8.2 * 1e6 is 8199999.999999999 in binary floating point
        return round(float(value), 2)
