"""Which pages a batch reads, and the id each one gets.

The command line names files, directories (walked recursively), glob patterns or ``-`` (standard
input). This module turns them into an ordered list of :class:`Source` without reading any page,
and says what it could not list, what it left aside, and why — it never raises for one bad
directory, and it never loses a page silently.

Ids (README "Page ids"): a file named directly keeps its stem (``seeds/000_x.txt`` -> ``000_x``); a
file found under a directory or a glob gets its path relative to that directory, without the
page extension (``crawl/a/index.html`` given as ``crawl`` -> ``a/index``); standard input is
``stdin``. Ids that still collide in one run (``b/index.html`` beside ``b/index.txt``, the same
relative path under two directories) each get ``~`` and 8 hex digits of a hash of their path
(``b/index~3c1e0f9a``): two pages never share an id in a run, and the same inputs give the same
ids on every run and every machine.

>>> strip_page_suffix("a/index.html"), strip_page_suffix("x.txt.gz"), strip_page_suffix("notes")
('a/index', 'x', 'notes')
>>> printable("caf\\udce9.txt"), printable("a\\x1b[31m.txt")
('caf\\\\xe9.txt', 'a\\\\x1b[31m.txt')
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from collections import Counter
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from . import remote
from .warc import is_warc

if TYPE_CHECKING:
    from .warc import Capture, Scan

# the page files a directory walk picks up (a glob or a file named directly may name any file)
PAGE_SUFFIXES = (".txt", ".html", ".htm", ".txt.gz", ".html.gz", ".htm.gz")
STDIN = "-"


class UsageError(Exception):
    """Bad command line: reported in one line, exit status 2."""


@dataclass(frozen=True)
class Source:
    """One page to read: ``path`` to open, ``name`` for the record's ``source`` field and messages;
    ``capture`` for a page inside a WARC file (``path`` is then the WARC file, ``name`` the URL)."""

    path: str
    id: str
    name: str
    capture: "Capture | None" = None


@dataclass
class Discovery:
    """The pages found, in order, and what was not read (each problem names its path)."""

    sources: list[Source] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # unlistable directories: the run exits 1
    links_skipped: int = 0      # symbolic links leaving their input directory (not followed)
    broken_links: int = 0
    loops_skipped: int = 0      # directories reached again through a link
    warc_files: int = 0         # WARC files read
    warc_skipped: Counter = field(default_factory=Counter)   # their records that are not pages, by kind
    duplicates: int = 0         # older captures of a URL captured again, left out


# ---------------------------------------------------------------------------------------------
# names: any bytes in, printable and lossless text out

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def source_name(path: str) -> str:
    """The record's ``source``: the path as given, made valid Unicode without losing anything.

    A name that is not valid UTF-8 reaches Python with surrogate escapes; its undecodable bytes
    are written ``\\xNN`` and, in such a name only, a backslash is doubled, so the bytes can be
    recovered (:func:`source_bytes`). Valid names are kept exactly as given.

    >>> source_name("seeds/000.txt"), source_name("caf\\udce9\\\\x.txt")
    ('seeds/000.txt', 'caf\\\\xe9\\\\\\\\x.txt')
    """
    if not any("\udc80" <= ch <= "\udcff" for ch in path):
        return path
    out = []
    for ch in path:
        if "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ch == "\\":
            out.append("\\\\")
        else:
            out.append(ch)
    return "".join(out)


def source_bytes(name: str) -> bytes:
    """The file name's bytes back from :func:`source_name` (for a name that held escapes).

    >>> source_bytes(source_name(os.fsdecode(b"caf\\xe9\\\\x.txt")))
    b'caf\\xe9\\\\x.txt'
    """
    if "\\x" not in name and "\\\\" not in name:
        return os.fsencode(name)
    out = bytearray()
    k = 0
    while k < len(name):
        if name.startswith("\\\\", k):
            out += b"\\"
            k += 2
        elif name.startswith("\\x", k) and re.fullmatch(r"[0-9a-f]{2}", name[k + 2:k + 4]):
            out.append(int(name[k + 2:k + 4], 16))
            k += 4
        else:
            out += name[k].encode("utf-8")
            k += 1
    return bytes(out)


def printable(name: str) -> str:
    """A name safe to print on a terminal: control characters and escape sequences shown escaped.

    >>> printable("ok.txt"), printable("bad\\x07\\x1b]0;x\\x07.txt")
    ('ok.txt', 'bad\\\\x07\\\\x1b]0;x\\\\x07.txt')
    """
    name = source_name(name)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}",
                        name)


def strip_page_suffix(rel: str) -> str:
    low = rel.lower()
    for suf in sorted(PAGE_SUFFIXES, key=len, reverse=True):
        if low.endswith(suf) and len(rel) > len(suf):
            return rel[: -len(suf)]
    base, ext = os.path.splitext(rel)
    return base if ext and "/" not in ext else rel


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]


# ---------------------------------------------------------------------------------------------
# directory walking and globs

def _is_page_file(name: str) -> bool:
    return name.lower().endswith(PAGE_SUFFIXES) or is_warc(name)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def walk(root: str, found: Discovery, follow_symlinks: bool, keep=_is_page_file) -> Iterator[str]:
    """Files under ``root`` (its path as given, then relative parts), depth first, names sorted.

    Never loops (a directory reached twice, through a link or a bind mount, is walked once), never
    leaves ``root`` through a symbolic link unless ``follow_symlinks``, and reports a directory it
    cannot list instead of skipping it quietly.
    """
    try:
        real_root = os.path.realpath(root)
        st = os.stat(root)
    except OSError as e:
        found.problems.append(f"{printable(root)}: cannot read directory: {e.strerror or e}")
        return
    seen = {(st.st_dev, st.st_ino)}
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            found.problems.append(f"{printable(d)}: cannot list directory: {e.strerror or e}")
            continue
        subdirs = []
        for e in entries:
            path = os.path.join(d, e.name)
            try:
                if e.is_symlink():
                    target = os.path.realpath(path)
                    if not os.path.exists(target):
                        found.broken_links += 1
                        continue
                    if not follow_symlinks and not _inside(target, real_root):
                        found.links_skipped += 1
                        continue
                st = os.stat(path)
            except OSError as err:
                # an entry we cannot even stat (a name in an unsearchable directory): read it and
                # let the reader give it an error record, so it is counted, not lost
                if keep(e.name):
                    yield path
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    found.loops_skipped += 1
                    continue
                seen.add(key)
                subdirs.append(path)
            elif keep(e.name):
                yield path
        # depth first in name order: the same order as sorting the paths by their parts
        merged = sorted([(os.path.basename(p), "d", p) for p in subdirs], key=lambda t: t[0])
        stack.extend(p for _, _, p in reversed(merged))
    # (files of a directory come before its subdirectories are entered: see _walk_sorted)


def _walk_sorted(root: str, found: Discovery, follow_symlinks: bool, keep=_is_page_file) -> list[str]:
    """walk() in the order of the former ``sorted(Path(root).rglob('*'))``: by path components."""
    files = list(walk(root, found, follow_symlinks, keep))
    rel = [os.path.relpath(f, root) if f != root else "" for f in files]
    order = sorted(range(len(files)), key=lambda k: rel[k].split(os.sep))
    return [files[k] for k in order]


_MAGIC = re.compile(r"[*?[]")


def _glob_part(part: str) -> str:
    """One path component of a glob pattern as a regular expression (fnmatch rules, no '/')."""
    out, k = [], 0
    while k < len(part):
        c = part[k]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = part.find("]", k + 2 if part[k + 1:k + 2] in ("!", "]") else k + 1)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = part[k + 1:j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                k = j
        else:
            out.append(re.escape(c))
        k += 1
    # like glob: a wildcard does not match a leading dot
    hidden_ok = part.startswith(".")
    return ("" if hidden_ok else r"(?!\.)") + "".join(out)


def glob_regex(pattern_rest: str) -> re.Pattern:
    """The part of a pattern after its literal directory, as one expression over relative paths.

    >>> rx = glob_regex("**/*.txt")
    >>> bool(rx.fullmatch("a.txt")), bool(rx.fullmatch("x/y/a.txt")), bool(rx.fullmatch("x/.h/a.txt"))
    (True, True, False)
    """
    parts = [p for p in pattern_rest.split("/") if p]
    rx = ""
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if part == "**":
            rx += r"(?:(?!\.)[^/]+/)*" if not last else r"(?:(?!\.)[^/]+/)*(?!\.)[^/]+"
        else:
            rx += _glob_part(part) + ("" if last else "/")
    return re.compile(rx)


def split_glob(pattern: str) -> tuple[str, str]:
    """('dir/sub', '**/*.txt') for 'dir/sub/**/*.txt': the literal directory and the rest."""
    parts = pattern.split("/")
    k = next(i for i, p in enumerate(parts) if _MAGIC.search(p))
    base = "/".join(parts[:k])
    if pattern.startswith("/") and not base:
        base = "/"
    return base, "/".join(parts[k:])


# ---------------------------------------------------------------------------------------------

def discover(paths: Iterable[str], follow_symlinks: bool = False, keep_duplicates: bool = False,
             scanner: Callable | None = None) -> Discovery:
    """Expand the command line's PATHs into sources, in order, with unique stable ids.

    A path may be local or any fsspec URL (``s3://bucket/pages/``, ``https://…/page.html``). A
    path that does not exist is a usage error (raised); a directory that cannot be listed, a
    directory below it that cannot be listed, is a problem named in ``problems``; a file that
    cannot be read is still a source (the reader gives it an error record). A WARC file stands for
    the pages it holds (extract/io/warc.py): ``scanner`` maps warc.scan over the WARC files
    (``map``, the default, reads them one after the other; the Dask engine spreads them over its
    workers).
    """
    found = Discovery()
    pending: list[tuple[str, str]] = []   # (path, id before collisions); ("", warc) marks a WARC file
    for p in paths:
        if p == STDIN:
            pending.append((STDIN, "stdin"))
            continue
        local = remote.local_path(p)
        if local is None:
            pending.extend(_discover_url(p))
            continue
        p = local
        try:
            st = os.stat(p)
        except FileNotFoundError:
            st = None
        except OSError as e:
            if _MAGIC.search(p):
                st = None
            else:
                # a file we cannot stat (its directory is not searchable): a page with an error record
                pending.append((p, strip_page_suffix(os.path.basename(source_name(p)))))
                continue
        if st is not None and stat.S_ISDIR(st.st_mode):
            before = len(found.problems)
            files = _walk_sorted(p, found, follow_symlinks)
            if not files and len(found.problems) == before:
                pass  # an empty directory: nothing to do, said in the summary ("0 pages")
            for f in files:
                pending.append((f, strip_page_suffix(source_name(os.path.relpath(f, p)).replace(os.sep, "/"))))
        elif st is not None:
            pending.append((p, strip_page_suffix(os.path.basename(source_name(p)))))
        elif _MAGIC.search(p):
            base, rest = split_glob(p)
            rx = glob_regex(rest)
            root = base or "."
            if not os.path.isdir(root):
                raise UsageError(f"no file matches {printable(p)}")
            matched = []
            for f in _walk_sorted(root, found, follow_symlinks, keep=lambda name: True):
                rel = os.path.relpath(f, root).replace(os.sep, "/")
                if rx.fullmatch(source_name(rel)) or rx.fullmatch(rel):
                    matched.append((os.path.join(base, rel) if base else rel, rel))
            if not matched:
                raise UsageError(f"no file matches {printable(p)}")
            for f, rel in matched:
                pending.append((f, strip_page_suffix(source_name(rel))))
        else:
            raise UsageError(f"no such file or directory: {printable(p)}")
    pending = _expand_warcs(pending, found, keep_duplicates, scanner)
    counts: dict[str, int] = {}
    for _, pid, _ in pending:
        counts[pid] = counts.get(pid, 0) + 1
    used: set[str] = set()
    for path, pid, capture in pending:
        name = capture.url if capture is not None else source_name(path) if path != STDIN else STDIN
        if counts[pid] > 1:
            where = os.path.normpath(path) if capture is None else f"{path}@{capture.offset}"
            pid = f"{pid}~{_short_hash(where)}"
            while pid in used:  # the same path named twice: still two pages, still two ids
                pid = f"{pid}~{_short_hash(pid)}"
        used.add(pid)
        found.sources.append(Source(path=path, id=pid, name=name, capture=capture))
    return found


def _discover_url(url: str) -> list[tuple[str, str]]:
    """(URL, id) of the files a URL names: one file, every page file under a prefix, or the files
    a glob matches; ids follow the same rules as local paths (README "Page ids")."""
    try:
        if _MAGIC.search(url.split("://", 1)[1].split("?", 1)[0]):
            base = url[: _MAGIC.search(url).start()].rsplit("/", 1)[0] + "/"
            files = remote.glob_url(url)
            if not files:
                raise UsageError(f"no file matches {printable(url)}")
            return [(f, strip_page_suffix(f[len(base):] if f.startswith(base) else f.rsplit("/", 1)[-1]))
                    for f in files]
        listed = remote.list_url(url, _is_page_file)
        if listed is not None:
            base = url.rstrip("/") + "/"
            return [(f, strip_page_suffix(f[len(base):] if f.startswith(base) else f.rsplit("/", 1)[-1]))
                    for f in listed]
        if remote.protocol(url) not in remote.NO_LISTING and not remote.exists(url):
            raise UsageError(f"no such file or directory: {printable(url)}")
    except (ImportError, ValueError) as e:  # no fsspec implementation for the scheme, a bad URL
        raise UsageError(f"{printable(url)}: {e}") from None
    except OSError as e:
        raise UsageError(f"{printable(url)}: {e.strerror or e}") from None
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or url
    return [(url, strip_page_suffix(name))]


def _expand_warcs(pending: list[tuple[str, str]], found: Discovery, keep_duplicates: bool,
                  scanner: Callable | None) -> list[tuple[str, str, "Capture | None"]]:
    """Each WARC file in ``pending`` replaced by the pages it holds, in file order; the rest kept."""
    from .warc import choose, scan

    warcs = list(dict.fromkeys(path for path, _ in pending if path != STDIN and is_warc(path)))
    if not warcs:
        return [(path, pid, None) for path, pid in pending]
    scans: list[Scan] = list((scanner or map)(scan, warcs))
    chosen, found.duplicates = choose(scans, keep_duplicates)
    by_file: dict[str, list] = {}
    for capture, pid in chosen:
        by_file.setdefault(capture.warc, []).append((capture.warc, pid, capture))
    for s in scans:
        found.warc_files += 1
        found.warc_skipped.update(s.skipped)
        found.problems.extend(printable(line) for line in s.problems)
    out: list[tuple[str, str, Capture | None]] = []
    done: set[str] = set()
    for path, pid in pending:
        if path != STDIN and is_warc(path):
            if path not in done:  # a file named twice is read once
                out.extend(by_file.get(path, []))
                done.add(path)
        else:
            out.append((path, pid, None))
    return out
