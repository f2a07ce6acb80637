"""Logging in to the pages: argon2 passwords, server-side sessions, CSRF tokens.

A session is a random cookie (256 bits from :mod:`secrets`); only its SHA-256 is
stored, with an expiry and a CSRF token that every state-changing request must
echo (form field ``csrf_token`` or header ``X-CSRF-Token``). Surveyors keep their
session for :data:`SURVEYOR_SESSION` because they work offline for days.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth import repository, throttle
from app.auth.models import Role, WebSession
from app.auth.schemas import Credentials, PageSession
from app.core.errors import ForbiddenError, UnauthorizedError
from app.core.security import hash_password, token_digest, verify_password

SURVEYOR_SESSION = timedelta(days=14)
STAFF_SESSION = timedelta(hours=12)


def login(
    db: Session, username: str, password: str, roles: frozenset[Role], *, address: str
) -> tuple[str, PageSession] | None:
    """A new session cookie value and the session, or None if the log-in is refused.

    Unknown user, wrong password, disabled account and wrong role are refused alike, and
    counted against the user name and the client's ``address``; while either must wait
    (:mod:`app.auth.throttle`) every attempt is refused with
    :class:`~app.auth.throttle.TooManyAttemptsError`.
    """
    keys: list[throttle.Key] = [
        (throttle.LOGIN_ACCOUNT, username.strip().lower()),
        (throttle.LOGIN_ADDRESS, address),
    ]
    throttle.check(db, keys)
    user = repository.get_user(db, username.strip())
    if user is None or not user.is_active or user.role not in roles:
        # Verify against a dummy hash anyway, so refusals take as long as a wrong password.
        verify_password(_dummy_hash(), password)
        user = None
    elif not verify_password(user.password_hash, password):
        user = None
    if user is None:
        throttle.failed(db, keys)
        db.commit()
        return None
    throttle.succeeded(db, keys[0])
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
    record_event(db, actor=user, action="page.login", entity_type="user", entity_id=user.id)
    db.commit()
    page_session = session_for(db, token)
    assert page_session is not None
    return token, page_session


def session_for(db: Session, token: str) -> PageSession | None:
    """The live session of ``token``; its user row stays in ``db``'s identity map, so work
    done in the same transaction can name it as the actor of audit events."""
    found = repository.session_with_user(db, token_digest(token), datetime.now(UTC))
    if found is None:
        return None
    session, user = found
    return PageSession(user=user, csrf_token=session.csrf_token)


def logout(db: Session, token: str) -> None:
    repository.delete_session(db, token_digest(token))
    db.commit()


def csrf_ok(session: PageSession, presented: str | None) -> bool:
    return _csrf_matches(session.csrf_token, presented)


def _csrf_matches(expected: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(expected, presented)


def authenticate(db: Session, credentials: Credentials, roles: frozenset[Role]) -> PageSession:
    """The session of a user with one of ``roles``; for changes, with the right CSRF token.

    Called first in the same transaction as the work, so a request costs one
    database session (the JSON endpoints the phones sync to).
    """
    token = credentials.session_token
    found = session_for(db, token) if token else None
    if found is None or found.role not in roles:
        raise UnauthorizedError(error="login_required")
    if credentials.changes and not csrf_ok(found, credentials.csrf_token):
        raise ForbiddenError(error="csrf_failed")
    return found


def authenticated_id(db: Session, credentials: Credentials, roles: frozenset[Role]) -> int:
    """:func:`authenticate` from one plain row: the user's id, with the same refusals, for
    a write path that needs no user object (the phones' submissions)."""
    token = credentials.session_token
    row = repository.session_row(db, token_digest(token), datetime.now(UTC)) if token else None
    if row is None or row[1] not in roles:
        raise UnauthorizedError(error="login_required")
    if credentials.changes and not _csrf_matches(row[2], credentials.csrf_token):
        raise ForbiddenError(error="csrf_failed")
    return row[0]


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))
