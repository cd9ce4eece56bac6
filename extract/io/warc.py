"""Web archives (WARC) as input: which records are pages, their ids, and their bytes.

A crawl (Heritrix, ``wget --warc-file``, browsertrix, Common Crawl) is a sequence of records:
requests, responses, metadata, revisits… A record is a page when it is

* a ``response`` with an HTTP status 2xx whose payload is HTML, XHTML or plain text (by the
  HTTP Content-Type, else ``WARC-Identified-Payload-Type``, else a look at its first bytes);
* a ``resource`` or ``conversion`` record holding HTML or plain text (``conversion`` records are
  what Common Crawl's WET files hold: the text of each page).

Every other record is counted by what it is and skipped. Reading is streaming (warcio, one
record in memory at a time) in two passes: :func:`scan` lists the pages of a file with their
offsets, without keeping any payload; :func:`read_capture` later seeks to one record and reads its
payload, capped at ``--max-bytes`` (a remote WARC is read with range requests). A WARC compressed
the standard way (one gzip member per record) allows the seek; one compressed as a single gzip
stream does not, and is refused with the command that fixes it.

Damage: a record that does not parse is reported with its offset and the scan goes on from the
next record start it finds (the next gzip member, or the next ``WARC/1.x`` line); a record cut
short (a truncated download) becomes an error record for its page.

Ids (README "Page ids"): the first 16 hex digits of the SHA-1 of the page's normalised URL
(:func:`normalise_url`), so the same URL has the same id in every run, on every machine, and in
every crawl. A URL captured more than once in a run gives one record, from the latest capture
(by WARC-Date, then by position); ``--keep-duplicates`` keeps every capture, each id then ending
in ``~`` and the capture's date and time.

>>> normalise_url("HTTPS://WWW.IOM.INT:443/fr/Projet?b=2&a=1#haut")
'https://www.iom.int/fr/Projet?a=1&b=2'
>>> page_id("https://www.iom.int/fr/projet") == page_id("https://www.iom.int:443/fr/projet#x")
True
"""
from __future__ import annotations

import contextlib
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from .remote import open_input

WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
DEFAULT_PORTS = {"http": 80, "https": 443}
SNIFF_BYTES = 1024
GZIP_MAGIC = b"\x1f\x8b\x08"
RESYNC_CHUNK = 1 << 20


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


# ---------------------------------------------------------------------------------------------
# ids

def normalise_url(url: str) -> str:
    """The URL two captures of one page share: scheme and host lower case, default port and
    fragment dropped, percent-escapes in one form, query arguments sorted (w3lib's
    ``canonicalize_url``, the one Scrapy uses to tell pages apart).

    >>> normalise_url("http://www.iom.int"), normalise_url("https://www.iom.int/fr/caf%c3%a9")
    ('http://www.iom.int/', 'https://www.iom.int/fr/caf%C3%A9')
    """
    from w3lib.url import canonicalize_url

    try:
        canon = canonicalize_url(url.strip())
    except ValueError:  # not a URL w3lib can read (a bad port, a bad IPv6 literal): as written
        return url.strip()
    parts = urlsplit(canon)
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and DEFAULT_PORTS.get(parts.scheme) != port:
        host = f"{host}:{port}"
    if parts.username or parts.password:
        host = parts.netloc.rsplit("@", 1)[0] + "@" + host
    return urlunsplit((parts.scheme, host, parts.path or "/", parts.query, ""))


def page_id(url: str) -> str:
    """16 hex digits of the SHA-1 of the normalised URL (64 bits: among ten million pages, the
    chance that two share an id is about 3 in a million; a run that meets it still gives each its
    own id, see sources.discover)."""
    return hashlib.sha1(normalise_url(url).encode("utf-8", "surrogateescape")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# the first pass: what each record is

@dataclass(frozen=True)
class Capture:
    """One record of a WARC file that is a page."""

    warc: str          # the WARC file, as given on the command line (a path or a URL)
    offset: int        # where its record starts in the file (compressed bytes for a .warc.gz)
    url: str           # WARC-Target-URI
    date: str          # WARC-Date
    record_id: str     # WARC-Record-ID
    content_type: str | None


@dataclass
class Scan:
    """The pages of one WARC file, what else it held, and what could not be read."""

    warc: str
    captures: list[Capture] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)   # "request", "response image/jpeg", …
    problems: list[str] = field(default_factory=list)


def _media_type(value: str | None) -> str | None:
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _sniff(head: bytes) -> str | None:
    """The type of a payload that has no Content-Type, from its first bytes: HTML when it opens
    with markup, plain text when it has no control characters, else None (not a page). Plain text
    must not go through the HTML reader: "a<b &amp; c" would lose its end."""
    low = head.lstrip()[:200].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return "text/html"
    if not head:
        return None
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return "text/plain" if controls == 0 and b"\x00" not in head else None


def classify(record) -> tuple[str | None, str | None]:
    """(content type, None) for a record that is a page, (None, what it is) for any other.
    Reads at most the payload's first kilobyte (to sniff a payload with no Content-Type)."""
    kind = record.rec_type
    if kind == "response":
        http = record.http_headers
        if http is None:
            return None, "response without HTTP headers"
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            return None, f"response HTTP {status or '?'}"
        ctype = _media_type(http.get_header("Content-Type")) \
            or _media_type(record.rec_headers.get_header("WARC-Identified-Payload-Type"))
    elif kind in ("resource", "conversion"):
        ctype = _media_type(record.rec_headers.get_header("Content-Type"))
    else:
        return None, kind
    if ctype is None:
        # no type said: sniff (the payload is read again later from its offset)
        sniffed = _sniff(record.content_stream().read(SNIFF_BYTES))
        return (sniffed, None) if sniffed else (None, f"{kind} without a text type")
    if ctype in PAGE_TYPES:
        return ctype, None
    return None, f"{kind} {ctype}"


def _archive_iterator(fh):
    from warcio.archiveiterator import ArchiveIterator

    return ArchiveIterator(fh)


def _resync(fh, start: int, gz: bool) -> int | None:
    """The offset of the next place a record may start after ``start`` (a gzip member's magic
    bytes, or a line ``WARC/1.``), or None at the end of the file."""
    marker = GZIP_MAGIC if gz else b"\nWARC/1."
    pos = start
    fh.seek(pos)
    tail = b""
    while True:
        chunk = fh.read(RESYNC_CHUNK)
        if not chunk:
            return None
        buf = tail + chunk
        k = buf.find(marker)
        if k >= 0:
            found = pos - len(tail) + k
            return found if gz else found + 1
        tail = buf[-(len(marker) - 1):]
        pos += len(chunk)


def scan(warc: str) -> Scan:
    """The pages of one WARC file (a path or a URL), streaming; every problem in ``problems``."""
    from warcio.exceptions import ArchiveLoadFailed

    out = Scan(warc)
    try:
        fh = open_input(warc)
    except OSError as e:
        out.problems.append(f"{warc}: cannot read: {e.strerror or e}")
        return out
    with fh:
        head = fh.read(3)
        gz = head == GZIP_MAGIC
        pos = 0
        while pos is not None:
            try:
                fh.seek(pos)
            except (OSError, ValueError) as e:  # fsspec's streaming HTTP file: no range requests
                out.problems.append(f"{warc}: cannot be read from an offset ({e}): the server does not "
                                    f"answer range requests; download the file and give its path")
                out.captures = []   # they could not be read again by offset either
                break
            it = _archive_iterator(fh)
            noise = io.StringIO()
            try:
                with contextlib.redirect_stderr(noise):  # warcio prints its warnings
                    for record in it:
                        offset = it.offset
                        ctype, other = classify(record)
                        if ctype is None:
                            out.skipped[other] += 1
                            continue
                        h = record.rec_headers
                        out.captures.append(Capture(warc, offset, h.get_header("WARC-Target-URI") or "",
                                                    h.get_header("WARC-Date") or "",
                                                    h.get_header("WARC-Record-ID") or "", ctype))
                pos = None
            except ArchiveLoadFailed as e:
                message = " ".join(str(e).split())
                if "non-chunked gzip" in message:
                    out.problems.append(
                        f"{warc}: compressed as one gzip stream, not one gzip member per record, so its "
                        f"records cannot be found again by offset; `warcio recompress` rewrites it the "
                        f"standard way")
                    out.captures = [c for c in out.captures if c.offset != 0]
                    break
                bad = it.offset
                nxt = _resync(fh, bad + 1, gz)
                where = f"the next record at offset {nxt}" if nxt is not None else "the end of the file"
                out.problems.append(f"{warc}: offset {bad}: not a WARC record ({message[:120]}); "
                                    f"skipped to {where}")
                pos = nxt
            except (OSError, EOFError, ValueError) as e:  # a cut gzip member, a lost connection
                out.problems.append(f"{warc}: offset {it.offset}: unreadable ({type(e).__name__}: {e}); "
                                    f"the rest of the file is not read")
                pos = None
            for line in noise.getvalue().splitlines():
                if line.strip():
                    out.problems.append(f"{warc}: warning: {' '.join(line.split())[:200]}")
    return out


# ---------------------------------------------------------------------------------------------
# the choice of captures and their ids

def _when(date: str) -> datetime:
    try:
        d = datetime.fromisoformat(date.strip())
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def _stamp(date: str) -> str:
    """WARC-Date as 14 digits (``20240131120500``), the form web archives use in their URLs."""
    d = _when(date)
    return d.strftime("%Y%m%d%H%M%S") if d.year > 1 else "0"


def choose(scans: list[Scan], keep_duplicates: bool = False) -> tuple[list[tuple[Capture, str]], int]:
    """The captures to extract, in file order, each with its id, and how many were left out as
    older captures of a URL seen again. Ties in WARC-Date go to the capture found last."""
    order = [c for s in scans for c in s.captures]
    ids = [page_id(c.url) for c in order]
    if keep_duplicates:
        out, seen = [], Counter(ids)
        used: set[str] = set()
        for c, pid in zip(order, ids):
            if seen[pid] > 1:
                pid = f"{pid}~{_stamp(c.date)}"
                if pid in used:
                    pid = f"{pid}~{hashlib.sha1(c.record_id.encode()).hexdigest()[:8]}"
            used.add(pid)
            out.append((c, pid))
        return out, 0
    latest: dict[str, int] = {}
    for k, (c, pid) in enumerate(zip(order, ids)):
        j = latest.get(pid)
        if j is None or _when(c.date) >= _when(order[j].date):
            latest[pid] = k
    keep = sorted(latest.values())
    return [(order[k], ids[k]) for k in keep], len(order) - len(keep)


# ---------------------------------------------------------------------------------------------
# the second pass: one record's payload

class WarcReadError(Exception):
    pass


def read_capture(fh, offset: int, max_bytes: int) -> tuple[bytes, str | None]:
    """(payload, charset named by the HTTP headers) of the record at ``offset`` of an open WARC:
    decoded from its transfer and content encodings, ``max_bytes + 1`` bytes at most (more means
    too large). Raises WarcReadError for a record that is not there or is cut short."""
    from warcio.exceptions import ArchiveLoadFailed

    fh.seek(offset)
    noise = io.StringIO()
    try:
        with contextlib.redirect_stderr(noise):
            it = _archive_iterator(fh)
            record = next(iter(it))
            data = record.content_stream().read(max_bytes + 1)
    except (ArchiveLoadFailed, StopIteration, EOFError) as e:
        raise WarcReadError(f"no WARC record at offset {offset} ({' '.join(str(e).split())[:120] or 'end of file'})") \
            from None
    except (OSError, ValueError) as e:  # zlib.error is an Exception subclass; say what it was
        raise WarcReadError(f"unreadable WARC record at offset {offset}: {type(e).__name__}: {e}") from None
    except Exception as e:  # noqa: BLE001 - zlib.error, brotli errors: a bad payload encoding
        raise WarcReadError(f"unreadable WARC record at offset {offset}: {type(e).__name__}: {e}") from None
    left = getattr(record.raw_stream, "limit", 0)
    if len(data) <= max_bytes and left:
        raise WarcReadError(f"truncated WARC record at offset {offset}: the file ends {left} bytes before the "
                            f"record's end (Content-Length {record.length})")
    charset = None
    http = record.http_headers
    ctype = http.get_header("Content-Type") if http is not None else record.rec_headers.get_header("Content-Type")
    if ctype and "charset=" in ctype.lower():
        charset = ctype.lower().split("charset=", 1)[1].split(";")[0].strip().strip("\"'") or None
    return data, charset
