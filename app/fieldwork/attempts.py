"""Contact attempts (lần liên hệ): each attempt to reach a sampled person, recorded by
the surveyor's phone (offline too) or by staff, stored once per client-made
``client_id`` (a replay answers with the stored attempt, a different one 409).

An attempt whose result settles the person's fate (a refusal, a move, not eligible:
:attr:`analysis.contact.AttemptResult.outcome`) also sets the outcome of a person
still ``pending``, through :func:`app.fieldwork.service.apply_outcome`. The results,
their Vietnamese names and AAPOR codes live in :mod:`analysis.contact`.
"""

from __future__ import annotations

from datetime import UTC

from sqlalchemy.orm import Session

from analysis.contact import AttemptResult
from analysis.disposition import Outcome
from app.auth.models import User
from app.campaign.models import Campaign
from app.campaign.service import require_fieldwork
from app.core.errors import UnprocessableError
from app.core.hashing import sha256_json
from app.fieldwork import once, repository
from app.fieldwork.models import ContactAttempt
from app.fieldwork.once import Stored
from app.fieldwork.schemas import AttemptRead, AttemptRecord, OutcomeChange
from app.fieldwork.service import apply_outcome, campaign_in_reach
from app.sample.models import SampledRespondent
from app.sample.service import get_respondent


def read(attempt: ContactAttempt) -> AttemptRead:
    return AttemptRead.model_validate(attempt, from_attributes=True)


def digest(respondent_id: int, data: AttemptRecord) -> str:
    return sha256_json(
        {
            "respondent_id": respondent_id,
            "attempted_at": data.attempted_at.isoformat(),
            "result": data.result.value,
            "callback_at": data.callback_at.isoformat() if data.callback_at else None,
            "note": data.note,
        }
    )


def store(
    db: Session,
    respondent: SampledRespondent,
    campaign: Campaign,
    data: AttemptRecord,
    *,
    actor: User | None,
) -> Stored[AttemptRead]:
    """Store a new attempt (the caller has looked for a replay), during fieldwork."""
    require_fieldwork(campaign)
    if data.result is AttemptResult.CALL_BACK and data.callback_at is None:
        raise UnprocessableError(
            error="callback_needs_time",
            fields=[{"path": "callback_at", "message": "required for a call-back"}],
        )
    callback_at = data.callback_at if data.result is AttemptResult.CALL_BACK else None
    attempt = ContactAttempt(
        client_id=data.client_id,
        respondent_id=respondent.id,
        reported_by_id=actor.id if actor else None,
        attempted_at=data.attempted_at.astimezone(UTC),
        result=data.result,
        callback_at=callback_at.astimezone(UTC) if callback_at else None,
        note=data.note,
        payload_sha256=digest(respondent.id, data),
    )
    db.add(attempt)
    settled = data.result.outcome
    if settled is not None and respondent.outcome is Outcome.PENDING:
        apply_outcome(db, respondent, OutcomeChange(outcome=settled, note=data.note), actor=actor)
    return once.commit(
        db,
        attempt,
        attempt.payload_sha256,
        lambda: repository.contact_attempt(db, data.client_id),
        read,
    )


def record_attempt(
    db: Session, respondent_id: int, data: AttemptRecord, *, actor: User | None
) -> Stored[AttemptRead]:
    """An attempt keyed in by staff (e.g. from a surveyor's paper list)."""
    existing = repository.contact_attempt(db, data.client_id)
    if existing is not None:
        return once.replay(existing, digest(respondent_id, data), read)
    respondent = get_respondent(db, respondent_id)
    return store(db, respondent, campaign_in_reach(db, respondent, actor), data, actor=actor)


def list_attempts(db: Session, respondent_id: int, *, actor: User | None) -> list[AttemptRead]:
    campaign_in_reach(db, get_respondent(db, respondent_id), actor)
    return [read(a) for a in repository.attempts(db, [respondent_id])]
