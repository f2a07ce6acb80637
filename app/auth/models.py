"""Accounts, API tokens and keys (with the campaigns a key may read), page sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base
from app.core.models import CreatedAtMixin, enum_column


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    SURVEYOR = "surveyor"
    API_CLIENT = "api_client"


STAFF_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
"""Home Affairs staff and the fieldwork leads of the partners (post, Fatherland Front)."""
SURVEYOR_ROLES = frozenset({Role.SURVEYOR})


class User(CreatedAtMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """argon2id hash; accounts that only use API tokens have none."""
    is_active: Mapped[bool] = mapped_column(default=True)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(CreatedAtMixin, Base):
    """A bearer token. Only its SHA-256 is stored; the token is shown once, at creation."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """After this moment the token answers 401; ``None``: until revoked."""

    user: Mapped[User] = relationship(back_populates="tokens")


class ApiTokenCampaign(Base):
    """An API key (token of an ``api_client`` account) may read this campaign's results."""

    __tablename__ = "api_token_campaign"
    __table_args__ = (UniqueConstraint("api_token_id", "campaign_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    api_token_id: Mapped[int] = mapped_column(
        ForeignKey("api_token.id", ondelete="CASCADE"), index=True
    )
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )


class WebSession(CreatedAtMixin, Base):
    """A log-in to the pages, kept by a cookie; only the cookie's SHA-256 is stored."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FailedAttempt(Base):
    """Failed guesses of one kind (wrong passwords per account or per address, unknown
    personal links per address), counted in the database so that every worker process
    and every restart sees the same count. The key (a user name, an address) is stored
    as its SHA-256 only."""

    __tablename__ = "failed_attempt"
    __table_args__ = (UniqueConstraint("kind", "key_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int]
    last_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
