"""Who holds whom in the field: the staff's page for moving respondents to another
surveyor (:func:`app.fieldwork.assignment.reassign`) and releasing reserves
(:func:`app.fieldwork.service.release_reserve`).

Each row says whether the person may move (not ``completed`` nor ``replaced``) and
whether a reserve may take their place now, by the rule of
:func:`analysis.contact.may_release_reserve` with the campaign's
``attempts_before_reserve`` (spec §5: reserves replace refusals in draw order; a
person not reached only after that many attempts, or sooner when an attempt showed
the contact details lead nowhere; an ineligible person is never replaced). A
supervisor sees the rows of their units, with names only where they may see
personal data (:mod:`app.campaign.scope`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from analysis.contact import FINAL_NON_CONTACT, AttemptResult, may_release_reserve
from analysis.disposition import Outcome
from app.auth.models import User
from app.campaign import service as campaign_service
from app.campaign.scope import Scope, campaign_in_scope
from app.fieldwork import repository
from app.fieldwork.schemas import Replacement, Roster, RosterRow
from app.fieldwork.service import FINAL_OUTCOMES, REPLACEABLE
from app.response import repository as response_repository
from app.sample import repository as sample_repository
from app.unit import repository as unit_repository


def _missing(outcome: Outcome, results: list[AttemptResult], required: int) -> int:
    if outcome is not Outcome.NOT_REACHABLE or any(r in FINAL_NON_CONTACT for r in results):
        return 0
    return max(required - len(results), 0)


def _row(row: Any, results: list[AttemptResult], required: int, scope: Scope) -> RosterRow:
    person = row[0]
    releasable = (
        row.replaced_by_id is None
        and person.outcome in REPLACEABLE
        and may_release_reserve(person.outcome, results, required=required)
    )
    return RosterRow(
        id=person.id,
        full_name=person.full_name if scope.sees_personal(person.unit_id) else None,
        unit_name=row.unit_name,
        stratum=person.stratum,
        is_reserve=person.is_reserve,
        replaces_id=person.replaces_id,
        replaced_by_id=row.replaced_by_id,
        outcome=person.outcome,
        surveyor_id=row.surveyor_id,
        surveyor_name=row.surveyor_name,
        attempts=len(results),
        movable=person.outcome not in FINAL_OUTCOMES,
        releasable=releasable,
        attempts_missing=_missing(person.outcome, results, required),
    )


def _replacement(row: Any, scope: Scope) -> Replacement:
    personal = scope.sees_personal(row.unit_id)
    return Replacement(
        reserve_id=row.reserve_id,
        reserve_name=row.reserve_name if personal else None,
        replaced_id=row.replaced_id,
        replaced_name=row.replaced_name if personal else None,
        unit_name=row.unit_name,
        surveyor_name=row.surveyor_name,
        note=row.note,
    )


def roster(
    db: Session,
    campaign_id: int,
    *,
    actor: User | None,
    unit_id: int | None = None,
    surveyor: int | None = None,
    unassigned: bool = False,
    outcome: Outcome | None = None,
    offset: int = 0,
    limit: int = 200,
) -> Roster:
    """A page of the people in the field of the campaign's latest sample, filtered by
    unit, surveyor (or ``unassigned``) and outcome, within the actor's units."""
    scope = campaign_in_scope(db, campaign_id, actor)
    campaign = campaign_service.get(db, campaign_id)
    required = campaign.attempts_before_reserve
    unit_ids = {
        i for i in response_repository.campaign_unit_ids(db, campaign_id) if scope.sees_unit(i)
    }
    choices = sorted(
        ((u.id, u.name) for u in unit_repository.units_by_id(db, unit_ids).values()),
        key=lambda pair: pair[1],
    )
    samples = sample_repository.list_samples(db, campaign_id)
    if not samples:
        return Roster(
            sample_id=None,
            attempts_before_reserve=required,
            units=choices,
            rows=[],
            total=0,
            reserves_left=0,
            replacements=[],
        )
    sample_id = samples[-1].id
    units = scope.unit_ids
    if unit_id is not None:
        units = frozenset({unit_id}) if scope.sees_unit(unit_id) else frozenset()
    total, rows = repository.roster_rows(
        db,
        sample_id,
        unit_ids=units,
        surveyor_id=surveyor,
        unassigned=unassigned,
        outcome=outcome,
        offset=offset,
        limit=limit,
    )
    results: dict[int, list[AttemptResult]] = defaultdict(list)
    for attempt in repository.attempts(db, [row[0].id for row in rows]):
        results[attempt.respondent_id].append(attempt.result)
    return Roster(
        sample_id=sample_id,
        attempts_before_reserve=required,
        units=choices,
        rows=[_row(row, results[row[0].id], required, scope) for row in rows],
        total=total,
        reserves_left=repository.reserves_left(db, sample_id),
        loads=repository.loads(db, sample_id),
        replacements=[
            _replacement(row, scope)
            for row in repository.replacements(db, sample_id)
            if scope.sees_unit(row.unit_id)
        ],
    )
