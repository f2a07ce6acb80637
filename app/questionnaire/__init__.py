"""Questionnaire versions in the database: drafts, publishing, immutability."""
