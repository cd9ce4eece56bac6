"""Tokenizer adjustments shared by the pipeline and the gold validator.

The crawl glues words together where the page had a line break or a table cell
("ChiliUruguay", "Qui sommes nousL'Organisation"). Splitting a lower-case letter followed by
an upper-case letter gives the two countries of "ChiliUruguay" their own tokens, so their spans
fall on token boundaries.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.util import compile_infix_regex

# lower-case letter immediately followed by an upper-case one: a glued word boundary
CAMEL_INFIX = r"(?<=[a-zàâäçéèêëîïôöùûüÿœ])(?=[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒ])"


def adjust_tokenizer(nlp: Language) -> Language:
    """Add the glued-word infix to nlp's tokenizer (idempotent)."""
    infixes = list(nlp.Defaults.infixes or [])
    if CAMEL_INFIX not in infixes:
        infixes.append(CAMEL_INFIX)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp
