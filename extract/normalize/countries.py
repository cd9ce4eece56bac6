"""Country names -> ISO 3166-1 alpha-2, from the gazetteer models/countries.tsv.

The gazetteer is compiled into one regular expression built as a trie (so matching costs one
pass over the text whatever the number of names), where a space or hyphen in a name matches
any run of spaces, hyphens or line breaks ("États-Unis", "Etats Unis", "Etats\\nUnis"), an
apostrophe matches ’ or ', and a letter may gain or lose its accent ("Etats", "Libéria").
Matching ignores case but a mention must start with a capital letter, and must not be glued to
a letter on either side unless that is a lower->upper glue ("ChiliUruguay").

>>> g = Gazetteer.from_rows([("États-Unis", "US"), ("Chili", "CL"), ("Uruguay", "UY"),
...                          ("Bolivie", "BO"), ("Bolivie (État plurinational de)", "BO"), ("Niger", "NE")])
>>> [(m.group(), iso) for m, iso in g.finditer("aux Etats\\nUnis, ChiliUruguay, Bolivíe")]
[('Etats\\nUnis', 'US'), ('Chili', 'CL'), ('Uruguay', 'UY'), ('Bolivíe', 'BO')]
>>> [(m.group(), iso) for m, iso in g.finditer("Bolivie (État Plurinational De), Nigeria, Niger")]
[('Bolivie (État Plurinational De)', 'BO'), ('Niger', 'NE')]
>>> g.codes_in("Belize Costa Rica Chili")
['CL']
>>> g = Gazetteer.from_rows([("Salvador", "SV"), ("San Salvador", "-")])
>>> [iso for _, iso in g.finditer("au Salvador, à San Salvador")]
['SV']
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from pathlib import Path
from typing import Iterable, Iterator

from ..paths import read_tsv
from .text import name_key, trie_regex

SEPARATOR = r"[\s\-‐‑–]+"
APOSTROPHE = r"['’]"


# a name matches with or without any accent ("Liberia" / "Libéria", "Etats" / "États", "Perou" /
# "Pérou"): pages add and drop accents, capitals and small letters alike. Names and page are
# compared with their accents removed; the removal maps one character to one, so offsets into the
# folded page are offsets into the page.
def _unaccented(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    return base if len(unicodedata.normalize("NFD", ch)) > 1 and base.isascii() else ch


FOLD_ACCENTS = str.maketrans({ch: _unaccented(ch) for ch in map(chr, range(0xC0, 0x250)) if _unaccented(ch) != ch})
# the same as a string indexed by code point, and the characters it changes: replacing the few
# accented letters of a page is several times faster than str.translate over all of it
_FOLD_TABLE = "".join(map(chr, range(0x250))).translate(FOLD_ACCENTS)
_ACCENTED = re.compile("[" + "".join(chr(c) for c in range(0xC0, 0x250) if _FOLD_TABLE[c] != chr(c)) + "]")


def fold_accents(text: str, pos: int = 0, endpos: int | None = None) -> str:
    """`text` with the accents of text[pos:endpos] removed, one character for one.

    >>> fold_accents("États, Libéria, œuvre", 7)
    'États, Liberia, œuvre'
    """
    endpos = len(text) if endpos is None else endpos
    part = _ACCENTED.sub(lambda m: _FOLD_TABLE[ord(m.group())], text[pos:endpos])
    return text[:pos] + part + text[endpos:]


# The trie is matched case-sensitively, in lower case, against the page in lower case, rather than
# with re.IGNORECASE: Python's re skips a branch of an alternation that starts with a plain literal
# at C speed, but enters every IGNORECASE branch (one per initial letter of ~700 names) at every
# position of the page (that was most of the countries' time: 0.31 of 0.48 ms a page). The two give the same
# matches: the names' cased characters are ASCII letters (checked when the trie is built), and an
# ASCII letter under IGNORECASE matches exactly the characters whose lower case is that letter,
# plus "İ" (lower case "i̇", two characters), "ı" and "ſ", mapped here (tests/test_speed_equivalence.py
# checks this against every code point).
_CASE_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})   # İ, ı, ſ
_NEEDS_FIX = re.compile("[\u0130\u0131\u017f]")


def lower_for_matching(text: str) -> str | None:
    """``text`` in the lower case the trie is matched in, one character for one (None in the
    unforeseen case of a character whose lower case is longer: then the IGNORECASE regex is used)."""
    if _NEEDS_FIX.search(text):
        text = text.translate(_CASE_FIXES)
    low = text.lower()
    return low if len(low) == len(text) else None


def _char_class(ch: str) -> str:
    if ch in " -‐‑":
        return SEPARATOR
    if ch in "'’":
        return APOSTROPHE
    return re.escape(ch)


def _free(text: str, start: int, end: int) -> bool:
    """Not glued to a letter on either side, except a lower->Upper glue ("ChiliUruguay")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    left = not before.isalpha() or (before.islower() and text[start].isupper())
    right = not after.isalpha() or (after.isupper() and text[end - 1].islower())
    return left and right


# a title before a name ("M. Maurice …"), a capitalised word after it on the same line ("Maurice Dupont")
_TITLE_BEFORE = re.compile(r"(?:\bM\.|\bMM\.|\bMme|\bMlle|\bMr\.?|\bMrs\.?|\bMs\.?|\bDr\.?|\bMonsieur|\bMadame)\s*$")
_WORD_AFTER = re.compile(r"[ \u00a0]+(?P<w>[A-ZÀ-Ý][a-zà-ÿ]+)")
_NOT_A_SURNAME = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "en", "au", "aux", "pour", "par",
                  "sur", "dans", "avec", "the", "and", "in", "of", "to", "for", "on"}


_NON_SPACE = re.compile(r"\S")


class _Match:
    """A match of the folded page, read in the page itself: group(), start(), end() as re.Match."""

    __slots__ = ("string", "_start", "_end")

    def __init__(self, string: str, start: int, end: int):
        self.string, self._start, self._end = string, start, end

    def group(self) -> str:
        return self.string[self._start:self._end]

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


class Gazetteer:
    def __init__(self, pairs: list[tuple[str, str]], given_names: Iterable[str] = ()):
        self.given_names = {self.key(n) for n in given_names}
        self.by_key: dict[str, str] = {}
        # acronyms ("RD", "PNG", "RDC") match only in upper case: "Rd", "png" are other words
        self.acronyms: set[str] = set()
        for name, iso in pairs:
            self.by_key.setdefault(self.key(name), iso)
            if name.isupper() and len(name) <= 5:
                self.acronyms.add(self.key(name))
        folded = sorted({n.translate(FOLD_ACCENTS) for n, _ in pairs})
        self._pattern = trie_regex(folded, _char_class)
        self._ignorecase = None   # the same trie with re.IGNORECASE, compiled only if ever needed
        cased = {ch for n in folded for ch in n if ch.lower() != ch.upper()}
        if all(ch.isascii() for ch in cased):
            # lower-casing the pattern text lowers the names' letters only (re.escape never writes a
            # letter escape; the classes' "\s" is already lower case) and keeps the trie's branch
            # order, so the same alternative wins where several match
            self.lower_regex = re.compile(self._pattern.lower())
        else:
            self.lower_regex = None
        self.sorted_keys = sorted(self.by_key)

    @property
    def regex(self) -> re.Pattern:
        """The trie with re.IGNORECASE, matched against the accent-folded page."""
        if self._ignorecase is None:
            self._ignorecase = re.compile(self._pattern, re.IGNORECASE)
        return self._ignorecase

    def _matcher(self, text: str, pos: int, endpos: int) -> tuple[re.Pattern, str]:
        """The compiled trie and the form of ``text`` it is matched against (same offsets)."""
        folded = fold_accents(text, pos, endpos)
        if self.lower_regex is not None:
            low = lower_for_matching(folded[pos:endpos])
            if low is not None:
                return self.lower_regex, folded[:pos] + low + folded[endpos:]
        return self.regex, folded

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]], given_names: Iterable[str] = ()) -> "Gazetteer":
        return cls([(n, i) for n, i in rows], given_names)

    @classmethod
    def from_tsv(cls, path: Path, given_names: Path | None = None) -> "Gazetteer":
        # models/countries.tsv: a header row (name, iso, source), then one name per row
        names = [r[0] for r in read_tsv(given_names)] if given_names and given_names.exists() else []
        return cls([(r[0], r[1]) for r in read_tsv(path) if r[0] != "name"], names)

    @staticmethod
    def key(name: str) -> str:
        return name_key(name)

    def lookup(self, name: str) -> str | None:
        return self.by_key.get(self.key(name))

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[_Match, str]]:
        endpos = len(text) if endpos is None else endpos
        regex, folded = self._matcher(text, pos, endpos)
        for f in regex.finditer(folded, pos, endpos):
            m = _Match(text, f.start(), f.end())
            s = m.group()
            if not s[:1].isupper() or not _free(text, m.start(), m.end()):
                continue
            key = self.key(s)
            if key in self.acronyms and not s.isupper():
                continue
            iso = self.by_key.get(key)
            if iso and iso != "-" and not self._cut_short(text, m, key, endpos):  # "-": a blocker ("San Salvador")
                if key in self.given_names and self._a_person(text, m, endpos):
                    continue
                yield m, iso

    def _a_person(self, text: str, m: _Match, endpos: int) -> bool:
        """A country name that is also a given name, used as one: "M. Maurice", "Maurice Dupont".

        >>> g = Gazetteer.from_rows([("Maurice", "MU"), ("Pérou", "PE"), ("Dominique", "DM")], ["Maurice", "Dominique"])
        >>> [iso for _, iso in g.finditer("Maurice Dupont et Mme Dominique ; Maurice Pérou ; à Maurice Le projet")]
        ['MU', 'PE', 'MU']
        """
        if _TITLE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            return True
        after = _WORD_AFTER.match(text, m.end(), endpos)
        if not after or after.group("w").lower() in _NOT_A_SURNAME:
            return False
        regex, folded = self._matcher(text, after.start("w"), endpos)
        nxt = regex.match(folded, after.start("w"), endpos)
        return not (nxt and self.by_key.get(self.key(nxt.group())))

    # a name is at most this long past a shorter one it begins with ("Guinée" … "-Bissau")
    CUT_WINDOW = 30

    def _cut_short(self, text: str, m: _Match, key: str, endpos: int) -> bool:
        """Is this the start of a longer name that the end of the page cuts ("la Guinée-Bis" at
        the very end is not Guinea)? The crawl stops mid-word; such a mention is not one.

        >>> g = Gazetteer.from_rows([("Guinée", "GN"), ("Guinée-Bissau", "GW"), ("Guinée équatoriale", "GQ")])
        >>> [iso for _, iso in g.finditer("la Guinée-Bis")], [iso for _, iso in g.finditer("la Guinée équato")]
        ([], [])
        >>> [iso for _, iso in g.finditer("la Guinée et la Guinée-Bissau")], [iso for _, iso in g.finditer("la Guinée")]
        (['GN', 'GW'], ['GN'])
        """
        # only the characters up to the window are looked at (copying the rest of the page for
        # every match made a page of names quadratic): past it, any non-space means no cut
        far = m.end() + self.CUT_WINDOW + 1
        if far < endpos and _NON_SPACE.search(text, far, endpos):
            return False
        rest = text[m.end():min(endpos, far + 64)].rstrip()
        if not rest or len(rest) > self.CUT_WINDOW or "\n" in rest:
            return False
        longer = self.key(m.group() + rest)
        k = bisect_left(self.sorted_keys, longer)
        return k < len(self.sorted_keys) and self.sorted_keys[k] != longer and self.sorted_keys[k].startswith(longer)

    def codes_in(self, text: str) -> list[str]:
        """ISO codes named in a list value, in order, each once."""
        out: list[str] = []
        for _, iso in self.finditer(text):
            if iso not in out:
                out.append(iso)
        return out
