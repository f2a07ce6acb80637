"""What the API shows of a job."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from app.job.models import JobStatus


class Progress(BaseModel):
    done: int
    total: int | None = Field(description="Unknown until the work knows its size.")
    fraction: float | None = Field(description="done / total, from 0 to 1.")


class JobRead(BaseModel):
    id: int
    kind: str = Field(description="case_import, results_compute, results_export, letters")
    status: JobStatus
    progress: Progress
    attempts: int = Field(description="Runs started: above 1 when a worker stopped mid-way.")
    result: dict[str, Any] | None = Field(description="What the work returned, once succeeded.")
    error: dict[str, Any] | None = Field(
        description="The API's error shape (error, detail, fields), once failed."
    )
    has_output: bool = Field(description="A file to fetch at /jobs/{id}/output.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
