"""Bodies of fieldwork: surveyors, assignments, outcomes, the surveyors' phones.

Contact details appear only in :class:`AssignmentView` and :class:`ListRow`, shown to
the assigned surveyor and to staff alone."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal, get_args

from pydantic import AwareDatetime, BaseModel, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from analysis.contact import AttemptResult
from analysis.disposition import Disposition, DispositionCounts, Outcome
from app.core.messages import message
from app.core.models import as_utc
from app.fieldwork.models import HandoverKind, HandoverStatus
from app.response.models import ResponseMode, ResponseStatus
from app.sample.schemas import RespondentRead


class SurveyorCreate(BaseModel):
    """A surveyor; with ``username`` and ``password`` also a log-in to the phone app."""

    full_name: str = Field(min_length=1, max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    organisation: str | None = Field(default=None, max_length=255)
    unit_code: str | None = None
    username: str | None = Field(
        default=None, min_length=3, max_length=100, pattern=r"^[A-Za-z0-9._\-]+$"
    )
    password: str | None = Field(default=None, min_length=10, max_length=200)

    @model_validator(mode="after")
    def _login_needs_both(self) -> SurveyorCreate:
        if (self.username is None) != (self.password is None):
            raise PydanticCustomError("login_needs_both", message("login_needs_both"))
        return self


class SurveyorRead(BaseModel):
    id: int
    full_name: str
    phone: str | None
    organisation: str | None
    unit_code: str | None
    unit_name: str | None = None
    user_id: int | None
    username: str | None = None
    assigned: int = 0


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


class OutcomeChange(BaseModel):
    outcome: Outcome
    note: str | None = Field(default=None, max_length=2000)


class RespondentOutcome(BaseModel):
    """A respondent's fieldwork state. Contact details are deliberately absent."""

    id: int
    sample_id: int
    stratum: str
    draw_order: int
    is_reserve: bool
    outcome: Outcome
    outcome_note: str | None
    replaces_id: int | None
    updated_at: datetime


class OutcomeCorrection(BaseModel):
    """Staff correct an outcome; the reason is kept in the audit trail."""

    outcome: Outcome
    reason: str = Field(min_length=3, max_length=2000)


SurveyorOutcome = Literal["refused", "not_reachable", "ineligible", "moved"]
"""Outcomes a surveyor records by hand: ``completed`` comes from a complete response,
``replaced`` from releasing a reserve."""
SURVEYOR_OUTCOMES = tuple(Outcome(value) for value in get_args(SurveyorOutcome))


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
    procedure_name: str | None
    """The procedure of the case the person is asked about, and its return date."""
    returned_on: date | None
    attempts: int
    last_attempt: AttemptResult | None
    callback_at: datetime | None
    """When the person asked to be contacted again, if their latest attempt says so."""


class CampaignView(BaseModel):
    id: int
    name: str


class SurveyorHome(BaseModel):
    surveyor_name: str
    campaigns: list[CampaignView]
    assignments: list[AssignmentView]
    units: list[tuple[int, str]]


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


class AttemptRecord(BaseModel):
    """One attempt to reach a sampled person; ``callback_at`` for a call-back only."""

    client_id: uuid.UUID = Field(description="Made by the client when the attempt is recorded.")
    attempted_at: AwareDatetime
    result: AttemptResult
    callback_at: AwareDatetime | None = None
    note: str | None = Field(default=None, max_length=2000)


class AttemptSubmit(AttemptRecord):
    """An attempt from a surveyor's phone."""

    respondent_id: int


class AttemptRead(BaseModel):
    client_id: uuid.UUID
    respondent_id: int
    attempted_at: datetime
    result: AttemptResult
    callback_at: datetime | None
    note: str | None
    created_at: datetime

    @field_validator("attempted_at", "callback_at", "created_at")
    @classmethod
    def _utc(cls, moment: datetime | None) -> datetime | None:
        return None if moment is None else as_utc(moment)


class ConflictReport(BaseModel):
    """Something the server refused, which the surveyor hands over to the supervisors."""

    client_id: uuid.UUID
    kind: HandoverKind
    respondent_id: int
    body: dict[str, Any]
    error: dict[str, Any] = Field(default_factory=dict)


class HandoverRead(BaseModel):
    """An item of the hand-over queue, as staff see it."""

    id: int
    client_id: uuid.UUID
    kind: HandoverKind
    respondent_id: int
    campaign_id: int
    handed_over_by: str | None
    body: dict[str, Any]
    error: dict[str, Any]
    status: HandoverStatus
    created_at: datetime
    resolved_at: datetime | None
    reason: str | None
    response_id: int | None


class HandoverDiscard(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)


class SessionInfo(BaseModel):
    username: str
    full_name: str | None
    csrf_token: str


class OfflineUrls(BaseModel):
    urls: list[str]


class CountsRead(BaseModel):
    """AAPOR counts of slots of the original sample (see ``analysis.disposition``)."""

    sampled: int = Field(description="Slots of the original sample (main-sample people).")
    reserves_released: int
    in_field: int = Field(description="Main sample plus released reserves.")
    dispositions: dict[Disposition, int] = Field(
        description="Slots by AAPOR disposition, each with the disposition of the person "
        "last fielded for it (a released reserve holds the slot of the person it replaced)."
    )
    substituted: int
    completes_by_substitutes: int
    rr1: float | None = Field(description="AAPOR Response Rate 1, a fraction in [0, 1].")
    rr3: float | None = Field(description="AAPOR Response Rate 3, a fraction in [0, 1].")
    eligibility_rate: float | None = Field(description="AAPOR's e used by RR3.")

    @classmethod
    def of(cls, counts: DispositionCounts) -> CountsRead:
        return cls(
            sampled=counts.sampled,
            reserves_released=counts.reserves_released,
            in_field=counts.in_field,
            dispositions=dict(counts.dispositions),
            substituted=counts.substituted,
            completes_by_substitutes=counts.completes_by_substitutes,
            rr1=counts.rr1,
            rr3=counts.rr3,
            eligibility_rate=counts.eligibility_rate,
        )


class UnitProgressRead(BaseModel):
    unit_code: str | None
    unit_name: str
    counts: CountsRead
    links: int = Field(description="People in the field with an active personal link.")
    by_mode: dict[str, int] = Field(description="Complete responses by collection mode.")


class ProgressRead(BaseModel):
    """A campaign's fieldwork progress: totals and per unit."""

    campaign_id: int
    total: CountsRead
    units: list[UnitProgressRead]


class ReleaseRequest(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class ReleaseResult(BaseModel):
    """The respondent now ``replaced`` and the reserve that takes their place."""

    replaced: RespondentOutcome
    reserve: RespondentRead


class RosterRow(BaseModel):
    """One person in the field on the staff's reassignment page. ``full_name`` is None
    where the reader may not see personal data (a supervisor outside their units)."""

    id: int
    full_name: str | None
    unit_name: str | None
    stratum: str
    is_reserve: bool
    replaces_id: int | None
    replaced_by_id: int | None
    outcome: Outcome
    surveyor_id: int | None
    surveyor_name: str | None
    attempts: int
    movable: bool = Field(description="Not completed or replaced: may go to another surveyor.")
    releasable: bool = Field(description="A reserve may take this person's place now.")
    attempts_missing: int = Field(
        description="For a person not reached: attempts still needed before a reserve."
    )


class Replacement(BaseModel):
    """A released reserve and the person whose place it took."""

    reserve_id: int
    reserve_name: str | None
    replaced_id: int
    replaced_name: str | None
    unit_name: str | None
    surveyor_name: str | None
    note: str | None


class Roster(BaseModel):
    """A page of the people in the field of a campaign's latest sample, with the release
    rule's figure, the reserves left and every replacement made."""

    sample_id: int | None
    attempts_before_reserve: int
    units: list[tuple[int, str]] = Field(description="The units the reader sees, by name.")
    rows: list[RosterRow]
    total: int
    reserves_left: int
    replacements: list[Replacement]
    loads: dict[int, int] = Field(
        default_factory=dict, description="People of the sample each surveyor holds."
    )
