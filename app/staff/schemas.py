"""Bodies of the staff pages."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field

from app.campaign.schemas import CampaignRead
from app.web.forms import FormView


class SurveyorCreate(BaseModel):
    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9._\-]+$")
    password: str = Field(min_length=10, max_length=200)
    full_name: str = Field(min_length=1, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    organisation: str | None = Field(default=None, max_length=255)
    unit_code: str | None = None


class SurveyorRow(BaseModel):
    id: int
    username: str | None
    full_name: str
    phone: str | None
    organisation: str | None
    unit_name: str | None
    assigned: int


class UnitProgress(BaseModel):
    unit_id: int | None
    unit_name: str
    respondents: int
    links: int
    completed: int
    by_mode: dict[str, int]


class CampaignOverview(BaseModel):
    campaign: CampaignRead
    units: list[UnitProgress]


class PaperPage(BaseModel):
    campaign: CampaignRead
    form: FormView


class PaperSubmit(BaseModel):
    client_id: uuid.UUID = Field(description="Made by the page when the form is started.")
    respondent_id: int | None = None
    answers: dict[str, Any]
