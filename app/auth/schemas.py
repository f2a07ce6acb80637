"""Bodies of the auth domain: page sessions and API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field

from app.auth.models import Role, User


@dataclass(frozen=True)
class PageSession:
    """A live log-in to the pages: its user's row (the actor of audit events) and the
    session's CSRF token."""

    user: User
    csrf_token: str

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def full_name(self) -> str | None:
        return self.user.full_name

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


@dataclass(frozen=True)
class Reach:
    """What a caller limited to some campaigns (an API key) may see: those campaigns,
    the units within their scopes and the questionnaire versions they use."""

    campaign_ids: frozenset[int]
    unit_ids: frozenset[int]
    questionnaire_versions: frozenset[tuple[str, int]]


class Credentials(BaseModel):
    """What a request presents: the session cookie and, for changes, the CSRF token."""

    session_token: str | None
    csrf_token: str | None
    changes: bool
    """Whether the request changes something (not GET/HEAD/OPTIONS): CSRF is checked."""


class ApiKeyCreate(BaseModel):
    name: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[a-z0-9][a-z0-9\-_.]*$",
        description="The scoring service, e.g. 'par-scoring-snv'; its account name.",
    )
    campaign_ids: list[int] = Field(min_length=1, description="Campaigns the key may read.")
    expires_in_days: int | None = Field(
        default=None, ge=1, le=3650, description="The key stops working after this many days."
    )


class ApiKeyRead(BaseModel):
    id: int
    name: str
    username: str
    campaign_ids: list[int]
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None = None
    last_used_at: datetime | None = Field(
        default=None, description="Last call made with the key (noted at most once a minute)."
    )


class ApiKeyCreated(ApiKeyRead):
    token: str = Field(description="Shown once; only its SHA-256 is stored.")


class TokenCreate(BaseModel):
    """A new API token for an existing account (e.g. to replace a lost or leaked one)."""

    username: str = Field(min_length=1, max_length=100)
    name: str = Field(default="api", min_length=1, max_length=100)
    expires_in_days: int | None = Field(
        default=None, ge=1, le=3650, description="The token stops working after this many days."
    )


class TokenRead(BaseModel):
    """An API token, never its value: who it belongs to, when it stops working."""

    id: int
    name: str
    username: str
    role: Role
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool = Field(description="Usable now: not revoked, not expired, account enabled.")


class TokenCreated(TokenRead):
    token: str = Field(description="Shown once; only its SHA-256 is stored.")


class AccountRead(BaseModel):
    """An account as the access pages list it, never its password."""

    id: int
    username: str
    full_name: str | None
    role: Role
    is_active: bool
    created_at: datetime
    sessions: int = Field(description="Unexpired page sessions.")
    live_tokens: int = Field(description="API tokens neither revoked nor expired.")
