"""Recording the outcome of a sampled respondent (spec §6: completed, partial,
refused, not reachable, ineligible, moved, replaced).

``replaced`` is never set by hand: it is the result of releasing a reserve in
the respondent's stratum, which records the link between the two.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.repository import record_event
from app.core.errors import ConflictError, NotFoundError, UnprocessableError
from app.fieldwork.schemas import OutcomeChange, RespondentOutcome
from app.models import Outcome, SampledRespondent, User

FINAL_OUTCOMES = frozenset({Outcome.COMPLETED, Outcome.REPLACED})
"""Outcomes that no later report can change."""


def read(respondent: SampledRespondent) -> RespondentOutcome:
    return RespondentOutcome.model_validate(respondent, from_attributes=True)


def get_respondent(db: Session, respondent_id: int) -> SampledRespondent:
    respondent = db.execute(
        select(SampledRespondent).where(SampledRespondent.id == respondent_id)
    ).scalar_one_or_none()
    if respondent is None:
        raise NotFoundError(f"There is no sampled respondent {respondent_id}.")
    return respondent


def apply_outcome(
    db: Session, respondent: SampledRespondent, change: OutcomeChange, *, actor: User | None
) -> None:
    """Change the outcome in the caller's transaction, with an audit event."""
    if change.outcome is Outcome.REPLACED:
        raise UnprocessableError(
            "'replaced' is set by releasing a reserve for this respondent, not by hand.",
            fields=[{"path": "outcome", "message": "use the reserve release instead"}],
        )
    if respondent.outcome in FINAL_OUTCOMES and respondent.outcome is not change.outcome:
        raise ConflictError(
            f"Respondent {respondent.id} is already {respondent.outcome.value}; "
            "that outcome is final.",
            error="outcome_final",
        )
    old = respondent.outcome
    respondent.outcome = change.outcome
    respondent.outcome_note = change.note
    record_event(
        db,
        actor=actor,
        action="respondent.outcome",
        entity_type="sampled_respondent",
        entity_id=respondent.id,
        payload={"from": old.value, "to": change.outcome.value, "note": change.note},
    )


def record_outcome(
    db: Session, respondent_id: int, change: OutcomeChange, *, actor: User | None
) -> RespondentOutcome:
    respondent = get_respondent(db, respondent_id)
    apply_outcome(db, respondent, change, actor=actor)
    db.commit()
    return read(respondent)
