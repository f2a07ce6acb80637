"""HTTP endpoints of fieldwork: surveyors, assignments, lists, outcomes, reserves."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status
from fastapi.responses import Response

from app.auth.dependencies import AdminUser, StaffUser
from app.core.deps import DatabaseDep
from app.fieldwork import assignment, exports, progress, service, surveyors
from app.fieldwork.schemas import (
    AssignmentSummary,
    AssignRequest,
    OutcomeChange,
    ProgressRead,
    ReassignRequest,
    ReleaseRequest,
    ReleaseResult,
    RespondentOutcome,
    SurveyorCreate,
    SurveyorRead,
)

router = APIRouter(tags=["fieldwork"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/surveyors", status_code=status.HTTP_201_CREATED)
async def create_surveyor(data: SurveyorCreate, db: DatabaseDep, user: AdminUser) -> SurveyorRead:
    return await db.run(surveyors.create_surveyor, data, actor=user)


@router.get("/surveyors")
async def list_surveyors(db: DatabaseDep, _user: AdminUser) -> list[SurveyorRead]:
    return await db.run(surveyors.list_surveyors)


@router.post("/samples/{sample_id}/assignments")
async def assign(
    sample_id: int, data: AssignRequest, db: DatabaseDep, user: AdminUser
) -> AssignmentSummary:
    """Assign the unassigned respondents in the field, balancing workloads."""
    return await db.run(assignment.assign_sample, sample_id, data, actor=user)


@router.post("/assignments/reassign")
async def reassign(data: ReassignRequest, db: DatabaseDep, user: AdminUser) -> AssignmentSummary:
    return await db.run(assignment.reassign, data, actor=user)


@router.get("/samples/{sample_id}/surveyors/{surveyor_id}/list.{fmt}", response_model=None)
async def surveyor_list(
    sample_id: int,
    surveyor_id: int,
    fmt: Literal["csv", "xlsx"],
    db: DatabaseDep,
    _user: AdminUser,
) -> Response:
    """A surveyor's respondents as CSV or XLSX (the printable page is a staff page)."""
    _surveyor, rows = await db.run(assignment.surveyor_list, sample_id, surveyor_id)
    name = f"sample-{sample_id}-surveyor-{surveyor_id}"
    if fmt == "csv":
        return Response(
            exports.to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(
        exports.to_xlsx(rows, f"Mau {sample_id}"),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


@router.post("/respondents/{respondent_id}/outcome")
async def record_outcome(
    respondent_id: int, change: OutcomeChange, db: DatabaseDep, user: AdminUser
) -> RespondentOutcome:
    """Record what happened to a sampled respondent, with an optional note."""
    return await db.run(service.record_outcome, respondent_id, change, actor=user)


@router.post("/respondents/{respondent_id}/release-reserve")
async def release_reserve(
    respondent_id: int, data: ReleaseRequest, db: DatabaseDep, user: AdminUser
) -> ReleaseResult:
    """Replace a refusal by the next reserve of the same stratum, in draw order."""
    return await db.run(service.release_reserve, respondent_id, data.note, actor=user)


@router.get("/campaigns/{campaign_id}/progress")
async def campaign_progress(campaign_id: int, db: DatabaseDep, _user: StaffUser) -> ProgressRead:
    """Fieldwork progress (admins and supervisors): per unit and in total, the slots of
    the original sample by AAPOR disposition, released reserves, AAPOR RR1 and RR3,
    active personal links and complete responses by mode. Unreleased reserves are not
    counted; a released reserve holds the slot of the person it replaced."""
    return await db.run(progress.progress_read, campaign_id)
