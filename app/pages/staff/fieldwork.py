"""Staff pages of fieldwork: correcting a respondent's outcome from the campaign page,
and the queue of items surveyors handed over (accept an interview as a response, or
discard an item with a reason). Administrators and supervisors use them; every change
is audited by the fieldwork services."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from analysis.disposition import Outcome
from app.auth.dependencies import StaffPage
from app.auth.schemas import PageSession
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError, UnprocessableError
from app.fieldwork import handover, service
from app.fieldwork.models import HandoverStatus
from app.fieldwork.schemas import OutcomeCorrection
from app.pages.shared.templates import error_page, render
from app.pages.staff.endpoints import AREA

router = APIRouter(prefix="/staff", tags=["staff pages"])


def _failed(request: Request, session: PageSession, exc: AppError, back: str) -> Response:
    return error_page(request, exc, back=back, session=session)


def _reason_needed() -> UnprocessableError:
    return UnprocessableError(error="reason_required")


@router.post("/campaigns/{campaign_id}/outcome-corrections", include_in_schema=False)
async def correct_outcome(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    respondent_id: Annotated[int, Form()],
    outcome: Annotated[Outcome, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Correct one respondent's outcome from the campaign page, with a reason."""
    back = f"/staff/campaigns/{campaign_id}"
    try:
        try:
            data = OutcomeCorrection(outcome=outcome, reason=reason.strip())
        except ValidationError:
            raise _reason_needed() from None
        await db.run(
            service.correct_outcome,
            respondent_id,
            data,
            actor=session.user,
            campaign_id=campaign_id,
        )
    except AppError as exc:
        return _failed(request, session, exc, back)
    return RedirectResponse(f"{back}?corrected={respondent_id}#outcome-correction", status_code=303)


@router.get("/campaigns/{campaign_id}/handovers", include_in_schema=False)
async def handovers(
    request: Request, campaign_id: int, db: DatabaseDep, session: StaffPage, done: str = ""
) -> Response:
    """The items surveyors handed over, open ones first, with what to do about each."""
    try:
        campaign = await db.run(campaign_service.get_read, campaign_id)
        items = await db.run(handover.list_handovers, campaign_id, None)
    except AppError as exc:
        return _failed(request, session, exc, AREA.home_path)
    items.sort(key=lambda item: item.status is not HandoverStatus.OPEN)
    context = {"session": session, "area": AREA, "campaign": campaign, "items": items}
    return render(request, "staff/handovers.html", {**context, "done": done})


@router.post("/handovers/{handover_id}/accept", include_in_schema=False)
async def accept_handover(
    request: Request,
    handover_id: int,
    db: DatabaseDep,
    session: StaffPage,
    campaign_id: Annotated[int, Form()],
) -> Response:
    back = f"/staff/campaigns/{campaign_id}/handovers"
    try:
        await db.run(handover.accept, handover_id, actor=session.user)
    except AppError as exc:
        return _failed(request, session, exc, back)
    return RedirectResponse(f"{back}?done=accepted", status_code=303)


@router.post("/handovers/{handover_id}/discard", include_in_schema=False)
async def discard_handover(
    request: Request,
    handover_id: int,
    db: DatabaseDep,
    session: StaffPage,
    campaign_id: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    back = f"/staff/campaigns/{campaign_id}/handovers"
    try:
        if len(reason.strip()) < 3:
            raise _reason_needed()
        await db.run(handover.discard, handover_id, reason.strip(), actor=session.user)
    except AppError as exc:
        return _failed(request, session, exc, back)
    return RedirectResponse(f"{back}?done=discarded", status_code=303)
