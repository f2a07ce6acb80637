"""Outcomes of sampled respondents (spec §6: completed, partial, refused, not
reachable, ineligible, moved, replaced) and the release of reserves.

``replaced`` is never set by hand: it is the result of releasing a reserve in
the respondent's stratum, which records the link between the two.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.disposition import OUTCOME_LABELS, Outcome
from app.audit.service import record_event
from app.auth.models import User
from app.core.errors import ConflictError, UnprocessableError, problem
from app.fieldwork import repository
from app.fieldwork.assignment import assign_like
from app.fieldwork.schemas import OutcomeChange, ReleaseResult, RespondentOutcome
from app.sample import repository as sample_repository
from app.sample.models import SampledRespondent
from app.sample.service import get_respondent, respondent_read

FINAL_OUTCOMES = frozenset({Outcome.COMPLETED, Outcome.REPLACED})
"""Outcomes that no later report can change."""


def read(respondent: SampledRespondent) -> RespondentOutcome:
    return RespondentOutcome.model_validate(respondent, from_attributes=True)


def apply_outcome(
    db: Session, respondent: SampledRespondent, change: OutcomeChange, *, actor: User | None
) -> None:
    """Change the outcome in the caller's transaction, with an audit event."""
    if change.outcome is Outcome.REPLACED:
        raise UnprocessableError(
            error="replaced_by_hand", fields=[problem("outcome", "replaced_by_hand")]
        )
    if respondent.outcome in FINAL_OUTCOMES and respondent.outcome is not change.outcome:
        raise ConflictError(
            error="outcome_final",
            respondent_id=respondent.id,
            outcome=OUTCOME_LABELS[respondent.outcome],
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


REPLACEABLE = frozenset({Outcome.REFUSED, Outcome.NOT_REACHABLE, Outcome.MOVED})
"""Outcomes after which a reserve may take the respondent's place (spec §5)."""


def release_reserve(
    db: Session, respondent_id: int, note: str | None, *, actor: User | None
) -> ReleaseResult:
    """Replace a refusal (or a not reachable / moved respondent) by the next reserve of
    the same stratum and cluster in draw order. The respondent becomes ``replaced``, the
    reserve records whom it replaces and inherits the respondent's surveyor."""
    respondent = get_respondent(db, respondent_id)
    if respondent.is_reserve and respondent.replaces_id is None:
        raise ConflictError(error="not_in_field", respondent_id=respondent_id)
    if respondent.outcome not in REPLACEABLE:
        allowed = ", ".join(f"«{OUTCOME_LABELS[o]}»" for o in Outcome if o in REPLACEABLE)
        raise ConflictError(
            error="not_replaceable",
            respondent_id=respondent_id,
            outcome=OUTCOME_LABELS[respondent.outcome],
            allowed=allowed,
        )
    reserve_id = None
    for candidate in repository.next_reserves(db, respondent):
        if repository.claim_reserve(db, candidate, respondent.id):
            reserve_id = candidate
            break
    if reserve_id is None:
        where = respondent.stratum + (f" ({respondent.cluster})" if respondent.cluster else "")
        raise ConflictError(error="no_reserve_left", stratum=where, sample_id=respondent.sample_id)
    old = respondent.outcome
    respondent.outcome = Outcome.REPLACED
    if note is not None:
        respondent.outcome_note = note
    assign_like(db, reserve_id, respondent.id)
    record_event(
        db,
        actor=actor,
        action="respondent.replaced",
        entity_type="sampled_respondent",
        entity_id=respondent.id,
        payload={"from": old.value, "reserve_id": reserve_id, "note": note},
    )
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise ConflictError(error="already_replaced", respondent_id=respondent_id) from exc
    reserve = get_respondent(db, reserve_id)
    db.refresh(reserve)
    return ReleaseResult(
        replaced=read(respondent),
        reserve=respondent_read(reserve, sample_repository.unit_codes(db)),
    )
