"""Scoring against the gold set, reports, the stock-spaCy baseline, gold -> DocBin."""
