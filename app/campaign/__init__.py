"""Campaigns: one survey, its questionnaire version, scope and status."""
