"""HTTP endpoints for jobs: where long work stands, and the file it made."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.auth.dependencies import CurrentUser
from app.core.deps import DatabaseDep
from app.job import service
from app.job.schemas import JobRead

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("")
async def list_jobs(
    db: DatabaseDep, user: CurrentUser, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[JobRead]:
    """The newest jobs (of the caller; admins see all)."""
    return await db.run(service.list_read, actor=user, limit=limit)


@router.get("/{job_id}")
async def get_job(job_id: int, db: DatabaseDep, user: CurrentUser) -> JobRead:
    """Status and progress of a job; once finished, its result or its error."""
    return await db.run(service.get_read, job_id, actor=user)


@router.get("/{job_id}/output", response_class=Response)
async def job_output(job_id: int, db: DatabaseDep, user: CurrentUser) -> Response:
    """The file a finished job made (an export, the letters of a unit)."""
    job, content = await db.run(service.output, job_id, actor=user)
    result = job.result or {}
    filename = str(result.get("filename", f"job-{job_id}"))
    return Response(
        content,
        media_type=str(result.get("media_type", "application/octet-stream")),
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
