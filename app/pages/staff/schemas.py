"""Bodies of the staff pages' JSON endpoints."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field


class PaperSubmit(BaseModel):
    """A paper questionnaire typed in by staff."""

    client_id: uuid.UUID = Field(description="Made by the page when the form is started.")
    respondent_id: int | None = None
    answers: dict[str, Any]
