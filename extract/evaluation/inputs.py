"""What evaluate.py reads, read honestly: a file it cannot use is one line and exit 2, never a
traceback; prediction ids that do not match the gold pages are counted and said, not scored as
silent zeros; and the report says what it was made from (date, commit, gold hash, command).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import ROOT


class InputError(Exception):
    """A file evaluate.py cannot use; the message is the one line the user sees (exit 2)."""


def _read_text(path: Path, what: str) -> str:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{what} {path}: is a directory, not a file") from None
    except OSError as e:
        raise InputError(f"{what} {path}: cannot read ({e.strerror or e})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{what} {path}: not UTF-8 text (byte {e.start})") from None


def looks_like_csv(path: Path, text: str) -> bool:
    """A CSV/TSV page table (the batch CLI's ``-o OUT.csv``) given where JSON Lines are expected.

    >>> looks_like_csv(Path("a.jsonl"), "id,source,kind\\n1,x,news\\n"), looks_like_csv(Path("a.jsonl"), '{"id": 1}')
    (True, False)
    """
    if Path(path).suffix.lower() in (".csv", ".tsv"):
        return True
    first = text.lstrip()[:1]
    return bool(first) and first not in "{[" and ("," in text.split("\n", 1)[0] or "\t" in text.split("\n", 1)[0])


@dataclass
class Predictions:
    """Records read from a --pred/--compare file, by id."""
    path: Path
    records: dict[str, dict]
    duplicates: list[str] = field(default_factory=list)


def read_predictions(path: Path) -> Predictions:
    """JSON Lines records by id (a later line with the same id wins, and the id is counted as a
    duplicate). Raises InputError with one line for anything that is not usable."""
    path = Path(path)
    text = _read_text(path, "--pred")
    if looks_like_csv(path, text):
        raise InputError(f"--pred {path}: this is a CSV table; --pred reads the JSON Lines records the batch "
                         f"CLI writes (python -m extract batch … -o OUT.jsonl)")
    records: dict[str, dict] = {}
    dups: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"--pred {path} line {n}: not JSON ({e.msg})") from None
        if not isinstance(rec, dict):
            raise InputError(f"--pred {path} line {n}: not a JSON object (a record per line is expected)")
        if not isinstance(rec.get("id"), str):
            raise InputError(f"--pred {path} line {n}: record without a string id")
        if rec["id"] in records:
            dups.append(rec["id"])
        records[rec["id"]] = rec
    return Predictions(path, records, dups)


def read_gold(path: Path) -> list[dict]:
    text = _read_text(path, "--gold")
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                g = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"--gold {path} line {n}: not JSON ({e.msg})") from None
            if not isinstance(g, dict) or not {"id", "text", "spans", "record"} <= g.keys():
                raise InputError(f"--gold {path} line {n}: not a gold line (id, text, spans, record)")
            out.append(g)
    return out


def read_split(path: Path) -> dict[str, list[str]]:
    text = _read_text(path, "--split-file")
    try:
        split = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"--split-file {path}: not JSON ({e.msg})") from None
    if not isinstance(split, dict):
        raise InputError(f"--split-file {path}: not a JSON object of split names")
    return split


def read_json(path: Path, what: str) -> dict:
    text = _read_text(path, what)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{what} {path}: not JSON ({e.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("systems"), dict):
        raise InputError(f"{what} {path}: not a JSON written by evaluate.py --json / --json-out")
    return data


# ---------------------------------------------------------------------------------------------
# ids

@dataclass
class Coverage:
    """How a prediction file's ids meet the gold pages of the split."""
    name: str
    gold_pages: int
    predicted: int                      # gold pages of the split with a prediction
    missing: list[str]                  # gold pages of the split without one
    extra: list[str]                    # prediction ids that are no gold page at all
    outside_split: int                  # predictions of gold pages of other splits (ignored)
    duplicates: list[str]

    @property
    def mismatch(self) -> bool:
        return bool(self.missing or self.extra or self.duplicates)

    def sentence(self) -> str:
        """What the report and stderr say.

        >>> Coverage("pred.jsonl", 127, 5, ["a"] * 122, ["x"], 0, []).sentence()
        'pred.jsonl: 5 of 127 gold pages have a prediction; 1 predicted id is not in the gold (x)'
        """
        parts = [f"{self.name}: {self.predicted} of {self.gold_pages} gold pages have a prediction"]
        if self.extra:
            shown = ", ".join(self.extra[:5]) + (", …" if len(self.extra) > 5 else "")
            parts.append(f"{len(self.extra)} predicted id{' is' if len(self.extra) == 1 else 's are'} "
                         f"not in the gold ({shown})")
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} id{'s' if len(self.duplicates) > 1 else ''} given twice "
                         f"(the last record kept: {', '.join(self.duplicates[:5])})")
        if self.outside_split:
            parts.append(f"{self.outside_split} predictions of pages outside the split ignored")
        return "; ".join(parts)

    def to_json(self) -> dict:
        return {"file": self.name, "gold_pages": self.gold_pages, "predicted": self.predicted,
                "missing": self.missing, "extra": self.extra, "outside_split": self.outside_split,
                "duplicates": self.duplicates, "sentence": self.sentence()}


def coverage(preds: Predictions, pages: list[dict], all_gold_ids: set[str]) -> Coverage:
    split_ids = [g["id"] for g in pages]
    split_set = set(split_ids)
    have = set(preds.records)
    return Coverage(
        name=str(preds.path), gold_pages=len(split_ids), predicted=sum(1 for i in split_ids if i in have),
        missing=[i for i in split_ids if i not in have], extra=sorted(have - all_gold_ids),
        outside_split=len((have & all_gold_ids) - split_set), duplicates=sorted(set(preds.duplicates)))


# ---------------------------------------------------------------------------------------------
# the report's header

def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def git_commit(root: Path = ROOT) -> str:
    """HEAD's commit, "+ local changes" when tracked files differ from it; "unknown" without git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return "unknown"
        commit = head.stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10)
        return commit + (" + local changes" if dirty.returncode == 0 and dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def header(gold_path: Path, split: str, pages: int, argv: list[str]) -> dict:
    return {"date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "commit": git_commit(), "gold_file": str(gold_path), "gold_sha256": sha256_of(gold_path),
            "split": split, "pages": pages, "command": shlex.join(["evaluate.py", *argv])}
