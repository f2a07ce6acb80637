"""API keys for scoring services (role ``api_client``), scoped to campaigns, read-only."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ApiKeyCreate(BaseModel):
    name: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[a-z0-9][a-z0-9\-_.]*$",
        description="The scoring service, e.g. 'par-scoring-snv'; its account name.",
    )
    campaign_ids: list[int] = Field(min_length=1, description="Campaigns the key may read.")


class ApiKeyRead(BaseModel):
    id: int
    name: str
    username: str
    campaign_ids: list[int]
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    token: str = Field(description="Shown once; only its SHA-256 is stored.")
