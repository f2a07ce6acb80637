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
    questionnaire: Questionnaire | None = None
    answers: dict[str, Any] = field(default_factory=dict)


class CitizenAnswers(BaseModel):
    answers: dict[str, Any]
    complete: bool = Field(default=False, description="Submit: the response becomes final.")


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
    campaign_id: int
    campaign_name: str
    year: int
    province: str
    unit_name: str | None
    expires_on: date | None
    letters: list[Letter]
    without_link: int
