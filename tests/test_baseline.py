"""The stock baseline that evaluate.py --baseline scores (the trained models: tests/test_prose.py)."""


def test_baseline_smoke():
    from extract.evaluation.baseline import predict

    rec = predict([("L'OIM au Mexique a reçu 1,5 million de dollars le 30 mars 2017.", "p")])["p"]
    labels = {e["label"] for e in rec["entities"]}
    assert "MONEY" in labels and "DATE" in labels
