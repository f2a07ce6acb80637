"""Queries on personal links and the respondents they belong to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from analysis.disposition import Outcome
from app.campaign.models import Campaign
from app.link.models import RespondentLink
from app.response.models import Response, ResponseStatus
from app.sample.models import Sample, SampledRespondent

_ACTIVE_LINK = and_(
    RespondentLink.respondent_id == SampledRespondent.id, RespondentLink.revoked_at.is_(None)
)
"""Join condition: a respondent's link that is not revoked (at most one)."""


def live_link(
    db: Session, now: datetime, *, token_hash: str | None = None, code_hash: str | None = None
) -> RespondentLink | None:
    """The link with this token or code hash, if neither revoked nor expired."""
    query = select(RespondentLink).where(
        RespondentLink.revoked_at.is_(None), RespondentLink.expires_at > now
    )
    if token_hash is not None:
        query = query.where(RespondentLink.token_hash == token_hash)
    elif code_hash is not None:
        query = query.where(RespondentLink.code_hash == code_hash)
    else:
        return None
    return db.execute(query).scalar_one_or_none()


def respondent_and_campaign(db: Session, respondent_id: int) -> tuple[SampledRespondent, Campaign]:
    row = db.execute(
        select(SampledRespondent, Campaign)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .join(Campaign, Campaign.id == Sample.campaign_id)
        .where(SampledRespondent.id == respondent_id)
    ).one()
    return row[0], row[1]


def campaign_id_of(db: Session, respondent_id: int) -> int | None:
    """The campaign of a sampled respondent, or None if there is no such respondent."""
    return db.execute(
        select(Sample.campaign_id)
        .join(SampledRespondent, SampledRespondent.sample_id == Sample.id)
        .where(SampledRespondent.id == respondent_id)
    ).scalar_one_or_none()


def has_complete_response(db: Session, respondent_id: int) -> bool:
    return (
        db.execute(
            select(Response.id).where(
                Response.respondent_id == respondent_id,
                Response.status == ResponseStatus.COMPLETE,
            )
        ).first()
        is not None
    )


def to_contact(
    db: Session, campaign_id: int, unit_id: int | None = None
) -> list[tuple[SampledRespondent, RespondentLink | None]]:
    """Respondents of the campaign to be contacted (selected, or reserves released in
    someone's place; not completed or replaced), with their active link if any."""
    query = (
        select(SampledRespondent, RespondentLink)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .outerjoin(RespondentLink, _ACTIVE_LINK)
        .where(
            Sample.campaign_id == campaign_id,
            or_(SampledRespondent.is_reserve.is_(False), SampledRespondent.replaces_id.isnot(None)),
            SampledRespondent.outcome.not_in([Outcome.COMPLETED, Outcome.REPLACED]),
        )
        .order_by(
            SampledRespondent.unit_id, SampledRespondent.stratum, SampledRespondent.draw_order
        )
    )
    if unit_id is not None:
        query = query.where(SampledRespondent.unit_id == unit_id)
    return [(row[0], row[1]) for row in db.execute(query).all()]


def latest_link(db: Session, respondent_id: int) -> RespondentLink | None:
    return (
        db.execute(
            select(RespondentLink)
            .where(RespondentLink.respondent_id == respondent_id)
            .order_by(RespondentLink.id.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )


def active_link(db: Session, respondent_id: int) -> RespondentLink | None:
    return db.execute(
        select(RespondentLink).where(
            RespondentLink.respondent_id == respondent_id, RespondentLink.revoked_at.is_(None)
        )
    ).scalar_one_or_none()
