"""Rendering: terminal tables, report.md, report.html (with displaCy), a PNG chart of per-field F1."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .gold import RECORD_FIELDS
from .scoring import Evaluation

LABELS = ("BUDGET", "MONEY", "DATE", "COUNTRY", "PROJECT_CODE", "PRIMA_ID", "DELIVERABLE")


def md_escape(value) -> str:
    r"""Text from gold or prediction files, shown as text in any Markdown viewer: no HTML, no
    link, table or code syntax can come through.

    >>> md_escape("<script>alert(1)</script> | `x` [a](javascript:b)")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\| \\`x\\` \\[a\\](javascript:b)'
    """
    s = html.escape(str(value), quote=False)
    return re.sub(r"([\\`*_{}\[\]|#!])", r"\\\1", s).replace("\n", " ")


def _row(cells, widths):
    return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def span_table(systems: dict[str, Evaluation], lenient: bool = False) -> list[list[str]]:
    head = ["label", "support"] + [f"{n} {m}" for n in systems for m in ("P", "R", "F1")]
    rows = [head]
    first = next(iter(systems.values()))
    scores = lambda ev: ev.lenient if lenient else ev.strict  # noqa: E731
    labels = [l for l in LABELS if any(l in scores(ev).per_type for ev in systems.values())]
    for lab in labels:
        sup = scores(first).per_type.get(lab)
        row = [lab, str(sup.support if sup else 0)]
        for ev in systems.values():
            c = scores(ev).per_type.get(lab)
            row += [_fmt(c.p), _fmt(c.r), _fmt(c.f)] if c else ["-", "-", "-"]
        rows.append(row)
    micro = ["micro", str(scores(first).micro.support)]
    macro = ["macro F1", ""]
    for ev in systems.values():
        m = scores(ev).micro
        micro += [_fmt(m.p), _fmt(m.r), _fmt(m.f)]
        macro += ["", "", _fmt(scores(ev).macro_f)]
    return rows + [micro, macro]


def record_table(systems: dict[str, Evaluation]) -> list[list[str]]:
    head = ["field", "support"] + [f"{n} {m}" for n in systems for m in ("P", "R", "F1")]
    rows = [head]
    first = next(iter(systems.values()))
    for f in RECORD_FIELDS:
        row = [f, str(first.records.per_field[f].support)]
        for ev in systems.values():
            c = ev.records.per_field[f]
            row += [_fmt(c.p), _fmt(c.r), _fmt(c.f)]
        rows.append(row)
    micro = ["micro", str(first.records.micro.support)]
    for ev in systems.values():
        m = ev.records.micro
        micro += [_fmt(m.p), _fmt(m.r), _fmt(m.f)]
    return rows + [micro]


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [_row(r, widths) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def md_table(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] + ["---:"] * (len(rows[0]) - 1)) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out)


def html_table(rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def print_report(systems: dict[str, Evaluation], split: str) -> str:
    first = next(iter(systems.values()))
    parts = [
        f"split: {split}   pages: {first.pages}   systems: {', '.join(systems)}",
        "",
        "SPANS, strict (same start, end, label)",
        text_table(span_table(systems)),
        "",
        "SPANS, lenient (overlap, same label)",
        text_table(span_table(systems, lenient=True)),
        "",
        "RECORD FIELDS",
        text_table(record_table(systems)),
    ]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# per-page errors

def _context(text: str, start: int, end: int, width: int = 40) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return (text[a:start] + "[[" + text[start:end] + "]]" + text[end:b]).replace("\n", "⏎")


def page_errors(gold: dict, pred: dict) -> dict:
    gs = {(s["start"], s["end"], s["label"]) for s in gold["spans"]}
    ps = {(s["start"], s["end"], s["label"]) for s in pred.get("entities", [])}
    text = gold["text"]
    missed = [(s, e, l, _context(text, s, e)) for s, e, l in sorted(gs - ps)]
    spurious = [(s, e, l, _context(text, s, e)) for s, e, l in sorted(ps - gs)]
    fields = []
    for f in RECORD_FIELDS:
        g, p = gold["record"].get(f), pred.get(f)
        if f == "amounts":
            g = sorted((a["amount"], a["currency"]) for a in g or [])
            p = sorted((a["amount"], a["currency"]) for a in p or [])
        elif f == "deliverables":
            g = [(d["id"], d["text"][:60]) for d in g or []]
            p = [(d["id"], d["text"][:60]) for d in p or []]
        elif f in ("beneficiary_countries", "non_eligible_countries", "countries_mentioned"):
            g, p = sorted(g or []), sorted(p or [])
        if isinstance(g, str):
            g = " ".join(g.split())
        if isinstance(p, str):
            p = " ".join(p.split())
        if isinstance(g, dict):
            g = (round(g["amount"], 2), g["currency"])
        if isinstance(p, dict):
            p = (round(p["amount"], 2), p["currency"])
        if g != p:
            fields.append((f, g, p))
    return {"missed": missed, "spurious": spurious, "fields": fields}


def _displacy(text: str, spans: list[dict], title: str) -> str:
    """displaCy's span rendering of character spans (mapped onto the project's tokens)."""
    from spacy import displacy

    doc = _blank()(text)
    out_spans = []
    for s in spans:
        sp = doc.char_span(s["start"], s["end"], alignment_mode="expand")
        if sp is not None:
            # displaCy escapes the tokens but not the labels or the title
            out_spans.append({"start_token": sp.start, "end_token": sp.end, "label": html.escape(str(s["label"]))})
    data = {"text": text, "tokens": [t.text for t in doc], "spans": out_spans, "title": html.escape(title)}
    return displacy.render(data, style="span", manual=True, page=False, jupyter=False)


_BLANK = None


def _blank():
    global _BLANK
    if _BLANK is None:
        import spacy

        from ..tokenizer import adjust_tokenizer

        _BLANK = adjust_tokenizer(spacy.blank("fr"))
    return _BLANK


def write_report(out_dir: Path, systems: dict[str, Evaluation], gold_pages: list[dict],
                 predictions: dict[str, dict], split: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    chart = out_dir / "field_f1.png"
    _chart(systems, chart)
    first_name = next(iter(systems))
    md = [f"# Evaluation report ({split} split)", "",
          f"Pages: {next(iter(systems.values())).pages}. Systems: {', '.join(systems)}.", "",
          "## Spans, strict", "", md_table(span_table(systems)), "",
          "## Spans, lenient", "", md_table(span_table(systems, lenient=True)), "",
          "## Record fields", "", md_table(record_table(systems)), "",
          f"![per-field F1]({chart.name})", "", f"## Errors of `{first_name}`, page by page", ""]
    hp = ["<!doctype html><meta charset='utf-8'><title>Evaluation report</title>",
          "<style>body{font-family:sans-serif;max-width:1200px;margin:auto}table{border-collapse:collapse}"
          "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child{text-align:left}"
          ".ctx{font-family:monospace;font-size:90%}</style>",
          f"<h1>Evaluation report ({html.escape(split)} split)</h1>",
          "<h2>Spans, strict</h2>", html_table(span_table(systems)),
          "<h2>Spans, lenient</h2>", html_table(span_table(systems, lenient=True)),
          "<h2>Record fields</h2>", html_table(record_table(systems)),
          f"<p><img src='{chart.name}' alt='per-field F1'></p>",
          f"<h2>Errors of <code>{html.escape(first_name)}</code>, page by page</h2>"]
    for g in gold_pages:
        pred = predictions.get(g["id"], {})
        err = page_errors(g, pred)
        if not (err["missed"] or err["spurious"] or err["fields"]):
            continue
        md.append(f"### {md_escape(g['id'])}")
        hp.append(f"<h3>{html.escape(g['id'])}</h3>")
        for kind in ("missed", "spurious"):
            for s, e, lab, ctx in err[kind]:
                md.append(f"- {kind} {md_escape(lab)}: {md_escape(ctx)}")
                hp.append(f"<div class='ctx'>{kind} <b>{html.escape(str(lab))}</b>: {html.escape(ctx)}</div>")
        if err["fields"]:
            md.append("")
            md.append("| field | gold | predicted |\n|---|---|---|")
            rows = [["field", "gold", "predicted"]]
            for f, gv, pv in err["fields"]:
                md.append(f"| {f} | {md_escape(json.dumps(gv, ensure_ascii=False))} | "
                          f"{md_escape(json.dumps(pv, ensure_ascii=False))} |")
                rows.append([f, json.dumps(gv, ensure_ascii=False), json.dumps(pv, ensure_ascii=False)])
            hp.append(html_table(rows))
        md.append("")
        if err["missed"] or err["spurious"]:
            hp.append(_displacy(g["text"], g["spans"], "gold"))
            hp.append(_displacy(g["text"], pred.get("entities", []), "predicted"))
    (out_dir / "report.md").write_text("\n".join(md) + "\n", "utf-8")
    (out_dir / "report.html").write_text("\n".join(hp) + "\n", "utf-8")
    return [out_dir / "report.md", out_dir / "report.html", chart]


def _chart(systems: dict[str, Evaluation], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fields = list(RECORD_FIELDS)
    fig, ax = plt.subplots(figsize=(11, 4.5))
    width = 0.8 / max(len(systems), 1)
    for k, (name, ev) in enumerate(systems.items()):
        xs = [i + k * width for i in range(len(fields))]
        ax.bar(xs, [ev.records.per_field[f].f for f in fields], width, label=name)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(fields))])
    ax.set_xticklabels(fields, rotation=60, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("F1")
    ax.set_title("Record fields: F1 per field")
    ax.legend(fontsize=8, loc="lower left", framealpha=0.9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
