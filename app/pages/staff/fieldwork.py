"""Fieldwork pages: balanced assignment of the sample to surveyors, the people in the
field with their surveyor (moving one or many to another surveyor) and the release of
reserves under the campaign's rule (the campaign's own page also issues personal links
and prints letters). Supervisors see the people of their units; only administrators
assign, move and release."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from analysis.disposition import Outcome
from app.auth.dependencies import StaffPage
from app.auth.schemas import PageSession
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError, UnprocessableError
from app.fieldwork import assignment, roster, service
from app.fieldwork import surveyors as surveyors_service
from app.fieldwork.schemas import AssignRequest, ReassignRequest
from app.pages.staff.console import failed, page, redirect, require_admin
from app.sample import service as sample_service

router = APIRouter(include_in_schema=False)

ROSTER_PAGE = 200


@router.post("/campaigns/{campaign_id}/assign")
async def assign(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    surveyor_ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    group_by: Annotated[str, Form()] = "unit",
) -> Response:
    """Give the latest sample's unassigned respondents to the chosen surveyors, balanced
    (a unit's respondents stay together, with a surveyor of that unit where there is one)."""
    back = f"/staff/campaigns/{campaign_id}"
    try:
        require_admin(session)
        samples = await db.run(sample_service.list_samples, campaign_id)
        if not samples:
            raise UnprocessableError(error="assign_needs_sample")
        data = AssignRequest(surveyor_ids=surveyor_ids, group_by=group_by)
        done = await db.run(assignment.assign_sample, samples[-1].id, data, actor=session.user)
    except ValidationError:
        return failed(request, session, UnprocessableError(error="assign_needs_surveyors"), back)
    except AppError as exc:
        return failed(request, session, exc, back)
    return redirect(f"{back}?assigned={done.assigned}")


def _filters(unit: str, surveyor: str, outcome: str) -> dict[str, Any]:
    """The roster's filters from the query: a unit id, a surveyor id or ``none``
    (unassigned), an outcome."""
    return {
        "unit_id": int(unit) if unit.isdigit() else None,
        "surveyor": int(surveyor) if surveyor.isdigit() else None,
        "unassigned": surveyor == "none",
        "outcome": Outcome(outcome) if outcome in set(Outcome) else None,
    }


async def _roster_page(
    request: Request,
    db: DatabaseDep,
    session: PageSession,
    campaign_id: int,
    *,
    query: dict[str, str],
    offset: int = 0,
    status_code: int = 200,
    **context: Any,
) -> Response:
    filters = _filters(query.get("unit", ""), query.get("surveyor", ""), query.get("outcome", ""))
    campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
    found = await db.run(
        roster.roster,
        campaign_id,
        actor=session.user,
        offset=offset,
        limit=ROSTER_PAGE,
        **filters,
    )
    return page(
        request,
        "staff/respondents.html",
        session,
        status_code=status_code,
        campaign=campaign,
        tab="fieldwork",
        roster=found,
        surveyors=await db.run(surveyors_service.list_surveyors),
        query={k: v for k, v in query.items() if v},
        offset=offset,
        page_size=ROSTER_PAGE,
        outcomes=list(Outcome),
        **context,
    )


@router.get("/campaigns/{campaign_id}/respondents")
async def respondents(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    unit: str = "",
    surveyor: str = "",
    outcome: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The people in the field of the latest sample with their surveyor, filtered by
    unit, surveyor and outcome; moving and reserve release for administrators."""
    query = {"unit": unit, "surveyor": surveyor, "outcome": outcome}
    try:
        return await _roster_page(
            request,
            db,
            session,
            campaign_id,
            query=query,
            offset=offset,
            done={k: request.query_params.get(k) for k in ("moved", "to", "released", "replaced")},
        )
    except AppError as exc:
        return failed(request, session, exc)


def _back(campaign_id: int, query: dict[str, str], **done: int) -> str:
    """The roster with the same filters, saying what was just done."""
    kept = {k: v for k, v in query.items() if v}
    return f"/staff/campaigns/{campaign_id}/respondents?{urlencode({**kept, **done})}#done"


async def _refused(
    request: Request,
    db: DatabaseDep,
    session: PageSession,
    campaign_id: int,
    query: dict[str, str],
    exc: AppError,
    ticked: set[int] | None = None,
) -> Response:
    """A refused change: the roster again with the reason (and the same people ticked);
    a refusal of the caller (403) is a page of its own."""
    if exc.status_code == 403:
        return failed(request, session, exc)
    return await _roster_page(
        request,
        db,
        session,
        campaign_id,
        query=query,
        status_code=exc.status_code,
        error=exc.detail,
        problems=exc.fields,
        ticked=ticked or set(),
    )


@router.post("/campaigns/{campaign_id}/reassign")
async def reassign(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    respondent_ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    surveyor_id: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    surveyor: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
) -> Response:
    """Move the ticked people to one surveyor, all or none (audited)."""
    query = {"unit": unit, "surveyor": surveyor, "outcome": outcome}
    try:
        require_admin(session)
        if not respondent_ids or not surveyor_id.isdigit():
            raise UnprocessableError(error="reassign_needs_choice")
        data = ReassignRequest(respondent_ids=respondent_ids, surveyor_id=int(surveyor_id))
        done = await db.run(assignment.reassign, data, actor=session.user, campaign_id=campaign_id)
    except AppError as exc:
        return await _refused(request, db, session, campaign_id, query, exc, set(respondent_ids))
    return redirect(_back(campaign_id, query, moved=done.assigned, to=int(surveyor_id)))


@router.post("/campaigns/{campaign_id}/release-reserve")
async def release_reserve(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    respondent_id: Annotated[int, Form()],
    confirm: Annotated[bool, Form()] = False,
    note: Annotated[str, Form(max_length=2000)] = "",
    unit: Annotated[str, Form()] = "",
    surveyor: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
) -> Response:
    """Release the next reserve of the person's stratum in draw order, if the campaign's
    rule allows it now (audited); the reserve goes to the person's surveyor."""
    query = {"unit": unit, "surveyor": surveyor, "outcome": outcome}
    try:
        require_admin(session)
        if not confirm:
            raise UnprocessableError(error="release_needs_confirmation")
        done = await db.run(
            service.release_reserve,
            respondent_id,
            note.strip() or None,
            actor=session.user,
            campaign_id=campaign_id,
        )
    except AppError as exc:
        return await _refused(request, db, session, campaign_id, query, exc)
    return redirect(_back(campaign_id, query, released=done.reserve.id, replaced=respondent_id))
