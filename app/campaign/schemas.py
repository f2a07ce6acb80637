"""Request and response bodies for campaigns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.campaign.models import CampaignStatus


class CampaignCreate(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    year: int = Field(ge=2000, le=2100)
    scope_unit_code: str = Field(description="The unit surveyed, usually the province.")
    questionnaire_code: str
    questionnaire_version: int = Field(ge=1, description="A published version.")
    weight_scheme: str = Field(
        default="national-province",
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9\-]*$",
        description="Code of the weight scheme that turns rates into PAR points.",
    )


class StatusChange(BaseModel):
    status: CampaignStatus


class CampaignRead(BaseModel):
    id: int
    name: str
    year: int
    scope_unit_code: str
    questionnaire_code: str
    questionnaire_version: int
    weight_scheme: str
    status: CampaignStatus
    allowed_next: list[CampaignStatus]
    created_at: datetime
    updated_at: datetime
