"""report.html: it parses, every number in it is the JSON's, the diff view marks what it should,
"n/a", "—" and "No errors" where they belong, every system has its errors, data is escaped."""
import json
from html.parser import HTMLParser

import pytest

from extract.evaluation import examples
from extract.evaluation.cli import main
from extract.evaluation.diffview import fold_point, render
from extract.evaluation.scoring import span_categories

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """A strict reading of the report: every element closed in order; elements with data-key and
    the text inside them collected; the diff view's marks with their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems = [], []
        self.numbers = []          # (attrs, text)
        self.marks = []            # (attrs, text)
        self.ids = set()
        self.hrefs = []
        self._open_items = []      # [attrs, [text], kind, depth]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append(f"duplicate id {a['id']}")
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])
        if tag in VOID:
            return
        self.stack.append(tag)
        if "data-key" in a:
            self._open_items.append([a, [], "number", len(self.stack)])
        elif "data-cat" in a and "m" in a.get("class", "").split():
            self._open_items.append([a, [], "mark", len(self.stack)])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        depth = len(self.stack)
        self.stack.pop()
        while self._open_items and self._open_items[-1][3] == depth:
            a, text, kind, _ = self._open_items.pop()
            (self.numbers if kind == "number" else self.marks).append((a, "".join(text)))

    def handle_data(self, data):
        for item in self._open_items:
            item[1].append(data)


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    assert not p.problems, p.problems[:5]
    assert p.stack == [], p.stack
    return p


def resolve(run: dict, system: str, key: str):
    node = {"header": run["header"], "compare": run.get("compare")}.get(system, run["systems"].get(system))
    for part in key.split("/"):
        node = node[part]
    return node


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The three example pages, scored as "pipeline" (with confidences) and by a stand-in for the
    stock baseline (it attempts what the baseline attempts: countries and amounts, COUNTRY, DATE
    and MONEY spans; here it finds only the countries)."""
    tmp_path = tmp_path_factory.mktemp("report")
    ex = examples.write(tmp_path / "ex")
    import extract.evaluation.baseline as baseline

    preds = examples.predictions()
    base = {pid: {"id": pid, "entities": [e for e in r["entities"] if e["label"] == "COUNTRY"],
                  "countries_mentioned": r["countries_mentioned"], "amounts": []} for pid, r in preds.items()}
    out = tmp_path / "r"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(baseline, "predict", lambda pages: base)
        code = main(["--gold", str(ex["gold"]), "--split-file", str(ex["split"]), "--pred", str(ex["pred"]),
                     "--baseline", "--report", str(out)])
    assert code == 0
    return {"html": (out / "report.html").read_text("utf-8"), "json": json.loads((out / "report.json").read_text()),
            "md": (out / "report.md").read_text("utf-8"), "dir": out}


def test_html_parses_and_every_number_is_the_jsons(report):
    page = parse(report["html"])
    run = report["json"]
    assert len(page.numbers) > 150
    for attrs, text in page.numbers:
        value = resolve(run, attrs["data-sys"], attrs["data-key"])
        if "data-value" in attrs:
            assert json.loads(attrs["data-value"]) == value, attrs
            if isinstance(value, bool) or isinstance(value, int):
                assert text == str(value)
            elif attrs["data-key"].endswith("delta"):
                assert text == f"{value:+.3f}"
            else:
                assert text == f"{value:.3f}", (attrs, text)
        else:                                   # an interval
            assert [json.loads(attrs["data-lo"]), json.loads(attrs["data-hi"])] == value
            assert text == f"[{value[0]:.3f}, {value[1]:.3f}]"
    # and every defined, attempted figure of the JSON is in the HTML with its interval
    keys = {(a["data-sys"], a["data-key"]) for a, _ in page.numbers}
    for name, s in run["systems"].items():
        for f, d in s["record_per_field"].items():
            for m in "prf":
                if d["attempted"] and d["defined"][m]:
                    assert (name, f"record_per_field/{f}/{m}") in keys
                    assert (name, f"record_per_field/{f}/{m}_ci") in keys
        for m in "prf":
            assert (name, f"record_micro_{m}") in keys and (name, f"ents_{m}") in keys
        for lab, c in s["ents_errors"].items():
            assert (name, f"ents_errors/{lab}/missed") in keys
    # links of the pages-with-errors lists lead somewhere
    assert page.hrefs and set(page.hrefs) <= page.ids


def test_na_dash_and_no_errors(report):
    run, html = report["json"], report["html"]
    base = run["systems"]["stock baseline"]
    assert base["record_per_field"]["kind"]["attempted"] is False
    assert base["record_per_field"]["countries_mentioned"]["attempted"] is True
    panel = html.split("data-system='stock baseline'")[1]
    row = panel.split("<td>kind</td>")[1].split("</tr>")[0]
    assert row.count("—") == 6 and "0.000" not in row             # tp fp fn P R F1 of a field not attempted
    pipe = html.split("data-system='pipeline'")[1].split("data-system=")[0]
    mission = pipe.split("<td>mission</td>")[1].split("</tr>")[0]
    assert mission.count(">n/a<") == 3 and "1.000" not in mission
    assert "not attempted" in panel
    # a system with every page right says so
    assert "No errors" not in pipe
    ok_only = [e["id"] for e in run["systems"]["pipeline"]["error_pages"]]
    assert "ok" not in ok_only


def test_every_system_has_its_errors_and_a_selector(report):
    page = parse(report["html"])
    html = report["html"]
    # tabs without a script: a radio input per system, its label, its panel
    assert "<script" not in html.lower()
    assert "<input type='radio' class='tab' name='system' id='tab-s0' checked>" in html
    assert "<label class='tab' for='tab-s0'>pipeline</label>" in html
    assert "<label class='tab' for='tab-s1'>stock baseline</label>" in html
    for i in (0, 1):
        assert f"data-panel='s{i}'" in html and f"id='s{i}-errors'" in html
    assert page.marks
    pipe, base = html.split("data-system='pipeline'")[1].split("data-system='stock baseline'")
    # each panel has its own diff views: the stand-in baseline attempts COUNTRY only here... and DATE,
    # MONEY (baseline.LABELS); its gold BUDGET and PROJECT_CODE spans are grey, not "missed"
    assert 'data-cat="not_attempted" data-label="BUDGET"' in base
    assert 'data-cat="missed" data-label="DATE"' in base and 'data-cat="missed" data-label="MONEY"' in base
    assert 'data-cat="not_attempted"' not in pipe and 'data-cat="missed" data-label="MONEY"' in pipe


def test_diff_view_marks_a_known_missed_and_a_known_spurious_span(report):
    page = parse(report["html"])
    marks = [(a["data-cat"], a["data-label"], text) for a, text in page.marks if a.get("data-piece") != "cont"]
    assert ("missed", "MONEY", "100 000 dollars") in marks
    assert ("spurious", "DATE", "2020") in marks
    assert ("correct", "COUNTRY", "Cuba") in marks
    # the legend names every colour, the labels are shown (data-tag), the navigation is folded
    html = report["html"]
    for words in ("correct", "wrong label", "boundary only", "missed (gold only)", "spurious (predicted only)"):
        assert words in html
    assert 'data-tag="MONEY"' in html
    nav = html.split("data-page='nav'")[1].split("class='card page'")[0]
    assert "<details class='nav'><summary>site navigation" in nav and "1 span, 1 of them errors" in nav
    # record fields beside the text, with the evidence of the wrong value
    assert "<td><code>start_date</code></td><td class='gold'>&quot;2023&quot;</td>" in nav
    assert "evidence: «2020» · first date on the page · confidence 0.350" in nav
    assert "extra:<ul><li>CU</li>" in nav


def test_error_categories_on_a_constructed_pair():
    S = examples.span
    text = "Le 5 mars 2021, 100 USD et 200 EUR pour Haïti et le Mexique."
    gold = [S(text, "5 mars 2021", "DATE"), S(text, "100 USD", "MONEY"), S(text, "200 EUR", "MONEY"),
            S(text, "Haïti", "COUNTRY"), S(text, "Mexique", "COUNTRY")]
    pred = [S(text, "mars 2021", "DATE"),            # boundary only
            S(text, "100 USD", "BUDGET"),            # wrong label
            S(text, "200 EUR", "MONEY"),             # correct
            S(text, "Haïti", "COUNTRY"),             # correct
            S(text, "Le", "COUNTRY")]                # spurious; Mexique missed
    counts, marks = span_categories(gold, pred)
    assert counts["DATE"]["partial"] == 1 and counts["MONEY"]["wrong_label"] == 1
    assert counts["MONEY"]["correct"] == 1 and counts["COUNTRY"] == {
        "correct": 1, "wrong_label": 0, "partial": 0, "missed": 1, "spurious": 1}
    html = render(text, marks)
    page = parse(f"<div>{html}</div>")
    got = {(a["data-cat"], text_) for a, text_ in page.marks}
    assert ("partial_gold", "5 mars 2021") in got and ("partial_pred", "mars 2021") in got
    assert ("wrong_label", "100 USD") in got and ("missed", "Mexique") in got and ("spurious", "Le") in got
    assert 'data-tag="MONEY→BUDGET"' in html
    # gold and prediction counts are recovered from the categories
    for lab in counts:
        c = counts[lab]
        assert c["correct"] + c["wrong_label"] + c["partial"] + c["missed"] == sum(g["label"] == lab for g in gold)


def test_fold_point_uses_the_gold_content_start(tmp_path):
    page = examples.gold_pages()[1]
    src = tmp_path / "source"
    src.mkdir()
    (src / "nav.json").write_text(json.dumps({"content_start": "Recherche"}))
    assert page["text"][fold_point(page, src):].startswith("Recherche")
    # unknown: the line of the first span or of the title
    assert page["text"][fold_point(page, None):].startswith("Haïti : appui")
    # an id that could leave the directory is not looked up
    evil = {**page, "id": "../nav"}
    assert fold_point(evil, src) == fold_point(page, None)


def test_everything_from_data_is_escaped(tmp_path, capsys):
    text = "<script>alert('t')</script> Cuba"
    gold = {"id": "p<img src=x onerror=alert(1)>", "path": "x", "text": text,
            "spans": [{"start": 29, "end": 33, "label": "COUNTRY", "iso": "CU"}],
            "record": examples.empty_record(kind="news", title="<b>t</b>", countries_mentioned=["CU"])}
    pred = {"id": gold["id"], "kind": "<b>news</b>", "title": "<script>x()</script>",
            "countries_mentioned": ["<i>CU</i>"],
            "entities": [{"start": 0, "end": 8, "label": "<svg onload=alert(2)>", "text": "<script>"}],
            "evidence": {"title": {"value": "<script>x()</script>", "start": 0, "end": 8, "text": "<script>",
                                   "rule": "<img src=y onerror=alert(3)>", "confidence": 0.5}}}
    (tmp_path / "g.jsonl").write_text(json.dumps(gold) + "\n")
    (tmp_path / "p.jsonl").write_text(json.dumps(pred) + "\n")
    assert main(["--gold", str(tmp_path / "g.jsonl"), "--split", "all", "--pred", str(tmp_path / "p.jsonl"),
                 "--report", str(tmp_path / "r")]) == 0
    capsys.readouterr()
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    parse(html)
    for bad in ("<script>alert", "<script>x", "<svg onload", "<img src=x", "<img src=y", "<b>news</b>", "<i>CU"):
        assert bad not in html, bad
    md = (tmp_path / "r" / "report.md").read_text("utf-8")
    assert "<script>" not in md and "<svg" not in md and "<img" not in md


def test_calibration_in_the_report(report):
    run, html = report["json"], report["html"]
    cal = run["systems"]["pipeline"]["calibration"]
    assert cal["overall"]["n"] > 0 and "reliability" in cal["overall"]
    assert run["systems"]["stock baseline"]["calibration"] == {"note": "no confidences in these records"}
    assert "Calibration: no confidences in these records." in html
    assert (report["dir"] / "reliability.png").read_bytes()[:4] == b"\x89PNG"
    assert html.count("src='data:image/png;base64,") == 3     # two F1 charts + one reliability diagram
