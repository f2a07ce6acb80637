"""Queries of fieldwork: surveyors, assignments, the phones' lists and reports, contact
attempts and the hand-over queue."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased, joinedload

from analysis.contact import AttemptResult
from analysis.disposition import Outcome
from app.auth.models import User
from app.campaign.models import Campaign, CampaignStatus
from app.case.models import Case
from app.core.sqltime import local_date, minutes_between
from app.fieldwork.models import (
    Assignment,
    ContactAttempt,
    FormerAssignment,
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


def assignments_of(db: Session, respondent_ids: list[int]) -> list[Assignment]:
    return list(
        db.execute(
            select(Assignment).where(Assignment.sampled_respondent_id.in_(respondent_ids))
        ).scalars()
    )


def formerly_held(db: Session, user_id: int, respondent_id: int) -> Campaign | None:
    """The respondent's campaign, if the surveyor with account ``user_id`` held the
    respondent before a reassignment."""
    return db.execute(
        select(Campaign)
        .join(Sample, Sample.campaign_id == Campaign.id)
        .join(SampledRespondent, SampledRespondent.sample_id == Sample.id)
        .join(FormerAssignment, FormerAssignment.sampled_respondent_id == SampledRespondent.id)
        .join(Surveyor, Surveyor.id == FormerAssignment.surveyor_id)
        .where(SampledRespondent.id == respondent_id, Surveyor.user_id == user_id)
        .limit(1)
    ).scalar_one_or_none()


def _in_field() -> ColumnElement[bool]:
    """The sample and the released reserves (an unused reserve is not in the field)."""
    return or_(SampledRespondent.is_reserve.is_(False), SampledRespondent.replaces_id.is_not(None))


def roster_rows(
    db: Session,
    sample_id: int,
    *,
    unit_ids: Iterable[int] | None,
    surveyor_id: int | None,
    unassigned: bool,
    outcome: Outcome | None,
    offset: int,
    limit: int,
) -> tuple[int, list[Any]]:
    """The people in the field of a sample with their unit, surveyor and the reserve that
    replaced them, filtered (``unit_ids`` None: every unit), in draw order; and how many
    match."""
    replacement = aliased(SampledRespondent)
    conditions = [SampledRespondent.sample_id == sample_id, _in_field()]
    if unit_ids is not None:
        conditions.append(SampledRespondent.unit_id.in_(list(unit_ids)))
    if surveyor_id is not None:
        conditions.append(Assignment.surveyor_id == surveyor_id)
    if unassigned:
        conditions.append(Assignment.id.is_(None))
    if outcome is not None:
        conditions.append(SampledRespondent.outcome == outcome)
    base = (
        select(
            SampledRespondent,
            Unit.name.label("unit_name"),
            Surveyor.id.label("surveyor_id"),
            Surveyor.full_name.label("surveyor_name"),
            replacement.id.label("replaced_by_id"),
        )
        .outerjoin(Unit, Unit.id == SampledRespondent.unit_id)
        .outerjoin(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
        .outerjoin(Surveyor, Surveyor.id == Assignment.surveyor_id)
        .outerjoin(replacement, replacement.replaces_id == SampledRespondent.id)
        .where(*conditions)
    )
    total = db.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = db.execute(
        base.order_by(SampledRespondent.stratum, SampledRespondent.draw_order)
        .offset(offset)
        .limit(limit)
    ).all()
    return int(total), list(rows)


def reserves_left(db: Session, sample_id: int) -> int:
    """Reserves of the sample not yet released."""
    return int(
        db.execute(
            select(func.count())
            .select_from(SampledRespondent)
            .where(
                SampledRespondent.sample_id == sample_id,
                SampledRespondent.is_reserve.is_(True),
                SampledRespondent.replaces_id.is_(None),
                SampledRespondent.outcome == Outcome.PENDING,
            )
        ).scalar_one()
    )


def replacements(db: Session, sample_id: int) -> list[Any]:
    """Each released reserve of a sample with the person it replaced, in release order."""
    replaced = aliased(SampledRespondent)
    return list(
        db.execute(
            select(
                SampledRespondent.id.label("reserve_id"),
                SampledRespondent.full_name.label("reserve_name"),
                SampledRespondent.unit_id,
                replaced.id.label("replaced_id"),
                replaced.full_name.label("replaced_name"),
                replaced.outcome_note.label("note"),
                Unit.name.label("unit_name"),
                Surveyor.full_name.label("surveyor_name"),
            )
            .join(replaced, replaced.id == SampledRespondent.replaces_id)
            .outerjoin(Unit, Unit.id == SampledRespondent.unit_id)
            .outerjoin(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)
            .outerjoin(Surveyor, Surveyor.id == Assignment.surveyor_id)
            .where(SampledRespondent.sample_id == sample_id)
            .order_by(SampledRespondent.id)
        ).all()
    )


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


def _in_campaign(campaign_id: int) -> Any:
    return SampledRespondent.sample_id.in_(
        select(Sample.id).where(Sample.campaign_id == campaign_id)
    )


def _fieldwork_columns(campaign_id: int) -> list[Any]:
    """Per person: unit, surveyor, outcome, the mode of a complete response, whether a
    partial response and whether an active personal link are stored."""
    partial = select(Response.respondent_id).where(
        Response.campaign_id == campaign_id, Response.status == ResponseStatus.PARTIAL
    )
    linked = select(RespondentLink.respondent_id).where(RespondentLink.revoked_at.is_(None))
    return [
        SampledRespondent.unit_id,
        Assignment.surveyor_id,
        SampledRespondent.outcome,
        Response.mode.label("mode"),
        SampledRespondent.id.in_(partial).label("has_partial"),
        SampledRespondent.id.in_(linked).label("has_link"),
    ]


def _with_responses_and_surveyors(query: Any) -> Any:
    return query.outerjoin(
        Response,
        and_(
            Response.respondent_id == SampledRespondent.id,
            Response.status == ResponseStatus.COMPLETE,
        ),
    ).outerjoin(Assignment, Assignment.sampled_respondent_id == SampledRespondent.id)


def fieldwork_tally(db: Session, campaign_id: int) -> tuple[list[Any], list[Any]]:
    """The campaign's people for counting, in two parts.

    The first counts, by whether a reserve, unit, surveyor, outcome, mode of a complete
    response, partial response and active link, the people who replace nobody and
    whom nobody replaces (:class:`analysis.disposition.LoneCases`): nearly everyone,
    grouped by the database. The second lists the others one by one (released
    reserves and the people they replaced) with their id and whom they replace, for
    the chains of replacements.
    """
    replaced = select(SampledRespondent.replaces_id).where(
        SampledRespondent.replaces_id.is_not(None)
    )
    columns = [SampledRespondent.is_reserve, *_fieldwork_columns(campaign_id)]
    lone = db.execute(
        _with_responses_and_surveyors(select(*columns, func.count().label("count")))
        .where(
            _in_campaign(campaign_id),
            SampledRespondent.replaces_id.is_(None),
            SampledRespondent.id.not_in(replaced),
        )
        .group_by(*columns)
    ).all()
    others = db.execute(
        _with_responses_and_surveyors(
            select(SampledRespondent.id, SampledRespondent.replaces_id, *columns)
        )
        .where(
            _in_campaign(campaign_id),
            SampledRespondent.id.in_(
                select(SampledRespondent.id)
                .where(SampledRespondent.replaces_id.is_not(None))
                .union(replaced)
            ),
        )
        .order_by(SampledRespondent.id)
    ).all()
    return list(lone), list(others)


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


def _unit_in(unit_ids: Iterable[int]) -> ColumnElement[bool]:
    """The response's unit (its own, else its respondent's) is one of ``unit_ids``;
    tested on the response's columns, so that the indexes of ``response`` serve it."""
    wanted = sorted(unit_ids)
    return or_(
        Response.unit_id.in_(wanted),
        and_(
            Response.unit_id.is_(None),
            Response.respondent_id.in_(
                select(SampledRespondent.id).where(SampledRespondent.unit_id.in_(wanted))
            ),
        ),
    )


def _review_criteria(campaign_id: int, criteria: dict[str, Any]) -> list[ColumnElement[bool]]:
    wanted: list[ColumnElement[bool]] = [Response.campaign_id == campaign_id]
    for column, key in (
        (Response.mode, "mode"),
        (Response.status, "status"),
        (Response.review_state, "review_state"),
    ):
        if criteria.get(key) is not None:
            wanted.append(column == criteria[key])
    if criteria.get("surveyor_id") is not None:
        wanted.append(
            Response.respondent_id.in_(
                select(Assignment.sampled_respondent_id).where(
                    Assignment.surveyor_id == criteria["surveyor_id"]
                )
            )
        )
    if criteria.get("unit_id") is not None:
        wanted.append(_unit_in([criteria["unit_id"]]))
    if criteria.get("units") is not None:
        wanted.append(_unit_in(criteria["units"]))
    return wanted


def review_rows(
    db: Session, campaign_id: int, criteria: dict[str, Any], *, offset: int, limit: int
) -> tuple[list[Any], int]:
    """A page of the campaign's responses matching ``criteria`` (newest first) with the
    unit and the surveyor of each, and how many match in all.

    The count and the page's ids come from ``response`` alone; only the page's rows are
    joined to their respondents and surveyors."""
    wanted = _review_criteria(campaign_id, criteria)

    def matching(query: Any) -> Any:
        return received_between(
            query.where(*wanted), criteria.get("date_from"), criteria.get("date_to")
        )

    total = db.execute(matching(select(func.count()).select_from(Response))).scalar_one()
    page = matching(select(Response.id)).order_by(Response.id.desc()).offset(offset).limit(limit)
    rows = db.execute(
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
        .where(Response.id.in_(page.scalar_subquery()))
        .order_by(Response.id.desc())
    ).all()
    return list(rows), int(total)


def campaign_surveyors(db: Session, campaign_id: int) -> list[tuple[int, str]]:
    """Surveyors with respondents in the campaign, by name (each surveyor probed through
    the index of their assignments)."""
    assigned = (
        select(Assignment.id)
        .join(SampledRespondent, SampledRespondent.id == Assignment.sampled_respondent_id)
        .where(Assignment.surveyor_id == Surveyor.id, _in_campaign(campaign_id))
        .exists()
    )
    rows = db.execute(
        select(Surveyor.id, Surveyor.full_name).where(assigned).order_by(Surveyor.full_name)
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


def _responses_seen(query: Any, campaign_id: int, unit_ids: Iterable[int] | None) -> Any:
    """``query`` over the campaign's responses, each with its surveyor (outer joins); with
    ``unit_ids``, only responses of respondents in those units."""
    query = (
        query.select_from(Response)
        .outerjoin(Assignment, Assignment.sampled_respondent_id == Response.respondent_id)
        .where(Response.campaign_id == campaign_id)
    )
    if unit_ids is not None:
        query = query.join(SampledRespondent, SampledRespondent.id == Response.respondent_id)
        query = query.where(SampledRespondent.unit_id.in_(sorted(unit_ids)))
    return query


@dataclass(frozen=True)
class SurveyorTimes:
    """Interview lengths and syncs of a campaign's responses."""

    median_minutes: float | None
    """Median length (submitted − started) of every complete response."""
    medians: dict[int | None, float]
    """The same per surveyor (``None``: responses of nobody's respondents)."""
    last_received: dict[int, datetime]
    """Per surveyor, when the latest response of one of their respondents came."""


def _minutes() -> ColumnElement[float]:
    return minutes_between(Response.started_at, Response.submitted_at)


_TIMED = (
    Response.status == ResponseStatus.COMPLETE,
    Response.started_at.is_not(None),
    Response.submitted_at.is_not(None),
)


def surveyor_times(db: Session, campaign_id: int, unit_ids: Iterable[int] | None) -> SurveyorTimes:
    """Medians and last syncs of the responses (with ``unit_ids``, of respondents in
    those units): on PostgreSQL in one pass (``percentile_cont`` over a ``ROLLUP``),
    elsewhere by ranking the lengths."""
    if db.get_bind().dialect.name != "postgresql":
        ranked = _ranked_medians(db, campaign_id, unit_ids)
        return SurveyorTimes(*ranked, _last_responses(db, campaign_id, unit_ids))
    whole = func.grouping(Assignment.surveyor_id)
    median = func.percentile_cont(0.5).within_group(_minutes()).filter(and_(*_TIMED))
    rows = db.execute(
        _responses_seen(
            select(Assignment.surveyor_id, whole, median, func.max(Response.created_at)),
            campaign_id,
            unit_ids,
        ).group_by(func.rollup(Assignment.surveyor_id))
    ).all()
    each = [row for row in rows if row[1] == 0]
    overall = [float(row[2]) for row in rows if row[1] == 1 and row[2] is not None]
    return SurveyorTimes(
        overall[0] if overall else None,
        {row[0]: float(row[2]) for row in each if row[2] is not None},
        {row[0]: row[3] for row in each if row[0] is not None},
    )


def _ranked_medians(
    db: Session, campaign_id: int, unit_ids: Iterable[int] | None
) -> tuple[float | None, dict[int | None, float]]:
    """The median lengths, in all and per surveyor, as the mean of the one or two
    middle lengths by rank (for databases without ``percentile_cont``)."""
    minutes = _minutes()

    def medians(partition: list[Any]) -> list[Any]:
        ranked = (
            _responses_seen(
                select(
                    *(column.label(f"key_{i}") for i, column in enumerate(partition)),
                    minutes.label("minutes"),
                    func.row_number()
                    .over(partition_by=partition or None, order_by=minutes)
                    .label("position"),
                    func.count().over(partition_by=partition or None).label("size"),
                ),
                campaign_id,
                unit_ids,
            )
            .where(*_TIMED)
            .subquery()
        )
        keys = [ranked.c[f"key_{i}"] for i in range(len(partition))]
        middle = ranked.c.position.in_([(ranked.c.size + 1) // 2, (ranked.c.size + 2) // 2])
        return list(
            db.execute(
                select(*keys, func.avg(ranked.c.minutes)).where(middle).group_by(*keys)
            ).all()
        )

    overall = [float(row[0]) for row in medians([]) if row[0] is not None]
    per_surveyor = {row[0]: float(row[1]) for row in medians([Assignment.surveyor_id])}
    return (overall[0] if overall else None), per_surveyor


def daily_completes(
    db: Session, campaign_id: int, unit_ids: Iterable[int] | None, utc_offset_hours: int
) -> list[tuple[date, int]]:
    """Complete responses per day of submission, at a fixed offset from UTC, by day."""
    day = local_date(Response.submitted_at, utc_offset_hours)
    rows = db.execute(
        _responses_seen(select(day, func.count()), campaign_id, unit_ids)
        .where(Response.status == ResponseStatus.COMPLETE, Response.submitted_at.is_not(None))
        .group_by(day)
        .order_by(day)
    ).all()
    return [(row[0], int(row[1])) for row in rows]


def _last_responses(
    db: Session, campaign_id: int, unit_ids: Iterable[int] | None
) -> dict[int, datetime]:
    """Per surveyor, when the latest response of one of their respondents was received."""
    rows = db.execute(
        _responses_seen(
            select(Assignment.surveyor_id, func.max(Response.created_at)),
            campaign_id,
            unit_ids,
        )
        .where(Assignment.surveyor_id.is_not(None))
        .group_by(Assignment.surveyor_id)
    ).all()
    return {row[0]: row[1] for row in rows}


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
    surveyor, unit code, start and submission, respondent's phone.

    Each kind of criterion is one query, which the indexes on responses' submission
    times and respondents' phones can serve; a response found twice is listed once."""
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
    kinds: list[ColumnElement[bool]] = []
    if response_ids is not None:
        kinds.append(Response.id.in_(list(response_ids)))
    in_windows = [
        and_(
            Assignment.surveyor_id == surveyor_id,
            Response.submitted_at >= start,
            Response.submitted_at <= end,
        )
        for surveyor_id, start, end in windows or ()
    ]
    if in_windows:
        kinds.append(or_(*in_windows))
    if phones is not None:
        kinds.append(SampledRespondent.phone.in_(list(phones)))
    if not kinds:
        return list(db.execute(query).all())
    found: dict[int, Any] = {}
    for kind in kinds:
        found.update((row.id, row) for row in db.execute(query.where(kind)))
    return list(found.values())


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
