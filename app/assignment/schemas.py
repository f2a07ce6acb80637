"""Request and response bodies for surveyors and assignments."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from app.models import Outcome


class SurveyorCreate(BaseModel):
    full_name: str = Field(min_length=1, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    organisation: str | None = Field(default=None, max_length=255)
    unit_code: str | None = None


class SurveyorRead(BaseModel):
    id: int
    full_name: str
    phone: str | None
    organisation: str | None
    unit_code: str | None
    user_id: int | None


class AssignRequest(BaseModel):
    """Hand the sample's unassigned respondents to ``surveyor_ids``.

    ``group_by``: ``unit`` (default) keeps a unit's respondents with one surveyor,
    giving it to a surveyor based in that unit when there is one;
    ``commune`` keeps a commune together; ``none`` spreads respondents one by one.
    Workloads are balanced either way.
    """

    surveyor_ids: list[int] = Field(min_length=1)
    group_by: Literal["unit", "commune", "none"] = "unit"


class ReassignRequest(BaseModel):
    respondent_ids: list[int] = Field(min_length=1)
    surveyor_id: int


class AssignmentSummary(BaseModel):
    """Respondents assigned by this request, and each surveyor's load afterwards."""

    assigned: int
    loads: dict[int, int]


class ListRow(BaseModel):
    """One line of a surveyor's list."""

    respondent_id: int
    stratum: str
    draw_order: int
    unit_code: str | None
    unit_name: str | None
    commune: str | None
    hamlet: str | None
    full_name: str | None
    phone: str | None
    address: str | None
    procedure_name: str | None
    returned_on: date | None
    replaces_id: int | None
    outcome: Outcome
