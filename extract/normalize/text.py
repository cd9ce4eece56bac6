"""Small text helpers shared by the components.

>>> fold("Etat(s) membre(s)  BÉNÉFICIAIRES")
'etat(s) membre(s) beneficiaires'
>>> collapse("  Cuba :\\nRenforcement   de ")
'Cuba : Renforcement de'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterable


@lru_cache(maxsize=65536)  # navigation and label lines repeat on every page
def fold(s: str) -> str:
    """Case-, accent-, apostrophe- and space-insensitive key for comparing labels."""
    s = unicodedata.normalize("NFKD", s.replace("’", "'"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.lower().split())


def sentence_before(text: str, lo: int, start: int, window: int = 200) -> str:
    """The part of the sentence before ``start`` (from the last ". " or blank line, at most
    ``window`` characters back, never before ``lo``).

    >>> sentence_before("Fin. Le Japon a alloué 2 millions", 0, 23)
    ' Le Japon a alloué '
    """
    a = max(lo, start - window)
    chunk = text[a:start]
    cut = max(chunk.rfind(". "), chunk.rfind("\n\n"), chunk.rfind(".\n"))
    return chunk[cut + 1:] if cut >= 0 else chunk


def opens_content(text: str, lo: int, start: int, before: str) -> bool:
    """Is ``before`` (the sentence before ``start``, from :func:`sentence_before`) the page's first
    sentence? A standing page's first sentence names what the page is about ("Le Programme
    d’appui à la réintégration … est mis en œuvre par l’OIM en Éthiopie depuis juillet 2022"): its
    project, not one among others.

    >>> t = "Le programme X est mis en œuvre depuis 2022. Le projet Y, financé depuis 2019."
    >>> opens_content(t, 0, t.index("2022"), sentence_before(t, 0, t.index("2022")))
    True
    >>> opens_content(t, 0, t.index("2019"), sentence_before(t, 0, t.index("2019")))
    False

    Under a section heading ("Nos projets\\nAu Niger, le projet …") the sentence is one of a list:
    the page's first sentence has no line break before the value.

    >>> t = "Nos projets\\nAu Niger, le projet Z se déroule de 2022 à 2025."
    >>> opens_content(t, 0, t.index("2022"), sentence_before(t, 0, t.index("2022")))
    False
    """
    return not text[lo:start - len(before)].strip() and "\n" not in before


_WRAP = re.compile(r"(?<=[^\n])\n(?=[^\n])")


def unwrapped(text: str, lo: int = 0) -> str:
    """The text with a hard-wrapped page's line breaks inside paragraphs made spaces (same length,
    same offsets); any other text as it is. Old releases are wrapped at ~50 characters, and a cue
    that reads a sentence ("Le projet, qui a démarré le 1er février 2012, sera mis en uvre pendant
    dix-huit mois") must read across those breaks. A page is hard-wrapped when most of its content
    lines run 30 to 65 characters with another line right under them.

    >>> t = "Titre\\n" + "Le projet, qui a démarré le 1er février 2012, sera\\nmis en uvre pendant dix-huit mois avec le\\n" * 4
    >>> "\\n" in unwrapped(t)[6:-1], len(unwrapped(t)) == len(t)
    (False, True)
    >>> unwrapped("Nos projets\\nLe projet dure deux ans.") == "Nos projets\\nLe projet dure deux ans."
    True
    """
    lines = text[lo:].split("\n")
    full = [ln for ln in lines if ln.strip()]
    wrapped = sum(1 for a, b in zip(lines, lines[1:]) if 30 <= len(a) <= 65 and b.strip())
    if wrapped < 6 or wrapped * 2 < len(full):
        return text
    return text[:lo] + _WRAP.sub(" ", text[lo:])


_HYPHENS = re.compile(r"[\s\-‐‑–]+")


@lru_cache(maxsize=65536)  # the same few hundred names recur on every page
def name_key(s: str) -> str:
    """fold() with hyphens as spaces: the key of names ("Guinée-Bissau" = "Guinee Bissau").

    >>> name_key("Guinée-Bissau"), name_key("Côte d’Ivoire")
    ('guinee bissau', "cote d'ivoire")
    """
    return " ".join(_HYPHENS.split(fold(s))).strip()


def collapse(s: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped (RECORD.md's form for titles)."""
    return " ".join(s.split())


def lines_with_offsets(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int]]:
    """(line, line_start) for each line of text[start:end], line without its newline (no empty
    line after a final newline).

    >>> lines_with_offsets("ab\\ncd\\n\\n", 1)
    [('b', 1), ('cd', 3), ('', 6)]
    """
    end = len(text) if end is None else end
    if start >= end:
        return []
    chunk = text[start:end]
    lines = chunk.split("\n")   # one C-level split rather than a find per line
    if chunk.endswith("\n") and end <= len(text):
        lines.pop()
    out = []
    pos = start
    for line in lines:
        out.append((line, pos))
        pos += len(line) + 1
    return out


def strip_offsets(text: str, start: int, end: int, chars: str | None = None) -> tuple[int, int]:
    """Shrink [start, end) so that text[start:end] has no leading/trailing `chars` (default space)."""
    while start < end and (text[start].isspace() if chars is None else text[start] in chars or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1].isspace() if chars is None else text[end - 1] in chars or text[end - 1].isspace()):
        end -= 1
    return start, end


# re.IGNORECASE spelled out, for patterns compiled without it: Python's re enters each IGNORECASE
# branch of an alternation at every position of the page, but skips at C speed a branch that starts
# with a plain character or class; the sums' currency words and number words are such alternations,
# tried all over every page (normalize/money.py). Beyond a letter's lower and upper case, IGNORECASE
# matches these (tests/test_speed_equivalence.py checks the classes against every code point for every
# character of the sums' pattern).
_CASE_EQUIVALENTS = {"i": "iI\u0130\u0131", "s": "sS\u017f", "k": "kK\u212a", "\u00e5": "\u00e5\u00c5\u212b"}


def caseless(ch: str) -> str:
    """A pattern for the character ``ch`` that matches, without re.IGNORECASE, what ``ch`` matches
    with it: a class of its case forms for a letter, the escaped character otherwise.

    >>> caseless("d"), caseless("é"), caseless("i"), caseless("$") == re.escape("$")
    ('[Dd]', '[Éé]', '[Iiİı]', True)
    """
    forms = {f for f in (ch, ch.lower(), ch.upper(), ch.title()) if len(f) == 1}
    forms |= set(_CASE_EQUIVALENTS.get(ch.lower(), ""))
    if len(forms) == 1:
        return re.escape(ch)
    return "[" + "".join(sorted(forms)) + "]"


def caseless_word(word: str, space: str = r"\s+") -> str:
    """``word`` as a pattern matching it in any case (see caseless), a space as ``space``."""
    return "".join(space if ch == " " else caseless(ch) for ch in word)


def trie_regex(strings: Iterable[str], char_class: Callable[[str], str] = re.escape,
               render: Callable[[str], str] | None = None) -> str:
    """One regex for a set of strings, built as a trie: a match costs the length of the string
    matched, not the number of strings (an alternation of hundreds of names is tried one by one
    at every position). A longer string is preferred where one continues another.
    `char_class` gives each character's pattern (a space that matches any run of spaces, …);
    `render`, if given, the text written for a character's pattern (the branches are still ordered
    by the patterns of `char_class`, so the same alternative wins).

    >>> re.fullmatch(trie_regex(["dollars", "dollars É.-U.", "euros"]), "dollars É.-U.") is not None
    True
    >>> re.match(trie_regex(["dollars", "dollars É.-U."]), "dollars É.-U.").group()
    'dollars É.-U.'
    """
    trie: dict = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(char_class(ch), {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        ordered = sorted(node.items(), key=lambda kv: -len(kv[0]))
        branches = [(render(k) if render else k) + emit(v) for k, v in ordered if k]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie)
