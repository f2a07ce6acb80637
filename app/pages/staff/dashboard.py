"""The live fieldwork dashboard: counts and AAPOR response rates per unit and surveyor,
median interview length, last sync per surveyor, completion by unit and daily completes
as server-drawn SVG charts; the page refreshes its figures without reloading. The
figures come from the campaign's snapshot (:mod:`app.fieldwork.snapshot`), and the page
says when they were counted."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from analysis.disposition import Disposition
from app.auth.dependencies import StaffPage
from app.campaign import service as campaign_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError
from app.fieldwork import dashboard as dashboard_service
from app.fieldwork import snapshot
from app.job.http import wake_runner
from app.pages.staff.console import failed, page

router = APIRouter(include_in_schema=False)

REFRESH_SECONDS = 30


@router.get("/campaigns/{campaign_id}/dashboard")
async def dashboard(
    request: Request, campaign_id: int, db: DatabaseDep, session: StaffPage, fragment: bool = False
) -> Response:
    """The dashboard; ``fragment=1`` gives only its live part, which the page fetches
    every :data:`REFRESH_SECONDS` seconds."""
    try:
        campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
        board, queued = await db.run(
            snapshot.served,
            campaign_id,
            actor=session.user,
            fresh_seconds=request.app.state.settings.dashboard_fresh_seconds,
        )
    except AppError as exc:
        return failed(request, session, exc)
    if queued:
        wake_runner(request)
    return page(
        request,
        "staff/dashboard_live.html" if fragment else "staff/dashboard.html",
        session,
        campaign=campaign,
        tab="dashboard",
        board=board,
        unit_chart=[
            (u.unit_name, None if u.counts.rr1 is None else u.counts.rr1 * 100) for u in board.units
        ],
        D=Disposition,
        VIETNAM=dashboard_service.VIETNAM,
        refresh=REFRESH_SECONDS,
    )
