#!/usr/bin/env python3
"""Thin entry point: the scoring lives in extract/evaluation/ (see extract/evaluation/cli.py)."""
import sys

from extract.evaluation.cli import main

if __name__ == "__main__":
    sys.exit(main())
