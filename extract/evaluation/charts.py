"""The report's charts (PNG, matplotlib, no display needed), drawn from the run's JSON.

* per-field (and per-label) F1 with its 95% bootstrap interval, one dot and whisker per system: the
  systems under test on an axis zoomed to where their values are (0.96 and 1.00 must not look the
  same), the stock baseline in a panel beside on the full 0-1 axis; "n/a" (no gold value) and
  "—" (not attempted) written where a dot would be;
* the reliability diagram (accuracy against confidence per bin) and the review curve (share of
  the wrong values found against share of the values checked, least confident first).
"""
from __future__ import annotations

import math
from pathlib import Path

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def is_baseline(name: str) -> bool:
    return "baseline" in name.lower()


def zoom(values: list[float]) -> float:
    """Lower end of a zoomed axis: a little under the lowest value, on a 0.05 step (0 at worst).

    >>> zoom([0.96, 1.0, 0.889]), zoom([0.2, 1.0]), zoom([])
    (0.85, 0.15, 0.0)
    """
    if not values:
        return 0.0
    return max(0.0, math.floor((min(values) - 0.02) * 20 + 1e-9) / 20)


def _entries(system: dict, key: str, rows: list[str]):
    for i, r in enumerate(rows):
        d = system.get(key, {}).get(r)
        if d is None:
            yield i, r, None, None, "n/a"
        elif not d.get("attempted", True):
            yield i, r, None, None, "—"
        elif not d.get("defined", {}).get("f", True):
            yield i, r, None, None, "n/a"
        else:
            yield i, r, d["f"], d.get("f_ci"), None


def f1_chart(path: Path, systems: dict[str, dict], key: str, rows: list[str], title: str) -> Path:
    plt = _plt()
    main = {n: s for n, s in systems.items() if not is_baseline(n)}
    base = {n: s for n, s in systems.items() if is_baseline(n)}
    panels = [(main, True)] if main else []
    if base:
        panels.append((base, False))
    widths = [3, 1.3] if len(panels) == 2 else [1]
    fig, axes = plt.subplots(1, len(panels), figsize=(8, 0.27 * len(rows) + 1.7), sharey=True,
                             gridspec_kw={"width_ratios": widths}, squeeze=False)
    colour = {n: COLOURS[k % len(COLOURS)] for k, n in enumerate(systems)}
    for ax, (group, zoomed) in zip(axes[0], panels):
        values = []
        for name, s in group.items():
            for _, _, f, ci, _ in _entries(s, key, rows):
                if f is not None:
                    values += [f] + (ci or [])
        lo = zoom(values) if zoomed else 0.0
        width = len(group)
        said = set()                                   # "n/a" written once per row
        for k, (name, s) in enumerate(group.items()):
            off = (k - (width - 1) / 2) * 0.22
            labelled = False
            for i, r, f, ci, state in _entries(s, key, rows):
                y = i + off
                if f is None:
                    what = "— not attempted" if state == "—" else "n/a: no gold value, nothing predicted"
                    if (i, what) not in said:
                        said.add((i, what))
                        ax.text(lo + (1.0 - lo) * 0.01, i, what, va="center", ha="left", fontsize=7, color="#777")
                    continue
                err = [[f - ci[0]], [ci[1] - f]] if ci else None
                ax.errorbar([f], [y], xerr=err, fmt="o", ms=4, color=colour[name], capsize=2, lw=1,
                            label=None if labelled else name)
                labelled = True
        ax.set_xlim(lo, 1.0 + (1.0 - lo) * 0.08)
        ax.axvline(1.0, color="#bbb", lw=0.6)
        ax.grid(axis="x", color="#eee")
        ax.set_xlabel("F1 (dot) and its 95% bootstrap interval" if zoomed else "F1, full axis")
        ax.set_title(("zoomed to " + f"[{lo:.2f}, 1]") if zoomed else "baseline", fontsize=9)
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            ax.legend(fontsize=7, loc="lower left", framealpha=0.9)
    ax0 = axes[0][0]
    ax0.set_yticks(range(len(rows)))
    ax0.set_yticklabels(rows, fontsize=8)
    ax0.invert_yaxis()
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def calibration_chart(path: Path, curves: dict[str, dict]) -> Path:
    """curves: system -> {"reliability": [...bins], "ece": x, "order": [right flags, least confident first],
    "order_scalars": the same for the scalar values}."""
    plt = _plt()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.4))
    ax1.plot([0, 1], [0, 1], ls="--", color="#999", lw=1, label="perfect calibration")
    ax2.plot([0, 100], [0, 100], ls=":", color="#999", lw=1, label="random order")
    for k, (name, c) in enumerate(curves.items()):
        col = COLOURS[k % len(COLOURS)]
        bins = [b for b in c["reliability"] if b["n"]]
        xs, ys = [b["confidence"] for b in bins], [b["accuracy"] for b in bins]
        sizes = [12 + 60 * math.sqrt(b["n"] / max(1, max(bb["n"] for bb in bins))) for b in bins]
        ax1.plot(xs, ys, color=col, lw=1)
        n = sum(b["n"] for b in bins)
        ax1.scatter(xs, ys, s=sizes, color=col, label=f"{name} (ECE {c['ece']:.3f}, {n} values)")
        for b in bins:
            ax1.annotate(str(b["n"]), (b["confidence"], b["accuracy"]), textcoords="offset points", xytext=(5, -10),
                         fontsize=7, color=col)
        for key, style, what in (("order", "-", "all values"), ("order_scalars", "--", "scalars, nulls included")):
            flags = c.get(key) or []
            wrong = sum(1 for r in flags if not r)
            if wrong:
                found, pts = 0, [(0.0, 0.0)]
                for i, r in enumerate(flags, 1):
                    found += not r
                    pts.append((100 * i / len(flags), 100 * found / wrong))
                ax2.plot([p[0] for p in pts], [p[1] for p in pts], color=col, lw=1.5, ls=style,
                         label=f"{name}: {what} ({wrong} wrong)")
    for x in (5, 10, 20):
        ax2.axvline(x, color="#ddd", lw=0.8)
    lows = [min(b["lo"], b["accuracy"]) for c in curves.values() for b in c["reliability"] if b["n"]]
    lo = max(0.0, math.floor(min(lows, default=0.0) * 10 + 1e-9) / 10 - 0.02)   # zoomed, square: the diagonal stays
    ax1.set_xlim(lo, 1.01)
    ax1.set_ylim(lo, 1.01)
    ax1.set_xlabel("mean confidence in the bin (10 equal-width bins; dot area and label: values)")
    ax1.set_ylabel("share right")
    ax1.set_title("Reliability diagram", fontsize=10)
    ax1.legend(fontsize=7, loc="upper left")
    ax2.set_xlim(0, 100)
    ax2.set_ylim(0, 102)
    ax2.set_xlabel("% of values checked, least confident first")
    ax2.set_ylabel("% of the wrong values found")
    ax2.set_title("Review curve", fontsize=10)
    ax2.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
