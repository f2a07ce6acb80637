"""Setting fieldwork right: correcting a respondent's outcome from the campaign page, and
the queue of items surveyors handed over (accept an interview as a response, or discard
an item with a reason). Administrators and supervisors (within their scope) use them;
every change is audited by the fieldwork services."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from analysis.disposition import Outcome
from app.auth.dependencies import StaffPage
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError, UnprocessableError
from app.fieldwork import handover, service
from app.fieldwork.models import HandoverStatus
from app.fieldwork.schemas import OutcomeCorrection
from app.pages.staff.console import failed, page, redirect

router = APIRouter(include_in_schema=False)


def _reason_needed() -> UnprocessableError:
    return UnprocessableError(error="reason_required")


@router.post("/campaigns/{campaign_id}/outcome-corrections")
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
        return failed(request, session, exc, back)
    return redirect(f"{back}?corrected={respondent_id}#outcome-correction")


@router.get("/campaigns/{campaign_id}/handovers")
async def handovers(
    request: Request, campaign_id: int, db: DatabaseDep, session: StaffPage, done: str = ""
) -> Response:
    """The items surveyors handed over, open ones first, with what to do about each."""
    try:
        campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
        items = await db.run(handover.list_handovers, campaign_id, None, actor=session.user)
    except AppError as exc:
        return failed(request, session, exc)
    items.sort(key=lambda item: item.status is not HandoverStatus.OPEN)
    return page(request, "staff/handovers.html", session, campaign=campaign, items=items, done=done)


@router.post("/handovers/{handover_id}/accept")
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
        return failed(request, session, exc, back)
    return redirect(f"{back}?done=accepted")


@router.post("/handovers/{handover_id}/discard")
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
        return failed(request, session, exc, back)
    return redirect(f"{back}?done=discarded")
