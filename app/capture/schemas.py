"""Bodies of the surveyors' app. Contact details appear only in :class:`AssignmentView`,
which is shown to the assigned surveyor alone."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.models import Outcome, ResponseMode, ResponseStatus
from app.web.forms import FormView

SurveyorOutcome = Literal["completed", "refused", "not_reachable", "ineligible", "moved"]
"""Outcomes a surveyor records by hand (``replaced`` comes from releasing a reserve)."""


class AssignmentView(BaseModel):
    respondent_id: int
    campaign_id: int
    full_name: str | None
    phone: str | None
    address: str | None
    unit_id: int | None
    unit_name: str | None
    outcome: Outcome
    outcome_note: str | None
    answered_mode: ResponseMode | None
    """How the respondent's complete response arrived, if there is one."""


class CampaignView(BaseModel):
    id: int
    name: str


class SurveyorHome(BaseModel):
    surveyor_name: str
    campaigns: list[CampaignView]
    assignments: list[AssignmentView]
    units: list[tuple[int, str]]


class InterviewPage(BaseModel):
    campaign: CampaignView
    form: FormView


class InterviewSubmit(BaseModel):
    client_id: uuid.UUID = Field(description="Made by the phone when the interview starts.")
    respondent_id: int
    answers: dict[str, Any]
    started_at: datetime | None = None


class InterviewStored(BaseModel):
    """The acknowledgement a phone gets for a synced interview (it keeps no answers)."""

    id: int
    client_id: uuid.UUID
    respondent_id: int | None
    status: ResponseStatus
    submitted_at: datetime | None


class OutcomeSubmit(BaseModel):
    client_id: uuid.UUID = Field(description="Made by the phone when the outcome is recorded.")
    respondent_id: int
    outcome: SurveyorOutcome
    note: str | None = Field(default=None, max_length=2000)


class OutcomeReportRead(BaseModel):
    client_id: uuid.UUID
    respondent_id: int
    outcome: Outcome
    note: str | None
    created_at: datetime


class ConflictReport(BaseModel):
    """Something the server refused, which the surveyor chose to hand over and drop."""

    client_id: uuid.UUID
    kind: Literal["response", "outcome"]
    respondent_id: int
    body: dict[str, Any]
    error: dict[str, Any] = Field(default_factory=dict)


class SessionInfo(BaseModel):
    username: str
    full_name: str | None
    csrf_token: str


class OfflineUrls(BaseModel):
    urls: list[str]
