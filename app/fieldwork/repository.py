"""Queries of fieldwork: surveyors, assignments, the phones' lists and reports, contact
attempts and the hand-over queue."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased, joinedload

from analysis.contact import AttemptResult
from analysis.disposition import Outcome
from app.auth.models import User
from app.campaign.models import Campaign, CampaignStatus
from app.case.models import Case
from app.fieldwork.models import (
    Assignment,
    ContactAttempt,
    Handover,
    HandoverStatus,
    OutcomeReport,
    Surveyor,
)
from app.link.models import RespondentLink
from app.questionnaire.models import QuestionnaireVersion
from app.response.models import Answer, Response, ResponseStatus
from app.response.repository import (
    RESPONSE_UNIT,
    Target,
    received_between,
    target_of,
    target_query,
)
from app.sample.models import Sample, SampledRespondent
from app.unit.models import Unit


def get_surveyor(db: Session, surveyor_id: int) -> Surveyor | None:
    return db.get(Surveyor, surveyor_id)


def surveyors(db: Session, ids: Iterable[int] | None = None) -> list[Surveyor]:
    query = select(Surveyor).order_by(Surveyor.id)
    if ids is not None:
        query = query.where(Surveyor.id.in_(list(ids)))
    return list(db.execute(query).scalars())


def surveyor_rows(db: Session, ids: Iterable[int] | None = None) -> list[Any]:
    """Surveyors with their account name, unit and number of assigned respondents."""
    assigned = (
        select(Assignment.surveyor_id, func.count().label("assigned"))
        .group_by(Assignment.surveyor_id)
        .subquery()
    )
    query = (
        select(
            Surveyor,
            User.username,
            Unit.code.label("unit_code"),
            Unit.name.label("unit_name"),
            assigned.c.assigned,
        )
        .outerjoin(User, User.id == Surveyor.user_id)
        .outerjoin(Unit, Unit.id == Surveyor.unit_id)
        .outerjoin(assigned, assigned.c.surveyor_id == Surveyor.id)
        .order_by(Surveyor.full_name, Surveyor.id)
    )
    if ids is not None:
        query = query.where(Surveyor.id.in_(list(ids)))
    return list(db.execute(query).all())


def surveyor_of_user(db: Session, user_id: int) -> Surveyor | None:
    return db.execute(select(Surveyor).where(Surveyor.user_id == user_id)).scalar_one_or_none()


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


def assignments(db: Session, user_id: int) -> list[Any]:
    """The respondents of the surveyor with account ``user_id`` in campaigns in fieldwork,
    with unit, campaign and the mode of a complete response if one is stored."""
    return list(
        db.execute(
            select(
                SampledRespondent,
                Campaign.id.label("campaign_id"),
                Campaign.name.label("campaign_name"),
                Unit.name.label("unit_name"),
                Response.mode.label("answered_mode"),
                Case.procedure_name,
                Case.returned_on,
            )
            .join(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
            .join(Surveyor, Surveyor.id == Assignment.surveyor_id)
            .join(Sample, Sample.id == SampledRespondent.sample_id)
            .join(Campaign, Campaign.id == Sample.campaign_id)
            .outerjoin(Unit, Unit.id == SampledRespondent.unit_id)
            .outerjoin(Case, Case.id == SampledRespondent.case_id)
            .outerjoin(
                Response,
                and_(
                    Response.respondent_id == SampledRespondent.id,
                    Response.status == ResponseStatus.COMPLETE,
                ),
            )
            .where(
                Surveyor.user_id == user_id,
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


def assigned_respondent(db: Session, user_id: int, respondent_id: int) -> Assigned | None:
    """The respondent, if assigned to the surveyor with account ``user_id``, loaded in one
    query with its sample and campaign (with the campaign's questionnaire version)."""
    row = db.execute(
        select(SampledRespondent, Sample, Campaign)
        .join(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
        .join(Surveyor, Surveyor.id == Assignment.surveyor_id)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .join(Campaign, Campaign.id == Sample.campaign_id)
        .options(
            # The form's content is parsed once per version and cached; not needed here.
            joinedload(Campaign.questionnaire_version)
            .defer(QuestionnaireVersion.content)
            .joinedload(QuestionnaireVersion.questionnaire),
        )
        .where(SampledRespondent.id == respondent_id, Surveyor.user_id == user_id)
    ).one_or_none()
    return None if row is None else Assigned(*row)


def assigned_target(db: Session, user_id: int, respondent_id: int) -> Target | None:
    """What storing an interview of the respondent needs, as plain values in one Core
    statement, if the respondent is assigned to the surveyor with account ``user_id``."""
    return target_of(
        db,
        target_query()
        .join(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
        .join(Surveyor, Surveyor.id == Assignment.surveyor_id)
        .where(SampledRespondent.id == respondent_id, Surveyor.user_id == user_id),
    )


def has_assignment_in(db: Session, user_id: int, campaign_id: int) -> bool:
    return (
        db.execute(
            select(Assignment.id)
            .join(Surveyor, Surveyor.id == Assignment.surveyor_id)
            .join(SampledRespondent, SampledRespondent.id == Assignment.sampled_respondent_id)
            .join(Sample, Sample.id == SampledRespondent.sample_id)
            .where(Surveyor.user_id == user_id, Sample.campaign_id == campaign_id)
            .limit(1)
        ).first()
        is not None
    )


def outcome_report(db: Session, client_id: uuid.UUID) -> OutcomeReport | None:
    return db.execute(
        select(OutcomeReport).where(OutcomeReport.client_id == client_id)
    ).scalar_one_or_none()


def next_reserves(db: Session, respondent: SampledRespondent) -> list[int]:
    """Ids of the unreleased reserves of the respondent's stratum and cluster, in draw order."""
    cluster = (
        SampledRespondent.cluster.is_(None)
        if respondent.cluster is None
        else SampledRespondent.cluster == respondent.cluster
    )
    return list(
        db.execute(
            select(SampledRespondent.id)
            .where(
                SampledRespondent.sample_id == respondent.sample_id,
                SampledRespondent.stratum == respondent.stratum,
                cluster,
                SampledRespondent.is_reserve.is_(True),
                SampledRespondent.replaces_id.is_(None),
                SampledRespondent.outcome == Outcome.PENDING,
            )
            .order_by(SampledRespondent.draw_order)
        ).scalars()
    )


def claim_reserve(db: Session, reserve_id: int, replaced_id: int) -> bool:
    """Link the reserve to the respondent it replaces, unless someone claimed it first."""
    result = db.execute(
        update(SampledRespondent)
        .where(SampledRespondent.id == reserve_id, SampledRespondent.replaces_id.is_(None))
        .values(replaces_id=replaced_id)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def fieldwork_rows(db: Session, campaign_id: int) -> list[Any]:
    """Everyone drawn for the campaign (reserves included), one row each: unit, whether
    a reserve and whom it replaced, outcome, whether an active link exists, the mode of
    a complete response and whether a partial response is stored."""
    started = aliased(Response)
    partial = (
        select(started.id)
        .where(
            started.respondent_id == SampledRespondent.id,
            started.status == ResponseStatus.PARTIAL,
        )
        .exists()
    )
    active_link = (
        select(RespondentLink.id)
        .where(
            RespondentLink.respondent_id == SampledRespondent.id,
            RespondentLink.revoked_at.is_(None),
        )
        .exists()
    )
    return list(
        db.execute(
            select(
                SampledRespondent.id,
                SampledRespondent.unit_id,
                SampledRespondent.is_reserve,
                SampledRespondent.replaces_id,
                SampledRespondent.outcome,
                active_link.label("has_link"),
                Response.mode.label("mode"),
                partial.label("has_partial"),
            )
            .join(Sample, Sample.id == SampledRespondent.sample_id)
            .outerjoin(
                Response,
                and_(
                    Response.respondent_id == SampledRespondent.id,
                    Response.status == ResponseStatus.COMPLETE,
                ),
            )
            .where(Sample.campaign_id == campaign_id)
            .order_by(SampledRespondent.id)
        ).all()
    )


def campaign_of(db: Session, respondent: SampledRespondent) -> Campaign:
    """The campaign whose draw selected ``respondent``."""
    return db.execute(
        select(Campaign)
        .join(Sample, Sample.campaign_id == Campaign.id)
        .where(Sample.id == respondent.sample_id)
    ).scalar_one()


def campaigns_of(db: Session, respondent_ids: list[int]) -> list[Campaign]:
    """The campaigns of these respondents' draws."""
    return list(
        db.execute(
            select(Campaign)
            .join(Sample, Sample.campaign_id == Campaign.id)
            .join(SampledRespondent, SampledRespondent.sample_id == Sample.id)
            .where(SampledRespondent.id.in_(respondent_ids))
            .distinct()
        ).scalars()
    )


def campaign_of_sample(db: Session, sample_id: int) -> Campaign | None:
    return db.execute(
        select(Campaign)
        .join(Sample, Sample.campaign_id == Campaign.id)
        .where(Sample.id == sample_id)
    ).scalar_one_or_none()


def contact_attempt(db: Session, client_id: uuid.UUID) -> ContactAttempt | None:
    return db.execute(
        select(ContactAttempt).where(ContactAttempt.client_id == client_id)
    ).scalar_one_or_none()


def attempts(db: Session, respondent_ids: Iterable[int]) -> list[ContactAttempt]:
    """The attempts to reach these respondents, in the order they happened."""
    return list(
        db.execute(
            select(ContactAttempt)
            .where(ContactAttempt.respondent_id.in_(list(respondent_ids)))
            .order_by(ContactAttempt.attempted_at, ContactAttempt.id)
        ).scalars()
    )


def attempt_results(db: Session, respondent_id: int) -> list[AttemptResult]:
    return list(
        db.execute(
            select(ContactAttempt.result)
            .where(ContactAttempt.respondent_id == respondent_id)
            .order_by(ContactAttempt.attempted_at, ContactAttempt.id)
        ).scalars()
    )


def handover_by_client_id(db: Session, client_id: uuid.UUID) -> Handover | None:
    return db.execute(select(Handover).where(Handover.client_id == client_id)).scalar_one_or_none()


def _handover_rows() -> Any:
    return (
        select(Handover, User.username, User.full_name, SampledRespondent.unit_id)
        .join(SampledRespondent, SampledRespondent.id == Handover.respondent_id)
        .outerjoin(User, User.id == Handover.handed_over_by_id)
    )


def handover_row(db: Session, handover_id: int) -> Any | None:
    """An item with the account name of whoever handed it over."""
    return db.execute(_handover_rows().where(Handover.id == handover_id)).one_or_none()


def handovers(db: Session, campaign_id: int, status: HandoverStatus | None) -> list[Any]:
    """A campaign's handed-over items, oldest first, with who handed each over."""
    query = (
        _handover_rows()
        .where(Handover.campaign_id == campaign_id)
        .order_by(Handover.created_at, Handover.id)
    )
    if status is not None:
        query = query.where(Handover.status == status)
    return list(db.execute(query).all())


def review_rows(
    db: Session, campaign_id: int, criteria: dict[str, Any], *, offset: int, limit: int
) -> tuple[list[Any], int]:
    """A page of the campaign's responses matching ``criteria`` (newest first) with the
    unit and the surveyor of each, and how many match in all."""
    query = (
        select(
            Response.id,
            Response.created_at,
            Response.started_at,
            Response.submitted_at,
            Response.mode,
            Response.status,
            Response.review_state,
            RESPONSE_UNIT.label("unit_id"),
            Surveyor.full_name.label("surveyor_name"),
        )
        .outerjoin(SampledRespondent, SampledRespondent.id == Response.respondent_id)
        .outerjoin(Assignment, Assignment.sampled_respondent_id == Response.respondent_id)
        .outerjoin(Surveyor, Surveyor.id == Assignment.surveyor_id)
        .where(Response.campaign_id == campaign_id)
    )
    wanted = {
        Response.mode: criteria.get("mode"),
        Response.status: criteria.get("status"),
        Response.review_state: criteria.get("review_state"),
        Assignment.surveyor_id: criteria.get("surveyor_id"),
        RESPONSE_UNIT: criteria.get("unit_id"),
    }
    for column, value in wanted.items():
        if value is not None:
            query = query.where(column == value)
    if criteria.get("units") is not None:
        query = query.where(RESPONSE_UNIT.in_(sorted(criteria["units"])))
    query = received_between(query, criteria.get("date_from"), criteria.get("date_to"))
    total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.execute(query.order_by(Response.id.desc()).offset(offset).limit(limit)).all()
    return list(rows), int(total)


def campaign_surveyors(db: Session, campaign_id: int) -> list[tuple[int, str]]:
    """Surveyors with respondents in the campaign, by name."""
    rows = db.execute(
        select(Surveyor.id, Surveyor.full_name)
        .join(Assignment, Assignment.surveyor_id == Surveyor.id)
        .join(SampledRespondent, SampledRespondent.id == Assignment.sampled_respondent_id)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .where(Sample.campaign_id == campaign_id)
        .distinct()
        .order_by(Surveyor.full_name)
    ).all()
    return [(row[0], row[1]) for row in rows]


@dataclass(frozen=True)
class CollectedBy:
    """Whom a response is about and who collected it (all ``None`` without a respondent)."""

    unit_id: int | None = None
    full_name: str | None = None
    phone: str | None = None
    surveyor_name: str | None = None


def collected_by(db: Session, respondent_id: int | None) -> CollectedBy:
    if respondent_id is None:
        return CollectedBy()
    row = db.execute(
        select(
            SampledRespondent.unit_id,
            SampledRespondent.full_name,
            SampledRespondent.phone,
            Surveyor.full_name,
        )
        .outerjoin(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
        .outerjoin(Surveyor, Surveyor.id == Assignment.surveyor_id)
        .where(SampledRespondent.id == respondent_id)
    ).one_or_none()
    return CollectedBy() if row is None else CollectedBy(*row)


def surveyor_by_respondent(db: Session, campaign_id: int) -> dict[int, int]:
    """The surveyor assigned to each respondent of the campaign's samples."""
    rows = db.execute(
        select(Assignment.sampled_respondent_id, Assignment.surveyor_id)
        .join(SampledRespondent, SampledRespondent.id == Assignment.sampled_respondent_id)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .where(Sample.campaign_id == campaign_id)
    ).all()
    return {row[0]: row[1] for row in rows}


def response_times(db: Session, campaign_id: int) -> list[Any]:
    """Every response of the campaign: respondent, whether complete, when started,
    submitted and received (no answers)."""
    return list(
        db.execute(
            select(
                Response.respondent_id,
                (Response.status == ResponseStatus.COMPLETE).label("complete"),
                Response.started_at,
                Response.submitted_at,
                Response.created_at.label("received_at"),
            ).where(Response.campaign_id == campaign_id)
        ).all()
    )


def last_outcome_reports(db: Session, campaign_id: int) -> dict[int, datetime]:
    """Per surveyor, when the latest outcome report about one of their respondents came."""
    rows = db.execute(
        select(Assignment.surveyor_id, func.max(OutcomeReport.created_at))
        .join(Assignment, Assignment.sampled_respondent_id == OutcomeReport.respondent_id)
        .join(SampledRespondent, SampledRespondent.id == OutcomeReport.respondent_id)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .where(Sample.campaign_id == campaign_id)
        .group_by(Assignment.surveyor_id)
    ).all()
    return {row[0]: row[1] for row in rows}


def quality_rows(
    db: Session,
    campaign_id: int,
    *,
    response_ids: Iterable[int] | None = None,
    windows: Iterable[tuple[int, datetime, datetime]] | None = None,
    phones: Iterable[str] | None = None,
) -> list[Any]:
    """Complete responses of the campaign (those given, or submitted by a surveyor within
    one of the ``(surveyor, start, end)`` windows, or of the given phones, or all):
    surveyor, unit code, start and submission, respondent's phone."""
    query = (
        select(
            Response.id,
            Assignment.surveyor_id,
            Unit.code.label("unit_code"),
            Response.started_at,
            Response.submitted_at,
            SampledRespondent.phone,
        )
        .outerjoin(SampledRespondent, SampledRespondent.id == Response.respondent_id)
        .outerjoin(Assignment, Assignment.sampled_respondent_id == Response.respondent_id)
        .outerjoin(Unit, Unit.id == RESPONSE_UNIT)
        .where(Response.campaign_id == campaign_id, Response.status == ResponseStatus.COMPLETE)
    )
    wanted: list[ColumnElement[bool]] = []
    if response_ids is not None:
        wanted.append(Response.id.in_(list(response_ids)))
    for surveyor_id, start, end in windows or ():
        wanted.append(
            and_(
                Assignment.surveyor_id == surveyor_id,
                Response.submitted_at >= start,
                Response.submitted_at <= end,
            )
        )
    if phones is not None:
        wanted.append(SampledRespondent.phone.in_(list(phones)))
    if wanted:
        query = query.where(or_(*wanted))
    return list(db.execute(query).all())


def answers_of(db: Session, response_ids: Iterable[int], item_codes: Iterable[str]) -> list[Any]:
    """``(response_id, item_code, value)`` of the given items of the given responses."""
    return list(
        db.execute(
            select(Answer.response_id, Answer.item_code, Answer.value).where(
                Answer.response_id.in_(list(response_ids)),
                Answer.item_code.in_(list(item_codes)),
            )
        ).all()
    )


def surveyor_units(db: Session, campaign_id: int) -> dict[int, set[int]]:
    """The units of each surveyor's respondents in the campaign."""
    rows = db.execute(
        select(Assignment.surveyor_id, SampledRespondent.unit_id)
        .join(SampledRespondent, SampledRespondent.id == Assignment.sampled_respondent_id)
        .join(Sample, Sample.id == SampledRespondent.sample_id)
        .where(Sample.campaign_id == campaign_id, SampledRespondent.unit_id.is_not(None))
        .distinct()
    ).all()
    found: dict[int, set[int]] = {}
    for surveyor_id, unit_id in rows:
        if unit_id is not None:
            found.setdefault(surveyor_id, set()).add(unit_id)
    return found
