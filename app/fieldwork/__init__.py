"""Fieldwork: the respondent's life after the draw (surveyors, assignment, outcomes, reserve
release, the surveyors' phones, progress and lists)."""
