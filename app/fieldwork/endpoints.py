"""HTTP endpoints for fieldwork outcomes."""

from __future__ import annotations

from fastapi import APIRouter

from app.core.deps import AdminUser, DatabaseDep
from app.fieldwork import service
from app.fieldwork.schemas import OutcomeChange, RespondentOutcome

router = APIRouter(prefix="/respondents", tags=["fieldwork"])


@router.post("/{respondent_id}/outcome")
async def record_outcome(
    respondent_id: int, change: OutcomeChange, db: DatabaseDep, user: AdminUser
) -> RespondentOutcome:
    """Record what happened to a sampled respondent, with an optional note."""
    return await db.run(service.record_outcome, respondent_id, change, actor=user)
