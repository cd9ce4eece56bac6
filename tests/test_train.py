"""`python -m extract train` rebuilds the committed classifier, byte for byte, every time."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_train_is_deterministic_and_matches_the_committed_model(tmp_path):
    outs = []
    for k in range(2):
        out = tmp_path / f"m{k}.json"
        proc = subprocess.run([sys.executable, "-m", "extract", "train", "--out", str(out)],
                              capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0] == (ROOT / "models" / "budget_classifier.json").read_bytes()


def test_baseline_smoke():
    from extract.evaluation.baseline import predict

    rec = predict([("L'OIM au Mexique a reçu 1,5 million de dollars le 30 mars 2017.", "p")])["p"]
    labels = {e["label"] for e in rec["entities"]}
    assert "MONEY" in labels and "DATE" in labels
