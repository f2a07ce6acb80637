"""Queries on users, tokens and audit events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.security import hash_password, new_token, token_digest
from app.models import ApiToken, AuditEvent, Role, User


def user_for_token(db: Session, token: str) -> User | None:
    row = db.execute(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == token_digest(token),
            ApiToken.revoked_at.is_(None),
            User.is_active.is_(True),
        )
    ).scalar_one_or_none()
    return row


def get_user(db: Session, username: str) -> User | None:
    return db.execute(select(User).where(User.username == username)).scalar_one_or_none()


def create_user(
    db: Session,
    *,
    username: str,
    role: Role,
    full_name: str | None = None,
    password: str | None = None,
) -> User:
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        password_hash=hash_password(password) if password else None,
    )
    db.add(user)
    db.flush()
    return user


def issue_token(db: Session, user: User, name: str = "default") -> str:
    """Create a token for ``user`` and return it; only its digest is stored."""
    token = new_token()
    db.add(ApiToken(user_id=user.id, name=name, token_hash=token_digest(token)))
    db.flush()
    return token


def record_event(
    db: Session,
    *,
    actor: User | None,
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
