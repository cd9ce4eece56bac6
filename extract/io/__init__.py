"""Readers (files -> page texts) and writers (records -> JSONL)."""
