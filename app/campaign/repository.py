"""Queries on campaigns."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.interfaces import ORMOption

from app.campaign.models import Campaign, CampaignStatus
from app.questionnaire.models import QuestionnaireVersion


def _with_relations() -> tuple[ORMOption, ...]:
    return (
        joinedload(Campaign.scope_unit),
        joinedload(Campaign.questionnaire_version).joinedload(QuestionnaireVersion.questionnaire),
    )


def get(db: Session, campaign_id: int) -> Campaign | None:
    """The campaign with its questionnaire version (no query if the session has it)."""
    return db.get(Campaign, campaign_id, options=_with_relations())


def list_campaigns(db: Session, *, year: int | None = None) -> list[Campaign]:
    query = select(Campaign).options(*_with_relations()).order_by(Campaign.id)
    if year is not None:
        query = query.where(Campaign.year == year)
    return list(db.execute(query).scalars())


def fieldwork_hotlines(db: Session) -> list[str]:
    query = (
        select(Campaign.hotline)
        .where(Campaign.status == CampaignStatus.FIELDWORK, Campaign.hotline.isnot(None))
        .distinct()
        .order_by(Campaign.hotline)
    )
    return [hotline for hotline in db.execute(query).scalars() if hotline]
