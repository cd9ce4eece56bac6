"""The gold scanner counts phrasings on the pages a rule may be developed on, never on blind ones
(extract/evaluation/scan.py; docs/scores/s39_decision.md says why)."""
import re

import pytest

from extract.evaluation.gold import READ_NOT_TRAINED, load_gold, select
from extract.evaluation.scan import DEFAULT_SPLITS, BlindSplitError, main, pages_to_scan


def test_the_default_pages_are_the_training_and_read_pages_and_no_blind_one():
    gold = load_gold()
    pages = {g["id"] for g in pages_to_scan(gold, DEFAULT_SPLITS)}
    allowed = {g["id"] for name in ("training", *READ_NOT_TRAINED) for g in select(gold, name)}
    blind = {g["id"] for g in select(gold, "never_trained")}
    assert pages == allowed and not pages & blind


@pytest.mark.parametrize("split", ["fresh", "test", "never_trained", "all", "written46_fresh"])
def test_a_split_holding_blind_pages_is_refused(split, capsys):
    with pytest.raises(BlindSplitError):
        pages_to_scan(load_gold(), (split,))
    assert main(["projet", "--split", split]) == 2
    assert "no rule may be developed on" in capsys.readouterr().err


def test_a_scan_prints_each_match_with_the_gold_record_and_the_counts(capsys):
    assert main([r"\bprojet\b", "--split", "dev", "--context", "20"]) == 0
    out = capsys.readouterr().out.splitlines()
    summary = re.fullmatch(r"(\d+) matches on (\d+) of (\d+) pages; spans after them: .+", out[-1])
    assert summary and int(summary[3]) == len(select(load_gold(), "dev"))
    matches = int(summary[1])
    assert matches == len(out) - 1 > 0
    assert all("budget=" in line and "[" in line for line in out[:-1])


def test_a_bad_pattern_is_a_clear_error(capsys):
    assert main(["(unclosed"]) == 2
    assert "not a regular expression" in capsys.readouterr().err
