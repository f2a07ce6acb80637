"""Data review: the table of a campaign's responses with filters, one response in full
with its history, review states (a comment is required to reject) and staff edits."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from app.auth.dependencies import StaffPage
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError
from app.fieldwork import review as review_table
from app.pages.staff.console import failed, page, redirect
from app.response import review as review_service
from app.response.models import ResponseMode, ResponseStatus, ReviewState

router = APIRouter(include_in_schema=False)

REVIEW_LABELS = {
    ReviewState.RECEIVED: "Mới nhận",
    ReviewState.APPROVED: "Đã duyệt",
    ReviewState.HAS_ISSUES: "Có vấn đề",
    ReviewState.REJECTED: "Bị loại",
}


def _int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


@router.get("/campaigns/{campaign_id}/review")
async def review(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    unit: str = "",
    surveyor: str = "",
    mode: ResponseMode | None = None,
    status: ResponseStatus | None = None,
    state: ReviewState | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    filters = review_table.ReviewFilters(
        unit_id=_int(unit),
        surveyor_id=_int(surveyor),
        mode=mode,
        status=status,
        review_state=state,
        date_from=date_from,
        date_to=date_to,
    )
    try:
        campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
        table = await db.run(
            review_table.review_table, campaign_id, filters, offset=offset, actor=session.user
        )
    except AppError as exc:
        return failed(request, session, exc)
    query = {k: v for k, v in request.query_params.items() if k != "offset"}
    return page(
        request,
        "staff/review.html",
        session,
        campaign=campaign,
        tab="review",
        table=table,
        filters=filters,
        query=query,
        labels=REVIEW_LABELS,
        modes=list(ResponseMode),
    )


@router.get("/responses/{response_id}")
async def response(
    request: Request, response_id: int, db: DatabaseDep, session: StaffPage, saved: str = ""
) -> Response:
    """One response in full: answers (with the original where staff changed them), who
    collected it, and every review decision and edit."""
    try:
        detail = await db.run(review_table.response_detail, response_id, actor=session.user)
        campaign = await db.run(
            campaign_service.get_read_in_scope, detail.campaign_id, actor=session.user
        )
        form = await db.run(campaign_service.with_questionnaire, detail.campaign_id)
    except AppError as exc:
        return failed(request, session, exc)
    return page(
        request,
        "staff/response.html",
        session,
        campaign=campaign,
        tab="review",
        r=detail,
        form=form[1],
        labels=REVIEW_LABELS,
        saved=saved,
    )


@router.post("/responses/{response_id}/review")
async def review_response(
    request: Request,
    response_id: int,
    db: DatabaseDep,
    session: StaffPage,
    state: Annotated[ReviewState, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    try:
        await db.run(review_service.review, response_id, state, comment, actor=session.user)
    except AppError as exc:
        return failed(request, session, exc, f"/staff/responses/{response_id}")
    return redirect(f"/staff/responses/{response_id}?saved=review")


@router.post("/responses/{response_id}/edit")
async def edit_answer(
    request: Request,
    response_id: int,
    db: DatabaseDep,
    session: StaffPage,
    item: Annotated[str, Form()],
    value: Annotated[str, Form()],
    reason: Annotated[str, Form()],
) -> Response:
    """Correct one answer; the original stays in the history."""
    try:
        await db.run(
            review_service.edit_answer,
            response_id,
            item,
            value,
            reason,
            actor=session.user,
        )
    except AppError as exc:
        return failed(request, session, exc, f"/staff/responses/{response_id}")
    return redirect(f"/staff/responses/{response_id}?saved=edit")
