"""Queries on PAR components and the facts a report states about its survey."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.campaign.models import Campaign
from app.fieldwork.models import Assignment, Surveyor
from app.par.models import ParComponent
from app.response.models import Response, ResponseStatus
from app.sample.models import Sample, SampledRespondent
from app.unit.models import Unit


def components(db: Session, campaign_id: int) -> list[ParComponent]:
    return list(
        db.execute(
            select(ParComponent)
            .options(selectinload(ParComponent.unit))
            .where(ParComponent.campaign_id == campaign_id)
            .order_by(ParComponent.id)
        ).scalars()
    )


def component(db: Session, campaign_id: int, unit_id: int) -> ParComponent | None:
    return db.execute(
        select(ParComponent).where(
            ParComponent.campaign_id == campaign_id, ParComponent.unit_id == unit_id
        )
    ).scalar_one_or_none()


def save(db: Session, row: ParComponent) -> None:
    db.add(row)
    db.flush()


def delete(db: Session, row: ParComponent) -> None:
    db.delete(row)
    db.flush()


def units(db: Session) -> list[Unit]:
    return list(db.execute(select(Unit)).scalars())


def previous_campaign(db: Session, campaign: Campaign) -> Campaign | None:
    """The latest earlier-year campaign of the same scope that has PAR components."""
    return (
        db.execute(
            select(Campaign)
            .where(
                Campaign.scope_unit_id == campaign.scope_unit_id,
                Campaign.year < campaign.year,
                Campaign.id.in_(select(ParComponent.campaign_id)),
            )
            .order_by(Campaign.year.desc(), Campaign.id.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )


def partners(db: Session, campaign_id: int) -> list[str]:
    """Organisations of the surveyors assigned in the campaign (Bưu điện tỉnh, …)."""
    rows = db.execute(
        select(Surveyor.organisation)
        .join(Assignment, Assignment.surveyor_id == Surveyor.id)
        .join(SampledRespondent, SampledRespondent.id == Assignment.sampled_respondent_id)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .where(Sample.campaign_id == campaign_id, Surveyor.organisation.is_not(None))
        .distinct()
        .order_by(Surveyor.organisation)
    ).scalars()
    return [r for r in rows if r]


def complete_by_mode(db: Session, campaign_id: int) -> Counter[str]:
    rows = db.execute(
        select(Response.mode).where(
            Response.campaign_id == campaign_id, Response.status == ResponseStatus.COMPLETE
        )
    ).scalars()
    return Counter(mode.value for mode in rows)
