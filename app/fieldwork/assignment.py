"""Assigning sampled respondents to surveyors (điều tra viên), and their lists.

:func:`assign_sample` balances a sample across surveyors and :func:`reassign` moves
respondents by hand, while the campaign is in fieldwork. With ``group_by=unit`` a
surveyor based in a unit gets that unit's respondents first and no other unit while
some surveyor of the request is based in none of the sample's units
(:func:`sampling.balance_groups`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth.models import User
from app.campaign.service import require_fieldwork
from app.core.errors import ConflictError, NotFoundError, invalid, problem
from app.fieldwork import repository
from app.fieldwork.models import Assignment, FormerAssignment, Surveyor
from app.fieldwork.schemas import (
    AssignmentSummary,
    AssignRequest,
    ListRow,
    ReassignRequest,
    SurveyorRead,
)
from app.fieldwork.service import FINAL_OUTCOMES
from app.fieldwork.surveyors import get_surveyor
from app.sample import repository as samples_repository
from app.sample.models import SampledRespondent
from sampling import balance_groups


def _check_sample(db: Session, sample_id: int) -> None:
    if samples_repository.get_sample(db, sample_id) is None:
        raise NotFoundError(error="sample_not_found", sample_id=sample_id)


def _check_fieldwork(db: Session, sample_id: int) -> None:
    _check_sample(db, sample_id)
    campaign = repository.campaign_of_sample(db, sample_id)
    if campaign is not None:
        require_fieldwork(campaign)


def _check_surveyors(db: Session, ids: list[int]) -> list[Surveyor]:
    found = repository.surveyors(db, ids)
    missing = sorted(set(ids) - {s.id for s in found})
    if missing:
        raise invalid(
            [problem("surveyor_ids", "surveyor_not_found", surveyor_id=s) for s in missing]
        )
    return found


def assign_sample(
    db: Session, sample_id: int, data: AssignRequest, *, actor: User | None
) -> AssignmentSummary:
    """Give every unassigned respondent in the field to one of ``data.surveyor_ids``.

    Respondents are grouped (by unit, commune, or not at all) and groups go to
    surveyors largest first, each to the least loaded surveyor
    (:func:`sampling.balance_groups`); for unit groups, surveyors based in the
    unit take it, and only it while others are free. Loads already assigned in this
    sample count. Refused (409) unless the campaign is in fieldwork.
    """
    _check_fieldwork(db, sample_id)
    surveyors = _check_surveyors(db, data.surveyor_ids)
    rows = repository.unassigned_in_field(db, sample_id)
    groups: dict[str, list[int]] = {}
    unit_of_group: dict[str, int | None] = {}
    for row in rows:
        if data.group_by == "unit":
            key = f"unit:{row.unit_id}"
        elif data.group_by == "commune":
            commune = row.commune or (row.cluster.split("/")[0] if row.cluster else None)
            key = f"commune:{row.unit_id}:{commune or '-'}"
        else:
            key = f"respondent:{row.id}"
        groups.setdefault(key, []).append(row.id)
        unit_of_group[key] = row.unit_id
    by_unit: dict[int, list[int]] = {}
    for surveyor in surveyors:
        if surveyor.unit_id is not None:
            by_unit.setdefault(surveyor.unit_id, []).append(surveyor.id)
    preferred = {
        key: by_unit[unit_id]
        for key, unit_id in unit_of_group.items()
        if data.group_by == "unit" and unit_id is not None and unit_id in by_unit
    }
    current = repository.loads(db, sample_id)
    plan = balance_groups(
        {key: len(ids) for key, ids in groups.items()},
        [s.id for s in surveyors],
        current=current,
        preferred=preferred,
    )
    for key, surveyor_id in plan.items():
        for respondent_id in groups[key]:
            db.add(Assignment(sampled_respondent_id=respondent_id, surveyor_id=surveyor_id))
    record_event(
        db,
        actor=actor,
        action="sample.assign",
        entity_type="sample",
        entity_id=sample_id,
        payload={"group_by": data.group_by, "assigned": len(rows), "surveyors": data.surveyor_ids},
    )
    db.commit()
    return AssignmentSummary(assigned=len(rows), loads=repository.loads(db, sample_id))


def _ids(respondents: list[SampledRespondent]) -> str:
    return ", ".join(str(r.id) for r in sorted(respondents, key=lambda r: r.id))


def _check_movable(respondents: list[SampledRespondent]) -> None:
    """Refuse the whole request (409) if one respondent may not move: a ``completed`` or
    ``replaced`` person is settled, and an unreleased reserve is not in the field."""
    settled = [r for r in respondents if r.outcome in FINAL_OUTCOMES]
    if settled:
        raise ConflictError(error="reassign_settled", respondent_ids=_ids(settled))
    unused = [r for r in respondents if r.is_reserve and r.replaces_id is None]
    if unused:
        raise ConflictError(error="reassign_unused_reserve", respondent_ids=_ids(unused))


def _end_assignments(
    db: Session, respondent_ids: list[int], keep_with: int, actor: User | None
) -> dict[int, int]:
    """End the respondents' current assignments to surveyors other than ``keep_with``,
    keeping each as a :class:`FormerAssignment` (that surveyor may still hand over what
    their phone holds for the person); the former surveyor of each respondent moved."""
    former: dict[int, int] = {}
    for held in repository.assignments_of(db, respondent_ids):
        if held.surveyor_id == keep_with:
            continue
        former[held.sampled_respondent_id] = held.surveyor_id
        db.add(
            FormerAssignment(
                sampled_respondent_id=held.sampled_respondent_id,
                surveyor_id=held.surveyor_id,
                assigned_at=held.assigned_at,
                ended_by_id=actor.id if actor else None,
            )
        )
        db.delete(held)
    db.flush()
    return former


def reassign(
    db: Session, data: ReassignRequest, *, actor: User | None, campaign_id: int | None = None
) -> AssignmentSummary:
    """Move respondents to another surveyor (assigning them if they had none), while
    their campaign is in fieldwork, all or none: a ``completed`` or ``replaced`` person,
    or an unreleased reserve, refuses the request (409). Someone already with that
    surveyor stays as they are. The former surveyor is kept
    (:class:`app.fieldwork.models.FormerAssignment`): from then on their phone syncs
    nothing more for the person, but may hand over what it held to the supervisors
    (:func:`app.fieldwork.phone.hand_over`). Audited with each person's former surveyor.
    With ``campaign_id`` (a campaign's page), respondents of another campaign are 404."""
    (surveyor,) = _check_surveyors(db, [data.surveyor_id])
    ids = sorted(set(data.respondent_ids))
    respondents = repository.respondents_by_id(db, ids)
    missing = sorted(set(ids) - {r.id for r in respondents})
    if missing:
        raise NotFoundError(
            error="respondents_not_found", respondent_ids=", ".join(map(str, missing))
        )
    for campaign in repository.campaigns_of(db, ids):
        if campaign_id is not None and campaign.id != campaign_id:
            raise NotFoundError(
                error="respondents_not_found", respondent_ids=", ".join(map(str, ids))
            )
        require_fieldwork(campaign)
    _check_movable(respondents)
    samples = {r.sample_id for r in respondents}
    already = {a.sampled_respondent_id for a in repository.assignments_of(db, ids)}
    former = _end_assignments(db, ids, surveyor.id, actor)
    moved = [i for i in ids if i in former or i not in already]
    for respondent_id in moved:
        db.add(Assignment(sampled_respondent_id=respondent_id, surveyor_id=surveyor.id))
    record_event(
        db,
        actor=actor,
        action="respondent.reassign",
        entity_type="surveyor",
        entity_id=surveyor.id,
        payload={
            "respondent_ids": moved,
            "from": {str(i): former.get(i) for i in moved},
        },
    )
    db.commit()
    loads: dict[int, int] = {}
    for sample_id in samples:
        for key, value in repository.loads(db, sample_id).items():
            loads[key] = loads.get(key, 0) + value
    return AssignmentSummary(assigned=len(moved), loads=loads)


def surveyor_list(
    db: Session, sample_id: int, surveyor_id: int
) -> tuple[SurveyorRead, list[ListRow]]:
    _check_sample(db, sample_id)
    surveyor = get_surveyor(db, surveyor_id)
    rows = [
        ListRow.model_validate(row, from_attributes=True)
        for row in repository.surveyor_list(db, sample_id, surveyor_id)
    ]
    return surveyor, rows
