"""Recording audit events."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session

from app.audit.models import AuditEvent


class Actor(Protocol):
    """Whoever acts: an account (:class:`app.auth.models.User`)."""

    @property
    def id(self) -> int: ...


def record_event(
    db: Session,
    *,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: object = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Append an audit event in the caller's transaction."""
    db.add(
        AuditEvent(
            actor_user_id=actor.id if actor else None,
            action=action,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            payload=payload or {},
        )
    )
