"""Fieldwork assignment: surveyors, balanced workloads, per-surveyor lists."""
