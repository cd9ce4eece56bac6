"""Input pages: paths and directories expanded in order, files decoded, problems reported per page."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

SUFFIXES = (".txt",)


@dataclass
class Page:
    id: str
    source: str
    text: str
    error: str | None = None


class UsageError(Exception):
    """Bad command line: reported in one line, exit status 2."""


def expand(paths: Iterable[str]) -> list[str]:
    """Files in the order given; a directory contributes its page files recursively, sorted."""
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*")) if f.is_file() and f.suffix.lower() in SUFFIXES)
        elif path.exists():
            out.append(p)
        else:
            raise UsageError(f"no such file or directory: {p}")
    return out


def decode(data: bytes) -> str:
    """UTF-8 (BOM dropped); pages that are not UTF-8 fall back to cp1252, then latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_page(source: str) -> Page:
    if source == "-":
        return Page("stdin", "-", decode(sys.stdin.buffer.read()))
    path = Path(source)
    page = Page(path.stem, source, "")
    try:
        data = path.read_bytes()
    except OSError as e:
        page.error = f"unreadable: {e.strerror or e}"
        return page
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        page.error = "not text: binary content"
        return page
    page.text = decode(data)
    if not page.text.strip():
        page.error = "empty page: no text"
    return page


def read_pages(sources: Iterable[str]) -> Iterator[Page]:
    for s in sources:
        yield read_page(s)
