"""Letters as jobs: a worker makes the letters (a QR code each) with its progress, and
keeps them with the job until staff open them to print.

The job's file is the :class:`LetterBatch` as JSON. It carries names and addresses, so
it is read only by the staff member who asked for it or an administrator (the rule of
every job's output, :func:`app.job.service.output`), and is never sent elsewhere.
"""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.errors import NotFoundError
from app.job import service as jobs
from app.job.models import JobStatus
from app.job.schemas import JobRead
from app.link import service
from app.link.schemas import LetterBatch

KIND = "letters"


@jobs.register(KIND)
def run_letters(db: Session, context: jobs.JobContext) -> dict[str, Any]:
    """Make the letters and keep them as the job's file. Safe to run again: it only reads."""
    payload = context.payload
    batch = service.letters(
        db,
        context.secret_key,
        payload["base_url"],
        payload["campaign_id"],
        payload["unit_id"],
        progress=context.report,
    )
    content = batch.model_dump_json().encode("utf-8")
    context.save_output(io.BytesIO(content))
    unit = f"-unit-{payload['unit_id']}" if payload["unit_id"] is not None else ""
    return {
        "filename": f"letters-campaign-{payload['campaign_id']}{unit}.json",
        "media_type": "application/json",
        "bytes": len(content),
        "letters": len(batch.letters),
        "without_link": batch.without_link,
    }


def enqueue_letters(
    db: Session, campaign_id: int, unit_id: int | None, *, base_url: str, actor: User
) -> JobRead:
    """Queue the letters of a unit (or of the whole campaign); refused at once (409) when
    they could not be printed now, and checked again when the job runs."""
    service.check_letters(db, campaign_id)
    payload = {"campaign_id": campaign_id, "unit_id": unit_id, "base_url": base_url}
    job = jobs.enqueue(db, kind=KIND, payload=payload, actor=actor)
    db.commit()
    return jobs.read(db, job)


def letters_of_job(
    db: Session, campaign_id: int, job_id: int, *, actor: User
) -> tuple[JobRead, LetterBatch | None, str]:
    """A letters job of this campaign, its letters once made, and the address they print."""
    job = jobs.get(db, job_id, actor=actor)
    if job.kind != KIND or job.payload.get("campaign_id") != campaign_id:
        raise NotFoundError(error="job_not_found", job_id=job_id)
    batch = None
    if job.status is JobStatus.SUCCEEDED:
        _, content = jobs.output(db, job_id, actor=actor)
        batch = LetterBatch.model_validate_json(content)
    return jobs.read(db, job), batch, str(job.payload["base_url"])
