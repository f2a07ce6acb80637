"""Fieldwork: the respondent's life after the draw (surveyors, assignment, outcomes and
their corrections, contact attempts, reserve release, the hand-over queue, the
surveyors' phones, progress and lists)."""
