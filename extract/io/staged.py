"""Outputs at a URL (``-o s3://bucket/out.jsonl``): written locally, then uploaded whole.

An object store has no append and no rename, so a writer cannot grow a file there batch by batch
and publish it at the end the way it does on a disk. The wrapper below lets every writer work as
it does locally, in a private staging directory, and puts the finished files at the URL when the
run ends well — a reader of the bucket sees the old output or the new one, never half of one
(a PUT is atomic). When the run is interrupted it uploads what ``--resume`` needs (JSON Lines'
``OUT.tmp``, a Parquet dataset's finished parts); ``--resume`` downloads them first. There is no
lock across machines: two runs writing the same URL at once leave the output of the last to end.
A Parquet dataset is uploaded part by part (several objects), so readers may see it mid-upload. If
an upload fails, the staging directory is kept and the error names it.
"""
from __future__ import annotations

import os
import shutil
import tempfile

from . import remote
from .writers import RecordWriter, output_paths


class UploadError(OSError):
    """The records are written but could not be put at the URL (kept locally, named in the text)."""


class RemoteWriter(RecordWriter):
    """Wraps the writer ``make(local_path, resume)`` of format ``fmt`` for the URL ``url``."""

    def __init__(self, url: str, fmt: str, make, resume: bool = False):
        self.url = url
        self.fmt = fmt
        self.fs, self.inner_path = remote.filesystem(url)
        self.stage = tempfile.mkdtemp(prefix="extract-output-")
        self.dataset = url.endswith("/")
        name = url.rstrip("/").rsplit("/", 1)[-1] or "out"
        self.local = os.path.join(self.stage, name) + (os.sep if self.dataset else "")
        if resume:
            self._download()
        self.inner = make(self.local, resume)
        self.path = url
        self.done = self.inner.done
        self.resumable = self.inner.resumable

    def _pairs(self) -> list[tuple[str, str]]:
        """(local file, remote path) of every file the run may write (see writers.output_paths)."""
        if self.dataset:
            return []
        base = self.inner_path
        return [(p, base + p[len(self.local):]) for p in output_paths(self.local, self.fmt)]

    def _download(self) -> None:
        if self.dataset:
            if self.fs.exists(self.inner_path):
                os.makedirs(self.local, exist_ok=True)
                for f in self.fs.find(self.inner_path):
                    self.fs.get(f, os.path.join(self.local, f.rsplit("/", 1)[-1]))
            return
        for local, far in self._pairs():
            if self.fs.exists(far):
                self.fs.get(far, local)

    def _upload(self, final: bool) -> None:
        if self.dataset:
            if os.path.isdir(self.local):
                names = sorted(n for n in os.listdir(self.local) if not n.startswith("."))  # "." : being written
                for name in names:
                    self.fs.put(os.path.join(self.local, name), self.inner_path.rstrip("/") + "/" + name)
                if final and self.fs.exists(self.inner_path):
                    # the parts of an earlier output that this one did not write again: gone, as
                    # the local dataset writer removes them at its end (else old and new rows mix)
                    keep = set(names)
                    for f in self.fs.find(self.inner_path):
                        name = f.rsplit("/", 1)[-1]
                        if name.endswith(".parquet") and name not in keep:
                            self.fs.rm(f)
            return
        for local, far in self._pairs():
            if os.path.exists(local):
                self.fs.put(local, far)
            elif final and self.fs.exists(far):
                self.fs.rm(far)   # an OUT.tmp left by an interrupted run, now completed

    def write(self, rec: dict) -> None:
        self.inner.write(rec)

    def flush(self) -> None:
        self.inner.flush()

    def commit(self) -> None:
        self.inner.commit()
        self._publish(final=True)

    def abort(self) -> None:
        self.inner.abort()
        self._publish(final=False)

    def _publish(self, final: bool) -> None:
        """Upload, then drop the staging directory; if the upload fails, the staging directory
        (the only copy of the records) stays, and the error says where it is."""
        try:
            self._upload(final)
        except Exception as e:  # noqa: BLE001 - any store error: keep the local copy, say so
            raise UploadError(f"could not upload to {self.url} ({type(e).__name__}: {e}); the output is kept "
                          f"in {self.stage}") from None
        shutil.rmtree(self.stage, ignore_errors=True)
