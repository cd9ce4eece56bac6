"""Build WARC files the way crawlers write them (warcio's writer: one gzip member per record),
for the tests and for bench/scale.py."""
from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass
class Rec:
    """One record to write. kind: response, request, metadata, revisit, resource, conversion,
    warcinfo. body: the payload (HTTP body for a response)."""

    kind: str
    url: str
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: str = "200 OK"
    date: str | None = None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    chunked_gzip: bool = False     # Transfer-Encoding: chunked and Content-Encoding: gzip


def _chunked(data: bytes, size: int = 1000) -> bytes:
    out = b""
    for k in range(0, len(data), size):
        part = data[k:k + size]
        out += f"{len(part):x}\r\n".encode() + part + b"\r\n"
    return out + b"0\r\n\r\n"


def write_warc(path, records: list[Rec], gz: bool = True) -> list[int]:
    """Write the records; their offsets in the file."""
    offsets = []
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for r in records:
            offsets.append(fh.tell())
            extra = {"WARC-Date": r.date} if r.date else None
            if r.kind == "response":
                headers = list(r.http_headers)
                body = r.body
                if r.content_type:
                    headers.append(("Content-Type", r.content_type))
                if r.chunked_gzip:
                    body = _chunked(gzip.compress(body))
                    headers += [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
                http = StatusAndHeaders(r.status, headers, protocol="HTTP/1.1")
                rec = w.create_warc_record(r.url, "response", payload=io.BytesIO(body), http_headers=http,
                                           warc_headers_dict=extra, length=len(body))
            elif r.kind == "request":
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "www.iom.int")], is_http_request=True)
                rec = w.create_warc_record(r.url, "request", payload=io.BytesIO(b""), http_headers=http,
                                           warc_headers_dict=extra)
            elif r.kind == "revisit":
                http = StatusAndHeaders(r.status, [("Content-Type", r.content_type or "text/html")],
                                        protocol="HTTP/1.1")
                rec = w.create_revisit_record(r.url, "sha1:AAAA", "https://www.iom.int/", "2024-01-01T00:00:00Z",
                                              http_headers=http)
            elif r.kind == "warcinfo":
                rec = w.create_warcinfo_record("crawl.warc.gz", {"software": "tests"})
            else:  # metadata, resource, conversion: a block with its own Content-Type
                d = dict(extra or {})
                rec = w.create_warc_record(r.url, r.kind, payload=io.BytesIO(r.body),
                                           warc_content_type=r.content_type or "application/octet-stream",
                                           warc_headers_dict=d)
            w.write_record(rec)
    return offsets


def pages_warc(path, pages: list[tuple[str, bytes, str]], gz: bool = True, with_requests: bool = True) -> list[int]:
    """A crawl of (url, body, content type) pages: a request and a response for each."""
    recs = []
    for url, body, ctype in pages:
        if with_requests:
            recs.append(Rec("request", url))
        recs.append(Rec("response", url, body, ctype))
    return write_warc(path, recs, gz)
