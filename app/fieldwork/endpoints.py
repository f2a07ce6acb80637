"""HTTP endpoints of fieldwork: surveyors, assignments, lists, outcomes and their
corrections, contact attempts, reserves, the hand-over queue."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status
from fastapi import Response as HttpResponse
from fastapi.responses import Response

from app.auth.dependencies import AdminUser, StaffUser
from app.core.deps import DatabaseDep
from app.fieldwork import assignment, attempts, exports, handover, progress, service, surveyors
from app.fieldwork.models import HandoverStatus
from app.fieldwork.schemas import (
    AssignmentSummary,
    AssignRequest,
    AttemptRead,
    AttemptRecord,
    HandoverDiscard,
    HandoverRead,
    OutcomeChange,
    OutcomeCorrection,
    ProgressRead,
    ReassignRequest,
    ReleaseRequest,
    ReleaseResult,
    RespondentOutcome,
    SurveyorCreate,
    SurveyorRead,
)

router = APIRouter(tags=["fieldwork"])


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
        media_type=exports.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


@router.post("/respondents/{respondent_id}/outcome")
async def record_outcome(
    respondent_id: int, change: OutcomeChange, db: DatabaseDep, user: AdminUser
) -> RespondentOutcome:
    """Record what happened to a sampled respondent, with an optional note, during
    fieldwork. ``completed`` (a complete response sets it) and ``replaced`` (releasing a
    reserve sets it) are refused with 422."""
    return await db.run(service.record_outcome, respondent_id, change, actor=user)


@router.post("/respondents/{respondent_id}/outcome-corrections")
async def correct_outcome(
    respondent_id: int, data: OutcomeCorrection, db: DatabaseDep, user: StaffUser
) -> RespondentOutcome:
    """Correct an outcome with a reason (administrators and supervisors; audited), until
    the campaign is published. A ``completed`` outcome with a stored complete response
    cannot be corrected (409 ``outcome_has_response``)."""
    return await db.run(service.correct_outcome, respondent_id, data, actor=user)


@router.post("/respondents/{respondent_id}/attempts", status_code=status.HTTP_201_CREATED)
async def record_attempt(
    respondent_id: int, data: AttemptRecord, db: DatabaseDep, user: StaffUser, http: HttpResponse
) -> AttemptRead:
    """A contact attempt keyed in by staff: 201 stored, 200 a replay of the same
    ``client_id``, 409 different content under it or a campaign not in fieldwork."""
    result = await db.run(attempts.record_attempt, respondent_id, data, actor=user)
    if not result.created:
        http.status_code = status.HTTP_200_OK
    return result.item


@router.get("/respondents/{respondent_id}/attempts")
async def list_attempts(respondent_id: int, db: DatabaseDep, user: StaffUser) -> list[AttemptRead]:
    """A respondent's contact attempts in the order they happened."""
    return await db.run(attempts.list_attempts, respondent_id, actor=user)


@router.get("/campaigns/{campaign_id}/handovers")
async def list_handovers(
    campaign_id: int,
    db: DatabaseDep,
    user: StaffUser,
    status: HandoverStatus | None = HandoverStatus.OPEN,
) -> list[HandoverRead]:
    """Items surveyors handed over (open ones unless ``status`` says otherwise)."""
    return await db.run(handover.list_handovers, campaign_id, status, actor=user)


@router.post("/handovers/{handover_id}/accept")
async def accept_handover(handover_id: int, db: DatabaseDep, user: StaffUser) -> HandoverRead:
    """Store a handed-over interview as a response (same checks as every response)."""
    return await db.run(handover.accept, handover_id, actor=user)


@router.post("/handovers/{handover_id}/discard")
async def discard_handover(
    handover_id: int, data: HandoverDiscard, db: DatabaseDep, user: StaffUser
) -> HandoverRead:
    """Close a handed-over item without storing it, with a reason."""
    return await db.run(handover.discard, handover_id, data.reason, actor=user)


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
