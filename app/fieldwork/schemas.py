"""Request and response bodies for fieldwork outcomes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.models import Outcome


class OutcomeChange(BaseModel):
    outcome: Outcome
    note: str | None = Field(default=None, max_length=2000)


class RespondentOutcome(BaseModel):
    """A respondent's fieldwork state. Contact details are deliberately absent."""

    id: int
    sample_id: int
    stratum: str
    draw_order: int
    is_reserve: bool
    outcome: Outcome
    outcome_note: str | None
    replaces_id: int | None
    updated_at: datetime
