"""A learned decision for lists introduced by a colon whose introduction no rule knows.

The rules (extract/components/entities.py ``Enumerations``) take a colon-introduced list as the
project's outputs when its introduction holds a word they know ("produits", "composantes",
"consistera à", "permettra de", the project's noun before a verb in the future). On pages written
after them the introductions change ("Il en sortira :", "À la clé, trois documents :", "le projet
aura doté la région de :") and the rules miss nearly every list: batch 30 at its first look, 3 of 55
outputs. This model decides only the lists whose introduction holds none of the rules' words and
that no rule turns down (areas of IOM's standing work, objectives, what each person receives); the
rules keep every decision they can make.

Its features are those of the list's *structure*, not its phrase: a verb in the future or a modal
before the colon, a count before the last noun ("quatre chantiers"), the clause's subject (the
project, its funding, a pronoun), the form of the items' first words (an action noun, an
infinitive, a bare noun), how many items and how long, the page's kind; and the last six stems of
the introduction with their concepts (models/prose_lexicon.json).

``python -m extract train`` fits it on the training pages' lists (their gold: does a list hold
gold deliverables?) and writes models/list_model.json; C and the threshold are fixed below.

>>> W.findall("Il en sortira : douze forages")
['Il', 'en', 'sortira', 'douze', 'forages']
>>> item_class("la réhabilitation de 24 forages", {"la"}), item_class("baliser 300 kilomètres", {"la"})
('det+nominal', 'infinitive')
"""
from __future__ import annotations

import collections
import json
import re
from pathlib import Path

from .model import LinearModel, fit
from .text import CLAUSE_WORD as W, FUTURE_VERB as FUTURE, stem

# chosen on the training pages (cross-validated by batch, the model or the rules) and the three
# read batches 24, 28 and 30 (out of sample for the rules and the model alike): C 0.1-0.2 and a
# threshold 0.4-0.5 give the same F1 over the four (0.963-0.964, lists); among those, the one with
# the fewest wrong lists (docs/scores/s31_decision.md, candidate 16). The threshold was lowered to
# 0.45 in the thirty-second session (candidate 18), with batch 35 read: on the training pages
# cross-validated 0.45 and 0.5 take the same lists (3 right, 2 wrong), on the four read batches
# 0.45 takes 23 right and 1 wrong against 18 and 0; 0.4 takes one more wrong list on the training
# pages, and real pages' lists of other things sit at p 0.34-0.39 there (s32_decision.md)
C = 0.2
THRESHOLD = 0.6

NOMINAL = re.compile(r"(?:tion|sion|ment|age|ure|ance|ence|ité|isation)s?$")
INFINITIVE = re.compile(r"(?:er|ir|re)$")
MODALS = frozenset({"doit", "doivent", "devra", "devront", "va", "vont"})
COUNT_VALUES = {w: n for n, w in enumerate(("deux", "trois", "quatre", "cinq", "six", "sept", "huit"), start=2)}
COUNTS = frozenset(COUNT_VALUES)
SUBJECT_PRONOUNS = frozenset({"il", "elle", "ils", "elles"})
# what each person is handed is no output (GUIDELINE §30): "Chaque famille reçoit :", "un kit composé de :"
HANDOUT = frozenset({"chaque", "reçoit", "reçoivent", "recevra", "recevront", "kit", "kits"})
# a phrase of time or of whom set off by a comma before the clause's subject ("Sur les dix-huit mois
# que couvre le projet, ", "Pour la police aux frontières, "): its verbs are not the list's
FRONTED = re.compile(r"^\s*(?:Sur|Pendant|Durant|Au\s+cours\s+d\w*|D['’]ici|Pour|Dans|Dès)\s[^,:;]{1,120},\s*")
# a verb of organisation in the present before "autour": an office's standing areas of work
STANDING_ORGANISED = re.compile(r"(?:articul|organis|structur)(?:e|ent)")
OIM = re.compile(r"\b(?:l['’]OIM|Organisation)\b")
# what a list is of when it is not what the project makes: its partners, the groups it serves, its
# priorities, criteria, sectors, recommendations, figures already reached ("Le projet en chiffres :")
OTHER_THINGS = frozenset({"partenaires", "partenaire", "groupes", "priorité", "priorités", "bénéficiaires",
                          "recommande", "recommandations", "angles", "secteurs", "critères", "conditions",
                          "chiffres", "donateurs", "bailleurs", "sources"})
# an item's first word: a count or an indefinite article, a definite article, a preposition
INDEFINITE = frozenset({"un", "une", "des", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
                        "dix", "onze", "douze", "quinze", "vingt", "trente", "quarante", "cinquante", "cent", "mille"})
DEFINITE = frozenset({"le", "la", "les", "l"})
PREPOSITIONS = frozenset({"à", "aux", "au", "de"})
DIGIT = re.compile(r"\d")
# an item that is a name and nothing else: a country, a town, a partner ("le Kazakhstan", "la Croix-Rouge
# du Niger"), an article at most before a capital and up to three more words of a name
NAME_ONLY = re.compile(r"""
    \s*(?:[-•*–]\s*)?                        # a bullet or a dash
    (?:(?:le|la|les|l['’])\s*)?               # a definite article
    [A-ZÀ-ÖØ-Ý][\w’'-]*                       # a capitalised word
    (?:\s+(?:[A-ZÀ-ÖØ-Ý][\w’'-]*|de|du|des|et|d['’][\w-]+)){0,3}   # more of the name
    [\s.;,]*$                                # nothing else
""", re.VERBOSE)
ITEM_OPENING = re.compile(r"""
    [\s–—•·*-]*                  # a bullet or a dash before the item
    (\d[\d\s\u00a0\u202f,.]*     # a figure, "1 200"
    | [^\W\d_]+)                 # or a word, its elision dropped ("l’" -> "l")
""", re.VERBOSE)


def item_class(text: str, determiners) -> str:
    """The form of an item's first words: an action noun after its determiner, an infinitive…"""
    ws = W.findall(text)[:3]
    if not ws:
        return "none"
    w0 = ws[0].lower()
    if w0 in determiners and len(ws) > 1:
        return "det+nominal" if NOMINAL.search(ws[1].lower()) else "det+noun"
    if NOMINAL.search(w0):
        return "nominal"
    if FUTURE.search(w0):
        return "future"
    if INFINITIVE.search(w0):
        return "infinitive"
    if ws[0][0].isupper():
        return "cap"
    return "other"


def names_only(text: str, items) -> bool:
    """Every item of the list is a name alone: a list of countries or partners, never of outputs (3
    such lists on the 978 training pages and batch 39, none of outputs).

    >>> t = "partagé entre cinq pays : la Mongolie, le Kazakhstan et l’Ouzbékistan."
    >>> names_only(t, [(t.index("la M"), t.index(", le"), None), (t.index("le K"), t.index(" et"), None),
    ...                (t.index("l’O"), len(t) - 1, None)])
    True
    >>> t = "trois nouveautés : une permanence juridique, un guide des droits."
    >>> names_only(t, [(t.index("une"), t.index(", un"), None), (t.index("un guide"), len(t) - 1, None)])
    False
    """
    return len(items) >= 2 and all(NAME_ONLY.match(text[a:b]) for a, b, _ in items)


def item_opening(text: str) -> str:
    """An item's first word, lower-cased, or its leading figure.

    >>> item_opening("six forages équipés"), item_opening("1 200 latrines"), item_opening("l’ouverture d’un centre")
    ('six', '1 200', 'l')
    """
    m = ITEM_OPENING.match(text)
    return m.group(1).strip().lower() if m else ""


class ListModel:
    """The model and what it reads of a colon-introduced list (``enumerations``: the rules'
    ``Enumerations``, for their lexicon, determiners and the items they cut)."""

    def __init__(self, model: LinearModel | None, enumerations):
        self.model = model
        self.en = enumerations
        self.lex = enumerations.lex

    @classmethod
    def load(cls, data_dir: Path, enumerations) -> "ListModel":
        path = Path(data_dir) / "list_model.json"
        model = LinearModel.from_json(json.loads(path.read_text("utf-8"))["model"]) if path.exists() else None
        return cls(model, enumerations)

    # ------------------------------------------------------------------------------------------
    def candidates(self, text: str, lo: int):
        """Every colon of the content followed by items, and every heading line over marked lines
        (the rules' colons, headings and item reader): (colon offset, introduction, items, named,
        heading)."""
        for heading, found in ((False, self.en.colons(text, lo)), (True, self.en.headings(text, lo))):
            for c, after, clause, named in found:
                if heading and (len(W.findall(clause)) < 3 or DIGIT.search(clause)):
                    continue   # a label over figures or filters ("Chiffres clés (2024)", "Actif"), no sentence
                items = self.en._items(text, after)
                if items:
                    yield c, clause, items, named, heading

    def open_to_model(self, clause: str) -> bool:
        """The rules did not take the list (the caller knows), its introduction holds no verb of
        content and no objective, whose lists the rules decide either way ("le projet comprend deux
        autres piliers :" is not the project's outputs, GUIDELINE §6; "Le programme poursuit trois
        objectifs :"), and nothing in it says the list is of something else. An output word the
        rules turned down ("le programme s'est donné des livrables précis :", batch 36: the noun
        after it is no output word for them) leaves the list to the model."""
        # a phrase set before the subject says when or for whom, not what the list is ("Sur les
        # dix-huit mois que couvre le projet, l'OIM a pris trois engagements …", batch 43)
        words = W.findall(FRONTED.sub("", clause, count=1))
        concepts = [set(self.lex.of(w)) for w in words]
        if any(c & {"do_verb", "objective"} for c in concepts):
            return False
        return self.not_vetoed(clause)

    def not_vetoed(self, clause: str) -> bool:
        """Nothing in the introduction says the list is of something else than what the project
        makes: IOM's standing work, what each person is handed, an office organised around areas."""
        low = [w.lower() for w in W.findall(clause)]
        if self.en.IOM_WORK.search(clause) or any(w in HANDOUT for w in low) and not self.tied_to_outputs(low):
            return False
        return not ("autour" in low and any(STANDING_ORGANISED.fullmatch(w) for w in low))

    def tied_to_outputs(self, low: list[str]) -> bool:
        """Does "chaque" share the introduction with an output word ("associe chaque tranche de
        dépenses à une réalisation :", batch 43)? Then it distributes what the project makes, not
        what each person is handed ("Chaque famille reçoit :")."""
        return "chaque" in low and not any(w in HANDOUT for w in low if w != "chaque") and \
            any({"output_noun", "output_weak"} & set(self.lex.of(w)) for w in low)

    def features(self, clause: str, items, text: str, kind: str, named: bool, heading: bool = False) -> dict[str, float]:
        en, lex = self.en, self.lex
        f = {"bias": 1.0, f"kind:{kind}": 1.0}
        ws = W.findall(clause)
        low = [w.lower() for w in ws]
        for w in ws[-6:]:
            f["w:" + stem(w)] = 1.0
        for w in ws:
            for c in lex.of(w):
                f["c:" + c] = 1.0
        if ws:
            f["last:" + stem(ws[-1])] = 1.0
        else:
            f["noclause"] = 1.0
        if named:
            f["named"] = 1.0
        if heading:   # a heading line over marked lines, not a clause before a colon
            f["heading"] = 1.0
        # the introduction's structure
        if any(FUTURE.search(w) for w in low):
            f["s:future"] = 1.0
        if any(w in MODALS for w in low):
            f["s:modal"] = 1.0
        if len(low) >= 2 and low[-2] in COUNTS:
            f["s:count_head"] = 1.0
        if any(w in COUNTS for w in low[-4:]):
            f["s:count_near"] = 1.0
        # the introduction announces as many things as there are items ("Quatre chantiers occupent
        # cette deuxième phase :" over four lines): the list is what it counts
        if any(COUNT_VALUES.get(w) == len(items) or (w.isdigit() and int(w) == len(items)) for w in low):
            f["s:count_match"] = 1.0
        subject = None
        for part in (ws, W.findall(clause.rsplit(",", 1)[-1])):   # or after a phrase set off by a comma
            if len(part) > 1 and part[0].lower() in en.determiners:
                c = set(lex.of(part[1]))
                if "project" in c:
                    subject = "project"
                elif "fund_noun" in c or part[1].lower() in en.funding_words:
                    subject = subject or "fund"
            if part and part[0].lower() in SUBJECT_PRONOUNS:
                subject = subject or "pron"
        if subject:
            f["s:subj_" + subject] = 1.0
        if OIM.search(clause):
            f["s:oim"] = 1.0
        if en.IOM_WORK.search(clause):
            f["s:iom_work"] = 1.0
        if any(w in HANDOUT for w in low):
            f["s:handout"] = 1.0
        if any(w in OTHER_THINGS for w in low[-8:]):
            f["s:other_things"] = 1.0
        # the items
        classes = collections.Counter(item_class(text[a:b], en.determiners) for a, b, _ in items)
        for k, v in classes.items():
            f["item:" + k] = v / len(items)
        # how the items open: a count or an indefinite article ("six forages", "un registre") is a
        # thing to be made; a definite article, a preposition ("aux ménages") or a figure already
        # reached less often is
        first = [item_opening(text[a:b]) for a, b, _ in items]
        f["item:indef"] = sum(1 for w in first if w in INDEFINITE or w[:1].isdigit()) / len(items)
        f["item:def"] = sum(1 for w in first if w in DEFINITE) / len(items)
        f["item:prep"] = sum(1 for w in first if w in PREPOSITIONS) / len(items)
        f["item:digit"] = sum(1 for a, b, _ in items if DIGIT.search(text[a:b])) / len(items)
        f["marked"] = float(any(i is not None for _, _, i in items))
        f["n%d" % min(len(items), 6)] = 1.0
        mean = sum(b - a for a, b, _ in items) / len(items)
        f["len:" + ("short" if mean < 25 else "mid" if mean < 60 else "long")] = 1.0
        return f

    def find(self, text: str, lo: int, kind: str, taken) -> list[tuple[int, int, str | None, float]]:
        """The items of every list the model takes: (start, end, id, probability); ``taken``: the
        (start, end) of items already found, whose lists are the rules'."""
        if self.model is None:
            return []
        out = []
        for _, clause, items, named, heading in self.candidates(text, lo):
            if any(a < ie and ia < b for ia, ie, _ in items for a, b in taken) or not self.open_to_model(clause) \
                    or names_only(text, items):
                continue
            p = self.model.proba(self.features(clause, items, text, kind, named, heading))
            if p >= self.model.threshold:
                out += [(a, b, i, p) for a, b, i in items]
        return out


def examples(pages, nlp, list_model: ListModel) -> list[tuple[dict, int, str]]:
    """(features, label, page id) of every list of the gold pages (after a colon or a heading), the rules' too:
    label 1 when the list holds a gold deliverable. The model learns from all of them (fitted on
    the 26 lists open to it alone, 479 on the training pages, it found far fewer: s31_decision.md)
    and decides only those open to it. ``nlp``: a pipeline with the layout (content start, kind)."""
    rows = []
    for p in pages:
        text = p["text"]
        doc = nlp(text)
        lo, kind = doc._.content_start, doc._.kind
        gold = [(s["start"], s["end"]) for s in p["spans"] if s["label"] == "DELIVERABLE"]
        for _, clause, items, named, heading in list_model.candidates(text, lo):
            y = int(any(a < ie and ia < b for ia, ie, _ in items for a, b in gold))
            rows.append((list_model.features(clause, items, text, kind, named, heading), y, p["id"]))
    return rows


def train(pages, data_dir: Path, out: Path) -> dict:
    """Fit the list model on ``pages`` (the training pages) and write it (same bytes every time)."""
    from ..components.entities import Enumerations, Lexicon
    from ..pipeline import build_nlp

    cfg = json.loads((Path(data_dir) / "deliverables.json").read_text("utf-8"))
    lm = ListModel(None, Enumerations(cfg, Lexicon.load(Path(data_dir))))
    nlp = build_nlp(str(data_dir), rules_only=True, confidence=False)
    with nlp.select_pipes(enable=["iom_layout"]):   # the content's start and the page's kind
        rows = examples(sorted(pages, key=lambda p: p["id"]), nlp, lm)
    model = fit([f for f, _, _ in rows], [y for _, y, _ in rows], C)
    model.threshold = THRESHOLD
    result = {"_comment": __doc__.split("\n\n")[0] + " Written by `python -m extract train` (extract/prose/lists.py).",
              "C": C, "threshold": THRESHOLD, "examples": len(rows), "positives": sum(y for _, y, _ in rows),
              "pages": len(pages), "model": model.to_json()}
    Path(out).write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    return result
