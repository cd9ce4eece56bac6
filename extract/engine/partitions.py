"""Partitions: the unit of work a cluster schedules, writes and resumes.

The sources of a run (extract/io/sources.py) are cut into partitions of consecutive pages: a new
partition at every WARC file (a worker then reads one archive, in order) and every ``size``
pages. Each partition becomes one part file, written whole or not at all, named by its number;
its key (a hash of the pages in it: ids, where they are) tells a later ``--resume`` whether the
part on disk was made for the same pages. The manifest (``_manifest.json`` beside the parts; the
leading underscore keeps Parquet readers from taking it for data) lists the finished partitions.

>>> from extract.io.sources import Source
>>> srcs = [Source(f"p{k}.txt", f"p{k}", f"p{k}.txt") for k in range(5)]
>>> [len(p.sources) for p in plan(srcs, 2)], plan(srcs, 2)[0].file("parquet")
([2, 2, 1], 'part-00000.parquet')
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from ..io import remote
from ..io.sources import Source

MANIFEST = "_manifest.json"
STAGING = "_run/"    # where a Dask run writes a dataset's new parts until they are all there
DEFAULT_PARTITION_SIZE = 500


@dataclass(frozen=True)
class Partition:
    number: int
    key: str
    sources: tuple[Source, ...]

    def file(self, ext: str) -> str:
        return f"part-{self.number:05d}.{ext}"


def _key(sources: list[Source]) -> str:
    h = hashlib.sha1()
    for s in sources:
        where = f"{s.path}@{s.capture.offset}" if s.capture is not None else s.path
        h.update(f"{s.id}\t{where}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:16]


def plan(sources: list[Source], size: int = DEFAULT_PARTITION_SIZE) -> list[Partition]:
    """Consecutive sources in partitions of at most ``size`` pages, one WARC file per partition."""
    out: list[Partition] = []
    chunk: list[Source] = []

    def close() -> None:
        if chunk:
            out.append(Partition(len(out), _key(chunk), tuple(chunk)))
            chunk.clear()

    for s in sources:
        archive = s.path if s.capture is not None else None
        if chunk and (len(chunk) >= size or archive != (chunk[-1].path if chunk[-1].capture is not None else None)):
            close()
        chunk.append(s)
    close()
    return out


# ---------------------------------------------------------------------------------------------
# the manifest

def read_manifest(parts_dir: str) -> dict:
    """{partition number: entry} of a manifest, {} when there is none (or it cannot be read)."""
    path = remote.join(parts_dir, MANIFEST)
    try:
        if remote.local_path(path) is not None:
            with open(remote.local_path(path), encoding="utf-8") as fh:
                data = json.load(fh)
        else:
            fs, inner = remote.filesystem(path)
            with fs.open(inner, "rb") as fh:
                data = json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return {int(k): v for k, v in (data.get("partitions") or {}).items()}


def write_manifest(parts_dir: str, done: dict, total: int) -> None:
    """The finished partitions, written whole (tmp + rename on a disk; one PUT on a store)."""
    body = json.dumps({"format": 1, "partitions_total": total,
                       "partitions": {str(k): done[k] for k in sorted(done)}}, ensure_ascii=False, indent=1)
    path = remote.join(parts_dir, MANIFEST)
    lp = remote.local_path(path)
    if lp is not None:
        os.makedirs(os.path.dirname(lp) or ".", exist_ok=True)
        tmp = lp + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(tmp, lp)
    else:
        fs, inner = remote.filesystem(path)
        with fs.open(inner, "wb") as fh:
            fh.write(body.encode("utf-8"))


def part_exists(parts_dir: str, name: str) -> bool:
    path = remote.join(parts_dir, name)
    lp = remote.local_path(path)
    return os.path.exists(lp) if lp is not None else remote.exists(path)


def publish(staging: str, out: str, names: list[str]) -> None:
    """Make the parts written in ``staging`` the dataset ``out``: the old parts that the run did
    not write again are removed, the new ones moved in, the manifest last, then ``staging`` goes.
    (Renames on a disk; copies on an object store, which has no rename.)"""
    keep = set(names)
    lp, lo = remote.local_path(staging), remote.local_path(out)
    if lp is not None and lo is not None:
        for name in os.listdir(lo):
            if name.startswith("part-") and name not in keep and os.path.isfile(os.path.join(lo, name)):
                os.unlink(os.path.join(lo, name))
        for name in names + [MANIFEST]:
            if os.path.exists(os.path.join(lp, name)):
                os.replace(os.path.join(lp, name), os.path.join(lo, name))
        for name in os.listdir(lp):   # what a killed worker may have left (hidden tmp files)
            os.unlink(os.path.join(lp, name))
        os.rmdir(lp)
        return
    fs, inner_out = remote.filesystem(out)
    _, inner_staging = remote.filesystem(staging)
    staging_prefix = inner_staging.rstrip("/") + "/"
    for f in fs.find(inner_out):
        name = f.rsplit("/", 1)[-1]
        if not f.startswith(staging_prefix) and name.startswith("part-") and name not in keep:
            fs.rm(f)
    for name in names + [MANIFEST]:
        src = staging_prefix + name
        if fs.exists(src):
            fs.mv(src, inner_out.rstrip("/") + "/" + name)
    if fs.exists(inner_staging):
        fs.rm(inner_staging, recursive=True)
