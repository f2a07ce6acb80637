"""Computing and exporting results as jobs."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.service import Reader
from app.campaign import service as campaign_service
from app.core.errors import NotFoundError
from app.job import service as jobs
from app.job.schemas import JobRead
from app.result import service

COMPUTE = "results_compute"
EXPORT = "results_export"
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@jobs.register(COMPUTE)
def run_compute(db: Session, context: jobs.JobContext) -> dict[str, Any]:
    summary = service.compute(db, context.payload["campaign_id"], actor=context.actor(db))
    return summary.model_dump(mode="json")


@jobs.register(EXPORT)
def run_export(db: Session, context: jobs.JobContext) -> dict[str, Any]:
    """One report table as a file kept with the job (``GET /jobs/{id}/output``)."""
    payload = context.payload
    actor = context.actor(db)
    if actor is None:  # the account was deleted meanwhile
        raise NotFoundError(error="job_not_found", job_id=context.job_id)
    content = service.export_table(
        db,
        payload["campaign_id"],
        Reader(actor.id, actor.role, frozenset(payload.get("campaign_ids", []))),
        table=payload["table"],
        file_format=payload["file_format"],
        compare=payload["compare"],
    )
    context.save_output(io.BytesIO(content))
    name = f"campaign-{payload['campaign_id']}-{payload['table']}"
    return {
        "filename": f"{name}.{payload['file_format']}",
        "media_type": MEDIA[payload["file_format"]],
        "bytes": len(content),
    }


def enqueue_compute(db: Session, campaign_id: int, *, actor: User) -> JobRead:
    campaign_service.get(db, campaign_id)
    job = jobs.enqueue(db, kind=COMPUTE, payload={"campaign_id": campaign_id}, actor=actor)
    db.commit()
    return jobs.read(db, job)


def enqueue_export(
    db: Session,
    campaign_id: int,
    reader: Reader,
    *,
    table: str,
    file_format: str,
    compare: list[int],
) -> JobRead:
    """Queue an export; the reader's scope is checked now and again when it runs."""
    for checked in (campaign_id, *compare):
        service.stored(db, checked, reader)
    payload = {
        "campaign_id": campaign_id,
        "table": table,
        "file_format": file_format,
        "compare": compare,
        "campaign_ids": sorted(reader.campaign_ids),
    }
    job = jobs.enqueue(db, kind=EXPORT, payload=payload, actor=db.get(User, reader.user_id))
    db.commit()
    return jobs.read(db, job)
