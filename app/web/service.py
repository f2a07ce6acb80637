"""Logging in to the pages: argon2 passwords, server-side sessions, CSRF tokens.

A session is a random cookie (256 bits from :mod:`secrets`); only its SHA-256 is
stored, with an expiry and a CSRF token that every state-changing request must
echo (form field ``csrf_token`` or header ``X-CSRF-Token``). Surveyors keep their
session for :data:`SURVEYOR_SESSION` because they work offline for days.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy.orm import Session

from app.auth import repository as auth_repository
from app.core.errors import ForbiddenError, UnauthorizedError
from app.core.security import hash_password, token_digest, verify_password
from app.models import Role, User, WebSession
from app.web import repository
from app.web.schemas import Credentials, PageSession

SURVEYOR_SESSION = timedelta(days=14)
STAFF_SESSION = timedelta(hours=12)


def login(
    db: Session, username: str, password: str, roles: frozenset[Role]
) -> tuple[str, PageSession] | None:
    """A new session cookie value and the session, or None if the log-in is refused.

    Unknown user, wrong password, disabled account and wrong role are refused alike.
    """
    user = auth_repository.get_user(db, username.strip())
    if user is None or not user.is_active or user.role not in roles:
        # Verify against a dummy hash anyway, so refusals take as long as a wrong password.
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    now = datetime.now(UTC)
    repository.delete_expired(db, now)
    token = secrets.token_urlsafe(32)
    lifetime = SURVEYOR_SESSION if user.role is Role.SURVEYOR else STAFF_SESSION
    session = WebSession(
        user_id=user.id,
        token_hash=token_digest(token),
        csrf_token=secrets.token_urlsafe(32),
        expires_at=now + lifetime,
    )
    db.add(session)
    auth_repository.record_event(
        db, actor=user, action="page.login", entity_type="user", entity_id=user.id
    )
    db.commit()
    page_session = session_for(db, token)
    assert page_session is not None
    return token, page_session


@dataclass(frozen=True)
class Authenticated:
    """A live session and its user's row, for work done in the same transaction (the
    reference keeps the user in the session's identity map for audit events)."""

    session: PageSession
    user: User


def _lookup(db: Session, token: str) -> Authenticated | None:
    found = repository.session_with_user(db, token_digest(token), datetime.now(UTC))
    if found is None:
        return None
    session, user, surveyor_id = found
    return Authenticated(
        session=PageSession(
            user_id=user.id,
            username=user.username,
            full_name=user.full_name,
            role=user.role,
            csrf_token=session.csrf_token,
            surveyor_id=surveyor_id,
        ),
        user=user,
    )


def session_for(db: Session, token: str) -> PageSession | None:
    found = _lookup(db, token)
    return found.session if found else None


def logout(db: Session, token: str) -> None:
    repository.delete_session(db, token_digest(token))
    db.commit()


def csrf_ok(session: PageSession, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(session.csrf_token, presented)


def authenticate_user(
    db: Session, credentials: Credentials, roles: frozenset[Role]
) -> Authenticated:
    """The session of a user with one of ``roles``; for changes, with the right CSRF token.

    Called first in the same transaction as the work, so a request costs one
    database session (the JSON endpoints the phones sync to).
    """
    token = credentials.session_token
    found = _lookup(db, token) if token else None
    if found is None or found.session.role not in roles:
        raise UnauthorizedError(
            "Log in again: the session is missing or has expired.", error="login_required"
        )
    if credentials.changes and not csrf_ok(found.session, credentials.csrf_token):
        raise ForbiddenError(
            "The form is out of date (CSRF token missing or wrong); reload the page.",
            error="csrf_failed",
        )
    return found


def authenticate(db: Session, credentials: Credentials, roles: frozenset[Role]) -> PageSession:
    return authenticate_user(db, credentials, roles).session


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))
