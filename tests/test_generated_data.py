"""The generated data files under models/ are what their build scripts write from the libraries'
data today: a hand edit, or a library update that changes them, shows here."""
import subprocess
import sys
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parent.parent / "models"


@pytest.mark.parametrize("script, output", [("build_gazetteer.py", "countries.tsv"),
                                            ("build_currencies.py", "currency_codes.tsv")])
def test_a_build_script_rebuilds_its_committed_file(tmp_path, script, output):
    committed = (MODELS / output).read_bytes()
    # run a copy beside copies of its inputs, so that the committed file is not touched
    for f in MODELS.glob("*.tsv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / script).write_bytes((MODELS / script).read_bytes())
    proc = subprocess.run([sys.executable, str(tmp_path / script)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / output).read_bytes() == committed
