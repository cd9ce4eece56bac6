"""The speed-ups of issue 16 §4 give the same results as the code they replaced.

Each faster path is compared with the slower one it stands for: exhaustively where the claim is
about characters (every code point), and on every page of the gold set otherwise.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from extract.normalize.countries import APOSTROPHE, SEPARATOR, FOLD_ACCENTS, Gazetteer, lower_for_matching
from extract.paths import models_dir, read_tsv

ROOT = Path(__file__).resolve().parent.parent
GOLD_PAGES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "annotations" / "pages").glob("*.txt")) + \
    sorted((ROOT / "annotations" / "batch2").glob("*.txt"))

# every code point but the surrogates, one after another: one regex scan tests them all
ALL_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def _matching(pattern: str, flags=0) -> set[str]:
    return {m.group() for m in re.finditer(pattern, ALL_CHARS, flags)}


@pytest.fixture(scope="module")
def lowered() -> dict[str, str]:
    """Each code point -> its form in the countries' matching text."""
    out = {}
    for ch in ALL_CHARS:
        low = lower_for_matching(ch)
        assert low is not None and len(low) == 1, hex(ord(ch))
        out[ch] = low
    return out


def test_lower_case_matching_is_ignorecase_for_every_character_of_the_names(lowered):
    """For every character of the gazetteer's (accent-folded) names, the code points IGNORECASE
    lets it match are exactly those whose matching form is that character in lower case; and the
    separator and apostrophe classes hold the same code points either way."""
    names = {r[0].translate(FOLD_ACCENTS) for r in read_tsv(models_dir() / "countries.tsv") if r[0] != "name"}
    chars = {ch for n in names for ch in n if ch not in " -‐‑'’"}
    for ch in sorted(chars | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")):
        ignorecase = _matching(re.escape(ch), re.IGNORECASE)
        lower = {x for x, low in lowered.items() if low == ch.lower()}
        assert ignorecase == lower, (ch, sorted(map(hex, map(ord, ignorecase ^ lower))))
    for cls in (SEPARATOR[:-1], APOSTROPHE):   # the class without its "+"
        ignorecase = _matching(cls, re.IGNORECASE)
        lower = {x for x, low in lowered.items() if re.fullmatch(cls, low)}
        assert ignorecase == lower, cls


def test_the_gazetteer_finds_the_same_names_either_way():
    g = Gazetteer.from_tsv(models_dir() / "countries.tsv", models_dir() / "country_given_names.tsv")
    assert g.lower_regex is not None
    slow = Gazetteer.from_tsv(models_dir() / "countries.tsv", models_dir() / "country_given_names.tsv")
    slow.lower_regex = None   # the IGNORECASE trie, as before
    texts = [p.read_text("utf-8") for p in GOLD_PAGES]
    texts += ["ÉTATS-UNIS, etats unis, États\nUnis, İRAN, ıran, CHİLİ, Chılı, PEROU, Pérou, ſénégal, Sénégal",
              "M. Maurice, Maurice Dupont, la Guinée-Bis"]
    for text in texts:
        for pos in (0, len(text) // 3):
            fast = [(m.start(), m.end(), iso) for m, iso in g.finditer(text, pos)]
            assert fast == [(m.start(), m.end(), iso) for m, iso in slow.finditer(text, pos)]


def _lines_reference(text: str, start: int = 0, end: int | None = None):
    """lines_with_offsets as it was written before (a find per line)."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl < 0:
            nl = end
        yield text[pos:nl], pos
        pos = nl + 1


def test_lines_with_offsets_is_the_line_by_line_reading():
    import random

    from extract.normalize.text import lines_with_offsets

    rng = random.Random(16)
    for _ in range(20000):
        text = "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 9)))
        start = rng.randint(0, len(text) + 2)
        end = rng.choice([None, rng.randint(0, len(text) + 2)])
        assert lines_with_offsets(text, start, end) == list(_lines_reference(text, start, end)), (text, start, end)


@pytest.fixture(scope="module")
def gold_docs(extractor):
    return [extractor.nlp(p.read_text("utf-8")) for p in GOLD_PAGES]


def test_span_infos_read_what_the_span_extensions_hold(gold_docs):
    from extract.components.entities import SPANS_KEY, span_infos

    n = 0
    for doc in gold_docs:
        spans = list(doc.spans.get(SPANS_KEY, []))
        for span, info in zip(spans, span_infos(doc)):
            assert (info.label, info.char_span, info.value, info.rule) == \
                (span.label_, span._.char_span, span._.value, span._.rule)
            n += 1
    assert n > 1000


def test_clauses_left_unparsed_change_no_record(extractor, monkeypatch):
    """The prose component leaves out the clauses whose parse no decision reads (vetoed candidates,
    dates that no structural rule can take); parsing them as before gives the same records."""
    from extract.components.prose import ProseComponent

    texts = [p.read_text("utf-8") for p in GOLD_PAGES]
    fast = [r.to_json() for r in extractor.pipe(texts)]
    calls = []

    def needs_as_before(self, c, text):   # _needs_parse before issue 16: vetoed candidates too
        if c.kind == "duration" and (self._duration_parse() or "duration" in self.models):
            return not c.rule.get("veto")
        if not self._parsed(c.kind):
            return False
        if c.kind != "date" or "date" in self._model_kinds:
            return True
        sentence = text[c.sent[0]:c.sent[1]]
        if re.search(r"\bjusqu|\bentre\b|\bdu\b", sentence, re.IGNORECASE):
            return True
        return any(con in ("start_verb", "end_verb", "nominal_time")
                   for w in re.findall(r"[^\W\d_]+", sentence) for con in self.featurizer.concepts(w))

    monkeypatch.setattr(ProseComponent, "_needs_parse", needs_as_before)
    monkeypatch.setattr(ProseComponent, "_date_parse_read", lambda self, *a: calls.append(1) or True)
    slow = [r.to_json() for r in extractor.pipe(texts)]
    assert fast == slow
    # the dates' clauses were looked at whenever a date decision reads the parse
    assert bool(calls) == extractor.nlp.get_pipe("iom_prose")._parsed("date")


def _money_rows():
    rows = []
    for p in (models_dir() / "currency_codes.tsv", models_dir() / "currencies.tsv"):
        rows += [(r[0], r[1], r[2] if len(r) > 2 else "suffix") for r in read_tsv(p)]
    return rows


def _money_regex_as_before(rows) -> re.Pattern:
    """The sum pattern as it was built before issue 16: the same words, with re.IGNORECASE."""
    from extract.normalize.numbers import MULTIPLIERS, NUMBER_WORDS
    from extract.normalize.text import trie_regex

    def alternation(words):
        return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))

    def trie(words):
        return trie_regex(sorted({w.lower() for w in words}), lambda ch: r"\s+" if ch == " " else re.escape(ch))

    cased = "(?-i:[A-Z]{3})"
    suffix = trie([s for s, _, where in rows if where in ("suffix", "both")]) + "|" + cased
    prefix = trie([s for s, _, where in rows if where in ("prefix", "both")]) + "|" + cased
    mult, words = alternation(sorted(MULTIPLIERS)), alternation(NUMBER_WORDS)
    return re.compile(
        rf"""
        (?<![\w.,])
        (?:(?P<pre>{prefix})[\s\u00a0\u202f]?)?
        (?P<num>
            \d{{1,3}}(?:[ \u00a0\u202f\u2009\n.,'’]\d{{3}})+(?:[.,]\d{{1,2}})?(?!\d)
          | \d+(?:[.,]\d+)?
          | (?:(?:{words})(?:[\s-]+(?:et[\s-]+)?)?)+(?={mult}|\s)
        )
        (?:[\s\u00a0\u202f]*(?P<mult>{mult})\b(?P<half>\s+et\s+demie?)?)?
        (?:
          [\s\u00a0\u202f]*(?:(?:de|d['’])\s*)?
          (?P<suf>{suffix})
          (?:(?<!\w)|(?!\w))
        )?
        """, re.VERBOSE | re.IGNORECASE)


def test_caseless_classes_are_ignorecase_for_every_character_of_the_sums():
    from extract.normalize.numbers import MULTIPLIERS, NUMBER_WORDS
    from extract.normalize.text import caseless

    chars = {ch for s, _, _ in _money_rows() for ch in s.lower()} | {ch for w in [*MULTIPLIERS, *NUMBER_WORDS,
                                                                                "et", "demie", "de", "d"] for ch in w}
    for ch in sorted(chars - {" "}):
        assert _matching(re.escape(ch), re.IGNORECASE) == _matching(caseless(ch)), ch


def test_the_sums_are_matched_as_with_ignorecase():
    from extract.normalize.money import MoneyReader

    rows = _money_rows()
    before, now = _money_regex_as_before(rows), MoneyReader(rows).regex
    assert not now.flags & re.IGNORECASE
    texts = [p.read_text("utf-8") for p in GOLD_PAGES]
    texts.append("DEUX MILLIONS D’EUROS, Un Million Et Demi De Dollars, 5 000 USD, usd 300, 2 Mds de FCFA, "
                 "ſix cents dollars, 40 000 dollars É.-U., 3 MİLLİONS de dollars, 100 cadres, SOS 2020")
    for text in texts:
        assert [(m.span(), m.groupdict()) for m in now.finditer(text)] == \
            [(m.span(), m.groupdict()) for m in before.finditer(text)]



def test_the_parser_on_numpy_blas_parses_as_on_blis(extractor, monkeypatch):
    """The clause parser's products run on NumPy's BLAS instead of thinc's default blis (3.5x
    faster here, extract/parse.py): every clause the gold pages (written ones too) send to the parser gets the same
    heads and labels from both."""
    from thinc.api import NumpyOps

    from extract.parse import ClauseParser

    shared = ClauseParser.shared()
    clauses = []
    real = shared.parse

    def keep(cs):
        cs = [list(c) for c in cs]
        clauses.extend(cs)
        return real(cs)

    monkeypatch.setattr(shared, "parse", keep)
    pages = GOLD_PAGES + sorted((ROOT / "annotations" / "written").rglob("*.txt"))
    list(extractor.pipe([p.read_text("utf-8") for p in pages]))
    monkeypatch.undo()
    assert len(clauses) > 150

    on_blis = ClauseParser()
    blis = NumpyOps(use_blis=True)
    for _, proc in on_blis.nlp.pipeline:
        for layer in proc.model.walk():
            layer.ops = blis
    assert not shared.nlp.get_pipe("tok2vec").model.ops.use_blis

    def tree(doc):
        return [(t.head.i, t.dep_) for t in doc]

    assert [tree(d) for d in shared.parse(clauses)] == [tree(d) for d in on_blis.parse(clauses)]


TRICKY = ["aujourd'hui, - etc. M. Dupont :-) l'OIM d’Haïti", "https://www.iom.int/fr?x=1&y=2 (voir)",
          "((((" * 150 + "Cuba))))" + " fin", "2 000\u00a0000 dollars É.-U. – 15/03/2016", "ChiliUruguay MONTANT:400 000",
          "\n\n  \t - \u2009x\u202fy ", "", "   ", "a", "Benin’s 1er 2e XIXe s.", "rendez-vous. Rendez-vous."]


def _tokens(doc):
    return [(t.idx, t.text, t.whitespace_, t.norm_) for t in doc]


def test_the_chunk_cache_gives_spacys_tokens():
    """GuardedTokenizer tokenizes each new chunk alone first, so that spaCy caches it
    (extract/tokenizer.py): on every gold page (written ones too) and on look-alikes of special
    cases, URLs and long runs, in order (the cache filling as a batch fills it), the tokens are
    those of the same tokenizer without it."""
    from spacy.vocab import Vocab

    from extract.pipeline import model_path
    from extract.tokenizer import GuardedTokenizer, fr_tokenizer

    path = model_path() / "tokenizer"
    cached, plain = (GuardedTokenizer(fr_tokenizer(Vocab(), path), cache_chunks=c) for c in (True, False))
    pages = GOLD_PAGES + sorted((ROOT / "annotations" / "written").rglob("*.txt"))
    texts = [p.read_text("utf-8") for p in pages] + TRICKY
    for text in texts + texts:   # the second round from the cache
        assert _tokens(cached(text)) == _tokens(plain(text))
    assert len(cached.known) > 5000 and not plain.known


def test_the_chunk_cache_is_bounded_and_idle_in_a_memory_zone(monkeypatch):
    from spacy.vocab import Vocab

    from extract import tokenizer as module
    from extract.pipeline import model_path

    tok = module.GuardedTokenizer(module.fr_tokenizer(Vocab(), model_path() / "tokenizer"))
    tok("Le projet de l'OIM")
    assert tok.known == {"Le", "projet", "de", "l'OIM"}
    with tok.vocab.memory_zone():
        tok("Un autre projet")   # spaCy caches nothing in a zone: nothing to do
    assert "autre" not in tok.known
    monkeypatch.setattr(tok.tokenizer, "max_cache_size", 5)   # as many chunks as spaCy keeps
    tok("un deux trois quatre")
    tok("cinq six")   # the bound reached: chunks are no longer tokenized twice
    assert "cinq" not in tok.known and len(tok.known) == 8


def test_the_dates_first_character_check_turns_down_no_date():
    """The date expression first checks for a digit or a month's first letter (extract/normalize/
    dates.py): every character that can start one of its alternatives passes that check, case
    folded as the expression folds it (every code point), and on the gold pages it finds what the
    expression without the check finds."""
    from extract.normalize.dates import DateReader

    r = DateReader.from_tsv(models_dir())
    check = re.search(r"\(\?=(\[[^\]]*\])\)", r.regex.pattern)
    assert check is not None
    starts = _matching(r"\d|m|" + "|".join(re.escape(m[0]) for m in r.months), r.regex.flags & re.IGNORECASE)
    assert starts <= _matching(check.group(1), r.regex.flags & re.IGNORECASE)
    unchecked = re.compile(r.regex.pattern.replace(check.group(0), "", 1), r.regex.flags)
    pages = GOLD_PAGES + sorted((ROOT / "annotations" / "written").rglob("*.txt"))
    for text in [p.read_text("utf-8") for p in pages] + ["mi-2007, 1er juillet, Août 2016, 07/03/15, 2020-03-01, ٣ mars"]:
        assert [(m.span(), m.groupdict()) for m in r.regex.finditer(text)] == \
            [(m.span(), m.groupdict()) for m in unchecked.finditer(text)]


def test_the_c_stemmer_stems_as_the_python_one():
    """snowballstemmer hands its work to PyStemmer (the C Snowball stemmers) when it is installed
    (pyproject.toml): every word of the gold and written pages and of the lexicon gets the stem the
    pure-Python French stemmer gives it — the stems the models' features are named by."""
    import json

    import snowballstemmer
    import Stemmer
    from snowballstemmer.french_stemmer import FrenchStemmer

    from extract.prose.text import WORD

    assert isinstance(snowballstemmer.stemmer("french"), Stemmer.Stemmer)
    pages = GOLD_PAGES + sorted((ROOT / "annotations" / "written").rglob("*.txt"))
    words = {w.lower().replace("’", "'") for p in pages for w in WORD.findall(p.read_text("utf-8"))}
    words = {w.rsplit("'", 1)[1] or w if "'" in w else w for w in words}
    lexicon = json.loads((models_dir() / "prose_lexicon.json").read_text("utf-8"))
    words |= {w.lower() for k, v in lexicon.items() if not k.startswith("_") for w in v}
    assert len(words) > 5000
    c, py = Stemmer.Stemmer("french"), FrenchStemmer()
    assert [c.stemWord(w) for w in sorted(words)] == [py.stemWord(w) for w in sorted(words)]


def test_the_rankers_memo_gives_the_confidences_the_trees_give():
    """The ranker's memo keys a scalar value by its categories and, for each of the page's numbers
    (a model's probability, a place on the page), the interval between the trees' thresholds it
    falls in: on every gold page, each scalar value's confidence is the one the trees give it
    without the memo."""
    from extract import Extractor
    from extract.components.confidence import page_info
    from extract.confidence import scalar_features

    ex = Extractor()
    conf = ex.nlp.get_pipe("iom_confidence").model
    if conf.ranker is None:
        pytest.skip("the scalar values are scored by the counts (models/confidence.json)")
    texts = [p.read_text("utf-8") for p in GOLD_PAGES]
    conf._memo.clear()   # the model is shared with the other tests' extractors: count this test's entries
    checked = 0
    for doc in ex.nlp.pipe(texts):
        page = page_info(doc)
        for name, e in doc._.record.evidence.items():
            if isinstance(e, dict):
                assert e["confidence"] == round(conf.ranker.probability(scalar_features(name, e, page)), 4), name
                checked += 1
    assert checked > 10 * len(texts)
    # and the memo was used: far fewer entries than values
    assert len(conf._memo) < checked / 2
