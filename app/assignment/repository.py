"""Queries on surveyors and assignments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import Assignment, Case, Outcome, SampledRespondent, Surveyor, Unit


def get_surveyor(db: Session, surveyor_id: int) -> Surveyor | None:
    return db.get(Surveyor, surveyor_id)


def surveyors(db: Session, ids: Iterable[int] | None = None) -> list[Surveyor]:
    query = select(Surveyor).order_by(Surveyor.id)
    if ids is not None:
        query = query.where(Surveyor.id.in_(list(ids)))
    return list(db.execute(query).scalars())


def unassigned_in_field(db: Session, sample_id: int) -> list[Any]:
    """Respondents in the field (the sample and released reserves), still pending and
    without a surveyor, with their unit and commune."""
    query = (
        select(
            SampledRespondent.id,
            SampledRespondent.unit_id,
            SampledRespondent.cluster,
            Case.commune,
        )
        .outerjoin(Case, Case.id == SampledRespondent.case_id)
        .outerjoin(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
        .where(
            SampledRespondent.sample_id == sample_id,
            (SampledRespondent.is_reserve.is_(False))
            | (SampledRespondent.replaces_id.is_not(None)),
            SampledRespondent.outcome == Outcome.PENDING,
            Assignment.id.is_(None),
        )
        .order_by(SampledRespondent.stratum, SampledRespondent.draw_order)
    )
    return list(db.execute(query))


def loads(db: Session, sample_id: int) -> dict[int, int]:
    query = (
        select(Assignment.surveyor_id, func.count())
        .join(SampledRespondent, SampledRespondent.id == Assignment.sampled_respondent_id)
        .where(SampledRespondent.sample_id == sample_id)
        .group_by(Assignment.surveyor_id)
    )
    return {row[0]: int(row[1]) for row in db.execute(query)}


def assignment_for(db: Session, respondent_id: int) -> Assignment | None:
    return db.execute(
        select(Assignment).where(Assignment.sampled_respondent_id == respondent_id)
    ).scalar_one_or_none()


def remove_assignments(db: Session, respondent_ids: list[int]) -> None:
    db.execute(delete(Assignment).where(Assignment.sampled_respondent_id.in_(respondent_ids)))


def respondents_by_id(db: Session, ids: list[int]) -> list[SampledRespondent]:
    return list(
        db.execute(select(SampledRespondent).where(SampledRespondent.id.in_(ids))).scalars()
    )


def surveyor_list(db: Session, sample_id: int, surveyor_id: int) -> list[Any]:
    query = (
        select(
            SampledRespondent.id.label("respondent_id"),
            SampledRespondent.stratum,
            SampledRespondent.draw_order,
            SampledRespondent.full_name,
            SampledRespondent.phone,
            SampledRespondent.address,
            SampledRespondent.replaces_id,
            SampledRespondent.outcome,
            Unit.code.label("unit_code"),
            Unit.name.label("unit_name"),
            Case.commune,
            Case.hamlet,
            Case.procedure_name,
            Case.returned_on,
        )
        .join(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
        .outerjoin(Unit, Unit.id == SampledRespondent.unit_id)
        .outerjoin(Case, Case.id == SampledRespondent.case_id)
        .where(SampledRespondent.sample_id == sample_id, Assignment.surveyor_id == surveyor_id)
        .order_by(SampledRespondent.stratum, SampledRespondent.draw_order)
    )
    return list(db.execute(query))
