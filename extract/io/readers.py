"""Input pages: paths, directories and globs expanded in order; files decoded whatever their
encoding; HTML reduced to its main text; every problem reported for its page, never raised.

>>> decode("Année 2024".encode("cp1252"))
'Année 2024'
>>> decode("\\ufeffCuba".encode("utf-8")), decode("Cuba\\r\\nChili\\rUruguay".encode("utf-16"))
('Cuba', 'Cuba\\nChili\\nUruguay')
>>> html_to_text("<html><nav>Qui sommes nous</nav><script>x=1</script><h1>Titre</h1><p>Cuba</p></html>")
'Titre\\nCuba'
"""
from __future__ import annotations

import glob
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
DEFAULT_MAX_BYTES = 10_000_000
WESTERN = ["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850", "utf_16", "utf_16_le", "utf_16_be", "utf_32"]
# HTML elements that are site furniture or code, not the page's text
FURNITURE = "script, style, noscript, nav, header, footer, aside, form, iframe, svg"


@dataclass
class Page:
    id: str
    source: str
    text: str
    error: str | None = None


class UsageError(Exception):
    """Bad command line: reported in one line, exit status 2."""


class NotText(ValueError):
    pass


def page_id(source: str) -> str:
    return "stdin" if source == "-" else Path(source).stem


def expand(paths: Iterable[str]) -> list[str]:
    """Files in the order given; a directory gives its page files recursively, sorted; a glob
    pattern ("pages/**/*.html") its matches, sorted."""
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
        elif any(c in p for c in "*?["):
            matches = sorted(m for m in glob.glob(p, recursive=True) if Path(m).is_file())
            if not matches:
                raise UsageError(f"no file matches {p}")
            out.extend(matches)
        else:
            raise UsageError(f"no such file or directory: {p}")
    return out


CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(data: bytes) -> bool:
    """Many control bytes (other than tab, newline, carriage return, form feed) mean not text."""
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls > max(8, len(sample) // 20)


def decode(data: bytes) -> str:
    """Bytes -> text: BOMs first (UTF-8, UTF-16, UTF-32), then strict UTF-8, then the encoding
    charset-normalizer finds (cp1252, latin-1, BOM-less UTF-16…). Line endings become "\\n" and NUL
    bytes are dropped. Raises NotText for binary data."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                     (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _clean(data.decode(enc, errors="replace"))
    try:
        return _clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # French pages: the candidates are the Western encodings and BOM-less UTF-16/32 (left free,
    # charset-normalizer takes a short cp1252 text for Arabic or Cyrillic)
    best = from_bytes(data, cp_isolation=WESTERN).best()
    if best is not None and not (_looks_binary(data) and not best.encoding.startswith(("utf_16", "utf_32"))):
        return _clean(str(best))
    if _looks_binary(data):
        raise NotText("binary content")
    return _clean(data.decode("latin-1"))


def _clean(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    if _looks_binary(text[:65536].encode("utf-8", "replace")):
        raise NotText("binary content")
    return text


def html_to_text(html: str) -> str:
    """The page's main text: furniture and code elements dropped, one line per block."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    for node in tree.css(FURNITURE):
        node.decompose()
    root = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
    if root is None:
        return ""
    text = root.text(separator="\n", strip=True)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def read_page(source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Page:
    page = Page(page_id(source), source, "")
    try:
        if source == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            size = Path(source).stat().st_size
            if size > max_bytes:
                page.error = f"too large: {size} bytes, over the {max_bytes}-byte limit (--max-bytes)"
                return page
            data = Path(source).read_bytes()
    except OSError as e:
        page.error = f"unreadable: {e.strerror or e}"
        return page
    if len(data) > max_bytes:
        page.error = f"too large: over the {max_bytes}-byte limit (--max-bytes)"
        return page
    try:
        text = decode(data)
    except NotText as e:
        page.error = f"not text: {e}"
        return page
    if source.lower().endswith(HTML_SUFFIXES) or (source == "-" and text.lstrip()[:1] == "<" and "<html" in text[:2000].lower()):
        text = html_to_text(text)
    page.text = text
    if not text.strip():
        page.error = "empty page: no text"
    return page


def read_pages(sources: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Page]:
    for s in sources:
        yield read_page(s, max_bytes)
