"""Access that can be given and taken back: API keys for scoring services (an
``api_client`` account, a token and its campaigns) and API tokens of any account
(accounts themselves: :mod:`app.auth.accounts`).

A key reads results only, and only of the campaigns it was given; staff (admin,
supervisor) read every campaign's results with their own tokens. Tokens and keys may
expire and can be revoked at once; disabling an account ends its page sessions and
stops its tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth import accounts, repository
from app.auth.models import ApiToken, Role, User
from app.auth.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from app.core.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
    invalid,
    problem,
)
from app.core.models import as_utc

STAFF = frozenset({Role.ADMIN, Role.SUPERVISOR})


@dataclass(frozen=True)
class Reader:
    """Who reads results: staff read all campaigns, an API key only its own."""

    user_id: int
    role: Role
    campaign_ids: frozenset[int]

    def check(self, campaign_id: int) -> None:
        if self.role in STAFF:
            return
        if self.role is not Role.API_CLIENT or campaign_id not in self.campaign_ids:
            raise ForbiddenError(error="campaign_not_in_scope", campaign_id=campaign_id)


LAST_USE_EVERY = timedelta(minutes=1)
"""How often a token's last use is written down (not at every request)."""


def _live_token(db: Session, token: str) -> tuple[ApiToken, User] | None:
    """The live token and its active account, its use noted (:data:`LAST_USE_EVERY`)."""
    found = repository.token_with_user(db, token)
    if found is None:
        return None
    _note_use(db, found[0].id, found[0].last_used_at)
    return found


def _note_use(db: Session, token_id: int, last: datetime | None) -> None:
    """Write down a token's use if the last one noted is older than :data:`LAST_USE_EVERY`."""
    now = datetime.now(UTC)
    if last is None or as_utc(last) < now - LAST_USE_EVERY:
        repository.touch_token(db, token_id, now, LAST_USE_EVERY)
        db.commit()


def token_user_id(db: Session, token: str, roles: frozenset[Role]) -> int:
    """:func:`token_user` from one plain row: the account's id, with the same refusals
    and the same noting of use, for a write path that needs no user object."""
    row = repository.live_token_row(db, token)
    if row is None:
        raise UnauthorizedError(error="token_invalid")
    token_id, last, user_id, role = row
    _note_use(db, token_id, last)
    if role not in roles:
        raise ForbiddenError()
    return user_id


def user_for_token(db: Session, token: str) -> User | None:
    """The active account of a live API token."""
    found = _live_token(db, token)
    return None if found is None else found[1]


def token_user(db: Session, token: str, roles: frozenset[Role] | None = None) -> User:
    """The active account of a live API token (401 ``token_invalid`` otherwise), with one
    of ``roles`` when given (403 otherwise)."""
    user = user_for_token(db, token)
    if user is None:
        raise UnauthorizedError(error="token_invalid")
    if roles is not None and user.role not in roles:
        raise ForbiddenError()
    return user


def reader_for_token(db: Session, token: str) -> Reader | None:
    found = _live_token(db, token)
    if found is None:
        return None
    api_token, user = found
    return Reader(user.id, user.role, frozenset(repository.scope(db, api_token.id)))


def _read(api_token: ApiToken, user: User, campaign_ids: list[int]) -> ApiKeyRead:
    return ApiKeyRead(
        id=api_token.id,
        name=api_token.name,
        username=user.username,
        campaign_ids=campaign_ids,
        created_at=api_token.created_at,
        revoked_at=api_token.revoked_at,
        expires_at=api_token.expires_at,
        last_used_at=api_token.last_used_at,
    )


def expiry(days: int | None) -> datetime | None:
    return datetime.now(UTC) + timedelta(days=days) if days is not None else None


def create(db: Session, data: ApiKeyCreate, *, actor: User | None) -> ApiKeyCreated:
    wanted = sorted(set(data.campaign_ids))
    unknown = sorted(set(wanted) - repository.existing_campaign_ids(db, wanted))
    if unknown:
        raise invalid(
            [problem("campaign_ids", "campaign_not_found", campaign_id=c) for c in unknown]
        )
    user = repository.get_user(db, data.name)
    if user is None:
        user = repository.create_user(db, username=data.name, role=Role.API_CLIENT)
    elif user.role is not Role.API_CLIENT:
        raise ConflictError(error="account_not_api_client", name=data.name, role=user.role.value)
    token = repository.issue_token(db, user, data.name, expires_at=expiry(data.expires_in_days))
    found = repository.token_with_user(db, token)
    assert found is not None
    api_token = found[0]
    repository.add_scope(db, api_token.id, wanted)
    record_event(
        db,
        actor=actor,
        action="api_key.create",
        entity_type="api_token",
        entity_id=api_token.id,
        payload={"name": data.name, "campaign_ids": wanted},
    )
    db.commit()
    read = _read(api_token, user, wanted)
    return ApiKeyCreated(**read.model_dump(), token=token)


def list_keys(db: Session) -> list[ApiKeyRead]:
    return [
        _read(api_token, user, repository.scope(db, api_token.id))
        for api_token, user in repository.api_client_tokens(db)
    ]


def revoke(db: Session, key_id: int, *, actor: User | None) -> ApiKeyRead:
    api_token = repository.get_token(db, key_id)
    scope = repository.scope(db, key_id) if api_token is not None else []
    if api_token is None or not scope:
        raise NotFoundError(error="api_key_not_found", key_id=key_id)
    if api_token.revoked_at is None:
        api_token.revoked_at = datetime.now(UTC)
        record_event(
            db, actor=actor, action="api_key.revoke", entity_type="api_token", entity_id=key_id
        )
        db.commit()
    return _read(api_token, api_token.user, scope)


def _token_read(api_token: ApiToken, user: User) -> TokenRead:
    now = datetime.now(UTC)
    expires = api_token.expires_at
    return TokenRead(
        id=api_token.id,
        name=api_token.name,
        username=user.username,
        role=user.role,
        created_at=api_token.created_at,
        expires_at=expires,
        revoked_at=api_token.revoked_at,
        active=user.is_active
        and api_token.revoked_at is None
        and (expires is None or expires > now),
    )


def list_tokens(db: Session, username: str | None = None) -> list[TokenRead]:
    return [_token_read(t, u) for t, u in repository.tokens(db, username)]


def create_token(db: Session, data: TokenCreate, *, actor: User | None) -> TokenCreated:
    """A new token for an existing account; the token is in this answer only."""
    user = accounts.user_named(db, data.username)
    if not user.is_active:
        raise ConflictError(error="user_disabled", username=user.username)
    token = repository.issue_token(db, user, data.name, expires_at=expiry(data.expires_in_days))
    found = repository.token_with_user(db, token)
    assert found is not None
    api_token = found[0]
    record_event(
        db,
        actor=actor,
        action="api_token.create",
        entity_type="api_token",
        entity_id=api_token.id,
        payload={"username": user.username, "expires_at": str(api_token.expires_at)},
    )
    db.commit()
    return TokenCreated(**_token_read(api_token, user).model_dump(), token=token)


def revoke_token(db: Session, token_id: int, *, actor: User | None) -> TokenRead:
    """Revoke any token (a staff token, an API key) at once; its next call answers 401."""
    api_token = repository.get_token(db, token_id)
    if api_token is None:
        raise NotFoundError(error="token_not_found", token_id=token_id)
    if api_token.revoked_at is None:
        api_token.revoked_at = datetime.now(UTC)
        record_event(
            db, actor=actor, action="api_token.revoke", entity_type="api_token", entity_id=token_id
        )
        db.commit()
    return _token_read(api_token, api_token.user)
