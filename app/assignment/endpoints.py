"""HTTP endpoints for surveyors, assignments and per-surveyor lists."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status
from fastapi.responses import HTMLResponse, Response

from app.assignment import exports, service
from app.assignment.schemas import (
    AssignmentSummary,
    AssignRequest,
    ReassignRequest,
    SurveyorCreate,
    SurveyorRead,
)
from app.core.deps import AdminUser, DatabaseDep

router = APIRouter(tags=["assignment"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/surveyors", status_code=status.HTTP_201_CREATED)
async def create_surveyor(data: SurveyorCreate, db: DatabaseDep, user: AdminUser) -> SurveyorRead:
    return await db.run(service.create_surveyor, data, actor=user)


@router.get("/surveyors")
async def list_surveyors(db: DatabaseDep, _user: AdminUser) -> list[SurveyorRead]:
    return await db.run(service.list_surveyors)


@router.post("/samples/{sample_id}/assignments")
async def assign(
    sample_id: int, data: AssignRequest, db: DatabaseDep, user: AdminUser
) -> AssignmentSummary:
    """Assign the unassigned respondents in the field, balancing workloads."""
    return await db.run(service.assign_sample, sample_id, data, actor=user)


@router.post("/assignments/reassign")
async def reassign(data: ReassignRequest, db: DatabaseDep, user: AdminUser) -> AssignmentSummary:
    return await db.run(service.reassign, data, actor=user)


@router.get("/samples/{sample_id}/surveyors/{surveyor_id}/list.{fmt}", response_model=None)
async def surveyor_list(
    sample_id: int,
    surveyor_id: int,
    fmt: Literal["csv", "xlsx", "html"],
    db: DatabaseDep,
    _user: AdminUser,
) -> Response:
    """A surveyor's respondents as CSV, XLSX or a printable page."""
    surveyor, rows = await db.run(service.surveyor_list, sample_id, surveyor_id)
    name = f"sample-{sample_id}-surveyor-{surveyor_id}"
    if fmt == "csv":
        return Response(
            exports.to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "xlsx":
        return Response(
            exports.to_xlsx(rows, f"Mau {sample_id}"),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return HTMLResponse(exports.to_html(surveyor, sample_id, rows))
