"""The public API: Extractor().extract(text, id=...) and Extractor().pipe(texts)."""
from __future__ import annotations

from typing import Iterable, Iterator

from .components.base import page_text
from .pipeline import shared_nlp
from .record import Record


class Extractor:
    """Loads the pipeline once; turns page texts into records.

    >>> ex = Extractor()
    >>> r = ex.extract("Le budget total du projet s’élève à 200 000 dollars E.-U.", id="p1")
    >>> r.budget, r.amounts[0]["text"]
    ({'amount': 200000.0, 'currency': 'USD'}, '200 000 dollars E.-U.')
    """

    def __init__(self, data_dir: str | None = None, batch_size: int = 32, classifiers: bool = False):
        self.nlp = shared_nlp(data_dir, classifiers)
        self.classifiers = classifiers
        self.batch_size = batch_size

    def extract(self, text: str, id: str = "", source: str = "") -> Record:
        return next(self.pipe([(text, id)], sources=[source]))

    def pipe(self, items: Iterable[str | tuple[str, str]], sources: Iterable[str] | None = None) -> Iterator[Record]:
        """Stream records for texts or (text, id) pairs, in input order."""
        source_iter = iter(sources) if sources is not None else None

        def docs():
            for k, item in enumerate(items):
                text, id_ = (item, str(k)) if isinstance(item, str) else item
                doc = self.nlp.make_doc(text)
                # the components read the page text often; spaCy would rebuild it from the tokens
                doc.user_data["iom_text"] = text
                yield doc, (id_, None)

        for doc, (id_, _) in self.nlp.pipe(docs(), as_tuples=True, batch_size=self.batch_size):
            rec: Record = doc._.record
            rec.id = id_
            rec.source = next(source_iter, "") if source_iter is not None else ""
            if not page_text(doc).strip():
                rec.errors.append("empty page: no text")
            yield rec
