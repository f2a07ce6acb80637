"""HTTP endpoints for API keys and tokens (admin only); the keys themselves only read
results."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.auth import service
from app.auth.dependencies import AdminUser
from app.auth.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from app.core.deps import DatabaseDep

router = APIRouter(prefix="/api-keys", tags=["api keys"])
tokens_router = APIRouter(prefix="/tokens", tags=["api tokens"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_key(data: ApiKeyCreate, db: DatabaseDep, user: AdminUser) -> ApiKeyCreated:
    """Create a read-only key for a scoring service, limited to the given campaigns.
    The token is in this answer only."""
    return await db.run(service.create, data, actor=user)


@router.get("")
async def list_keys(db: DatabaseDep, _user: AdminUser) -> list[ApiKeyRead]:
    return await db.run(service.list_keys)


@router.delete("/{key_id}")
async def revoke_key(key_id: int, db: DatabaseDep, user: AdminUser) -> ApiKeyRead:
    """Revoke a key at once; its next call answers 401."""
    return await db.run(service.revoke, key_id, actor=user)


@tokens_router.get("")
async def list_tokens(
    db: DatabaseDep, _user: AdminUser, username: str | None = None
) -> list[TokenRead]:
    """Every API token (of one account with ``username``), never the token itself."""
    return await db.run(service.list_tokens, username)


@tokens_router.post("", status_code=status.HTTP_201_CREATED)
async def create_token(data: TokenCreate, db: DatabaseDep, user: AdminUser) -> TokenCreated:
    """A new token for an account, optionally expiring; the token is in this answer only."""
    return await db.run(service.create_token, data, actor=user)


@tokens_router.delete("/{token_id}")
async def revoke_token(token_id: int, db: DatabaseDep, user: AdminUser) -> TokenRead:
    """Revoke any token (staff, surveyor or API key) at once; its next call answers 401."""
    return await db.run(service.revoke_token, token_id, actor=user)
