"""The project's typed values on a Doc, serialised like spaCy's own.

Components keep typed values on the Doc (``doc._.fields``: layout Fields; ``doc._.record``: the
Record) and spaCy serialises a Doc's user data with msgpack (``doc.to_bytes()``, ``DocBin(
store_user_data=True)``, and ``nlp.pipe(n_process=2)``, which ships docs between processes that
way). Like spacy-layout, the dataclasses are registered with srsly's msgpack encoders and decoders,
so they travel as plain maps and come back as the same types.

>>> from extract.components.layout import Field
>>> import srsly
>>> srsly.msgpack_loads(srsly.msgpack_dumps({"f": [Field("budget", "Budget", "money:USD", "1", 0, 1)]}))["f"][0].name
'budget'
"""
from __future__ import annotations

import dataclasses

import srsly

_MARK = "__iom_extract__"
_TYPES: dict[str, type] = {}


def serialisable(cls: type) -> type:
    """Class decorator: a dataclass that may sit in a Doc's user data."""
    _TYPES[cls.__name__] = cls
    return cls


@srsly.msgpack_encoders("iom_extract.dataclass")
def encode(obj, chain=None):
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type) and type(obj).__name__ in _TYPES:
        return {_MARK: type(obj).__name__, "fields": {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}}
    return obj if chain is None else chain(obj)


@srsly.msgpack_decoders("iom_extract.dataclass")
def decode(obj, chain=None):
    if isinstance(obj, dict) and _MARK in obj:
        return _TYPES[obj[_MARK]](**obj["fields"])
    return obj if chain is None else chain(obj)
