"""Queries for computing and serving campaign results.

Computing reads plain rows (never ORM objects of responses or answers): one row per
complete response with its answers as one JSON object, aggregated by the database and
streamed, so memory does not grow with the number of responses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, defer

from app.response.models import Response, ResponseStatus, ReviewState
from app.response.repository import STREAM_ROWS, answers_object
from app.result.models import CampaignResult
from app.sample.models import Sample, SampledRespondent
from app.unit.models import Unit


def get(db: Session, campaign_id: int) -> CampaignResult | None:
    return db.execute(
        select(CampaignResult).where(CampaignResult.campaign_id == campaign_id)
    ).scalar_one_or_none()


def get_header(db: Session, campaign_id: int) -> CampaignResult | None:
    """The stored result without its (large) content columns: what an ETag needs."""
    return db.execute(
        select(CampaignResult)
        .options(
            defer(CampaignResult.content),
            defer(CampaignResult.public_content),
            defer(CampaignResult.document),
        )
        .where(CampaignResult.campaign_id == campaign_id)
    ).scalar_one_or_none()


def _complete(campaign_id: int) -> Any:
    """Complete responses not rejected in review (partial ones never count)."""
    return (
        (Response.campaign_id == campaign_id)
        & (Response.status == ResponseStatus.COMPLETE)
        & (Response.review_state != ReviewState.REJECTED)
    )


def complete_response_keys(db: Session, campaign_id: int) -> list[Row[int | None, int | None]]:
    """``(respondent_id, unit_id)`` of each complete response, in response order."""
    return list(
        db.execute(
            select(Response.respondent_id, Response.unit_id)
            .where(_complete(campaign_id))
            .order_by(Response.id)
        ).all()
    )


def complete_answers(db: Session, campaign_id: int) -> Iterator[Row[Any, Any, Any, Any]]:
    """Complete responses only (partial ones never count), in a fixed order, streamed:
    ``(respondent_id, unit_id, mode, answers)`` with ``answers`` a JSON object as text."""
    yield from db.execute(
        select(Response.respondent_id, Response.unit_id, Response.mode, answers_object(db))
        .where(_complete(campaign_id))
        .order_by(Response.id),
        execution_options={"yield_per": STREAM_ROWS},
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
