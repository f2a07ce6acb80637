"""Personal links (đường link cá nhân) of sampled citizens and the codes on their letters."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.core.models import CreatedAtMixin


class RespondentLink(CreatedAtMixin, Base):
    """A personal link of one sampled respondent; at most one is active at a time.

    The token and the short code are derived from ``nonce`` with the service's
    secret key (so a letter can be printed again) and stored only as hashes (so a
    copy of the database alone opens no link). ``response_client_id`` is the
    ``client_id`` of the citizen's response and ``screen`` the screen of the form
    the citizen was on when last saved (block index; the number of blocks is the
    review screen); both are kept when a link is reissued.
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
    screen: Mapped[int | None]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
