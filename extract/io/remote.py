"""Inputs and outputs anywhere fsspec reaches: ``s3://``, ``gs://``, ``https://``, ``file://``…

A path with a scheme (``scheme://…``) goes through fsspec; a plain path (and ``file://``) stays
with the local code, which knows hostile file names, FIFOs and symbolic links. Credentials and
endpoints come from the usual places (``~/.aws``, ``AWS_*`` variables) or from fsspec's own
configuration: ``FSSPEC_S3_ENDPOINT_URL=http://127.0.0.1:9000`` points ``s3://`` at a local
MinIO or moto server (fsspec reads ``FSSPEC_<PROTOCOL>_<OPTION>`` variables).

>>> is_url("s3://bucket/crawl.warc.gz"), is_url("seeds/000.txt"), is_url("C:/pages"), is_url("-")
(True, False, False, False)
>>> local_path("file:///tmp/pages"), local_path("seeds"), local_path("s3://b/k")
('/tmp/pages', 'seeds', None)
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")
# an https:// page is one file: a web server has no directory listing to walk (fsspec would read
# the links of an HTML index page as one, which is not what a user naming a page means)
NO_LISTING = ("http", "https")


def is_url(path: str) -> bool:
    """A path with a scheme of two letters or more (``C:/x`` is a Windows drive, not a URL)."""
    return bool(_SCHEME.match(path))


def local_path(path: str) -> str | None:
    """The local file a path names (``file://`` URLs included), or None for a remote URL."""
    if not is_url(path):
        return path
    parts = urlsplit(path)
    if parts.scheme == "file":
        return unquote(parts.path)
    return None


def protocol(url: str) -> str:
    return urlsplit(url).scheme.lower()


def filesystem(url: str):
    """(fsspec filesystem, path inside it) for a URL."""
    from fsspec.core import url_to_fs

    return url_to_fs(url)


def join(base: str, name: str) -> str:
    """``name`` inside the directory ``base`` (a URL or a local path).

    >>> join("s3://b/out/", "part-00000.parquet"), join("out", "x")
    ('s3://b/out/part-00000.parquet', 'out/x')
    """
    if is_url(base):
        return base.rstrip("/") + "/" + name
    import os

    return os.path.join(base, name)


def open_input(path: str, block_size: int = 1 << 20):
    """A binary file object for reading, local or remote (the caller closes it). Remote files are
    read in blocks of ``block_size`` bytes (HTTP range requests, S3 ranged GETs), so a seek to a
    WARC record does not fetch the file from its start."""
    lp = local_path(path)
    if lp is not None:
        return open(lp, "rb")
    fs, inner = filesystem(path)
    return fs.open(inner, "rb", block_size=block_size, cache_type="readahead")


def read_url(url: str, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a remote file (more means too large: the caller says so).
    Raises OSError (FileNotFoundError for a 404 or a missing key), OverflowError when the size is
    known and over the limit."""
    fs, inner = filesystem(url)
    try:
        size = fs.size(inner)
    except (OSError, ValueError, NotImplementedError):
        size = None
    if size is not None and size > max_bytes:
        raise OverflowError(f"too large: {size} bytes, over the {max_bytes}-byte limit (--max-bytes)")
    with fs.open(inner, "rb", block_size=1 << 20) as fh:
        return fh.read(max_bytes + 1)


def list_url(url: str, keep) -> list[str] | None:
    """The files under a remote directory (a prefix ending in ``/``, or one that is a directory),
    sorted, as URLs, keeping those whose name ``keep`` accepts; None when ``url`` is a file."""
    fs, inner = filesystem(url)
    if protocol(url) in NO_LISTING:
        return None
    if not url.endswith("/") and not fs.isdir(inner):
        return None
    scheme = protocol(url)
    files = fs.find(inner)
    return [_unstrip(scheme, f) for f in sorted(files) if keep(f.rsplit("/", 1)[-1])]


def glob_url(pattern: str) -> list[str]:
    fs, inner = filesystem(pattern)
    return [_unstrip(protocol(pattern), f) for f in sorted(fs.glob(inner)) if not fs.isdir(f)]


def exists(url: str) -> bool:
    fs, inner = filesystem(url)
    return fs.exists(inner)


def _unstrip(scheme: str, path: str) -> str:
    """fsspec answers with paths without their scheme: put it back."""
    return path if is_url(path) else f"{scheme}://{path}"
