"""What a code change moves, value by value, on the pages a rule may be developed on only
(extract/evaluation/changes.py)."""
import pytest

from extract.evaluation.changes import base_records, changes, head_records, main
from extract.evaluation.gold import load_gold, select


@pytest.mark.parametrize("split", ["fresh", "test", "never_trained", "written50_fresh"])
def test_a_split_holding_blind_pages_is_refused(split, capsys):
    assert main(["HEAD", "--split", split]) == 2
    assert "no rule may be developed on" in capsys.readouterr().err


def test_a_name_that_is_no_commit_is_a_clear_error(capsys):
    assert main(["no-such-commit-xyz", "--split", "dev"]) == 2
    assert "not a commit of this repository" in capsys.readouterr().err


def test_the_committed_code_run_in_its_own_worktree_gives_this_checkouts_records():
    """HEAD's pipeline checked out beside the repository and run in a subprocess reads two pages as
    this process does (a fresh clone's checkout is HEAD): no value moves."""
    pages = select(load_gold(), "dev")[:2]
    before, after = base_records("HEAD", pages), head_records(pages)
    assert set(before) == {g["id"] for g in pages}
    rows, counts = changes(pages, before, after)
    assert rows == [] and not any(counts.values())


def test_a_moved_value_is_printed_with_its_gold_and_counted(capsys, monkeypatch):
    """A base whose records lost every duration: each page with a duration in gold is 'fixed' now."""
    import extract.evaluation.changes as ch

    pages = [g for g in select(load_gold(), "dev") if g["record"].get("duration_months")][:2]
    monkeypatch.setattr(ch, "pages_to_scan", lambda gold, splits, split_path: pages)
    monkeypatch.setattr(ch, "base_records", lambda commit, pages, fields: {
        g["id"]: {f: (None if f == "duration_months" else g["record"].get(f)) for f in fields} for g in pages})
    monkeypatch.setattr(ch, "head_records", lambda pages, fields: {
        g["id"]: {f: g["record"].get(f) for f in fields} for g in pages})
    assert main(["somebase", "--field", "duration_months"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(pages) == 2 and out[-2] == "2 pages, 2 values moved" and out[-1] == "  duration_months: fixed 2"
    assert all("[fixed]" in line and "somebase —" in line for line in out[:2])
