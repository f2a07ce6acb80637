"""Request and response bodies for campaigns."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from analysis.estimation import LonelyPsu
from app.campaign.models import (
    DEFAULT_ATTEMPTS_BEFORE_RESERVE,
    DEFAULT_MIN_INTERVIEW_MINUTES,
    CampaignStatus,
    UnsampledResponses,
)


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


class CampaignSettings(BaseModel):
    """What letters and fieldwork take from the campaign: the issuing agency, the
    document ordering the survey, the hotline printed on letters, and how many contact
    attempts come before a reserve may replace a person who cannot be reached."""

    issuing_agency: str | None = Field(default=None, max_length=255)
    document_number: str | None = Field(default=None, max_length=100)
    document_date: date | None = None
    hotline: str | None = Field(default=None, max_length=32, pattern=r"^[0-9 +().\-]+$")
    attempts_before_reserve: int = Field(default=DEFAULT_ATTEMPTS_BEFORE_RESERVE, ge=1, le=20)
    min_interview_minutes: int = Field(
        default=DEFAULT_MIN_INTERVIEW_MINUTES,
        ge=1,
        le=120,
        description="Review flags interviews shorter than this, and a surveyor's interviews "
        "submitted closer together than this.",
    )
    lonely_psu: LonelyPsu = Field(
        default=LonelyPsu.FAIL,
        description="Results: a stratum with one primary sampling unit is an error naming "
        "it (fail) or adds nothing (certainty), the average of the other strata (average) "
        "or its deviation from the mean PSU total (adjust), as R survey names the rules.",
    )
    unsampled_responses: UnsampledResponses = Field(
        default=UnsampledResponses.EXCLUDE,
        description="Results of a campaign with responses of sampled respondents and others: "
        "analyse the sampled ones with their design (exclude) or all without weights "
        "(include). The results say how many of each there were.",
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
    settings: CampaignSettings
    created_at: datetime
    updated_at: datetime
