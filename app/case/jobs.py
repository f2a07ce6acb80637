"""Case-list imports as jobs: the file is kept in the database until a worker imports it."""

from __future__ import annotations

from typing import IO, Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.campaign import service as campaign_service
from app.case import service
from app.job import service as jobs
from app.job.schemas import JobRead

KIND = "case_import"


@jobs.register(KIND)
def run_import(db: Session, context: jobs.JobContext) -> dict[str, Any]:
    """Import the job's file. Safe to run again: the import is one transaction, and a
    file already imported (a previous run that committed) is reported as such."""
    payload = context.payload
    result = service.import_case_list(
        db,
        payload["campaign_id"],
        context.input_file(),
        payload["filename"],
        mapping=payload.get("mapping"),
        actor=context.actor(db),
        progress=context.report,
    )
    return result.model_dump(mode="json")


def enqueue_import(
    db: Session,
    campaign_id: int,
    stream: IO[bytes],
    filename: str,
    *,
    mapping: bytes | None,
    actor: User | None,
) -> JobRead:
    """Queue the import of ``stream`` into the campaign (which must exist)."""
    campaign_service.get(db, campaign_id)
    payload = {
        "campaign_id": campaign_id,
        "filename": filename,
        "mapping": mapping.decode("utf-8", "replace") if mapping is not None else None,
    }
    job = jobs.enqueue(db, kind=KIND, payload=payload, actor=actor, input_file=stream)
    db.commit()
    return jobs.read(db, job)


def import_job(db: Session, campaign_id: int, job_id: int, *, actor: User) -> JobRead:
    """The caller's import job into this campaign (404 for any other job)."""
    return jobs.get_read_of(db, job_id, actor=actor, kind=KIND, campaign_id=campaign_id)


def imports_under_way(db: Session, campaign_id: int, *, actor: User) -> list[JobRead]:
    """The campaign's imports still queued or running."""
    return jobs.unfinished_of(db, actor=actor, kind=KIND, campaign_id=campaign_id)
