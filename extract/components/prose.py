"""``iom_prose``: the running-text decisions (extract/prose/): which sums are the project's budget,
which dates its start and end, which duration its own.

Runs after ``iom_budget`` (whose rules have labelled the sums) and before ``iom_record``. For each
candidate in the content it records what the rules say and, when the decision's trained model is
the one in use (models/prose_models.json, written by ``python -m extract train``), what the model
says; the clauses of the candidates whose model reads the parse go through fr_core_news_md's
parser (extract/parse.py), and only those.

Assigns: BUDGET/MONEY labels of the sums outside a budget label (when the budget model is used);
``doc._.prose`` = {"start_date", "end_date", "duration_months"} (each None, or the value read from
running text, for pages whose label block does not give it); ``doc.user_data["iom_candidates"]``
(plain dicts: every candidate, its features, probability and decision).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.dates import (ELIDED_WHOLE, ELIDED_WHOLE_END, HALF_YEAR, UNIT, UNIT_AFTER_SPACE, duration_months,
                                elided_whole_months, find_durations)
from ..normalize.numbers import NUMBER_WORDS
from ..normalize.text import fold, opens_content, sentence_before, unwrapped
from ..paths import models_dir
from ..prose.features import DASH_BETWEEN, Candidate, Featurizer, clause, opens_range
from ..prose.model import LinearModel
from ..prose.text import Lexicon, earlier_numbered_phase, sentence_bounds
from .assemble import BudgetComponent, as_budget, not_one_project, relabel as relabel_span
from .base import DataComponent, page_text
from .entities import SPANS_KEY, SpanInfo, sorted_span_infos, span_infos

if not Doc.has_extension("prose"):
    Doc.set_extension("prose", default=None)

DECISIONS = ("budget", "start", "end", "duration")
# how far before a date its start or end cue may begin (models/date_cues.json; every cue ends
# right before its date, so only the cues with a gap inside reach back this far): the project's
# name may stand between ("le projet « Protéger et réintégrer les victimes de la traite dans le sud
# du Pérou », lancé par l’OIM en"; "La cérémonie de clôture du projet de soutien à la réintégration
# durable des migrants de retour en Guinée s'est tenue le"); the old 30, then 60, cut them
CUE_WINDOW = 180
# a clause whose subject is a pronoun standing for the project, at the sentence's start or after
# an opening phrase ("Il se déroulera de 2015 à 2018", "Mis en œuvre de septembre 2018 à août 2021,
# il couvrira …", "D’une durée de trois ans, il couvre la période de …")
PRONOUN_SUBJECT = re.compile(r"(?:^|[,;:])\s*(?:il|elle|ils|elles)\s", re.IGNORECASE)
# the project's activities, all of them, as a sentence's subject: "Les activités se dérouleront de … à …"
ACTIVITIES_SUBJECT = re.compile(r"\s*(?:Les|Ses|Leurs)\s+activités\b")
# the project's funding named with a demonstrative stands for the project ("Mis en œuvre sur six
# mois, de mai à octobre 2024, ce financement permettra de …", batch 15); the words that name a grant,
# a subset of models/prose_lexicon.json fund_noun, whose other words ("ce montant", "cette aide",
# "cet engagement") name a sum or help in general as often as the project
THIS_FUNDING = re.compile(r"\b(?:ce|cette)\s+(?:financement|allocation|contribution|subvention|don|enveloppe)\b",
                          re.IGNORECASE)
# label-block fields that settle a decision (the prose is not read for it)
SETTLED_BY = {"budget": ("budget",), "start": ("start_date", "period", "duration"),
              "end": ("end_date", "period", "duration"), "duration": ("duration", "period")}
# a duration's number in the rules' patterns: digits, or the shared French number words (with
# their compounds: "dix-huit", "vingt-quatre")
_WORDS = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
NUMBER_WORD = rf"(?:\d+|(?:{_WORDS})(?:-(?:{_WORDS}))*)"


def duration_windows(text: str, start: int) -> list[tuple[int, int]]:
    """[a, b) spans of the text from ``start`` that hold the sentences naming a unit of time: from
    the end of the sentence before (its ".", "!" or "?") to the end of the sentence.

    >>> t = "Le projet a démarré en 2024. Il durera deux ans. Rien ici. Et six mois ensuite"
    >>> [t[a:b] for a, b in duration_windows(t, 0)]
    ['. Il durera deux ans.', '. Et six mois ensuite']
    """
    out: list[tuple[int, int]] = []
    for u in UNIT_AFTER_SPACE.finditer(text, start):
        a = max(start, max(text.rfind(c, start, u.start()) for c in SENTENCE_ENDS))
        ends = [k for k in (text.find(c, u.end()) for c in SENTENCE_ENDS) if k >= 0]
        b = min(ends) + 1 if ends else len(text)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


# a line break is not one: hard-wrapped pages break their sentences across lines, and the cues' "\s"
# runs over them
SENTENCE_ENDS = ".!?"


class ProseRules:
    """The hand-written rules for dates and durations in running text (models/date_cues.json)."""

    def __init__(self, data_dir: Path):
        cues = json.loads((data_dir / "date_cues.json").read_text("utf-8"))
        noun = "(?:" + "|".join(cues["duration_nouns"]) + ")s?"
        # the units and their halves and months after them are extract/normalize/dates.py's (UNIT:
        # months, years, semesters, quarters; "un an et huit mois"; "une demi-année")
        n = (rf"(?P<d>{NUMBER_WORD}\s+{UNIT}(?:\s+et\s+(?:demie?|{NUMBER_WORD}\s+mois))?|{HALF_YEAR})\b"
             r"(?!\s+plus\s+tard)")
        # {np}: "24 prochains mois", "deux prochaines années" (the word dropped before reading it)
        np_ = rf"(?P<d>{NUMBER_WORD}\s+prochaine?s\s+{UNIT})\b"
        # {w}: the whole a part is counted against, its unit the part's ("seize mois sur les
        # vingt-deux prévus": find_durations' elided whole)
        w = rf"(?P<w>{NUMBER_WORD}){ELIDED_WHOLE_END}"
        self.durations = [re.compile(c.format(noun=noun, n=n, np=np_, w=w), re.IGNORECASE) for c in cues["duration"]]
        # a cue that opens on the duration itself ("{n} qu'il durera", "{n} leur sont impartis"): what
        # follows the duration must be on the page, and is looked for first (a search that opens on
        # the number words tries them at every character: such cues cost a third of the rules' time,
        # bench/throughput.py, thirty-eighth session)
        self.duration_needs = [re.compile(c[len(r"\b{n}"):].format(noun=noun, n=n, np=np_, w=w), re.IGNORECASE)
                               if c.startswith(r"\b{n}") else None for c in cues["duration"]]
        self.over = re.compile(rf"\s*(?:au\s+total\s+)?(?:sur|pour)\s+{n}", re.IGNORECASE)
        # read in a release's lead sentence only, where the project is what the page is about
        self.lead_durations = [re.compile(c.format(noun=noun, n=n, np=np_), re.IGNORECASE)
                               for c in cues["duration_lead"]]
        self.start_cue = re.compile("(?:" + "|".join(cues["start"]) + ")" + cues["month_phrase"] + r"\s*$", re.IGNORECASE)
        self.start_not_after = re.compile(cues["start_not_after"], re.IGNORECASE)   # "lancé en mai 2024 un appel"
        # "Le processus avait été lancé en mars 2022": a cue whose subject is another thing
        self.cue_other_subject = re.compile(cues["cue_other_subject"], re.IGNORECASE)
        # the same subject anywhere before a date: a cheap test before the cues are searched
        self.other_subject_near = re.compile(cues["cue_other_subject"].removesuffix("$"), re.IGNORECASE)
        self.end_cue = re.compile("(?:" + "|".join(cues["end"]) + ")" + cues["month_phrase"] + r"\s*$", re.IGNORECASE)
        self.range = re.compile(r"\bdu\s+(?P<a>[^.\n]{4,25}?)\s+au\s+(?P<b>[^.\n]{4,25}?\d{4})", re.IGNORECASE)
        # a month alone opening a range whose other end is the DATE right after: "d'avril à
        # novembre 2013", "entre janvier et juin 2015" (names folded in the data; accents optional)
        self.months = cues["months"]
        names = "|".join(re.sub("[eu]", lambda m: {"e": "[eéè]", "u": "[uû]"}[m.group()], n)
                         for n in sorted(self.months, key=len, reverse=True))
        self.month_range = re.compile(
            rf"(?:\bd['’]\s*|\bde\s+|\bentre\s+)(?P<m>{names})\s+(?:à|au|et|-|–)\s+$", re.IGNORECASE)
        # "du 1er janvier au 31 décembre 2024": a day and a month opening a range within one year
        self.day_range = re.compile(rf"\bdu\s+(?P<d>1er|[0-3]?\d)\s+(?P<m>{names})\s+au\s+$", re.IGNORECASE)
        # "met en œuvre de mars 2021 à février 2023": a range after words that carry the project out
        self.period_lead = re.compile("(?:" + "|".join(cues["period_lead"]) + r")[^.;!?\n]{0,60}?(?:\bde\s+|\bd['’]\s*|\bentre\s+|\bdu\s+)$",
                                      re.IGNORECASE)
        self.period_cover = re.compile(cues["period_cover"], re.IGNORECASE)
        self.period_other = re.compile(cues["period_other"], re.IGNORECASE)
        self.lexicon = Lexicon.load(data_dir)
        # "ont procédé le 12 février 2018 au lancement officiel du projet": the words after the date
        self.start_launch, self.end_close = ([(re.compile(f"(?:{c['before']})$", re.IGNORECASE), re.compile(c["after"], re.IGNORECASE))
                                              for c in cues[key]] for key in ("start_launch", "end_close"))
        self.plan_name = re.compile(cues["plan_name"])   # case matters: a plan's name is capitalised
        self.later_phase = re.compile(cues["later_phase"], re.IGNORECASE)
        budget = json.loads((data_dir / "budget_cues.json").read_text("utf-8"))
        self.earlier_phase = re.compile(budget["earlier_phase"], re.IGNORECASE)
        # on a standing page, a sentence that brings in one project among others ("Au Niger, le
        # projet de …", "Un programme régional …"): its sums and its period are that project's
        self.other_project = re.compile("|".join(f"(?:{p})" for p in budget["standing_page_other_project"]))
        # what the project builds on ("fait suite à une première phase (2021-2023)"): its dates
        self.builds_on_rx = re.compile(budget["builds_on"], re.IGNORECASE)
        # what had been done before: a date straight after a verb in the pluperfect
        self.pluperfect_rx = re.compile(cues["pluperfect"], re.IGNORECASE)
        self.signed_rx = re.compile(cues["signed"], re.IGNORECASE)
        # "Depuis 2017, plus de 25 000 Guinéens sont rentrés": the date a count is reckoned from
        self.count_since_rx = (re.compile(cues["count_since_before"], re.IGNORECASE),
                               re.compile(cues["count_since_after"], re.IGNORECASE))
        # "Financé en 2022 par la Suède, le premier projet avait formé …": the first one's date
        self.first_of_another_rx = (re.compile(cues["first_of_another_before"]),
                                    re.compile(cues["first_of_another_after"], re.IGNORECASE))
        self.closing_verb_rx = re.compile(cues["closing_verb"], re.IGNORECASE)
        self.veto_before = re.compile("(?:" + "|".join(cues["duration_veto_before"]) + ")", re.IGNORECASE)
        self.veto_after = [re.compile(v, re.IGNORECASE) for v in cues["duration_veto_after"]]
        self.veto_inside = re.compile("(?:" + "|".join(cues["duration_veto_inside"]) + ")", re.IGNORECASE)

    def duration_vetoed(self, text: str, start: int, end: int) -> bool:
        """An age, a time since, a validity, a contract's or a permit's length, a time after, a time
        looking back: never the project's duration."""
        if self.veto_before.search(text, max(0, start - 120), start) or self.veto_inside.search(text, start, end):
            return True
        # a part of the whole ("il lui reste seize mois sur les vingt-deux prévus"): the whole is
        # the length, the part never is
        return any(v.match(text, end, end + 40) for v in self.veto_after) or bool(ELIDED_WHOLE.match(text, end))

    def duration(self, text: str, start: int, lead: tuple[int, int] | None = None):
        """(months, start, end) of the first duration a cue ties to the project, or None; ``lead``:
        the release's lead sentence, where models/date_cues.json duration_lead is read too.

        >>> r = ProseRules(models_dir())
        >>> t = "Niamey – Grâce au Japon, l’OIM va aider pendant dix-huit mois les communautés. Au Tchad, l’OIM appuiera pendant deux ans les comités."
        >>> r.duration(t, 0, (0, t.index("Au T")))[0], r.duration(t, t.index("Au T"), (0, t.index("Au T")))
        (18, None)
        """
        if not UNIT_AFTER_SPACE.search(text, start):
            return None   # every cue holds a duration ({n}: a number, spaces, its unit): none here
        # every cue holds a duration and none crosses a sentence's end: each is searched in the
        # sentences that name a unit only (its end included, and the end before it, which the cues
        # that open a sentence read), in order, so its first match is the one a search of the whole
        # text finds (the same on every gold page, tests/test_prose.py)
        windows = duration_windows(text, start)
        found = []
        for rx, need in zip(self.durations, self.duration_needs):
            if need is not None and not need.search(text, start):
                continue
            m = next((m for a, b in windows if (m := rx.search(text, a, b))), None)
            if m:
                found.append(m)
        if lead is not None and lead[1] > start:
            found += [m for rx in self.lead_durations if (m := rx.search(text, max(start, lead[0]), lead[1]))]
        if not found:
            return None
        m = min(found, key=lambda m: m.start("d"))
        if m.groupdict().get("w"):   # the whole, in the part's unit
            months = elided_whole_months(m.group("d"), m.group("w"))
            return (months, m.start("w"), m.end("w")) if months else None
        months = duration_months(re.sub(r"\s+prochaine?s\b", "", m.group("d"), flags=re.IGNORECASE))
        return (months, m.start("d"), m.end("d")) if months else None

    def budget_over(self, text: str, budget_ends: list[int]):
        """(months, start, end) of the time the budget is spent over, stated right after its sum
        ("La Norvège y consacre 2,2 millions d’euros sur deux ans"), or None. After a sum that is
        not the budget the same words are another thing's (a plan's cost "pour six mois", another
        project's "3 millions de dollars sur 24 mois" on a standing page): on the training pages
        3 of 3 after the budget were its duration, 0 of 2 after other sums (twenty-eighth session).

        >>> r = ProseRules(models_dir())
        >>> t = "Sa phase actuelle – 6,5 millions de francs suisses sur quatre ans, d’avril 2022 –"
        >>> r.budget_over(t, [t.index(" sur")])
        (48, 55, 65)
        """
        for e in sorted(budget_ends):
            m = self.over.match(text, e)
            if m and (months := duration_months(m.group("d"))):
                return months, m.start("d"), m.end("d")
        return None

    def range_opening(self, text: str, date: tuple[int, int, str]) -> tuple[int, int, str] | None:
        """The month (or the day and month) that opens a range ending at this DATE in the same year,
        as a date of its own (start, end, "YYYY-MM" or "YYYY-MM-DD"), or None (GUIDELINE §8.1 F, §17).

        >>> r = ProseRules(models_dir())
        >>> t = "Le projet mène d'avril à novembre 2013 des ateliers."
        >>> r.range_opening(t, (t.index("novembre"), t.index(" des"), "2013-11"))
        (17, 22, '2013-04')
        >>> t = "entre juin et mars 2014"    # not a range of one year
        >>> r.range_opening(t, (t.index("mars"), len(t), "2014-03")) is None
        True
        >>> t = "Le financement couvre la période du 1er janvier au 31 décembre 2024."
        >>> r.range_opening(t, (t.index("31"), t.index("."), "2024-12-31"))
        (36, 47, '2024-01-01')
        """
        a, _, value = date
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and (m := self.day_range.search(text, max(0, a - 40), a)):
            first, day = self.months.get(fold(m.group("m"))), 1 if m.group("d") == "1er" else int(m.group("d"))
            if first is None or (first, day) > (int(value[5:7]), int(value[8:])) or not 1 <= day <= 31:
                return None
            return m.start("d"), m.end("m"), f"{value[:4]}-{first:02d}-{day:02d}"
        if not re.fullmatch(r"\d{4}-\d{2}", value):
            return None
        m = self.month_range.search(text, max(0, a - 40), a)
        if not m:
            return None
        first = self.months.get(fold(m.group("m")))
        if first is None or first > int(value[5:]):
            return None
        return m.start("m"), m.end("m"), f"{value[:4]}-{first:02d}"

    def carried_out_in(self, text: str, lo: int, d: tuple[int, int, str], nxt: tuple[int, int, str]) -> bool:
        """Are ``d`` and ``nxt`` the two ends of a range the project is carried out in: words that
        carry it out before the range (models/date_cues.json period_lead), or "couvre la période"
        (period_cover), in a sentence that is not about an earlier phase or a pilot?

        >>> r = ProseRules(models_dir())
        >>> def ends(t, a, b): return (t.index(a), t.index(a) + len(a), a), (t.index(b), t.index(b) + len(b), b)
        >>> cases = [("L’OIM met en œuvre de mars 2021 à février 2023 un projet.", "mars 2021", "février 2023"),
        ...          ("Le programme couvrira la période 2024-2027 dans quatre pays.", "2024", "2027"),
        ...          ("Il fait suite à une première phase, mise en œuvre entre 2018 et 2020.", "2018", "2020"),
        ...          ("Il s’inscrit dans le Plan national, qui couvre la période 2020-2024.", "2020", "2024")]
        >>> cases += [("La collecte auprès des ménages se déroulera d’octobre 2025 à décembre 2025.", "octobre 2025", "décembre 2025"),
        ...           ("Il se déroulera de 2015 à 2018 dans six provinces.", "2015", "2018"),
        ...           ("Mis en œuvre de septembre 2018 à août 2021, il couvrira trois régions.", "septembre 2018", "août 2021")]
        >>> [r.carried_out_in(t, 0, *ends(t, a, b)) for t, a, b in cases]
        [True, True, False, False, False, True, True]
        """
        # the cheap test first: most pairs of a page's dates are no range
        if not opens_range(text, Candidate("date", d[0], d[1], d[2]), Candidate("date", nxt[0], nxt[1], nxt[2])):
            return False
        a, b = sentence_bounds(text, d[0], lo)
        if not (self.period_lead.search(text, max(a, d[0] - 100), d[0]) or self.period_cover.search(text, max(a, d[0] - 40), d[0])):
            return False
        # what is carried out is the project: a sentence that names it, or says "il"/"elle" of it,
        # or "Les activités" (all of them: "Les activités se dérouleront de juillet 2024 à décembre
        # 2026"); not one about an activity of it ("La collecte … se déroulera d'octobre à décembre 2025")
        if not (PRONOUN_SUBJECT.search(text[a:b]) or ACTIVITIES_SUBJECT.match(text, a, b) or
                THIS_FUNDING.search(text, a, b) or
                any("project" in self.lexicon.of(w) for w in re.findall(r"[^\W\d_]+", text[a:b]))):
            return False
        # not an earlier thing's ("La nouvelle phase prolonge un premier programme mis en œuvre de
        # 2019 à 2024")
        return not self.about_earlier(text[a:d[0]])

    def about_earlier(self, words: str, also: str | None = None) -> bool:
        """Do these words speak of a phase before the project (models/budget_cues.json
        earlier_phase), or ``also`` (default: the same words) of an earlier thing, its first
        support or what it made possible (EARLIER_THING)?"""
        return bool(self.earlier_phase.search(words) or EARLIER_THING.search(words if also is None else also))

    def others_periods(self, text: str, dates: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
        """The two ends of every range that a relative clause says another thing covers (models/
        date_cues.json period_other): "le Plan national …, qui couvre la période 2020-2024".

        >>> r = ProseRules(models_dir())
        >>> t = "Le projet s’inscrit dans le Plan national, qui couvre la période 2020-2024."
        >>> d = [(t.index("2020"), t.index("2020") + 4, "2020"), (t.index("2024"), t.index("2024") + 4, "2024")]
        >>> sorted(v for _, _, v in r.others_periods(t, d))
        ['2020', '2024']
        >>> t = "Le projet couvrira la période 2024-2027."
        >>> r.others_periods(t, [(t.index("2024"), t.index("2024") + 4, "2024"), (t.index("2027"), t.index("2027") + 4, "2027")])
        set()
        """
        out = set()
        for d, nxt in zip(dates, dates[1:]):
            if self.period_other.search(text, max(0, d[0] - 60), d[0]) and \
                    opens_range(text, Candidate("date", d[0], d[1], d[2]), Candidate("date", nxt[0], nxt[1], nxt[2])):
                out |= {d, nxt}
        return out

    def another_projects(self, text: str, lo: int, dates: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
        """On a standing page, the dates of a sentence that brings in one project among others
        (models/budget_cues.json standing_page_other_project): that project's, never the page's.

        >>> r = ProseRules(models_dir())
        >>> t = "Nos projets\\nAu Niger, le projet de renforcement des postes, financé par l’UE, se déroule de 2022 à 2025."
        >>> sorted(v for _, _, v in r.another_projects(t, 0, [(t.index("2022"), t.index("2022") + 4, "2022")]))
        ['2022']
        >>> t = "Nos projets\\nEn cours depuis mai 2023, le projet « Vivre ensemble », financé par le Canada, aide les familles."
        >>> sorted(v for _, _, v in r.another_projects(t, 0, [(t.index("mai"), t.index("mai") + 8, "2023-05")]))
        ['2023-05']
        >>> t = "Le programme est financé par les Pays-Bas depuis avril 2021."
        >>> r.another_projects(t, 0, [(t.index("2021"), t.index("2021") + 4, "2021")])
        set()
        """
        out = set()
        for d in dates:
            before = sentence_before(text, lo, d[0], CUE_WINDOW)
            # the project may come after the date in its sentence ("En cours depuis janvier 2023, le
            # projet « Intégrer pour accueillir », financé par …"): the whole sentence is read
            a, b = sentence_bounds(text, d[0], lo)
            # the page's first sentence names the page's own project (GUIDELINE §12's programme page)
            if self.other_project.search(text[max(a, d[0] - len(before)):b]) and not opens_content(text, lo, d[0], before):
                out.add(d)
        return out

    def builds_on(self, text: str, dates: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
        """The dates of what the project builds on, up to 120 characters after "complète",
        "prolonge", "fait suite à", "s'appuie sur" (models/budget_cues.json builds_on): never its
        start or end.

        >>> r = ProseRules(models_dir())
        >>> t = "Le projet fait suite à une phase pilote menée de 2020 à 2022 dans la région."
        >>> sorted(v for _, _, v in r.builds_on(t, [(t.index("2020"), t.index("2020") + 4, "2020")]))
        ['2020']
        >>> t = "Le projet a démarré en 2023. Il prolonge l’aide."
        >>> r.builds_on(t, [(t.index("2023"), t.index("2023") + 4, "2023")])
        set()
        """
        return {d for d in dates if self.builds_on_rx.search(text, max(0, d[0] - 160), d[0])}

    def done_before(self, text: str, dates: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
        """The dates straight after a verb in the pluperfect, in its clause (models/date_cues.json
        pluperfect): what had been done before, never the project's start or end.

        >>> r = ProseRules(models_dir())
        >>> t = "Avant ce projet, l’OIM avait déjà ouvert en 2021 un centre d’accueil."
        >>> sorted(v for _, _, v in r.done_before(t, [(t.index("2021"), t.index("2021") + 4, "2021")]))
        ['2021']
        >>> t = "Le centre, qu’elle avait ouvert, a rouvert en 2024."
        >>> r.done_before(t, [(t.index("2024"), t.index("2024") + 4, "2024")])
        set()
        """
        return {d for d in dates if self.pluperfect_rx.search(text, max(0, d[0] - 90), d[0])}

    def signing_dates(self, text: str, dates: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
        """The dates straight after a verb of signing (models/date_cues.json signed): the
        agreement's, never the project's start or end.

        >>> r = ProseRules(models_dir())
        >>> t = "Le ministère et l'OIM ont signé le 14 octobre 2025 l'accord qui encadre un nouveau projet."
        >>> sorted(v for _, _, v in r.signing_dates(t, [(t.index("14 oct"), t.index(" l'accord"), "2025-10-14")]))
        ['2025-10-14']
        >>> t = "Le projet, dont l'accord a été signé en mars, a démarré le 2 juin 2025."
        >>> r.signing_dates(t, [(t.index("2 juin"), t.index("2 juin") + 11, "2025-06-02")])
        set()
        """
        return {d for d in dates if self.signed_rx.search(text, max(0, d[0] - 80), d[0])}

    def counts_and_earlier_things(self, text: str, dates: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
        """The dates a count is reckoned from, and those of an opening participial phrase whose
        subject is "the first" or "the previous" one (models/date_cues.json count_since_*,
        first_of_another_*): never the project's start or end.

        >>> r = ProseRules(models_dir())
        >>> t = "Le projet a démarré en mars 2024. Depuis début 2016, près de 260 000 personnes sont rentrées."
        >>> sorted(v for _, _, v in r.counts_and_earlier_things(t, [(t.index("mars"), t.index("mars") + 9, "2024-03"), (t.index("2016"), t.index("2016") + 4, "2016")]))
        ['2016']
        >>> t = "Financé en 2022 par la Suède, le premier projet avait formé 300 agents."
        >>> sorted(v for _, _, v in r.counts_and_earlier_things(t, [(t.index("2022"), t.index("2022") + 4, "2022")]))
        ['2022']
        >>> t = "Lancé en avril 2018 pour deux ans, le programme avait bénéficié d'un premier financement."
        >>> r.counts_and_earlier_things(t, [(t.index("avril"), t.index("avril") + 10, "2018-04")])
        set()
        """
        out = set()
        for d in dates:
            a = max(0, d[0] - 80)
            # a window that does not open the text cannot make "^" a sentence's start
            before = ("\x00" if a else "") + text[a:d[0]]
            for opening, after in (self.count_since_rx, self.first_of_another_rx):
                if opening.search(before) and after.match(text[d[1]:d[1] + 160]):
                    out.add(d)
        return out

    def closes(self, text: str, d: tuple[int, int, str]) -> bool:
        """Does a verb of ending stand straight before this date, whoever its subject
        (models/date_cues.json closing_verb)? Then it is no start.

        >>> r = ProseRules(models_dir())
        >>> t = "Le premier projet, financé par la Belgique, s'est achevé en décembre 2017 à Gao."
        >>> r.closes(t, (t.index("décembre"), t.index(" à Gao"), "2017-12"))
        True
        >>> t = "Le projet a démarré en mars 2024."
        >>> r.closes(t, (t.index("mars"), t.index("."), "2024-03"))
        False
        """
        return bool(self.closing_verb_rx.search(text, max(0, d[0] - 70), d[0]))

    def launch(self, text: str, d: tuple[int, int, str], close: bool = False) -> str | None:
        """The words that make this date the project's launch (``close``: its close, models/
        date_cues.json end_close), around it, or None.

        >>> r = ProseRules(models_dir())
        >>> t = "Le ministère et l’OIM ont procédé le 12 février 2018 au lancement officiel du projet « Mobilité »."
        >>> r.launch(t, (t.index("12 f"), t.index(" au "), "2018-02-12"))
        '12 février 2018 au lancement officiel du projet'
        >>> t = "L’OIM a lancé hier, 9 février 2023, un projet de réduction des risques."
        >>> r.launch(t, (t.index("9 f"), t.index(", un"), "2023-02-09"))
        'lancé hier, 9 février 2023, un projet'
        >>> t = "Le plan de réponse lancé le 19 novembre 2020 par les Nations Unies."
        >>> r.launch(t, (t.index("19"), t.index(" par"), "2020-11-19")) is None
        True
        >>> t = "La cérémonie de clôture du projet de soutien à la réintégration s'est tenue le 26 février 2021 à Conakry."
        >>> r.launch(t, (t.index("26"), t.index(" à C"), "2021-02-26"), close=True)
        "La cérémonie de clôture du projet de soutien à la réintégration s'est tenue le 26 février 2021"
        """
        for before, after in self.end_close if close else self.start_launch:
            b = before.search(text, max(0, d[0] - CUE_WINDOW), d[0])
            # the words after reach to the launch verb when who launched stands between ("Le 6
            # février 2024, l’Organisation internationale pour les migrations (OIM) a officiellement
            # lancé dans la région de l’Est un projet")
            a = b and after.match(text[d[1]:d[1] + 200])
            if a:
                return " ".join(text[b.start():d[1] + a.end()].split())
        return None

    PROJECT_NOUN = re.compile(r"\b(?:projet|programme|initiative)s?\b", re.IGNORECASE)

    def of_other_subjects(self, text: str, dates: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
        """The dates a start or end cue gives to a plan, a process, a strategy, a site's works or
        "the first" (``of_another_thing``): that thing's, never the project's start or end, for the
        models either (on the training pages, 381 such dates and none the project's start or end,
        models/date_cues.json cue_other_subject).

        >>> r = ProseRules(models_dir())
        >>> t = "Le projet a démarré en mars 2024. Le chantier du nouveau centre doit s’achever en juin 2025."
        >>> sorted(v for _, _, v in r.of_other_subjects(t, [(t.index("mars"), t.index("mars") + 9, "2024-03"), (t.index("juin"), t.index("juin") + 9, "2025-06")]))
        ['2025-06']
        """
        out = set()
        for d in dates:
            before = text[max(0, d[0] - CUE_WINDOW):d[0]]
            if not self.other_subject_near.search(before):
                continue   # no noun of another thing near: the cues need not be read (speed)
            cue = self.start_cue.search(before) or self.end_cue.search(before)
            if cue and self.of_another_thing(before[:cue.start()]):
                out.add(d)
        return out

    def programme_first_start(self, text: str, d: tuple[int, int, str]) -> bool:
        """Does this date's sentence say the programme has reached a later phase since (models/
        date_cues.json later_phase)? Then the date is the programme's first beginning, not the
        start of the phase the record is about.

        >>> r = ProseRules(models_dir())
        >>> t = "Ouvert en 2016, le programme en est à sa troisième phase. Celle-ci court de 2024 à 2027."
        >>> r.programme_first_start(t, (t.index("2016"), t.index("2016") + 4, "2016"))
        True
        >>> r.programme_first_start(t, (t.index("2024"), t.index("2024") + 4, "2024"))
        False
        >>> t = "Le programme en est à sa deuxième phase : ouverte en mars 2024, celle-ci forme des agents."
        >>> r.programme_first_start(t, (t.index("mars"), t.index("mars") + 9, "2024-03"))
        False
        """
        # its clause: "Le programme en est à sa deuxième phase : ouverte en mars 2024, celle-ci …"
        # dates the phase after the colon
        a = max(text.rfind(c, 0, d[0]) for c in ".;:\n") + 1
        b = min((k for k in (text.find(c, d[1]) for c in ".;:\n") if k >= 0), default=len(text))
        return bool(self.later_phase.search(text, a, b))

    def of_another_thing(self, before_cue: str) -> bool:
        """Is the subject of the cue that ends ``before_cue`` a plan, a process, a strategy, a policy
        or "the first" (models/date_cues.json cue_other_subject), with no project named before it in
        the sentence?

        >>> r = ProseRules(models_dir())
        >>> r.of_another_thing("Le processus avait été ")
        True
        >>> r.of_another_thing("Le gouvernement a inscrit ces arrivées dans son plan « Frontière sûre », ")
        True
        >>> r.of_another_thing("Ce projet, qui s'inscrit dans le plan national, ")
        False
        >>> r.of_another_thing("Le projet ")
        False
        """
        sentence = sentence_before(before_cue, 0, len(before_cue), CUE_WINDOW).rpartition("\n")[2]   # a line is a sentence too
        m = self.cue_other_subject.search(sentence)
        return bool(m) and not self.PROJECT_NOUN.search(sentence, 0, m.start())

    def dates(self, text: str, start: int, dates: list[tuple[int, int, str]]):
        """(start spans, end spans, rule): the dates a range or a cue makes the project's start or end."""
        m = self.range.search(text, start)
        if m:
            inner = [d for d in dates if m.start() <= d[0] < m.end()]
            if len(inner) >= 2:
                return [inner[0]], [inner[-1]], {"start": "rule: a period 'du … au …'", "end": "rule: a period 'du … au …'"}
        for d, nxt in zip(dates, dates[1:]):
            if self.carried_out_in(text, start, d, nxt):
                rule = f"rule: the period the project is carried out in ('{' '.join(text[d[0]:nxt[1]].split())}')"
                return [d], [nxt], {"start": rule, "end": rule}
        starts, ends, why = [], [], {}
        for d in dates:
            before = text[max(0, d[0] - CUE_WINDOW):d[0]]
            if not starts and (cue := self.start_cue.search(before)) and not self.start_not_after.match(text[d[1]:d[1] + 60]) \
                    and not self.of_another_thing(before[:cue.start()]):
                starts.append(d)
                why["start"] = f"rule: start cue '{' '.join(cue.group().split())}'"
            elif not starts and (launch := self.launch(text, d)):
                starts.append(d)
                why["start"] = f"rule: the project's launch ('{launch}')"
            elif not ends and (close := self.launch(text, d, close=True)):
                ends.append(d)
                why["end"] = f"rule: the project's close ('{close}')"
            elif not ends and (cue := self.end_cue.search(before)) and not self.of_another_thing(before[:cue.start()]):
                ends.append(d)
                why["end"] = f"rule: end cue '{' '.join(cue.group().split())}'"
        return starts, ends, why


START_CASES = {"en", "depuis", "le", "dès", "des", "courant", "début", "partir", "-"}
END_CASES = {"en", "le", "au", "fin", "d'ici", "ici", "-"}
UNTIL = ("jusqu", "jusqu'", "jusqu’")


def structural_dates(cands: list[Candidate], text: str) -> tuple[Candidate | None, Candidate | None]:
    """Start and end by the parse: a date that hangs, through "en", "depuis", "le"…, on a word
    that starts something (débuter, lancement, financée depuis, reprendre, mandater), or on one
    that ends it (terminer, clôture, prendre fin), or after "jusqu'"; the two ends of a range
    ("entre mai 2021 et août 2023", "du … au …") attached to the project or its funding."""
    dates = [c for c in cands if c.kind == "date" and not c.rule.get("veto")]
    start = end = None
    for k, c in enumerate(dates):
        f = c.feats
        cases = {key[5:] for key in f if key.startswith("case:")} or {"-"}
        gov = {key[4:] for key in f if key.startswith("gov:")}
        anc = {key[4:] for key in f if key.startswith("anc:")}
        args = {key[7:] for key in f if key.startswith("govarg:")}
        # the word that starts or ends must be about the project, if it says what it is about
        # ("le début de la crise" is not the project's start)
        about_project = "any" not in args or args & {"project", "fund_noun", "fund_verb"}
        if "nominal_time" in gov:
            # "début", "fin", "lancement" as nouns: "le début du projet en mai 2017" is a start,
            # "depuis début 2016" only says early 2016
            about_project = bool(args & {"project", "fund_noun"}) or "govdet:poss" in f
        if start is None and "start_verb" in gov and cases & START_CASES and about_project:
            start = c
        elif end is None and "end_verb" in gov and cases & END_CASES and about_project and anc & {"project", "fund_verb"}:
            end = c
        elif end is None and any(ca.startswith(UNTIL) for ca in cases) and anc & {"project", "fund_verb", "start_verb"}:
            end = c
        if k + 1 < len(dates) and start is None:
            nxt = dates[k + 1]
            if opens_range(text, c, nxt) and anc & {"project", "fund_verb", "fund_noun", "start_verb"}:
                start, end = c, (end or nxt)
    return start, end


DURATION_CASES = {"sur", "pendant", "durant", "en", "de", "d'", "d’", "des", "du"}


def about_something_else(feats: dict) -> bool:
    """Is the clause of this duration about something other than the project, its funding or an
    actor named (by the parse: a subject that is none of these, "Le système … sera opérationnel
    pendant 10 ans", "les travailleurs resteront deux ans")? A duration there is that thing's
    (GUIDELINE.md §8.1 E)."""
    if _hangs_on_project(feats):
        return False   # "… lancent un programme quadriennal", "un processus de deux ans financé par …"
    # the duration is itself the subject: its clause is about it, not about another subject ("Ses
    # vingt-quatre mois courront d'octobre 2025 à …", batch 45, where the parse gives the verb the
    # duration as its subject and no other)
    if feats.get("dep:nsubj") or feats.get("dep:nsubj:pass"):
        return False
    # the clause's subject is a word of duration: the clause is about a schedule ("Son calendrier
    # s'étire sur sept trimestres", "Le calendrier est serré : dix-huit mois", batch 47; on the
    # training pages and batch 47, 5 such durations, all the project's), weighed by the model
    if feats.get("subj:duration_noun"):
        return False
    # no subject: the sentence's root noun, unless it is the duration's own noun ("soit une durée
    # de deux ans et demi", "pour une période de neuf mois")
    root = {k[9:] for k in feats if k.startswith("rootsubj:")}
    if "duration_noun" in root:
        root = set()
    subj = {k[5:] for k in feats if k.startswith("subj:")} or root
    # the project's activities are the project's: "Les activités s'étaleront sur trois ans"
    # the funding's: a duration the parse hangs on a verb of funding or on a sum, or whose clause's
    # subject is a sum ("Quelque 180 000 dollars y sont consacrés, pour douze mois de travail")
    gov = {k[4:] for k in feats if k.startswith("gov:")}
    if gov & {"fund_verb", "sum"}:
        return False
    return "any" in subj and not subj & {"project", "fund_noun", "fund_verb", "proper", "output_weak", "sum"}


def _hangs_on_project(feats: dict) -> bool:
    """The parse hangs the duration directly on a word naming the project ("un projet de deux
    ans", "Ce programme de 250 000 euros sur trois ans")."""
    gov = {k[4:] for k in feats if k.startswith("gov:")}
    cases = {k[5:] for k in feats if k.startswith("case:")}
    # or a relative clause on it has the project as its subject ("Au terme des trente mois que compte
    # le projet")
    return ("project" in gov or "relsubj:project" in feats) and not cases - DURATION_CASES


def attached_duration(cands: list[Candidate]) -> Candidate | None:
    """The first duration hung directly on the project's name: the structural rule's surest case,
    which stands where the duration model finds nothing (decide; the same in
    extract/prose/train.py)."""
    return next((c for c in cands if c.kind == "duration" and not c.rule.get("veto") and _hangs_on_project(c.feats)),
                None)


def structural_duration(cands: list[Candidate]) -> Candidate | None:
    """The project's duration by the parse: a duration that hangs on a word naming the project ("un
    projet de deux ans", "programme de 18 mois"), on "durée"/"période" in a sentence about the
    project ("D'une durée de dix-huit mois, ce projet"), or, through "sur", "pendant", "au cours
    de", on the project, its funding or its sum ("Ce programme de 250 000 euros sur trois ans")."""
    for c in cands:
        if c.kind != "duration" or c.rule.get("veto"):
            continue
        f = c.feats
        gov = {k[4:] for k in f if k.startswith("gov:")}
        anc = {k[4:] for k in f if k.startswith("anc:")}
        cases = {k[5:] for k in f if k.startswith("case:")}
        around = {k.split(":", 1)[1] for k in f if k.startswith(("bc:", "ac:", "sc:", "subj:"))}
        if _hangs_on_project(f):
            return c
        if "duration_noun" in gov and ("project" in around or "project" in anc):
            return c
        if about_something_else(f):
            continue   # "Le système … sera opérationnel pendant 10 ans"
        if (cases & {"sur", "pendant", "durant"} or "cour" in {k[9:] for k in f if k.startswith("gov_stem:")}) \
                and (anc | around) & {"project", "fund_noun", "fund_verb"}:
            return c
    return None


class ProseComponent(DataComponent):
    files = ("date_cues.json", "budget_cues.json", "prose_lexicon.json", "prose_models.json")

    def __init__(self, data_dir: Path, rules_only: bool = False, collect: bool = False):
        self.collect = collect   # training: parse and featurise every candidate, decide by the rules
        self.rules_only = rules_only or collect
        super().__init__(data_dir)

    def load(self):
        self.rules = ProseRules(self.data_dir)
        self.featurizer = Featurizer(self.rules.lexicon)   # one lexicon for the rules and the features
        path = self.data_dir / "prose_models.json"
        cfg = json.loads(path.read_text("utf-8")) if path.exists() else {}
        self.models: dict[str, tuple[LinearModel, bool]] = {}
        self.scorers: dict[str, LinearModel] = {}
        self.use: dict[str, str] = {name: "rules" for name in DECISIONS}
        for name in DECISIONS:
            d = cfg.get(name) or {}
            if self.rules_only:
                continue
            if d.get("use") == "model" and d.get("model"):
                self.models[name] = (LinearModel.from_json(d["model"]), d.get("features") in ("parsed", "structural"))
                self.use[name] = "model or rules" if d.get("combine") == "or" else "model"
            elif d.get("use") in ("parse rules", "parse rules or rules"):
                self.use[name] = d["use"]
            if name not in self.models and (d.get("scorer") or {}).get("model"):
                # the rules decide; a model without the parse scores the candidates for the confidence
                self.scorers[name] = LinearModel.from_json(d["scorer"]["model"])
        # the candidate kinds a model decides or scores, and those it decides with parse features
        self._featured_kinds = {KIND_OF[n] for n in [*self.models, *self.scorers]}
        self._model_kinds = {KIND_OF[n] for n, (_, parsed) in self.models.items() if parsed}

    @property
    def parses(self) -> bool:
        return self.collect or any(p for _, p in self.models.values())

    # -----------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs, batch_size: int = 64):
        """Candidates and features doc by doc; the clauses of a whole batch of docs go through the
        parser together (the parser is far faster on a batch than clause by clause)."""
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            states = [self.prepare(doc) for doc in batch]
            self.parse_clauses(states)
            for doc, state in zip(batch, states):
                self.finish(doc, state)
                yield doc

    def prepare(self, doc: Doc) -> dict:
        text, lo = page_text(doc), doc._.content_start
        kind = doc._.kind
        fields = doc._.fields or []
        names = {f.name for f in fields}
        page = {"kind": kind, "title": doc._.title_span, "first_para_end": _first_para_end(text, doc)}
        prose = {"start_date": None, "end_date": None, "duration_months": None, "evidence": {}, "candidates": {}}
        # sheets take these from their label block; an office's standing page has none of its own
        free = kind in ("news", "other") and not not_one_project(doc)
        cands: list[Candidate] = []

        spans = sorted_span_infos(doc)
        budget_fields = [f for f in fields if f.name == "budget"]
        money = [s for s in spans if s.label in ("MONEY", "BUDGET")
                 and not any(f.start <= s.start < f.end for f in budget_fields)]
        veto = {tuple(v) for v in doc.user_data.get("iom_budget_veto", [])}
        for s in money:
            a, b = s.char_span
            cands.append(Candidate("money", a, b, s.value, {"budget": s.label == "BUDGET", "veto": (a, b) in veto},
                                   sentence_bounds(text, a, lo)))
            # the sum before it restated in another currency ("40 millions de couronnes, soit près
            # de 3,8 millions de dollars"): one sum, decided as one (decide); an offset, not a
            # verdict, so never a feature
            prev = cands[-2] if len(cands) > 1 else None
            if prev is not None and BudgetComponent.converts(text, (a, b), prev.end):
                cands[-1].rule["restates"] = prev.start

        dates_free = free and not any(n in names for n in SETTLED_BY["start"])
        if dates_free:
            dates = [(s.start, s.end, s.value) for s in spans if s.label == "DATE" and s.value]
            # "d'avril à novembre 2013": April is a date of the page too, though not a DATE span
            dates = sorted(dates + [o for d in dates if (o := self.rules.range_opening(text, d))])
            # the dateline's date is the release's, never the project's start or end (GUIDELINE
            # §8.1 F): a candidate still (the others' features compare them with it), but vetoed
            dateline = (doc._.layout_evidence or {}).get("dateline") or (0, 0)
            # so are the dates of a line that dates the page ("Dernière mise à jour : juin 2020")
            page_dates = [dateline] + list((doc._.layout_evidence or {}).get("metadata") or [])
            released = {d for d in dates if any(a <= d[0] < b for a, b in page_dates)}
            # a programme's first beginning, in a clause that says it has reached a later phase
            # since: never the start of the phase the record is about (models/date_cues.json
            # later_phase)
            released |= {d for d in dates if self.rules.programme_first_start(text, d)}
            released |= self.rules.of_other_subjects(text, dates)
            # and another thing's period is not the project's ("…, qui couvre la période 2020-2024")
            released |= self.rules.others_periods(text, dates)
            if kind == "other":
                released |= self.rules.another_projects(text, lo, dates)
            released |= self.rules.builds_on(text, dates)
            released |= self.rules.done_before(text, dates)
            released |= self.rules.signing_dates(text, dates)
            # and a phase numbered below the page's latest is an earlier one (extract/prose/text.py)
            released |= {d for d in dates if earlier_numbered_phase(text, lo, *sentence_bounds(text, d[0], lo))}
            released |= self.rules.counts_and_earlier_things(text, dates)
            starts, ends, why = self.rules.dates(text, lo, [d for d in dates if d not in released])
            if starts:
                _decide(prose, "start_date", starts[0][2], starts[0][0], starts[0][1], why["start"])
            if ends:
                _decide(prose, "end_date", ends[0][2], ends[0][0], ends[0][1], why["end"])
            for d in dates:
                cands.append(Candidate("date", d[0], d[1], d[2], {"start": d in starts, "end": d in ends,
                                                                  "veto": d in released,
                                                                  "closes": self.rules.closes(text, d)},
                                       sentence_bounds(text, d[0], lo)))
                cands[-1].rule["period_words"] = self.period_words(cands[-1], text)

        durations_free = free and not any(n in names for n in SETTLED_BY["duration"])
        if durations_free:
            # a hard-wrapped old release's sentences run across its line breaks
            ruled = self.rules.duration(unwrapped(text, lo), lo, lead_sentence(text, doc))
            if not ruled:
                # the budget's sum, then the time it is spent over ("6,5 millions de francs suisses
                # sur quatre ans", "un nouveau programme de 12 millions d'euros sur trois ans")
                ruled = self.rules.budget_over(unwrapped(text, lo), [s.end for s in money if s.label == "BUDGET"])
            if ruled:
                _decide(prose, "duration_months", ruled[0], ruled[1], ruled[2], "rule: a duration cue tied to the project")
            for a, b, _, months in find_durations(text, lo):
                hit = ruled is not None and a < ruled[2] and ruled[1] < b
                cands.append(Candidate("duration", a, b, months, {"duration": hit, "veto": self.rules.duration_vetoed(text, a, b)},
                                       sentence_bounds(text, a, lo)))

        # features only where a model reads them (training: everywhere)
        featured = [c for c in cands if self.collect or c.kind in self._featured_kinds]
        for c in featured:
            c.feats = self.featurizer.lexical(text, c, page)
        self.featurizer.kind_specific(featured, text)
        wanted = [c for c in cands if self.collect or self._needs_parse(c, text)]
        state = {"cands": cands, "prose": prose, "money": money, "wanted": wanted, "text": text,
                 "featured": featured}
        if wanted:
            starts, ends = _word_offsets(doc)
            ranges = [clause(starts, c) for c in wanted]
            if not self.collect:
                dates = [c for c in cands if c.kind == "date"]
                keep = [k for k, (c, (i, j)) in enumerate(zip(wanted, ranges)) if c.kind != "date" or
                        self._date_parse_read(c, [text[a:b] for a, b in zip(starts[i:j], ends[i:j])], text, dates)]
                wanted, ranges = [wanted[k] for k in keep], [ranges[k] for k in keep]
                state["wanted"] = wanted
            state["words"] = (starts, ends)
            state["ranges"] = ranges
        return state

    def parse_clauses(self, states: list[dict]) -> None:
        requests = [(k, r) for k, st in enumerate(states) if st["wanted"] for r in sorted(set(st["ranges"]))]
        if not requests:
            return
        from ..parse import ClauseParser

        clauses = []
        for k, (i, j) in requests:
            text, (starts, ends) = states[k]["text"], states[k]["words"]
            clauses.append([text[a:b] for a, b in zip(starts[i:j], ends[i:j])])
        docs = ClauseParser.shared().parse(clauses)
        parsed = dict(zip(requests, docs))
        for k, st in enumerate(states):
            sums = tuple((m.start, m.end) for m in st["cands"] if m.kind == "money")   # the page's, once
            for c, r in zip(st["wanted"], st.get("ranges", [])):
                if c.kind == "date" and not c.rule.get("period_words"):
                    continue   # no decision reads such a date's parse (training included): _needs_parse
                offsets = st["words"][0][r[0]:r[1]]
                c.feats.update(self.featurizer.parsed(parsed[(k, r)], offsets, c, sums))

    def finish(self, doc: Doc, state: dict) -> None:
        cands, prose = state["cands"], state["prose"]
        self.featurizer.relative(state["featured"])   # after the parse: its features count
        self.decide(doc, cands, prose, state["money"])
        # how many candidates of each kind the page had: a null's evidence says how many were
        # turned down, and the confidence reads it (iom_confidence page_info)
        for c in cands:
            prose["candidates"][c.kind] = prose["candidates"].get(c.kind, 0) + 1
        doc._.prose = prose
        doc.user_data["iom_candidates"] = [c.as_dict() for c in cands]

    def _needs_parse(self, c: Candidate, text: str) -> bool:
        """Only the clauses whose decision reads the parse; for the dates under the structural
        rules, only those whose sentence has a word that starts or ends something, or a range.
        Never a vetoed candidate: no decision reads it (decide and the structural rules pass over
        it), so its parse would be thrown away."""
        if c.rule.get("veto"):
            return False
        if c.kind == "duration" and (self._duration_parse() or "duration" in self.models):
            return True   # the structural rules, or the model's about_something_else, read its parse
        if not self._parsed(c.kind):
            return False
        if c.kind != "date":
            return True
        # a date's clause is parsed only where its sentence can speak of a period: the structural
        # rules and the date models read the parse of no other (trained the same way:
        # extract/prose/train.py features_of)
        return bool(c.rule.get("period_words"))

    def period_range(self, text: str, lo: int, dates: list[tuple[int, int, str]], budgets: tuple[int, ...] = (),
                     decided: tuple[str, ...] = ()):
        """The first range that is the project's period, or None:
        * a range of years in brackets after the thing it dates, or after "pour/sur la période", in
          a sentence that names the project (a word of the "project" concept of
          models/prose_lexicon.json): "un projet triennal (2020-2022)", "D'une durée de quatre ans
          (2020-2023), cette phase …", "conduiront pour la période 2016-2018 un programme";
        * any range in the sentence that gives the budget (``budgets``: where the page's BUDGET
          sums start): "finance le programme à hauteur de 14,4 milliards de francs CFA, de janvier
          2020 à décembre 2023", "lui a accordé 4,5 millions de livres sterling pour la période
          septembre 2023 – février 2025". On the training pages, 9 of 9 such ranges were the
          project's period; beside a sum that is not the budget, nearly all were an earlier phase's.
          Not in a sentence about an earlier thing (EARLIER_THING: "un premier appui …, mené entre
          2021 et 2022", "… a permis, de 2019 à 2023, de cartographier"), nor a range that ends
          before a start or end already ``decided`` (a later period is the project's).
        A plan's or a framework's period ("qui couvre la période 2020-2024") is neither, nor an
        earlier phase's (models/budget_cues.json earlier_phase).

        >>> c = ProseComponent(models_dir()); c.load()
        >>> t = "La Suède finance un projet triennal (2020-2022) de l'OIM."
        >>> c.period_range(t, 0, [(37, 41, "2020"), (42, 46, "2022")])
        ((37, 41, '2020'), (42, 46, '2022'), "the project's period, a range of years")
        >>> t = "Le BMZ finance le programme à hauteur de 3 millions d’euros, de janvier 2020 à décembre 2023."
        >>> d = [(t.index("janvier"), t.index(" à d"), "2020-01"), (t.index("décembre"), len(t) - 1, "2023-12")]
        >>> c.period_range(t, 0, d, budgets=(t.index("3 m"),))[2]
        "the period of the budget's sentence"
        >>> c.period_range(t, 0, d) is None
        True
        >>> t = "Le pays a adopté son Plan national d’action contre la traite (2016-2018) avec un projet de l’OIM."
        >>> c.period_range(t, 0, [(t.index("2016"), t.index("2016") + 4, "2016"), (t.index("2018"), t.index("2018") + 4, "2018")]) is None
        True
        >>> t = "Le programme s'inscrit dans le Plan national, qui couvre la période 2020-2024."
        >>> c.period_range(t, 0, [(t.index("2020"), t.index("2020") + 4, "2020"), (t.index("2024"), t.index("2024") + 4, "2024")]) is None
        True
        """
        for a, b in zip(dates, dates[1:]):
            ca, cb = Candidate("date", a[0], a[1], a[2]), Candidate("date", b[0], b[1], b[2])
            if not opens_range(text, ca, cb):
                continue
            s, e = sentence_bounds(text, a[0], lo)
            # (another thing's period, "qui couvre la période 2020-2024", is vetoed before: not in dates)
            if any(s <= x < e for x in budgets) and not self.rules.about_earlier(text[s:a[0]], text[s:e]) \
                    and not any(str(v) > str(b[2]) for v in decided) and not ASIDE_CLAUSE.search(text, s, a[0]):
                return a, b, "the period of the budget's sentence"
            if not (re.fullmatch(r"\d{4}", a[2]) and re.fullmatch(r"\d{4}", b[2]) and DASH_BETWEEN.fullmatch(text[a[1]:b[0]])):
                continue
            # the period a phase is named by ("La phase 2025-2027 prend la relève …", "Cet apport
            # ouvre la phase 2025-2027 du programme"): on the training pages 6 of 6 such ranges
            # were the project's period (twenty-eighth session); never a first phase or a pilot
            # (those words cannot stand between the article and "phase")
            if NAMED_PHASE.search(text, max(s, a[0] - 40), a[0]) and not any(str(v) > str(b[2]) for v in decided):
                return a, b, "the period the phase is named by"
            # in brackets after what it dates, or the time of the sentence's action ("pour la période",
            # "sur la période"); not what another thing covers ("qui couvre la période 2020-2024")
            if not re.search(r"(?:\(\s*|\b(?:pour|sur)\s+la\s+période\s+(?:de\s+)?)$", text[max(0, a[0] - 24):a[0]], re.IGNORECASE):
                continue
            # a named plan's period in brackets ("Plan national d’action contre la traite (2016-2018)")
            if self.rules.plan_name.search(text, s, a[0] - 1):
                continue
            # an earlier phase's ("Une première phase (2019-2023), dotée de 5 millions d'euros …, a permis")
            if self.rules.earlier_phase.search(text[s:a[0]]):
                continue
            concepts = {con for w in re.findall(r"[^\W\d_]+", text[s:e]) for con in self.featurizer.concepts(w)}
            if "project" in concepts:
                return a, b, "the project's period, a range of years"
        return None

    def period_words(self, c: Candidate, text: str) -> bool:
        """Has the date's sentence a word that starts or ends something, a range or "jusqu'…"?"""
        a, b = c.sent
        sentence = text[a:b]
        if re.search(r"\bjusqu|\bentre\b|\bdu\b", sentence, re.IGNORECASE):
            return True
        return any(con in ("start_verb", "end_verb", "nominal_time")
                   for w in re.findall(r"[^\W\d_]+", sentence) for con in self.featurizer.concepts(w))

    def _date_parse_read(self, c: Candidate, words: list[str], text: str, dates: list[Candidate]) -> bool:
        """Can the parse of this date's clause (``words``) change what the structural rules
        decide? They read a date's parse only where its governor starts or ends something, where it
        hangs on "jusqu'…", or where it opens a range "entre … et …" / "du … au …" with the next
        date (structural_dates); the governor and the preposition are words of the clause. A date
        for which none of these can hold gets the same decisions parsed or not: its clause is not
        parsed (the parser is most of this component's time). Only when no model reads a date's
        parse features."""
        if "date" in self._model_kinds:
            return True
        for w in words:
            if w.lower().startswith(UNTIL) or any(con in ("start_verb", "end_verb")
                                                  for con in self.featurizer.concepts(w)):
                return True
        k = next(n for n, d in enumerate(dates) if d is c)
        return k + 1 < len(dates) and opens_range(text, c, dates[k + 1])

    @staticmethod
    def _conversions(doc: Doc, spans: list) -> list:
        """A sum restated in another currency right after it ("(183 000 dollars)", ", soit 528 000
        dollars ou 57 millions de roupies") is the same sum: the budget when it is the budget
        (GUIDELINE.md §6), another sum when it is not, whichever decided the first (the model
        decides each sum alone and may split such a pair)."""
        text = page_text(doc)
        out, prev = list(spans), None
        sums = sorted((k for k, s in enumerate(out) if s.label_ in ("MONEY", "BUDGET")), key=lambda k: out[k]._.char_span)
        for k in sums:
            s = out[k]
            if prev is not None and s.label_ != prev.label_ and BudgetComponent.converts(text, s._.char_span, prev._.char_span[1]):
                info = span_infos(doc, [s])[0]
                s = out[k] = as_budget(doc, info, "the budget in another currency (in brackets, 'soit', 'ou')") \
                    if prev.label_ == "BUDGET" else relabel_span(doc, info, "MONEY", "the same sum in another currency as the one before it")
            prev = s
        return out

    def score(self, cands: list[Candidate]) -> None:
        """Where the rules decide, the scorer's probability on each candidate a model would have
        read (``p_<decision>``, as a deciding model writes it): the confidence's evidence of how
        close the candidates came. It decides nothing."""
        for name, scorer in self.scorers.items():
            for c in cands:
                if weighed(name, c):
                    c.rule[f"p_{name}"] = round(scorer.proba(c.feats), 4)

    def _duration_parse(self) -> bool:
        """Do the structural duration rules decide?"""
        return self.use["duration"].startswith("parse rules")

    def _parsed(self, kind: str) -> bool:
        names = {"money": ("budget",), "date": ("start", "end"), "duration": ("duration",)}[kind]
        return any(self.models.get(n, (None, False))[1] or self.use[n].startswith("parse rules") for n in names)

    def decide(self, doc: Doc, cands: list[Candidate], prose: dict, money_spans: list[SpanInfo]) -> None:
        # sums: each on its own
        relabel = {}   # (start, end) of a sum: whether the budget model made it the budget
        if "budget" in self.models:
            model, _ = self.models["budget"]
            for c in cands:
                if c.kind == "money" and not c.rule.get("veto"):
                    p = model.proba(c.feats)
                    c.rule["p_budget"] = round(p, 4)
                    relabel[(c.start, c.end)] = p >= model.threshold or (
                        self.use["budget"] == "model or rules" and bool(c.rule.get("budget")))
            # a sum and its restatement are one sum: the budget when either reading is (the model
            # reads each alone and may split them, "soit près de 3,8 millions de dollars" sure and
            # the 40 millions de couronnes before it not)
            sums = {c.start: (c.start, c.end) for c in cands if c.kind == "money"}
            for c in cands:
                first, second = sums.get(c.rule.get("restates")), (c.start, c.end)
                if c.kind == "money" and first in relabel and second in relabel:
                    relabel[first] = relabel[second] = relabel[first] or relabel[second]
            if relabel:
                probs = {(c.start, c.end): c.rule["p_budget"] for c in cands if "p_budget" in c.rule}
                out = []
                for s in span_infos(doc):
                    want = relabel.get(s.char_span)
                    if want is None or (s.label == "BUDGET") == want:
                        out.append(s.span)
                    elif want:
                        out.append(as_budget(doc, s, f"model: a sum of the running text that is the budget "
                                                     f"(p={probs[s.char_span]:.2f})"))
                    else:
                        out.append(relabel_span(doc, s, "MONEY", "model: not the budget"))
                doc.spans[SPANS_KEY] = self._conversions(doc, out)
        if self.use["start"].startswith("parse rules") or self.use["end"].startswith("parse rules") or self.collect:
            start, end = structural_dates(cands, page_text(doc))
            for c in cands:
                if c.kind == "date":
                    c.rule["parse_start"], c.rule["parse_end"] = c is start, c is end
            for name, field, found in (("start", "start_date", start), ("end", "end_date", end)):
                why = f"parse: the date hangs on a word that {'starts' if name == 'start' else 'ends'} the project"
                if found and self.use[name].startswith("parse rules"):
                    _decide(prose, field, found.value, found.start, found.end, why)
                elif self.use[name] == "parse rules":
                    _decide(prose, field, None)
        if self._duration_parse() or self.collect:
            found = structural_duration(cands)
            attached = attached_duration(cands)
            for c in cands:
                if c.kind == "duration":
                    c.rule["parse_duration"] = c is found
                    c.rule["attached"] = c is attached
            if found and self._duration_parse():
                _decide(prose, "duration_months", found.value, found.start, found.end,
                        "parse: the duration hangs on the project, 'durée' or its sum")
            elif self.use["duration"] == "parse rules":
                _decide(prose, "duration_months", None)
        # dates and durations: the most probable candidate, if probable enough
        before_model = {}
        for name, kind, field in (("start", "date", "start_date"), ("end", "date", "end_date"),
                                  ("duration", "duration", "duration_months")):
            if name not in self.models:
                continue
            model, _ = self.models[name]
            if name != "duration":
                # what the rules decided, should the model's pick be withdrawn (unpaired_range_end,
                # one_date_both_ends)
                before_model[field] = (prose[field], dict(prose["evidence"].get(field) or {}))
            best, best_p = None, 0.0
            for c in cands:
                if not weighed(name, c):
                    continue
                p = model.proba(c.feats)
                c.rule[f"p_{name}"] = round(p, 4)
                if p > best_p:
                    best, best_p = c, p
            if best is not None and best_p >= model.threshold:
                _decide(prose, field, best.value, best.start, best.end, f"model: the most probable {field} (p={best_p:.2f})")
            elif name == "duration" and self.use[name] == "model or rules" and (found := attached_duration(cands)):
                _decide(prose, field, found.value, found.start, found.end, "parse: the duration hangs on the project's name")
            elif self.use[name] != "model or rules":
                _decide(prose, field, None)
        loser = one_date_both_ends(cands, prose)
        if loser:
            value, evidence = before_model[loser]
            _decide(prose, loser, value, evidence.get("start"), evidence.get("end"), evidence.get("rule"))
        if prose["duration_months"] is None and relabel and any(c.kind == "duration" for c in cands):
            # the time a sum the budget model made the budget is spent over, as after a budget the
            # rules found ("Pour 3,8 millions de dollars australiens sur deux ans, le ministère …");
            # decided after the models, never one of their features
            over = self.rules.budget_over(unwrapped(page_text(doc), doc._.content_start),
                                          [e for (_, e), want in relabel.items() if want])
            if over:
                _decide(prose, "duration_months", over[0], over[1], over[2],
                        "rule: the time the budget is spent over, stated right after its sum")
        self.score(cands)
        pair_range(cands, prose, page_text(doc))
        refine_dates(cands, prose, page_text(doc), self.rules)
        # whether a period may replace what the models picked: asked once without it (may it at
        # all?), then with the period found (both ends picked: only a range one of them lies in)
        if not self.rules_only and period_may_replace(prose):
            # decided last, never a feature of the models (as a rule verdict it moved their weights);
            # whatever the training chose for the start, the rules alone included (gated on that
            # choice until the twentieth session, when the start became the rules' and every
            # period of a budget's sentence was lost); `evaluate.py --rules-only` keeps the rules
            # it had before this one
            dates = [(c.start, c.end, c.value) for c in cands if c.kind == "date" and not c.rule.get("veto")]
            # the sentence of the record's budget (its first BUDGET sum, and that sum again in the
            # headline), not of another BUDGET the model marked ("La Nouvelle-Zélande a consacré
            # 1,3 milliard … pour la période 2022-2025" below "un budget total de 6,8 millions")
            marked = [s for s in span_infos(doc) if s.label == "BUDGET"]
            budgets = tuple(s.char_span[0] for s in marked if s.value == marked[0].value)
            decided = tuple(v for v in (prose["start_date"], prose["end_date"]) if v)
            period = self.period_range(page_text(doc), doc._.content_start, dates, budgets, decided)
            if period and period_may_replace(prose, (period[0][0], period[1][1])):
                (a, _, first), (_, b, last), what = period
                rule = f"rule: {what} ('{' '.join(page_text(doc)[a:b].split())}')"
                _decide(prose, "start_date", first, period[0][0], period[0][1], rule)
                _decide(prose, "end_date", last, period[1][0], period[1][1], rule)
        # a range's end the end model took alone, its opener not the start, beside another sum:
        # what the rules decided
        sums = [s for s in span_infos(doc) if s.label in ("MONEY", "BUDGET")]
        budget = next((s.value for s in sums if s.label == "BUDGET"), None)
        other_sums = [s.char_span[0] for s in sums if s.value != budget]
        if "end" in self.models and unpaired_range_end(cands, prose, page_text(doc), other_sums):
            value, evidence = before_model["end_date"]
            _decide(prose, "end_date", value, evidence.get("start"), evidence.get("end"), evidence.get("rule"))


# "la phase 2025-2027", "sa nouvelle phase 2025-2027": the phase named by its period
NAMED_PHASE = re.compile(r"\b(?:la|sa|cette|une)\s+(?:(?:nouvelle|deuxième|seconde|troisième|quatrième|prochaine)\s+)?phase\s+(?:de\s+)?$",
                         re.IGNORECASE)
# a clause set off after the budget that speaks of something else ("…, où la sécheresse de
# 2020-2023 a décimé les troupeaux", "…, lorsque …"): its range is not the budget's period
ASIDE_CLAUSE = re.compile(r",\s*(?:où|lorsque|quand|alors\s+que|depuis\s+que)\b[^,;]*$", re.IGNORECASE)

# a sentence about a thing before the project: its first support, a former phase, what it made possible
EARLIER_THING = re.compile(r"\b(?:premi(?:er|ère|ers|ères)|précédente?s?|ancien(?:ne)?s?)\b|"
                           r"\b(?:a|ont|avait|avaient)\s+(?:notamment\s+)?permis\b", re.IGNORECASE)


def period_may_replace(prose: dict, period: tuple[int, int] | None = None) -> bool:
    """May the project's period (a range of years, ProseComponent.period_range) set the start and
    the end? When at most one of them was decided (both: see below), and that one by a model picking a lone date:
    a period written as one range ("un projet triennal (2020-2022)") says more than a date the
    model found alone ("les premiers chantiers débuteront en septembre 2010"). Never over a rule,
    a label, or a range the model's start opens (pair_range). Out of fold on the training pages,
    letting it replace such a pick found 2 more starts and 2 more ends right and none wrong.

    >>> period_may_replace({"evidence": {}})
    True
    >>> period_may_replace({"evidence": {"start_date": {"rule": "model: the most probable start_date (p=0.72)"}}})
    True
    >>> period_may_replace({"evidence": {"start_date": {"rule": "rule: start cue 'lancé en'"}}})
    False

    Both ends picked by the models may be replaced too, by a ``period`` (its first and last
    character) one of them lies inside ("débuteront en septembre 2010 … un programme quadriennal
    (2010-2013)": the end model took 2013, the start model the lone September 2010): the models
    already read that range as the project's. Without ``period``: whether one may replace them at all.

    >>> both = {"evidence": {"start_date": {"rule": "model: …", "start": 5, "end": 19},
    ...                      "end_date": {"rule": "model: …", "start": 60, "end": 64}}}
    >>> period_may_replace(both), period_may_replace(both, (55, 64)), period_may_replace(both, (80, 89))
    (True, True, False)
    """
    evidence = [prose["evidence"].get(f) or {} for f in ("start_date", "end_date")]
    decided = [e for e in evidence if e.get("rule")]
    if not all(e["rule"].startswith("model") for e in decided):
        return False
    if len(decided) < 2 or period is None:
        return True
    return any(period[0] <= e["start"] < period[1] for e in decided)


def refine_dates(cands: list[Candidate], prose: dict, text: str, rules: ProseRules) -> None:
    """The same start or end stated twice, once more precisely ("prolongé jusqu’en juin 2025" in
    the headline, "jusqu’au 30 juin 2025" in the body): the precise one, when a start or end cue
    of the rules (models/date_cues.json) stands before it too (GUIDELINE §11: the more precise is
    kept). Decided after the models, never their feature.

    >>> rules = ProseRules(models_dir())
    >>> t = "prolongé jusqu’en juin 2025. Il durera jusqu’au 30 juin 2025."
    >>> a = Candidate("date", 18, 27, "2025-06", {"end": True})
    >>> b = Candidate("date", t.index("30 juin"), len(t) - 1, "2025-06-30", {})
    >>> prose = {"end_date": "2025-06", "start_date": None, "evidence": {"end_date": {"start": 18, "end": 27, "rule": "x"}}}
    >>> refine_dates([a, b], prose, t, rules); prose["end_date"]
    '2025-06-30'
    """
    for name, field in (("start", "start_date"), ("end", "end_date")):
        value = prose[field]
        # a month made a day; never a year made a month: a year is often a period's bound, and a
        # month of it in another sentence another thing's ("débuteront en septembre 2010" beside
        # "un programme quadriennal (2010-2013)")
        # a year made a month when the year too was read off a cue ("mettent en œuvre depuis 2017
        # l’Initiative …" then "Depuis le début du projet en mai 2017"): both state the start
        cue = rules.start_cue if name == "start" else rules.end_cue
        chosen = (prose.get("evidence") or {}).get(field) or {}
        # read off a cue whoever decided: the rules by that cue, or a model picking the date a
        # cue stands before (a retrained start model picks "depuis 2019" as the rules did)
        by_cue = chosen.get("rule", "").startswith(f"rule: {name} cue") or any(
            c.kind == "date" and c.start == chosen.get("start") and c.rule.get(name)
            and cue.search(text[max(0, c.start - CUE_WINDOW):c.start]) for c in cands)
        if value is None or not (len(value) == 7 or (len(value) == 4 and by_cue)):
            continue
        finer = [c for c in cands if c.kind == "date" and not c.rule.get("veto") and isinstance(c.value, str)
                 and c.value.startswith(value + "-") and cue.search(text[max(0, c.start - CUE_WINDOW):c.start])]
        if finer:
            c = finer[0]
            _decide(prose, field, c.value, c.start, c.end,
                    f"rule: the same {name} stated more precisely ('{' '.join(text[c.start:c.end].split())}')")


def one_date_both_ends(cands: list[Candidate], prose: dict) -> str | None:
    """The field to give back to the rules when the start model and the end model picked the same
    date: the one whose model is the less sure of it. One date is never both ends of a project
    (in the gold, one page of 1,943 has the same start and end, a year); under the start's
    threshold 0.3 the start model took the end the end model was sure of ("le projet bouclera ses
    activités le 30 juin 2026", p_start 0.40, batch 47). A date the rules make one end is never
    weighed by the other model (``weighed``), so this meets only the models' own picks.

    >>> c = Candidate("date", 10, 22, "2026-06-30"); c.rule.update(p_start=0.40, p_end=0.97)
    >>> ev = {"start": 10, "end": 22, "rule": "model: the most probable"}
    >>> one_date_both_ends([c], {"evidence": {"start_date": ev, "end_date": dict(ev)}})
    'start_date'
    >>> one_date_both_ends([c], {"evidence": {"start_date": ev, "end_date": {"start": 40, "end": 50, "rule": "model: x"}}})
    """
    first, last = prose["evidence"].get("start_date"), prose["evidence"].get("end_date")
    if not first or not last or first.get("start") is None or first.get("start") != last.get("start"):
        return None
    if not all(str(e.get("rule", "")).startswith("model:") for e in (first, last)):
        return None
    c = next((c for c in cands if c.kind == "date" and c.start == first["start"]), None)
    if c is None:
        return None
    return "start_date" if c.rule.get("p_start", 0) < c.rule.get("p_end", 0) else "end_date"


def unpaired_range_end(cands: list[Candidate], prose: dict, text: str, other_sums: list[int]) -> bool:
    """Is the end the end model picked the closing date of a range ("2022-2025", "de mars 2024 à
    juin 2026") whose opening date's value is not the record's start, in a sentence that holds a
    sum other than the record's budget (``other_sums``: their offsets)? That range is the other
    sum's period. A range's two ends go together: on the training pages and batch 45, of the 159
    gold ends that close a range, 158 had the range's opener as the gold start; under the threshold
    0.4 the end model took another sum's period's last year alone ("La Nouvelle-Zélande a consacré
    1,3 milliard … pour la période 2022-2025", p=0.48; tests/test_prose.py). Without the condition
    on the sum it withdrew 2 right ends of the training pages (one in the budget's own sentence,
    "27 millions d'euros pour la période 2023-2027", whose start no model took). Asked once every
    start is decided (the models', a range's, the budget sentence's period), never a feature of the
    models."""
    chosen = prose["evidence"].get("end_date")
    if not chosen or not str(chosen.get("rule", "")).startswith("model:"):
        return False
    dates = [c for c in cands if c.kind == "date"]
    return any(nxt.start == chosen["start"] and c.value != prose["start_date"] and opens_range(text, c, nxt)
               and any(nxt.sent[0] <= k < nxt.sent[1] for k in other_sums)
               for c, nxt in zip(dates, dates[1:]))


def pair_range(cands: list[Candidate], prose: dict, text: str) -> None:
    """A period's two ends go together: when the start decided opens a range ("de 2015 à 2018",
    "(2020-2022)", "de septembre 2018 à août 2021") and no end was decided, the range's other end
    is the end. Out of fold on the training pages, the end of such a range was the commonest miss
    (the start found, the end model's probability short of its threshold): this found 4 more ends
    right and none wrong. Not the other way round (an end decided, its range's opener made the
    start): the end model's picks are the less sure, and that direction added only wrong starts."""
    dates = [c for c in cands if c.kind == "date"]
    chosen = prose["evidence"].get("start_date")
    if chosen is None or prose["end_date"] is not None:
        return
    for c, nxt in zip(dates, dates[1:]):
        if c.start == chosen["start"] and not nxt.rule.get("veto") and opens_range(text, c, nxt):
            period = " ".join(text[c.start:nxt.end].split())
            _decide(prose, "end_date", nxt.value, nxt.start, nxt.end, f"range: the end of the period its start opens ('{period}')")
            return


def _decide(prose: dict, field: str, value, start: int | None = None, end: int | None = None,
            rule: str | None = None) -> None:
    """Set a running-text value and its evidence (offsets into the page text, the rule in words)."""
    prose[field] = value
    if value is None:
        prose["evidence"].pop(field, None)
    else:
        prose["evidence"][field] = {"start": start, "end": end, "rule": rule}


def _word_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end offsets of the page's tokens that are not whitespace (the words a clause is
    parsed from), from the token arrays: a Python string per token cost more than the parse."""
    arr = doc.to_array([IDX, LENGTH, IS_SPACE])
    words = arr[(arr[:, 1] > 0) & (arr[:, 2] == 0)]
    return words[:, 0].tolist(), (words[:, 0] + words[:, 1]).tolist()


# the candidates each running-text decision chooses among
KIND_OF = {"budget": "money", "start": "date", "end": "date", "duration": "duration"}


def weighed(name: str, c: Candidate) -> bool:
    """Does the date or duration decision ``name`` weigh this candidate (its model, or its scorer)?
    Not a vetoed one, not a date the rules make the other end (the start is not the end), not a
    date a verb of ending stands before as a start, not a duration about something else."""
    other = {"start": "end", "end": "start"}.get(name)
    return c.kind == KIND_OF[name] and not c.rule.get("veto") and not (other and c.rule.get(other)) and \
        not (name == "start" and c.rule.get("closes")) and not (c.kind == "duration" and about_something_else(c.feats))


def lead_sentence(text: str, doc: Doc) -> tuple[int, int]:
    """[start, end) of a page's first sentence under its title (a release's lead, dateline
    included): the sentence that says what the release is about."""
    start = doc._.title_span[1] if doc._.title_span else doc._.content_start
    while start < len(text) and text[start].isspace():
        start += 1
    return sentence_bounds(text, start, start)


def _first_para_end(text: str, doc: Doc) -> int:
    start = doc._.title_span[1] if doc._.title_span else doc._.content_start
    k = text.find("\n\n", start + 1)
    return len(text) if k < 0 else k


@Language.factory("iom_prose", default_config={"data_dir": None, "rules_only": False, "collect": False},
                  requires=["doc.spans", "doc._.fields", "doc._.kind", "doc._.title_span"],
                  assigns=["doc.spans", "doc._.prose"])
def make_prose(nlp: Language, name: str, data_dir: str | None, rules_only: bool, collect: bool):
    return ProseComponent(Path(data_dir) if data_dir else models_dir(), rules_only, collect)
