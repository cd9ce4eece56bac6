"""A review page for the doubtful values: ``extract review OUT.jsonl -o review.html [--below 0.9]``.

One self-contained static HTML file (inline CSS and JavaScript, no server, no network) listing
every value whose confidence is under the threshold — scalar values, nulls included, and list
items — least confident first, each with its evidence highlighted in its sentence (the page text
comes from the record's ``text`` when the batch ran with --keep-text, else from re-reading its
``source`` the way the batch read it), the rule that decided and the confidence. Filters by field
and by page kind; for each value "accept" or "correct to …"; the choices download as JSON Lines,
one correction per line::

    {"id": "news_…", "field": "budget", "position": null, "old": {"amount": 50.0, "currency": "USD"},
     "new": null, "action": "correct"}

``read_corrections`` reads them back (for the annotation scripts and evaluation tools). Everything
taken from pages or records is escaped.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .prose.text import sentence_bounds

CONTEXT_CHARS = 240


@dataclass
class Item:
    id: str
    kind: str
    field: str
    position: int | None
    value: object
    confidence: float
    rule: str
    text: str | None
    context: tuple[str, str, str] | None   # before, the evidence, after


def page_text(rec: dict) -> str | None:
    """The text the record's offsets refer to: its own (--keep-text), else its source re-read."""
    if rec.get("text") is not None:
        return rec["text"]
    src = rec.get("source")
    if not src or src == "-":
        return None
    from .io.readers import read_page
    from .io.sources import Source, source_bytes
    import os

    path = os.fsdecode(source_bytes(src))
    if not os.path.isfile(path):
        return None
    page = read_page(Source(path, rec.get("id", ""), src))
    return None if page.error else page.text


def _context(text: str | None, start: int | None, end: int | None) -> tuple[str, str, str] | None:
    if text is None or start is None or end is None or end > len(text):
        return None
    a, b = sentence_bounds(text, start, 0, CONTEXT_CHARS)
    a, b = min(a, start), max(b, end)
    if a > 0 and not text[a - 1].isspace():   # cut by the reach: start at a whole word
        k = text.find(" ", a, start)
        a = k + 1 if k >= 0 else a
    return (" ".join(text[a:start].split()) + (" " if text[a:start][-1:].isspace() else ""),
            " ".join(text[start:end].split()),
            (" " if text[end:b][:1].isspace() else "") + " ".join(text[end:b].split()))


def doubtful(records: Iterable[dict], below: float) -> list[Item]:
    out = []
    for rec in records:
        ev = rec.get("evidence") or {}
        text = None
        loaded = False
        for name, e in ev.items():
            entries = [(None, e)] if isinstance(e, dict) else list(enumerate(e or []))
            for pos, item in entries:
                conf = item.get("confidence")
                if conf is None or conf >= below:
                    continue
                if not loaded:
                    text, loaded = page_text(rec), True
                out.append(Item(rec.get("id", ""), rec.get("kind") or "other", name, pos, item.get("value"), conf,
                                item.get("rule") or "", item.get("text"),
                                _context(text, item.get("start"), item.get("end"))))
    out.sort(key=lambda i: (i.confidence, i.id, i.field, i.position if i.position is not None else -1))
    return out


def _show(value) -> str:
    if value is None:
        return "— (nothing)"
    if isinstance(value, dict) and "amount" in value:
        return f"{value['amount']:,.2f} {value.get('currency', '')}".replace(",", " ")
    return str(value)


def render(items: list[Item], below: float, source: str) -> str:
    e = html.escape
    fields = sorted({i.field for i in items})
    kinds = sorted({i.kind for i in items})
    rows = []
    for k, i in enumerate(items):
        ctx = (f"{e(i.context[0])}<mark>{e(i.context[1])}</mark>{e(i.context[2])}" if i.context
               else f"<mark>{e(i.text)}</mark>" if i.text else "<em>no text: nothing was found</em>")
        rows.append(
            f'<tr class="item" data-n="{k}" data-id="{e(i.id)}" data-field="{e(i.field)}" data-kind="{e(i.kind)}" '
            f'data-position="{"" if i.position is None else i.position}" data-confidence="{i.confidence:.4f}" '
            f'data-old="{e(json.dumps(i.value, ensure_ascii=False))}">'
            f'<td class="conf">{i.confidence:.3f}</td><td>{e(i.field)}{"" if i.position is None else f"[{i.position}]"}'
            f'</td><td class="page">{e(i.id)}<br><small>{e(i.kind)}</small></td>'
            f'<td class="value">{e(_show(i.value))}</td><td class="ctx">{ctx}<br><small class="rule">{e(i.rule)}</small></td>'
            f'<td class="act"><button class="accept">accept</button><br><input class="fix" placeholder="correct to …">'
            f'<button class="correct">correct</button><div class="state"></div></td></tr>')
    options = lambda xs: "".join(f'<option value="{e(x)}">{e(x)}</option>' for x in xs)  # noqa: E731
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Values to review</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}}
h1{{font-size:1.3em}} table{{border-collapse:collapse;width:100%;background:#fff}}
th,td{{border-bottom:1px solid #ddd;padding:.4em .5em;vertical-align:top;text-align:left}}
th{{background:#eef2f7;position:sticky;top:0}} td.conf{{font-variant-numeric:tabular-nums;font-weight:600}}
td.ctx{{width:50%}} td.value{{max-width:14em;overflow-wrap:anywhere}} td.page{{max-width:16em;overflow-wrap:anywhere}} mark{{background:#ffe08a;padding:0 .15em}} .rule{{color:#666}}
tr.done-accept{{background:#eaf7ea}} tr.done-correct{{background:#fff1e6}} .bar{{margin:.8em 0}}
button{{cursor:pointer}} .fix{{width:9em}}
</style></head><body>
<h1>Values to review: confidence under {below:g}</h1>
<p>{len(items)} values from <code>{e(source)}</code>, least confident first. Accept a value or correct it, then
download the corrections (JSON Lines: id, field, position, old, new, action).</p>
<div class="bar">Field <select id="field"><option value="">all</option>{options(fields)}</select>
Page kind <select id="kind"><option value="">all</option>{options(kinds)}</select>
<span id="shown">{len(items)}</span> shown · <span id="count">0</span> decided
<button id="download">Download corrections</button></div>
<table><thead><tr><th>confidence</th><th>field</th><th>page</th><th>value</th><th>evidence and rule</th>
<th>review</th></tr></thead><tbody>
{"".join(rows) or '<tr><td colspan="6">No value under the threshold.</td></tr>'}
</tbody></table>
<script>
"use strict";
const decisions = new Map();
function filter() {{
  const f = document.getElementById("field").value, k = document.getElementById("kind").value;
  let shown = 0;
  for (const tr of document.querySelectorAll("tr.item")) {{
    const ok = (!f || tr.dataset.field === f) && (!k || tr.dataset.kind === k);
    tr.hidden = !ok; if (ok) shown++;
  }}
  document.getElementById("shown").textContent = shown;
}}
function parse(text) {{ try {{ return JSON.parse(text); }} catch (e) {{ return text; }} }}
function decide(tr, action, value) {{
  const old = JSON.parse(tr.dataset.old);
  decisions.set(tr.dataset.n, {{id: tr.dataset.id, field: tr.dataset.field,
    position: tr.dataset.position === "" ? null : Number(tr.dataset.position), old: old,
    new: action === "accept" ? old : value, action: action}});
  tr.className = "item done-" + action;
  tr.querySelector(".state").textContent = action === "accept" ? "accepted" : "corrected";
  document.getElementById("count").textContent = decisions.size;
}}
function corrections() {{
  return [...decisions.keys()].sort((a, b) => a - b).map(n => JSON.stringify(decisions.get(n))).join("\\n") +
    (decisions.size ? "\\n" : "");
}}
window.reviewCorrections = corrections;
document.getElementById("field").addEventListener("change", filter);
document.getElementById("kind").addEventListener("change", filter);
for (const tr of document.querySelectorAll("tr.item")) {{
  tr.querySelector(".accept").addEventListener("click", () => decide(tr, "accept"));
  tr.querySelector(".correct").addEventListener("click", () => {{
    const raw = tr.querySelector(".fix").value.trim();
    decide(tr, "correct", raw === "" ? null : parse(raw));
  }});
}}
document.getElementById("download").addEventListener("click", () => {{
  const blob = new Blob([corrections()], {{type: "application/x-ndjson"}});
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = "corrections.jsonl";
  document.body.appendChild(a); a.click(); a.remove();
}});
</script></body></html>
"""


def read_records(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_corrections(path: str | Path) -> list[dict]:
    """The corrections a review page downloaded: one dict per decision (id, field, position, old, new, action)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_review(records_path: str, out: str, below: float) -> int:
    items = doubtful(read_records(records_path), below)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    tmp = out + ".tmp"
    Path(tmp).write_text(render(items, below, records_path), "utf-8")
    Path(tmp).replace(out)
    return len(items)
