"""Fieldwork bookkeeping: what happened to each sampled respondent."""
