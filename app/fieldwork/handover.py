"""The hand-over queue: what a surveyor's phone could not sync, for staff to settle.

An item the server refused (a different interview under the same ``client_id``, a
person who already answered another way, a respondent no longer assigned, a closed
campaign, ...) stays on the phone under «Cần xử lý» until the surveyor hands it over
(:func:`app.fieldwork.phone.hand_over`). Staff (administrators, supervisors) then see
the queue of each campaign and either accept an interview as a response, through
:func:`app.response.service.submit` with the item's own ``client_id`` (the same checks
and idempotency as every response: accepting twice stores it once, and a refusal is
reported in Vietnamese), or discard the item with a reason. Both are audited. A
supervisor sees and settles the items of their campaigns and units only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth.models import User
from app.campaign.scope import campaign_in_scope
from app.core.errors import ConflictError, ForbiddenError, NotFoundError, UnprocessableError
from app.fieldwork import repository
from app.fieldwork.models import Handover, HandoverKind, HandoverStatus
from app.fieldwork.schemas import HandoverRead, InterviewSubmit
from app.response import service as response_service
from app.response.models import ResponseMode, ResponseStatus
from app.response.schemas import ResponseSubmit


def read(row: Any) -> HandoverRead:
    """The read model of a row of :func:`app.fieldwork.repository.handover_row`."""
    item: Handover = row[0]
    return HandoverRead(
        id=item.id,
        client_id=item.client_id,
        kind=item.kind,
        respondent_id=item.respondent_id,
        campaign_id=item.campaign_id,
        handed_over_by=row.full_name or row.username,
        body=item.body,
        error=item.error,
        status=item.status,
        created_at=item.created_at,
        resolved_at=item.resolved_at,
        reason=item.reason,
        response_id=item.response_id,
    )


def list_handovers(
    db: Session,
    campaign_id: int,
    status: HandoverStatus | None = HandoverStatus.OPEN,
    *,
    actor: User | None,
) -> list[HandoverRead]:
    """The campaign's items (open ones by default) in the actor's units, oldest first."""
    scope = campaign_in_scope(db, campaign_id, actor)
    rows = repository.handovers(db, campaign_id, status)
    return [read(row) for row in rows if scope.sees_unit(row.unit_id)]


def _row(db: Session, handover_id: int) -> Any:
    row = repository.handover_row(db, handover_id)
    if row is None:
        raise NotFoundError(error="handover_not_found", handover_id=handover_id)
    return row


def get(db: Session, handover_id: int) -> HandoverRead:
    return read(_row(db, handover_id))


def _open(db: Session, handover_id: int, actor: User | None) -> Handover:
    row = _row(db, handover_id)
    item: Handover = row[0]
    if not campaign_in_scope(db, item.campaign_id, actor).sees_unit(row.unit_id):
        raise ForbiddenError(error="respondent_not_in_scope", respondent_id=item.respondent_id)
    if item.status is not HandoverStatus.OPEN:
        raise ConflictError(error="handover_resolved", handover_id=handover_id)
    return item


def _resolve(
    db: Session, item: Handover, status: HandoverStatus, actor: User | None, **extra: Any
) -> HandoverRead:
    item.status = status
    item.resolved_by_id = actor.id if actor else None
    item.resolved_at = datetime.now(UTC)
    record_event(
        db,
        actor=actor,
        action=f"handover.{status.value}",
        entity_type="handover",
        entity_id=item.id,
        payload={"respondent_id": item.respondent_id, "kind": item.kind.value, **extra},
    )
    db.commit()
    return get(db, item.id)


def _interview(item: Handover) -> InterviewSubmit:
    if item.kind is not HandoverKind.RESPONSE:
        raise ConflictError(error="handover_not_a_response", handover_id=item.id)
    try:
        return InterviewSubmit.model_validate(item.body)
    except ValidationError as exc:
        raise UnprocessableError(error="handover_unreadable", handover_id=item.id) from exc


def accept(db: Session, handover_id: int, *, actor: User | None) -> HandoverRead:
    """Store a handed-over interview as the respondent's response (mode ``interview``)."""
    item = _open(db, handover_id, actor)
    interview = _interview(item)
    submission = response_service.submit(
        db,
        item.campaign_id,
        ResponseSubmit(
            client_id=item.client_id,
            mode=ResponseMode.INTERVIEW,
            status=ResponseStatus.COMPLETE,
            answers=interview.answers,
            respondent_id=item.respondent_id,
            started_at=interview.started_at,
        ),
        actor=actor,
    )
    item = _open(db, handover_id, actor)
    item.response_id = submission.response.id
    return _resolve(db, item, HandoverStatus.ACCEPTED, actor, response_id=submission.response.id)


def discard(db: Session, handover_id: int, reason: str, *, actor: User | None) -> HandoverRead:
    """Close an item without storing it, keeping the reason."""
    item = _open(db, handover_id, actor)
    item.reason = reason
    return _resolve(db, item, HandoverStatus.DISCARDED, actor, reason=reason)
