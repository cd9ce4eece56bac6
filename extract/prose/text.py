"""Words, stems and sentences of running text.

>>> stem("allouera"), stem("Alloué"), stem("financement")
('allou', 'allou', 'financ')
>>> t = "Le projet a débuté en 2015. Il durera\\ndeux ans. Fin."
>>> t[slice(*sentence_bounds(t, 30, 0))]
'Il durera\\ndeux ans.'
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ..normalize.text import fold

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+", re.UNICODE)
# the words of a list's introduction, split at apostrophes ("s'attachera" -> "s", "attachera"), and a
# verb among them in the future ("permettra", "s'attachera", "financeront"): what the rules of
# extract/components/entities.py (Enumerations) and the list model (extract/prose/lists.py) read
CLAUSE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
FUTURE_VERB = re.compile(r"\w{2,}(?:era|ira|dra|ra|ront)$")
# a sentence ends at . ! ? followed by a space or line break (not an abbreviation like "É.-U." or
# "M."), or at a blank line; a single line break does not end one (releases are hard-wrapped)
_END = re.compile(r"(?<![A-ZÉ]\.)(?<!\b[A-Za-zÉ])[.!?](?=\s)|\n[ \t]*\n")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The accent-folded French Snowball stem of a word (lower-cased)."""
    w = word.lower().replace("’", "'")
    if "'" in w:  # "d'un", "l'OIM": the word after the elision
        w = w.rsplit("'", 1)[1] or w
    return fold(_stemmer().stemWord(w))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def sentence_bounds(text: str, pos: int, lo: int = 0, reach: int = 400) -> tuple[int, int]:
    """[start, end) of the sentence holding ``pos``, at most ``reach`` characters either side."""
    a = max(lo, pos - reach)
    start = a
    for m in _END.finditer(text, a, pos):
        start = m.end()
    m = _END.search(text, pos, min(len(text), pos + reach))
    end = m.end() if m else min(len(text), pos + reach)
    while start < end and text[start].isspace():
        start += 1
    return start, end


# a phase named by its ordinal ("la deuxième phase", "une troisième phase"); "première" is left to
# models/budget_cues.json earlier_phase, which reads a first phase in its own sentence
PHASE_ORDINAL = re.compile(r"\b(deuxième|seconde?|troisième|quatrième|cinquième|sixième)\s+phase\b", re.IGNORECASE)
ORDINAL = {"deuxième": 2, "second": 2, "seconde": 2, "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6}


def earlier_numbered_phase(text: str, lo: int, start: int, end: int) -> bool:
    """Does text[start:end] (a sentence) speak of a phase whose ordinal is below the highest phase
    the page names, and not of that highest one? Then it is about an earlier phase, and its sums
    and dates are that phase's, not the project's ("Une deuxième phase du programme (2021-2024),
    financée par l'Allemagne pour 2,8 millions d'euros, a ouvert …" on a page about "La troisième
    phase", batch 57). On the training and read pages (1,298; forty-third session) 3 sentences
    name a lower numbered phase than their page's highest, and in none is a sum the budget or a date
    the project's start or end.

    >>> t = "La deuxième phase (2021-2024) a ouvert deux bureaux. La troisième phase a démarré en 2025."
    >>> earlier_numbered_phase(t, 0, 0, t.index(".") + 1), earlier_numbered_phase(t, 0, t.index("La t"), len(t))
    (True, False)
    """
    here = {ORDINAL[m.group(1).lower()] for m in PHASE_ORDINAL.finditer(text, start, end)}
    if not here:
        return False
    top = max(ORDINAL[m.group(1).lower()] for m in PHASE_ORDINAL.finditer(text, lo))
    return top not in here


class Lexicon:
    """models/prose_lexicon.json: concept -> set of stems; under "_kinds", the concepts that are
    features of some candidate kinds only (a verb that says how long something runs is evidence
    for a duration; as a feature of the dates' models it only added noise); under "_evidence", the
    concepts by which a page's candidates of a kind are compared (features.Featurizer.relative).

    >>> lex = Lexicon({"run_verb": {stem("durera")}, "project": {stem("projet")}}, {"run_verb": ["duration"]})
    >>> lex.of("durera"), lex.of("durera", "duration"), lex.of("durera", "date"), lex.of("projet", "date")
    (('run_verb',), ('run_verb',), (), ('project',))
    >>> Lexicon({"run_verb": set()}, {"run_verbs": ["duration"]})
    Traceback (most recent call last):
    ...
    ValueError: prose_lexicon.json _kinds: 'run_verbs' -> ['duration']: not a concept, or not among the candidate kinds ['date', 'duration', 'money']
    """

    KINDS = frozenset({"money", "date", "duration"})   # the candidate kinds (features.Candidate)

    def __init__(self, concepts: dict[str, set[str]], kinds: dict[str, list[str]] | None = None,
                 evidence: dict[str, list[str]] | None = None):
        self.concepts = concepts
        self.kinds = {c: frozenset(k) for c, k in (kinds or {}).items()}
        for c, k in self.kinds.items():   # a misspelt name would silently restrict nothing
            if c not in concepts or not k <= self.KINDS:
                raise ValueError(f"prose_lexicon.json _kinds: {c!r} -> {sorted(k)}: not a concept, "
                                 f"or not among the candidate kinds {sorted(self.KINDS)}")
        # candidate kind -> the concepts that say a candidate of that kind is the project's
        # (Featurizer.relative compares a page's candidates by them)
        self.evidence = {k: tuple(cs) for k, cs in (evidence or {}).items()}
        for k, cs in self.evidence.items():
            if k not in self.KINDS or not set(cs) <= set(concepts):
                raise ValueError(f"prose_lexicon.json _evidence: {k!r} -> {list(cs)}: not a candidate kind, "
                                 f"or a name that is not a concept")
        # stem -> its concepts, in the lexicon's order: one look-up per word instead of a test per concept
        self._by_stem: dict[str, tuple[str, ...]] = {}
        for concept, stems in concepts.items():
            for s in stems:
                self._by_stem[s] = self._by_stem.get(s, ()) + (concept,)
        # the stems with a concept of some kinds only: the only ones a kind's look-up filters
        self._restricted = {s for c in self.kinds for s in concepts.get(c, ())}

    @classmethod
    def load(cls, data_dir: Path) -> "Lexicon":
        raw = json.loads((data_dir / "prose_lexicon.json").read_text("utf-8"))
        return cls({k: {stem(w) for w in v} for k, v in raw.items() if not k.startswith("_")}, raw.get("_kinds"),
                   raw.get("_evidence"))

    def of(self, word: str, kind: str | None = None) -> tuple[str, ...]:
        """The word's concepts; with ``kind``, those that are features of that candidate kind."""
        s = stem(word)
        if kind is None or s not in self._restricted:
            return self._by_stem.get(s, ())
        return tuple(c for c in self._by_stem[s] if c not in self.kinds or kind in self.kinds[c])
