"""The review table of a campaign's responses: filtered by unit, surveyor, mode, status,
review state and date, one page at a time, within the reader's scope.

Its rows name no respondent: personal data is shown only on one response's page, to
staff whose units include the respondent's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.campaign.scope import campaign_in_scope
from app.fieldwork import repository
from app.response import repository as response_repository
from app.response import review as review_service
from app.response.models import ResponseMode, ResponseStatus, ReviewState
from app.unit import repository as unit_repository

PAGE_SIZE = 50


@dataclass(frozen=True)
class ReviewFilters:
    unit_id: int | None = None
    surveyor_id: int | None = None
    mode: ResponseMode | None = None
    status: ResponseStatus | None = None
    review_state: ReviewState | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class ReviewRow:
    id: int
    received_at: datetime
    unit_name: str | None
    mode: ResponseMode
    status: ResponseStatus
    review_state: ReviewState
    surveyor_name: str | None
    minutes: float | None
    """Interview length (submitted − started), when both are known."""


@dataclass(frozen=True)
class ReviewPage:
    rows: list[ReviewRow]
    total: int
    offset: int
    page_size: int
    units: list[tuple[int, str]]
    surveyors: list[tuple[int, str]]


def _minutes(started: datetime | None, submitted: datetime | None) -> float | None:
    if started is None or submitted is None:
        return None
    return (submitted - started).total_seconds() / 60


def review_table(
    db: Session,
    campaign_id: int,
    filters: ReviewFilters,
    *,
    offset: int = 0,
    actor: User | None,
) -> ReviewPage:
    """One page of the campaign's responses, newest first, and how many match."""
    scope = campaign_in_scope(db, campaign_id, actor)
    criteria: dict[str, Any] = {
        "unit_id": filters.unit_id,
        "surveyor_id": filters.surveyor_id,
        "mode": filters.mode,
        "status": filters.status,
        "review_state": filters.review_state,
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "units": scope.unit_ids,
    }
    found, total = repository.review_rows(db, campaign_id, criteria, offset=offset, limit=PAGE_SIZE)
    unit_ids = response_repository.campaign_unit_ids(db, campaign_id)
    names = {u.id: u.name for u in unit_repository.units_by_id(db, unit_ids).values()}
    rows = [
        ReviewRow(
            id=row.id,
            received_at=row.created_at,
            unit_name=names.get(row.unit_id),
            mode=row.mode,
            status=row.status,
            review_state=row.review_state,
            surveyor_name=row.surveyor_name,
            minutes=_minutes(row.started_at, row.submitted_at),
        )
        for row in found
    ]
    units = sorted(((i, n) for i, n in names.items() if scope.sees_unit(i)), key=lambda u: u[1])
    return ReviewPage(
        rows, total, offset, PAGE_SIZE, units, repository.campaign_surveyors(db, campaign_id)
    )


@dataclass(frozen=True)
class ResponseDetail:
    """One response in full, for review: answers, who collected it, and its history."""

    id: int
    campaign_id: int
    mode: ResponseMode
    status: ResponseStatus
    review_state: ReviewState
    received_at: datetime
    minutes: float | None
    unit_name: str | None
    surveyor_name: str | None
    respondent_id: int | None
    respondent_name: str | None
    respondent_phone: str | None
    """Shown only to staff whose units include the respondent's."""
    answers: dict[str, Any]
    original: dict[str, Any]
    history: list[review_service.HistoryEntry]


def response_detail(db: Session, response_id: int, *, actor: User | None) -> ResponseDetail:
    response = review_service.get_in_scope(db, response_id, actor=actor)
    scope = campaign_in_scope(db, response.campaign_id, actor)
    who = repository.collected_by(db, response.respondent_id)
    unit_id = response.unit_id if response.unit_id is not None else who.unit_id
    personal = scope.sees_personal(unit_id)
    names = unit_repository.units_by_id(db, {unit_id} if unit_id is not None else set())
    return ResponseDetail(
        id=response.id,
        campaign_id=response.campaign_id,
        mode=response.mode,
        status=response.status,
        review_state=response.review_state,
        received_at=response.created_at,
        minutes=_minutes(response.started_at, response.submitted_at),
        unit_name=names[unit_id].name if unit_id in names else None,
        surveyor_name=who.surveyor_name,
        respondent_id=response.respondent_id,
        respondent_name=who.full_name if personal else None,
        respondent_phone=who.phone if personal else None,
        answers={a.item_code: a.value for a in response.answers},
        original=review_service.original_answers(db, response_id, actor=actor),
        history=review_service.history(db, response_id, actor=actor),
    )
