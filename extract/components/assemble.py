"""Deciding components: which sum is the budget, and the record assembled from spans and fields.

``iom_budget`` relabels MONEY spans as BUDGET when they are the project's own budget: the value of
a budget label ("Budget Amount (USD)", "MONTANT DU FINANCEMENT") or a sum whose sentence says so
("Le budget total du projet s’élève à …"); the cues are data (models/budget_cues.json).

``iom_record`` turns doc.spans["iom"] and doc._.fields into ``doc._.record`` (extract.record.Record).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..normalize.dates import duration_months
from ..normalize.text import collapse, fold, opens_content, sentence_before
from ..paths import models_dir
from ..prose.text import earlier_numbered_phase
from ..record import Record, all_fields
from .base import DataComponent, page_text
from .serialize import serialisable
from .entities import SPANS_KEY, SpanInfo, span_infos, sorted_span_infos
from .layout import Field

serialisable(Record)
if not Doc.has_extension("record"):
    Doc.set_extension("record", default=None)


def relabel(doc: Doc, span: Span | SpanInfo, label: str, rule: str | None = None) -> Span:
    """The same tokens, value and characters, another label (and the rule that gave it)."""
    info = span if isinstance(span, SpanInfo) else span_infos(doc, [span])[0]
    b = Span(doc, info.span.start, info.span.end, label=label)
    b._.value, b._.char_span = info.value, info.char_span
    b._.rule = rule if rule is not None else info.rule
    return b


def as_budget(doc: Doc, span: Span | SpanInfo, rule: str | None = None) -> Span:
    return relabel(doc, span, "BUDGET", rule)


class BudgetComponent(DataComponent):
    """Relabel MONEY as BUDGET by rule: the value of a budget label, a sum whose sentence says so, the
    same budget in another currency, the headline restating it. Where a trained model decides the
    sums of running text instead, ``iom_prose`` (after this) relabels them; these rules are then
    one of its features."""

    files = ("budget_cues.json",)

    def load(self):
        cfg = json.loads((self.data_dir / "budget_cues.json").read_text("utf-8"))
        self.window = cfg["window"]
        # each list as one expression: one search of the sentence instead of one per cue
        self.positive = re.compile("|".join(f"(?:{p})" for p in cfg["positive"]), re.IGNORECASE)
        # the earlier-phase pattern stands apart: the period rules of iom_prose read it too
        self.negative = re.compile("|".join(f"(?:{p})" for p in cfg["negative"] + [cfg["earlier_phase"]]), re.IGNORECASE)
        self.approximation = re.compile(cfg["approximation"], re.IGNORECASE)
        self.negative_after = [re.compile(p, re.IGNORECASE) for p in cfg["negative_after"]]
        # not flagged case-insensitive: "Au Niger," opens with a capital, and its place too
        self.other_project = re.compile("|".join(f"(?:{p})" for p in cfg["standing_page_other_project"]))
        self.builds_on = re.compile(cfg["builds_on"], re.IGNORECASE)
        # the sum placed by the sentence's structure (the subject of what the money does, in
        # apposition to the funding, inside a donor's verb and its complement)
        self.subject_opening = re.compile(cfg["subject_opening"], re.IGNORECASE)
        self.subject_verbs = re.compile(cfg["subject_verbs"], re.IGNORECASE)
        self.apposition = re.compile(cfg["apposition"], re.IGNORECASE)
        self.split_object = [(re.compile(c["before"], re.IGNORECASE), re.compile(c["after"], re.IGNORECASE))
                             for c in cfg["split_object"]]
        # a share named after its total ("Sur les 40 millions …, 7,2 millions reviennent à l’OIM"),
        # a sum a donor gave in a relative clause after it ("Les 3,8 millions … que le Royaume-Uni
        # a accordés à ce projet"), what makes a headline's sum no grant ("sollicite")
        self.share_opening = re.compile(cfg["share_opening"], re.IGNORECASE)
        self.relative_giving = re.compile(cfg["relative_giving"], re.IGNORECASE)
        self.headline_veto = re.compile(cfg["headline_veto"], re.IGNORECASE)

    def _rule(self, text: str, lo: int, s: int, budget_fields: list[Field], vetoed: bool,
              clause: tuple[int, int] | None = None) -> str | None:
        """Why the sum starting at ``s`` is the project's budget, in words (None: it is not).
        ``clause``: the characters after the sum that its clause may still hold (its end to the next
        sum that is not the same sum restated, at most the sentence), where its verb is."""
        for f in budget_fields:
            if f.start <= s < f.end:
                return None if f.not_own else f"label: {f.label}"
        if vetoed:
            return None
        before = sentence_before(text, lo, s, self.window)
        # "a alloué près de 2 millions": the cue ends before the approximation
        exact = self.approximation.sub("", before)
        for r in (before,) if exact == before else (before, exact):
            m = self.positive.search(r)
            if m:
                return f"sentence cue: '{' '.join(m.group().split())}'"
        return self._structure(before, text[clause[0]:clause[1]]) if clause else None

    def _structure(self, before: str, after: str) -> str | None:
        """The sum's place in its sentence, whatever the words (models/budget_cues.json
        "_comment_structure"): the subject of what the money does, in apposition to the funding or
        the project, or the object a donor's verb and its complement surround.

        >>> b = BudgetComponent(models_dir())
        >>> b._structure("Katmandou – Les ", " que la Corée vient d’accorder à l’OIM serviront à reconstruire")
        "sentence structure: the sum is the subject of 'serviront'"
        >>> b._structure("Le financement de l’Union européenne, de ", ", constitue la part cambodgienne")
        "sentence structure: the sum in apposition to 'Le financement de l’Union européenne, de'"
        >>> b._structure("La Norvège met ", " à notre disposition pour ce projet")
        "sentence structure: the sum inside 'met … à notre disposition'"
        >>> b._structure("En Afghanistan, ", " seront utilisés pour les retours") is None
        True
        >>> b._structure("Sarajevo – Sur les 40 millions d’euros que l’Union européenne consacre cette année, ", " reviennent à l’OIM")
        "sentence structure: the share named after its total, the subject of 'reviennent à'"
        >>> b._structure("« Avec les ", " que la DDC nous a confiés pour trois ans, nous voulions")
        "sentence structure: the sum opens the sentence, given in 'que la DDC nous a confiés'"
        >>> b._structure("« Le Japon apporte ", " à ce projet parce que")
        "sentence structure: the sum inside 'apporte … à ce projet'"
        >>> b._structure("Avec l’appui de la Suède, qui apporte ", ", l’OIM y travaille") is None
        True
        """
        m = self.apposition.search(before)
        if m:
            return f"sentence structure: the sum in apposition to '{' '.join(m.group().split())}'"
        for split_before, split_after in self.split_object:
            m, n = split_before.search(before), split_after.match(after)
            if m and n:
                return f"sentence structure: the sum inside '{m.group().strip()} … {' '.join(n.group().split())}'"
        # the opening on the sentence's last line (a headline without a full stop may stand above
        # the dateline), or on the whole sentence with its line breaks folded (a hard-wrapped page)
        folded = " ".join(before.split())
        if self.subject_opening.search(before.split("\n")[-1]) or self.subject_opening.search(folded):
            v = self.subject_verbs.search(after)
            # "Les 2 millions de dollars envoyés par la diaspora permettent …": a veto between
            if v and not self.negative.search(after[:v.start()]):
                return f"sentence structure: the sum is the subject of '{' '.join(v.group().split())}'"
            r = self.relative_giving.match(after)
            if r:
                return f"sentence structure: the sum opens the sentence, given in '{' '.join(r.group().split())}'"
        if self.share_opening.search(folded):
            v = self.subject_verbs.search(after)
            if v and not self.negative.search(after[:v.start()]):
                return f"{self.SHARE_REASON}, the subject of '{' '.join(v.group().split())}'"
        return None

    SHARE_REASON = "sentence structure: the share named after its total"

    # a sentence whose subject is the previous sentence's: it opens with a participle or a
    # pronoun, or the pronoun follows the participial phrase holding the sum ("S'élevant à 122
    # millions de dollars, il vise …", "Il s'élève à …", "Celui-ci prévoit …")
    ANAPHORIC_OPENING = re.compile(r"^\s*(?:(?:s['’]\s*)?\w+ant\b|il\b|elle\b|celui-ci\b|celle-ci\b|ce\s+dernier\b|cette\s+dernière\b)",
                                   re.IGNORECASE)

    def _vetoed(self, text: str, lo: int, s: int, e: int, standing: bool = False) -> bool:
        """Never a budget, whatever else says so: an appeal, remittances, a salary or a loan before
        it (in its sentence, or in the sentence before when this one refers back to it); a sum per
        person or month, or handed to many projects or people, after it; on a standing page, a sum
        of a sentence that brings in one project among others; a sum of what the project builds on
        ("fait suite à", "prolonge", "s'appuie sur")."""
        before = sentence_before(text, lo, s, self.window)
        if self.negative.search(before):
            return True
        if standing and self.other_project.search(before) and not opens_content(text, lo, s, before):
            return True
        if self.builds_on.search(before):   # "Ce projet fait suite à un premier don de 750 000 euros"
            return True
        # a sentence about a phase numbered below the page's latest ("Une deuxième phase …, financée
        # par l'Allemagne pour 2,8 millions d'euros" on a page about the third)
        stop = re.search(r"[.!?](?=\s)|\n\s*\n", text[e:e + 400])
        # … whose own clause ends at a turn to another time ("La Confédération suisse lui a alloué
        # 5,5 millions de francs suisses, après en avoir consacré 4 millions à la deuxième phase",
        # batch 59: the phase named after the turn is the other sum's)
        tail = text[e:e + (stop.start() if stop else 400)]
        turn = self.PHASE_TURN.search(tail)
        if earlier_numbered_phase(text, lo, s - len(before), e + (turn.start() if turn else len(tail))):
            return True
        if self.ANAPHORIC_OPENING.match(before):
            a = s - len(before)
            if a > lo and self.negative.search(sentence_before(text, lo, a - 1, self.window)):
                return True
        after = text[e:e + 80]
        return any(n.match(after) for n in self.negative_after)

    PHASE_TURN = re.compile(r",\s*(?:après|avant|contre|alors\s+que|tandis\s+que)\b")

    # "1,6 million de couronnes suédoises (183 000 dollars)", "3 millions de couronnes, soit 528 000
    # dollars ou 57 millions de roupies": the same budget in another currency
    # the time the sum is spent over may come before the bracket: "48 millions de couronnes
    # norvégiennes sur trois ans (environ 4,5 millions de dollars)" (batch 43)
    CONVERSION_BETWEEN = re.compile(r"\s*(?:(?:au\s+total\s+)?(?:sur|pour)\s+[^\s()]+(?:\s+[^\s()]+)?\s+"
                                    r"(?:mois|ans?|années?|semestres?|trimestres?)(?:\s+et\s+demie?)?\s*)?"
                                    r"\(\s*(?:soit|environ|about|approx\.?|~)?\s*")
    CONVERSION_AFTER = re.compile(r"\s*\)")
    CONVERSION_SOIT = re.compile(r"\s*,?\s*(?:soit|ou|or)(?:\s+(?:environ|près\s+de|quelque))?\s+")

    def __call__(self, doc: Doc) -> Doc:
        infos = span_infos(doc)
        text, lo = page_text(doc), doc._.content_start
        budget_fields = _budget_fields(doc)
        # a budget label whose value is not the page's own (several projects' blocks, a range)
        # settles the budget as null: no sum of the page may be it
        settled_null = any(f.not_own for f in budget_fields) or not_one_project(doc)
        standing = doc._.kind == "other"
        vetoed = {id(i): settled_null or self._vetoed(text, lo, i.start, i.end, standing) for i in infos
                  if i.label == "MONEY"}
        # the sums no decision may make budgets (plain data: iom_prose reads it)
        doc.user_data["iom_budget_veto"] = [[i.start, i.end] for i in infos if i.label == "MONEY" and vetoed[id(i)]]
        new: list[SpanInfo] = []
        last_budget_end = None
        ordered = sorted(infos, key=lambda i: i.char_span)
        clauses = self.clauses(text, [i.char_span for i in ordered if i.label in ("MONEY", "BUDGET")])
        for info in ordered:
            rule = self._rule(text, lo, info.start, budget_fields, vetoed[id(info)],
                              clauses.get(info.char_span)) if info.label == "MONEY" else None
            if rule is None and info.label == "MONEY" and self.converts(text, info.char_span, last_budget_end):
                rule = "the budget in another currency (in brackets, 'soit', 'ou')"
            if rule is not None:
                new.append(span_infos(doc, [as_budget(doc, info, rule)])[0])
                last_budget_end = info.end
                if rule.startswith(self.SHARE_REASON):
                    # the total the share is named after is another thing's sum (a donor's
                    # envelope for the country): no model may make it the budget either
                    total = next((i for i in reversed(new[:-1]) if i.label == "MONEY"
                                  and i.end <= info.start and "." not in text[i.end:info.start]), None)
                    if total is not None:
                        doc.user_data["iom_budget_veto"].append([total.start, total.end])
            else:
                new.append(info)
                if info.label == "BUDGET":
                    last_budget_end = info.end
        vetoed_chars = {i.char_span for i in infos if i.label == "MONEY" and vetoed[id(i)]}
        new, shares = self.shares_of_a_total(doc, self.headline_grant(doc, new, vetoed_chars))
        # a share is never the budget, whatever a model makes of it
        doc.user_data["iom_budget_veto"] += [list(c) for c in shares]
        doc.spans[SPANS_KEY] = self.headline_budgets(doc, new)
        return doc

    def headline_grant(self, doc: Doc, spans: list[SpanInfo], vetoed: set) -> list[SpanInfo]:
        """A release whose body names no budget, under a headline that states one sum ("Pérou : 2,5
        millions de francs suisses pour l’emploi des migrants", "Le Japon accorde 3,5 millions de
        dollars à l’OIM pour …"): that sum is the budget (GUIDELINE §29, a grant stated only in the
        headline). Not a sum a veto takes (an appeal, "requis") nor under a headline that asks for
        money ("l’OIM sollicite 38 millions": models/budget_cues.json headline_veto). On the
        training pages, 8 headlines hold a sum the body names no budget beside, all 8 BUDGET (7
        of them already by a cue); the 8 headline sums that are MONEY are appeals and requests
        (twenty-eighth session)."""
        title = doc._.title_span
        if doc._.kind != "news" or not title or any(s.label == "BUDGET" for s in spans):
            return spans
        a, b = title
        heads = [k for k, s in enumerate(spans) if s.label == "MONEY" and a <= s.start < b]
        values = {(spans[k].value["amount"], spans[k].value["currency"]) for k in heads}
        if len(values) != 1 or any(spans[k].char_span in vetoed for k in heads) or \
                self.headline_veto.search(page_text(doc), a, b):
            return spans
        k = heads[0]
        return spans[:k] + span_infos(doc, [as_budget(doc, spans[k], "the headline's grant, the body naming no budget")]) + spans[k + 1:]

    # how far parts may stand from their total, and how close their sum must come to it
    PARTS_REACH, PARTS_TOLERANCE = 500, 0.005

    def shares_of_a_total(self, doc: Doc, spans: list[SpanInfo]) -> tuple[list[SpanInfo], list[tuple[int, int]]]:
        """Two or three sums that add up to a budget near them, in its currency, are its shares
        ("la Belgique, qui y consacre 2,5 millions de dollars, et de la Suède, qui apporte 2
        millions … Ces 4,5 millions de dollars financeront"): MONEY, the total is the budget
        (GUIDELINE §10). Returns the spans and the shares' character offsets (vetoed as budgets)."""
        from itertools import combinations

        out, shares = list(spans), []
        for t in spans:
            if t.label != "BUDGET" or not t.value or not t.value.get("amount"):
                continue
            near = [k for k, s in enumerate(out) if s is not t and s.label in ("MONEY", "BUDGET") and s.value
                    and s.value.get("currency") == t.value["currency"] and 0 < (s.value.get("amount") or 0) < t.value["amount"]
                    and abs(s.start - t.start) <= self.PARTS_REACH]
            for n in (2, 3):
                hit = next((c for c in combinations(near, n)
                            if abs(sum(out[k].value["amount"] for k in c) - t.value["amount"]) <= self.PARTS_TOLERANCE * t.value["amount"]), None)
                if hit:
                    for k in hit:
                        shares.append(out[k].char_span)
                        if out[k].label == "BUDGET":
                            out[k] = span_infos(doc, [relabel(doc, out[k], "MONEY", "a share of the total budget beside it")])[0]
                    break
        return out, shares

    # the end of a sentence, of a paragraph
    CLAUSE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")

    @classmethod
    def clauses(cls, text: str, sums: list[tuple[int, int]], reach: int = 200) -> dict:
        """Each sum's characters [end, stop) where its clause may still go on: up to the next sum
        that is not this one restated ("Les 4,2 millions d’euros, soit quelque 4,6 millions de
        dollars, que … financeront"), the sentence's end, at most ``reach`` characters.

        >>> t = "Les 4 millions d’euros, soit 4,6 millions de dollars, financeront. Puis 3 millions."
        >>> s = [(4, 22), (29, 52), (72, 82)]
        >>> c = BudgetComponent.clauses(t, s); t[slice(*c[(4, 22)])], t[slice(*c[(29, 52)])]
        (', soit 4,6 millions de dollars, financeront', ', financeront')
        """
        out = {}
        for k, (a, e) in enumerate(sums):
            j = k + 1
            while j < len(sums) and (cls.CONVERSION_SOIT.fullmatch(text, sums[j - 1][1], sums[j][0])
                                     or cls.CONVERSION_BETWEEN.fullmatch(text, sums[j - 1][1], sums[j][0])):
                j += 1
            stop = min(sums[j][0] if j < len(sums) else len(text), e + reach)
            m = cls.CLAUSE_END.search(text, e, stop)
            out[(a, e)] = (e, m.start() if m else stop)
        return out

    @staticmethod
    def headline_budgets(doc: Doc, spans: list[SpanInfo]) -> list[Span]:
        """A sum in the headline that the body states as the budget is that budget stated twice
        ("Le CERF mobilise 872 000 USD …" / "… a alloué 872 000 dollars"). Only the headline: in
        the body the same figure can be another grant ("vient compléter un premier don de 1
        million de dollars")."""
        out = [s.span for s in spans]
        title = doc._.title_span
        if not title:
            return out
        a, b = title
        heads = [k for k, s in enumerate(spans) if s.label == "MONEY" and a <= s.start < b]
        if not heads:
            return out
        budgets = {(s.value["amount"], s.value["currency"]) for s in spans if s.label == "BUDGET"}
        for k in heads:
            v = spans[k].value
            if (v["amount"], v["currency"]) in budgets:
                out[k] = as_budget(doc, spans[k], "the headline restates the budget")
        return out

    @classmethod
    def converts(cls, text: str, chars: tuple[int, int], last_budget_end: int | None) -> bool:
        """Is this sum (its characters), in brackets right after a budget, that budget in another currency?"""
        if last_budget_end is None:
            return False
        a, b = chars
        if cls.CONVERSION_SOIT.fullmatch(text, last_budget_end, a):
            return True
        between = cls.CONVERSION_BETWEEN.fullmatch(text, last_budget_end, a)
        return between is not None and cls.CONVERSION_AFTER.match(text, b) is not None


NOT_ONE_PROJECT = "a country office's standing page (its title): about the office, no one project's"


def not_one_project(doc: Doc) -> bool:
    """Is the page a country office's standing page, by its title ("L’OIM au Tchad")? Its running
    text's sums and dates are then no one project's: the budget, dates and duration stay null
    (GUIDELINE §8.1 A, D; on the training pages and batch 7, the three such pages have none)."""
    return bool(((doc._.layout_evidence or {}).get("kind") or {}).get("not_one_project"))


def _budget_fields(doc: Doc) -> list[Field]:
    return [f for f in doc._.fields or [] if f.name == "budget"]


class RecordComponent(DataComponent):
    files = ("layout.json",)

    def load(self):
        cfg = json.loads((self.data_dir / "layout.json").read_text("utf-8"))
        self.status_values = {fold(k): v for k, v in cfg["status_values"].items()}
        self.coverage_values = {fold(k): v for k, v in cfg["coverage_values"].items()}

    def __call__(self, doc: Doc) -> Doc:
        doc._.record = self.assemble(doc)
        return doc

    def assemble(self, doc: Doc) -> Record:
        """The record and, for every value, its evidence: where it is on the page, what decided it
        (``rec.evidence``; the confidences are added by ``iom_confidence``)."""
        text = page_text(doc)
        ext = doc._   # one Underscore object (each doc._ builds one)
        spans = sorted_span_infos(doc)
        fields: list[Field] = ext.fields or []
        by_name: dict[str, Field] = {}
        not_own: dict[str, Field] = {}   # label values that are not the page's (several projects, a range)
        for f in fields:
            (not_own if f.not_own else by_name).setdefault(f.name, f)
        prose = ext.prose or {}
        layout = ext.layout_evidence or {}
        ev: dict = {}

        def proof(value, start=None, end=None, rule="no candidate"):
            return {"value": value, "start": start, "end": end,
                    "text": text[start:end] if start is not None and end is not None else None, "rule": rule}

        def inside(f: Field | None, label: str) -> list[SpanInfo]:
            if f is None:
                return []
            return [s for s in spans if s.label == label and f.start <= s.char_span[0] < f.end]

        def first(name: str, label: str, what: str):
            f = by_name.get(name)
            pool = inside(f, label)
            rule = f"label: {f.label}" if pool and f.label else f"{what} in its layout line" if pool else None
            if not pool:
                pool = [s for s in spans if s.label == label]
                rule = f"{what} in the running text"
            if not pool:
                ev[name] = proof(None, rule=f"no {what} on the page")
                return None
            s = pool[0]
            ev[name] = proof(s.value, *s.char_span, rule=rule)
            return s.value

        def labelled(name: str, value, what: str):
            f = by_name.get(name)
            if value is None:
                ev[name] = proof(None, rule=f"no {what} label" if f is None else f"the {what} label's value is not one we know")
            else:
                ev[name] = proof(value, f.start, f.end, rule=f"label: {f.label}" if f.label else f"{what} in its layout line")
            return value

        def text_value(name: str) -> str | None:
            f = by_name.get(name)
            return collapse(f.value) if f and f.value.strip() else None

        rec = Record(id="", source="")
        rec.kind = ext.kind
        k = layout.get("kind") or {}
        ev["kind"] = proof(rec.kind, k.get("start"), k.get("end"), rule=k.get("rule", "layout"))
        t = layout.get("title") or {}
        if ext.title_span:
            rec.title = collapse(text[slice(*ext.title_span)]) or None
        ev["title"] = proof(rec.title, *(ext.title_span or (None, None)), rule=t.get("rule", "the first content line"))
        rec.project_code = first("project_code", "PROJECT_CODE", "project code")
        rec.prima_id = first("prima_id", "PRIMA_ID", "PRIMA id")

        budgets = [s for s in spans if s.label == "BUDGET"]
        if budgets:
            b = budgets[0]
            rec.budget = dict(b.value)
            ev["budget"] = proof(rec.budget, *b.char_span, rule=b.rule or "the budget")
        else:
            n = sum(s.label == "MONEY" for s in spans)
            ev["budget"] = proof(None, rule=NOT_ONE_PROJECT if n and not_one_project(doc) else
                                 f"none of the {n} sums on the page is the project's budget" if n
                                 else "no sum of money on the page")

        rec.start_date, rec.end_date = self.dates(doc, spans, by_name, inside, ev, proof)
        y = inside(by_name.get("approval_year"), "DATE")
        rec.approval_year = int(y[0].value[:4]) if y and y[0].value else None
        if rec.approval_year is not None:
            ev["approval_year"] = proof(rec.approval_year, *y[0].char_span, rule=f"label: {by_name['approval_year'].label}")
        else:
            ev["approval_year"] = proof(None, rule="no allocation year label")
        rec.duration_months = self.duration(doc, by_name, prose, ev, proof)
        st = text_value("status")
        rec.status = labelled("status", self.status_values.get(fold(st)) if st else None, "status")
        rec.project_type = labelled("project_type", text_value("project_type"), "project type")
        cov = text_value("coverage")
        rec.coverage = labelled("coverage", self.coverage_values.get(fold(cov)) if cov else None, "coverage")
        rec.region = labelled("region", text_value("region"), "region")
        rec.mission = labelled("mission", text_value("mission"), "mission")
        rec.description = self.description(text, doc, fields)

        def codes(name: str) -> list[str]:
            out: list[str] = []
            ev[name] = []
            for f in fields:
                if f.name == name:
                    for s in inside(f, "COUNTRY"):
                        if s.value not in out:
                            out.append(s.value)
                            ev[name].append(proof(s.value, *s.char_span,
                                                  rule=f"label list: {f.label}" if f.label else "country list line"))
            return out

        rec.beneficiary_countries = codes("beneficiary_countries")
        rec.non_eligible_countries = codes("non_eligible_countries")
        ev["countries_mentioned"] = []
        for s in spans:
            if s.label == "COUNTRY" and s.value not in rec.countries_mentioned:
                rec.countries_mentioned.append(s.value)
                ev["countries_mentioned"].append(proof(s.value, *s.char_span, rule="country name, first mention"))
        ev["amounts"], ev["deliverables"] = [], []
        for s in spans:
            a, b = s.char_span
            if s.label in ("MONEY", "BUDGET"):
                rec.amounts.append({**s.value, "text": text[a:b], "start": a, "end": b})
                why = f"sum of money; the budget: {s.rule}" if s.label == "BUDGET" else "sum of money"
                ev["amounts"].append(proof(dict(s.value), a, b, rule=why))
            elif s.label == "DELIVERABLE":
                rec.deliverables.append({"id": s.value, "text": text[a:b], "start": a, "end": b})
                ev["deliverables"].append(proof(s.value, a, b, rule=s.rule or "output"))
            rec.entities.append({"start": a, "end": b, "label": s.label, "text": text[a:b]})
        self.explain_not_own(rec, not_own, ev)
        rec.evidence = {f.name: ev[f.name] for f in _EVIDENCE_FIELDS}
        return rec

    # the record fields a label feeds (models/labels.tsv's second column)
    FED_BY = {"budget": ("budget",), "start_date": ("start_date",), "end_date": ("end_date",),
              "period": ("start_date", "end_date", "duration_months"), "duration": ("duration_months",),
              "region": ("region",), "status": ("status",), "project_type": ("project_type",),
              "coverage": ("coverage",)}

    @classmethod
    def explain_not_own(cls, rec: Record, not_own: dict[str, Field], ev: dict) -> None:
        """A null that a label left null because its value is not the page's own says so, with
        where that label is (a reviewer reads why the block was set aside)."""
        for name, f in not_own.items():
            for field in cls.FED_BY.get(name, ()):
                if getattr(rec, field) is None:
                    e = ev[field]
                    e.update(start=f.start, end=f.end, text=f.value, value=None,
                             rule=f"a label not the project's own: '{f.label}' ({f.not_own})")

    @staticmethod
    def duration(doc: Doc, by_name: dict, prose: dict, ev: dict, proof) -> int | None:
        for name in ("duration", "period"):
            f = by_name.get(name)
            if f is not None and duration_months(f.value):
                months = duration_months(f.value)
                ev["duration_months"] = proof(months, f.start, f.end, rule=f"label: {f.label}")
                return months
        if prose:  # a release or a standing page: what its running text says (iom_prose)
            months = prose.get("duration_months")
            if months is not None:
                e = prose["evidence"]["duration_months"]
                ev["duration_months"] = proof(months, e["start"], e["end"], rule=e["rule"])
                return months
            n = prose.get("candidates", {}).get("duration", 0)
            ev["duration_months"] = proof(None, rule=NOT_ONE_PROJECT if not_one_project(doc) else
                                          f"none of the {n} durations on the page is the project's" if n
                                          else "no duration stated")
            return None
        ev["duration_months"] = proof(None, rule="no duration label")
        return None

    @staticmethod
    def description(text: str, doc: Doc, fields: list[Field]) -> str | None:
        """The first paragraph of prose after the title: the first line of 80+ characters that is
        not a label's value, else the first blank-line-separated block that long (hard-wrapped
        releases)."""
        ext = doc._
        span = ext.title_span
        pos = span[1] if span else ext.content_start
        title = collapse(text[slice(*span)]) if span else None
        block: list[str] = []
        # the fields the lines below can meet (offsets only: this runs over many lines of a sheet)
        reach = [(f.start, f.end) for f in fields if f.end >= pos]
        for line in text[pos:pos + 20000].split("\n"):
            start = pos
            pos += len(line) + 1
            if reach and any(a <= start + len(line) and start <= b for a, b in reach):
                continue  # a label/value line ("MONTANT DU FINANCEMENT:400 000 dollars É.-U. |")
            if len(line.strip()) >= 80 and collapse(line) != title:  # the Development Fund site repeats it
                return collapse(line)[:2000]
            if line.strip():
                block.append(line)
            elif block:
                para = collapse(" ".join(block))
                if len(para) >= 80:
                    return para[:2000]
                block = []
        para = collapse(" ".join(block))
        return para[:2000] if len(para) >= 80 else None

    def dates(self, doc, spans, by_name, inside, ev, proof):
        start = inside(by_name.get("start_date"), "DATE")
        end = inside(by_name.get("end_date"), "DATE")
        if start or end:
            out = []
            for name, found in (("start_date", start), ("end_date", end)):
                if found:
                    ev[name] = proof(found[0].value, *found[0].char_span, rule=f"label: {by_name[name].label}")
                    out.append(found[0].value)
                else:
                    ev[name] = proof(None, rule=f"no {name.replace('_', ' ')} label")
                    out.append(None)
            return tuple(out)
        for name in ("period", "duration"):
            # "Durée : Septembre 2013 – 31 Octobre 2014", "Période d’implementation: Octobre 2017 – Août 2022"
            period = [s for s in inside(by_name.get(name), "DATE") if s.value]
            if len(period) >= 2:
                rule = f"label: {by_name[name].label} (a period)"
                ev["start_date"] = proof(period[0].value, *period[0].char_span, rule=rule)
                ev["end_date"] = proof(period[-1].value, *period[-1].char_span, rule=rule)
                return period[0].value, period[-1].value
        prose = doc._.prose
        if prose:  # "un projet d’un an qui a débuté en avril 2012", "jusqu’en octobre 2017" (iom_prose)
            n = prose.get("candidates", {}).get("date", 0)
            for name in ("start_date", "end_date"):
                e = prose["evidence"].get(name)
                if prose[name] is not None and e:
                    ev[name] = proof(prose[name], e["start"], e["end"], rule=e["rule"])
                else:
                    which = "start" if name == "start_date" else "end"
                    ev[name] = proof(None, rule=NOT_ONE_PROJECT if not_one_project(doc) else
                                     f"none of the {n} dates on the page is stated as the project's {which}"
                                     if n else "no date stated")
            return prose["start_date"], prose["end_date"]
        for name in ("start_date", "end_date"):
            ev[name] = proof(None, rule=f"no {name.replace('_', ' ')} label")
        return None, None


_EVIDENCE_FIELDS = [f for f in all_fields() if f.spec.evidence]


@Language.factory("iom_budget", default_config={"data_dir": None},
                  requires=["doc.spans", "span._.value", "span._.char_span", "doc._.fields", "doc._.title_span"],
                  assigns=["doc.spans"])
def make_budget(nlp: Language, name: str, data_dir: str | None):
    return BudgetComponent(Path(data_dir) if data_dir else models_dir())


@Language.factory("iom_record", default_config={"data_dir": None},
                  requires=["doc.spans", "doc._.fields", "doc._.kind", "doc._.title_span", "doc._.prose"],
                  assigns=["doc._.record"])
def make_record(nlp: Language, name: str, data_dir: str | None):
    return RecordComponent(Path(data_dir) if data_dir else models_dir())
