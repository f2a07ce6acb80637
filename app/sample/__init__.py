"""Sampling frames, reproducible draws and their verification (spec §5)."""
