"""Queries for computing and serving campaign results."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.response.models import Response, ResponseStatus, ReviewState
from app.result.models import CampaignResult
from app.sample.models import Sample, SampledRespondent
from app.unit.models import Unit


def get(db: Session, campaign_id: int) -> CampaignResult | None:
    return db.execute(
        select(CampaignResult).where(CampaignResult.campaign_id == campaign_id)
    ).scalar_one_or_none()


def complete_responses(db: Session, campaign_id: int) -> list[Response]:
    """Complete responses not rejected in review (partial ones never count), in a fixed
    order."""
    return list(
        db.execute(
            select(Response)
            .options(selectinload(Response.answers))
            .where(
                Response.campaign_id == campaign_id,
                Response.status == ResponseStatus.COMPLETE,
                Response.review_state != ReviewState.REJECTED,
            )
            .order_by(Response.id)
        ).scalars()
    )


def rejected_count(db: Session, campaign_id: int) -> int:
    """Complete responses of the campaign rejected in review."""
    return int(
        db.execute(
            select(func.count()).where(
                Response.campaign_id == campaign_id,
                Response.status == ResponseStatus.COMPLETE,
                Response.review_state == ReviewState.REJECTED,
            )
        ).scalar_one()
    )


def respondent_units(db: Session, campaign_id: int) -> list[Any]:
    """``(id, unit_id)`` of everyone drawn for the campaign."""
    return list(
        db.execute(
            select(SampledRespondent.id, SampledRespondent.unit_id)
            .join(Sample, Sample.id == SampledRespondent.sample_id)
            .where(Sample.campaign_id == campaign_id)
        ).all()
    )


def unit_codes(db: Session, unit_ids: set[int]) -> dict[int, tuple[str, str]]:
    """``{id: (code, name)}`` of the given units."""
    if not unit_ids:
        return {}
    rows = db.execute(select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(unit_ids))).all()
    return {row[0]: (row[1], row[2]) for row in rows}


def save(db: Session, result: CampaignResult) -> None:
    db.add(result)
    db.flush()
