"""HTTP endpoints for frames, seed commitments, draws, verification and reserves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.dependencies import AdminUser
from app.core.deps import DatabaseDep
from app.sample import service
from app.sample.schemas import (
    CommitmentCreate,
    CommitmentRead,
    DrawRequest,
    ExclusionRead,
    FrameCreate,
    FrameRead,
    RespondentRead,
    SampleRead,
    VerifyResult,
)

router = APIRouter(tags=["sampling"])


@router.post("/campaigns/{campaign_id}/frames", status_code=status.HTTP_201_CREATED)
async def create_frame(
    campaign_id: int, data: FrameCreate, db: DatabaseDep, user: AdminUser
) -> FrameRead:
    """Build a sampling frame from the campaign's case lists: eligibility window, units,
    one stratum per unit (optionally × channel or field), one person once per stratum.
    Every excluded case is kept with its reason; the digest identifies the frame."""
    return await db.run(service.create_frame, campaign_id, data, actor=user)


@router.get("/frames/{frame_id}")
async def get_frame(frame_id: int, db: DatabaseDep, _user: AdminUser) -> FrameRead:
    return await db.run(service.get_frame_read, frame_id)


@router.get("/frames/{frame_id}/exclusions")
async def list_exclusions(
    frame_id: int,
    db: DatabaseDep,
    _user: AdminUser,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[ExclusionRead]:
    return await db.run(service.list_exclusions, frame_id, offset, limit)


@router.post("/campaigns/{campaign_id}/seed-commitments", status_code=status.HTTP_201_CREATED)
async def create_commitment(
    campaign_id: int, data: CommitmentCreate, db: DatabaseDep, user: AdminUser
) -> CommitmentRead:
    """Publish the SHA-256 of a seed before the draw (commit–reveal)."""
    return await db.run(service.create_commitment, campaign_id, data, actor=user)


@router.get("/campaigns/{campaign_id}/seed-commitments")
async def list_commitments(
    campaign_id: int, db: DatabaseDep, _user: AdminUser
) -> list[CommitmentRead]:
    return await db.run(service.list_commitments, campaign_id)


@router.post("/frames/{frame_id}/samples", status_code=status.HTTP_201_CREATED)
async def draw_sample(
    frame_id: int, data: DrawRequest, db: DatabaseDep, user: AdminUser
) -> SampleRead:
    """Draw a sample from the frame. The draw is stored with the frame digest, design,
    seed, algorithm version and sample digest, and never changes afterwards."""
    return await db.run(service.draw_sample, frame_id, data, actor=user)


@router.get("/campaigns/{campaign_id}/samples")
async def list_samples(campaign_id: int, db: DatabaseDep, _user: AdminUser) -> list[SampleRead]:
    return await db.run(service.list_samples, campaign_id)


@router.get("/samples/{sample_id}")
async def get_sample(sample_id: int, db: DatabaseDep, _user: AdminUser) -> SampleRead:
    return await db.run(service.get_sample_read, sample_id)


@router.get("/samples/{sample_id}/respondents")
async def list_respondents(
    sample_id: int, db: DatabaseDep, _user: AdminUser
) -> list[RespondentRead]:
    return await db.run(service.list_respondents, sample_id)


@router.post("/samples/{sample_id}/verify")
async def verify_sample(sample_id: int, db: DatabaseDep, user: AdminUser) -> VerifyResult:
    """Re-run the draw from today's cases and report match or mismatch."""
    return await db.run(service.verify_sample, sample_id, actor=user)
