"""Tokenizer adjustments shared by the pipeline and the gold validator.

The crawl glues words together where the page had a line break or a table cell
("ChiliUruguay", "Qui sommes nousL'Organisation"). Splitting a lower-case letter followed by
an upper-case letter gives the two countries of "ChiliUruguay" their own tokens, so their spans
fall on token boundaries.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.util import compile_infix_regex, compile_suffix_regex

# lower-case letter immediately followed by an upper-case one: a glued word boundary
CAMEL_INFIX = r"(?<=[a-zàâäçéèêëîïôöùûüÿœ])(?=[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒ])"


# "MONTANT DU FINANCEMENT:400 000": a label glued to its value by a colon
LABEL_COLON_INFIX = r"(?<=[A-Za-zÀ-ÿ]):(?=\d)"
# English possessive on English pages: "Benin’s" -> "Benin" "’" "s"
POSSESSIVE_INFIX = r"(?<=[A-Za-z])['’](?=s$)"
# a dash glued to a dateline: "Ouganda- L’OIM"
TRAILING_HYPHEN_SUFFIX = r"(?<=[A-Za-zÀ-ÿ])-"

EXTRA_INFIXES = (CAMEL_INFIX, LABEL_COLON_INFIX, POSSESSIVE_INFIX)


def _current(pattern_fn) -> list[str]:
    """The tokenizer's own pattern (as loaded from the model) as a one-item list."""
    return [pattern_fn.__self__.pattern] if pattern_fn is not None else []


def adjust_tokenizer(nlp: Language) -> Language:
    """Add the infixes and suffix above to nlp's tokenizer, on top of its own patterns (idempotent)."""
    tok = nlp.tokenizer
    infixes = _current(tok.infix_finditer)
    if not any(i in infixes[0] for i in EXTRA_INFIXES if infixes):
        tok.infix_finditer = compile_infix_regex(infixes + list(EXTRA_INFIXES)).finditer
    suffixes = _current(tok.suffix_search)
    if not (suffixes and TRAILING_HYPHEN_SUFFIX in suffixes[0]):
        tok.suffix_search = compile_suffix_regex(suffixes + [TRAILING_HYPHEN_SUFFIX]).search
    return nlp
