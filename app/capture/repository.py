"""Queries of the surveyors' app."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, joinedload

from app.models import (
    Assignment,
    Campaign,
    CampaignStatus,
    OutcomeReport,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    Sample,
    SampledRespondent,
    Surveyor,
    Unit,
)


def surveyor(db: Session, surveyor_id: int) -> Surveyor | None:
    return db.get(Surveyor, surveyor_id)


def assignments(db: Session, surveyor_id: int) -> list[Any]:
    """The surveyor's respondents in campaigns in fieldwork, with unit, campaign and
    the mode of a complete response if one is stored."""
    return list(
        db.execute(
            select(
                SampledRespondent,
                Campaign.id.label("campaign_id"),
                Campaign.name.label("campaign_name"),
                Unit.name.label("unit_name"),
                Response.mode.label("answered_mode"),
            )
            .join(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
            .join(Sample, Sample.id == SampledRespondent.sample_id)
            .join(Campaign, Campaign.id == Sample.campaign_id)
            .outerjoin(Unit, Unit.id == SampledRespondent.unit_id)
            .outerjoin(
                Response,
                and_(
                    Response.respondent_id == SampledRespondent.id,
                    Response.status == ResponseStatus.COMPLETE,
                ),
            )
            .where(
                Assignment.surveyor_id == surveyor_id,
                Campaign.status == CampaignStatus.FIELDWORK,
            )
            .order_by(Unit.name, SampledRespondent.stratum, SampledRespondent.draw_order)
        ).all()
    )


@dataclass(frozen=True)
class Assigned:
    """An assigned respondent with what storing an interview needs. Holding the
    objects keeps them in the session's (weak-referencing) identity map, where the
    response service finds them without asking the database again."""

    respondent: SampledRespondent
    sample: Sample
    campaign: Campaign


def assigned_respondent(db: Session, surveyor_id: int, respondent_id: int) -> Assigned | None:
    """The respondent, if assigned to this surveyor, loaded in one query with its
    sample and campaign (with the campaign's questionnaire version)."""
    row = db.execute(
        select(SampledRespondent, Sample, Campaign)
        .join(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .join(Campaign, Campaign.id == Sample.campaign_id)
        .options(
            # The form's content is parsed once per version and cached; not needed here.
            joinedload(Campaign.questionnaire_version)
            .defer(QuestionnaireVersion.content)
            .joinedload(QuestionnaireVersion.questionnaire),
        )
        .where(SampledRespondent.id == respondent_id, Assignment.surveyor_id == surveyor_id)
    ).one_or_none()
    return None if row is None else Assigned(*row)


def has_assignment_in(db: Session, surveyor_id: int, campaign_id: int) -> bool:
    return (
        db.execute(
            select(Assignment.id)
            .join(SampledRespondent, SampledRespondent.id == Assignment.sampled_respondent_id)
            .join(Sample, Sample.id == SampledRespondent.sample_id)
            .where(Assignment.surveyor_id == surveyor_id, Sample.campaign_id == campaign_id)
            .limit(1)
        ).first()
        is not None
    )


def outcome_report(db: Session, client_id: uuid.UUID) -> OutcomeReport | None:
    return db.execute(
        select(OutcomeReport).where(OutcomeReport.client_id == client_id)
    ).scalar_one_or_none()
