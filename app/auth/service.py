"""API keys for scoring services: an ``api_client`` account, a token, and its campaigns.

A key reads results only, and only of the campaigns it was given; staff (admin,
supervisor) read every campaign's results with their own tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.audit.service import record_event
from app.auth import repository
from app.auth.models import ApiToken, Role, User
from app.auth.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from app.core.errors import ConflictError, ForbiddenError, NotFoundError, invalid, problem

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


def reader_for_token(db: Session, token: str) -> Reader | None:
    found = repository.token_with_user(db, token)
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
    )


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
    token = repository.issue_token(db, user, data.name)
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
