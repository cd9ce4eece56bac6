"""Entity components: money, dates, countries, codes, deliverables.

Each is a spaCy factory with a config (``data_dir``: where its data files are; default models/),
a class with ``__call__(doc)``, and data files under models/ rather than literals in code. Each
finds mentions in the content (``doc._.content_start`` onwards, set by ``iom_layout``), turns them
into spans on ``doc.spans["iom"]`` with their normal form on ``span._.value``, and leaves the
deciding (which sum is the budget, which date is the start) to ``iom_budget`` / ``iom_record``.

Spans whose characters do not fall on token boundaries are widened to the tokens that hold them
for ``doc.spans``; the record keeps the exact character offsets in ``span._.char_span``.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from pathlib import Path

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..normalize.countries import Gazetteer
from ..normalize.dates import DateReader
from ..normalize.money import MoneyReader
from ..normalize.text import strip_offsets
from ..prose.lists import ListModel
from ..prose.text import CLAUSE_WORD, FUTURE_VERB, Lexicon
from ..paths import models_dir
from .base import DataComponent, page_text

SPANS_KEY = "iom"


def _extension_key(name: str, label: str, start_char: int, end_char: int) -> tuple:
    """Where a labelled span extension keeps its value in doc.user_data."""
    return ("iom._.", name, label, start_char, end_char)


def _labelled_extension(name: str):
    """A Span extension stored per (label, tokens). spaCy keys a span's ._ values by its offsets
    alone, so a COUNTRY and a DELIVERABLE over the same tokens ("CUBA (produit 0)") would share
    one value; here each label keeps its own."""

    def key(span: Span):
        return _extension_key(name, span.label_, span.start_char, span.end_char)

    def getter(span: Span):
        return span.doc.user_data.get(key(span))

    def setter(span: Span, value) -> None:
        span.doc.user_data[key(span)] = value

    if not Span.has_extension(name):
        Span.set_extension(name, getter=getter, setter=setter)


_labelled_extension("value")
_labelled_extension("char_span")
_labelled_extension("rule")   # what found or decided this span, in words (the record's evidence)


class SpanInfo:
    """A span of doc.spans["iom"] with its label, exact characters, value and rule read once: each
    ``span._.value`` builds a spaCy Underscore object and a key (the deciding components read these
    values many times a page)."""

    __slots__ = ("span", "label", "char_span", "start", "end", "value", "rule")

    def __init__(self, span: Span, label: str, char_span: tuple[int, int] | None, value, rule):
        self.span, self.label, self.char_span, self.value, self.rule = span, label, char_span, value, rule
        self.start, self.end = char_span if char_span is not None else (None, None)


def span_infos(doc: Doc, spans=None) -> list[SpanInfo]:
    """The spans (default: doc.spans["iom"]) with their values, in their order; what ``span._.value``,
    ``span._.char_span`` and ``span._.rule`` return, read from where those extensions keep them."""
    get = doc.user_data.get
    out = []
    for span in doc.spans.get(SPANS_KEY, []) if spans is None else spans:
        label, a, b = span.label_, span.start_char, span.end_char
        # the keys of _extension_key, written out: this runs for every span several times a page
        out.append(SpanInfo(span, label, get(("iom._.", "char_span", label, a, b)),
                            get(("iom._.", "value", label, a, b)), get(("iom._.", "rule", label, a, b))))
    return out


def sorted_span_infos(doc: Doc) -> list[SpanInfo]:
    """span_infos in page order (by exact characters: start, then end; ties keep their order)."""
    return sorted(span_infos(doc), key=_by_chars)


def _by_chars(info: SpanInfo) -> tuple[int, int]:
    return info.start, info.end


def _token_index(doc: Doc) -> tuple[list[int], list[int]]:
    """Token start and end offsets, computed once per doc (doc.char_span walks the tokens each call)."""
    idx = doc.user_data.get("iom_tok_index")
    if idx is None:
        arr = doc.to_array([IDX, LENGTH])  # one C-level pass instead of a Python Token per token
        starts = arr[:, 0].tolist()
        ends = (arr[:, 0] + arr[:, 1]).tolist()
        idx = doc.user_data["iom_tok_index"] = (starts, ends)
    return idx


def add_span(doc: Doc, start: int, end: int, label: str, value=None, rule: str | None = None) -> Span | None:
    """Put a span for text[start:end] on doc.spans['iom'] (token-aligned, widened to whole tokens
    when the characters fall inside a token), exact character offsets kept in span._.char_span."""
    starts, ends = _token_index(doc)
    i = bisect_right(starts, start) - 1          # token holding the first character
    j = bisect_left(ends, end)                   # token holding the last character
    if i < 0 or j >= len(ends) or i > j:
        return None
    span = Span(doc, i, j + 1, label=label)
    # what span._.value = …, span._.char_span = … store (the span's characters are its tokens'),
    # without building an Underscore object for each
    data = doc.user_data
    data[_extension_key("value", label, starts[i], ends[j])] = value
    data[_extension_key("char_span", label, starts[i], ends[j])] = (start, end)
    if rule:
        data[_extension_key("rule", label, starts[i], ends[j])] = rule
    if SPANS_KEY not in doc.spans:
        doc.spans[SPANS_KEY] = []
    doc.spans[SPANS_KEY].append(span)
    return span


class MoneyComponent(DataComponent):
    """Sums of money. Runs after the countries: a currency word that names several currencies
    ("francs CFA", "pesos") takes the one of the page's country (models/currency_zones.json)."""

    files = ("currency_codes.tsv", "currencies.tsv", "currency_zones.json")

    def load(self):
        self.reader = MoneyReader.from_tsv(self.data_dir / "currencies.tsv")
        zones = json.loads((self.data_dir / "currency_zones.json").read_text("utf-8"))["zones"]
        self.zones = [(re.compile(z["pattern"], re.IGNORECASE), z["by_country"]) for z in zones]

    RANGE_JOIN = re.compile(r"\s+(?:à|et)\s+")

    def currency(self, doc: Doc, text: str, start: int, end: int, default: str) -> str:
        for pattern, by_country in self.zones:
            if pattern.search(text, start, min(len(text), end + 12)):  # "F CFA BCEAO": the bank settles it
                countries = (s._.value for s in doc.spans.get(SPANS_KEY, []) if s.label_ == "COUNTRY")
                return next((by_country[c] for c in countries if c in by_country), default)
        return default

    def __call__(self, doc: Doc) -> Doc:
        text = page_text(doc)
        taken = []
        currency = None
        settled = {}   # the reader's currency of a sum -> the currency the page settled for it
        mentions = list(self.reader.finditer(text, doc._.content_start))
        for k, m in enumerate(mentions):
            # the first end of a range ("de 15 000 à 19 000 rials") is in the currency the second's
            # words settle
            nxt = mentions[k + 1] if k + 1 < len(mentions) else None
            reach = nxt.end if nxt is not None and self.RANGE_JOIN.fullmatch(text, m.end, nxt.start) else m.end
            # a part of a sum ("…, dont 5 millions") is in the sum's currency, as the page settled it;
            # the reader gives the part the currency of the sum it belongs to, which is not always the
            # sum just before it ("2,6 millions d’euros, soit près de 13 millions de ringgits, … qui en
            # règle 2 millions", batch 59)
            if m.share and (m.currency in settled or currency):
                currency = settled.get(m.currency, currency)
            else:
                currency = self.currency(doc, text, m.start, reach, m.currency)
                if not m.share:
                    settled[m.currency] = currency
            add_span(doc, m.start, m.end, "MONEY", {"amount": m.amount, "currency": currency})
            taken.append((m.start, m.end))
        # a label value with its currency in the label: "Budget Amount (USD)\n100000.00"
        for f in doc._.fields or []:
            if f.kind.startswith("money") and not any(s <= f.start < e for s, e in taken):
                cur = f.kind.split(":", 1)[1] if ":" in f.kind else None
                num = re.match(r"\d[\d.,\u00a0\u202f ]*\d|\d", f.value)
                if cur and num:
                    amount = self.reader.amount(num.group(), None)
                    if amount is not None:
                        add_span(doc, f.start, f.start + num.end(), "MONEY", {"amount": amount, "currency": cur})
        return doc


class DateComponent(DataComponent):
    files = ("dates.tsv", "year_name_words.tsv")

    def load(self):
        self.reader = DateReader.from_tsv(self.data_dir)

    def __call__(self, doc: Doc) -> Doc:
        for d in self.reader.finditer(page_text(doc), doc._.content_start):
            add_span(doc, d.start, d.end, "DATE", d.iso)
        return doc


class CountryComponent(DataComponent):
    files = ("countries.tsv", "country_given_names.tsv", "country_context.json")

    def load(self):
        self.gazetteer = Gazetteer.from_tsv(self.data_dir / "countries.tsv", self.data_dir / "country_given_names.tsv")
        ctx = json.loads((self.data_dir / "country_context.json").read_text("utf-8"))
        # name key -> (default code, other code, cue that selects the other code)
        self.context = {Gazetteer.key(name): (c["default"], c["alternative"], re.compile(c["cues"], re.IGNORECASE))
                        for name, c in ctx.items() if not name.startswith("_")}
        self.context_codes = {default for default, _, _ in self.context.values()}  # which matches to look at

    def __call__(self, doc: Doc) -> Doc:
        text = page_text(doc)
        decided: dict[str, str] = {}
        for m, iso in self.gazetteer.finditer(text, doc._.content_start):
            key = Gazetteer.key(m.group()) if iso in self.context_codes else ""
            if key in self.context:
                if key not in decided:  # one reading per page
                    default, other, cue = self.context[key]
                    decided[key] = other if cue.search(text, doc._.content_start) else default
                iso = decided[key]
            add_span(doc, m.start(), m.end(), "COUNTRY", iso)
        return doc


class CodeComponent(DataComponent):
    files = ("patterns.jsonl",)

    def load(self):
        self.patterns = []
        for line in (self.data_dir / "patterns.jsonl").read_text("utf-8").splitlines():
            if line.strip():
                p = json.loads(line)
                self.patterns.append((p["label"], re.compile(p["pattern"])))

    def __call__(self, doc: Doc) -> Doc:
        seen = set()
        for label, rx in self.patterns:
            for m in rx.finditer(page_text(doc), doc._.content_start):
                if (m.start(), m.end()) not in seen:
                    seen.add((m.start(), m.end()))
                    add_span(doc, m.start(), m.end(), label, m.group())
        return doc


def _sentence_end(text: str, pos: int) -> int:
    """End of the sentence starting before `pos`; on a page cut mid-sentence, the last whole word."""
    m = re.compile(r"[.!?](?=\s|$)|\n").search(text, pos)
    if m:
        return m.start()
    # the crawl cut the page: the last word may be cut too, drop it
    cut = text.rstrip()
    last_space = max(cut.rfind(" "), cut.rfind("\n"))
    return last_space if last_space > pos else len(cut)


def _abbreviation(text: str, dot: int) -> bool:
    """Is the '.' at `dot` part of an abbreviation ("É.-U.", "M.", "p.") rather than a sentence end?"""
    j = dot
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    word = text[j:dot]
    return len(word) <= 1 or "." in word


# a blank line, its line ends LF or CRLF (a page with CRLF line ends reads as with LF:
# tests/test_layout_drift.py)
BLANK_LINE = re.compile(r"\n\r?\n")


def _blank_line(text: str, pos: int) -> int:
    r"""Where the first blank line at or after ``pos`` starts (its first line end), or -1.

    >>> _blank_line("a\n\nb", 0), _blank_line("a\r\n\r\nb", 0), _blank_line("a\nb", 0)
    (1, 2, -1)
    """
    m = BLANK_LINE.search(text, pos)
    return m.start() if m else -1


class DeliverableComponent(DataComponent):
    """Outputs the project will produce: "(produit 1.1)" clauses, numbered lists, "principaux produits",
    and the colon-introduced lists no rule knows the introduction of, decided by a trained model
    (extract/prose/lists.py; not with ``rules_only``)."""

    files = ("deliverables.json", "prose_lexicon.json", "list_model.json")

    def __init__(self, data_dir: Path, rules_only: bool = False):
        self.rules_only = rules_only
        super().__init__(data_dir)

    def load(self):
        cfg = json.loads((self.data_dir / "deliverables.json").read_text("utf-8"))
        flags = re.IGNORECASE
        self.marker = re.compile(cfg["marker"], flags)
        self.introducer = re.compile("(?:" + "|".join(cfg["introducers"]) + ")+", flags)
        self.list_intro = re.compile(cfg["list_intro"], flags)
        self.list_item = re.compile(cfg["list_item"], flags | re.MULTILINE)
        self.item_trailer = re.compile(cfg["item_trailer"], flags)
        self.outputs_sentence = re.compile(cfg["outputs_sentence"], flags)
        self.joiners = re.compile(cfg["outputs_joiners"], flags)
        self.ordinal = re.compile(cfg["ordinal"], flags)
        self.inline_intro = re.compile(cfg["inline_list_intro"], flags)
        # where such a list can start ("… : 1)"): the introducer is looked for only just before
        self.inline_start = re.compile(r":\s*(?=\d{1,2}\))")
        self.inline_item = re.compile(cfg["inline_item"], flags)
        self.ordinals = cfg["ordinals"]
        self.labelled_item = re.compile(cfg["labelled_item"], flags | re.MULTILINE)
        self.enumerations = Enumerations(cfg, Lexicon.load(self.data_dir))
        self.lists = ListModel(None, self.enumerations) if self.rules_only else \
            ListModel.load(self.data_dir, self.enumerations)

    def __call__(self, doc: Doc) -> Doc:
        text, lo = page_text(doc), doc._.content_start
        for start, end, ident, rule in self.find_with_rules(text, lo, doc._.kind):
            add_span(doc, start, end, "DELIVERABLE", ident, rule)
        return doc

    def find_with_rules(self, text: str, lo: int, kind: str = "news") -> list[tuple[int, int, str | None, str]]:
        """The deliverables, each with the form that made it one (the record's evidence)."""
        found: list[tuple[int, int, str | None, str]] = []
        for finder, rule in ((self._marked, "output marker '(produit N)'"), (self._numbered, "numbered list of outputs"),
                             (self._outputs_sentence, "'principaux produits' sentence"),
                             (self._ordinal, "ordinal output ('le premier produit')"),
                             (self._inline, "inline numbered list of outputs"), (self._labelled, "output line 'Produit N :'")):
            for s, e, ident in finder(text, lo):
                found.append((s, e, ident, rule))
        # lists in every other form; where a specific rule above found items, those stay
        for s, e, ident in self.enumerations.find(text, lo):
            if not any(a < e and s < b for a, b, _, _ in found):
                found.append((s, e, ident, "list introduced as the project's outputs"))
        # the lists whose introduction no rule knows: the model's (it leaves every list the rules took)
        for s, e, ident, p in self.lists.find(text, lo, kind, [(a, b) for a, b, _, _ in found]):
            found.append((s, e, ident, f"model: a list of what the project will deliver, introduced by words "
                                       f"no rule knows (p={p:.2f})"))
        seen, out = set(), []
        for item in sorted(found):
            if item[:3] not in seen:
                seen.add(item[:3])
                out.append(item)
        return out

    def find(self, text: str, lo: int) -> list[tuple[int, int, str | None]]:
        return [(s, e, i) for s, e, i, _ in self.find_with_rules(text, lo)]

    def _labelled(self, text: str, lo: int):
        """"Produit 1.1 : Les capacités du gouvernement sont renforcées." on a line of its own."""
        out = []
        for m in self.labelled_item.finditer(text, lo):
            s, e = m.start("text"), m.end("text")
            if e >= len(text.rstrip()) and not text.rstrip().endswith((".", "!", "?", ";")):
                e = _sentence_end(text, s)  # the page stops inside this item: drop the cut word
            s, e = strip_offsets(text, s, e, " ,;")
            if e > s:
                out.append((s, e, m.group("id")))
        return out

    def _inline(self, text: str, lo: int):
        """"grâce aux produits suivants : 1) X ; 2) Y ; 3) Z" on one line: X, Y, Z with ids 1, 2, 3."""
        out = []
        for c in self.inline_start.finditer(text, lo):
            # the window runs past the colon: the introducer's own look-ahead reads "1)"
            m = next((i for i in self.inline_intro.finditer(text, max(lo, c.start() - 80), c.end() + 3)
                      if i.end() == c.end()), None)
            if m is None:
                continue
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end < 0 else line_end
            cut = line_end == len(text) and not text.rstrip().endswith((".", "!", "?"))
            items = list(self.inline_item.finditer(text, m.end(), line_end))
            for k, it in enumerate(items):
                s, e = it.start("text"), it.end("text")
                if cut and e >= len(text.rstrip()):
                    e = _sentence_end(text, s)  # the page stops inside this item: drop the cut word
                if k + 1 == len(items):
                    e = self.enumerations.before_purpose(text, s, e)   # "… ; 3) Z, afin de …"
                s, e = strip_offsets(text, s, e, " ,;")
                if e > s:
                    out.append((s, e, it.group("id")))
        return out

    def _ordinal(self, text: str, lo: int):
        """"Le premier produit concerne X." / "Le second produit est que Y." -> X (1), Y (2)."""
        out = []
        for m in self.ordinal.finditer(text, lo):
            end = _sentence_end(text, m.end())
            s, e = strip_offsets(text, m.end(), end, " ,;")
            if e > s:
                out.append((s, e, self.ordinals[m.group("ord").lower()]))
        return out

    def _clause_start(self, text: str, lo: int, end: int) -> int:
        """Start of the sentence that ends at `end` (after '. ', a line break, or lo)."""
        i = end
        while i > lo:
            ch = text[i - 1]
            if ch == "\n" or (ch in ".!?" and i < len(text) and text[i].isspace() and not _abbreviation(text, i - 1)):
                break
            i -= 1
        return i

    def _trim_start(self, text: str, s: int, e: int) -> int:
        s, _ = strip_offsets(text, s, e, " ,;:.")
        m = self.introducer.match(text, s, e)
        return m.end() if m else s

    def _marked(self, text: str, lo: int):
        out = []
        prev_end = lo
        for m in self.marker.finditer(text, lo):
            end = m.start()
            # walk back no further than the previous marker: linear in the page, whatever it holds
            start = self._clause_start(text, max(lo, prev_end), end)
            start = self._trim_start(text, start, end)
            s, e = strip_offsets(text, start, end, " ,;")
            if e > s:
                out.append((s, e, m.group("id")))
            prev_end = m.end()
        return out

    def _numbered(self, text: str, lo: int):
        out = []
        items = list(self.list_item.finditer(text, lo))
        for k, m in enumerate(items):
            # the list's first item must follow an introducing line ("Concrètement, le projet :")
            first = k == 0 or items[k - 1].end() + 1 < m.start() - 1 and text[items[k - 1].end():m.start()].strip()
            if first:
                prev_line_end = m.start() - 1
                while prev_line_end > lo and text[prev_line_end - 1] == "\n":
                    prev_line_end -= 1   # blank lines between the introducing line and the list
                prev_line_start = text.rfind("\n", lo, prev_line_end) + 1
                if not self.list_intro.search(text[prev_line_start:prev_line_end]):
                    continue
            elif not out or out[-1][3] != k - 1:
                continue
            s, e = m.start("text"), m.end("text")
            if e >= len(text.rstrip()) and not text.endswith("\n") and text.rstrip()[-1:] not in ".!?;":
                e = _sentence_end(text, s)   # the crawl cut the page inside the last item: its last word too
            t = self.item_trailer.search(text, s, e)
            if t and t.start() > s:
                e = t.start()
            s, e = strip_offsets(text, s, e)
            out.append((s, e, m.group("id"), k))
        # the last line of each list: "3. Z, afin de …"
        ks = {k for *_, k in out}
        return [(s, e if k + 1 in ks else self.enumerations.before_purpose(text, s, e), i) for s, e, i, k in out]

    def _outputs_sentence(self, text: str, lo: int):
        out = []
        for m in self.outputs_sentence.finditer(text, lo):
            end = text.find(".", m.end())
            end = len(text) if end < 0 else end
            pos = m.end()
            for j in list(self.joiners.finditer(text, pos, end)) + [None]:
                stop = j.start() if j else end
                s, e = strip_offsets(text, pos, stop, " ,;")
                if e > s:
                    out.append((s, e, None))
                if j:
                    pos = j.end()
        return out


class Enumerations:
    """Lists of deliverables by structure (models/deliverables.json, "_comment_enumerations").

    >>> from extract.paths import models_dir
    >>> en = Enumerations(json.loads((models_dir() / "deliverables.json").read_text("utf-8")), Lexicon.load(models_dir()))
    >>> t = "Le projet consistera à : 1) former 200 agents ; 2) équiper trois postes ; 3) sensibiliser les communautés."
    >>> [(t[s:e], i) for s, e, i in en.find(t, 0)]
    [('former 200 agents', '1'), ('équiper trois postes', '2'), ('sensibiliser les communautés', '3')]
    >>> t = "Il s’articule autour de composantes : évaluation communautaire, appui aux ménages et soutien à l’emploi, afin que tous en profitent."
    >>> [t[s:e] for s, e, _ in en.find(t, 0)]
    ['évaluation communautaire', 'appui aux ménages', 'soutien à l’emploi']
    >>> en.find("Les objectifs du projet sont : réduire la pauvreté, former les agents.", 0)
    []
    """

    # the last items may open on an adverb of order: "… ; enfin, un registre commun" (batch 36)
    THEN = r"(?:(?:et\s+)?(?:enfin|puis|ensuite)\b\s*,?\s*)?"
    SEPARATOR = re.compile(r"\s*(?:;\s*(?:et\s+)?|,\s*(?:et\s+|ainsi\s+qu(?:e\s+|['’]\s*))?|\s+et\s+)" + THEN)
    # a list whose items are separated by semicolons: commas and "et" are inside its items
    SEMICOLON = re.compile(r"\s*;\s*(?:et\s+|ainsi\s+qu(?:e\s+|['’]\s*))?" + THEN)
    # a participle that makes a weak output word ("résultats", "réalisations") name outputs
    EXPECTED = re.compile(r"(?:attendu|escompté|prévu|visé)e?s?$")
    # the list that follows is the thing itself: "les résultats suivants :"
    FOLLOWING = re.compile(r"suivante?s?$")
    # a verb of organisation followed by "autour de": "s'articule", "s'organisera", "se structure"
    ORGANISED = re.compile(r"(?:articul|organis|structur)(?:e|ent|era|eront|ait|aient)$")
    # a verb in the future tense, e.g. whose subject is the project: "s'attachera", "permettra", "servira",
    # and in the plural, "ces fonds permettront de :" (batch 22)
    FUTURE = FUTURE_VERB
    # the near future, "aller" before the list's infinitives: "Le projet va :", "ce financement, l'OIM va :"
    NEAR_FUTURE = re.compile(r"(?:va|vont)$")
    # the first marker of an inline list with no colon before it: "… prévoit i) …", "… a) …", "… 1) …"
    INLINE_FIRST = re.compile(r"(?<=[^\W\d_] )\(?(?:1|a|i)\)\s")
    # IOM's standing work in a country, told in the present ("L'action de l'OIM à Cabo Verde
    # s'organise autour de quatre domaines :", "Les activités de la mission s'articulent autour
    # de :", "L'OIM aide … Son action s'organise autour des axes suivants :"): its areas of work,
    # never a project's outputs (9 of 9 such lists on the training pages; in the future, "l'action
    # de l'OIM s'organisera autour de trois axes :", a project's)
    IOM_WORK = re.compile(r"\b(?:l['’]\s*action|le\s+travail|les\s+activités|les\s+interventions|l['’]\s*intervention)\s+"
                          r"(?:de\s+l['’]\s*(?:OIM|Organisation)|du\s+bureau|de\s+la\s+mission)\b"
                          r"|\b(?:son|leur)\s+(?:action|travail)\b", re.IGNORECASE)
    # a heading line over a list of marked lines ("Résultats attendus" then "- …" lines), a blank
    # line between them or not, the heading a question or not ("Ce qui sera construit", "Qu’y
    # aura-t-il à Nouadhibou quand le projet prendra fin ?", batch 36)
    HEADING = re.compile(r"""
        ^[ \t]*(?![-•*–▪●][ \t]|\(?\d{1,2}[.)]|\(?[a-z][.)][ \t])   # not an item itself
        (?P<h>[^\n:.!?;]{3,80}?[ \t]*\??)          # the heading: one short line, no sentence end but "?"
        [ \t]*\n(?:[ \t]*\n)?                      # its line's end, a blank line or not
        (?=[ \t]*(?:[-•*–]|\(?\d{1,2}[.)]|\(?[a-z][.)])[ \t])   # the first item's marker
    """, re.MULTILINE | re.VERBOSE)

    # what the project, its office or its teams will do or leave, said as "ce que …" with a verb in
    # the future or the conditional: "Ce que le projet apportera :", "… ce que l’OIM ferait de la
    # somme :", "Ce que le poste de Rosso aura de neuf" (a heading). On the training and read pages
    # (1,234; python -m extract.evaluation.scan, forty-first session, batch 53) 9 such clauses, 8
    # over a list of the project's outputs, the ninth a question over no list ("Qu'est-ce que le
    # Fonds … ?"). Not when what follows "ce que" is a beneficiary ("ce que chaque famille
    # recevra :", what each family receives, GUIDELINE §8.1 D)
    WHAT_IT_WILL = re.compile(r"\bce\s+qu(?:e\s+|['’]\s*)(?P<subj>(?:[^\W\d_][\w'’-]*\s+){1,6}?)"
                              r"[^\W\d_]{2,}(?:ra|ront|rait|raient)\b", re.IGNORECASE)

    # a question over the list, in the future or the near future, about the project or its money:
    # "Qu’apportera la troisième phase ?", "À quoi servira l’argent ?", "Qu’y aura-t-il à Nouadhibou
    # quand le projet prendra fin ?", "Que va-t-on bâtir avec l’argent coréen ?" (batch 55). On the
    # training and read pages (1,266; python -m extract.evaluation.scan, forty-second session) five
    # question headings stand over marked lines: the four in the future are over the project's
    # outputs, the fifth ("Quels projets sont éligibles ?") is not in the future
    ASKED_NEAR_FUTURE = re.compile(r"(?:va|vont)(?:-t)?-(?:on|il|elle|ils|elles)$")
    # the clause's subject is "chaque …", each of many ("Chaque commerçante inscrite au projet
    # recevra :"): what each one gets or finds, not what the project makes, unless an output word
    # says so ("chaque maillon … a sa réalisation attendue :"). On the training and read pages
    # (1,266) 57 clauses before a colon open on "chaque", 2 over the project's outputs, both with
    # an output word or no project word; the rules took batch 55's through its "projet" and "recevra".
    # Not each of the places or offices the project equips ("chaque bureau provincial de l'emploi aura
    # reçu :", GUIDELINE §41; "Chaque école rouverte recevra également :", §50): those are outputs.
    # "Pour chaque …" / "À chaque …" opening the clause is the same each ("Pour chaque inscrit, le
    # guichet prévoit :", batch 65; "À chaque foyer retenu, le projet remet :"): on the training and
    # read pages (1,426) 12 clauses hold "pour/à chaque" and a colon, none over an output
    EACH = re.compile(r"\s*(?:[^,:]{0,60},\s*)?(?:(?:pour|à)\s+)?chaque\s+(?!(?:bureau|école|poste|centre|commune|municipalité|"
                      r"hôpital|clinique|dispensaire|district|village|site|service)s?\b)", re.IGNORECASE)
    # a plan that provides for the list ("Le projet prévoit :", "Le schéma d’aménagement adopté avec
    # la commune et le HCR prévoit :", batch 55): on the training and read pages, 2 of 2 such
    # clauses over the project's outputs, whatever their subject
    PROVIDES = re.compile(r"\bprévo(?:it|ient|ira|iront)\s*$", re.IGNORECASE)
    # a place after the output word says where, not what the list holds ("Réalisations prévues dans
    # la province de Gaza", batch 55; 1 such heading on the training and read pages, over outputs):
    # the tail's words from a preposition of place followed by a capital or a place noun
    PLACE = re.compile(r"\b(?:dans|à|au|aux|en)\s+(?:(?:la|le|les|l['’])\s*)?(?:[A-ZÉÈ]|(?:province|région|district|département|commune|ville|zone)s?\b)")

    def __init__(self, cfg: dict, lexicon: "Lexicon"):
        self.lex = lexicon
        self.closed = set(cfg["closed_words"])
        self.determiners = set(cfg["determiners"])
        self.list_end = re.compile(r"\s*,?\s*(?:" + "|".join(map(re.escape, cfg["list_end"])) + r")\b", re.IGNORECASE)
        self.purpose = re.compile(r"\s*,\s*(?:" + "|".join(map(re.escape, cfg["list_end"])) + r")\b|"
                                  + cfg["purpose_infinitive"], re.IGNORECASE)
        self.marker = re.compile(r"(?:^|(?<=\s))" + cfg["item_marker"] + r"\s+")
        self.neutral = set(cfg["list_head_neutral"]) | self.closed
        # words for the project's money that the lexicon's fund_noun leaves out (it would make them
        # evidence of a budget: "un appel de fonds"), here only the subject of what it will do
        self.funding_words = set(cfg.get("funding_words", ()))

    def introduces_outputs(self, intro: str, named: bool = False) -> bool:
        """Does the clause before the colon announce the project's outputs or what it will do? An
        output word ("produits", "composantes") does; a weaker one ("résultats", "activités") or a
        verb of content ("consistera à", "débouchera sur") only with the project named; an
        objective named after it ("Les objectifs du projet sont :") does not. ``named``: the clause's
        pronoun stands for the project (``_pronoun_for_project``)."""
        words = CLAUSE_WORD.findall(intro)
        if self.IOM_WORK.search(intro) and not any(self.FUTURE.search(w.lower()) for w in words):
            return False   # "L'action de l'OIM au Costa Rica s'organise autour des axes suivants :"
        will = self.WHAT_IT_WILL.search(intro)
        if will and not any("beneficiary" in self.lex.of(w) for w in CLAUSE_WORD.findall(will.group("subj"))):
            return True    # "Ce que les équipes de l’OIM installeront avant les premières neiges :"
        concepts = [set(self.lex.of(w)) for w in words]
        if self.EACH.match(intro) and not any(c & {"output_noun", "output_weak"} for c in concepts):
            return False   # "Chaque commerçante inscrite au projet recevra :"
        if intro.rstrip().endswith("?") and \
                any(self.FUTURE.search(w.lower()) or self.ASKED_NEAR_FUTURE.match(w.lower()) for w in words) and \
                any(c & {"project", "fund_noun"} or w.lower() in self.funding_words for w, c in zip(words, concepts)):
            return True    # "Que va-t-on bâtir avec l’argent coréen ?"
        if self.PROVIDES.search(intro):
            return True    # "Le schéma d’aménagement adopté avec la commune et le HCR prévoit :"
        # the project named, or its funding as the clause's subject ("Le financement irlandais
        # couvre :", "Ce don comprend :", batch 24): what the money pays for is what the project does
        named = named or any("project" in c for c in concepts) or (
            len(words) > 1 and words[0].lower() in self.determiners and "fund_noun" in concepts[1])
        weak = -1   # the last weak output word so far
        for k, w in enumerate(words):
            low = w.lower()
            if weak >= 0 and (self.EXPECTED.match(low) or (k == weak + 1 and self.FOLLOWING.match(low))):
                # "résultats attendus", "trois résultats sont attendus", "les résultats suivants"
                concepts[weak].add("output_noun")
            if "output_weak" in concepts[k]:
                weak = k
            # what the project is organised around: "il s'articulera autour de trois axes :",
            # "l'action s'organisera autour de deux volets :" (the noun after it is what the list
            # holds); not an office's work ("les activités de la mission s'organisent autour de :")
            if low == "autour" and k and self.ORGANISED.match(words[k - 1].lower()) and \
                    (named or any(x.lower() in ("il", "elle") for x in words[:k - 1])):
                concepts[k].add("output_noun")
            # the clause ends with what the project or its funding will do: "le programme
            # s'attachera à :", "ce financement permettra de :" (not "les fonds permettront de
            # maintenir l'aide qui comprend :", where the list is what the aid holds)
            if k >= len(words) - 2 and (self.FUTURE.search(low) or self.NEAR_FUTURE.match(low)) and \
                    any(c & {"project", "fund_noun"} or words[j].lower() in self.funding_words
                        for j, c in enumerate(concepts[max(0, k - 3):k], max(0, k - 3))):
                concepts[k].add("do_verb")
                named = True
        # the project named anywhere in the clause: "le projet consistera à :", "les activités
        # prévues dans le cadre du projet sont :"
        last_output = -1
        for k, c in enumerate(concepts):
            if "output_weak" in c and "output_noun" not in self.lex.of(words[k]) and self._complement(words, concepts, k):
                continue   # "les domaines d’action suivants": the list holds areas, not actions
            if "output_noun" in c or (named and c & {"output_weak", "do_verb"}):
                last_output = k
        last_objective = max((k for k, c in enumerate(concepts) if "objective" in c), default=-1)
        strong = any("output_noun" in c for c in concepts)
        if last_output < 0 or (last_output < last_objective and not strong):
            return False   # "Les objectifs du projet sont :", "Le projet vise à :"
        # a noun after it names what the list holds ("le projet comprend deux autres piliers :"): it
        # must be an output word; an objective after a named output is a purpose ("Quatre produits
        # sont prévus pour atteindre cet objectif :")
        tail = [(w, c) for w, c in zip(words[last_output + 1:], concepts[last_output + 1:])
                if w.lower() not in self.neutral and not c & {"project", "do_verb", "objective"}]
        place = self.PLACE.search(intro)
        if place and tail:   # "Réalisations prévues dans la province de Gaza": where, not what
            before_place = set(CLAUSE_WORD.findall(intro[:place.start()]))
            tail = [(w, c) for w, c in tail if w in before_place]
        if "output_noun" in concepts[last_output] and words[last_output].lower() == "autour":
            return True   # whatever it is organised around: "autour de trois axes", "de deux piliers"
        if re.search(r"\b(?:sont|seront)\s+(?:les\s+)?suivante?s\s*$", intro):
            return True   # "Les résultats attendus de cette allocation … sont les suivants :": the subject names the list
        return all("output_noun" in c for _, c in tail)

    def _complement(self, words: list[str], concepts: list[set], k: int) -> bool:
        """Is word ``k`` the complement of the noun before it ("domaines d’action", "zones
        d’intervention")? Then that noun, not the word, names what a list holds."""
        if k < 2 or words[k - 1].lower() not in ("d", "de", "des", "du"):
            return False
        head = words[k - 2].lower()
        return head not in self.neutral and not concepts[k - 2] & {"output_noun", "output_weak", "project", "do_verb"}

    def colons(self, text: str, lo: int):
        """Every colon of the content with what introduces it: (the colon's offset, the offset
        after it, the clause before it, whether the clause's pronoun stands for the project). The
        rules below and the learned list decision (extract/prose/lists.py) read the same ones."""
        for colon in re.finditer(r":[ \t]*(?=\S|\n)", text[lo:]):
            c = lo + colon.start()
            clause = self._clause_before(text, lo, c, r"[.!?]\s")
            yield c, lo + colon.end(), clause, self._pronoun_for_project(text, lo, c - len(clause), clause)

    def headings(self, text: str, lo: int):
        """Every heading line of the content over marked lines, as ``colons`` gives a colon: (the
        heading's end, the offset of its first item, the heading, False)."""
        for h in self.HEADING.finditer(text, lo):
            yield h.end("h"), h.end(), h.group("h"), False

    def find(self, text: str, lo: int) -> list[tuple[int, int, str | None]]:
        out = []
        for _, after, clause, named in self.colons(text, lo):
            if self.introduces_outputs(clause, named):
                out += self._items(text, after)
            elif self._names_project_last(clause):
                # "Concrètement, le programme :" then what it will do, each item a verb in the
                # future ("- ouvrira deux points …", "- formera les gardes-frontières …"; batch 15):
                # the project's outputs, as "le projet :" over numbered lines
                items = self._items(text, after)
                if items and all(self.FUTURE.search((re.match(r"[^\W\d_]+", text[a:b]) or [""])[0].lower())
                                 for a, b, _ in items):
                    out += items
        for m in self.INLINE_FIRST.finditer(text, lo):
            if any(a <= m.start() < b for a, b, _ in out) or text[m.start() - 1] == ":":
                continue
            if self.introduces_outputs(self._clause_before(text, lo, m.start(), r"[.!?:]\s")):
                out += self._items(text, m.start())
        for _, after, clause, _ in self.headings(text, lo):
            if self.introduces_outputs(clause) and not any(a <= after < b for a, b, _ in out):
                out += self._items(text, after)
        return sorted(out)

    def _names_project_last(self, clause: str) -> bool:
        """Does the clause end with the project's noun ("Concrètement, le programme")?"""
        words = re.findall(r"[^\W\d_]+", clause)
        return bool(words) and "project" in self.lex.of(words[-1])

    # the pronoun opens the clause, or follows a phrase of time set off by a comma ("Au cours des 24
    # prochains mois, il permettra de :", batch 22)
    PRONOUN_SUBJECT = re.compile(r"\s*(?:(?:au\s+cours\s+(?:des?|du)|pendant|durant|sur|dès|d['’]ici|en)\b[^,:;.]{1,60},\s*)?(?:il|elle)\s",
                                 re.IGNORECASE)

    def _pronoun_for_project(self, text: str, lo: int, start: int, clause: str) -> bool:
        """Does the clause open with a subject pronoun whose sentence before names the project?
        ("… le projet durera douze mois. Il permettra de : 1. construire …"): the pronoun stands
        for the project, as if the clause named it."""
        if not self.PRONOUN_SUBJECT.match(clause) or start <= lo:
            return False
        # the sentence before, across a blank line ("… le projet débutera en novembre 2021.\n\nAu
        # cours des 24 prochains mois, il permettra de :")
        end = len(text[:start].rstrip())
        before = self._clause_before(text, lo, max(lo, min(start - 1, end)), r"[.!?]\s")
        return any("project" in self.lex.of(w) for w in re.findall(r"[^\W\d_]+", before))

    @staticmethod
    def _clause_before(text: str, lo: int, pos: int, stops: str) -> str:
        """What introduces a list at pos: back to the line's start, at most 200 characters, after the
        last sentence end (``stops``).

        >>> t = "Prévu sur 18 mois. Il prendra fin en 2026. Concrètement, le projet consistera à : 1) …"
        >>> Enumerations._clause_before(t, 0, t.index(":"), r"[.!?]\\s")
        'Concrètement, le projet consistera à '
        """
        start = max(lo, text.rfind("\n", lo, pos) + 1, pos - 200)
        # a hard-wrapped paragraph (old releases cut at ~50 characters): a line that opens on a small
        # letter goes on the sentence of the line above, unless that line ends a sentence, a list
        # item or a clause ("Le don néerlandais paiera les trois maillons du\nretour : 1) …",
        # batch 57)
        while start > lo and start > pos - 200 and text[start - 1] == "\n" and text[start:start + 1].islower():
            above = text.rfind("\n", lo, start - 1) + 1
            line = text[max(lo, above):start - 1].rstrip()
            if not line or line[-1] in ".!?:;" or re.match(r"\s*(?:[-•*–▪●]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s", line):
                break
            start = max(lo, above, pos - 200)
        # after the last sentence end (each match's offset is into the slice, not from the last one:
        # adding them up overshot the colon as soon as two sentences ended in the window)
        ends = [m.end() for m in re.finditer(stops, text[start:pos])]
        return text[start + ends[-1]:pos] if ends else text[start:pos]

    def _items(self, text: str, pos: int) -> list[tuple[int, int, str | None]]:
        n = len(text)
        rest_end = _blank_line(text, pos)
        rest_end = n if rest_end < 0 else rest_end
        first = self.marker.match(text, pos + (len(text[pos:]) - len(text[pos:].lstrip())))
        if first:
            # marked lines may stand a blank line below their colon, and apart from each other, as
            # pages whose paragraphs are all set apart have them ("Ce financement permettra de :",
            # blank, "- fournir …", blank, "- réhabiliter …"): the list runs from its first marker
            # to the first blank line that no marked line follows
            rest_end = first.start()
            while True:
                rest_end = _blank_line(text, rest_end)
                if rest_end < 0:
                    rest_end = n
                    break
                nxt = rest_end + (len(text[rest_end:]) - len(text[rest_end:].lstrip()))
                mark = self.marker.match(text, nxt)
                if not mark or self._mark_kind(mark) != self._mark_kind(first):
                    break
                rest_end = nxt
            return self._marked_items(text, first.start(), rest_end)
        # a comma list: to the end of the sentence (a page cut mid-item: to its last whole word)
        end_m = re.search(r"[.!?](?=\s|$)", text[pos:rest_end])
        end = pos + end_m.start() if end_m else _sentence_end(text, pos) if rest_end == n else rest_end
        stop = self.list_end.search(text, pos, end)
        if stop:
            end = stop.start()
        body_start = pos + (len(text[pos:end]) - len(text[pos:end].lstrip()))
        first_word = re.match(r"[^\W\d_]+", text[body_start:end])
        if not first_word or first_word.group().lower() in self.closed - self.determiners:
            return []
        det = first_word.group().lower() in self.determiners
        cuts = [body_start]
        # two semicolons or more: they separate the items (one may only group a comma list's items)
        separator = self.SEMICOLON if text.count(";", body_start, end) >= 2 else self.SEPARATOR
        for sep in separator.finditer(text, body_start, end):
            nxt = re.match(r"[^\W\d_]+", text[sep.end():end])
            if not nxt:
                continue
            w = nxt.group().lower()
            # "de"/"d’" after "et" goes on the noun before it ("deux centres d’accueil et
            # d’orientation", batch 24), it opens no item
            # semicolons that separate the items cut before any item, whatever it opens on ("un
            # système … ; deux guichets … ; et un programme …", batch 47: a number is no determiner)
            if separator is self.SEMICOLON and w not in ("d", "de") and nxt.group()[0].islower() or (
                    (w in self.determiners and w not in ("d", "de")) if det else (w not in self.closed and nxt.group()[0].islower())):
                cuts += [sep.start(), sep.end()]
        cuts.append(end)
        items = []
        for a, b in zip(cuts[0::2], cuts[1::2]):
            a, b = strip_offsets(text, a, b, " ,;")
            if b > a:
                items.append((a, b, None))
        return items if len(items) >= 2 else []

    def before_purpose(self, text: str, s: int, e: int) -> int:
        """Where the last item of a list (``text[s:e]``) ends: before a purpose clause that follows
        it, which is the whole list's, not the item's (GUIDELINE §8.1 G: ", afin que …").

        >>> d = Enumerations(json.loads((models_dir() / "deliverables.json").read_text("utf-8")), None)
        >>> t = "un système d’alerte, afin d’anticiper les crises"
        >>> t[:d.before_purpose(t, 0, len(t))]
        'un système d’alerte'
        >>> t = "la remise en état de six points d’eau pastoraux, pour éloigner les troupeaux des champs"
        >>> t[:d.before_purpose(t, 0, len(t))]
        'la remise en état de six points d’eau pastoraux'
        >>> t = "un contrat type remis à chaque travailleur avant son départ, pour septembre 2026"
        >>> t[:d.before_purpose(t, 0, len(t))] == t
        True
        """
        stop = self.purpose.search(text, s, e)
        return stop.start() if stop else e

    def _marked_items(self, text: str, pos: int, end: int) -> list[tuple[int, int, str | None]]:
        end = self._lines_end(text, pos, end)
        marks = []
        for m in self.marker.finditer(text, pos, end):
            if marks and m.group("bul") and not marks[0].group("bul"):
                continue   # a dash inside a numbered item is punctuation
            marks.append(m)
        if len(marks) < 2:
            return []
        kinds = {self._mark_kind(m) for m in marks}
        if len(kinds) > 1:   # a list is marked one way: the first item's
            marks = [m for m in marks if self._mark_kind(m) == self._mark_kind(marks[0])]
        if len(marks) < 2:
            return []
        items = []
        for k, m in enumerate(marks):
            b = marks[k + 1].start() if k + 1 < len(marks) else end
            if k + 1 == len(marks):
                # the last item ends with its sentence or its line; a line that goes on with a small
                # letter is the same sentence wrapped ("c) un⏎accompagnement social des familles",
                # the hard-wrapped releases of batch 51)
                e_m = re.search(r"[.!?](?=\s|$)|\n(?![ \t]*[a-zà-ÿœæ])", text[m.end():b])
                b = m.end() + e_m.start() if e_m else (_sentence_end(text, m.end()) if b == len(text) else b)
            if k + 1 == len(marks):
                b = self.before_purpose(text, m.end(), b)   # "… c) Z, afin que …"
            a, bb = strip_offsets(text, m.end(), b, " ,;.")
            bb = self._trim_trailer(text, a, bb)
            ident = m.group("num") or m.group("num2") or m.group("let") or m.group("rom") or m.group("cap")
            if bb > a:
                items.append((a, bb, ident))
        return items

    def _lines_end(self, text: str, pos: int, end: int) -> int:
        """A list of marked lines ends at the first line that neither opens with a marker nor goes
        on with a small letter (a heading, a paragraph: "Assistance fournie" under "Résultats
        attendus"), though no blank line comes before it: otherwise the last item would run over
        the sections below it, and a later list ("Chiffres clés" lines) would join it.

        >>> d = Enumerations(json.loads((models_dir() / "deliverables.json").read_text("utf-8")), None)
        >>> t = "- Un centre est ouvert.\\n- Des agents sont formés.\\nPartenaires\\n- 200 migrants aidés"
        >>> t[:d._lines_end(t, 0, len(t))]
        '- Un centre est ouvert.\\n- Des agents sont formés.'
        """
        if pos and text[pos - 1] != "\n":
            return end   # an inline list ("… : 1) …, 2) …")
        at = text.find("\n", pos, end)
        while 0 <= at < end:
            line_start = at + 1
            body = text[line_start:end].lstrip(" \t")
            if body[:1].isupper() and not self.marker.match(text, line_start + len(text[line_start:end]) - len(body)):
                return at
            at = text.find("\n", line_start, end)
        return end

    @staticmethod
    def _mark_kind(m: re.Match) -> str:
        """Numbers ("1.", "2)", "Résultat 3 –"), letters ("a)", "B."), roman numerals ("ii)"), bullets."""
        return ("num" if m.group("num") or m.group("num2") else "let" if m.group("let") or m.group("cap")
                else "rom" if m.group("rom") else "bul")

    @staticmethod
    def _trim_trailer(text: str, a: int, b: int) -> int:
        tail = re.search(r"(?:\s*[;,.]\s*(?:et|and)?\s*,?\s*(?:enfin)?\s*,?|\s+(?:et|and)(?:\s+enfin)?\s*,?)+$", text[a:b])
        return a + tail.start() if tail and tail.start() > 0 else b


# what the entity components read and write (spaCy's analyze_pipes shows the order it implies)
_REQUIRES = ["doc._.content_start"]
_ASSIGNS = ["doc.spans", "span._.value", "span._.char_span"]


def _factory(name: str, cls, requires=(), assigns=()):
    @Language.factory(name, default_config={"data_dir": None}, requires=[*_REQUIRES, *requires],
                      assigns=[*_ASSIGNS, *assigns])
    def make(nlp: Language, name: str, data_dir: str | None):
        return cls(Path(data_dir) if data_dir else models_dir())

    return make


# the countries come before the money: a "pesos" or "francs CFA" sum takes the page's country's currency
make_countries = _factory("iom_countries", CountryComponent)
make_money = _factory("iom_money", MoneyComponent)
make_dates = _factory("iom_dates", DateComponent)
make_codes = _factory("iom_codes", CodeComponent)


# the deliverables' factory also says whether the learned list decision runs (not with --rules-only,
# nor while the running-text models are trained)
@Language.factory("iom_deliverables", default_config={"data_dir": None, "rules_only": False},
                  requires=[*_REQUIRES, "doc._.kind"], assigns=_ASSIGNS)
def make_deliverables(nlp: Language, name: str, data_dir: str | None, rules_only: bool):
    return DeliverableComponent(Path(data_dir) if data_dir else models_dir(), rules_only)
