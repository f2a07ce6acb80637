"""Sample pages: the case lists (their upload and row report are in
:mod:`app.pages.staff.case_lists`), the frame with its exclusions, sample-size
calculator and allocation preview, seed commitment (commit, then reveal), the draw,
and its verification (MATCH or MISMATCH with the digests).

Supervisors see the sample and may verify the draw (the Fatherland Front watches the
survey's objectivity); uploads, frames, commitments and draws are for administrators.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from app.auth.dependencies import StaffPage
from app.auth.schemas import PageSession
from app.campaign import service as campaign_service
from app.case import jobs as case_jobs
from app.case import service as case_service
from app.core.deps import DatabaseDep
from app.core.errors import AppError, ConflictError
from app.pages.staff.console import failed, page, redirect, require_admin
from app.sample import planning
from app.sample import service as sample_service
from app.sample.schemas import CommitmentCreate, DrawRequest, FrameCreate, VerifyResult

router = APIRouter(include_in_schema=False)

REJECTIONS_SHOWN = 200
EXCLUSION_LABELS = {
    "excluded_unit": "đơn vị không thuộc khung mẫu",
    "outside_window": "ngày trả kết quả ngoài khoảng thời gian",
    "no_contact": "không có số điện thoại hoặc địa chỉ",
    "duplicate": "trùng người đã có trong cùng tầng",
}


def _design(method: str, n: int, minimum: int, reserve_ratio: float) -> dict[str, Any]:
    return {
        "allocation": {"method": method, "n": n, "minimum": minimum},
        "reserves": {"ratio": reserve_ratio},
    }


async def sample_page(
    request: Request,
    db: DatabaseDep,
    session: PageSession,
    campaign_id: int,
    *,
    status_code: int = 200,
    plan_input: dict[str, Any] | None = None,
    size_input: dict[str, float] | None = None,
    **context: Any,
) -> Response:
    campaign = await db.run(campaign_service.get_read_in_scope, campaign_id, actor=session.user)
    case_lists = await db.run(case_service.list_case_lists, campaign_id)
    frame = None
    try:
        frame_id = await db.run(sample_service.latest_frame_id, campaign_id)
        frame = await db.run(sample_service.get_frame_read, frame_id)
    except ConflictError:
        frame_id = None
    sizes = plan = None
    size_input = size_input or {"margin": 0.05, "confidence": 0.95, "proportion": 0.5}
    plan_input = plan_input or {}
    if frame_id is not None:
        try:
            sizes = await db.run(planning.size_advice, frame_id, **size_input)
            if plan_input.get("n"):
                plan = await db.run(planning.plan, frame_id, _design(**plan_input))
        except AppError as exc:
            context.setdefault("error", exc.detail)
            status_code = exc.status_code
    return page(
        request,
        "staff/sample.html",
        session,
        status_code=status_code,
        campaign=campaign,
        tab="sample",
        case_lists=case_lists,
        frame=frame,
        exclusion_labels=EXCLUSION_LABELS,
        sizes=sizes,
        plan=plan,
        plan_input=plan_input,
        importing=await db.run(case_jobs.imports_under_way, campaign_id, actor=session.user),
        commitments=await db.run(sample_service.list_commitments, campaign_id),
        samples=await db.run(sample_service.list_samples, campaign_id),
        **context,
    )


@router.get("/campaigns/{campaign_id}/sample")
async def sample(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    margin: Annotated[float, Query(gt=0, lt=50)] = 5,
    confidence: Annotated[float, Query(gt=0, lt=100)] = 95,
    proportion: Annotated[float, Query(gt=0, lt=100)] = 50,
    method: Annotated[str, Query(pattern="^(proportional|equal)$")] = "proportional",
    n: Annotated[int | None, Query(ge=1)] = None,
    minimum: Annotated[int, Query(ge=0)] = 0,
    reserve_ratio: Annotated[float, Query(ge=0, le=5)] = 0.5,
) -> Response:
    """The sample tab; ``n`` (with method, minimum, reserves) previews the allocation."""
    try:
        return await sample_page(
            request,
            db,
            session,
            campaign_id,
            size_input={
                "margin": margin / 100,
                "confidence": confidence / 100,
                "proportion": proportion / 100,
            },
            plan_input={
                "method": method,
                "n": n,
                "minimum": minimum,
                "reserve_ratio": reserve_ratio,
            },
        )
    except AppError as exc:
        return failed(request, session, exc)


@router.post("/campaigns/{campaign_id}/frames")
async def build_frame(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    returned_from: Annotated[str, Form()] = "",
    returned_to: Annotated[str, Form()] = "",
    cross_with: Annotated[str, Form()] = "",
    require_phone: Annotated[bool, Form()] = False,
) -> Response:
    """Build the sampling frame from the campaign's case lists; every excluded case keeps
    its reason."""
    try:
        require_admin(session)
        rules = FrameCreate.model_validate(
            {
                "returned_from": returned_from or None,
                "returned_to": returned_to or None,
                "cross_with": cross_with or None,
                "require_phone": require_phone,
            }
        )
        await db.run(sample_service.create_frame, campaign_id, rules, actor=session.user)
    except ValidationError as exc:
        return await sample_page(
            request, db, session, campaign_id, status_code=422, error=str(exc.errors()[0]["msg"])
        )
    except AppError as exc:
        return await sample_page(
            request, db, session, campaign_id, status_code=exc.status_code, error=exc.detail
        )
    return redirect(f"/staff/campaigns/{campaign_id}/sample#frame")


@router.get("/frames/{frame_id}/exclusions")
async def exclusions(
    request: Request,
    frame_id: int,
    db: DatabaseDep,
    session: StaffPage,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    try:
        require_admin(session)
        frame = await db.run(sample_service.get_frame_read, frame_id)
        rows = await db.run(sample_service.list_exclusions, frame_id, offset, REJECTIONS_SHOWN)
        campaign = await db.run(
            campaign_service.get_read_in_scope, frame.campaign_id, actor=session.user
        )
    except AppError as exc:
        return failed(request, session, exc)
    return page(
        request,
        "staff/exclusions.html",
        session,
        campaign=campaign,
        tab="sample",
        frame=frame,
        rows=rows,
        offset=offset,
        shown=REJECTIONS_SHOWN,
        labels=EXCLUSION_LABELS,
    )


@router.post("/campaigns/{campaign_id}/commitments")
async def commit_seed(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    seed: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    """Publish the SHA-256 of a seed before the draw; the seed itself is not stored until
    the draw reveals it."""
    try:
        require_admin(session)
        if not seed.strip().isdigit():
            raise ValueError
        data = CommitmentCreate(
            seed_sha256=sample_service.seed_sha256(seed.strip()), note=note.strip() or None
        )
        await db.run(sample_service.create_commitment, campaign_id, data, actor=session.user)
    except (ValueError, ValidationError):
        return await sample_page(
            request,
            db,
            session,
            campaign_id,
            status_code=422,
            error="Số hạt giống (seed) là một số nguyên không âm, chỉ gồm chữ số.",
        )
    except AppError as exc:
        return failed(request, session, exc)
    return redirect(f"/staff/campaigns/{campaign_id}/sample#commit")


@router.post("/campaigns/{campaign_id}/draws")
async def draw(
    request: Request,
    campaign_id: int,
    db: DatabaseDep,
    session: StaffPage,
    seed: Annotated[str, Form()],
    n: Annotated[int, Form(ge=1)],
    method: Annotated[str, Form(pattern="^(proportional|equal)$")] = "proportional",
    minimum: Annotated[int, Form(ge=0)] = 0,
    reserve_ratio: Annotated[float, Form(ge=0, le=5)] = 0.5,
    commitment_id: Annotated[str, Form()] = "",
) -> Response:
    """Draw from the latest frame with the previewed design, revealing the committed seed."""
    plan_input: dict[str, Any] = {
        "method": method,
        "n": n,
        "minimum": minimum,
        "reserve_ratio": reserve_ratio,
    }
    try:
        require_admin(session)
        frame_id = await db.run(sample_service.latest_frame_id, campaign_id)
        request_body = DrawRequest(
            design=_design(**plan_input),
            seed=seed.strip(),
            commitment_id=int(commitment_id) if commitment_id else None,
        )
        drawn = await db.run(sample_service.draw_sample, frame_id, request_body, actor=session.user)
    except ValidationError:
        error = "Số hạt giống (seed) là một số nguyên không âm, chỉ gồm chữ số."
        return await sample_page(
            request, db, session, campaign_id, status_code=422, plan_input=plan_input, error=error
        )
    except AppError as exc:
        return await sample_page(
            request,
            db,
            session,
            campaign_id,
            status_code=exc.status_code,
            plan_input=plan_input,
            error=exc.detail,
            problems=exc.fields,
        )
    return redirect(f"/staff/campaigns/{campaign_id}/sample?drawn={drawn.id}#samples")


@router.post("/samples/{sample_id}/verify")
async def verify(request: Request, sample_id: int, db: DatabaseDep, session: StaffPage) -> Response:
    """Re-run a stored draw from today's cases: MATCH or MISMATCH, with the digests."""
    try:
        drawn = await db.run(sample_service.get_sample_read, sample_id)
        await db.run(campaign_service.get_read_in_scope, drawn.campaign_id, actor=session.user)
        result: VerifyResult = await db.run(
            sample_service.verify_sample, sample_id, actor=session.user
        )
        return await sample_page(request, db, session, drawn.campaign_id, verified=result)
    except AppError as exc:
        return failed(request, session, exc)
