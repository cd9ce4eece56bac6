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
from ..paths import models_dir
from .base import DataComponent, page_text

SPANS_KEY = "iom"


def _labelled_extension(name: str):
    """A Span extension stored per (label, tokens). spaCy keys a span's ._ values by its offsets
    alone, so a COUNTRY and a DELIVERABLE over the same tokens ("CUBA (produit 0)") would share
    one value; here each label keeps its own."""

    def key(span: Span):
        return ("iom._.", name, span.label_, span.start_char, span.end_char)

    def getter(span: Span):
        return span.doc.user_data.get(key(span))

    def setter(span: Span, value) -> None:
        span.doc.user_data[key(span)] = value

    if not Span.has_extension(name):
        Span.set_extension(name, getter=getter, setter=setter)


_labelled_extension("value")
_labelled_extension("char_span")


def _token_index(doc: Doc) -> tuple[list[int], list[int]]:
    """Token start and end offsets, computed once per doc (doc.char_span walks the tokens each call)."""
    idx = doc.user_data.get("iom_tok_index")
    if idx is None:
        arr = doc.to_array([IDX, LENGTH])  # one C-level pass instead of a Python Token per token
        starts = arr[:, 0].tolist()
        ends = (arr[:, 0] + arr[:, 1]).tolist()
        idx = doc.user_data["iom_tok_index"] = (starts, ends)
    return idx


def add_span(doc: Doc, start: int, end: int, label: str, value=None) -> Span | None:
    """Put a span for text[start:end] on doc.spans['iom'] (token-aligned, widened to whole tokens
    when the characters fall inside a token), exact character offsets kept in span._.char_span."""
    starts, ends = _token_index(doc)
    i = bisect_right(starts, start) - 1          # token holding the first character
    j = bisect_left(ends, end)                   # token holding the last character
    if i < 0 or j >= len(ends) or i > j:
        return None
    span = Span(doc, i, j + 1, label=label)
    span._.value = value
    span._.char_span = (start, end)
    doc.spans.setdefault(SPANS_KEY, [])
    group = doc.spans[SPANS_KEY]
    group.append(span)
    return span


class MoneyComponent(DataComponent):
    """Sums of money. Runs after the countries: a currency word that names several currencies
    ("francs CFA", "pesos") takes the one of the page's country (models/currency_zones.json)."""

    files = ("currency_codes.tsv", "currencies.tsv", "currency_zones.json")

    def load(self):
        self.reader = MoneyReader.from_tsv(self.data_dir / "currencies.tsv")
        zones = json.loads((self.data_dir / "currency_zones.json").read_text("utf-8"))["zones"]
        self.zones = [(re.compile(z["pattern"], re.IGNORECASE), z["by_country"]) for z in zones]

    def currency(self, doc: Doc, text: str, start: int, end: int, default: str) -> str:
        for pattern, by_country in self.zones:
            if pattern.search(text, start, min(len(text), end + 12)):  # "F CFA BCEAO": the bank settles it
                countries = (s._.value for s in doc.spans.get(SPANS_KEY, []) if s.label_ == "COUNTRY")
                return next((by_country[c] for c in countries if c in by_country), default)
        return default

    def __call__(self, doc: Doc) -> Doc:
        text = page_text(doc)
        taken = []
        for m in self.reader.finditer(text, doc._.content_start):
            currency = self.currency(doc, text, m.start, m.end, m.currency)
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


class DeliverableComponent(DataComponent):
    """Outputs the project will produce: "(produit 1.1)" clauses, numbered lists, "principaux produits"."""

    files = ("deliverables.json",)

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

    def __call__(self, doc: Doc) -> Doc:
        text, lo = page_text(doc), doc._.content_start
        for start, end, ident in self.find(text, lo):
            add_span(doc, start, end, "DELIVERABLE", ident)
        return doc

    def find(self, text: str, lo: int) -> list[tuple[int, int, str | None]]:
        out = (self._marked(text, lo) + self._numbered(text, lo) + self._outputs_sentence(text, lo)
               + self._ordinal(text, lo) + self._inline(text, lo) + self._labelled(text, lo))
        return sorted(set(out))

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
            for it in self.inline_item.finditer(text, m.end(), line_end):
                s, e = it.start("text"), it.end("text")
                if cut and e >= len(text.rstrip()):
                    e = _sentence_end(text, s)  # the page stops inside this item: drop the cut word
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
                prev_line_start = text.rfind("\n", lo, prev_line_end) + 1
                if not self.list_intro.search(text[prev_line_start:prev_line_end]):
                    continue
            elif not out or out[-1][3] != k - 1:
                continue
            s, e = m.start("text"), m.end("text")
            t = self.item_trailer.search(text, s, e)
            if t and t.start() > s:
                e = t.start()
            s, e = strip_offsets(text, s, e)
            out.append((s, e, m.group("id"), k))
        return [(s, e, i) for s, e, i, _ in out]

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


def _factory(name: str, cls):
    @Language.factory(name, default_config={"data_dir": None})
    def make(nlp: Language, name: str, data_dir: str | None):
        return cls(Path(data_dir) if data_dir else models_dir())

    return make


make_money = _factory("iom_money", MoneyComponent)
make_dates = _factory("iom_dates", DateComponent)
make_countries = _factory("iom_countries", CountryComponent)
make_codes = _factory("iom_codes", CodeComponent)
make_deliverables = _factory("iom_deliverables", DeliverableComponent)
