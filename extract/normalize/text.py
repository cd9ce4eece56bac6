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


_HYPHENS = re.compile(r"[\s\-‐‑–]+")


def name_key(s: str) -> str:
    """fold() with hyphens as spaces: the key of names ("Guinée-Bissau" = "Guinee Bissau").

    >>> name_key("Guinée-Bissau"), name_key("Côte d’Ivoire")
    ('guinee bissau', "cote d'ivoire")
    """
    return " ".join(_HYPHENS.split(fold(s))).strip()


def collapse(s: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped (RECORD.md's form for titles)."""
    return " ".join(s.split())


def lines_with_offsets(text: str, start: int = 0, end: int | None = None):
    """(line, line_start) for each line of text[start:end], line without its newline."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl < 0:
            nl = end
        yield text[pos:nl], pos
        pos = nl + 1


def strip_offsets(text: str, start: int, end: int, chars: str | None = None) -> tuple[int, int]:
    """Shrink [start, end) so that text[start:end] has no leading/trailing `chars` (default space)."""
    while start < end and (text[start].isspace() if chars is None else text[start] in chars or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1].isspace() if chars is None else text[end - 1] in chars or text[end - 1].isspace()):
        end -= 1
    return start, end


def trie_regex(strings: Iterable[str], char_class: Callable[[str], str] = re.escape) -> str:
    """One regex for a set of strings, built as a trie: a match costs the length of the string
    matched, not the number of strings (an alternation of hundreds of names is tried one by one
    at every position). A longer string is preferred where one continues another.
    `char_class` gives each character's pattern (a space that matches any run of spaces, …).

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
        branches = [k + emit(v) for k, v in sorted(node.items(), key=lambda kv: -len(kv[0])) if k]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie)
