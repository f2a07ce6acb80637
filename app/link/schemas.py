"""Bodies of the citizens' pages and of link and letter management.

What a citizen's page receives (:class:`CitizenPage`) holds no name, phone or
address; only the letters (:class:`Letter`), printed by staff, do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.response.models import ResponseStatus
from questionnaires import Questionnaire


@dataclass(frozen=True)
class CitizenPage:
    """What a personal link opens: the questionnaire with the answers saved so far, or
    the news that the survey is complete."""

    state: Literal["form", "answered"]
    campaign_name: str
    hotline: str | None = None
    questionnaire: Questionnaire | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    screen: int | None = None
    """The screen the citizen was on when last saved, where the form resumes."""


class CitizenAnswers(BaseModel):
    answers: dict[str, Any]
    complete: bool = Field(default=False, description="Submit: the response becomes final.")
    screen: int | None = Field(
        default=None,
        ge=0,
        le=1000,
        description="The screen shown (block index; the number of blocks is the review), "
        "where the form resumes when the link is opened again.",
    )


class CitizenSaved(BaseModel):
    status: ResponseStatus
    saved_at: datetime


class IssueResult(BaseModel):
    created: int
    already: int


class Letter(BaseModel):
    respondent_id: int
    full_name: str | None
    address: str | None
    unit_name: str | None
    url: str
    code: str
    qr_svg: str


class LetterBatch(BaseModel):
    """The letters of a unit, with what every letter carries from the campaign's
    settings: who sends it, the document ordering the survey and the hotline."""

    campaign_id: int
    campaign_name: str
    year: int
    issuing_agency: str
    document_number: str
    document_date: date
    hotline: str
    unit_name: str | None
    expires_on: date | None
    letters: list[Letter]
    without_link: int
