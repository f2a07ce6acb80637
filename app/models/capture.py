"""Capture: page sessions, citizens' personal links, and surveyors' outcome reports.

- :class:`WebSession`: a login to the server-rendered pages (surveyors' phone app
  and staff pages), kept by a cookie; only the SHA-256 of the cookie is stored.
- :class:`RespondentLink`: a sampled citizen's personal link (đường link cá nhân)
  and the short code printed on the letter; only hashes are stored.
- :class:`OutcomeReport`: an outcome sent by a surveyor's phone, stored once per
  phone-made ``client_id`` so that a replayed sync never records it twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.models.base import CreatedAtMixin, enum_column
from app.models.sample import Outcome


class WebSession(CreatedAtMixin, Base):
    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RespondentLink(CreatedAtMixin, Base):
    """A personal link of one sampled respondent; at most one is active at a time.

    The token and the short code are derived from ``nonce`` with the service's
    secret key (so a letter can be printed again) and stored only as hashes (so a
    copy of the database alone opens no link). ``response_client_id`` is the
    ``client_id`` of the citizen's response, kept when a link is reissued.
    """

    __tablename__ = "respondent_link"
    __table_args__ = (
        Index(
            "ix_respondent_link_one_active",
            "respondent_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("sampled_respondent.id", ondelete="CASCADE"), index=True
    )
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    response_client_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class OutcomeReport(CreatedAtMixin, Base):
    """One outcome as a surveyor's phone sent it (replays answer with the stored one)."""

    __tablename__ = "outcome_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("sampled_respondent.id", ondelete="CASCADE"), index=True
    )
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "outcome_report_outcome"))
    note: Mapped[str | None] = mapped_column(Text)
    payload_sha256: Mapped[str] = mapped_column(String(64))
