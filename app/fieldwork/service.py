"""Outcomes of sampled respondents (spec §6: completed, partial, refused, not
reachable, ineligible, moved, replaced), their correction by staff, and the release of
reserves.

Two outcomes are never set by hand: ``completed`` comes from a complete response
(:func:`app.response.service.submit`), ``replaced`` from releasing a reserve in the
respondent's stratum, which records the link between the two. Both are final for
surveyors. Staff (administrators, supervisors) correct any other mistake with a
reason (:func:`correct_outcome`); a ``completed`` outcome backed by a stored complete
response cannot be corrected, because the response counts (the first complete
response wins); one set by hand before that rule can.

Fieldwork changes (outcomes, reserves, assignments, attempts) are made while the
campaign is in fieldwork only (:func:`app.campaign.service.require_fieldwork`);
corrections also while it is closed, until its results are published.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.contact import may_release_reserve
from analysis.disposition import OUTCOME_LABELS, Outcome
from app.audit.service import record_event
from app.auth.models import User
from app.campaign.models import Campaign, CampaignStatus
from app.campaign.scope import campaign_in_scope
from app.campaign.service import require_fieldwork
from app.core.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnprocessableError,
    problem,
)
from app.fieldwork import repository
from app.fieldwork.models import Assignment
from app.fieldwork.schemas import (
    OutcomeChange,
    OutcomeCorrection,
    ReleaseResult,
    RespondentOutcome,
)
from app.response import repository as response_repository
from app.sample import repository as sample_repository
from app.sample.models import SampledRespondent
from app.sample.service import get_respondent, respondent_read

FINAL_OUTCOMES = frozenset({Outcome.COMPLETED, Outcome.REPLACED})
"""Outcomes that no later report can change."""


def read(respondent: SampledRespondent) -> RespondentOutcome:
    return RespondentOutcome.model_validate(respondent, from_attributes=True)


def _refuse_by_hand(outcome: Outcome) -> None:
    for code, refused in (
        ("replaced_by_hand", Outcome.REPLACED),
        ("completed_by_hand", Outcome.COMPLETED),
    ):
        if outcome is refused:
            raise UnprocessableError(error=code, fields=[problem("outcome", code)])


def apply_outcome(
    db: Session, respondent: SampledRespondent, change: OutcomeChange, *, actor: User | None
) -> None:
    """Change the outcome in the caller's transaction, with an audit event.

    ``completed`` and ``replaced`` are refused (422): a response and a reserve release
    set them. A respondent already ``completed`` or ``replaced`` keeps it (409)."""
    _refuse_by_hand(change.outcome)
    if respondent.outcome in FINAL_OUTCOMES:
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
    require_fieldwork(repository.campaign_of(db, respondent))
    apply_outcome(db, respondent, change, actor=actor)
    db.commit()
    return read(respondent)


def campaign_in_reach(db: Session, respondent: SampledRespondent, actor: User | None) -> Campaign:
    """The respondent's campaign, once the actor may act on the respondent (a supervisor:
    only in their campaigns and units, else 403)."""
    campaign = repository.campaign_of(db, respondent)
    if not campaign_in_scope(db, campaign.id, actor).sees_unit(respondent.unit_id):
        raise ForbiddenError(error="respondent_not_in_scope", respondent_id=respondent.id)
    return campaign


def _check_correction(db: Session, respondent: SampledRespondent, target: Outcome) -> None:
    old = respondent.outcome
    if target is Outcome.REPLACED:
        _refuse_by_hand(target)
    if old is Outcome.REPLACED:
        raise ConflictError(error="outcome_replaced", respondent_id=respondent.id)
    if target is old:
        raise ConflictError(
            error="outcome_unchanged", respondent_id=respondent.id, outcome=OUTCOME_LABELS[old]
        )
    answered = response_repository.complete_response_of(db, respondent.id)
    if target is Outcome.COMPLETED and answered is None:
        raise ConflictError(error="outcome_completed_needs_response", respondent_id=respondent.id)
    if old is Outcome.COMPLETED and answered is not None:
        raise ConflictError(error="outcome_has_response", respondent_id=respondent.id)


def correct_outcome(
    db: Session,
    respondent_id: int,
    data: OutcomeCorrection,
    *,
    actor: User | None,
    campaign_id: int | None = None,
) -> RespondentOutcome:
    """Staff correct a respondent's outcome, giving a reason; the audit trail keeps who,
    when, the old and new outcome and the reason.

    Refused: after the campaign's results are published (409 ``campaign_published``);
    to or from ``replaced`` (a reserve release is permanent); to ``completed`` without a
    complete response; from ``completed`` while a complete response is stored (it counts).
    With ``campaign_id`` (a campaign's page), a respondent of another campaign is 404; a
    supervisor corrects only the respondents of their campaigns and units (403).
    """
    respondent = get_respondent(db, respondent_id)
    campaign = campaign_in_reach(db, respondent, actor)
    if campaign_id is not None and campaign.id != campaign_id:
        raise NotFoundError(
            error="respondent_not_in_campaign", respondent_id=respondent_id, campaign_id=campaign_id
        )
    if campaign.status is CampaignStatus.PUBLISHED:
        raise ConflictError(error="campaign_published", campaign_id=campaign.id)
    _check_correction(db, respondent, data.outcome)
    old = respondent.outcome
    respondent.outcome = data.outcome
    record_event(
        db,
        actor=actor,
        action="respondent.outcome_corrected",
        entity_type="sampled_respondent",
        entity_id=respondent.id,
        payload={"from": old.value, "to": data.outcome.value, "reason": data.reason},
    )
    db.commit()
    return read(respondent)


def assign_like(db: Session, respondent_id: int, model_respondent_id: int) -> None:
    """Give ``respondent_id`` the surveyor of ``model_respondent_id``, if it has one
    (a released reserve goes to the surveyor of the person it replaces)."""
    model = repository.assignment_for(db, model_respondent_id)
    if model is not None:
        db.add(Assignment(sampled_respondent_id=respondent_id, surveyor_id=model.surveyor_id))


REPLACEABLE = frozenset({Outcome.REFUSED, Outcome.NOT_REACHABLE, Outcome.MOVED})
"""Outcomes after which a reserve may take the respondent's place (spec §5)."""


def _check_release(db: Session, respondent: SampledRespondent, campaign: Campaign) -> None:
    require_fieldwork(campaign)
    if respondent.is_reserve and respondent.replaces_id is None:
        raise ConflictError(error="not_in_field", respondent_id=respondent.id)
    if respondent.outcome not in REPLACEABLE:
        allowed = ", ".join(f"«{OUTCOME_LABELS[o]}»" for o in Outcome if o in REPLACEABLE)
        raise ConflictError(
            error="not_replaceable",
            respondent_id=respondent.id,
            outcome=OUTCOME_LABELS[respondent.outcome],
            allowed=allowed,
        )
    results = repository.attempt_results(db, respondent.id)
    required = campaign.attempts_before_reserve
    if not may_release_reserve(respondent.outcome, results, required=required):
        raise ConflictError(
            error="reserve_needs_attempts",
            respondent_id=respondent.id,
            attempts=len(results),
            required=required,
        )


def release_reserve(
    db: Session,
    respondent_id: int,
    note: str | None,
    *,
    actor: User | None,
    campaign_id: int | None = None,
) -> ReleaseResult:
    """Replace a refusal (or a not reachable / moved respondent) by the next reserve of
    the same stratum and cluster in draw order, during fieldwork. A person not reached
    needs the campaign's ``attempts_before_reserve`` attempts first
    (:func:`analysis.contact.may_release_reserve`). The respondent becomes ``replaced``,
    the reserve records whom it replaces and inherits the respondent's surveyor. With
    ``campaign_id`` (a campaign's page), a respondent of another campaign is 404."""
    respondent = get_respondent(db, respondent_id)
    campaign = repository.campaign_of(db, respondent)
    if campaign_id is not None and campaign.id != campaign_id:
        raise NotFoundError(
            error="respondent_not_in_campaign", respondent_id=respondent_id, campaign_id=campaign_id
        )
    _check_release(db, respondent, campaign)
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
