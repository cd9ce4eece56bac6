"""Run a script against an earlier commit's own code: its ``extract`` package, models and gazetteers,
checked out in a temporary git worktree beside the repository and run in a subprocess. The
first-look records (models/first_look/make.py) and the change report (extract/evaluation/changes.py)
read other commits' pipelines this way."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from .gold import ROOT


def resolve(commit: str, root: Path = ROOT) -> str:
    """The full hash of ``commit`` (a hash, a branch, "HEAD"), or ValueError.

    >>> len(resolve("HEAD")), resolve("HEAD") == resolve(resolve("HEAD")[:12])
    (40, True)
    """
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"],
                         capture_output=True, text=True)
    if out.returncode:
        raise ValueError(f"not a commit of this repository: {commit!r}")
    return out.stdout.strip()


def run_at_commit(commit: str, script: str, stdin: str, args: tuple[str, ...] = (),
                  root: Path = ROOT) -> tuple[str, subprocess.CompletedProcess]:
    """(the commit's full hash, the finished run of ``python -c script *args`` in its worktree, with
    ``stdin`` as input). The worktree is removed whatever the script does; the caller reads the
    run's return code, output and error."""
    full = resolve(commit, root)
    with tempfile.TemporaryDirectory() as tmp:
        wt = Path(tmp) / "wt"
        subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", str(wt), full], check=True,
                       capture_output=True)
        try:
            run = subprocess.run([sys.executable, "-c", script, *args], cwd=wt, capture_output=True, text=True,
                                 input=stdin)
        finally:
            subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(wt)], check=True,
                           capture_output=True)
    return full, run


def error_tail(run: subprocess.CompletedProcess, lines: int = 5) -> str:
    """The end of a failed run's own traceback, to name in the error."""
    return "\n".join(run.stderr.strip().splitlines()[-lines:])
