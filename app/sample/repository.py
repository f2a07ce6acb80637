"""Queries for frames, draws and reserves."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.case.models import Case, CaseFrame
from app.core.bulk import BulkWriter
from app.sample.models import (
    FrameExclusion,
    Sample,
    SampledRespondent,
    SamplingFrame,
    SeedCommitment,
)
from app.unit.models import Unit
from sampling.frame import CaseRecord

EXCLUSION_COLUMNS = ("sampling_frame_id", "case_id", "reason", "duplicate_of_case_id")


def unit_codes(db: Session) -> dict[int, str]:
    return {row.id: row.code for row in db.execute(select(Unit.id, Unit.code))}


def unit_ids(db: Session, codes: Iterable[str]) -> dict[str, int]:
    wanted = list(set(codes))
    rows = db.execute(select(Unit.code, Unit.id).where(Unit.code.in_(wanted)))
    return {row.code: row.id for row in rows}


def case_list_ids(db: Session, campaign_id: int) -> list[int]:
    return list(
        db.execute(
            select(CaseFrame.id).where(CaseFrame.campaign_id == campaign_id).order_by(CaseFrame.id)
        ).scalars()
    )


def case_records(db: Session, case_list_ids: list[int]) -> Iterator[CaseRecord]:
    """Every case of the case lists, as the frame builder sees it (streamed)."""
    codes = unit_codes(db)
    query = select(
        Case.id,
        Case.case_frame_id,
        Case.row_number,
        Case.unit_id,
        Case.returned_on,
        Case.phone,
        Case.applicant_name,
        Case.address,
        Case.channel,
        Case.field,
        Case.commune,
        Case.hamlet,
    ).where(Case.case_frame_id.in_(case_list_ids))
    for row in db.execute(query.execution_options(yield_per=20_000)):
        yield CaseRecord(
            ref=row.id,
            order=(row.case_frame_id, row.row_number),
            unit=codes[row.unit_id] if row.unit_id is not None else "-",
            returned_on=row.returned_on,
            phone=row.phone,
            name=row.applicant_name,
            address=row.address,
            channel=row.channel.value if row.channel is not None else None,
            field=row.field,
            commune=row.commune,
            hamlet=row.hamlet,
        )


def cases_by_id(db: Session, ids: Iterable[int]) -> dict[int, Any]:
    wanted = list(ids)
    result: dict[int, Any] = {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        query = select(Case.id, Case.unit_id, Case.applicant_name, Case.phone, Case.address).where(
            Case.id.in_(chunk)
        )
        result.update({row.id: row for row in db.execute(query)})
    return result


def write_exclusions(db: Session, rows: list[tuple[Any, ...]]) -> None:
    BulkWriter(db, "frame_exclusion", EXCLUSION_COLUMNS).add_all(rows)


def get_frame(db: Session, frame_id: int) -> SamplingFrame | None:
    return db.get(SamplingFrame, frame_id)


def latest_frame_id(db: Session, campaign_id: int) -> int | None:
    return db.execute(
        select(func.max(SamplingFrame.id)).where(SamplingFrame.campaign_id == campaign_id)
    ).scalar_one_or_none()


def exclusions(db: Session, frame_id: int, offset: int, limit: int) -> list[Any]:
    query = (
        select(
            FrameExclusion.case_id,
            FrameExclusion.reason,
            FrameExclusion.duplicate_of_case_id,
            Case.case_frame_id,
            Case.row_number,
        )
        .join(Case, Case.id == FrameExclusion.case_id)
        .where(FrameExclusion.sampling_frame_id == frame_id)
        .order_by(FrameExclusion.id)
        .offset(offset)
        .limit(limit)
    )
    return list(db.execute(query))


def get_sample(db: Session, sample_id: int) -> Sample | None:
    return db.get(Sample, sample_id)


def list_samples(db: Session, campaign_id: int) -> list[Sample]:
    return list(
        db.execute(
            select(Sample).where(Sample.campaign_id == campaign_id).order_by(Sample.id)
        ).scalars()
    )


def get_respondent(db: Session, respondent_id: int) -> SampledRespondent | None:
    return db.get(SampledRespondent, respondent_id)


def respondents(db: Session, sample_id: int) -> list[SampledRespondent]:
    return list(
        db.execute(
            select(SampledRespondent)
            .where(SampledRespondent.sample_id == sample_id)
            .order_by(SampledRespondent.stratum, SampledRespondent.draw_order)
        ).scalars()
    )


def get_commitment(db: Session, commitment_id: int) -> SeedCommitment | None:
    return db.get(SeedCommitment, commitment_id)


def list_commitments(db: Session, campaign_id: int) -> list[SeedCommitment]:
    return list(
        db.execute(
            select(SeedCommitment)
            .where(SeedCommitment.campaign_id == campaign_id)
            .order_by(SeedCommitment.id)
        ).scalars()
    )


def count_respondents(db: Session, sample_id: int) -> int:
    return int(
        db.execute(
            select(func.count()).where(SampledRespondent.sample_id == sample_id)
        ).scalar_one()
    )
