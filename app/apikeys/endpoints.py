"""HTTP endpoints for API keys (admin only); the keys themselves only read results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.apikeys import service
from app.apikeys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from app.core.deps import AdminUser, DatabaseDep
from app.core.errors import UnauthorizedError

router = APIRouter(prefix="/api-keys", tags=["api keys"])
_bearer = HTTPBearer(auto_error=False, description="An API token.")


async def get_reader(
    db: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> service.Reader:
    """The caller of a results endpoint, with the campaigns its key may read."""
    if credentials is None:
        raise UnauthorizedError("Send an API key: 'Authorization: Bearer <token>'.")
    reader = await db.run(service.reader_for_token, credentials.credentials)
    if reader is None:
        raise UnauthorizedError("The API key is unknown, revoked, or its account is disabled.")
    return reader


ResultsReader = Annotated[service.Reader, Depends(get_reader)]


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
