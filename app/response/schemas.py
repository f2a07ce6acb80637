"""Request and response bodies for responses. No contact details appear here."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from app.response.models import ResponseMode, ResponseStatus


class ResponseSubmit(BaseModel):
    client_id: uuid.UUID = Field(
        description="Made by the client when the form is started; replays with the same "
        "client_id are answered with the stored response (200) or 409 if they differ."
    )
    mode: ResponseMode
    status: ResponseStatus = ResponseStatus.COMPLETE
    answers: dict[str, Any] = Field(description="{item_code: value}, see questionnaires/FORMAT.md")
    respondent_id: int | None = Field(default=None, description="The sampled respondent, if any.")
    unit_code: str | None = Field(default=None, description="The unit the answers are about.")
    started_at: datetime | None = None


class ResponseUpdate(BaseModel):
    status: ResponseStatus = ResponseStatus.PARTIAL
    answers: dict[str, Any]


class ResponseRead(BaseModel):
    id: int
    campaign_id: int
    client_id: uuid.UUID
    questionnaire_code: str
    questionnaire_version: int
    mode: ResponseMode
    status: ResponseStatus
    respondent_id: int | None
    unit_code: str | None
    answers: dict[str, Any]
    started_at: datetime | None
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
