"""No pattern can blow up: extraction time against input size on hostile inputs.

    python bench/adversarial.py        # prints seconds at 1/4, 1/2 and full size; time should grow ~linearly

Inputs (the same as tests/test_adversarial.py, which guards them with a timeout): 1 MB of digits and
spaces, 100,000 repetitions of "produit 1.1 ", "(produit 1.1)" clauses, one 1 MB line with no newline
and one with no space, deeply nested parentheses, 10,000 country names in a row, 100,000 number words.
"""
from __future__ import annotations

import sys
import time

from extract import Extractor

CASES = {
    "digits and spaces, 1 MB": ("1234 567 " * 111112)[:1_000_000],
    "'produit 1.1 ' x 100,000": "produit 1.1 " * 100_000,
    "'(produit 1.1)' clauses": "Le projet fera ceci (produit 1.1) " * 30_000,
    "1 MB line, no newline": ("Le budget du projet de la migration " * 30000)[:1_000_000],
    "1 MB line, no space": ("x" * 1_000_000),
    "nested parentheses": "(" * 100_000 + "Cuba" + ")" * 100_000,
    "10,000 country names": "Cuba Chili Uruguay Haïti " * 2500,
    "number words": "deux millions " * 70_000,
}


def main() -> int:
    ex = Extractor()
    print(f"{'input':28s} {'1/4':>8s} {'1/2':>8s} {'full':>8s}  full/quarter (linear: ~4)")
    for name, text in CASES.items():
        times = []
        for frac in (0.25, 0.5, 1.0):
            t = text[: int(len(text) * frac)]
            t0 = time.perf_counter()
            ex.extract(t)
            times.append(time.perf_counter() - t0)
        print(f"{name:28s} {times[0]:8.3f} {times[1]:8.3f} {times[2]:8.3f}  {times[2] / max(times[0], 1e-6):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
