"""Where the project's data lives: models/ (patterns, gazetteers, trained artefacts).

models/ sits at the top of the checkout (the design keeps data out of the package); the
IOM_EXTRACT_MODELS environment variable points elsewhere for an installed copy.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def models_dir() -> Path:
    env = os.environ.get("IOM_EXTRACT_MODELS")
    return Path(env) if env else ROOT / "models"


def read_tsv(path: Path) -> list[list[str]]:
    """Rows of a TSV data file; blank lines and '#' comments skipped, header kept out if named."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def read_patterns(path: Path) -> dict[str, list[str]]:
    """models/patterns.jsonl: label -> its regexes (the codes' shapes, kept in one place)."""
    import json

    out: dict[str, list[str]] = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            p = json.loads(line)
            out.setdefault(p["label"], []).append(p["pattern"])
    return out
