"""Accounts and what can be done to them: list, create with a role, change the role
(admin ↔ supervisor), new password, disable and enable, take every log-in back (page
sessions and API tokens).

The staff console's access pages and the command line call these. There is always an
active administrator: the last one cannot be disabled or lose the role, and an
administrator cannot disable their own account or change their own role.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth import repository
from app.auth.models import Role, User
from app.auth.schemas import AccountRead
from app.core.errors import ConflictError, ForbiddenError, NotFoundError, invalid, problem
from app.core.security import hash_password

PASSWORD_MIN_LENGTH = 10
USERNAME = re.compile(r"^[A-Za-z0-9._\-]{3,100}$")
CHANGEABLE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
"""Roles given and changed here; surveyors are added with their surveyor record, API
clients with their key."""


def _read(user: User, sessions: int, tokens: int) -> AccountRead:
    return AccountRead(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        is_active=user.is_active,
        created_at=user.created_at,
        sessions=sessions,
        live_tokens=tokens,
    )


def list_accounts(db: Session) -> list[AccountRead]:
    """Every account that logs in to the pages, by user name (API clients are listed
    with their keys), with its live page sessions and tokens."""
    now = datetime.now(UTC)
    sessions, tokens = repository.session_counts(db, now), repository.live_token_counts(db, now)
    return [
        _read(user, sessions.get(user.id, 0), tokens.get(user.id, 0))
        for user in repository.list_users(db)
        if user.role is not Role.API_CLIENT
    ]


def get_account(db: Session, user_id: int) -> AccountRead:
    user = db.get(User, user_id)
    if user is None:
        raise NotFoundError(error="account_not_found", user_id=user_id)
    now = datetime.now(UTC)
    return _read(
        user,
        repository.session_counts(db, now, user.id).get(user.id, 0),
        repository.live_token_counts(db, now, user.id).get(user.id, 0),
    )


def user_named(db: Session, username: str) -> User:
    user = repository.get_user(db, username)
    if user is None:
        raise NotFoundError(error="user_not_found", username=username)
    return user


def _check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise invalid([problem("password", "password_too_short", min_length=PASSWORD_MIN_LENGTH)])


def new_password(password: str | None) -> str:
    """``password`` once long enough, or a random one to be shown once."""
    if password is None:
        return secrets.token_urlsafe(12)
    _check_password(password)
    return password


def create_account(
    db: Session,
    username: str,
    role: Role,
    *,
    full_name: str | None = None,
    password: str | None = None,
    actor: User | None,
    via: str = "pages",
) -> User:
    """Add an account, with a password if it logs in to the pages, in the caller's
    transaction; the command line gives any role, the pages admins and supervisors."""
    if repository.get_user(db, username) is not None:
        raise ConflictError(error="username_taken", username=username)
    user = repository.create_user(
        db, username=username, role=role, full_name=full_name, password=password
    )
    record_event(
        db,
        actor=actor,
        action="user.create",
        entity_type="user",
        entity_id=user.id,
        payload={"username": username, "role": role.value, "via": via},
    )
    return user


def create_staff_account(
    db: Session,
    username: str,
    role: Role,
    full_name: str | None,
    password: str | None,
    *,
    actor: User | None,
) -> tuple[AccountRead, str]:
    """An administrator or supervisor who logs in to ``/staff/``; returns the account and
    its password (``password``, or a random one to be shown once)."""
    if not USERNAME.match(username):
        raise invalid([problem("username", "username_invalid")])
    if role not in CHANGEABLE_ROLES:
        raise invalid([problem("role", "role_not_offered")])
    password = new_password(password)
    user = create_account(db, username, role, full_name=full_name, password=password, actor=actor)
    db.commit()
    return _read(user, 0, 0), password


def _keep_an_admin(db: Session, user: User) -> None:
    """Refuse to take the role or the account of the last active administrator."""
    if user.role is Role.ADMIN and user.is_active and repository.active_admins(db) <= 1:
        raise ConflictError(error="last_admin", username=user.username)


def _not_oneself(user: User, actor: User | None, error: str) -> None:
    if actor is not None and actor.id == user.id:
        raise ForbiddenError(error=error)


def set_active(db: Session, username: str, active: bool, *, actor: User | None) -> int:
    """Disable or enable an account. Disabling ends its page sessions at once (its tokens
    stop working while it is disabled); returns how many sessions were ended."""
    user = user_named(db, username)
    if not active:
        _not_oneself(user, actor, "cannot_disable_self")
        _keep_an_admin(db, user)
    user.is_active = active
    ended = 0 if active else repository.delete_sessions_of(db, user.id)
    record_event(
        db,
        actor=actor,
        action="user.enable" if active else "user.disable",
        entity_type="user",
        entity_id=user.id,
        payload={"sessions_ended": ended},
    )
    db.commit()
    return ended


def change_role(db: Session, username: str, role: Role, *, actor: User | None) -> AccountRead:
    """Make an administrator a supervisor or the other way round; takes effect at the
    account's next request (its sessions stay)."""
    user = user_named(db, username)
    if user.role not in CHANGEABLE_ROLES or role not in CHANGEABLE_ROLES:
        raise ConflictError(error="role_not_changeable", username=username)
    if role is not user.role:
        _not_oneself(user, actor, "cannot_change_own_role")
        _keep_an_admin(db, user)
        record_event(
            db,
            actor=actor,
            action="user.role",
            entity_type="user",
            entity_id=user.id,
            payload={"old": user.role.value, "new": role.value},
        )
        user.role = role
        db.commit()
    return get_account(db, user.id)


def reset_password(
    db: Session, username: str, password: str | None = None, *, actor: User | None
) -> str:
    """Give an account a new password (a random one if none is given) and end its page
    sessions; returns the password."""
    user = user_named(db, username)
    password = new_password(password)
    user.password_hash = hash_password(password)
    repository.delete_sessions_of(db, user.id)
    record_event(
        db, actor=actor, action="user.reset_password", entity_type="user", entity_id=user.id
    )
    db.commit()
    return password


def revoke_access(db: Session, username: str, *, actor: User | None) -> tuple[int, int]:
    """End every page session of an account and revoke every token it has (the account
    stays enabled and logs in again with its password); returns (sessions, tokens)."""
    user = user_named(db, username)
    sessions = repository.delete_sessions_of(db, user.id)
    tokens = repository.revoke_tokens_of(db, user.id, datetime.now(UTC))
    record_event(
        db,
        actor=actor,
        action="user.revoke_access",
        entity_type="user",
        entity_id=user.id,
        payload={"sessions_ended": sessions, "tokens_revoked": tokens},
    )
    db.commit()
    return sessions, tokens
