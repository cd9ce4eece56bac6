"""Candidates of the running-text decisions and their features.

A candidate is a sum, a date or a duration in a page's content. Its features are sparse and
named so that a reviewer can read a model's weights:

* ``b:<stem>`` / ``a:<stem>``: the stems of the words before it in its sentence (up to 8) and after
  it (up to 5); ``b1:<stem>`` the word right before; ``bc:<concept>`` / ``ac:<concept>`` the concepts
  of models/prose_lexicon.json those words (after: up to 12) belong to, ``sc:<concept>`` those of the
  sentence further back;
* ``dep:<relation>``, ``gov:<concept>``, ``gov_stem:<stem>``, ``gov_dep:<relation>``, ``case:<word>``,
  ``subj:<concept>``, ``anc:<concept>``, ``sib:<concept>``: from the dependency parse of its clause —
  the relation of its head word, the word it depends on, its preposition, the subject of the
  governing verb, the concepts among its ancestors (3 steps up) and its governor's other dependents;
  ``gov:sum`` / ``subj:sum`` when that word or subject is part of one of the page's sums;
  ``relsubj:<concept>``, the subject of a relative clause on it ("des trente mois *que compte le
  projet*"), read by the invariants only (components/prose.py), like ``rootsubj:``;
* ``rel:most`` / ``rel:only``: compared with the page's other candidates of its kind, it has the
  most words of its kind's evidence concepts (models/prose_lexicon.json "_evidence": for a
  duration, a period noun, a verb of running, the project), around it or above it in the parse;
  ``rel:only``: no other has any;
* ``rule`` (and ``rule:start`` / ``rule:end``): what the hand-written rules decide for it;
* where it is (``title``, ``first_para``), the page's ``kind:``, and what it is (``cur:``, ``unit:``,
  ``prec:``…).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .text import Lexicon, sentence_bounds, stem, words

BEFORE_WORDS = 8
AFTER_WORDS = 5
AFTER_CONCEPT_WORDS = 12   # concepts are looked for further after it ("… (680 dollars) à quelques 36 500 travailleurs")
ANCESTOR_STEPS = 3
CLAUSE_TOKENS = 30   # at most this many tokens of a candidate's sentence are parsed, centred on it (the parser costs ~0.1 ms a token)


@dataclass
class Candidate:
    kind: str                # "money" | "date" | "duration"
    start: int
    end: int
    value: object            # {"amount", "currency"} / ISO date / months
    rule: dict = field(default_factory=dict)    # the rules' verdicts: {"budget": True}, {"start": True}
    sent: tuple[int, int] = (0, 0)
    feats: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain data (the Doc's user_data must serialise, issue 15)."""
        return {"kind": self.kind, "start": self.start, "end": self.end, "value": self.value, "rule": self.rule,
                "sent": list(self.sent), "feats": self.feats}


class Featurizer:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def concepts(self, word: str, kind: str | None = None) -> tuple[str, ...]:
        """The word's concepts (models/prose_lexicon.json); with ``kind``, those that are features of
        that candidate kind. The rules ask without a kind."""
        return self.lex.of(word, kind)

    def lexical(self, text: str, c: Candidate, page: dict) -> dict[str, float]:
        a, b = c.sent
        before_all = words(text[a:c.start])
        before = before_all[-BEFORE_WORDS:]
        after_all = words(text[c.end:b])[:AFTER_CONCEPT_WORDS]
        after = after_all[:AFTER_WORDS]
        f: dict[str, float] = {"bias": 1.0, f"kind:{page['kind']}": 1.0}
        for w in before_all[:-BEFORE_WORDS]:   # further back in the sentence: its concepts only
            for con in self.concepts(w, c.kind):
                f[f"sc:{con}"] = 1.0
        for w in before:
            f[f"b:{stem(w)}"] = 1.0
            for con in self.concepts(w, c.kind):
                f[f"bc:{con}"] = 1.0
        if before:
            f[f"b1:{stem(before[-1])}"] = 1.0
        for w in after:
            f[f"a:{stem(w)}"] = 1.0
        for w in after_all:
            for con in self.concepts(w, c.kind):
                f[f"ac:{con}"] = 1.0
        title = page.get("title")
        if title and title[0] <= c.start < title[1]:
            f["title"] = 1.0
        if c.start < page.get("first_para_end", 0):
            f["first_para"] = 1.0
        for k, v in c.rule.items():
            if v is True:
                f["rule" if k in ("budget", "duration") else f"rule:{k}"] = 1.0
        return f

    def parsed(self, pdoc, offsets: list[int], c: Candidate, sums: tuple[tuple[int, int], ...] = ()) -> dict[str, float]:
        """Features of a candidate from its parsed clause (``offsets``: each token's page offset;
        ``sums``: the page's sums, [start, end) offsets, so that a word of one reads as ``sum``)."""
        inside = [t for t, o in zip(pdoc, offsets) if c.start <= o < c.end]
        if not inside:
            return {}
        ids = {t.i for t in inside}
        head = next((t for t in inside if t.head.i not in ids or t.head.i == t.i), inside[0])
        f: dict[str, float] = {f"dep:{head.dep_}": 1.0}

        def in_sum(tok) -> bool:
            return any(a <= offsets[tok.i] < b for a, b in sums)
        # a relative clause on it and that clause's subject: "des trente mois *que compte le projet*"
        # (the clause parser runs no tagger and may hang the clause's verb as "dep", its inverted
        # subject as "nmod": the clause is a dependent with "que" among its own)
        for rel in head.children:
            if rel.dep_.startswith("acl") or any(ch.text.lower() in ("que", "qu'", "qu’") for ch in rel.children):
                for ch in rel.children:
                    if ch.dep_.startswith(("nsubj", "nmod")):
                        for con in self.concepts(ch.text, c.kind):
                            f[f"relsubj:{con}"] = 1.0
        for ch in head.children:
            if ch.dep_ in ("case", "mark") and ch.i not in ids:
                f[f"case:{ch.text.lower()}"] = 1.0
        gov = head.head if head.head.i != head.i else None
        if gov is not None:
            f[f"gov_stem:{stem(gov.text)}"] = 1.0
            f[f"gov_dep:{gov.dep_}"] = 1.0
            for con in self.concepts(gov.text, c.kind):
                f[f"gov:{con}"] = 1.0
            if in_sum(gov):
                f["gov:sum"] = 1.0   # "Six cent mille dollars canadiens sur deux ans"
            if any(ch.dep_ == "det" and ch.text.lower() in ("son", "sa", "ses", "leur", "leurs") for ch in gov.children):
                f["govdet:poss"] = 1.0   # "son lancement": the start of what the sentence is about
            for sib in gov.children:
                if sib.i != head.i and sib.i not in ids:
                    for con in self.concepts(sib.text, c.kind):
                        f[f"sib:{con}"] = 1.0
                    if sib.dep_ == "nmod":
                        # what the word it hangs on is about: "le début *de la crise*", "le lancement *du projet*"
                        f["govarg:any"] = 1.0
                        for con in self.concepts(sib.text, c.kind):
                            f[f"govarg:{con}"] = 1.0
        node, steps = head, 0
        while node.head.i != node.i and steps < ANCESTOR_STEPS:
            node = node.head
            steps += 1
            for con in self.concepts(node.text, c.kind):
                f[f"anc:{con}"] = 1.0
            subj = next((ch for ch in node.children if ch.dep_.startswith("nsubj")), None)
            if subj is not None and "subj_done" not in f:
                f["subj_done"] = 0.0
                f["subj:any"] = 1.0   # a subject was found (its concepts, if any, follow)
                for con in self.concepts(subj.text, c.kind):
                    f[f"subj:{con}"] = 1.0
                if in_sum(subj):
                    f["subj:sum"] = 1.0   # "Quelque 180 000 dollars y sont consacrés, pour douze mois"
                if subj.ent_type_ or subj.text[:1].isupper():
                    f["subj:proper"] = 1.0
        if "subj_done" not in f:
            # no subject on the way up: a sentence whose root is a noun is about that noun (the
            # parser makes "Le système …, sera opérationnel pendant 10 ans" a noun with an
            # adjective). Read only by the invariant (components/prose.py about_something_else),
            # not by the models: "rootsubj:" features are left out of every feature set
            root = head
            while root.head.i != root.i:
                root = root.head
            # (the clause parser runs no tagger: a root with a determiner is a noun)
            nounish = root.pos_ in ("NOUN", "PROPN") or any(ch.dep_ == "det" for ch in root.children)
            if nounish and root.i not in ids:
                f["rootsubj:any"] = 1.0
                for con in self.concepts(root.text, c.kind):
                    f[f"rootsubj:{con}"] = 1.0
                if root.pos_ == "PROPN" or root.text[:1].isupper() and root.i > 0:
                    f["rootsubj:proper"] = 1.0
        f.pop("subj_done", None)
        # what it hangs on and through which preposition, together ("débuté en", "depuis le lancement")
        cases = [k[5:] for k in f if k.startswith("case:")] or ["-"]
        for con in [k[4:] for k in f if k.startswith("gov:")] + [f"dep={head.dep_}"]:
            for ca in cases:
                f[f"gc:{con}|{ca}"] = 1.0
        return f

    # where a concept of the evidence counts: the words before and after it, and its parse (the word
    # it hangs on, its ancestors, their subject, its governor's other dependents)
    RELATIVE_PLACES = ("bc", "ac", "gov", "anc", "subj", "sib")

    def relative(self, cands: list[Candidate]) -> None:
        """Which of the page's candidates of a kind has the most evidence of being the project's:
        which duration is the project's is a choice among the page's durations, and one that a
        phrasing the models never met ties weakly to the project can still be the one it ties most
        (the training pages' records, each batch read by models trained on the other batches:
        duration F1 0.809 -> 0.904; README "Fourteenth session"). Read after the parse (its
        features count); a vetoed candidate competes with none.

        >>> from .text import Lexicon
        >>> f = Featurizer(Lexicon({"fund_verb": {"dot"}}, evidence={"money": ["fund_verb"]}))
        >>> a, b = Candidate("money", 0, 1, 1), Candidate("money", 5, 6, 2)
        >>> a.feats, b.feats = {"bc:fund_verb": 1.0, "gov:fund_verb": 1.0}, {"ac:fund_verb": 1.0}
        >>> f.relative([a, b]); sorted(k for k in a.feats if k.startswith("rel")), b.feats.get("rel:most")
        (['rel:most'], None)
        >>> b.feats = {}; f.relative([a, b]); sorted(k for k in a.feats if k.startswith("rel"))
        ['rel:most', 'rel:only']
        """
        for kind, concepts in self.lex.evidence.items():
            group = [c for c in cands if c.kind == kind and not c.rule.get("veto")]
            if not group:
                continue
            keys = [f"{place}:{con}" for place in self.RELATIVE_PLACES for con in concepts]
            strength = [sum(1 for k in keys if c.feats.get(k)) for c in group]
            top, backed = max(strength), sum(1 for s in strength if s)
            for c, s in zip(group, strength):
                c.feats.pop("rel:most", None)
                c.feats.pop("rel:only", None)
                if s and s == top:
                    c.feats["rel:most"] = 1.0
                    if backed == 1:
                        c.feats["rel:only"] = 1.0

    @staticmethod
    def kind_specific(cands: list[Candidate], text: str) -> None:
        """Features that compare a candidate with the page's other candidates of its kind."""
        dates = [c for c in cands if c.kind == "date"]
        if dates:
            first, last = min(c.value for c in dates), max(c.value for c in dates)
            for k, c in enumerate(dates):
                c.feats[f"prec:{c.value.count('-')}"] = 1.0
                c.feats["earliest" if c.value == first else "not_earliest"] = 1.0
                if c.value == last:
                    c.feats["latest"] = 1.0
                if k == 0:
                    c.feats["first_date"] = 1.0
        money = [c for c in cands if c.kind == "money"]
        if money:
            top = max(c.value["amount"] for c in money)
            for k, c in enumerate(money):
                c.feats["cur:USD" if c.value["currency"] == "USD" else "cur:other"] = 1.0
                if c.value["amount"] == top:
                    c.feats["largest"] = 1.0
                if k == 0:
                    c.feats["first_sum"] = 1.0
                c.feats[f"n_sums:{min(len(money), 3)}"] = 1.0
        for c in cands:
            if c.kind == "duration":
                unit = re.search(r"(mois|an|ann)", text[c.start:c.end], re.IGNORECASE)
                c.feats[f"unit:{unit.group(1).lower() if unit else '?'}"] = 1.0
                c.feats["months<=60" if c.value <= 60 else "months>60"] = 1.0


# what joins the two ends of a range: "entre … et …", "du … au …", "de/d' … à/au …"; a dash between
# two dates written as digits ("2016-2018", "(2020 – 2023)"), whose second comes after the first
_BETWEEN_ET = re.compile(r"\s+et\s+")
_BETWEEN_AU = re.compile(r"\s+au\s+")
_BETWEEN_A = re.compile(r"\s+(?:à|au)\s+")
DASH_BETWEEN = re.compile(r"\s?[-–—]\s?")
_LEAD_ENTRE = re.compile(r"\bentre\s+$")
_LEAD_DU = re.compile(r"\bdu\s+$")
_LEAD_DE = re.compile(r"\b(?:de\s+|d['’]\s*)$")
# a date that is a month and its year, as the second end of a dashed range ("… – février 2025")
_MONTH_YEAR = re.compile(r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|"
                         r"d[ée]cembre)\s+\d{4}", re.IGNORECASE)


def opens_range(text: str, c: Candidate, nxt: Candidate) -> bool:
    """Are these two dates (``c`` before ``nxt``) the ends of one range?

    >>> def d(t, a, b): return Candidate("date", t.index(a), t.index(a) + len(a), b)
    >>> t = "un projet triennal (2020-2022) de l'OIM"
    >>> opens_range(t, d(t, "2020", "2020"), d(t, "2022", "2022"))
    True
    >>> t = "se déroulera de 2015 à 2018 dans six provinces"
    >>> opens_range(t, d(t, "2015", "2015"), d(t, "2018", "2018"))
    True
    >>> t = "pour la période septembre 2023 – février 2025."
    >>> opens_range(t, d(t, "septembre 2023", "2023-09"), d(t, "février 2025", "2025-02"))
    True
    >>> t = "lancé en 2016, 2018 a vu"      # two dates, no range
    >>> opens_range(t, d(t, "2016", "2016"), d(t, "2018", "2018"))
    False
    """
    between = text[c.end:nxt.start]
    lead = text[max(0, c.start - 8):c.start].lower()
    if _LEAD_ENTRE.search(lead) and _BETWEEN_ET.fullmatch(between):
        return True
    if _LEAD_DU.search(lead) and _BETWEEN_AU.fullmatch(between):
        return True
    if _LEAD_DE.search(lead) and _BETWEEN_A.fullmatch(between):
        return True
    # a dash: after a year, before a date that is a day or names its own year ("septembre 2023 –
    # février 2025"; "mars-avril" is rare and "Paris-Genève" not dates), the later after
    return bool(DASH_BETWEEN.fullmatch(between) and text[c.end - 1:c.end].isdigit()
                and (text[nxt.start:nxt.start + 1].isdigit() or _MONTH_YEAR.fullmatch(text[nxt.start:nxt.end]))
                and str(nxt.value) > str(c.value) and not text[max(0, c.start - 1):c.start].isdigit())


def clause(starts: list[int], c: Candidate) -> tuple[int, int]:
    """Token index range [i, j) of the candidate's sentence, at most CLAUSE_TOKENS long, centred on it.
    ``starts``: the offsets of the page's non-space tokens, in order."""
    a, b = c.sent
    i, j = bisect_left(starts, a), bisect_left(starts, b)
    k = bisect_left(starts, c.start)
    if j - i > CLAUSE_TOKENS:
        i = max(i, k - CLAUSE_TOKENS // 2)
        j = min(j, i + CLAUSE_TOKENS)
    return i, j


__all__ = ["Candidate", "Featurizer", "clause", "sentence_bounds"]
