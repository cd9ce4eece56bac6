"""Record writers. JSONL: one record per line, UTF-8, written to a temporary file renamed at the end."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..record import Record


class JsonlWriter:
    """Writes to OUT.tmp then renames to OUT on close, so a finished file is never half-written."""

    def __init__(self, path: str):
        self.path = path
        if path == "-":
            self.fh = sys.stdout
            self.tmp = None
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.tmp = path + ".tmp"
            self.fh = open(self.tmp, "w", encoding="utf-8")

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

    def __exit__(self, *exc):
        self.close()
