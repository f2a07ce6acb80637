"""Case-list pages: the upload, which runs as a job on the queue
(:mod:`app.case.jobs`, the same job as the API's ``Prefer: respond-async``), a page
with a progress bar that follows the job without reloading, and the row report of an
import on screen and as CSV.

The upload request only stores the file with its job and answers at once; a worker
(on SQLite the web process's own job thread, with PostgreSQL ``sipas worker``) reads
it row by row, so a file of a million rows holds neither the page nor a server thread.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from app.auth.dependencies import StaffPage
from app.campaign import service as campaign_service
from app.case import jobs as case_jobs
from app.case import service as case_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError
from app.job.http import wake_runner
from app.job.models import JobStatus
from app.job.schemas import JobRead
from app.pages.staff.console import failed, page, redirect, require_admin
from app.pages.staff.sample import REJECTIONS_SHOWN, sample_page

router = APIRouter(include_in_schema=False)

UNFORESEEN = frozenset({"job_failed", "job_abandoned"})
"""Job errors that are no fault of the file."""


def _job_page(campaign_id: int, job_id: int) -> str:
    return f"/staff/campaigns/{campaign_id}/case-imports/{job_id}"


def _report_url(campaign_id: int, job: JobRead) -> str:
    result = job.result or {}
    again = "&again=1" if result.get("already_imported") else ""
    return f"/staff/case-lists/{result['case_list']['id']}?campaign={campaign_id}{again}"


UPLOAD_PATH = "/campaigns/{campaign_id}/case-lists"
"""Where the case list is posted: a file up to the upload limit, like the API's."""


@router.post(UPLOAD_PATH)
async def upload_case_list(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Queue the import of a case list (CSV or XLSX) and open the page that follows it.
    The upload (up to 256 MB, like the API's) is spooled to disk as
    it arrives and stored with its job."""
    try:
        require_admin(session)
        await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
        job = await db.run(
            case_jobs.enqueue_import,
            campaign_id,
            file.file,
            file.filename or "case-list",
            mapping=None,
            actor=session.user,
        )
    except AppError as exc:
        return failed(request, session, exc)
    wake_runner(request)
    return redirect(_job_page(campaign_id, job.id))


@router.get("/campaigns/{campaign_id}/case-imports/{job_id}")
async def import_progress(
    request: Request, campaign_id: int, job_id: int, db: DatabaseDep, session: StaffPage
) -> Response:
    """Where an import stands: a progress bar while it runs (``case_import.js`` follows
    it), the row report once it succeeded, the reasons (with row and column) if the file
    was refused, in which case nothing was stored."""
    try:
        require_admin(session)
        job = await db.run(case_jobs.import_job, campaign_id, job_id, actor=session.user)
        if job.status is JobStatus.SUCCEEDED:
            return redirect(_report_url(campaign_id, job))
        if job.status is JobStatus.FAILED:
            error = job.error or {}
            return await sample_page(
                request,
                db,
                session,
                campaign_id,
                status_code=500 if error.get("error") in UNFORESEEN else 422,
                error=error.get("detail"),
                problems=error.get("fields") or [],
            )
        campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
    except AppError as exc:
        return failed(request, session, exc)
    return page(
        request,
        "staff/case_import.html",
        session,
        campaign=campaign,
        tab="sample",
        job=job,
    )


@router.get("/campaigns/{campaign_id}/case-imports/{job_id}/status")
async def import_status(
    campaign_id: int, job_id: int, db: DatabaseDep, session: StaffPage
) -> JSONResponse:
    """The job as JSON for the progress bar: status and progress (bytes of the file)."""
    require_admin(session)
    job = await db.run(case_jobs.import_job, campaign_id, job_id, actor=session.user)
    return JSONResponse(
        job.model_dump(mode="json", include={"id", "status", "progress"}),
        headers={"Cache-Control": "no-store"},
    )


@router.get("/case-lists/{case_list_id}")
async def case_list_report(
    request: Request,
    case_list_id: int,
    db: DatabaseDep,
    session: StaffPage,
    campaign: int,
    again: bool = False,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The row report of an import: counts, and the rejected rows with column and reason."""
    try:
        require_admin(session)
        lists = await db.run(case_service.list_case_lists, campaign)
        found = [c for c in lists if c.id == case_list_id]
        if not found:
            return failed(request, session, AppError(error="not_found"))
        rejections = await db.run(
            case_service.list_rejections, case_list_id, offset, REJECTIONS_SHOWN
        )
        read = await db.run(campaign_service.get_read_in_scope, campaign, actor=session.user)
    except AppError as exc:
        return failed(request, session, exc)
    return page(
        request,
        "staff/case_list.html",
        session,
        campaign=read,
        tab="sample",
        case_list=found[0],
        rejections=rejections,
        offset=offset,
        shown=REJECTIONS_SHOWN,
        again=again,
    )


@router.get("/case-lists/{case_list_id}/rejections.csv")
async def rejections_csv(case_list_id: int, db: DatabaseDep, session: StaffPage) -> Response:
    """Every rejected row as CSV (opens in Excel: UTF-8 with BOM)."""
    require_admin(session)
    rows = await db.run(case_service.list_rejections, case_list_id, 0, 10**9)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Dòng", "Cột", "Giá trị", "Lý do"])
    writer.writerows([r.row, r.column or "", r.value or "", r.reason] for r in rows)
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="case-list-{case_list_id}-rejections.csv"'
        },
    )
