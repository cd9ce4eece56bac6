"""One view of a page's text with the gold and predicted spans compared (report.html).

Each span error category has its colour (the legend is :data:`LEGEND`): correct, wrong label,
boundary only (the gold span and the predicted one both drawn), missed, spurious, and gold spans
of a label the system does not attempt (grey). Span labels are shown after each span (CSS
``::after`` from a data attribute, so the page text stays the element's text). Spans nest (a
DELIVERABLE holds COUNTRY spans) or cross (a boundary error): crossing marks are split into
pieces, the label on the last piece. The site navigation before the content is folded away in a
``<details>`` element, which says how many marks it holds.

Everything from the page or a record is escaped (html.escape).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

# category -> (css class, legend text)
LEGEND = {
    "correct": ("m-ok", "correct"),
    "wrong_label": ("m-wl", "wrong label (gold → predicted)"),
    "partial_gold": ("m-pg", "boundary only: gold span"),
    "partial_pred": ("m-pp", "boundary only: predicted span"),
    "missed": ("m-miss", "missed (gold only)"),
    "spurious": ("m-spur", "spurious (predicted only)"),
    "not_attempted": ("m-na", "gold span of a label this system does not attempt"),
}

CSS = """
.txt{white-space:pre-wrap;font:13px/1.7 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#fcfcfc;
 border:1px solid #ddd;border-radius:4px;padding:8px 10px;overflow-wrap:anywhere;max-height:38em;overflow:auto}
details.nav>summary{cursor:pointer;color:#555;font-size:12px;margin:2px 0}
details.nav .txt{background:#f3f3f3;color:#555;max-height:16em}
.m{border-radius:3px;padding:1px 0;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.m[data-tag]::after{content:attr(data-tag);font:600 9px/1 sans-serif;letter-spacing:.02em;padding:1px 3px;
 margin-left:2px;border-radius:3px;color:#fff;vertical-align:super;white-space:nowrap}
.m-ok{background:#dff3dc;border-bottom:2px solid #2e7d32}.m-ok[data-tag]::after{background:#2e7d32}
.m-wl{background:#ffe4c2;border:2px solid #e65100}.m-wl[data-tag]::after{background:#e65100}
.m-pg{background:#fff3c0;border-bottom:3px double #a07800}.m-pg[data-tag]::after{background:#a07800}
.m-pp{background:#fff3c0;border:2px dotted #a07800}.m-pp[data-tag]::after{background:#7a5c00}
.m-miss{background:#fddcdc;border:2px dashed #c62828}.m-miss[data-tag]::after{background:#c62828}
.m-spur{background:#e4ddfb;border:2px solid #5e35b1}.m-spur[data-tag]::after{background:#5e35b1}
.m-na{color:#666;border-bottom:1px dotted #999}.m-na[data-tag]::after{background:#999}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:12px;margin:6px 0}
.legend .m{font:12px ui-monospace,monospace;padding:0 4px}
ul.errs{margin:0 0 6px;padding-left:18px;font-size:12.5px}ul.errs .small{color:#777}
"""

_SAFE_ID = re.compile(r"^[\w.-]{1,200}$")


def legend_html() -> str:
    items = "".join(f"<span><span class='m {cls}'>sample</span> {html.escape(text)}</span>"
                    for cls, text in LEGEND.values())
    return f"<div class='legend' role='note' aria-label='colours of the diff view'>{items}</div>"


def content_start(page: dict, source_dir: Path | None) -> int | None:
    """Where the content starts: the gold source file's ``content_start`` string
    (annotations/source/<id>.json), found in the page text; None when unknown."""
    if source_dir is None or not _SAFE_ID.match(str(page.get("id", ""))):
        return None
    src = source_dir / f"{page['id']}.json"
    try:
        cs = json.loads(src.read_text("utf-8")).get("content_start")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(cs, str) or not cs:
        return None
    i = page["text"].find(cs)
    return i if i >= 0 else None


def fold_point(page: dict, source_dir: Path | None = None) -> int:
    """Everything before this offset is folded: the content start when the gold source says it,
    else the first gold span or the gold title, whichever comes first (0: nothing folded).

    >>> fold_point({"id": "x", "text": "Menu Accueil\\nCuba : projet\\nCuba", "spans": [{"start": 27, "end": 31}],
    ...             "record": {"title": "Cuba : projet"}})
    13
    """
    cs = content_start(page, source_dir)
    if cs is not None:
        return cs
    text = page["text"]
    cands = [s["start"] for s in page.get("spans", [])]
    title = (page.get("record") or {}).get("title")
    if isinstance(title, str) and title:
        i = text.find(title)
        if i >= 0:
            cands.append(i)
    if not cands:
        return 0
    at = min(cands)
    line = text.rfind("\n", 0, at)          # fold whole lines
    return line + 1 if line >= 0 else 0


def _mark_class(m: dict) -> str:
    cat = m["cat"]
    if cat == "partial":
        cat = "partial_gold" if m.get("side") == "gold" else "partial_pred"
    return cat


def _tag(m: dict) -> str:
    cat = m["cat"]
    if cat == "wrong_label":
        return f"{m['label']}→{m.get('pred_label')}"
    if cat == "partial":
        return f"{m['label']} ({'gold' if m.get('side') == 'gold' else 'pred'})"
    return str(m["label"])


def _title(m: dict) -> str:
    return f"{LEGEND[_mark_class(m)][1]}: {_tag(m)} [{m['start']}:{m['end']}]"


def render(text: str, marks: list[dict], a: int = 0, b: int | None = None) -> str:
    """text[a:b] escaped, with the marks that fall in it as nested <span>s.

    >>> render("Cuba et Haïti", [{"start": 0, "end": 4, "label": "COUNTRY", "cat": "missed"}])
    '<span class="m m-miss" data-cat="missed" data-label="COUNTRY" data-start="0" data-end="4" title="missed (gold only): COUNTRY [0:4]" data-tag="COUNTRY">Cuba</span> et Haïti'
    """
    b = len(text) if b is None else b
    ms = [(max(m["start"], a), min(m["end"], b), m) for m in marks if m["start"] < b and m["end"] > a
          and m["start"] < m["end"]]
    points = sorted({a, b} | {s for s, _, _ in ms} | {e for _, e, _ in ms})
    out: list[str] = []
    stack: list[int] = []
    last_open: dict[int, int] = {}     # mark -> index in out of its latest opening tag

    def open_(k: int) -> None:
        m = ms[k][2]
        cls = LEGEND[_mark_class(m)][0]
        attrs = {"class": f"m {cls}", "data-cat": _mark_class(m), "data-label": m["label"],
                 "data-start": m["start"], "data-end": m["end"], "title": _title(m)}
        if m.get("pred_label") is not None:
            attrs["data-pred-label"] = m["pred_label"]
        if k in last_open:
            attrs["data-piece"] = "cont"
        elif m.get("_id"):
            attrs["id"] = m["_id"]
        last_open[k] = len(out)
        out.append("<span " + " ".join(f'{n}="{html.escape(str(v), quote=True)}"' for n, v in attrs.items()) + ">")
        stack.append(k)

    order = sorted(range(len(ms)), key=lambda k: (ms[k][0], -ms[k][1], k))
    for p, q in zip(points, points[1:] + [None]):
        ending = [k for k in stack if ms[k][1] <= p]
        if ending:
            depth = min(stack.index(k) for k in ending)
            reopen = [k for k in stack[depth:] if k not in ending]
            out.extend("</span>" for _ in stack[depth:])
            del stack[depth:]
            for k in reopen:
                open_(k)
        if q is None:
            break
        for k in order:
            if ms[k][0] == p:
                open_(k)
        out.append(html.escape(text[p:q], quote=False))
    out.extend("</span>" for _ in stack)
    for k, i in last_open.items():           # the label goes on each mark's last piece
        out[i] = out[i][:-1] + f' data-tag="{html.escape(_tag(ms[k][2]), quote=True)}">'
    return "".join(out)


ERROR_CATS = ("wrong_label", "partial", "missed", "spurious")
SHORT = {"wrong_label": "wrong label", "partial_gold": "boundary only, gold span",
         "partial_pred": "boundary only, predicted span", "missed": "missed", "spurious": "spurious"}


def error_list(text: str, marks: list[dict], dom_id: str) -> str:
    """The page's span errors in one line each, linked to their mark in the text (which scrolls
    there even inside the folded navigation: the link opens it, see report.SCRIPT)."""
    items = []
    for k, m in enumerate(marks):
        if m["cat"] not in ERROR_CATS:
            continue
        frag = text[m["start"]:m["end"]].replace("\n", " ")
        frag = frag if len(frag) <= 60 else frag[:59] + "…"
        what = SHORT[_mark_class(m)] + " " + (_tag(m) if m["cat"] == "wrong_label" else str(m["label"]))
        items.append(f"<li><a href='#{html.escape(dom_id, quote=True)}-m{k}'>{html.escape(what)}</a> "
                     f"«{html.escape(frag)}» <span class='small'>[{m['start']}:{m['end']}]</span></li>")
    return f"<ul class='errs'>{''.join(items)}</ul>" if items else ""


def diff_view(text: str, marks: list[dict], fold_at: int, dom_id: str) -> str:
    """The page text with its marks; the part before ``fold_at`` folded in a <details>."""
    marks = [{**m, "_id": f"{dom_id}-m{k}"} for k, m in enumerate(marks)]
    parts = [f"<div class='diff' id='{html.escape(dom_id, quote=True)}'>", error_list(text, marks, dom_id)]
    if fold_at > 0:
        inside = [m for m in marks if m["start"] < fold_at]
        errs = sum(1 for m in inside if m["cat"] not in ("correct", "not_attempted"))
        what = f"{len(inside)} span{'s' if len(inside) != 1 else ''}" + (f", {errs} of them errors" if errs else "")
        parts.append(f"<details class='nav'><summary>site navigation and page furniture before the content: "
                     f"{fold_at} characters, {what} (folded)</summary><div class='txt'>"
                     f"{render(text, marks, 0, fold_at)}</div></details>")
    parts.append(f"<div class='txt'>{render(text, marks, fold_at, len(text))}</div></div>")
    return "".join(parts)
