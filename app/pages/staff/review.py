"""Data review: the table of a campaign's responses with filters, one response in full
with its history, review states (a comment is required to reject) and staff edits."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from analysis.quality import Flag
from app.auth.dependencies import StaffPage
from app.auth.service import Reader
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError
from app.fieldwork import quality
from app.fieldwork import review as review_table
from app.pages.staff.console import failed, page, redirect
from app.response import review as review_service
from app.response.endpoints import download
from app.response.export import KEPT_STATES, ExportFilters
from app.response.export_files import ExportFormat
from app.response.models import REVIEW_LABELS, ResponseMode, ResponseStatus, ReviewState

router = APIRouter(include_in_schema=False)

FLAG_LABELS = {
    "short": "Phỏng vấn ngắn",
    "straight_line": "Chọn một đáp án cho cả phần",
    "no_opinion": "Phần lớn «không ý kiến»",
    "close_together": "Sát giờ phiếu khác",
    "shared_contact": "Trùng số điện thoại",
}


def flag_reason(flag: Flag) -> str:
    """Why a response is flagged, in Vietnamese, with the figures."""
    d = flag.details
    if flag.code == "short":
        return f"Phỏng vấn {d['minutes']:.1f} phút, ngắn hơn ngưỡng {d['threshold']} phút."
    if flag.code == "straight_line":
        return (
            f"Cả {d['count']} tiêu chí của phần «{d['block']}» "
            f"cùng một câu trả lời ({d['answer']})."
        )
    if flag.code == "no_opinion":
        return f"{d['no_opinion']}/{d['answered']} tiêu chí trả lời «không ý kiến»."
    if flag.code == "close_together":
        return (
            f"Cùng điều tra viên gửi phiếu số {d['other']} cách {d['minutes']:.1f} phút, "
            "ít hơn thời gian một cuộc phỏng vấn."
        )
    others = ", ".join(f"số {i}" for i in d["others"])
    return f"Cùng số điện thoại với phiếu {others}."


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
        flags = await db.run(
            quality.response_flags,
            campaign_id,
            [row.id for row in table.rows],
            actor=session.user,
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
        flags=flags,
        flag_labels=FLAG_LABELS,
        flag_reason=flag_reason,
    )


@router.get("/campaigns/{campaign_id}/responses/export.{file_format}")
async def export(
    request: Request,
    campaign_id: int,
    file_format: ExportFormat,
    db: DatabaseDep,
    session: StaffPage,
    unit: str = "",
    mode: ResponseMode | None = None,
    status: ResponseStatus | None = None,
    state: ReviewState | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Response:
    """The respondent-level data under the review table's filters (no personal data)."""
    filters = ExportFilters(
        unit_id=_int(unit),
        review_states=frozenset({state}) if state else KEPT_STATES,
        status=status,
        mode=mode,
        date_from=date_from,
        date_to=date_to,
    )
    reader = Reader(session.user.id, session.user.role, frozenset({campaign_id}))
    try:
        return await download(db, campaign_id, filters, file_format, reader)
    except AppError as exc:
        return failed(request, session, exc)


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
        flags = await db.run(
            quality.response_flags, detail.campaign_id, [response_id], actor=session.user
        )
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
        flags=flags.get(response_id, []),
        flag_labels=FLAG_LABELS,
        flag_reason=flag_reason,
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


@router.get("/campaigns/{campaign_id}/quality")
async def quality_page(
    request: Request, campaign_id: int, db: DatabaseDep, session: StaffPage
) -> Response:
    """Flags per surveyor, and surveyors whose respondents' satisfaction differs from the
    unit's other surveyors by more than chance."""
    try:
        campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
        rows = await db.run(quality.surveyor_quality, campaign_id, actor=session.user)
    except AppError as exc:
        return failed(request, session, exc)
    return page(
        request,
        "staff/quality.html",
        session,
        campaign=campaign,
        tab="review",
        rows=rows,
        flag_labels=FLAG_LABELS,
    )
