"""Sampling frames, reproducible draws, verification and reserve release (spec §5)."""
