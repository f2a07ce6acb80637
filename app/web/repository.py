"""Queries on page sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Surveyor, User, WebSession


def session_with_user(
    db: Session, token_hash: str, now: datetime
) -> tuple[WebSession, User, int | None] | None:
    """The unexpired session of an active user, with the user's surveyor id if any."""
    row = db.execute(
        select(WebSession, User, Surveyor.id)
        .join(User, User.id == WebSession.user_id)
        .outerjoin(Surveyor, Surveyor.user_id == User.id)
        .where(
            WebSession.token_hash == token_hash,
            WebSession.expires_at > now,
            User.is_active.is_(True),
        )
    ).one_or_none()
    if row is None:
        return None
    return row[0], row[1], row[2]


def delete_session(db: Session, token_hash: str) -> None:
    db.execute(delete(WebSession).where(WebSession.token_hash == token_hash))


def delete_expired(db: Session, now: datetime) -> None:
    db.execute(delete(WebSession).where(WebSession.expires_at <= now))
