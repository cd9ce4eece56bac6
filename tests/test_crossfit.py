"""Out-of-fold records of the training pages (extract/evaluation/crossfit.py): no page is read by
models trained on it (by page), nor on its batch (by batch); evaluate.py --crossfit scores them
and refuses pages it cannot make honestly."""
import json

import pytest

from extract.evaluation import crossfit
from extract.evaluation.cli import main
from extract.evaluation.gold import GOLD_PATH, SPLIT_PATH, TRAINING_SPLITS, load_gold, select


def _training():
    gold = load_gold(GOLD_PATH)
    batches = {g["id"]: s for s in TRAINING_SPLITS for g in select(gold, s)}
    return [g for g in gold if g["id"] in batches], batches


@pytest.mark.parametrize("regime", crossfit.REGIMES)
def test_no_page_is_read_by_models_trained_on_it_or_its_batch(regime):
    pages, batches = _training()
    ids = [g["id"] for g in pages]
    fits = crossfit.plan(ids, regime, batches=batches)
    held = [p for h, _ in fits for p in h]
    assert sorted(held) == sorted(ids)                       # every page once
    for h, training in fits:
        assert not set(h) & set(training)
        assert set(h) | set(training) == set(ids)
        if regime == "batch":
            assert len({batches[p] for p in h}) == 1           # one whole batch held out ...
            assert not {batches[p] for p in h} & {batches[p] for p in training}   # ... none of it in training


def test_records_come_from_models_trained_without_the_page(monkeypatch):
    """Each fit's running-text models are trained on the fit's training pages only (recorded), and
    each held page's record is made after that fit's training."""
    pages, batches = _training()
    trained = []
    import extract.prose.train as prose_train

    # the fits in this process, where the recording stub can see them (forked workers would train
    # in their own copies; tests/test_prose.py checks that two workers give the committed bytes)
    monkeypatch.setenv("IOM_TRAIN_WORKERS", "1")

    real = prose_train.train
    monkeypatch.setattr(prose_train, "train",
                        lambda gp, data_dir, out, collected, **_: trained.append({g["id"] for g in gp}))
    wanted = {pages[0]["id"], pages[-1]["id"]}   # two pages of two different batches
    assert batches[pages[0]["id"]] != batches[pages[-1]["id"]]
    # the stub reads no candidates: none collected (the real fits' are tested in tests/test_prose.py)
    made = crossfit.records(pages, GOLD_PATH.parent.parent / "models", ("batch",), batches=batches, held_ids=wanted,
                            collected={})
    monkeypatch.setattr(prose_train, "train", real)
    assert sorted(pid for _, pid, _, _ in made) == sorted(wanted)
    assert len(trained) == 2
    for (_, pid, rec, info), ids in zip(made, trained):
        assert rec["id"] == pid and pid not in ids
        assert not any(batches[i] == batches[pid] for i in ids)
        assert info["kind"] == rec["kind"]


def test_evaluate_refuses_pages_that_are_not_training_pages(capsys):
    assert main(["--split", "fresh", "--crossfit", "page"]) == 2
    assert "--crossfit scores training pages" in capsys.readouterr().err


def test_evaluate_crossfit_is_not_for_records_written_earlier(tmp_path, capsys):
    pred = tmp_path / "p.jsonl"
    pred.write_text(json.dumps({"id": "x"}) + "\n")
    assert main(["--split", "dev", "--crossfit", "batch", "--pred", str(pred), "--split-file", str(SPLIT_PATH)]) == 2
    assert "--crossfit runs the pipeline" in capsys.readouterr().err
