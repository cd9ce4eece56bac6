"""The public API: Extractor().extract(text, id=...) and Extractor().pipe(texts)."""
from __future__ import annotations

from contextlib import ExitStack
from typing import Iterable, Iterator

from .components.base import page_text
from .pipeline import shared_nlp
from .record import Record

# Pages longer than this are read in segments (cut at a paragraph, else a line, else a space):
# a spaCy Doc holds ~200 bytes per token, so one Doc of 10 MB of prose took ~700 MB; in segments
# time and memory stay linear in the page's length (bench/adversarial.py). No real page of the
# corpora comes near it (the longest is ~60,000 characters).
SEGMENT_CHARS = 200_000

# spaCy keeps every word form it meets in the Vocab and its StringStore for the life of the
# process: ~14 MB more per 1,000 distinct pages, without end over a crawl of millions
# (bench/vocab_growth.py). Once a vocabulary holds this many strings, each batch runs in a spaCy
# memory zone (Language.memory_zone, spaCy 3.8), which frees what the batch added when it ends. The
# first pages run outside zones on purpose: the tokenizer fills its cache only outside a zone, and
# the common words of the first pages are the ones worth caching. ~50,000 strings is ~17 MB.
VOCAB_BUDGET = 50_000

# fields a later segment may fill when the earlier ones left them empty: the ones a whole-page
# run takes from the first mention anywhere (title, kind and description come from the page's start)
_FIRST_FOUND = ("project_code", "prima_id", "budget", "start_date", "end_date", "approval_year", "duration_months",
                "status", "project_type", "coverage", "region", "mission")


def segments(text: str, size: int = SEGMENT_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering ``text``, each piece at most ``size`` characters.

    >>> [(o, s) for o, s in segments("aaa bbb\\n\\nccc ddd\\neee", size=9)]
    [(0, 'aaa bbb\\n\\n'), (9, 'ccc ddd\\n'), (17, 'eee')]
    """
    out = []
    pos = 0
    while len(text) - pos > size:
        lo, hi = pos + size // 2, pos + size
        cut = -1
        for sep in ("\n\n", "\n", " "):
            k = text.rfind(sep, lo, hi)
            if k >= 0:
                cut = k + len(sep)
                break
        if cut < 0:
            cut = hi
        out.append((pos, text[pos:cut]))
        pos = cut
    out.append((pos, text[pos:]))
    return out


def _shifted(proof: dict, offset: int) -> dict:
    if proof.get("start") is None:
        return dict(proof)
    return {**proof, "start": proof["start"] + offset, "end": proof["end"] + offset}


def merge_segment(rec: Record, part: Record, offset: int) -> None:
    """Add a later segment's record (offsets relative to the segment) to the page's record, and
    the evidence of what it adds."""
    ev, pev = rec.evidence, part.evidence
    for name in _FIRST_FOUND:
        if getattr(rec, name) is None and getattr(part, name) is not None:
            setattr(rec, name, getattr(part, name))
            if name in pev:
                ev[name] = _shifted(pev[name], offset)
    for name in ("beneficiary_countries", "non_eligible_countries"):
        if not getattr(rec, name) and getattr(part, name):
            setattr(rec, name, list(getattr(part, name)))
            ev[name] = [_shifted(e, offset) for e in pev.get(name, [])]
    for k, iso in enumerate(part.countries_mentioned):
        if iso not in rec.countries_mentioned:
            rec.countries_mentioned.append(iso)
            if k < len(pev.get("countries_mentioned", [])):
                ev.setdefault("countries_mentioned", []).append(_shifted(pev["countries_mentioned"][k], offset))
    for name in ("amounts", "deliverables", "entities"):
        getattr(rec, name).extend({**d, "start": d["start"] + offset, "end": d["end"] + offset}
                                  for d in getattr(part, name))
        if name in pev:
            ev.setdefault(name, []).extend(_shifted(e, offset) for e in pev[name])


class Extractor:
    """Loads the pipeline once; turns page texts into records.

    >>> ex = Extractor()
    >>> r = ex.extract("Le budget total du projet s’élève à 200 000 dollars E.-U.", id="p1")
    >>> r.budget, r.amounts[0]["text"]
    ({'amount': 200000.0, 'currency': 'USD'}, '200 000 dollars E.-U.')
    """

    def __init__(self, data_dir: str | None = None, batch_size: int = 32, rules_only: bool = False,
                 vocab_budget: int = VOCAB_BUDGET):
        self.nlp = shared_nlp(data_dir, rules_only)
        self.rules_only = rules_only
        self.batch_size = batch_size
        self.vocab_budget = vocab_budget

    WARM_UP = ("Le projet de deux ans, lancé en mars 2019 au Niger, a reçu 100 000 dollars É.-U. "
               "(produit 1.1). Il se terminera le 30 juin 2021.")

    def warm(self) -> None:
        """Build what the pipeline builds lazily (the parser, compiled expressions, caches) before
        workers are forked from this process: then they share it, and the collector can be told
        to leave it alone (gc.freeze) instead of scanning it on every page."""
        from .parse import ClauseParser

        ClauseParser.shared()
        self.extract(self.WARM_UP)

    def extract(self, text: str, id: str = "", source: str = "") -> Record:
        return next(self.pipe([(text, id)], sources=[source]))

    def pipe(self, items: Iterable[str | tuple[str, str]], sources: Iterable[str] | None = None) -> Iterator[Record]:
        """Stream records for texts or (text, id) pairs, in input order."""
        source_iter = iter(sources) if sources is not None else None
        batch: list[tuple[str, str, str]] = []
        for k, item in enumerate(items):
            text, id_ = (item, str(k)) if isinstance(item, str) else item
            source = next(source_iter, "") if source_iter is not None else ""
            if len(text) > SEGMENT_CHARS:
                yield from self._short(batch)
                batch = []
                yield self._long(text, id_, source)
                continue
            batch.append((text, id_, source))
            if len(batch) >= self.batch_size:
                yield from self._short(batch)
                batch = []
        yield from self._short(batch)

    def _doc(self, text: str, continuation: str | None = None):
        doc = self.nlp.make_doc(text)
        # the components read the page text often; spaCy would rebuild it from the tokens
        doc.user_data["iom_text"] = text
        if continuation:
            doc.user_data["iom_continuation"] = continuation  # the page's kind
        return doc

    def memory_zone(self) -> ExitStack:
        """The memory zones a batch runs in (see VOCAB_BUDGET): one per vocabulary that has reached
        the budget (the page pipeline's, the clause parser's), none before. Records hold plain
        values, never Docs, so nothing made inside a zone is read after it."""
        from .parse import ClauseParser

        stack = ExitStack()
        for nlp in (self.nlp, ClauseParser.loaded()):
            if nlp is not None and len(nlp.vocab.strings) >= self.vocab_budget:
                stack.enter_context(nlp.memory_zone())
        return stack

    def _short(self, batch: list[tuple[str, str, str]]) -> Iterator[Record]:
        if not batch:
            return
        with self.memory_zone():
            docs = ((self._doc(text), (id_, source)) for text, id_, source in batch)
            for doc, (id_, source) in self.nlp.pipe(docs, as_tuples=True, batch_size=self.batch_size):
                yield self._finish(doc._.record, doc, id_, source)

    def _long(self, text: str, id_: str, source: str) -> Record:
        rec = None
        with self.memory_zone():
            for offset, piece in segments(text):
                doc = self._doc(piece, continuation=rec.kind if rec is not None else None)
                for _, proc in self.nlp.pipeline:
                    doc = proc(doc)
                if rec is None:
                    rec = doc._.record
                else:
                    merge_segment(rec, doc._.record, offset)
            return self._finish(rec, None, id_, source, text)

    @staticmethod
    def _finish(rec: Record, doc, id_: str, source: str, text: str | None = None) -> Record:
        rec.id = id_
        rec.source = source
        if not (text if text is not None else page_text(doc)).strip():
            rec.errors.append("empty page: no text")
        return rec
