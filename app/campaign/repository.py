"""Queries on campaigns."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.interfaces import ORMOption

from app.campaign.models import Campaign, CampaignStatus, SupervisorCampaign, SupervisorUnit
from app.questionnaire.models import QuestionnaireVersion
from app.unit.models import Unit


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


def supervised_campaigns(db: Session, user_id: int) -> list[int]:
    return list(
        db.execute(
            select(SupervisorCampaign.campaign_id).where(SupervisorCampaign.user_id == user_id)
        ).scalars()
    )


def supervised_units(db: Session, user_id: int) -> list[int]:
    return list(
        db.execute(
            select(SupervisorUnit.unit_id).where(SupervisorUnit.user_id == user_id)
        ).scalars()
    )


def units_under(db: Session, unit_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them in the tree."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in db.execute(select(Unit.id, Unit.parent_id)):
        children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    todo = list(unit_ids)
    while todo:
        unit_id = todo.pop()
        if unit_id not in found:
            found.add(unit_id)
            todo.extend(children.get(unit_id, []))
    return found


def known_ids(
    db: Session, campaign_ids: list[int], unit_ids: list[int]
) -> tuple[set[int], set[int]]:
    """Which of these campaigns and units exist."""
    campaigns = db.execute(select(Campaign.id).where(Campaign.id.in_(campaign_ids))).scalars()
    units = db.execute(select(Unit.id).where(Unit.id.in_(unit_ids))).scalars()
    return set(campaigns), set(units)


def replace_supervision(
    db: Session, user_id: int, campaign_ids: list[int], unit_ids: list[int]
) -> None:
    db.execute(delete(SupervisorCampaign).where(SupervisorCampaign.user_id == user_id))
    db.execute(delete(SupervisorUnit).where(SupervisorUnit.user_id == user_id))
    db.add_all(SupervisorCampaign(user_id=user_id, campaign_id=c) for c in campaign_ids)
    db.add_all(SupervisorUnit(user_id=user_id, unit_id=u) for u in unit_ids)
    db.flush()
