"""Record writers. JSONL: one record per line, UTF-8, written to OUT.tmp and renamed to OUT at the end."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..record import Record


class JsonlWriter:
    """Writes OUT.tmp, renamed to OUT on close, so a finished OUT is never half-written.

    ``resume=True`` keeps the complete, valid lines already in OUT and in an OUT.tmp left by a
    killed run (a cut last line is dropped), and remembers their ids in ``done``; new records are
    appended after them.
    """

    def __init__(self, path: str, resume: bool = False):
        self.path = path
        self.done: set[str] = set()
        if path == "-":
            self.fh = sys.stdout
            self.tmp = None
            return
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.tmp = path + ".tmp"
        if resume:
            self._keep_existing()
            self.fh = open(self.tmp, "a", encoding="utf-8")
        else:
            self.fh = open(self.tmp, "w", encoding="utf-8")

    def _keep_existing(self) -> None:
        fresh = self.tmp + ".resume"
        with open(fresh, "w", encoding="utf-8") as out:
            for src in (self.path, self.tmp):
                if not os.path.exists(src):
                    continue
                with open(src, encoding="utf-8", errors="replace") as fh:
                    for line in fh:
                        if not line.endswith("\n"):
                            continue  # cut by a kill
                        try:
                            rid = json.loads(line)["id"]
                        except (ValueError, KeyError, TypeError):
                            continue
                        if rid not in self.done:
                            self.done.add(rid)
                            out.write(line)
        os.replace(fresh, self.tmp)

    def write(self, rec: Record) -> None:
        self.write_line(rec.to_json())

    def write_line(self, line: str, flush: bool = True) -> None:
        """One JSON record and its newline; flushed, a killed run leaves only whole lines before it."""
        self.fh.write(line + "\n")
        if flush:
            self.fh.flush()

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        if self.tmp is None:
            self.fh.flush()
            return
        self.fh.close()
        os.replace(self.tmp, self.path)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.close()
        elif self.tmp is not None:
            self.fh.close()  # keep OUT.tmp: --resume picks it up
