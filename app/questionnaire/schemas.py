"""Response bodies for questionnaires."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.questionnaire.models import VersionStatus


class VersionSummary(BaseModel):
    version: int
    status: VersionStatus
    content_sha256: str
    created_at: datetime
    published_at: datetime | None


class QuestionnaireSummary(BaseModel):
    code: str
    title: str
    versions: list[VersionSummary]


class CriterionRead(BaseModel):
    code: str
    number: int | None
    text: str


class SubIndexRead(BaseModel):
    code: str
    name: str
    half: str
    criteria: list[CriterionRead]


class QuestionnaireVersionRead(VersionSummary):
    code: str
    title: str
    edition: str
    scoring_rule: str
    languages: list[str]
    """The languages the form offers, its default language (the authority) first."""
    criteria_count: int
    subindices: list[SubIndexRead]
    content: dict[str, Any]
    """The whole form in the documented file format (questionnaires/FORMAT.md), as JSON."""
