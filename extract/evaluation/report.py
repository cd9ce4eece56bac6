"""Rendering of a run's JSON (summary.py): the console tables, report.md and report.html.

The report is for a maintainer deciding whether a change ships. It opens with what it was made
from (date, commit, gold file hash, split, pages, command) and an overview of the systems, then,
per system (one tab each, radio inputs and CSS: the page holds no script): the summary tables (per field and per label: gold
support, tp/fp/fn, P/R/F1 each with its 95% bootstrap interval; span error categories), cells
under the CI gate or under a previous run coloured; calibration figures when records carry
confidences; the list of pages with errors, linked; and per page with errors one diff view of the
text beside the record fields that differ. `--compare` adds what changed between two runs.

A figure whose denominator is empty is "n/a" (a field the gold never fills is no success); a
field or label the system does not attempt (the baseline fills only countries and amounts) is
"—" (no failure either). Everything that comes from a gold, prediction or command line is escaped
(html.escape, md_escape): a page can hold any text and a record any label.
"""
from __future__ import annotations

import base64
import html
import json
import re
from collections import Counter
from pathlib import Path

from . import charts
from .calibration import page_outcomes
from .diffview import CSS as DIFF_CSS
from .diffview import diff_view, legend_html
from .gold import LIST_FIELDS, RECORD_FIELDS
from .scoring import CATEGORIES, Evaluation, deliverable_pairs
from .summary import cell

LABELS = ("BUDGET", "MONEY", "DATE", "COUNTRY", "PROJECT_CODE", "PRIMA_ID", "DELIVERABLE")
CATEGORY_NAMES = {"correct": "correct", "wrong_label": "wrong label", "partial": "boundary only",
                  "missed": "missed", "spurious": "spurious"}
WIDTH = 100


def md_escape(value) -> str:
    r"""Text from gold or prediction files, shown as text in any Markdown viewer: no HTML, no
    link, table or code syntax can come through.

    >>> md_escape("<script>alert(1)</script> | `x` [a](javascript:b)")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\| \\`x\\` \\[a\\](javascript:b)'
    """
    s = html.escape(str(value), quote=False)
    return re.sub(r"([\\`*_{}\[\]|#!])", r"\\\1", s).replace("\n", " ")


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def _labels(systems: dict[str, dict], key: str) -> list[str]:
    seen = set()
    for s in systems.values():
        seen |= set(s.get(key, {}))
    return [lab for lab in LABELS if lab in seen] + sorted(seen - set(LABELS))


def f3(x) -> str:
    return f"{x:.3f}"


def ci_text(ci, short: bool = False) -> str:
    """'[0.889, 1.000]' (report) or '.889-1.000' (console).

    >>> ci_text([0.8889, 1.0]), ci_text([0.8889, 1.0], short=True), ci_text(None)
    ('[0.889, 1.000]', '.889-1.000', '')
    """
    if not ci:
        return ""
    lo, hi = (f3(v) for v in ci)
    if short:
        return f"{lo[1:] if lo.startswith('0.') else lo}-{hi[1:] if hi.startswith('0.') else hi}"
    return f"[{lo}, {hi}]"


# ---------------------------------------------------------------------------------------------
# rows: (name, gold support, tp, fp, fn, {metric: (json path, value, ci path, ci, state)})

def _metric_dict(d: dict, base: str) -> dict:
    out = {}
    for m in ("p", "r", "f"):
        out[m] = (f"{base}/{m}", d[m], f"{base}/{m}_ci", d.get(f"{m}_ci"), cell(d, m))
    return out


def record_rows(s: dict) -> list[tuple]:
    rows = []
    for f in RECORD_FIELDS:
        d = s["record_per_field"][f]
        rows.append((f, d["support"], d, _metric_dict(d, f"record_per_field/{f}"), f"record_per_field/{f}"))
    micro = {"p": s["record_micro_p"], "r": s["record_micro_r"], "f": s["record_micro_f"],
             "p_ci": s.get("record_micro_p_ci"), "r_ci": s.get("record_micro_r_ci"), "f_ci": s.get("record_micro_f_ci"),
             "defined": s.get("record_defined", {}), "attempted": True}
    tot = {k: sum(s["record_per_field"][f][k] for f in RECORD_FIELDS) for k in ("tp", "fp", "fn", "support")}
    metrics = {m: (f"record_micro_{m}", micro[m], f"record_micro_{m}_ci", micro[f"{m}_ci"], cell(micro, m))
               for m in ("p", "r", "f")}
    rows.append(("micro", tot["support"], tot, metrics, None))
    return rows


def span_rows(s: dict, labels: list[str], lenient: bool = False) -> list[tuple]:
    key = "ents_lenient_per_type" if lenient else "ents_per_type"
    prefix = "ents_lenient" if lenient else "ents"
    rows = []
    for lab in labels:
        d = s[key].get(lab)
        if d is None:
            d = {"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "fp": 0, "fn": 0, "support": 0,
                 "defined": {"p": False, "r": False, "f": False}, "attempted": True}
            rows.append((lab, 0, d, {m: (None, 0.0, None, None, "n/a") for m in "prf"}, None))
            continue
        rows.append((lab, d["support"], d, _metric_dict(d, f"{key}/{lab}"), f"{key}/{lab}"))
    per = [s[key][lab] for lab in labels if lab in s[key]]
    tot = {k: sum(d[k] for d in per) for k in ("tp", "fp", "fn", "support")}
    micro = {"defined": s.get(f"{prefix}_defined", {}), "attempted": True}
    metrics = {m: (f"{prefix}_{m}", s[f"{prefix}_{m}"], f"{prefix}_{m}_ci", s.get(f"{prefix}_{m}_ci"), cell(micro, m))
               for m in ("p", "r", "f")}
    rows.append(("micro", tot["support"], tot, metrics, None))
    return rows


def _prev_value(previous: dict | None, system: str, path: str | None):
    if not previous or path is None:
        return None
    node = previous.get("systems", {}).get(system)
    for part in path.split("/"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, (int, float)) and not isinstance(node, bool) else None


def flags(run: dict, system: str, path: str, value, state: str) -> list[str]:
    """'gate' when an F1 is under the CI gate, 'prev' when it is under the previous run's."""
    out = []
    if state != "value" or not path.endswith("f") or path.endswith("_f_ci"):
        return out
    gate = (run.get("gate") or {}).get("min_f1")
    if gate is not None and value < gate and not charts.is_baseline(system):   # the gate is not the baseline's
        out.append("gate")
    prev = _prev_value(run.get("previous_run"), system, path)
    if prev is not None and value < prev - 1e-9:
        out.append("prev")
    return out


# ---------------------------------------------------------------------------------------------
# console

def _text_table(rows: list[list[str]], left: int = 1) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return "\n".join(lines)


def _console_metric(metric: tuple) -> str:
    _, v, _, ci, state = metric
    if state != "value":
        return state
    return f"{f3(v)} {ci_text(ci, short=True)}".rstrip()


def _console_prf_table(rows: list[tuple], head: str, s: dict, counts: bool = True) -> str:
    table = [[head, "gold"] + (["tp", "fp", "fn"] if counts else []) + ["P  95% CI", "R  95% CI", "F1  95% CI"]]
    for name, support, d, metrics, _ in rows:
        attempted = d.get("attempted", True)
        cnt = [str(d["tp"]), str(d["fp"]), str(d["fn"])] if attempted else ["—"] * 3
        table.append([name, str(support)] + (cnt if counts else []) + [_console_metric(metrics[m]) for m in "prf"])
    return _text_table(table)


def console_report(run: dict) -> str:
    """The terminal summary: one block per system, at most 100 columns."""
    h = run["header"]
    out = [_clip(f"split: {h['split']}   pages: {h['pages']}   systems: {', '.join(run['systems'])}"),
           _clip(f"{h['date']}   commit {h['commit']}"),
           _clip(f"gold {h['gold_file']} sha256 {h['gold_sha256'][:16]}…"),
           f"95% intervals: {run['bootstrap']['resamples']} bootstrap resamples of pages, "
           f"seed {run['bootstrap']['seed']}"]
    for cov in run.get("inputs", []):
        out.append(_wrap(f"predictions: {cov['sentence']}"))
    for name, s in run["systems"].items():
        labels = _labels({name: s}, "ents_per_type")
        out += ["", _clip(f"=== {name} ==="), "SPANS, strict (same start, end, label)",
                _console_prf_table(span_rows(s, labels), "label", s),
                f"macro F1 {f3(s['ents_macro_f'])} {ci_text(s.get('ents_macro_f_ci'), short=True)}",
                "", "SPAN ERRORS (SemEval-2013 categories; under the gold label, spurious under the predicted)"]
        cat = [["label"] + [CATEGORY_NAMES[c] for c in CATEGORIES]]
        for lab in labels:
            c = s["ents_errors"].get(lab, {})
            cat.append([lab + ("" if s["ents_per_type"].get(lab, {}).get("attempted", True) else " (—)")]
                       + [str(c.get(k, 0)) for k in CATEGORIES])
        out.append(_text_table(cat))
        out += ["", "SPANS, lenient (overlap, same label)",
                _console_prf_table(span_rows(s, labels, lenient=True), "label", s, counts=False),
                "", "RECORD FIELDS", _console_prf_table(record_rows(s), "field", s)]
        notes = _flag_notes(run, name, s)
        out += notes
        out += _console_calibration(s.get("calibration", {}))
        n_err = len(s.get("error_pages", []))
        out.append(f"pages with errors: {n_err} of {s['support']['pages']}")
    if run.get("compare"):
        out += ["", console_compare(run["compare"])]
    return "\n".join(out)


def _flag_notes(run: dict, name: str, s: dict) -> list[str]:
    gate, prev = [], []
    for what, rows in (("record", record_rows(s)), ("spans", span_rows(s, _labels({name: s}, "ents_per_type")))):
        for row_name, _, _, metrics, _ in rows:
            path, v, _, _, state = metrics["f"]
            if path is None:
                continue
            fl = flags(run, name, path, v, state)
            label = f"{what} {row_name}" if row_name == "micro" else row_name
            if "gate" in fl:
                gate.append(f"{label} {f3(v)}")
            if "prev" in fl:
                prev.append(f"{label} {f3(v)} (was {f3(_prev_value(run.get('previous_run'), name, path))})")
    out = []
    if gate:
        out.append(_wrap(f"F1 under the CI gate {run['gate']['min_f1']}: " + ", ".join(gate)))
    if prev:
        out.append(_wrap("F1 lower than the previous run: " + ", ".join(prev)))
    return out


def _wrap(text: str, width: int = WIDTH) -> str:
    """Words on lines of at most ``width`` columns (continuation lines indented; a longer word cut).

    >>> _wrap("a " * 3 + "x" * 12, 8).split("\\n")
    ['a a a', '  xxxxxx', '  xxxxxx']
    """
    words, lines, cur = [], [], ""
    for w in text.split(" "):
        while len(w) > width - 2:
            words.append(w[:width - 2])
            w = w[width - 2:]
        words.append(w)
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = "  " + w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    return "\n".join(lines)


def _share(r: dict) -> str:
    return "n/a" if r["share"] is None else f"{r['share']:.2f}"


def _opt(x, spec=".3f") -> str:
    return "n/a" if x is None else format(x, spec)


def _console_calibration(cal: dict) -> list[str]:
    if not cal or "note" in cal:
        return ["", f"CALIBRATION: {cal.get('note', 'no confidences in these records')}"]
    ks = cal["review_ks"]
    rows = [["values", "n", "wrong", "ECE", "Brier"] + [f"rev@{k}%" for k in ks]]
    groups = [("all", cal["overall"]), ("scalars", cal["scalars"]), ("list items", cal["lists"])]
    shown = [(f, g) for f, g in cal["per_field"].items() if g["wrong"] or (g["ece"] or 0) >= 0.05]
    for name, g in groups + shown:
        rows.append([name, str(g["n"]), str(g["wrong"]), _opt(g["ece"]), _opt(g["brier"])]
                    + [_share(g["review"][str(k)]) for k in ks])
    out = ["", "CALIBRATION (ECE over 10 bins; rev@k%: share of the wrong values among the k% least confident)",
           _text_table(rows)]
    quiet = len(cal["per_field"]) - len(shown)
    if quiet:
        out.append(f"{quiet} other fields: no wrong value, ECE < 0.05 (every field in the JSON and the report)")
    return out


def console_compare(c: dict) -> str:
    rows = [["field", "gold", "F1 A", "F1 B", "delta  95% CI", "p"]]

    def row(name, support, t):
        fa, fb = _opt(t["f_a"]), _opt(t["f_b"])
        d = "n/a" if t["delta"] is None else f"{t['delta']:+.3f} {ci_text(t['delta_ci'], short=True)}"
        rows.append([name, str(support), fa, fb, d, _opt(t["p_value"], ".3f")])

    for f, t in c["per_field"].items():
        row(f, t["support"], t)
    row("record micro", "", c["record_micro"])
    row("spans micro", "", c["ents_micro"])
    out = [_wrap(f"COMPARE  {c['a']}   {c['b']}   ({c['pages']} pages; delta = B - A, paired bootstrap, "
                 f"two-sided p)"), _text_table(rows)]
    changed = c["changed_pages"]
    out.append(f"pages whose records changed: {len(changed)}")
    for p in changed:
        out.append(f"  {p['id']}")
        for f in p["fields"]:
            out.append(_clip(f"    {f['field']} [{f['verdict']}]: {_short(f['a'])} -> {_short(f['b'])}"
                             f"   (gold {_short(f['gold'])})"))
        for kind in ("removed", "added"):
            for s, e, lab, txt in p["spans"][kind]:
                out.append(_clip(f"    span {kind}: {lab} [{s}:{e}] {txt!r}"))
    return "\n".join(out)


def _short(v, n: int = 36) -> str:
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[: n - 1] + "…"


def _clip(line: str, width: int = WIDTH) -> str:
    line = line.replace("\n", "⏎")
    return line if len(line) <= width else line[: width - 1] + "…"


# ---------------------------------------------------------------------------------------------
# per-page errors: field differences

def _money(a) -> str:
    try:
        return f"{float(a['amount']):,.2f} {a.get('currency')}".replace(",", " ")
    except (TypeError, ValueError, KeyError):
        return json.dumps(a, ensure_ascii=False)


def field_diff(name: str, gold, pred) -> dict:
    """What differs in one field: the two values as text, and for lists what is missing and extra.

    >>> field_diff("countries_mentioned", ["CU", "MX"], ["MX", "AR"])["missing"], field_diff("title", "a", None)["pred"]
    (['CU'], 'null')
    """
    out: dict = {"field": name}
    if name in LIST_FIELDS:
        g, p = list(gold or []), list(pred or [])
        out.update(gold=", ".join(g) or "[]", pred=", ".join(p) or "[]",
                   missing=[x for x in g if x not in p], extra=[x for x in p if x not in g])
    elif name == "amounts":
        g, p = list(gold or []), list(pred or [])
        key = lambda a: (round(float(a["amount"]), 2), a.get("currency"))  # noqa: E731
        gc, pc = Counter(map(key, g)), Counter(map(key, p))
        out.update(gold="; ".join(map(_money, g)) or "[]", pred="; ".join(map(_money, p)) or "[]",
                   missing=[_money({"amount": a, "currency": c}) for (a, c) in (gc - pc).elements()],
                   extra=[_money({"amount": a, "currency": c}) for (a, c) in (pc - gc).elements()])
    elif name == "deliverables":
        g, p = list(gold or []), list(pred or [])
        pairs = deliverable_pairs(g, p)
        mg, mp = {i for i, _ in pairs}, {j for _, j in pairs}
        show = lambda d: f"{d.get('id') or '–'}: {str(d.get('text', ''))[:80]}"  # noqa: E731
        out.update(gold=f"{len(g)} deliverables", pred=f"{len(p)} deliverables",
                   missing=[show(d) for i, d in enumerate(g) if i not in mg],
                   extra=[show(d) for j, d in enumerate(p) if j not in mp])
    else:
        fmt = lambda v: _money(v) if isinstance(v, dict) else json.dumps(v, ensure_ascii=False)  # noqa: E731
        out.update(gold=fmt(gold), pred=fmt(pred))
    return out


def _evidence_text(outcomes, name: str) -> list[str]:
    out = []
    for o in outcomes:
        if o.field != name or (o.position is not None and o.right):
            continue
        where = f"«{o.text}»" if o.text else "no text"
        out.append(f"{where} · {o.rule or 'rule ?'} · confidence {o.confidence:.3f}"
                   + ("" if o.position is None else f" · item {o.position}"))
    return out


# ---------------------------------------------------------------------------------------------
# HTML

PAGE_CSS = """
:root{--ink:#1d2330;--muted:#5b6474;--line:#dde1e7;--bg:#fff;--accent:#1f5fbf}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#f5f6f8}
main{max-width:1320px;margin:0 auto;padding:18px 22px 60px}
h1{font-size:22px;margin:4px 0 10px}
h2{font-size:18px;margin:26px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}h4{font-size:14px;margin:16px 0 6px}
section.card,div.card{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:12px 16px;
 margin:12px 0}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;font-size:13px}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
table{border-collapse:collapse;font-size:12.5px;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:right;vertical-align:top}
th{background:#eef1f5;font-weight:600;position:sticky;top:0}
td:first-child,th:first-child{text-align:left}
tr.total td{font-weight:600;border-top:2px solid #b9c0cb}
td.na,td.dash{color:#8a93a3;text-align:center}
.ci{color:var(--muted);font-size:11px;margin-left:4px}
td.gate{background:#fde2e1}td.prev{box-shadow:inset 0 0 0 2px #ef8f00}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:11.5px;background:#eef1f5;margin-right:4px}
.badge.gate{background:#fde2e1}.badge.prev{box-shadow:inset 0 0 0 2px #ef8f00;background:#fff}
.warn{background:#fff4d6;border:1px solid #e8c15a;border-radius:4px;padding:6px 10px;margin:6px 0}
.ok{color:#2e7d32;font-weight:600}
.sysbar{position:sticky;top:0;z-index:5;background:#f5f6f8;padding:8px 0;border-bottom:1px solid var(--line);
 display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.sysbar label.tab{cursor:pointer;border:1px solid #b9c0cb;border-radius:14px;padding:2px 12px;background:#fff;
 font-weight:600;font-size:13px}
input.tab{position:absolute;opacity:0;pointer-events:none}
input.tab:focus-visible~.sysbar{outline:2px solid var(--accent)}
.grid2{display:grid;grid-template-columns:minmax(0,3fr) minmax(280px,2fr);gap:14px;align-items:start}
.fields td,.fields th{text-align:left}.fields td.gold{color:#1b5e20}.fields td.pred{color:#6a1b9a}
.fields .ev{color:var(--muted);font-size:11.5px}
.fields ul{margin:2px 0;padding-left:16px}
ul.pages{columns:3 260px;font-size:12.5px}
img.chart{max-width:100%;border:1px solid var(--line);border-radius:4px;background:#fff}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:10px;align-items:start;margin:8px 0}
.charts img.chart{width:100%}
.small{font-size:12px;color:var(--muted)}
[id]{scroll-margin-top:64px}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
"""

def tabs_css(n: int) -> str:
    """Tabs without a script: one radio input per system before the panels; the checked one shows
    its panel and highlights its label (a report may be opened where scripts are blocked, and a
    page that holds no <script> at all is easier to trust)."""
    rules = [f"#tab-s{i}:checked~section[data-panel='s{i}']{{display:block}}"
             f"#tab-s{i}:checked~.sysbar label[for='tab-s{i}']{{background:var(--accent);color:#fff;"
             f"border-color:var(--accent)}}" for i in range(n)]
    return "section[data-panel]{display:none}" + "".join(rules)


def _num(system: str, path: str, value, text: str | None = None) -> str:
    """A number the tests read back: data-sys + data-key name its place in the JSON."""
    shown = text if text is not None else (str(value) if isinstance(value, int) else f3(value))
    return (f"<span class='v' data-sys='{esc(system)}' data-key='{esc(path)}' "
            f"data-value='{esc(json.dumps(value))}'>{esc(shown)}</span>")


def _ci_span(system: str, path: str, ci) -> str:
    if not ci:
        return ""
    return (f"<span class='ci' data-sys='{esc(system)}' data-key='{esc(path)}' data-lo='{esc(json.dumps(ci[0]))}' "
            f"data-hi='{esc(json.dumps(ci[1]))}'>{esc(ci_text(ci))}</span>")


def _metric_td(run: dict, system: str, metric: tuple) -> str:
    path, v, ci_path, ci, state = metric
    if state == "—":
        return "<td class='dash' title='not attempted by this system'>—</td>"
    if state == "n/a":
        return "<td class='na' title='empty denominator: nothing to find and/or nothing predicted'>n/a</td>"
    fl = flags(run, system, path, v, state)
    title = []
    if "gate" in fl:
        title.append(f"under the CI gate {run['gate']['min_f1']}")
    if "prev" in fl:
        title.append(f"previous run: {f3(_prev_value(run.get('previous_run'), system, path))}")
    t = f" title='{esc('; '.join(title))}'" if title else ""
    return f"<td class='{' '.join(fl)}'{t}>{_num(system, path, v)}{_ci_span(system, ci_path, ci)}</td>"


def _count_td(system: str, path: str | None, key: str, d: dict) -> str:
    if not d.get("attempted", True):
        return "<td class='dash'>—</td>"
    if path is None:
        return f"<td>{esc(d[key])}</td>"
    return f"<td>{_num(system, f'{path}/{key}', d[key])}</td>"


def html_prf_table(run: dict, system: str, rows: list[tuple], head: str, counts: bool = True,
                   categories: dict | None = None) -> str:
    th = [head, "gold"] + (["tp", "fp", "fn"] if counts else []) + ["P [95% CI]", "R [95% CI]", "F1 [95% CI]"]
    if categories is not None:
        th += [CATEGORY_NAMES[c] for c in CATEGORIES]
    out = ["<table class='prf'><thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in th) + "</tr></thead><tbody>"]
    for name, support, d, metrics, path in rows:
        total = name == "micro"
        tds = [f"<td>{esc(name)}</td>", f"<td>{esc(support)}</td>"]
        if counts:
            tds += [_count_td(system, path, k, d) for k in ("tp", "fp", "fn")]
        tds += [_metric_td(run, system, metrics[m]) for m in "prf"]
        if categories is not None:
            c = categories.get(name)
            if c is None:
                tot = {k: sum(v[k] for v in categories.values()) for k in CATEGORIES}
                tds += [f"<td>{esc(tot[k])}</td>" for k in CATEGORIES]
            else:
                tds += [f"<td>{_num(system, f'ents_errors/{name}/{k}', c[k])}</td>" for k in CATEGORIES]
        out.append(f"<tr{' class=total' if total else ''}>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"<img class='chart' alt='{esc(alt)}' src='data:image/png;base64,{data}'>"


def _header_html(run: dict) -> str:
    h = run["header"]
    rows = [("date", esc(h["date"])), ("commit", f"<code>{esc(h['commit'])}</code>"),
            ("gold file", f"<code>{esc(h['gold_file'])}</code>"),
            ("gold sha256", f"<code>{esc(h['gold_sha256'])}</code>"), ("split", esc(h["split"])),
            ("pages", _num("header", "pages", h["pages"])),
            ("command", f"<code>{esc(h['command'])}</code>"),
            ("intervals", esc(f"95% percentile bootstrap: {run['bootstrap']['resamples']} resamples of pages, "
                              f"seed {run['bootstrap']['seed']}"))]
    gate = run.get("gate") or {}
    if gate.get("min_f1") is not None:
        rows.append(("CI gate", esc(f"F1 {gate['min_f1']} (from {gate['source']}); cells under it are coloured")))
    if run.get("previous_run"):
        rows.append(("previous run", esc(f"{run['previous_run_file']}: an F1 cell lower than there is outlined")))
    out = ["<dl class='meta'>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"]
    for cov in run.get("inputs", []):
        cls = "warn" if (cov["missing"] or cov["extra"] or cov["duplicates"]) else "small"
        out.append(f"<div class='{cls}'>predictions: {esc(cov['sentence'])}</div>")
    return "".join(out)


def _overview_html(run: dict) -> str:
    th = ["system", "record micro F1 [95% CI]", "spans micro F1, strict", "spans micro F1, lenient",
          "pages with errors"]
    out = ["<table><thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in th) + "</tr></thead><tbody>"]
    for name, s in run["systems"].items():
        cells = []
        for prefix, dkey in (("record_micro", "record_defined"), ("ents", "ents_defined"),
                             ("ents_lenient", "ents_lenient_defined")):
            state = cell({"defined": s.get(dkey, {}), "attempted": True}, "f")
            cells.append(_metric_td(run, name, (f"{prefix}_f", s[f"{prefix}_f"], f"{prefix}_f_ci",
                                                 s.get(f"{prefix}_f_ci"), state)))
        n_err = len(s.get("error_pages", []))
        cells.append(f"<td>{esc(n_err)} of {_num(name, 'support/pages', s['support']['pages'])}</td>")
        out.append(f"<tr><td>{esc(name)}</td>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _calibration_html(system: str, cal: dict, chart: str) -> str:
    if not cal or "note" in cal:
        return f"<p class='small'>Calibration: {esc(cal.get('note', 'no confidences in these records'))}.</p>"
    ks = cal["review_ks"]
    th = ["values", "n", "wrong", "accuracy", "mean confidence", "ECE", "Brier"] + [f"review {k}%" for k in ks]
    out = ["<table class='cal'><thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in th) + "</tr></thead><tbody>"]
    groups = [("all values", "overall", cal["overall"]), ("scalars (nulls included)", "scalars", cal["scalars"]),
              ("list items", "lists", cal["lists"])]
    groups += [(f, f"per_field/{f}", g) for f, g in cal["per_field"].items()]
    for name, path, g in groups:
        tds = [f"<td>{esc(name)}</td>", f"<td>{_num(system, f'calibration/{path}/n', g['n'])}</td>",
               f"<td>{_num(system, f'calibration/{path}/wrong', g['wrong'])}</td>"]
        for k in ("accuracy", "mean_confidence", "ece", "brier"):
            tds.append("<td class='na'>n/a</td>" if g[k] is None
                       else f"<td>{_num(system, f'calibration/{path}/{k}', g[k])}</td>")
        for k in ks:
            r = g["review"][str(k)]
            tds.append("<td class='na' title='no wrong value'>n/a</td>" if r["share"] is None else
                       f"<td title='{esc(r['found'])} of {esc(g['wrong'])} wrong values among the "
                       f"{esc(r['checked'])} least confident'>"
                       f"{_num(system, f'calibration/{path}/review/{k}/share', r['share'])}</td>")
        cls = " class=total" if path == "overall" else ""
        out.append(f"<tr{cls}>{''.join(tds)}</tr>")
    out.append("</tbody></table>")
    out.append("<p class='small'>ECE: expected calibration error over 10 equal-width confidence bins (0 is "
               "perfect). Brier: mean squared gap between confidence and outcome. Review k%: share of all wrong "
               "values a reviewer finds by checking the k% least-confident values. A value is right when it equals "
               "the gold value as the record scorer compares that field (null = null included).</p>")
    if chart:
        out.append(chart)
    return "".join(out)


def _pages_list_html(system_idx: int, s: dict, page_index: dict[str, int]) -> str:
    pages = s.get("error_pages", [])
    if not pages:
        return "<p class='ok'>No errors.</p>"
    items = []
    for e in pages:
        bits = [f"{e[k]} {CATEGORY_NAMES[k]}" for k in ("missed", "spurious", "wrong_label", "partial") if e[k]]
        if e["fields"]:
            bits.append("fields: " + ", ".join(e["fields"]))
        items.append(f"<li><a href='#s{system_idx}-p{page_index[e['id']]}'>{esc(e['id'])}</a> "
                     f"<span class='small'>{esc('; '.join(bits))}</span></li>")
    return f"<p>{len(pages)} pages with errors:</p><ul class='pages'>{''.join(items)}</ul>"


def _marks_for(ev: Evaluation, pid: str) -> list[dict]:
    out = []
    for m in ev.page_marks.get(pid, []):
        if m["cat"] == "missed" and not ev.attempts_label(m["label"]):
            m = {**m, "cat": "not_attempted"}
        out.append(m)
    return out


def _fields_html(e: dict, gold: dict, pred: dict, outcomes) -> str:
    if not e["fields"]:
        return "<p class='small'>Record fields: no differences.</p>"
    rows = ["<table class='fields'><thead><tr><th>field</th><th>gold</th><th>predicted</th></tr></thead><tbody>"]
    for f in e["fields"]:
        d = field_diff(f, gold["record"].get(f), pred.get(f))
        extra = ""
        if d.get("missing"):
            extra += "<div>missing:<ul>" + "".join(f"<li>{esc(x)}</li>" for x in d["missing"]) + "</ul></div>"
        if d.get("extra"):
            extra += "<div>extra:<ul>" + "".join(f"<li>{esc(x)}</li>" for x in d["extra"]) + "</ul></div>"
        ev = _evidence_text(outcomes, f)
        evh = "".join(f"<div class='ev'>evidence: {esc(x)}</div>" for x in ev)
        rows.append(f"<tr data-field='{esc(f)}'><td><code>{esc(f)}</code></td><td class='gold'>{esc(d['gold'])}</td>"
                    f"<td class='pred'>{esc(d['pred'])}{extra}{evh}</td></tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


def _errors_html(system_idx: int, name: str, s: dict, ev: Evaluation, gold_by_id: dict, preds: dict,
                 page_index: dict[str, int], folds: dict[str, int]) -> str:
    pages = s.get("error_pages", [])
    if not pages:
        return "<p class='ok'>No errors.</p>"
    out = [legend_html()]
    if ev.attempted_fields is not None:
        out.append(f"<p class='small'>This system does not attempt: "
                   f"{esc(', '.join(f for f in RECORD_FIELDS if not ev.attempts_field(f)))}; those fields are "
                   f"left out below, and gold spans of labels it does not attempt are grey.</p>")
    for e in pages:
        pid = e["id"]
        g, p = gold_by_id[pid], preds.get(pid, {})
        dom = f"s{system_idx}-p{page_index[pid]}"
        outcomes = page_outcomes(pid, g["record"], p) if p else []
        out.append(f"<div class='card page' data-page='{esc(pid)}'><h4 id='{dom}'>{esc(pid)}</h4>")
        if not p:
            out.append("<div class='warn'>no prediction for this page (scored as an empty record)</div>")
        out.append("<div class='grid2'>")
        out.append(diff_view(g["text"], _marks_for(ev, pid), folds.get(pid, 0), f"{dom}-text"))
        out.append(f"<div>{_fields_html(e, g, p, outcomes)}</div></div></div>")
    return "".join(out)


def _compare_html(c: dict) -> str:
    th = ["", "gold", "F1 A", "F1 B", "delta [95% CI]", "p (paired bootstrap)"]
    out = [f"<p><code>{esc(c['a'])}</code> against <code>{esc(c['b'])}</code> on "
           f"{_num('compare', 'pages', c['pages'])} pages; delta = B - A, with its 95% interval and the two-sided "
           f"p-value of a paired bootstrap (both runs resampled with the same pages).</p>",
           "<table><thead><tr>" + "".join(f"<th>{esc(x)}</th>" for x in th) + "</tr></thead><tbody>"]

    def row(label: str, path: str, support, t: dict, total: bool = False):
        def td(key, text=None):
            v = t[key]
            return "<td class='na'>n/a</td>" if v is None else f"<td>{_num('compare', f'{path}/{key}', v, text)}</td>"
        if t["delta"] is None:
            delta = "<td class='na'>n/a</td>"
        else:
            shown = f"{t['delta']:+.3f}"
            delta = (f"<td>{_num('compare', f'{path}/delta', t['delta'], shown)}"
                     f"{_ci_span('compare', f'{path}/delta_ci', t['delta_ci'])}</td>")
        out.append(f"<tr{' class=total' if total else ''}><td>{esc(label)}</td><td>{esc(support)}</td>"
                   f"{td('f_a')}{td('f_b')}{delta}{td('p_value')}</tr>")

    for f, t in c["per_field"].items():
        row(f, f"per_field/{f}", t["support"], t)
    row("record micro", "record_micro", "", c["record_micro"], True)
    row("spans micro (strict)", "ents_micro", "", c["ents_micro"], True)
    out.append("</tbody></table>")
    changed = c["changed_pages"]
    if not changed:
        out.append("<p class='ok'>No page changed.</p>")
        return "".join(out)
    out.append(f"<h3>{len(changed)} pages whose records changed</h3>")
    for p in changed:
        out.append(f"<div class='card'><h4>{esc(p['id'])}</h4>")
        if p["fields"]:
            out.append("<table class='fields'><thead><tr><th>field</th><th>verdict</th><th>A</th><th>B</th>"
                       "<th>gold</th></tr></thead><tbody>")
            for f in p["fields"]:
                diff = ""
                if "removed" in f:
                    diff = (f"<div class='ev'>removed: {esc(_short(f['removed'], 200))}; "
                            f"added: {esc(_short(f['added'], 200))}</div>")
                out.append(f"<tr><td><code>{esc(f['field'])}</code></td><td>{esc(f['verdict'])}</td>"
                           f"<td>{esc(_short(f['a'], 200))}</td><td>{esc(_short(f['b'], 200))}{diff}</td>"
                           f"<td>{esc(_short(f['gold'], 200))}</td></tr>")
            out.append("</tbody></table>")
        for kind in ("removed", "added"):
            for s, e, lab, txt in p["spans"][kind]:
                out.append(f"<div class='small'>span {kind}: {esc(lab)} [{s}:{e}] «{esc(txt)}»</div>")
        out.append("</div>")
    return "".join(out)


def html_report(run: dict, evs: dict[str, Evaluation], gold_pages: list[dict], preds: dict[str, dict],
                folds: dict[str, int], images: dict[str, Path]) -> str:
    gold_by_id = {g["id"]: g for g in gold_pages}
    page_index = {g["id"]: i for i, g in enumerate(gold_pages)}
    h = run["header"]
    parts = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
             "<meta name='viewport' content='width=device-width, initial-scale=1'>",
             f"<title>Evaluation report: {esc(h['split'])} split</title>",
             f"<style>{PAGE_CSS}{DIFF_CSS}{tabs_css(len(run['systems']))}</style></head><body><main>",
             f"<h1>Evaluation report: {esc(h['split'])} split, {esc(h['pages'])} pages</h1>",
             f"<section class='card' id='header'>{_header_html(run)}</section>",
             "<h2 id='overview'>Overview</h2>", _overview_html(run)]
    figs = [_img(images[k], alt) for k, alt in (("field_f1", "per-field F1 with 95% bootstrap intervals"),
                                                 ("span_f1", "per-label span F1 with 95% bootstrap intervals"))
            if k in images]
    if figs:
        parts.append("<div class='charts'>" + "".join(figs) + "</div>")
    if run.get("compare"):
        parts += ["<h2 id='compare'>Compare</h2>", _compare_html(run["compare"])]
    names = list(run["systems"])
    parts += [f"<input type='radio' class='tab' name='system' id='tab-s{i}'{' checked' if i == 0 else ''}>"
              for i in range(len(names))]
    tabs = "".join(f"<label class='tab' for='tab-s{i}'>{esc(n)}</label>" for i, n in enumerate(names))
    parts.append(f"<div class='sysbar' role='tablist'><span>System:</span>{tabs}"
                 f"<span class='small'>summary, calibration and errors of the chosen system; "
                 f"<span class='badge gate'>under the CI gate</span><span class='badge prev'>lower than the "
                 f"previous run</span></span></div>")
    for i, (name, s) in enumerate(run["systems"].items()):
        ev = evs[name]
        labels = _labels({name: s}, "ents_per_type")
        parts.append(f"<section data-panel='s{i}' data-system='{esc(name)}'>")
        parts.append(f"<h2 id='s{i}-summary'>{esc(name)}: summary</h2>")
        parts.append("<h3>Record fields</h3>" + html_prf_table(run, name, record_rows(s), "field"))
        parts.append("<h3>Spans, strict (same start, end and label), with the SemEval-2013 error categories</h3>"
                     + html_prf_table(run, name, span_rows(s, labels), "label", categories=s["ents_errors"]))
        macro = s.get("ents_macro_f_ci")
        parts.append(f"<p class='small'>macro F1 (mean over labels): {_num(name, 'ents_macro_f', s['ents_macro_f'])}"
                     f"{_ci_span(name, 'ents_macro_f_ci', macro)}. Categories are counted under the gold span's "
                     f"label (spurious: the predicted one's); boundary only = same label, overlapping, other "
                     f"boundaries.</p>")
        parts.append("<h3>Spans, lenient (overlap, same label)</h3>"
                     + html_prf_table(run, name, span_rows(s, labels, lenient=True), "label", counts=False))
        parts.append("<h3>Calibration</h3>" + _calibration_html(
            name, s.get("calibration", {}),
            _img(images[f"reliability_{i}"], "reliability diagram") if f"reliability_{i}" in images else ""))
        parts.append(f"<h3 id='s{i}-pages'>Pages with errors</h3>" + _pages_list_html(i, s, page_index))
        parts.append(f"<h3 id='s{i}-errors'>Errors, page by page</h3>"
                     + _errors_html(i, name, s, ev, gold_by_id, preds.get(name, {}), page_index, folds))
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Markdown

def _md_metric(metric: tuple) -> str:
    _, v, _, ci, state = metric
    return state if state != "value" else f"{f3(v)} {ci_text(ci)}"


def _md_prf_table(run: dict, system: str, rows: list[tuple], head: str, categories: dict | None = None) -> str:
    th = [head, "gold", "tp", "fp", "fn", "P [95% CI]", "R [95% CI]", "F1 [95% CI]"]
    if categories is not None:
        th += [CATEGORY_NAMES[c] for c in CATEGORIES]
    out = ["| " + " | ".join(th) + " |", "|" + "|".join(["---"] + ["---:"] * (len(th) - 1)) + "|"]
    for name, support, d, metrics, _ in rows:
        attempted = d.get("attempted", True)
        cnt = [str(d[k]) if attempted else "—" for k in ("tp", "fp", "fn")]
        cells = []
        for m in "prf":
            c = _md_metric(metrics[m])
            fl = flags(run, system, metrics[m][0] or "", metrics[m][1], metrics[m][4]) if metrics[m][0] else []
            if "gate" in fl:
                c = f"**{c}** (under gate)"
            if "prev" in fl:
                c += f" ↓ was {f3(_prev_value(run.get('previous_run'), system, metrics[m][0]))}"
            cells.append(c)
        row = [md_escape(name), str(support)] + cnt + cells
        if categories is not None:
            c = categories.get(name)
            row += ([str(c[k]) for k in CATEGORIES] if c else
                    [str(sum(v[k] for v in categories.values())) for k in CATEGORIES])
        out.append("| " + " | ".join(row) + " |")
    return "\n".join(out)


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return (text[a:start] + "[[" + text[start:end] + "]]" + text[end:b]).replace("\n", "⏎")


def markdown_report(run: dict, evs: dict[str, Evaluation], gold_pages: list[dict], preds: dict[str, dict],
                    images: dict[str, Path]) -> str:
    h = run["header"]
    gold_by_id = {g["id"]: g for g in gold_pages}
    md = [f"# Evaluation report: {md_escape(h['split'])} split, {h['pages']} pages", "",
          f"- date: {md_escape(h['date'])}", f"- commit: {md_escape(h['commit'])}",
          f"- gold file: {md_escape(h['gold_file'])} (sha256 {h['gold_sha256']})",
          f"- command: {md_escape(h['command'])}",
          f"- 95% intervals: percentile bootstrap, {run['bootstrap']['resamples']} resamples of pages, "
          f"seed {run['bootstrap']['seed']}"]
    if (run.get("gate") or {}).get("min_f1") is not None:
        md.append(f"- CI gate: F1 {run['gate']['min_f1']} (from {md_escape(run['gate']['source'])}); "
                  f"figures under it in bold")
    for cov in run.get("inputs", []):
        md.append(f"- predictions: {md_escape(cov['sentence'])}")
    md += ["", "## Overview", "", "| system | record micro F1 | spans micro F1 (strict) | spans micro F1 (lenient) "
           "| pages with errors |", "|---|---:|---:|---:|---:|"]
    for name, s in run["systems"].items():
        cells = [f"{f3(s[f'{p}_f'])} {ci_text(s.get(f'{p}_f_ci'))}" for p in ("record_micro", "ents", "ents_lenient")]
        md.append(f"| {md_escape(name)} | " + " | ".join(cells)
                  + f" | {len(s.get('error_pages', []))} of {s['support']['pages']} |")
    md.append("")
    for key, alt in (("field_f1", "per-field F1"), ("span_f1", "per-label span F1")):
        if key in images:
            md += [f"![{alt}]({images[key].name})", ""]
    if run.get("compare"):
        md += ["## Compare", "", "```", console_compare(run["compare"]), "```", ""]
    for i, (name, s) in enumerate(run["systems"].items()):
        ev = evs[name]
        labels = _labels({name: s}, "ents_per_type")
        md += [f"## {md_escape(name)}", "", "### Record fields", "", _md_prf_table(run, name, record_rows(s), "field"),
               "", "### Spans, strict, with the SemEval-2013 error categories", "",
               _md_prf_table(run, name, span_rows(s, labels), "label", categories=s["ents_errors"]), "",
               f"macro F1 {f3(s['ents_macro_f'])} {ci_text(s.get('ents_macro_f_ci'))}", "",
               "### Spans, lenient", "", _md_prf_table(run, name, span_rows(s, labels, lenient=True), "label"), "",
               "### Calibration", ""]
        cal = s.get("calibration", {})
        if "note" in cal:
            md += [f"{md_escape(cal['note'])}.", ""]
        else:
            md += ["```", "\n".join(_console_calibration(cal)[2:]), "```", ""]
            if f"reliability_{i}" in images:
                md += [f"![reliability diagram]({images[f'reliability_{i}'].name})", ""]
        pages = s.get("error_pages", [])
        md += [f"### Errors of `{md_escape(name)}`, page by page", ""]
        if not pages:
            md += ["No errors.", ""]
        for e in pages:
            g, p = gold_by_id[e["id"]], preds.get(name, {}).get(e["id"], {})
            md += [f"#### {md_escape(e['id'])}", ""]
            text = g["text"]
            for m in _marks_for(ev, e["id"]):
                if m["cat"] in ("correct", "not_attempted"):
                    continue
                what = {"wrong_label": f"wrong label {m['label']} → {m.get('pred_label')}",
                        "partial": f"boundary only ({m.get('side')}) {m['label']}"}.get(m["cat"],
                                                                                      f"{m['cat']} {m['label']}")
                md.append(f"- {md_escape(what)}: {md_escape(_context(text, m['start'], m['end']))}")
            if e["fields"]:
                md += ["", "| field | gold | predicted |", "|---|---|---|"]
                for f in e["fields"]:
                    d = field_diff(f, g["record"].get(f), p.get(f))
                    pred_txt = d["pred"]
                    if d.get("missing"):
                        pred_txt += "; missing: " + ", ".join(d["missing"])
                    if d.get("extra"):
                        pred_txt += "; extra: " + ", ".join(d["extra"])
                    md.append(f"| {f} | {md_escape(d['gold'])} | {md_escape(pred_txt)} |")
            md.append("")
    return "\n".join(md) + "\n"


# ---------------------------------------------------------------------------------------------
# files

def write_report(out_dir: Path, run: dict, evs: dict[str, Evaluation], gold_pages: list[dict],
                 preds: dict[str, dict], folds: dict[str, int], outcomes: dict[str, list]) -> list[Path]:
    """report.md, report.html (self-contained: charts inlined), report.json and the PNG charts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    images: dict[str, Path] = {}
    images["field_f1"] = charts.f1_chart(out_dir / "field_f1.png", run["systems"], "record_per_field",
                                         list(RECORD_FIELDS), "Record fields: F1 per field")
    labels = _labels(run["systems"], "ents_per_type")
    images["span_f1"] = charts.f1_chart(out_dir / "span_f1.png", run["systems"], "ents_per_type", labels,
                                        "Spans (strict): F1 per label")
    for i, (name, s) in enumerate(run["systems"].items()):
        cal = s.get("calibration", {})
        if "note" not in cal and outcomes.get(name):
            ranked = sorted(outcomes[name], key=lambda o: o.confidence)     # stable: record order in ties
            path = out_dir / ("reliability.png" if i == 0 else f"reliability_{i}.png")
            images[f"reliability_{i}"] = charts.calibration_chart(
                path, {name: {"reliability": cal["overall"]["reliability"], "ece": cal["overall"]["ece"],
                              "order": [o.right for o in ranked],
                              "order_scalars": [o.right for o in ranked if o.position is None]}})
    public = {k: v for k, v in run.items() if k != "previous_run"}
    (out_dir / "report.json").write_text(json.dumps(public, indent=1, ensure_ascii=False) + "\n", "utf-8")
    (out_dir / "report.md").write_text(markdown_report(run, evs, gold_pages, preds, images), "utf-8")
    (out_dir / "report.html").write_text(html_report(run, evs, gold_pages, preds, folds, images), "utf-8")
    return [out_dir / "report.md", out_dir / "report.html", out_dir / "report.json", *images.values()]

