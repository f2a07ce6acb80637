"""Fieldwork pages: balanced assignment of the sample to surveyors (the campaign's own
page also issues personal links and prints letters)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from app.auth.dependencies import StaffPage
from app.core.deps import DatabaseDep
from app.core.errors import AppError, UnprocessableError
from app.fieldwork import assignment
from app.fieldwork.schemas import AssignRequest
from app.pages.staff.console import failed, redirect, require_admin
from app.sample import service as sample_service

router = APIRouter(include_in_schema=False)


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
