"""Queries on responses."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Response, ResponseStatus, Sample, SampledRespondent


def get_by_client_id(db: Session, campaign_id: int, client_id: uuid.UUID) -> Response | None:
    return db.execute(
        select(Response)
        .options(selectinload(Response.answers))
        .where(Response.campaign_id == campaign_id, Response.client_id == client_id)
    ).scalar_one_or_none()


def list_responses(
    db: Session,
    campaign_id: int,
    *,
    status: ResponseStatus | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Response]:
    query = (
        select(Response)
        .options(selectinload(Response.answers))
        .where(Response.campaign_id == campaign_id)
        .order_by(Response.id)
        .limit(limit)
        .offset(offset)
    )
    if status is not None:
        query = query.where(Response.status == status)
    return list(db.execute(query).scalars())


def complete_response_of(db: Session, respondent_id: int) -> Response | None:
    """The complete response of a sampled respondent, if any (there is at most one)."""
    return db.execute(
        select(Response).where(
            Response.respondent_id == respondent_id, Response.status == ResponseStatus.COMPLETE
        )
    ).scalar_one_or_none()


def respondent_in_campaign(
    db: Session, campaign_id: int, respondent_id: int
) -> SampledRespondent | None:
    return db.execute(
        select(SampledRespondent)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .where(SampledRespondent.id == respondent_id, Sample.campaign_id == campaign_id)
    ).scalar_one_or_none()
