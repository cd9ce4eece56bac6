"""Input pages: bytes read safely, decoded whatever their encoding, HTML reduced to the text a
reader sees; every problem reported for its page, never raised.

>>> decode("Année 2024".encode("cp1252")).text
'Année 2024'
>>> decode("\\ufeffCuba".encode("utf-8")).text, decode("Cuba\\r\\nChili\\rUruguay".encode("utf-16")).text
('Cuba', 'Cuba\\nChili\\nUruguay')
>>> d = decode("Données sur Haïti et le Pérou ".encode("utf-8") * 20 + b"\\xff")
>>> d.text[:7], d.warning
('Données', 'warning: 1 invalid UTF-8 byte sequence replaced by U+FFFD')
>>> html_to_text("<html><nav>Qui sommes nous</nav><script>x=1</script><h1>Titre</h1><p>Cuba</p></html>")
'Titre\\nCuba'
>>> html_to_text('<p>Budget : <span style="display: none">9 000 000 USD</span>100 000 USD</p><p hidden>x</p>')
'Budget :\\n100 000 USD'
"""
from __future__ import annotations

import os
import re
import stat
import sys
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Iterable, Iterator

from .remote import is_url, local_path, open_input, read_url
from .sources import STDIN, Source, UsageError, source_name  # noqa: F401  (UsageError re-exported)

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
DEFAULT_MAX_BYTES = 10_000_000
WESTERN = ["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850", "utf_16", "utf_16_le", "utf_16_be", "utf_32"]
# HTML elements that are site furniture, code, or not shown, not the page's text
FURNITURE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "template")
HIDDEN_SELECTOR = '[hidden], [aria-hidden="true" i]'
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Above this size, or nested deeper than this, HTML goes to the streaming reader (linear time and
# memory); the HTML5 tree builder is quadratic in the nesting depth of block elements (each <div>
# looks for an open <p> down the whole stack of open elements: 50,000 unclosed <div> took 4.3 s,
# 200,000 over 120 s) and holds ~350 bytes per node (8 MB of <p>a</p>: 335 MB).
TREE_MAX_BYTES = 2_000_000
TREE_MAX_DEPTH = 512   # Chromium's parser caps the DOM depth at 512 for the same reason
READ_CHUNK = 1 << 20


@dataclass
class Page:
    id: str
    source: str
    text: str
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    origin: dict | None = None      # a page from a WARC file: the file, the record's offset, date, id


class NotText(ValueError):
    pass


@dataclass
class Decoded:
    text: str
    warning: str | None = None


CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(data: bytes) -> bool:
    """Many control bytes (other than tab, newline, carriage return, form feed) mean not text."""
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls > max(8, len(sample) // 20)


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """The text, if the bytes are UTF-8 but for a few bad sequences: at least nine valid
    multi-byte characters for every invalid sequence (a cp1252 or latin-1 page has none)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = sum(1 for ch in text if ord(ch) > 127) - bad - data.count(b"\xef\xbf\xbd")
    if bad and non_ascii >= 9 * bad:
        return text, bad
    return None


def decode(data: bytes, charset: str | None = None) -> Decoded:
    """Bytes -> text: BOMs first (UTF-8, UTF-16, UTF-32), then strict UTF-8, then the charset the
    server named (an HTTP Content-Type in a WARC record) if the bytes are valid in it, then UTF-8
    with the odd bad byte replaced (and a warning), then the encoding charset-normalizer finds
    (cp1252, latin-1, BOM-less UTF-16…). Line endings become "\\n" and NUL bytes are dropped.
    Raises NotText for binary data.

    >>> decode("Montant : 2 000 €".encode("cp1252"), "windows-1252").text
    'Montant : 2 000 €'
    """
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                     (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return Decoded(_clean(data.decode(enc, errors="replace")))
    try:
        return Decoded(_clean(data.decode("utf-8")))
    except UnicodeDecodeError:
        pass
    if charset and not _looks_binary(data):
        # a server's word is taken only when the bytes agree (servers often say ISO-8859-1 for
        # what is cp1252; Python's latin-1 accepts any byte, so it is read as cp1252 first)
        for enc in (("cp1252", charset) if charset.lower().replace("_", "-") in ("iso-8859-1", "latin-1", "latin1")
                    else (charset,)):
            try:
                return Decoded(_clean(data.decode(enc)))
            except (UnicodeDecodeError, LookupError):
                continue
    mostly = _mostly_utf8(data)
    if mostly is not None and not _looks_binary(data):
        text, bad = mostly
        s = "" if bad == 1 else "s"
        return Decoded(_clean(text), f"warning: {bad} invalid UTF-8 byte sequence{s} replaced by U+FFFD")
    from charset_normalizer import from_bytes

    # French pages: the candidates are the Western encodings and BOM-less UTF-16/32 (left free,
    # charset-normalizer takes a short cp1252 text for Arabic or Cyrillic)
    best = from_bytes(data, cp_isolation=WESTERN).best()
    if best is not None and not (_looks_binary(data) and not best.encoding.startswith(("utf_16", "utf_32"))):
        return Decoded(_clean(str(best)))
    if _looks_binary(data):
        raise NotText("binary content")
    return Decoded(_clean(data.decode("latin-1")))


def _clean(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    if _looks_binary(text[:65536].encode("utf-8", "replace")):
        raise NotText("binary content")
    return text


# ---------------------------------------------------------------------------------------------
# HTML

# the block elements whose start tag makes an HTML5 parser search the stack of open elements
_BLOCK_TAGS = ("address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|figcaption|figure|footer|"
               "header|hgroup|main|menu|nav|ol|section|summary|ul|h[1-6]|pre|listing|form|table")
_BLOCK_TAG = re.compile(rf"<(/?)(?:{_BLOCK_TAGS})(?=[\s/>])", re.IGNORECASE)


def block_depth(html: str, limit: int = TREE_MAX_DEPTH) -> int:
    """How deep block elements nest (stops counting past ``limit``); one linear scan.

    >>> block_depth("<div><div></div><section><div>x</div></section></div>", limit=2)
    3
    >>> block_depth("<p>x</p>" * 100), block_depth("<div>" * 5000)
    (0, 513)
    """
    if html.count("<") <= limit:  # fewer tags than the limit: cannot nest deeper (most pages)
        return 0
    depth = top = 0
    for m in _BLOCK_TAG.finditer(html):
        depth = max(depth - 1, 0) if m.group(1) else depth + 1
        if depth > top:
            top = depth
            if top > limit:
                break
    return top


def html_to_text(html: str) -> str:
    """The page's main text as a reader sees it: furniture, code and hidden elements dropped, one
    line per block. Large or pathologically nested HTML is read by the streaming reader."""
    if len(html) > TREE_MAX_BYTES or block_depth(html) > TREE_MAX_DEPTH:
        return StreamingText.convert(html)
    from selectolax.lexbor import LexborHTMLParser as HTMLTree

    tree = HTMLTree(html)
    for node in tree.css(", ".join(FURNITURE) + ", " + HIDDEN_SELECTOR):
        node.decompose()
    for node in tree.css("[style]"):
        if HIDDEN_STYLE.search(node.attributes.get("style") or ""):
            node.decompose()
    root = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
    if root is None:
        return ""
    text = root.text(separator="\n", strip=True)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class StreamingText(HTMLParser):
    """The same reading as html_to_text's tree walk, in one pass with memory for the text only:
    the standard library's tokenizer, a depth counter for the element being skipped (furniture,
    hidden), and the text of the first <main> (else <article>) kept aside."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.main: dict[str, list[str]] = {}
        self.inside: dict[str, int] = {"main": 0, "article": 0}
        self.done: set[str] = set()
        self.skip_tag: str | None = None
        self.skip_depth = 0

    @classmethod
    def convert(cls, html: str) -> str:
        p = cls()
        for k in range(0, len(html), READ_CHUNK):
            p.feed(html[k:k + READ_CHUNK])
        p.close()
        chosen = p.main.get("main") or p.main.get("article") or p.parts
        lines = (s.strip() for s in chosen)
        text = "\n".join(s for s in lines if s)
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    @staticmethod
    def _hidden(tag: str, attrs) -> bool:
        if tag in FURNITURE:
            return True
        for k, v in attrs:
            if k == "hidden" or (k == "aria-hidden" and (v or "").strip().lower() == "true"):
                return True
            if k == "style" and v and HIDDEN_STYLE.search(v):
                return True
        return False

    def handle_starttag(self, tag, attrs):
        if self.skip_tag is not None:
            if tag == self.skip_tag and tag not in VOID:
                self.skip_depth += 1
            return
        if tag not in VOID and self._hidden(tag, attrs):
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag in self.inside and tag not in self.done:
            self.inside[tag] += 1
            self.main.setdefault(tag, [])

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
            return
        if tag in self.inside and self.inside[tag] > 0:
            self.inside[tag] -= 1
            if self.inside[tag] == 0:
                self.done.add(tag)

    def handle_data(self, data):
        if self.skip_tag is not None:
            return
        self.parts.append(data)
        for tag, n in self.inside.items():
            if n > 0:
                self.main[tag].append(data)


# ---------------------------------------------------------------------------------------------
# reading

GZIP_MAGIC = b"\x1f\x8b"


def _read_capped(fd: int, limit: int) -> bytes:
    """At most ``limit`` bytes from any file: a /proc file says its size is 0, /dev/zero never ends."""
    chunks, got = [], 0
    while got < limit:
        b = os.read(fd, min(READ_CHUNK, limit - got))
        if not b:
            break
        chunks.append(b)
        got += len(b)
    return b"".join(chunks)


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Decompress gzip data, never more than ``limit`` bytes out (a small bomb stays small)."""
    d = zlib.decompressobj(zlib.MAX_WBITS | 16)
    out = d.decompress(data, limit)
    if len(out) < limit and not d.eof:
        raise zlib.error("truncated gzip stream")
    return out


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The file's bytes, max_bytes + 1 at most. Raises OSError, or ValueError for what is not a
    regular file (a FIFO would block forever; a device never ends)."""
    # O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = ("a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode)
                    else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                    else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
            raise ValueError(f"not a regular file ({what})")
        if st.st_size > max_bytes:
            raise OverflowError(f"too large: {st.st_size} bytes, over the {max_bytes}-byte limit (--max-bytes)")
        return _read_capped(fd, max_bytes + 1)
    finally:
        os.close(fd)


def page_from_bytes(page: Page, data: bytes, max_bytes: int, is_html: bool | None,
                    charset: str | None = None) -> Page:
    """Decode, reduce HTML to text, check: the part of reading shared by files, stdin and archives."""
    if data.startswith(GZIP_MAGIC):
        try:
            data = gunzip_capped(data, max_bytes + 1)
        except zlib.error as e:
            page.error = f"not text: corrupt gzip data ({e})"
            return page
    if len(data) > max_bytes:
        page.error = f"too large: over the {max_bytes}-byte limit (--max-bytes)"
        return page
    try:
        decoded = decode(data, charset)
    except NotText as e:
        page.error = f"not text: {e}"
        return page
    text = decoded.text
    if decoded.warning:
        page.warnings.append(decoded.warning)
    if is_html is None:
        head = text.lstrip()[:2000].lower()
        is_html = head[:1] == "<" and ("<html" in head or "<!doctype html" in head)
    if is_html:
        text = html_to_text(text)
    page.text = text
    if not text.strip():
        page.error = "empty page: no text"
    return page


def read_page(source: Source | str, max_bytes: int = DEFAULT_MAX_BYTES, opened: dict | None = None) -> Page:
    """One page from a file, a URL, standard input or a WARC record; ``opened`` keeps WARC files
    open from one page to the next (a batch of pages from one archive opens it once)."""
    if isinstance(source, str):  # a bare path (tests, the Python API): its stem is the id
        from .sources import strip_page_suffix

        source = Source(source, "stdin" if source == STDIN else strip_page_suffix(os.path.basename(source)),
                        source_name(source))
    page = Page(source.id, source.name, "")
    if source.capture is not None:
        return _read_capture(page, source, max_bytes, opened)
    try:
        if source.path == STDIN:
            data = sys.stdin.buffer.read(max_bytes + 1)
        elif is_url(source.path) and not source.path.lower().startswith("file://"):
            data = read_url(source.path, max_bytes)
        else:
            data = read_bytes(local_path(source.path) or source.path, max_bytes)
    except OverflowError as e:
        page.error = str(e)
        return page
    except ValueError as e:
        page.error = f"unreadable: {e}"
        return page
    except OSError as e:
        page.error = f"unreadable: {e.strerror or e}"
        return page
    low = source.name.lower().split("?", 1)[0]
    is_html = True if low.endswith(HTML_SUFFIXES) else None if source.path == STDIN or low.endswith(".gz") \
        or is_url(source.path) else False
    return page_from_bytes(page, data, max_bytes, is_html)


def _read_capture(page: Page, source: Source, max_bytes: int, opened: dict | None) -> Page:
    from .warc import WarcReadError, read_capture

    capture = source.capture
    page.origin = origin_of(source)
    try:
        fh = opened.get(capture.warc) if opened is not None else None
        if fh is None:
            fh = open_input(capture.warc)
            if opened is not None:
                opened[capture.warc] = fh
        try:
            data, charset = read_capture(fh, capture.offset, max_bytes)
        finally:
            if opened is None:
                fh.close()
    except WarcReadError as e:
        page.error = f"unreadable: {e}"
        return page
    except OSError as e:
        page.error = f"unreadable: {source_name(capture.warc)}: {e.strerror or e}"
        return page
    if len(data) > max_bytes:
        page.error = f"too large: over the {max_bytes}-byte limit (--max-bytes)"
        return page
    is_html = capture.content_type in ("text/html", "application/xhtml+xml")
    return page_from_bytes(page, data, max_bytes, is_html, charset)


def origin_of(source: Source) -> dict | None:
    """The record's ``warc`` field: where a page from a WARC file is (None for other pages)."""
    c = source.capture
    if c is None:
        return None
    return {"file": source_name(c.warc), "offset": c.offset, "date": c.date or None, "record_id": c.record_id or None}


def close_opened(opened: dict) -> None:
    for fh in opened.values():
        try:
            fh.close()
        except OSError:
            pass
    opened.clear()


def read_pages(sources: Iterable[Source | str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Page]:
    for s in sources:
        yield read_page(s, max_bytes)
